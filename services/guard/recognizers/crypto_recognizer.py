"""CRYPTO: bitcoin base58check and bech32/bech32m addresses, ethereum addresses."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer
from services.guard.recognizers.validators.base58check import base58check_valid
from services.guard.recognizers.validators.bech32 import bech32_valid


class CryptoRecognizer(PatternRecognizer):
    ENTITY = "CRYPTO"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("btc_base58", r"\b[13][1-9A-HJ-NP-Za-km-z]{25,34}\b", 0.3),
        Pattern("btc_bech32", r"\b(?:bc|tb|BC|TB)1[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}\b", 0.3),
        # No keccak in hashlib, so EIP-55 checksums are not verified.
        Pattern("eth", r"\b0x[0-9a-fA-F]{40}\b", 0.6),
    )
    CONTEXT = frozenset({"bitcoin", "btc", "wallet", "eth", "ethereum", "crypto", "address", "send"})
    TAIL = r"[0-9A-Za-z]{1,90}"
    MAX_LEN = 90

    def validate_result(self, value: str) -> bool | None:
        if value.startswith("0x"):
            return None
        if value[:3].lower() in ("bc1", "tb1"):
            return bech32_valid(value)
        return base58check_valid(value)
