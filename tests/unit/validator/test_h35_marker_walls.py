"""Marker walls decoded a period at a time (``decode._periodic_decoded``), a literal at a time
(``decode._literals_decoded``) or, for entities whose "&" and ";" alternate, a name at a time
(``decode._alternating_decoded``), each checked against the per-marker reference loops and against the
decoders with the shortcuts turned off, on periodic texts (cut anywhere, with text before the period
and after the periodic head), on walls of a few distinct markers with other text between them and on
walls of references with text between them."""

from __future__ import annotations

import html.entities
import random
import sys
from collections.abc import Callable, Iterator

import pytest

from services.validator import decode
from tests.unit.validator.reference import reference_entity_decode
from tests.unit.validator.test_adversarial_paths import reference_escape_decode, reference_percent_decode

ENTITY_ATOMS = (
    "&amp;", "&AMP;", "&#37;", "&#x25;", "&lt;", "&semi;", "&fjlig;", "&#38;", "&#92;", "&#+65;", "&#0;",
    "&#xD800;", "&foo;", "&#105;", "&#x110000;", "&Aacute;", "&DownBreve;", "&#x26;", "&#59;",
    "&#\u0663\u0667;",
    "&# 65;", "&amp", "&", ";", "#", "&#",
)  # fmt: skip
ESCAPE_ATOMS = (
    "\\u0025", "\\u0026", "\\x41", "\\u005c", "\\u005C", "\\U0001F600", "\\uD800", "\\U00110000", "\\x5c",
    "\\u00e9", "\\uDC00", "\\U0000D800", "\\", "\\u00", "\\x", "\\n",
)  # fmt: skip
PERCENT_ATOMS = ("%41", "%25", "%C3", "%A9", "%5c", "%26", "%e9", "%FF", "%", "%2", "%%")
FILLERS = ("a", "u", "0025", "\u00e9", "x41", " ", "\n", "37;", "25", "\u3099", "\u304b", "amp;", "=41")
DECODERS: tuple[tuple[str, Callable[[str], str], Callable[[str], str]], ...] = (
    ("entities", decode._entity_decode, reference_entity_decode),
    ("escapes", decode._escape_decode, reference_escape_decode),
    ("url", decode._percent_decode, reference_percent_decode),
)


def periodic_texts(seed: int, count: int) -> Iterator[str]:
    """Texts of a unit repeated (of any atoms: several kinds of markers, fillers), cut at any length,
    sometimes after a few other characters or with an atom put somewhere in them."""
    rng = random.Random(seed)
    atoms = ENTITY_ATOMS + ESCAPE_ATOMS + PERCENT_ATOMS + FILLERS
    for _ in range(count):
        unit = "".join(rng.choice(atoms) for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.2:
            unit *= rng.randint(2, 60)
        size = rng.randint(decode._PERIOD_FROM, 20_000)
        lead = rng.choice(("", "", "x", "\u00e9 ", "ab"))
        text = (lead + unit * (size // len(unit) + 1))[:size]
        if rng.random() < 0.2:
            at = rng.randrange(len(text))
            text = text[:at] + rng.choice(atoms) + text[at:]
        yield text


def literal_walls(seed: int, count: int) -> Iterator[tuple[str, str]]:
    """(kind, text): a few distinct markers of one kind in any order, other text between some of them
    (never a head of that kind: else a wall of literals it is not), sometimes cut or with one stray atom."""
    rng = random.Random(seed)
    kinds = {
        "entities": (ENTITY_ATOMS[:20], "&"),
        "escapes": (ESCAPE_ATOMS[:12], "\\"),
        "url": (PERCENT_ATOMS[:8], "%"),
    }
    for _ in range(count):
        kind = rng.choice(list(kinds))
        atoms, head = kinds[kind]
        pool = [rng.choice(atoms) for _ in range(rng.randint(1, 5))]
        fillers = [
            filler for filler in FILLERS + ENTITY_ATOMS + ESCAPE_ATOMS + PERCENT_ATOMS if head not in filler
        ]
        share = rng.random() * 0.5
        text = "".join(
            rng.choice(pool) + (rng.choice(fillers) if rng.random() < share else "")
            for _ in range(rng.randint(60, 1500))
        )
        if rng.random() < 0.15:
            at = rng.randrange(len(text))
            text = text[:at] + rng.choice((*atoms, head, head + "u00", "&#")) + text[at:]
        if rng.random() < 0.2:
            text = text[: rng.randrange(1, len(text))]
        yield kind, text


@pytest.fixture
def slow_paths(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Turns both shortcuts off (for the path they replace)."""

    def turn_off() -> None:
        monkeypatch.setattr(decode, "_PERIOD_FROM", sys.maxsize)
        monkeypatch.setattr(decode, "_FEW_LITERALS_FROM", sys.maxsize)
        monkeypatch.setattr(decode, "_FEW_ESCAPES_FROM", sys.maxsize)
        monkeypatch.setattr(decode, "_ALTERNATING_FROM", sys.maxsize)

    return turn_off


def taken(monkeypatch: pytest.MonkeyPatch, name: str) -> list[bool]:
    """Records whether each call of ``decode.<name>`` took its shortcut (returned a decoding)."""
    calls: list[bool] = []
    original = getattr(decode, name)

    def recorded(*args: object) -> object:
        result = original(*args)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(decode, name, recorded)
    return calls


def test_periodic_texts_decode_as_the_references(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = taken(monkeypatch, "_periodic_decoded")
    for text in periodic_texts(35, 600):
        for name, decoder, reference in DECODERS:
            assert decoder(text) == reference(text), (name, text[:80])
    assert sum(calls) > 400 and len(calls) - sum(calls) > 100  # both ways, often


def test_literal_walls_decode_as_the_references(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = taken(monkeypatch, "_literals_decoded")
    kinds = []
    for kind, text in literal_walls(36, 1500):
        name, decoder, reference = next(entry for entry in DECODERS if entry[0] == kind)
        before = len(calls)
        assert decoder(text) == reference(text), (name, text[:80])
        kinds += [kind for taken_path in calls[before:] if taken_path]
    assert sum(calls) > 400 and len(calls) - sum(calls) > 300
    assert all(kinds.count(kind) > 50 for kind in ("entities", "escapes", "url"))


def test_shortcuts_change_nothing(slow_paths: Callable[[], None]) -> None:
    texts = list(periodic_texts(37, 200)) + [text for _, text in literal_walls(38, 400)]
    fast = [[decoder(text) for _, decoder, _ in DECODERS] for text in texts]
    slow_paths()
    assert fast == [[decoder(text) for _, decoder, _ in DECODERS] for text in texts]


@pytest.mark.parametrize(
    "text",
    [
        ("&amp;#37;2541\\u0025" * 6000)[:100_000],  # nested encodings, cut in a marker
        "&amp;" * 3000 + "#37;",  # a single literal whose value holds the head: one replace
        ("&amp;&lt;#37;" * 2000),  # two literals, one value holds the head: not by literals
        ("\\u005cu0041\\u0041" * 2000),  # the same with escapes
        ("%2541%41" * 3000),  # and URL markers
        ("%C3%A9" * 3000)[:-3],  # bytes joined across periods, the last one cut
        ("%A9%C3" * 3000),  # decoded bytes that make UTF-8 only across periods
        ("&#x1F600;" * 1000 + "&#xD800;" + "&#x1F600;" * 1000),  # one reference that is no character
        "x" * 5000 + "\\u0041" * 2000,  # text before the period's first head
    ],
)
def test_cases(text: str, slow_paths: Callable[[], None]) -> None:
    fast = [decoder(text) for _, decoder, _ in DECODERS]
    assert fast == [reference(text) for _, _, reference in DECODERS]
    slow_paths()
    assert fast == [decoder(text) for _, decoder, _ in DECODERS]


NAMES = [name[:-1] for name in html.entities.html5 if name.endswith(";")]


def alternating_walls(seed: int, count: int) -> Iterator[str]:
    """References ("&" + a known name, mostly; unknown ones, numeric ones in plain and odd spellings, empty
    and over-long names) with text between them that holds no "&" or ";" (sometimes none, sometimes
    non-ASCII), sometimes a last "&" without ";" or a stray ";"."""
    rng = random.Random(seed)
    others = ("foo", "#105", "#x1F600", "#+65", "#\u0663\u0667", "", "x" * 40, "#0", "#xD800", "AMP", "amp")
    between = ("", "", "0", "12", " ", "x", "\u00e9", "\u3099", "=41", "%41", "\\u0041", "\ud800")
    for _ in range(count):
        unknown = rng.choice((0.0, 0.0, 0.005, 0.05, 0.5))
        parts = [
            "&"
            + (rng.choice(others) if rng.random() < unknown else rng.choice(NAMES))
            + ";"
            + rng.choice(between)
            for _ in range(rng.randint(400, 3000))
        ]
        text = rng.choice(("", "lead ", "\u00e9")) + "".join(parts)
        if rng.random() < 0.2:
            text += "&" + rng.choice(NAMES)
        if rng.random() < 0.1:
            at = rng.randrange(len(text))
            text = text[:at] + ";" + text[at:]
        yield text


def test_alternating_walls_decode_as_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = taken(monkeypatch, "_alternating_decoded")
    for text in alternating_walls(39, 300):
        assert decode._entity_decode(text) == reference_entity_decode(text), text[:80]
    assert sum(calls) > 100 and len(calls) - sum(calls) > 30


def test_alternating_walls_as_without_the_shortcut(slow_paths: Callable[[], None]) -> None:
    texts = list(alternating_walls(40, 120))
    fast = [decode._entity_decode(text) for text in texts]
    slow_paths()
    assert fast == [decode._entity_decode(text) for text in texts]


def finditer_blobs(text: str) -> list[tuple[str, int, int]]:
    """``decode._blob_matches`` as the regex wrapper's ``finditer`` finds them, on the text itself."""
    return [(match.group(0), *match.span()) for match in decode._BLOB_RE.finditer(text)]


def test_blob_matches_as_finditer() -> None:
    rng = random.Random(41)
    pieces = ("QUJD" * 5, "aGVsbG8gd29ybGQh", "69 67 6e 6f 72 65 20 61", "01101001 01100111 01101110 01101111",
              "\u00e9", "\u3099", " ", "=", "==", "-_", "+/", "\n", "x" * 20, "\U0001f600")  # fmt: skip
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        data = text.encode("utf-8")
        expected = finditer_blobs(text)
        assert list(decode._blob_matches(text, data)) == expected
        assert list(decode._blob_matches(text)) == expected


def test_alternating_wall_with_many_odd_spellings(slow_paths: Callable[[], None]) -> None:
    """More than ``_MAX_ODD_REFS`` distinct odd spellings among known names: the same first ones decode."""
    rng = random.Random(42)
    parts = []
    for number in range(24_000):
        name = f"#+{1000 + number}" if rng.random() < 0.03 else rng.choice(NAMES)
        parts.append(f"&{name};{number % 10}")
    text = "".join(parts)
    odd = sum(part.startswith("&#+") for part in parts)
    assert odd > decode._MAX_ODD_REFS
    fast = decode._entity_decode(text)
    slow_paths()
    assert fast == decode._entity_decode(text)
