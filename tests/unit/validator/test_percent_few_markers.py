"""A few "%" in a text are read one step each (``decode._FEW_PERCENTS``): the same decoding as the
marker-map path, with the caller's UTF-8 of the text or without it."""

from __future__ import annotations

import random

import pytest

from services.validator import decode


def few_percent_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    pieces = ["%41", "%4", "%", "%%", "%zz", "%E2%80", "%8B", "%e9", "%FF", "a", "\u00e9", "\u4e00", "%2541", " "]
    texts = []
    for _ in range(count):
        parts = [rng.choice(pieces) for _ in range(rng.randint(1, 14))]
        texts.append("x" * rng.randint(0, 3000) + "".join(parts) + rng.choice(["", "%", "%4", "\u00e9%41"]))
    return texts


@pytest.mark.parametrize("text", few_percent_texts(29, 300))
def test_few_percents_decode_like_the_marker_map(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert text.count("%") <= decode._FEW_PERCENTS
    few = decode._percent_decode(text)
    assert decode._percent_decode(text, text.encode("utf-8")) == few
    monkeypatch.setattr(decode, "_FEW_PERCENTS", 0)
    assert decode._percent_decode(text) == few


def test_in_place_decoding_with_the_callers_utf8_is_the_same() -> None:
    for text in few_percent_texts(7, 100):
        text += " =41=C3=A9 \\u0041 &lt;"
        assert list(decode.decode_in_place(text, text.encode("utf-8"))) == list(decode.decode_in_place(text))
