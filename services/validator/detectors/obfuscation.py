"""Obfuscation seen during normalization: smuggled text, invisible and bidi characters.

These findings come from normalization notes, not patterns. Alone they stay below
the default threshold (obfuscation of benign text is not an attack); what the
smuggled text says is judged by the other detectors.
"""

from collections.abc import Callable
from typing import NamedTuple

import re2

from services.validator.detectors.base import ENFORCE, LOW, Detector

# A Latin letter next to a Cyrillic or Greek one: a word written in two scripts. Russian or Greek text has its
# lookalikes folded in the skeleton too ("confusables_folded"), but it is not disguised (nineteenth session: the
# finding pushed any weak Russian finding over the threshold).
_MIXED_SCRIPTS = re2.compile(r"[A-Za-z][\p{Cyrillic}\p{Greek}]|[\p{Cyrillic}\p{Greek}][A-Za-z]")


class NoteRule(NamedTuple):
    name: str
    score: float
    # Whether the note is a finding for this folded text (invisible characters already gone); None: always.
    when: Callable[[str], bool] | None = None


# Normalization note kind -> its rule.
NOTE_RULES: dict[str, NoteRule] = {
    "tag_characters_decoded": NoteRule("unicode_tag_smuggling", 0.3),
    "variation_selectors_decoded": NoteRule("variation_selector_smuggling", 0.3),
    "bidi_controls_stripped": NoteRule("bidi_controls", 0.15),
    "invisible_stripped": NoteRule("invisible_characters", 0.1),
    "confusables_folded": NoteRule(
        "mixed_script_lookalikes", 0.1, lambda folded: _MIXED_SCRIPTS.search(folded) is not None
    ),
}

DETECTOR = Detector(
    id="obfuscation",
    category="obfuscation",
    severity=LOW,
    default_action=ENFORCE,
    description="Hidden or disguised characters found while normalizing.",
)
