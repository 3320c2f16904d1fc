"""IBAN_CODE: per-country length and ISO 7064 mod 97."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer
from services.guard.recognizers.validators.mod97 import iban_valid


class IbanRecognizer(PatternRecognizer):
    ENTITY = "IBAN_CODE"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("iban", r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b", 0.5),
    )
    CONTEXT = frozenset({"iban", "bank", "account", "transfer", "wire", "sepa"})
    TAIL = r"[A-Z][A-Z0-9 ]{0,43}"
    MAX_LEN = 44

    def validate_result(self, value: str) -> bool | None:
        return iban_valid(value.replace(" ", ""))
