"""Luhn (mod 10) checksum of card numbers."""


def luhn_valid(digits: str) -> bool:
    """True when ``digits`` (decimal digits only) passes the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
