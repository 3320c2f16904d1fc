"""US_DRIVER_LICENSE: common state formats, only next to a context word."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer


class UsDriverLicenseRecognizer(PatternRecognizer):
    ENTITY = "US_DRIVER_LICENSE"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("dl_letter_digits", r"\b[A-Z]{1,2}\d{4,12}\b", 0.4),
        Pattern("dl_digits", r"\b\d{7,12}\b", 0.3),
        Pattern("dl_dashed", r"\b[A-Z]\d{3}-\d{3}-\d{2}-\d{3}-\d\b", 0.4),
    )
    CONTEXT = frozenset({"driver", "drivers", "driving", "dl", "license", "licence", "dmv"})
    NEGATIVE_CONTEXT = frozenset({"order", "invoice", "ticket", "tracking", "ref", "sku"})
    CONTEXT_REQUIRED = True
    TAIL = r"[A-Z0-9][A-Z0-9-]{0,19}"
    MAX_LEN = 20
