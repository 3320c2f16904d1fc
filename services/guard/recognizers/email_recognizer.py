"""EMAIL_ADDRESS: RFC 5322-ish local part, valid domain labels and a known TLD."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer
from services.guard.recognizers.validators.tld import tld_valid


class EmailRecognizer(PatternRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "email",
            r"\b[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}"
            r"[A-Za-z]{2,24}\b",
            0.5,
        ),
    )
    CONTEXT = frozenset({"email", "e", "mail", "contact", "reach"})
    TAIL = r"[A-Za-z0-9._%+@-]{1,620}"
    MAX_LEN = 620

    def validate_result(self, value: str) -> bool | None:
        local, _, domain = value.rpartition("@")
        if ".." in local or local.endswith("."):
            return False
        return tld_valid(domain)
