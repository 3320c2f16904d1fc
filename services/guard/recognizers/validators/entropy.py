"""Shannon entropy of short strings, for telling secrets from words."""

import math
from collections import Counter

_ASCII_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_DIGITS = frozenset("0123456789")
_ASCII_ALNUM = _ASCII_LOWER | _ASCII_UPPER | _ASCII_DIGITS
# Per string length, the term p * log2(p) of a character seen ``count`` times
# (index = count), computed on first use with the same expression as the
# direct sum: the entropy is the same float, without a log2 per character.
_TERMS_MAX_LENGTH = 256
_terms_by_length: dict[int, list[float]] = {}


def _terms(length: int) -> list[float]:
    terms = _terms_by_length.get(length)
    if terms is None:
        terms = [0.0] + [count / length * math.log2(count / length) for count in range(1, length + 1)]
        _terms_by_length[length] = terms
    return terms


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value`` (0.0 for an empty string)."""
    if not value:
        return 0.0
    length = len(value)
    counts = Counter(value).values()
    if length <= _TERMS_MAX_LENGTH:
        return -sum(map(_terms(length).__getitem__, counts))
    return -sum(count / length * math.log2(count / length) for count in counts)


def char_classes(value: str) -> int:
    """How many of lower, upper, digit and other characters ``value`` uses."""
    if value.isascii():
        chars = set(value)
        return (
            (not chars.isdisjoint(_ASCII_LOWER))
            + (not chars.isdisjoint(_ASCII_UPPER))
            + (not chars.isdisjoint(_ASCII_DIGITS))
            + (not chars <= _ASCII_ALNUM)
        )
    return (
        any(c.islower() for c in value)
        + any(c.isupper() for c in value)
        + any(c.isdigit() for c in value)
        + any(not c.isalnum() for c in value)
    )
