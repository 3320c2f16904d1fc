"""US_SSN: area/group/serial rules, consistent delimiters, no well-known samples."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer
from services.guard.recognizers.validators.digits import digits_and_separators

# Numbers printed in ads and documentation, never issued to a person.
SAMPLE_SSNS = frozenset({"078051120", "219099999", "457555462", "123456789"})


class UsSsnRecognizer(PatternRecognizer):
    ENTITY = "US_SSN"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("ssn_dashed", r"\b\d{3}-\d{2}-\d{4}\b", 0.85),
        Pattern("ssn_delimited", r"\b\d{3}[ .-]\d{2}[ .-]\d{4}\b", 0.5),
        Pattern("ssn_bare", r"\b\d{9}\b", 0.3),
    )
    CONTEXT = frozenset({"ssn", "ssns", "social", "security", "ss"})
    TAIL = r"[0-9][0-9 .-]{0,10}"
    MAX_LEN = 11

    def validate_result(self, value: str) -> bool | None:
        digits, separators = digits_and_separators(value)
        if len(separators) > 1:
            return False
        area, group, serial = digits[:3], digits[3:5], digits[5:]
        if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
            return False
        if digits in SAMPLE_SSNS or len(set(digits)) == 1:
            return False
        return None
