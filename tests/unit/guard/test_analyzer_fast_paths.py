"""The analyzer's shortcuts change nothing: min-score skips, the fast TAIL, ASCII offsets."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from services.guard.analyzer import _tail_start, resolve_overlaps
from services.guard.recognizers.registry import ENTITY_TYPES
from tests.unit.guard.engine import analyzer
from tests.unit.guard.test_streaming import texts

# Long runs exercise the exact-TAIL fallback (matches longer than the fast bound).
_LONG_RUNS = [
    "https://example.com/" + "a" * 300,
    "user.name" * 40 + "@example.org",
    "password=" + "Zx9" * 80,
    "4111 1111 1111 1111 " * 3,
    "x" * 1200,
    "€" * 5 + "b" * 400,
]
long_texts = st.lists(st.one_of(texts, st.sampled_from(_LONG_RUNS)), max_size=4).map(" ".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(texts, long_texts))
def test_min_score_skips_keep_findings(text: str) -> None:
    engine = analyzer()
    skipped = engine.scan(text, 0, ENTITY_TYPES, (), 0.5)
    full = engine.scan(text, 0, ENTITY_TYPES, (), 0.0)
    assert resolve_overlaps(skipped.candidates, 0.5) == resolve_overlaps(full.candidates, 0.5)
    assert sorted(skipped.raw_spans) == sorted(full.raw_spans)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(texts, long_texts), data=st.data())
def test_fast_tail_equals_exact_tail(text: str, data: st.DataObject) -> None:
    engine = analyzer()
    pos = data.draw(st.integers(0, len(text)))
    assert engine.short_tail_start(text, pos) == _tail_start(engine._short_tail, text, pos)
    if text.isascii():  # pending_start searches the encoded text from an offset
        assert engine._short_tail_start(text, pos, text.encode()) == engine.short_tail_start(text, pos)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_non_ascii_text_gives_the_same_spans(text: str) -> None:
    assume(text.isascii())
    engine = analyzer()
    ascii_text = "$\n" + text
    other = "€\n" + text
    first = resolve_overlaps(engine.scan(ascii_text, 0, ENTITY_TYPES, (), 0.5).candidates, 0.5)
    second = resolve_overlaps(engine.scan(other, 0, ENTITY_TYPES, (), 0.5).candidates, 0.5)
    assert [(c.entity_type, c.start, c.end, c.score) for c in first] == [
        (c.entity_type, c.start, c.end, c.score) for c in second
    ]
