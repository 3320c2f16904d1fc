"""Folding splits at ASCII characters both ways (``normalize.fold_layer``'s docstring), and the two folds it
saves for decoded layers, each checked against ``fold_layer`` itself: layers decoded in place from a layer
that folds to itself, with the source's runs (``layers._layer_view``), and entity layers folded token by
token (``decode._tokens_folded``); then the views of whole inputs with and without both."""

from __future__ import annotations

import html.entities
import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.validator_corpus import adversarial_inputs
from services.validator import decode, layers, normalize
from services.validator.engine import ValidatorEngine, _without_surrogates
from services.validator.layers import build_views
from services.validator.normalize import fold_layer
from services.validator.normalize import normalize as normalize_text
from tests.unit.validator.test_layer_sharing import TRICKY

ASCII = [chr(code) for code in range(128)]
NAMES = [name for name in html.entities.html5 if name.endswith(";")]
# Characters past the tricky ones: lookalikes, surviving composers, their composites, marks, symbols.
OTHERS = (
    *TRICKY, "\u0410", "\u0435", "\u0391", "\u3099", "\u309a", "\u304c", "\u0338", "\u2260", "\u226e",
    "\u2242", "\u20d2", "\u2aed", "\U0001d504", "\u00bd", "\u00c6", "\ufffd", "\x12",
)  # fmt: skip


def test_no_ascii_character_composes_with_what_folding_leaves() -> None:
    """Every canonical pair whose first is ASCII has a second that folding deletes."""
    seconds = set()
    for code in range(0x80, 0x30000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<") and int(parts[0], 16) < 0x80:
            seconds.add(chr(int(parts[1], 16)))
    assert seconds and all(fold_layer(second) == "" for second in seconds)
    assert not any(char in normalize._LOOKALIKES or fold_layer(char) != char for char in ASCII)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ASCII), st.lists(st.sampled_from(OTHERS + tuple("ab=<> ")), max_size=12))
def test_fold_splits_after_an_ascii_character(char: str, rest: list[str]) -> None:
    tail = "".join(rest)
    assert fold_layer(char + tail) == char + fold_layer(tail)


def runs_folded(text: str) -> str:
    """``text`` with each maximal run of non-ASCII characters folded on its own."""
    out, run = [], []
    for char in text:
        if char.isascii():
            out.append(fold_layer("".join(run)) + char)
            run = []
        else:
            run.append(char)
    return "".join(out) + fold_layer("".join(run))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(OTHERS + tuple("ab=< %\\")), max_size=40))
def test_fold_is_the_runs_folded(chars: list[str]) -> None:
    text = "".join(chars)
    assert fold_layer(text) == runs_folded(text)


def chained_layers(seed: int, count: int) -> list[str]:
    """Long texts of non-ASCII runs (folding or not) between ASCII with URL, quoted-printable, escape and
    entity markers (ASCII and not), some of them soft line breaks."""
    rng = random.Random(seed)
    markers = (
        "%41", "%25", "%C3%A9", "%CC%81", "%E3%82%99", "%0a", "=41", "=3D", "=C3=A9", "=\n", "=\r\n", "=",
        "\\u0041", "\\u0301", "\\u3099", "&amp;", "&eacute;", "&#769;", "&#x3099;", "&lt;", "12", " ",
    )  # fmt: skip
    texts = []
    for _ in range(count):
        pieces = []
        for _ in range(rng.randint(200, 1500)):
            pieces.append(
                rng.choice(markers) if rng.random() < 0.4 else rng.choice(OTHERS) * rng.randint(1, 3)
            )
        texts.append("".join(pieces))
    return texts


KINDS = {
    "url": lambda text: decode._percent_decode(text),
    "quoted_printable": lambda text: decode._text_and_utf8(decode.a2b_qp(text.encode("utf-8")))[0],
    "escapes": decode._escape_decode,
    "html_entities": decode._entity_decode,
}


def test_layers_decoded_in_place_fold_as_fold_layer() -> None:
    shortcuts = 0
    for text in chained_layers(35, 24):
        folded = fold_layer(text)
        source = layers._Layer(folded, None if folded.isascii() else folded.encode("utf-8"), folded == text)
        stack = [(source, 0)]
        while stack:
            layer, depth = stack.pop()
            if layer.folds_to_itself:
                assert fold_layer(layer.text) == layer.text
            for kind, decoder in KINDS.items():
                child = decoder(layer.text)
                if child == layer.text:
                    continue
                view = layers._layer_view(child, kind, layer)
                assert view.text == fold_layer(child), kind
                assert view.data == (None if view.text.isascii() else view.text.encode("utf-8"))
                shortcuts += view.text is child and fold_layer(child) is not child
                if depth < 2:
                    stack.append((view, depth + 1))
    assert shortcuts > 20


def names_with_tails(seed: int, count: int) -> list[str]:
    """Walls of distinct "&name;" + tail parts: tails that keep "&" and ";" alternating, tails with a ";"
    (cut into tokens instead), tails that put two references side by side or hold numeric ones."""
    rng = random.Random(seed)
    groups = (
        (" ", "x", "=", "%", "\n", "ab", ""),
        ("a;b", " ", "c;d", "1"),
        ("", ";", "&", "&#1;", " "),
    )
    texts = []
    for number in range(count):
        tails = groups[number % 3]
        parts = [f"&{rng.choice(NAMES)}{i}{rng.choice(tails)}" for i in range(rng.randint(800, 3000))]
        texts.append("".join(parts))
    return texts


def test_entity_layers_folded_by_tokens_fold_as_fold_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    paths: list[str] = []
    for name in ("_tokens_folded", "_value_folds"):
        original = getattr(decode, name)

        def recorded(*args: object, _original: object = original, _name: str = name) -> object:
            paths.append(_name)
            return _original(*args)  # type: ignore[operator]

        monkeypatch.setattr(decode, name, recorded)
    folded_by_tokens = 0
    for text in [*names_with_tails(36, 45), adversarial_inputs()["entity_names_with_tails"]]:
        data = text.encode("ascii")
        for item in decode.decode_in_place(text, data):
            if item.kind != "html_entities":
                continue
            if item.folded is not None:
                folded_by_tokens += 1
                assert item.folded == fold_layer(item.text)
                assert fold_layer(item.folded) == item.folded
    assert folded_by_tokens >= 25
    # Both paths: by tokens (``_tokens_folded``) and alternating (``_value_folds`` alone).
    assert (
        paths.count("_tokens_folded") >= 5
        and paths.count("_value_folds") - paths.count("_tokens_folded") >= 5
    )


def inputs() -> list[str]:
    found = list(adversarial_inputs().values())
    found += chained_layers(37, 4) + names_with_tails(38, 4)
    found += [
        "".join(f"&percnt;{i}&eacute;%C3%A9&equals;{i:X}\u00e9" for i in range(3000)),
        "".join(f"&Aacute;=4{i % 10}&equals;\n&ka;=C3=A9{i}" for i in range(3000)),
        "".join(f"&#12363;%E3%82%99{i}&#12363;\u3099%41" for i in range(3000)),
    ]
    return found


def views_of(engine: ValidatorEngine, text: str) -> tuple[object, ...]:
    plain, data = _without_surrogates(text)
    norm = normalize_text(plain, data)
    _, hints = engine._scanner.match(norm.skeleton)
    views = build_views(norm, engine._limits, hints, engine._scan_hints({}))
    return tuple((v.text, v.transformed) for v in views.views), tuple(views.decodings), tuple(views.notes)


def test_views_as_without_the_shortcuts(
    warm_engine: ValidatorEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = inputs()
    fast = [views_of(warm_engine, text) for text in texts]

    def always_folded(text: str, kind: str, source: object, folded: object = None) -> layers._Layer:
        view = fold_layer(text)
        return layers._Layer(view, None if view.isascii() else view.encode("utf-8"), False)

    monkeypatch.setattr(layers, "_layer_view", always_folded)
    monkeypatch.setattr(decode, "_PERIOD_FROM", 1 << 62)
    monkeypatch.setattr(decode, "_FEW_LITERALS_FROM", 1 << 62)
    monkeypatch.setattr(decode, "_TOKEN_FOLD_FROM", 1 << 62)
    assert fast == [views_of(warm_engine, text) for text in texts]
