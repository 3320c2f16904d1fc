"""DATE_OF_BIRTH: numeric and written dates, only next to a birth context word."""

import datetime
from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?"
_MONTHS = {
    name: index + 1
    for index, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")]
    )
    for name in names
}  # fmt: skip


class DateOfBirthRecognizer(PatternRecognizer):
    ENTITY = "DATE_OF_BIRTH"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("dob_numeric", r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}\b", 0.4),
        Pattern("dob_iso", r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b", 0.4),
        Pattern("dob_month_first", r"(?i)\b" + _MONTH + r" \d{1,2}(?:st|nd|rd|th)?,? (?:19|20)\d{2}\b", 0.4),
        Pattern("dob_day_first", r"(?i)\b\d{1,2}(?:st|nd|rd|th)? " + _MONTH + r",? (?:19|20)\d{2}\b", 0.4),
    )
    CONTEXT = frozenset({"born", "birth", "dob", "birthday", "birthdate"})
    CONTEXT_REQUIRED = True
    TAIL = (
        r"[0-9][0-9/.A-Za-z ,-]{0,29}"
        r"|[A-Za-z]{1,9}\.?(?: (?:[0-9]{1,2}(?:[A-Za-z]{1,2})?(?:,? ?[0-9]{0,4})?)?)?"
    )
    MAX_LEN = 30

    def validate_result(self, value: str) -> bool | None:
        parts = [part for part in value.replace(",", " ").replace("/", " ").replace("-", " ").split() if part]
        if len(parts) == 1:  # "03.04.1990"
            parts = value.split(".")
        try:
            if parts[0].isdigit() and len(parts[0]) == 4:
                datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
                return None
            if all(part.isdigit() for part in parts):
                first, second, year = (int(part) for part in parts)
                for month, day in ((first, second), (second, first)):
                    try:
                        datetime.date(year, month, day)
                        return None
                    except ValueError:
                        continue
                return False
            words = [part.rstrip(".").lower() for part in parts]
            month_word = next(word for word in words if not word[0].isdigit())
            day_word = next(word for word in words if word[0].isdigit() and len(word.rstrip("stndrh")) <= 2)
            datetime.date(int(words[-1]), _MONTHS[month_word], int(day_word.rstrip("stndrh")))
        except (ValueError, KeyError, StopIteration, IndexError):
            return False
        return None
