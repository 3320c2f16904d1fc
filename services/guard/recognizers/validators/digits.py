"""A value's digits and its other characters (separators), for card, SSN and ITIN checks."""

_ASCII_DIGITS = frozenset("0123456789")
_DROP_ASCII_NON_DIGITS = str.maketrans({chr(code): None for code in range(128) if not chr(code).isdigit()})


def digits_and_separators(value: str) -> tuple[str, set[str]]:
    """The characters of ``value`` that are digits (in order), and the set of the others.

    Same as filtering with ``str.isdigit``; ASCII values skip the per-character loop.
    """
    if value.isascii():
        separators = set(value).difference(_ASCII_DIGITS)
        return (value.translate(_DROP_ASCII_NON_DIGITS) if separators else value), separators
    return "".join(char for char in value if char.isdigit()), {char for char in value if not char.isdigit()}
