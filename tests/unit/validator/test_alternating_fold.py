"""``decode._alternating_decoded`` tells text between references from its pieces (tenth session, helper-40),
not by searching the text for ";&" before its last ";": the fold is made exactly when that search allowed it."""

from __future__ import annotations

import html.entities
import random

from services.validator import decode
from services.validator.normalize import fold_layer
from tests.unit.validator.reference import reference_entity_decode
from tests.unit.validator.test_h38_near_duplicate_layers import entity_walls

NAMES = sorted(name[:-1] for name in html.entities.html5 if name.endswith(";"))


def previous_condition(text: str) -> bool:
    """The search ``_alternating_decoded`` made before: no ";&" before the last ";"."""
    return text.find(";&", 0, text.rfind(";") + 1) < 0


def test_fold_made_exactly_where_the_search_allowed_it() -> None:
    rng = random.Random(40)
    taken = folds = refused = 0
    texts = list(entity_walls(40, 120))
    for size in (4100, 9000, 40_000):
        # Walls with text after every reference but one: an empty tail at the start, the middle, the end.
        for place in (0, 1, size // 40, size // 12 - 2, size // 12 - 1):
            parts = [f"&{rng.choice(NAMES)};{index}" for index in range(size // 12)]
            parts[place] = parts[place].partition(";")[0] + ";"
            text = "".join(parts)
            texts += (text, text + "&", text + "&" + rng.choice(NAMES), text[:-1])
    for text in texts:
        folded: list[str] = []
        decoded = decode._alternating_decoded(text, folded)
        if decoded is None:
            continue
        taken += 1
        assert decoded == reference_entity_decode(text)
        pieces = text.replace("&", ";").split(";")
        if text.count("&") > text.count(";"):
            pieces.pop()  # after a last "&" without ";"
        known = all(name in decode._NAME_KEYS for name in pieces[1::2])
        assert bool(folded) == (known and text.isascii() and previous_condition(text)), text[:80]
        if folded:
            folds += 1
            assert folded[0] == fold_layer(decoded)
        else:
            refused += 1
    assert taken >= 40 and folds >= 10 and refused >= 10
