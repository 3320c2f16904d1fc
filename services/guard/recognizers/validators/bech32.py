"""Bech32 / Bech32m checksum (BIP-173, BIP-350) of segwit addresses."""

BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONST = 1
_BECH32M_CONST = 0x2BC830A3
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for index in range(5):
            checksum ^= _GENERATOR[index] if ((top >> index) & 1) else 0
    return checksum


def bech32_valid(address: str) -> bool:
    """True when ``address`` (one case) has a valid bech32 or bech32m checksum."""
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    separator = address.rfind("1")
    if separator < 1 or separator + 7 > len(address) or len(address) > 90:
        return False
    hrp, data_part = address[:separator], address[separator + 1 :]
    data = []
    for char in data_part:
        index = BECH32_CHARSET.find(char)
        if index < 0:
            return False
        data.append(index)
    expanded = [ord(char) >> 5 for char in hrp] + [0] + [ord(char) & 31 for char in hrp]
    return _polymod(expanded + data) in (_BECH32_CONST, _BECH32M_CONST)
