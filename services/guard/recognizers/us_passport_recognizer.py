"""US_PASSPORT: 9 digits or a letter and 8 digits, only next to a context word."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer


class UsPassportRecognizer(PatternRecognizer):
    ENTITY = "US_PASSPORT"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (Pattern("passport", r"\b(?:[A-Z]\d{8}|\d{9})\b", 0.4),)
    CONTEXT = frozenset({"passport", "passports", "travel"})
    NEGATIVE_CONTEXT = frozenset({"order", "invoice", "ticket", "tracking", "ref", "sku"})
    CONTEXT_REQUIRED = True
    TAIL = r"[A-Z0-9][0-9]{0,8}"
    MAX_LEN = 9
