"""Luhn (mod 10) checksum of card numbers."""

# Value of a digit in an odd position from the right, doubled (minus 9 over 9).
_DOUBLED = {str(digit): digit * 2 - 9 if digit * 2 > 9 else digit * 2 for digit in range(10)}
_PLAIN = {str(digit): digit for digit in range(10)}


def luhn_valid(digits: str) -> bool:
    """True when ``digits`` (decimal digits only) passes the Luhn check."""
    if digits.isascii() and digits.isdigit():
        # Same sum as the loop below, without a Python step per digit.
        total = sum(map(_PLAIN.__getitem__, digits[-1::-2])) + sum(map(_DOUBLED.__getitem__, digits[-2::-2]))
        return total % 10 == 0
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
