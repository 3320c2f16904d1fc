"""Texts of mostly distinct parts are cut into tokens at once (``decode._tokens_decoded``) instead of
their distinct parts first: the same one-pass decoding as the per-reference loop and the parts' path."""

from __future__ import annotations

import html.entities
import random

import pytest

from services.validator import decode
from tests.unit.validator.reference import reference_entity_decode

NAMES = [name for name in html.entities.html5 if name.endswith(";")]


def parts_path(text: str) -> str:
    """The distinct parts' path, as ``_entity_decode_general`` takes it for repeated parts."""
    at_semis = text.count(";") < text.count("&")
    pieces = text.split(";" if at_semis else "&")
    outer = pieces.pop() if at_semis else pieces.pop(0)
    distinct = list(dict.fromkeys(pieces))
    if at_semis:
        table = decode._segment_decodings(distinct)
        return "".join(map(table.__getitem__, pieces)) + outer
    table = decode._part_decodings(distinct)
    return outer + "".join(map(table.__getitem__, pieces))


def random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    pieces = ["&", ";", "#", "x", "a", " ", "&#", "&#x", "1", "f", "\udcfe", "\x00", "\u0661", "&amp;",
              "&AMP;", "&semi;", "&fjlig;", "&lt", "&#105;", "&#x69;", "&#0;", "&#+7;", "&#xD800;",
              "&#1114112;"]  # fmt: skip
    texts = []
    for _ in range(count):
        parts = [rng.choice(pieces) for _ in range(rng.randint(1, 60))]
        parts += [f"&{rng.choice(NAMES)}{index}" for index in range(rng.randint(0, 40))]
        rng.shuffle(parts)
        texts.append("".join(parts))
    return texts


@pytest.mark.parametrize("text", random_texts(29, 400))
def test_tokens_decode_like_the_reference_and_the_parts(text: str) -> None:
    decoded = decode._tokens_decoded(text)
    assert decoded == reference_entity_decode(text) == parts_path(text)


@pytest.mark.parametrize(
    "text",
    [
        "".join(f"&{NAMES[i % len(NAMES)]}{i}" for i in range(20_000))[:99_000],
        "".join(f"&{NAMES[i % len(NAMES)]}{i};" for i in range(5_000)),
        "".join(f"&#{1000 + i};&{NAMES[i % len(NAMES)]}" for i in range(5_000)),
    ],
)
def test_walls_of_distinct_parts_take_the_token_path(text: str) -> None:
    assert decode._entity_decode(text) == decode._tokens_decoded(text) == reference_entity_decode(text)


def test_every_marker_in_the_text_declines() -> None:
    text = decode._CUT_MARKERS + "&lt;x"
    assert decode._tokens_decoded(text) is None
    assert decode._entity_decode(text) == reference_entity_decode(text)
