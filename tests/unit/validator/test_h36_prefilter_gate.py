"""Long decoded layers prefiltered before their Set passes (``PatternScanner._gated``), their UTF-8 handed on
from the decoder to the Set passes, and the entity-wall fold's check made on the text: each gives exactly
the answers of the path it shortens (differential tests against the ungated scanner and the old checks)."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.validator_corpus import adversarial_inputs, novel_benign_prompts
from services.validator import decode, layers, scanner
from services.validator.engine import ValidatorEngine
from services.validator.normalize import LEET_TABLE
from tests.unit.validator.cases import ATTACKS

ENGINE = ValidatorEngine()
SCANNER = ENGINE._scanner
ATTACK_TEXTS = [text for _, texts in ATTACKS.values() for text in texts]
NAMES = sorted(name[:-1] for name in decode._HTML5 if name.endswith(";"))


def _entity_wall(rng: random.Random, size: int, attack: str | None = None) -> str:
    """``&name;tail`` references with digits after them (the bench's entity_names_with_tails), with
    ``attack`` planted at a random place."""
    parts = [f"&{rng.choice(NAMES)};{rng.randint(0, 9999)}" for _ in range(size // 9)]
    if attack is not None:
        parts.insert(rng.randrange(len(parts) + 1), attack)
    return "".join(parts)


def _layers_of(text: str) -> list[str]:
    """The texts of the views ``ValidatorEngine.find`` builds for ``text``."""
    views: list[str] = []
    original = scanner.PatternScanner.locate_in_views

    def spy(self: scanner.PatternScanner, first, found_views, cache=None):  # type: ignore[no-untyped-def]
        views.extend(view.text for view in found_views)
        return original(self, first, found_views, cache)

    scanner.PatternScanner.locate_in_views = spy  # type: ignore[method-assign]
    try:
        ENGINE.find(text)
    finally:
        scanner.PatternScanner.locate_in_views = original  # type: ignore[method-assign]
    return views


def test_unfiltered_entries_are_those_the_prefilter_never_rules_out() -> None:
    unfiltered = SCANNER._unfiltered
    assert unfiltered  # the hints (no literal in "blob", "leet", ...) at least
    for text in ("", "zzzz", "\u2200" * 100, "0123456789"):
        assert unfiltered.issuperset(SCANNER._prefilter.Match(text.encode(), potential=True) or ())
    [(_, members)] = SCANNER._unfiltered_sets
    assert members == sorted(unfiltered)


def test_prefilter_keeps_every_entry_that_matches() -> None:
    """Soundness on texts that match rules: every Set entry matching a text is among the prefilter's
    potentials for it (the attacks of the case corpus, alone, inside an entity wall's decoding, upper-cased,
    and with their letters swapped for lookalikes that fold to them)."""
    rng = random.Random(36)
    entries = [re2.compile(entry) for entry in SCANNER._entries]
    texts: list[str] = []
    for attack in ATTACK_TEXTS:
        texts += [attack, attack.upper(), attack.title()]
        for view in _layers_of(_entity_wall(rng, 4000, attack))[2:3]:
            texts.append(view)
    checked = 0
    for text in texts:
        encoded = text.encode()
        potential = set(SCANNER._prefilter.Match(encoded, potential=True) or ())
        for number, entry in enumerate(entries):
            if entry.search(encoded) is not None:
                checked += 1
                assert number in potential, (number, text[:80])
    assert checked > len(ATTACK_TEXTS)


def test_prefilter_literals_fold_like_re2() -> None:
    """re2's prefilter lower-cases the literals it requires and finds them case-insensitively: a literal
    with any cased character (non-ASCII too: Turkish, Greek, Kelvin sign, long s) and each spelling re2's
    case-insensitive match accepts for it keeps the regex."""
    cased = [chr(code) for code in range(0x41, 0x2D00) if chr(code).upper() != chr(code) or chr(code).lower() != chr(code)]
    cased += ["\u212a", "\u017f", "\u0130", "\u0131", "\u1e9e", "\u2126"]
    prefilter = re2.Filter()
    patterns: list[str] = []
    for char in cased:
        for pattern in (re2.escape(char) + "qzxw", "(?i)" + re2.escape(char) + "qzxw"):
            prefilter.Add(pattern)
            patterns.append(pattern)
    prefilter.Compile()
    for number, pattern in enumerate(patterns):
        char = cased[number // 2]
        for spelling in {char, char.upper(), char.lower(), char.casefold(), char.swapcase()}:
            text = f"ab {spelling}qzxw cd"
            if re2.search(pattern, text) is not None:
                assert number in (prefilter.Match(text.encode(), potential=True) or ()), (pattern, spelling)


def _both_ways(text: str) -> None:
    gated = SCANNER._prefiltered(text)
    assert gated == SCANNER._confirmed(text), text[:80]


@pytest.mark.parametrize("name", sorted(adversarial_inputs()))
def test_bench_shapes_views_gated_like_ungated(name: str) -> None:
    for view in _layers_of(adversarial_inputs()[name]):
        _both_ways(view)


@pytest.mark.parametrize("seed", range(3))
def test_entity_walls_with_attacks_gated_like_ungated(seed: int, worker: ThreadPoolExecutor) -> None:
    """Attacks inside 40 KB walls (their samples hold no atom: the whole text's prefilter decides)."""
    rng = random.Random(seed)
    for attack in [None, *rng.sample(ATTACK_TEXTS, 6)]:
        text = _entity_wall(rng, 40_000, attack)
        for view in _layers_of(text):
            _both_ways(view)


def test_short_texts_gated_like_ungated(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate on every text (its threshold lowered), one thread: attacks, their pieces in symbol walls."""
    monkeypatch.setattr(scanner, "_GATE_MIN_BYTES", 0)
    rng = random.Random(7)
    for attack in ATTACK_TEXTS:
        words = attack.split()
        for _ in range(4):
            noise = "".join(rng.choice("\u2200\u2261\u00c6\u05d0 0123456789%=&;") for _ in range(rng.randint(0, 60)))
            cut = rng.randrange(len(words) + 1)
            _both_ways(noise + " ".join(words[:cut]) + noise + " ".join(words[cut:]))
        _both_ways(attack)


_ALPHABET = st.sampled_from(
    [*"abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?'\"<>|[]{}()#%=&\n\\/_-",
     "\u2200", "\u00e9", "\u0130", "\u0131", "\u212a", "\u017f", "\u03a3", "\u0436", "\u00df", "\u200b"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.one_of(_ALPHABET, st.sampled_from(ATTACK_TEXTS), st.sampled_from(NAMES)), max_size=40),
    st.sampled_from([1, 8, scanner._GATE_SAMPLE]),
)
def test_generated_texts_gated_like_ungated(pieces: list[str], sample: int) -> None:
    """Every text gated (threshold 0); with 1- and 8-byte samples, the prefilter of the whole text decides."""
    original = scanner._GATE_MIN_BYTES, scanner._GATE_SAMPLE
    scanner._GATE_MIN_BYTES, scanner._GATE_SAMPLE = 0, sample
    try:
        _both_ways("".join(pieces))
    finally:
        scanner._GATE_MIN_BYTES, scanner._GATE_SAMPLE = original


def test_entity_wall_layers_pass_the_gate() -> None:
    """What the gate is for: the decoded layers of a wall of names with digits after them hold no atom of
    a filtered entry (one Set and the prefilter instead of six Sets). (Its skeleton's leetspeak view, which was
    not gated, is gone since the fifteenth session: no word in the wall is written in leetspeak.)"""
    views = _layers_of(adversarial_inputs()["entity_names_with_tails"])
    decoded = [view for view in views if not view.isascii()]
    # (Four since the fourteenth session: quoted-printable keeps "==", so a decoding's "=" no longer makes
    # markers for a second quoted-printable decoding.)
    assert len(decoded) >= 4
    for view in decoded:
        assert SCANNER._gated(view, view.encode()) is not None
    assert len(views) == len(decoded) + 1  # the skeleton and its decoded layers, no leetspeak view


def test_gate_with_a_few_sets_of_the_six(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts whose prefilter returns entries of one or two of the six Sets besides the unfiltered ones: those
    Sets and the unfiltered one report what the six report (an access key id, single rule words, attacks
    planted in the middle of entity walls' decodings)."""
    monkeypatch.setattr(scanner, "_GATE_SAMPLE", 1)  # the whole text's prefilter decides
    rng = random.Random(5)
    plants = ["AKIAIOSFODNN7EXAMPLE", "ignore", "system prompt", "developer mode", *rng.sample(ATTACK_TEXTS, 8)]
    partial = 0
    for plant in plants:
        for view in _layers_of(_entity_wall(rng, 40_000, plant))[2:]:
            encoded = view.encode()
            extra = set(SCANNER._prefilter.Match(encoded, potential=True) or ()) - SCANNER._unfiltered
            gated = SCANNER._gated(view, encoded)
            if gated is not None:
                assert gated == SCANNER._confirmed(view), plant
                partial += bool(extra)
    assert partial >= 3


def test_every_view_of_a_corpus_gated_like_ungated(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gate forced on every view (threshold 0, 1-byte samples: the whole text's prefilter decides) of
    new 2 KB benign texts, the case corpus's attacks and the bench's shapes: the same answers."""
    texts = novel_benign_prompts(150) + ATTACK_TEXTS + [text[:20_000] for text in adversarial_inputs().values()]
    views = {view for text in texts for view in (text, *_layers_of(text))}
    monkeypatch.setattr(scanner, "_GATE_MIN_BYTES", 0)
    monkeypatch.setattr(scanner, "_GATE_SAMPLE", 1)
    gated = 0
    for view in views:
        _both_ways(view)
        gated += SCANNER._gated(view, view.encode("utf-8", "surrogatepass")) is not None
    assert gated >= 20


def test_findings_with_and_without_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole evaluations: the same findings (spans and decodings) with the gate and with it off."""
    rng = random.Random(11)
    texts = [_entity_wall(rng, 30_000, attack) for attack in [None, *rng.sample(ATTACK_TEXTS, 5)]]
    texts += [adversarial_inputs()[name] for name in ("entity_names_with_tails", "html5_names", "url_noise")]
    gated = [ENGINE.find(text) for text in texts]
    monkeypatch.setattr(scanner, "_GATE_MIN_BYTES", 1 << 40)
    assert [ENGINE.find(text) for text in texts] == gated


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_text_and_utf8(raw: bytes) -> None:
    text, utf8 = decode._text_and_utf8(raw)
    assert text == raw.decode("utf-8", errors="replace")
    if utf8 is not None:
        assert utf8 == text.encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("%=3D0Fa9\u00e9\u2200 x\r\n")), max_size=60))
def test_decodings_carry_their_utf8(text: str) -> None:
    for item in decode.decode_in_place(text):
        if item.utf8 is not None:
            assert item.utf8 == item.text.encode("utf-8")


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(NAMES[:50]), st.sampled_from(["", "1", "ab", "0 "])), min_size=1, max_size=30),
    st.booleans(),
)
def test_text_between_references_check(parts: list[tuple[str, str]], cut_off: bool) -> None:
    """The fold's condition read on the text (no ";&" before the last ";") is the old one read on the
    parts (no empty text between two references)."""
    text = "".join(f"&{name};{tail}" for name, tail in parts) + ("&amp" if cut_off else "")
    pieces = text.replace("&", ";").split(";")
    if cut_off:
        pieces.pop()
    refs = len(parts)
    old = "" not in pieces[2 : 2 * refs - 1 : 2]
    assert (text.find(";&", 0, text.rfind(";") + 1) < 0) == old


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_leet_by_bytes_is_leet_by_str(text: str) -> None:
    """The leetspeak view of an ASCII skeleton by ``bytes.translate`` is ``str.translate(LEET_TABLE)``."""
    every = "".join(map(chr, range(128)))
    for sample in (text, every):
        by_bytes = sample.encode("ascii").translate(layers._LEET_BYTES).decode("ascii")
        assert by_bytes == sample.translate(LEET_TABLE)


def test_prefilter_from_threads() -> None:
    """The prefilter answers the same from several threads at once (a server's requests share it)."""
    rng = random.Random(1)
    texts = [" ".join(rng.choice(attack.split()) for _ in range(2000)).encode() for attack in ATTACK_TEXTS[:40]]
    expected = [SCANNER._prefilter.Match(text, potential=True) for text in texts]
    with ThreadPoolExecutor(4) as pool:
        for _ in range(10):
            assert list(pool.map(lambda text: SCANNER._prefilter.Match(text, potential=True), texts)) == expected
