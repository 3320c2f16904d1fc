"""Checksum and format validators used by recognizers (Luhn, mod-97, base58check, bech32, ...)."""
