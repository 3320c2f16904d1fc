"""Repeated-token flooding: long repetitions used to push instructions out of context.

A ``check`` rather than a regex (RE2 has no backreferences): a 16-character
sample taken at three points of the text is counted with ``str.count``; a
sample repeated many times that is not just whitespace means a flood.
"""

from services.validator.detectors.base import ENFORCE, MEDIUM, Detector, Hit

_MIN_LENGTH = 320
_SAMPLE = 16
_MIN_REPEATS = 16
# Characters that pad Markdown/ASCII tables and rules: a sample made only of them is layout, not a flood.
_LAYOUT = " \t\r\n|-=_:+.#*"


def find_flooding(text: str) -> list[Hit]:
    length = len(text)
    if length < _MIN_LENGTH:
        return []
    for fraction in (0.25, 0.5, 0.75):
        position = int(length * fraction)
        sample = text[position : position + _SAMPLE]
        if not sample.strip(_LAYOUT):  # only whitespace or table/rule layout ("|      |", "-----")
            continue
        repeats = text.count(sample)
        if repeats >= _MIN_REPEATS and repeats * _SAMPLE * 4 >= length:
            first = text.find(sample)
            last = text.rfind(sample) + _SAMPLE
            return [Hit("repeated_tokens", first, last, 0.55)]
    return []


DETECTOR = Detector(
    id="token_flooding",
    category="obfuscation",
    severity=MEDIUM,
    default_action=ENFORCE,
    description="Long runs of a repeated token or phrase (context flooding).",
    check=find_flooding,
)
