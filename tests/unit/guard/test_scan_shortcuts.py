"""Whole-text scan shortcuts change nothing: context gates, judge_flags, overlap fast path, constructors.

``scan(..., want_raw_spans=False)`` (whole-text redaction) skips patterns whose
matches cannot reach ``min_score`` and, for patterns that need a context word
at that score, searches them only when a context word precedes a match within
the window (the "gate"). With raw spans wanted nothing is skipped, so the two
must give the same candidates, in the same order.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
import re2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.guard.analyzer import resolve_overlaps
from services.guard.operators import OperatorKind
from services.guard.recognizers.base import CONTEXT_WINDOW_CHARS, Candidate, new_candidate
from services.guard.recognizers.registry import ENTITY_TYPES, default_recognizers
from services.guard.redactor import AppliedRedaction, _new_applied_redaction
from tests.unit.guard.engine import analyzer
from tests.unit.guard.test_streaming import texts

MIN_SCORES = (0.0, 0.2, 0.3, 0.45, 0.5, 0.6, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0)
_CONTEXT_WORDS = sorted({word for r in default_recognizers() for word in r.CONTEXT | r.NEGATIVE_CONTEXT})
_VALUES = [
    "4155552671",
    "14155552671",
    "2125550123",
    "(212) 555-0123",
    "212-555-0123",
    "+1 415 555 2671",
    "+44 20 7946 0958",
    "020 7946 0958",
    "1234567890",
    "123456789",
    "D7603137",
    "10.127.114.12",
    "2001:db8::1",
    "1.25.3.1",
    "03/04/1990",
    "1990-04-03",
]
_GAPS = [" ", "  ", "\n", ": ", ", ", "-", "é", "日本", "\u212a", "İ", "\ud800", "x", "1", "  \t"]


def _word(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(_CONTEXT_WORDS))
    style = draw(st.sampled_from(("lower", "upper", "title", "kelvin")))
    if style == "upper":
        return word.upper()
    if style == "title":
        return word.title()
    if style == "kelvin":
        return word.replace("k", "\u212a")
    return word


@st.composite
def context_texts(draw: st.DrawFn) -> str:
    """Context words and values at every distance around the window's edge."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(("word", "value", "gap", "pad", "prefix")))
        if kind == "word":
            parts.append(_word(draw))
        elif kind == "value":
            parts.append(draw(st.sampled_from(_VALUES)))
        elif kind == "gap":
            parts.append(draw(st.sampled_from(_GAPS)))
        elif kind == "pad":
            parts.append(draw(st.sampled_from((" ", "a", "é", "-"))) * draw(st.integers(0, 60)))
        else:
            parts.append(draw(st.sampled_from(("smart", "re", "x", "9"))))
    return "".join(parts)


def _assert_same_candidates(text: str, min_score: float) -> None:
    engine = analyzer()
    full = engine.scan(text, 0, ENTITY_TYPES, (), min_score)
    gated = engine.scan(text, 0, ENTITY_TYPES, (), min_score, want_raw_spans=False)
    assert gated.candidates == full.candidates
    assert gated.raw_spans == []


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(context_texts(), texts), min_score=st.sampled_from(MIN_SCORES))
def test_gated_scan_gives_the_same_candidates(text: str, min_score: float) -> None:
    _assert_same_candidates(text, min_score)


@pytest.mark.parametrize("min_score", [0.5, 0.8, 0.85, 0.95])
@pytest.mark.parametrize("word", ["call", "Phone", "TEXT", "ip", "host", "from"])
@pytest.mark.parametrize("filler", [" ", "é", "日"])
def test_context_word_at_every_distance(min_score: float, word: str, filler: str) -> None:
    for distance in range(CONTEXT_WINDOW_CHARS + 6):
        for prefix in ("", "smart", "x "):
            for value in ("4155552671", "(212) 555-0123", "+1 415 555 2671", "10.127.114.12"):
                text = prefix + word + filler * distance + value
                _assert_same_candidates(text, min_score)
                _assert_same_candidates("order " + text, min_score)


def test_gate_keeps_a_phone_number_with_context_and_drops_one_without() -> None:
    engine = analyzer()
    near = engine.scan("call me at 4155552671", 0, ENTITY_TYPES, (), 0.5, want_raw_spans=False)
    assert [(c.entity_type, c.start, c.end) for c in near.candidates] == [("PHONE_NUMBER", 11, 21)]
    far = engine.scan("call me. " + "x" * 60 + " 4155552671", 0, ENTITY_TYPES, (), 0.5, want_raw_spans=False)
    assert far.candidates == []


def test_judge_flags_equals_judge() -> None:
    rng = random.Random(5)
    values = [*_VALUES, "4111 1111 1111 1111", "123-45-6789", "AKIAIOSFODNN7EXAMPLE", "x"]
    for recognizer in default_recognizers():
        words = [*sorted(recognizer.CONTEXT | recognizer.NEGATIVE_CONTEXT), "plain"]
        for pattern in recognizer.PATTERNS:
            for value in values:
                for _ in range(6):
                    tokens = rng.sample(words, k=min(len(words), rng.randint(0, 2)))
                    near = rng.sample(words, k=min(len(words), rng.randint(0, 2)))
                    min_score = rng.choice(MIN_SCORES)
                    has_context = not recognizer.CONTEXT.isdisjoint(tokens)
                    negative = not recognizer.NEGATIVE_CONTEXT.isdisjoint(near)
                    assert _outcome(recognizer.judge, value, pattern, tokens, near, min_score) == _outcome(
                        recognizer.judge_flags, value, pattern, has_context, negative, min_score
                    )


def _outcome(function: Callable[..., float | None], *args: object) -> tuple[str, object]:
    """The result, or the exception type (validators assume values shaped by their pattern)."""
    try:
        return "returned", function(*args)
    except Exception as exc:
        return "raised", type(exc)


def _reference_resolve(candidates: list[Candidate], min_score: float) -> list[Candidate]:
    """resolve_overlaps before its no-overlap fast path."""
    best: dict[tuple[str, int, int], Candidate] = {}
    for candidate in candidates:
        if candidate.score < min_score:
            continue
        key = (candidate.entity_type, candidate.start, candidate.end)
        if key not in best or best[key].score < candidate.score:
            best[key] = candidate
    if len(best) <= 1:
        return list(best.values())
    ordered = sorted(best.values(), key=lambda c: (-c.score, -(c.end - c.start), c.start, c.entity_type))
    accepted: list[Candidate] = []
    for candidate in ordered:
        if all(candidate.end <= kept.start or candidate.start >= kept.end for kept in accepted):
            accepted.append(candidate)
    accepted.sort(key=lambda c: c.start)
    return accepted


def test_resolve_overlaps_fast_path_equals_reference() -> None:
    rng = random.Random(11)
    for _ in range(20000):
        candidates = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randint(0, 40)
            candidates.append(
                Candidate(
                    rng.choice(("A", "B", "C")),
                    start,
                    start + rng.randint(0, 8),
                    rng.choice((0.3, 0.5, 0.75, 1.0)),
                    rng.choice(("R1", "R2")),
                )
            )
        min_score = rng.choice((0.0, 0.5))
        assert resolve_overlaps(candidates, min_score) == _reference_resolve(candidates, min_score)


def test_fast_constructors_build_equal_objects() -> None:
    assert new_candidate("X", 1, 2, 0.5, "R") == Candidate("X", 1, 2, 0.5, "R")
    assert repr(new_candidate("X", 1, 2, 0.5, "R")) == repr(Candidate("X", 1, 2, 0.5, "R"))
    assert hash(new_candidate("X", 1, 2, 0.5, "R")) == hash(Candidate("X", 1, 2, 0.5, "R"))
    fast = _new_applied_redaction("X", 1, 2, 0.5, OperatorKind.MASK, "R", 3, 4)
    slow = AppliedRedaction("X", 1, 2, 0.5, OperatorKind.MASK, "R", 3, 4)
    assert fast == slow
    assert list(vars(fast).items()) == list(vars(slow).items())
    with pytest.raises(AttributeError):
        fast.start = 5  # type: ignore[misc]


def test_any_character_in_the_gate_gap_is_one_code_point() -> None:
    """The gates' ``(?s:.)`` matches each code point as one, lone surrogates included."""
    any_char = re2.compile(r"(?s:.)")._regexp
    anchor = re2._Anchor.ANCHOR_BOTH
    for code in [*range(0, 0x3000), *range(0xD800, 0xE000), *range(0xFFF0, 0x10100), 0x10FFFF]:
        data = chr(code).encode("utf-8", "surrogatepass")
        assert any_char.Match(anchor, data, 0, len(data))[0][1] == len(data), hex(code)


def test_only_the_kelvin_sign_and_dotted_i_lower_case_to_ascii_alphanumerics() -> None:
    """Why a context token always comes from characters that ``(?i:word)`` matches."""
    found = [
        code
        for code in range(128, 0x110000)
        if any(char.isascii() and char.isalnum() for char in chr(code).lower())
    ]
    assert found == [0x130, 0x212A]
    # U+0130 lower-cases to "i" + U+0307, which stays in the token: never a context word.
    assert not "\u0130".lower().isascii()
    assert re2.search("(?i:key)", "\u212aey") is not None
