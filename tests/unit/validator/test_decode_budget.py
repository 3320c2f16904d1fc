"""In-place decodings made knowing the caller's budget: a URL or escape decoding whose length has a lower
bound over the budget is not made (``decode._percent_over``, ``decode._escape_decoded_min_len``), and
``layers.build_views`` takes the decodings one at a time so each is made knowing the budget the ones
before left; an escape layer's entity decoding is not made when entity and escape decoding commute on its
source (``decode.entity_escape_commute``: that decoding is its entity sibling's escape decoding). Checked
against the decoders themselves, the reference decoders, and ``build_views`` with the shortcuts off."""

from __future__ import annotations

import random

import pytest

from bench.validator_corpus import adversarial_inputs
from services.validator import decode, layers
from services.validator.engine import ValidatorEngine, _without_surrogates
from services.validator.normalize import normalize
from tests.unit.validator.reference import reference_entity_decode
from tests.unit.validator.test_adversarial_paths import reference_escape_decode

PIECES = (
    "\\u0041", "\\u00e9", "\\uD83D", "\\uDE00", "\\ud83d\\ude00", "\\x41", "\\xZ1", "\\U0001F600", "\\U00110000",
    "\\U0000D800", "\\U0010FFFF", "\\\\", "\\n", "\\", "\\u12", "u0041", "%41", "&amp;", "&#92;", "=5C", "\u00e9",
    "\ud800", "\U0001f600", "a", " ", "x", "U", "0", "%41", "%e9%80", "%C3%A9", "%%", "%4",
)  # fmt: skip


def escape_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 60))) for _ in range(count)]


def test_min_len_is_a_lower_bound() -> None:
    for text in escape_texts(1, 3000):
        assert decode._escape_decoded_min_len(text) <= len(decode._escape_decode(text)), repr(text)


PERCENT_PIECES = ("%41", "%25", "%e9", "%C3%A9", "%F0%9F%98%80", "%FF", "%8", "%%41", "%", "%zz", "a", "41", " ", "%7f")


@pytest.mark.parametrize("seed", range(3))
def test_percent_over_is_sure(seed: int) -> None:
    rng = random.Random(seed)
    said = 0
    for _ in range(3000):
        text = "".join(rng.choices(PERCENT_PIECES, k=rng.randint(0, 50)))
        length = len(decode._percent_decode(text))
        for limit in {0, length - 1, length, rng.randint(0, len(text) + 1)}:
            if decode._percent_over(text.encode("ascii"), limit):
                said += 1
                assert length > limit, repr(text)
    assert said > 1000


def test_min_len_is_exact_for_valid_escapes() -> None:
    text = "%41\\u0025" * 500 + "\\x41\\U0001F600"
    assert decode._escape_decoded_min_len(text) == len(decode._escape_decode(text))


@pytest.mark.parametrize("seed", range(4))
def test_in_place_drops_only_escapes_over_the_budget(seed: int) -> None:
    rng = random.Random(seed)
    for text in escape_texts(seed + 10, 500):
        text = text.replace("\ud800", "\ufffd")  # no lone surrogate reaches the decoders (the engine's)
        whole = list(decode.decode_in_place(text))
        for limit in {0, len(text) // 3, len(text) // 2, len(text) - 1, len(text), rng.randint(0, len(text) + 1)}:
            bounded = list(decode.decode_in_place(text, None, lambda limit=limit: limit))
            # Only URL and escape decodings over the limit are left out.
            kept = iter(bounded)
            following = next(kept, None)
            for item in whole:
                if item == following:
                    following = next(kept, None)
                else:
                    assert item.kind in ("url", "escapes") and len(item.text) > limit, repr(text)
            assert following is None, repr(text)


def view_set(views: layers.ViewSet) -> tuple[object, ...]:
    return ([v.text for v in views.views], views.decodings, views.notes, [m(0, 1) for m in views.span_maps])


@pytest.mark.parametrize(
    "text",
    [
        *(adversarial_inputs()[name] for name in ("nested_mixed_encodings", "entity_names_with_tails")),
        "&amp;#37;2541\\u0025" * 300,
        ("\\u0025\\u0034\\u0031" + "&amp;#92;u0041" + "%5Cu0041") * 400,
        "".join(escape_texts(99, 200)).replace("\ud800", "") * 3,
    ],
)
def test_build_views_as_without_the_bound(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = ValidatorEngine()
    norm = normalize(*_without_surrogates(text))
    plain = decode.decode_in_place
    for limits in (layers.DecodeLimits(), layers.DecodeLimits(max_total_chars=len(text))):
        fast = view_set(layers.build_views(norm, limits))
        with monkeypatch.context() as patch:
            patch.setattr(decode, "decode_in_place", lambda text, data=None, _max=None, _entities=True, f=plain: f(text, data))
            assert view_set(layers.build_views(norm, limits)) == fast
    assert engine.find(text) is not None


COMMUTE_PIECES = (
    "&amp;", "&amp", "&lt;", "&#37;", "&#x26;", "&#92;", "&bsol;", "&not", "&notin;", "&#+1;", "&", ";", "#", "x",
    "\\u0041", "\\u0026", "\\x26", "\\x3b", "\\u003b", "\\U00000026", "\\u00", "\\", "\\\\", "\\uD800", "25", "41",
    "%25", "a", "n", "in", " ", "0", "u", "U", "amp", "&a" + "b" * 30 + ";", "b" * 20,
)  # fmt: skip


def commute_texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        pieces = rng.choices(COMMUTE_PIECES, k=rng.randint(1, 24))
        if rng.random() < 0.5:  # sparse: long plain runs keep references away from backslashes
            pieces = [piece + "z" * rng.choice((0, 3, 9, 40)) for piece in pieces]
        texts.append("".join(pieces))
    return texts


@pytest.mark.parametrize("seed", range(6))
def test_entity_escape_commute(seed: int) -> None:
    said = 0
    for text in commute_texts(seed, 3000):
        entities, escapes = decode._entity_decode(text), decode._escape_decode(text)
        if decode.entity_escape_commute(text, entities, escapes):
            said += 1
            assert decode._entity_decode(escapes) == decode._escape_decode(entities), repr(text)
            assert reference_entity_decode(reference_escape_decode(text)) == reference_escape_decode(
                reference_entity_decode(text)
            ), repr(text)
    assert said > 300  # the check is not vacuous


def test_commute_on_nested_encodings() -> None:
    text = "&amp;#37;2541\\u0025" * 50
    assert decode.entity_escape_commute(text, decode._entity_decode(text), decode._escape_decode(text))
    for spoiled in ("&not\\u0069n;", "\\u00&#52;1", "\\u0026amp;", "&#92;u0041", "&bsol;x41", "\\U0&#48;000041"):
        text = "&amp;#37;2541\\u0025" * 5 + spoiled
        entities, escapes = decode._entity_decode(text), decode._escape_decode(text)
        assert not decode.entity_escape_commute(text, entities, escapes), spoiled


@pytest.mark.parametrize("seed", range(3))
def test_build_views_as_without_commuting(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    texts = [
        "".join(rng.choices(commute_texts(seed + 50, 40), k=rng.randint(1, 40))) * rng.choice((1, 20, 200))
        for _ in range(30)
    ]
    # Texts where the two often commute (references and escapes apart), now and then spoiled.
    friendly = ("&amp;", "&lt;", "&#37;", "&amp;#37;", "\\u0041", "\\x41", "\\u0025", "zzzz", " ", "%25", "2541")
    spoilers = ("&#92;", "\\u0026", "&not", "\\u00&#52;1", "\\u003b", "&amp;#92;u0041")
    for _ in range(40):
        units = rng.choices(friendly, k=rng.randint(2, 12))
        if rng.random() < 0.3:
            units.insert(rng.randint(0, len(units)), rng.choice(spoilers))
        texts.append("".join(units) * rng.choice((1, 30, 300)))
    texts += [adversarial_inputs()["nested_mixed_encodings"], "&amp;#92;u0041\\u0026amp;" * 500]
    for text in texts:
        norm = normalize(*_without_surrogates(text))
        for limits in (layers.DecodeLimits(), layers.DecodeLimits(max_total_chars=len(text) * 2)):
            fast = view_set(layers.build_views(norm, limits))
            with monkeypatch.context() as patch:
                patch.setattr(decode, "entity_escape_commute", lambda *_: False)
                assert view_set(layers.build_views(norm, limits)) == fast, repr(text[:200])
