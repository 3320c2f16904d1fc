"""Odd spellings past the bound: a text is decoded up to the reference that completes the first
``_MAX_ODD_REFS`` distinct odd spellings and kept after it, when nothing after it can decode
(``decode._odd_prefix_decoded``); checked against the general path, which cuts every part."""

from __future__ import annotations

import random

import pytest

from services.validator import decode
from tests.unit.validator.reference import SetOutOfMemory

BOUND = decode._MAX_ODD_REFS


def odd_wall(count: int, start: int = 1000, between: str = "") -> str:
    return "".join(f"&#+{start + i};{between}" for i in range(count))


def general(text: str) -> str:
    """The general path alone (``plain_first`` off: no odd-prefix, plain or wall shortcut)."""
    return decode._entity_decode_general(text)


@pytest.mark.parametrize(
    "text",
    [
        "&lt;" + odd_wall(20000)[:99000],
        odd_wall(3000),
        odd_wall(3000, between="x;"),
        "&lt;&#105;&amp;" + odd_wall(3000),  # names and plain digits in the head decode there
        odd_wall(BOUND) + "&#+1;",  # the first reference past the bound: kept
        odd_wall(BOUND - 1) + "&#+1;" * 3000,  # the last of them repeated: each decoded
        odd_wall(3000).replace("&#+1600;", "&#+1600\udcfe;"),  # a lone surrogate in a reference
        "&#" + "+" * 40 + ";" + odd_wall(3000),  # too long to be a reference
        "&#;&#x;" * 300 + odd_wall(3000),  # no digit: odd spellings that decode to themselves
    ],
)
def test_the_prefix_path_decodes_like_the_general_path(text: str) -> None:
    assert decode._entity_decode(text) == general(text)


LONG = [f"&#+{i:031d};" for i in range(3000)]  # 35 characters, the longest reference
WIDE = [f"&#{chr(0x1D7CE + i % 10)}{chr(0x10000 + i)}" + "\U0001F600" * 8 + ";" for i in range(3000)]


@pytest.mark.parametrize(
    "tail",
    ["&#105;", "&#x69;", "&lt;", "&AMP;", "&#+1000;", "&#+1511;"],  # plain, named, a head reference again
)
def test_what_may_decode_after_the_head_declines_the_prefix_path(tail: str) -> None:
    text = odd_wall(3000) + tail
    assert decode._odd_prefix_decoded(text) is None
    assert decode._entity_decode(text) == general(text)


@pytest.mark.parametrize("wall", [LONG, WIDE])
@pytest.mark.parametrize("tail", ["", "x", "&lt;", "&#105;", "first", "last", "&#+7;"])
def test_long_spellings_are_looked_up_among_the_tails_references(wall: list[str], tail: str) -> None:
    # Their UTF-8 is past ``_ODD_LITERAL_BYTES``: the tail's references are cut and looked up instead.
    assert len("".join(wall[:BOUND]).encode()) > decode._ODD_LITERAL_BYTES
    tail = {"first": wall[0], "last": wall[BOUND - 1]}.get(tail, tail)
    text = "".join(wall) + tail
    declined = decode._odd_prefix_decoded(text) is None
    assert declined == (tail not in ("", "x", "&#+7;"))
    assert decode._entity_decode(text) == general(text)


def test_a_reference_past_the_bound_is_no_reason_to_decline() -> None:
    text = odd_wall(3000) + "&#+9999;"
    assert decode._odd_prefix_decoded(text) == general(text)
    assert general(text).endswith("&#+9999;")  # past the bound: kept


def test_too_few_distinct_odd_spellings_decline() -> None:
    assert decode._odd_prefix_decoded("&#+1;&#+2;" * 3000) is None
    assert decode._odd_prefix_decoded("".join(f"&#{256 + i % 256};&#x;&q" for i in range(20000))) is None
    assert decode._odd_prefix_decoded(odd_wall(BOUND - 1)) is None


def test_a_set_out_of_memory_declines_the_prefix_path(monkeypatch: pytest.MonkeyPatch) -> None:
    search, _, refs = decode._named_finders()
    monkeypatch.setattr(decode, "_named_finders", lambda: (search, SetOutOfMemory(), refs))
    text = odd_wall(3000)
    assert decode._odd_prefix_decoded(text) is None
    assert decode._entity_decode(text) == general(text)


def random_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    extras = ["&lt;", "&amp;", "&#105;", "&#x41;", "&q;", "x", ";", "&", "&#;", "&#x;", "&# 7;",
              "&#\u0661\u0662;", "&#+99999999;", "\udcfe", "&#" + "1" * 40 + ";", "&#+1"]  # fmt: skip
    texts = []
    for _ in range(count):
        size = rng.choice([600, 1500, 3000])
        width = rng.choice([1, 1, 20, 31])  # long spellings: the tail's references looked up, no regex
        head_extra = rng.random() < 0.5
        parts = []
        for index in range(size):
            if head_extra and index < size // 4 and rng.random() < 0.1:
                parts.append(rng.choice(extras))
            # Mostly new spellings; now and then one seen a few references back (which the tail may repeat).
            code = index if rng.random() < 0.95 else max(0, index - rng.randint(1, 40))
            parts.append(f"&#+{code:0{width}d};" if rng.random() < 0.9 else rng.choice(["a", " ", ";"]))
        if rng.random() < 0.5:
            parts.append(rng.choice([*extras, f"&#+{1:0{width}d};", f"&#+{2:0{width}d};", "&#+3;"]))
        texts.append("".join(parts))
    return texts


def test_random_odd_walls_decode_like_the_general_path() -> None:
    taken = 0
    for text in random_texts(29, 150):
        assert decode._entity_decode(text) == general(text)
        taken += decode._odd_prefix_decoded(text) is not None
    assert taken > 20  # the path is exercised, not only declined
