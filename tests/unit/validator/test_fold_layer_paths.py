"""``fold_layer``'s table path (a translate of each character's own fold, then NFC of the composing
windows) gives exactly the census path's text (NFKD, census, listed characters and lookalikes folded),
and its census of a layer is the census of the layer's NFKD."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.validator import normalize
from services.validator.normalize import fold, fold_layer, fold_lookalikes

LISTED = (*normalize.INVISIBLE_CHARS, *normalize._MARK_CHARS, *normalize._ENCLOSED)
SURROGATES = range(0xD800, 0xE000)


def census_path(text: str) -> str:
    return text if text.isascii() else normalize._fold_layer_census(text)


def uses_table(text: str) -> bool:
    """Whether ``fold_layer`` takes the table path for ``text`` (no CJK compatibility supplement in it)."""
    if text.isascii() or len(text) < normalize._LAYER_TABLE_FROM:
        return False
    groups = normalize._layer_census().present_indexes(normalize._layer_sample(text).encode("utf-8"))
    return len(groups) > normalize._LAYER_TABLE_ABOVE


def test_the_table_holds_each_characters_fold() -> None:
    table = normalize._layer_table()
    assert len(table) == normalize._FOLD_TABLE_END
    for cp in range(normalize._FOLD_TABLE_END):
        if cp in SURROGATES:
            continue
        entry = table[cp]
        assert (chr(entry) if isinstance(entry, int) else entry) == census_path(chr(cp)), hex(cp)


def test_past_the_table_only_listed_ranges_fold() -> None:
    # What the table path does not translate: the CJK compatibility supplement (census path) and the
    # plane 14 carriers (stripped first); every other character past the table folds to itself.
    for cp in range(normalize._FOLD_TABLE_END, 0x110000):
        char = chr(cp)
        if census_path(char) != char:
            assert normalize._PAST_LAYER_TABLE_RE.search(char.encode("utf-8")), hex(cp)
            if normalize._CJK_COMPATIBILITY_SUPPLEMENT_RE.search(char.encode("utf-8")) is None:
                assert census_path(char) == "" and not normalize._strip_carriers(char), hex(cp)


def test_the_layer_census_is_the_census_of_the_nfkd() -> None:
    # Each character stands for the listed characters and lookalikes its NFKD holds: a text's census is
    # its NFKD's (by groups).
    widened = normalize._widened_census_classes()
    keys = normalize._NORMALIZE_CENSUS.keys[: normalize._LOOKALIKE_END]
    census = normalize._layer_census()
    for cp in (*range(0x80, 0x30000), *range(0xE0000, 0xE1000)):
        if cp in SURROGATES:
            continue
        indexes = normalize._NORMALIZE_CENSUS.present_indexes(unicodedata.normalize("NFKD", chr(cp)))
        in_nfkd = [i for i in indexes if i < normalize._LOOKALIKE_END]
        assert [i for i, key in enumerate(keys) if cp in widened[key]] == in_nfkd, hex(cp)
        groups = sorted({i % normalize._LAYER_GROUPS for i in in_nfkd})
        assert census.present_indexes(chr(cp).encode("utf-8")) == groups, hex(cp)


def test_the_sample_spreads_over_the_text() -> None:
    text = "".join(chr(0x4E00 + i) for i in range(40000))
    sample = normalize._layer_sample(text)
    assert len(sample) <= (normalize._LAYER_SAMPLE_SLICES + 1) * normalize._LAYER_SAMPLE_SLICE
    assert sample.startswith(text[: normalize._LAYER_SAMPLE_SLICE]) and sample[-1] in text[-200:]
    assert normalize._layer_sample(text[:3000]) == text[:3000]


def distinct_wall(rng: random.Random, count: int) -> str:
    """Distinct characters of every script, marks and lookalikes included, with ASCII between."""
    return "".join(chr(rng.randint(0xA0, 0x3400)) + rng.choice(("", "g", "ab", " ")) for _ in range(count))


def composing_pieces(rng: random.Random, count: int) -> str:
    """Pieces that compose or reorder across characters once folded: bases, marks of every class kept
    and deleted, invisible characters between marks, lookalikes before composers, jamo, kana voicing."""
    seconds = sorted(normalize._COMPOSITION_SECONDS)
    pool = (
        "a", "e", "\u0430", "\u0435", "\u03b1", "\u0131", "\u0928", "\u0929", "\u09c7", "\u0b47", "\u304b",
        "\u1100", "\u1161", "\u11a8", "\uac00", "\u0301", "\u0323", "\u05b0", "\u0951", "\u093c", "\u3099",
        "\u200b", "\u034f", "\u00ad", "\ufe0f", "\U000e0041", "\U000e0101", "\u2460", "\U0001f150", "\ufb01",
        "\u1e9b", "\u0344", "\u0f73", "\u1cd4", "\u0345", "\u1dc0", "\u20d0", "\ufe20", "\u1ab0", "\u00e9",
    )  # fmt: skip
    return "".join(chr(rng.choice(seconds)) if rng.random() < 0.2 else rng.choice(pool) for _ in range(count))


def table_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = [distinct_wall(rng, rng.choice((1200, 3000))), composing_pieces(rng, rng.choice((50, 3000)))]
        rng.shuffle(parts)
        texts.append("".join(parts))
    return texts


@pytest.mark.parametrize("text", table_texts(5, 30))
def test_the_table_path_equals_the_census_path(text: str) -> None:
    assert uses_table(text)
    assert fold_layer(text) == census_path(text) == fold_lookalikes(fold(text))[0]


@pytest.mark.parametrize(
    "text",
    [
        "".join(chr(0x1000 + i) + "g" for i in range(0x3000)),  # composes (jamo, Myanmar), lookalikes
        "".join(chr(1000 + i) for i in range(14000)),
        "".join(f"{chr(0x100 + i)}&#x;&q" for i in range(12000)),  # few to fold: the census path
        "".join(chr(0x80 + i % 128) + "=" for i in range(20000)),
        "\u0430\u0435\u043e" * 3000 + "\u1100\u1161",
        "".join(chr(1000 + i) for i in range(6000)) + "\U0002f800",  # CJK compatibility supplement: census
        "".join(chr(1000 + i) for i in range(6000)) + "\U000e0041\U000e0042" * 600,  # plane 14 carriers
        "".join(chr(1000 + i) for i in range(6000)) + "".join(f"\U000e0041{i}" for i in range(600)),
        "\u0301" + "".join(chr(1000 + i) for i in range(3000)) + "\u200b\u0301",
        "a".join(LISTED) * 3,
    ],
)
def test_fold_layer_paths_agree(text: str) -> None:
    assert fold_layer(text) == census_path(text) == fold_lookalikes(fold(text))[0]


def test_a_lone_surrogate_takes_the_census_path() -> None:
    text = "".join(chr(1000 + i) for i in range(3000)) + "\ud800"
    with pytest.raises(UnicodeEncodeError):
        census_path(text)
    with pytest.raises(UnicodeEncodeError):
        fold_layer(text)


ALPHABET = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(sorted({*LISTED, *normalize._LOOKALIKES, *map(chr, normalize._COMPOSITION_SECONDS)})),
    st.sampled_from(("a", "e", "\uac00", "\u1100", "\u1161", "\u11a8", "\u0928", "\u304b", "\ufe0f")),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(ALPHABET, min_size=1, max_size=40), min_size=1, max_size=12), st.integers(0, 2**32))
def test_fold_layer_equals_the_census_path_on_random_text(pieces: list[str], seed: int) -> None:
    # Random pieces spread over a wall long and varied enough for the table path.
    rng = random.Random(seed)
    wall = list(distinct_wall(rng, 1200))
    for piece in pieces:
        at = rng.randrange(len(wall) + 1)
        wall[at:at] = piece
    text = "".join(wall)
    assert fold_layer(text) == census_path(text)


@pytest.mark.parametrize("seed", range(4))
def test_the_table_paths_windows_compose_as_nfc(seed: int) -> None:
    # Texts made of characters' folds (what the table path composes): composers alone, in runs and out of
    # canonical order, after characters whose NFD ends with a mark (U+0929, U+304C) or a jamo (U+AC00).
    rng = random.Random(seed)
    pool = [
        *map(chr, range(0x80, 0x3400)),
        *map(chr, sorted(normalize._COMPOSITION_SECONDS)),
        *map(chr, sorted(normalize._COMPOSITION_SECONDS)),
        *"ae\u0430\u0929\u0931\u304c\u30d0\uac00\uac01\u1100\u1e9b\u1cd4\U00016ff0\U0001d15f",
    ]
    table = normalize._layer_table()
    windows = normalize._layer_compose_windows()
    for _ in range(200):
        text = "".join(rng.choice(pool) for _ in range(rng.choice((40, 400, 4000)))).translate(table)
        assert normalize._compose(text, 0, windows) == unicodedata.normalize("NFC", text)


@pytest.mark.parametrize(
    "text",
    [
        "\u304b\u3099" * 3000,  # NFKD, composes: not NFKC
        "a\u0951" * 3000,  # NFKD, composers that compose with nothing: NFKC
        "\u1100\u1161\u11a8" * 2000,
        "\u0928\u093c" * 100 + "\u4e00",
        "\u0951a" + "\u05b0\u0591" * 50,  # out of canonical order
        "\u304b\u3099\u200b",  # something folded away: checked
        "\u304c",  # not NFKD
    ],
)
def test_the_nfkc_note_of_an_nfkd_text_is_whether_folding_changed_it(text: str) -> None:
    notes = [note.kind for note in normalize.normalize(text).notes]
    assert ("nfkc" in notes) == (not unicodedata.is_normalized("NFKC", text))


def test_warm_up_builds_the_lazy_tables() -> None:
    from services.validator import decode, normalize
    from services.validator.engine import ValidatorEngine

    builders = (normalize._fold_table, normalize._layer_census, normalize._layer_table,
                normalize._layer_compose_windows, decode._named_finders, decode._plain_counts)  # fmt: skip
    engine = ValidatorEngine()
    engine.warm_up()
    for builder in builders:
        assert builder.cache_info().currsize == 1  # type: ignore[attr-defined]
    assert len(engine._scanner._narrow_compiled) == len(engine._scanner._narrow)
