"""Base58Check decoding (legacy and P2SH bitcoin addresses)."""

import hashlib

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: index for index, char in enumerate(BASE58_ALPHABET)}


def base58check_valid(address: str) -> bool:
    """True when ``address`` decodes to 25 bytes whose last 4 are the double-SHA256 checksum."""
    number = 0
    for char in address:
        index = _INDEX.get(char)
        if index is None:
            return False
        number = number * 58 + index
    leading_zeros = len(address) - len(address.lstrip("1"))
    try:
        raw = b"\x00" * leading_zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")
    except OverflowError:
        return False
    if len(raw) != 25:
        return False
    checksum = hashlib.sha256(hashlib.sha256(raw[:-4]).digest()).digest()[:4]
    return raw[-4:] == checksum
