"""US_ITIN: 9XX-[50-65|70-88|90-92|94-99]-XXXX."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer

_GROUP = r"(?:5\d|6[0-5]|7\d|8[0-8]|9[0-2]|9[4-9])"


class UsItinRecognizer(PatternRecognizer):
    ENTITY = "US_ITIN"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("itin_delimited", r"\b9\d{2}[- ]" + _GROUP + r"[- ]\d{4}\b", 0.6),
        Pattern("itin_bare", r"\b9\d{2}" + _GROUP + r"\d{4}\b", 0.3),
    )
    CONTEXT = frozenset({"itin", "taxpayer", "tax", "individual", "irs"})
    TAIL = r"9[0-9 -]{0,10}"
    MAX_LEN = 11

    def validate_result(self, value: str) -> bool | None:
        separators = {char for char in value if not char.isdigit()}
        return False if len(separators) > 1 else None
