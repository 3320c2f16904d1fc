"""Patterns with large counted repetitions: the relaxed + anchored search finds what the exact search finds.

The analyzer searches such patterns (URLs, JWTs, tokens, connection strings,
keyword assignments) with a relaxed pattern for the leftmost possible start,
then matches the exact pattern anchored there (``_StartFinder``): on long
non-space runs the exact unanchored search is ~40 ms per KB. These tests check
it against the exact unanchored search, match for match (groups included),
and whole scans (candidates and raw spans) against an analyzer that uses the
exact searches.
"""

from __future__ import annotations

import random

import pytest
import re2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.common.regex_tools import rewrite_counted_repeats
from services.guard.analyzer import (
    Analyzer,
    _StartFinder,
    _tail_start,
    _without_groups,
    needs_start_finder,
    start_finder_regex,
)
from services.guard.recognizers.registry import ENTITY_TYPES, default_recognizers

_UNANCHORED = re2._Anchor.UNANCHORED
_PATTERNS = [pattern for recognizer in default_recognizers() for pattern in recognizer.PATTERNS]
_LONG = [p for p in _PATTERNS if needs_start_finder(p.regex)]
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _scaled(regex: str) -> str:
    """``regex`` with every counted bound cut to a few characters (short texts then pass them)."""

    def cut(low: int, high: int | None) -> str | None:
        if high is None:
            return None
        scaled = max(2, high // 60)
        return f"{{{min(low, scaled)},{scaled}}}"

    return rewrite_counted_repeats(regex, cut)


def _all_matches(match: object, data: bytes, pos: int) -> list[list[tuple[int, int]]]:
    """Every search from ``pos`` on, stepping as Analyzer.scan does."""
    found = []
    endpos = len(data)
    while True:
        spans = match(_UNANCHORED, data, pos, endpos)  # type: ignore[operator]
        found.append(spans)
        end = spans[0][1]
        if end < 0 or pos == endpos:
            return found
        pos = pos + 1 if pos == end else end


def test_the_long_patterns_are_the_expected_ones() -> None:
    names = sorted(p.name for p in _LONG)
    assert {"url_scheme", "url_www", "jwt", "keyword_assignment", "uri_with_password", "email"} <= set(names)


def test_finder_regex_is_a_group_free_superset() -> None:
    assert _without_groups(r"a(b)[(]\(c(?:d)(?i:e)") == r"a(?:b)[(]\(c(?:d)(?i:e)"
    assert _without_groups(r"[]()](x)[^]()]") == r"[]()](?:x)[^]()]"
    assert start_finder_regex(r"\bx{1,990}y{2,5}(z{0,200})") == r"\bx{1,}?y{2,5}(?:z{0,}?)"
    assert start_finder_regex(r"x{1,990}y{2,5}", 100) == r"x{1,}?y{2,5}"
    for pattern in _PATTERNS:
        assert re2.compile(start_finder_regex(pattern.regex)).groups == 0


_PIECES = [
    "https://",
    "http://",
    "www.",
    "eyJ",
    ".eyJ",
    "eyJ-",
    "ghp_",
    "github_pat_",
    "sk-proj-",
    "xoxb-",
    "sk_live_",
    "whsec_",
    "password=",
    "api_key: '",
    "postgres://",
    "mysql://",
    ":",
    "@",
    "/",
    ".",
    "-",
    "_",
    "=",
    " ",
    "é",
    "ab",
    "Z9",
    "a.b",
    "x@y.com",
]
long_run_texts = st.lists(
    st.one_of(
        st.sampled_from(_PIECES),
        st.builds(lambda char, count: char * count, st.sampled_from("aZ9=_-./+é"), st.integers(1, 40)),
    ),
    max_size=24,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=long_run_texts, pos=st.integers(0, 30))
def test_scaled_patterns_match_as_the_exact_search(text: str, pos: int) -> None:
    # Bounds cut to a few characters and every bound over 2 relaxed: many
    # relaxed starts where the exact pattern does not match (and the fallback).
    data = text.encode("utf-8", "surrogatepass")
    pos = min(pos, len(data))
    for pattern in _PATTERNS:
        regex = _scaled(pattern.regex)
        exact = re2.compile(regex)._regexp.Match
        finder = _StartFinder(regex, re2.Options(), max_bound=2).Match
        assert _all_matches(finder, data, pos) == _all_matches(exact, data, pos), pattern.name


def _long_run_text(rng: random.Random) -> str:
    def run(alphabet: str, low: int, high: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))

    pieces = [
        lambda: "https://example.com/" + run(_B64 + "%&=?.", 950, 1100),
        lambda: (
            "[![b](https://img.shields.io/x.svg?logo=data:image/png;base64," + run(_B64, 300, 1200) + ")]"
        ),
        lambda: "www." + run(_B64[:62], 60, 66) + "." + run(_B64, 980, 1010),
        lambda: (
            "eyJ" + run(_B64[:62] + "-_", 995, 1005) + ".eyJ" + run(_B64[:62], 3, 8) + "." + run("ab", 0, 9)
        ),
        lambda: "eyJ-" * rng.randint(240, 260) + ".eyJabcdef.sig",
        lambda: "ghp_" + run(_B64[:62], 248, 254) + " sk-proj-" + run(_B64[:62], 248, 254),
        lambda: "xoxb-" + run(_B64[:62] + "-", 248, 254) + " sk_live_" + run(_B64[:62], 245, 250),
        lambda: "password=" + run(_B64, 198, 203) + " token: " + run(_B64, 5, 9),
        lambda: "postgres://" + run("abc", 126, 130) + ":" + run("xyz", 254, 258) + "@" + run("h.", 250, 260),
        lambda: run("a.b", 60, 70) + "@example.com",
        lambda: "=" * rng.randint(100, 1200),
        lambda: run(_B64, 100, 1500) + "é",
    ]
    return " ".join(rng.choice(pieces)() for _ in range(rng.randint(1, 3)))


_RNG = random.Random(17)
_LONG_TEXTS = [_long_run_text(_RNG) for _ in range(24)]


@pytest.mark.parametrize("text", _LONG_TEXTS[:8])
def test_real_patterns_match_as_the_exact_search(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    for pattern in _LONG:
        exact = re2.compile(pattern.regex)._regexp.Match
        finder = _StartFinder(pattern.regex, re2.Options()).Match
        for pos in (0, 1, len(data) // 3):
            assert _all_matches(finder, data, pos) == _all_matches(exact, data, pos), pattern.name


def _exact_analyzer() -> Analyzer:
    """An analyzer whose pattern searches are the plain exact unanchored ones."""
    reference = Analyzer(default_recognizers())
    reference._plans = [
        (plan[0], compiled.regex._regexp.Match, *plan[2:])
        for plan, compiled in zip(reference._plans, reference._patterns, strict=True)
    ]
    return reference


def test_scans_match_the_exact_searches_on_long_runs() -> None:
    ours = Analyzer(default_recognizers())
    assert any(isinstance(compiled.raw, _StartFinder) for compiled in ours._patterns)
    reference = _exact_analyzer()
    for text in _LONG_TEXTS:
        for pos in (0, 5):
            for min_score, raw in ((0.0, True), (0.5, True), (0.5, False), (0.9, False)):
                got = ours.scan(text, pos, ENTITY_TYPES, (), min_score, want_raw_spans=raw)
                want = reference.scan(text, pos, ENTITY_TYPES, (), min_score, want_raw_spans=raw)
                assert got == want


def test_short_tails_match_the_exact_union_at_the_end_of_long_runs() -> None:
    # Past the fast TAILs' bound the exact TAILs run one by one, some as their
    # relaxed form in a window (see Analyzer.__init__): same earliest start.
    engine = Analyzer(default_recognizers())
    rng = random.Random(5)
    for text in _LONG_TEXTS[:12]:
        for cut in (rng.randint(0, len(text)), len(text)):
            head = text[:cut]
            for pos in (0, max(0, cut - 1500)):
                want = _tail_start(engine._short_tail, head, pos)
                assert engine.short_tail_start(head, pos) == want
                if head.isascii():
                    assert engine._short_tail_start(head, pos, head.encode()) == want


@pytest.mark.parametrize(
    "text",
    [
        "x eyJ-" + "eyJ-" * 400 + ".eyJabcdefgh.sig tail",
        "eyJ" + "a" * 1001 + ".eyJabcdef.x " + "eyJ-" * 300 + ".eyJabcdef.y",
        "a." * 700 + "b@example.com " + "c" * 70 + "@example.org x@y.io",
        "ghp_" + "a" * 252 + " ghp_" + "b" * 40 + " " + "password=" + "Z9+" * 100,
    ],
)
def test_many_misses_fall_back_to_the_exact_search(text: str) -> None:
    # Relaxed starts where the exact pattern does not match (runs past its
    # bounds) cost a re-scan each; past a budget the exact search takes over.
    data = text.encode()
    for pattern in _LONG:
        exact = re2.compile(pattern.regex)._regexp.Match
        finder = _StartFinder(pattern.regex, re2.Options()).Match
        assert _all_matches(finder, data, 0) == _all_matches(exact, data, 0), pattern.name


def test_keyword_tail_candidates_at_the_end_of_runs() -> None:
    # The GENERIC_SECRET TAIL is checked candidate by candidate (relaxed, then exact).
    engine = Analyzer(default_recognizers())
    rng = random.Random(9)
    for _ in range(60):
        name = rng.choice(["password", "api_key", "x", "Token_" + "a" * rng.randint(40, 60), ""])
        value = "".join(rng.choice(_B64 + "=:é -'") for _ in range(rng.randint(150, 450)))
        text = rng.choice(["", "see ", "é "]) + name + rng.choice(["=", ": ", " = '", ":"]) + value
        for pos in (0, len(text) // 2):
            assert engine.short_tail_start(text, pos) == _tail_start(engine._short_tail, text, pos)
