"""The named-reference path of the entity decoder (one ``str.replace`` per distinct known name, when no
numeric reference may decode) gives what the per-reference loop gives, on walls and on random mixes of
names whose values can join a match ("&amp;", "&AMP;", "&semi;", "&fjlig;"), odd numeric spellings that
decode or not, placeholders and nesting."""

from __future__ import annotations

import html.entities
import random

import pytest

from services.validator import decode
from tests.unit.validator.reference import SetOutOfMemory, reference_entity_decode

NAMES = sorted(name for name in html.entities.html5 if name.endswith(";"))
JOINING = ["amp;", "AMP;", "semi;", "fjlig;", "num;", "lt;"]
# Numeric references the one-pass decoding keeps as they are (no digit ``int`` reads) and ones it
# decodes, in odd spellings too.
KEPT_NUMERIC = ["&#x;", "&#;", "&#+;", "&#-;", "&#_;", "&#xg;", "&# ;", "&#x&", "&#", "&#\udcfb;", "&#X;"]
DECODED_NUMERIC = ["&# 5;", "&#٣;", "&#+105;", "&#x 0x1f;", "&#e;", "&#\u00a09;", "&#xa;", "&#105;", "&#x3e8;"]
JUNK = ["&", ";", "#", "x", "a", "1", " ", "é", "\u4e00", "lig;", "amp;", "semi;", "AMP", "lt", "f", "j", "\udcf0"]


def named_texts(seed: int, count: int, numeric: list[str]) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        pool = rng.sample(JOINING, rng.randrange(0, 5)) + rng.sample(NAMES, rng.randrange(0, 8))
        tokens = JUNK + numeric
        parts = [
            "&" + rng.choice(pool) if pool and rng.random() < 0.5 else rng.choice(tokens)
            for _ in range(rng.choice([2, 5, 20, 100, 2000]))
        ]
        texts.append("".join(parts))
    return texts


WALLS = [
    "".join(f"&a{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}{chr(97 + i // 676 % 26)};" for i in range(20000)),
    "".join(f"&amp;amp;#{1000 + i};" for i in range(6000)),
    "&amp;amp;amp;amp;#105;" * 5000,
    "".join(f"&#{256 + i % 256};&#x;&q" for i in range(8000)),
    "".join(f"Ā&#x;&q{chr(256 + i % 256)}" for i in range(8000)),
    "&AMP;amp;lt;&amp;semi;&lt&semi;&fjlig;lig;&&fjlig;lig;&num;105;&&num;105;" * 500,
    "".join(f"&{name}" for name in NAMES) * 3,  # every name: the general path
    "&lt;" * 3000 + "".join(f"&{name}" for name in NAMES[:40]),  # more names than the bound, late
    "&#x;" * 3000 + "&#" + " " * 5000 + "5;" + "&lt;",  # "&#" far from its ";": no reference
    "&lt;" * 1000 + "\udcf0\udcf1\udcf2\udcf3" + "&semi;&fjlig;" * 100,  # the placeholders taken
    "&lt;" * 2000 + "&#" + "\u0660" * 20 + "7;",  # a decoding reference of non-ASCII digits, at the end
]


@pytest.mark.parametrize(
    "text",
    [*named_texts(1, 300, KEPT_NUMERIC), *named_texts(2, 200, DECODED_NUMERIC), *WALLS],
)
def test_named_path_matches_the_reference(text: str) -> None:
    assert decode._entity_decode(text) == decode._entity_decode_general(text) == reference_entity_decode(text)


@pytest.mark.parametrize("text", [*named_texts(3, 100, KEPT_NUMERIC), *WALLS])
def test_named_path_answers_exactly_or_declines(text: str) -> None:
    named = decode._named_refs_decoded(text)
    assert named is None or named == reference_entity_decode(text)


def test_named_path_declines_numeric_references_that_may_decode() -> None:
    for numeric in DECODED_NUMERIC:
        assert decode._named_refs_decoded("&lt;" * 100 + numeric) is None, numeric
    for numeric in KEPT_NUMERIC:
        expected = None if "\udcfb" in numeric else "<" * 100 + numeric  # a surrogate: the regex errs safe
        assert decode._named_refs_decoded("&lt;" * 100 + numeric) == expected, numeric


def test_unknown_names_are_kept_whatever_their_count() -> None:
    text = WALLS[0]
    assert decode._named_refs_decoded(text) is text
    assert decode._entity_decode(text) == text


@pytest.mark.parametrize("boundary", [decode._NAMED_CHUNK, 3 * decode._NAMED_CHUNK, 7 * decode._NAMED_CHUNK])
def test_a_chunk_boundary_does_not_hide_a_reference(boundary: int) -> None:
    for offset in range(-40, 40, 3):
        pad = "x" * (boundary + offset)
        for ref, value in (("&CounterClockwiseContourIntegral;", "\u2233"), ("&lt;", "<")):
            text = "&gt;" + pad + ref
            assert decode._named_refs_decoded(text) == decode._entity_decode(text) == ">" + pad + value
        text = "&gt;" + pad + "&#" + "\u0660" * 30 + "7;"
        assert decode._named_refs_decoded(text) is None
        assert decode._entity_decode(text) == ">" + pad + "\u0007"


def distinct_pieces(text: str, separator: str) -> list[str]:
    return list(dict.fromkeys(text.split(separator)[1:] if separator == "&" else text.split(separator)[:-1]))


@pytest.mark.parametrize("text", [*named_texts(4, 150, KEPT_NUMERIC + DECODED_NUMERIC), *WALLS])
def test_token_decodings_match_the_per_part_steps(text: str) -> None:
    parts = distinct_pieces(text, "&")
    if parts:
        assert decode._part_decodings(parts) == decode._part_decodings_mapped(parts)
    segments = distinct_pieces(text, ";")
    if segments:
        assert decode._segment_decodings(segments) == decode._segment_decodings_mapped(segments)


@pytest.mark.parametrize("wall", WALLS[:6])
def test_the_token_markers_in_the_text_fall_back_to_the_per_part_steps(wall: str) -> None:
    text = "&lt;" + decode._TOKEN_MARKERS + wall + "".join(f"&#+{i};" for i in range(50))
    assert decode._token_markers(distinct_pieces(text, "&"), ";") is None
    assert decode._entity_decode(text) == decode._entity_decode_general(text) == reference_entity_decode(text)


def test_odd_spellings_only_are_read_one_call_each_up_to_the_bound() -> None:
    odd = [f"&#+{1000 + i};x{i}" for i in range(decode._MAX_ODD_REFS + 300)]
    text = "&lt;" + "".join(odd)
    bound = decode._MAX_ODD_REFS
    expected = "<" + "".join(f"{chr(1000 + i)}x{i}" for i in range(bound)) + "".join(odd[bound:])
    assert decode._entity_decode(text) == expected


def decimal_walls(seed: int, count: int) -> list[str]:
    """Decimal references in plain digits with text between that holds no "&", "#", ";" or digit (the
    path without a role map), codes of every kind, then a tail after the last ";"."""
    rng = random.Random(seed)
    between = ["", "", " ", "%", "%c", "%s", "é", "\U0001f600", "\0", "x", "\ufffd", "\n"]
    tails = ["", "&#12", "&", "&#", "#", "12", "&lt", "&#x4", "&#1;x&"]
    codes = [0, 1, 35, 37, 38, 59, 0xD800, 0xDFFF, 0x10FFFF, 0x110000, 10**12]
    texts = []
    for _ in range(count):
        refs = [
            "&#{}{};".format(
                "0" * rng.choice([0, 0, 1, 29, 31]),
                rng.choice([*codes, rng.randrange(1, 0x110000), rng.randrange(1, 3000)]),
            )
            + rng.choice(between)
            for _ in range(rng.choice([1, 30, 3000]))
        ]
        texts.append(rng.choice(["", "a "]) + "".join(refs) + rng.choice(tails))
    return texts


@pytest.mark.parametrize("text", decimal_walls(6, 120))
def test_decimal_walls_decode_like_the_reference(text: str) -> None:
    expected = reference_entity_decode(text)
    assert decode._entity_decode(text) == expected
    assert decode._plain_refs_decoded(text) in (None, expected)  # None: no reference in plain digits


def hex_walls(seed: int) -> list[str]:
    """Hexadecimal references in walls: all of one digit count (read as UTF-32 without count marks),
    codes that are no character among them, mixed counts, a tail."""
    rng = random.Random(seed)
    texts = []
    for count in range(1, 10):
        for bad in ("", "0" * count, "d800"[:count].rjust(count, "0"), "110000"[-count:], "%c"):
            refs = [
                "&#{}{};".format(rng.choice("xX"), format(rng.randrange(16 ** (count - 1), 16**count), rng.choice("xX")))
                + rng.choice(["", " ", "%", "é", "\n"])
                for _ in range(rng.choice([1, 40, 2000]))
            ]
            if bad:
                refs.insert(len(refs) // 2, f"&#x{bad};" if bad != "%c" else "%c")
            texts.append("".join(refs) + rng.choice(["", "&#x4", "&"]))
    texts.append("".join(f"&#x{rng.randrange(1, 0x110000):x};" for _ in range(3000)))  # mixed counts
    return texts


@pytest.mark.parametrize("text", hex_walls(7))
def test_hexadecimal_walls_decode_like_the_reference(text: str) -> None:
    expected = reference_entity_decode(text)
    assert decode._entity_decode(text) == expected
    assert decode._plain_refs_decoded(text) in (None, expected)


def test_a_set_out_of_memory_declines_the_named_path(monkeypatch: pytest.MonkeyPatch) -> None:
    search, _, refs = decode._named_finders()
    monkeypatch.setattr(decode, "_named_finders", lambda: (search, SetOutOfMemory(), refs))
    text = "&lt;x" * 500
    assert decode._named_refs_decoded(text) is None
    assert decode._entity_decode(text) == "<x" * 500
    assert decode._named_refs_decoded("no reference; & at all" * 50) is not None


BAD_REFS = ["&#0;", "&#x0;", "&#55296;", "&#xdfff;", "&#1114112;", "&#x110000;", "&#99999999999;", "&#xFFFFFFFFFFF;"]


@pytest.mark.parametrize("bad", [*BAD_REFS, "".join(BAD_REFS), "&#0;" * 20, "&#x41;", "&#65;"])
@pytest.mark.parametrize("wall", ["".join(f"&#{1000 + i};" for i in range(3000)), "".join(f"&#x{0x1000 + i:x};" for i in range(3000))])
def test_a_few_references_that_are_no_character_in_a_wall(bad: str, wall: str) -> None:
    text = bad + wall[: len(wall) // 2] + bad + wall[len(wall) // 2 :] + bad
    assert decode._entity_decode(text) == reference_entity_decode(text)


def test_bad_codes_are_found_in_order() -> None:
    assert decode._bad_codes([1, 0, 0xD800, 0x110000, 5, 0, 2**40, 0x10FFFF]) == [1, 2, 3, 5, 6]
    assert decode._bad_codes([0] * (decode._MAX_BAD_CODES + 1)) is None
    assert decode._bad_codes(list(range(1, 0xD800, 7))) == []
