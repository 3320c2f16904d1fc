"""CREDIT_CARD: major brands, optional space/dash groups, Luhn-checked."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer
from services.guard.recognizers.validators.digits import digits_and_separators
from services.guard.recognizers.validators.luhn import luhn_valid


class CreditCardRecognizer(PatternRecognizer):
    ENTITY = "CREDIT_CARD"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        # Visa, Mastercard (51-55, 2221-2720), Discover, Diners, JCB: 13-19 digits.
        Pattern(
            "card_grouped",
            r"\b(?:4\d{3}|5[1-5]\d{2}|2[2-7]\d{2}|6(?:011|5\d{2}|4[4-9]\d)|3[0-9]\d{2})"
            r"(?:[ -]?\d{4}){2}[ -]?\d{1,7}\b",
            0.3,
        ),
        # American Express 4-6-5.
        Pattern("amex", r"\b3[47]\d{2}[ -]?\d{6}[ -]?\d{5}\b", 0.3),
    )
    CONTEXT = frozenset(
        {"credit", "card", "visa", "mastercard", "amex", "cc", "debit", "payment", "cardholder"}
    )
    TAIL = r"[0-9][0-9 -]{0,22}"
    MAX_LEN = 23

    def validate_result(self, value: str) -> bool | None:
        digits, separators = digits_and_separators(value)
        if len(separators) > 1:
            return False
        if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
            return False
        return luhn_valid(digits)
