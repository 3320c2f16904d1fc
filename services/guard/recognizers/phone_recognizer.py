"""PHONE_NUMBER: international and national formats, confirmed by ``phonenumbers``.

Candidates come from RE2 patterns; only candidates are parsed. A confirmed
number gets the pattern score plus a bonus, not 1.0: a bare ten-digit run is
just as often an order number, so it needs a context word.
"""

from typing import ClassVar

import phonenumbers

from services.guard.recognizers.base import Pattern, PatternRecognizer

# Regions tried for numbers written without a country code: NANP numbers never
# start with a trunk "0"; most of the rest of the world dials one.
NANP_REGIONS = ("US",)
TRUNK_ZERO_REGIONS = ("GB", "DE", "FR", "AU", "IN")
VALIDATED_BONUS = 0.25


def _nanp_shaped(digits: str) -> bool:
    """NXX-NXX-XXXX with N in 2-9, optionally after a leading 1."""
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return len(digits) == 10 and digits[0] not in "01" and digits[3] not in "01"


class PhoneRecognizer(PatternRecognizer):
    ENTITY = "PHONE_NUMBER"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("phone_international", r"\+[1-9](?:[ .()-]{0,2}\d){6,16}\b", 0.6),
        Pattern("phone_national", r"(?:\(\d{2,5}\)[ .-]?|\b\d{2,5}[ .-])\d{3,4}[ .-]?\d{3,4}\b", 0.5),
        Pattern("phone_bare", r"\b\d{10,11}\b", 0.2),
    )
    CONTEXT = frozenset(
        {"phone", "call", "tel", "telephone", "mobile", "cell", "fax", "text", "dial", "whatsapp"}
    )
    NEGATIVE_CONTEXT = frozenset(
        {"order", "invoice", "tracking", "ticket", "ref", "reference", "sku", "serial"}
    )
    TAIL = r"[+(0-9][0-9 ().-]{0,49}"
    MAX_LEN = 50

    def validate_result(self, value: str) -> bool | None:
        if value.startswith("+"):
            try:
                return phonenumbers.is_valid_number(phonenumbers.parse(value, None))
            except phonenumbers.NumberParseException:
                return False
        digits = "".join(char for char in value if char.isdigit())
        if not digits.startswith("0") and not _nanp_shaped(digits):
            return False  # cheap NANP rules first: parsing is the costly part
        for region in TRUNK_ZERO_REGIONS if digits.startswith("0") else NANP_REGIONS:
            try:
                if phonenumbers.is_valid_number(phonenumbers.parse(value, region)):
                    return True
            except phonenumbers.NumberParseException:
                return False
        return False

    def best_base_score(self, pattern: Pattern) -> float:
        return pattern.score + VALIDATED_BONUS

    def judge_flags(
        self, value: str, pattern: Pattern, has_context: bool, negative: bool, min_score: float = 0.0
    ) -> float | None:
        score = self.score_ceiling(pattern, has_context, negative)
        # Parsing is the costly part: only for numbers that could be reported.
        if score < min_score or not self.validate_result(value):
            return None
        return score
