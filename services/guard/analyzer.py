"""One RE2 pass over a text for every recognizer, then overlap resolution.

All patterns are compiled once into an ``re2.Set``; a text is matched against
the set once, and only the patterns that matched are run again (``finditer``)
for positions. Findings that overlap are resolved by score, then by length.

``pending_start`` answers the streaming question: from where on could later
text still complete an entity? It matches every recognizer's TAIL at the end
of the text (one RE2 search for the short ones).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import re2

from services.guard.recognizers.base import (
    CONTEXT_WINDOW_CHARS,
    NEGATIVE_CONTEXT_WINDOW_CHARS,
    Candidate,
    Pattern,
    PatternRecognizer,
)
from services.guard.recognizers.registry import CANARY_ENTITY

# Counted repetitions above this are not allowed by RE2; longer TAILs use "+"
# and are capped by MAX_LEN in code.
_RE2_MAX_REPEAT = 1000
# Context words are lower-case ASCII letters and digits; everything else separates them.
_SEPARATORS = str.maketrans({chr(code): " " for code in range(128) if not chr(code).isalnum()})
_ASCII_SEPARATORS = bytes(code if chr(code).isalnum() else ord(" ") for code in range(128)) + bytes(
    range(128, 256)
)
# Bounded repetitions above this become unbounded in the prefilter set: the set
# only has to say "may match", and small programs keep its DFA in memory.
_PREFILTER_MAX_BOUND = 16
_BOUNDED_REPEAT = re2.compile(r"\{(\d+),(\d+)\}")
_SET_MAX_MEM = 64 << 20
# The short TAILs are first matched with bounds over this opened (a small,
# fast DFA); a match no longer than this used no opened bound past its limit,
# so it is also the exact TAILs' earliest match. Longer ones are re-checked
# with the exact TAILs (counted repetitions up to 1000 make a DFA whose states
# are costly to build).
_TAIL_FAST_BOUND = 192


def relax_for_prefilter(regex: str, max_bound: int = _PREFILTER_MAX_BOUND) -> str:
    """``regex`` with ``{m,n}`` bounds over ``max_bound`` opened to ``{m,}``: matches a superset."""

    def open_bound(match: re2._Match) -> str:
        low, high = int(match.group(1)), int(match.group(2))
        return match.group(0) if high <= max_bound else f"{{{low},}}"

    return _BOUNDED_REPEAT.sub(open_bound, regex)


@dataclass(frozen=True)
class ScanResult:
    """Everything found from ``pos`` on: raw pattern match spans and judged candidates."""

    raw_spans: list[tuple[int, int]]
    candidates: list[Candidate]


@dataclass(frozen=True)
class _CompiledPattern:
    recognizer: PatternRecognizer
    pattern: Pattern
    regex: re2._Regexp
    # The compiled RE2 object under the wrapper: its ``Match`` returns spans
    # without building a match object per hit (the wrapper's per-match cost
    # dominated a scan).
    raw: _RawRegexp
    trims: bool
    uses_context: bool
    name: str


class _RawRegexp(Protocol):
    def Match(self, anchor: int, text: bytes, pos: int, endpos: int) -> list[tuple[int, int]]: ...


_UNANCHORED = re2._Anchor.UNANCHORED
_NO_TOKENS: tuple[str, ...] = ()


class Analyzer:
    """Runs a fixed set of recognizers; built once at start-up and shared."""

    def __init__(self, recognizers: Sequence[PatternRecognizer]) -> None:
        self.recognizers = list(recognizers)
        self.entity_types = frozenset(recognizer.ENTITY for recognizer in self.recognizers)
        self._patterns: list[_CompiledPattern] = []
        options = re2.Options()
        options.max_mem = _SET_MAX_MEM
        self._set = re2.Set.SearchSet(options)
        for recognizer in self.recognizers:
            for pattern in recognizer.PATTERNS:
                index = self._set.Add(relax_for_prefilter(pattern.regex))
                assert index == len(self._patterns)
                regex = re2.compile(pattern.regex)
                trims = type(recognizer).trim is not PatternRecognizer.trim
                uses_context = bool(recognizer.CONTEXT or recognizer.NEGATIVE_CONTEXT)
                self._patterns.append(
                    _CompiledPattern(
                        recognizer, pattern, regex, regex._regexp, trims, uses_context, recognizer.name
                    )
                )
        # Recognizers that need a context word are skipped when no token of the
        # text ends with one (a superset of "a match's window holds one"). These
        # checks share the pattern set: one RE2 pass answers both.
        self._context_required: list[str] = []
        for recognizer in self.recognizers:
            if recognizer.CONTEXT_REQUIRED:
                words = "|".join(sorted(recognizer.CONTEXT))
                self._set.Add(f"(?i)(?:{words})(?:[^A-Za-z0-9]|\\z)")
                self._context_required.append(recognizer.name)
        self._set.Compile()
        # The compiled set under the wrapper (its Match adds a Python frame per call).
        self._set_match = self._set._set.Match
        self._pattern_count = len(self._patterns)
        self._plans = [
            (
                compiled.recognizer.ENTITY,
                compiled.raw.Match,
                compiled.pattern.group,
                compiled.trims,
                compiled.uses_context,
                compiled.recognizer.CONTEXT_REQUIRED,
                compiled.name,
                compiled.recognizer,
                compiled.pattern,
                compiled.recognizer.CONTEXT,
                compiled.recognizer.NEGATIVE_CONTEXT,
                # score_ceiling by (has context, negative context), indexed 2 * context + negative.
                tuple(
                    compiled.recognizer.score_ceiling(compiled.pattern, context, negative)
                    for context in (False, True)
                    for negative in (False, True)
                ),
            )
            for compiled in self._patterns
        ]
        short = [r for r in self.recognizers if r.MAX_LEN <= _RE2_MAX_REPEAT]
        self._short_tail = re2.compile("(?:" + "|".join(f"(?:{r.TAIL})" for r in short) + r")\z", options)
        self._short_tail_fast = re2.compile(
            "(?:" + "|".join(f"(?:{relax_for_prefilter(r.TAIL, _TAIL_FAST_BOUND)})" for r in short) + r")\z",
            options,
        )
        # Long entities (JWT, PEM) start with a fixed marker; their TAIL only runs
        # when the marker is in the buffer (shorter prefixes are covered by the
        # short TAILs, e.g. URL's "any non-space run").
        self._long_tails = [
            (re2.compile(f"(?:{r.TAIL})\\z", options), r.MAX_LEN, r.START_MARKER)
            for r in self.recognizers
            if r.MAX_LEN > _RE2_MAX_REPEAT
        ]
        self._marker_prefix_tail = re2.compile(
            "(?:"
            + "|".join(f"(?:{r.MARKER_PREFIX_TAIL})" for r in self.recognizers if r.MARKER_PREFIX_TAIL)
            + r")\z",
            options,
        )
        self._marker_prefix_len = max((r.MARKER_PREFIX_LEN for r in self.recognizers), default=0)
        self.max_entity_len = max(r.MAX_LEN for r in self.recognizers)

    def scan(
        self,
        text: str,
        pos: int,
        entities: frozenset[str],
        canaries: Sequence[str] = (),
        min_score: float = 0.0,
        judge_before: int | None = None,
        want_raw_spans: bool = True,
    ) -> ScanResult:
        """Matches starting at or after ``pos``; ``text[:pos]`` is only context.

        Matches starting at or after ``judge_before`` are returned as raw spans
        only (streaming discards them). Recognizers may skip costly validation
        of matches that cannot reach ``min_score``. ``want_raw_spans=False``
        (whole-text redaction) leaves ``raw_spans`` empty.
        """
        judge_limit = len(text) if judge_before is None else judge_before
        raw_spans: list[tuple[int, int]] = []
        candidates: list[Candidate] = []
        # RE2 runs on UTF-8 bytes (the str API re-encodes the text on every match);
        # byte offsets are mapped back to code points (identity for ASCII text).
        data = text.encode("utf-8", "surrogatepass")
        matched = self._set_match(data)
        if matched:
            offsets = None if len(data) == len(text) else _Utf8Offsets(text, data)
            pattern_count = self._pattern_count
            matched.sort()
            with_context: set[str] | None = None
            byte_pos = pos if offsets is None else offsets.to_byte(pos)
            endpos = len(data)
            add_raw = raw_spans.append
            add_candidate = candidates.append
            # Lower-cased text with separators as spaces, for context windows
            # (made on first use): slicing it equals folding the slice when the
            # text is ASCII.
            folded = ""
            for index in matched:
                if index >= pattern_count:
                    break
                (
                    entity,
                    match,
                    group,
                    trims,
                    uses_context,
                    context_required,
                    name,
                    recognizer,
                    pattern,
                    context_words,
                    negative_words,
                    ceilings,
                ) = self._plans[index]
                if entity not in entities:
                    continue
                if context_required:
                    if with_context is None:
                        with_context = {
                            self._context_required[i - pattern_count] for i in matched if i >= pattern_count
                        }
                    if name not in with_context:
                        continue
                judge = recognizer.judge
                search_pos = byte_pos
                while True:
                    # re2 finditer on bytes, without a match object per hit.
                    spans = match(_UNANCHORED, data, search_pos, endpos)
                    whole = spans[0]
                    match_end = whole[1]
                    if match_end < 0:
                        break
                    if search_pos == endpos:
                        search_pos = -1
                    elif search_pos == match_end:
                        search_pos += 1
                    else:
                        search_pos = match_end
                    if offsets is None:
                        if want_raw_spans:
                            add_raw(whole)
                        start, end = spans[group] if group else whole
                        if start < 0 or start >= judge_limit:
                            if search_pos < 0:
                                break
                            continue
                    else:
                        if want_raw_spans:
                            add_raw((offsets.to_char(whole[0]), offsets.to_char(match_end)))
                        byte_start, byte_end = spans[group]
                        if byte_start < 0:
                            if search_pos < 0:
                                break
                            continue
                        start, end = offsets.to_char(byte_start), offsets.to_char(byte_end)
                        if start >= judge_limit:
                            if search_pos < 0:
                                break
                            continue
                    value = text[start:end]
                    if trims:
                        end = start + recognizer.trim(value)
                        if end <= start:
                            if search_pos < 0:
                                break
                            continue
                        value = text[start:end]
                    if uses_context:
                        window_start = start - CONTEXT_WINDOW_CHARS if start > CONTEXT_WINDOW_CHARS else 0
                        if offsets is None:
                            if not folded:
                                folded = data.lower().translate(_ASCII_SEPARATORS).decode("ascii")
                            window = folded[window_start:start]
                        else:
                            window = text[window_start:start].lower().translate(_SEPARATORS)
                        tokens = window.split()
                        near = window[-NEGATIVE_CONTEXT_WINDOW_CHARS:].split()
                        has_context = not context_words.isdisjoint(tokens)
                        negative = not negative_words.isdisjoint(near)
                        # What judge would return None for without validating (see score_ceiling).
                        if (context_required and not has_context) or ceilings[
                            2 * has_context + negative
                        ] < min_score:
                            score = None
                        else:
                            score = judge(value, pattern, tokens, near, min_score)
                    elif ceilings[0] < min_score:
                        score = None
                    else:
                        score = judge(value, pattern, _NO_TOKENS, _NO_TOKENS, min_score)
                    if score is not None:
                        add_candidate(Candidate(entity, start, end, score, name))
                    if search_pos < 0:
                        break
        for canary in canaries:
            found = text.find(canary, pos)
            while found >= 0:
                end = found + len(canary)
                raw_spans.append((found, end))
                candidates.append(Candidate(CANARY_ENTITY, found, end, 1.0, "CanaryMatcher"))
                found = text.find(canary, end)
        return ScanResult(raw_spans, candidates)

    def pending_start(self, text: str, pos: int, canaries: Sequence[str] = ()) -> int:
        """Smallest index >= ``pos`` where later text could still complete an entity.

        ``len(text)`` when nothing at the end of ``text`` could grow into one.
        """
        length = len(text)
        # TAILs never look behind, so searching from an offset of the whole
        # text equals searching the slice; ASCII texts are encoded once here.
        data = text.encode("utf-8", "surrogatepass")
        ascii_data = data if len(data) == length else None
        start = self._short_tail_start(text, pos, ascii_data)
        for regex, max_len, marker in self._long_tails:
            window_start = max(pos, length - max_len)
            if text.find(marker, window_start) >= 0:
                start = min(start, _tail_start(regex, text, window_start, ascii_data))
        if self._marker_prefix_len:
            window_start = max(pos, length - self._marker_prefix_len)
            if text.find("-", window_start) >= 0:
                start = min(start, _tail_start(self._marker_prefix_tail, text, window_start, ascii_data))
        for canary in canaries:
            for size in range(min(len(canary) - 1, length - pos), 0, -1):
                if text.endswith(canary[:size]):
                    start = min(start, length - size)
                    break
        return max(start, pos)

    def short_tail_start(self, text: str, pos: int) -> int:
        """Earliest match of the short TAILs at the end of ``text[pos:]``; len(text) if none."""
        return self._short_tail_start(text, pos, None)

    def _short_tail_start(self, text: str, pos: int, ascii_data: bytes | None) -> int:
        start = _tail_start(self._short_tail_fast, text, pos, ascii_data)
        if len(text) - start > _TAIL_FAST_BOUND:
            # The exact TAILs match a subset, so their earliest match is not before.
            start = _tail_start(self._short_tail, text, start, ascii_data)
        return start


def _tail_start(regex: re2._Regexp, text: str, window_start: int, ascii_data: bytes | None = None) -> int:
    """Where ``regex`` (anchored at the end) starts in ``text[window_start:]``; len(text) if nowhere.

    ``ascii_data``: ``text`` encoded, when it is ASCII (offsets are the same).
    """
    if ascii_data is not None:
        match_start = regex._regexp.Match(_UNANCHORED, ascii_data, window_start, len(ascii_data))[0][0]
        return len(text) if match_start < 0 else match_start
    window = text[window_start:]
    data = window.encode("utf-8", "surrogatepass")
    match_start = regex._regexp.Match(_UNANCHORED, data, 0, len(data))[0][0]
    if match_start < 0:
        return len(text)
    if len(data) == len(window):
        return window_start + match_start
    return window_start + len(data[:match_start].decode("utf-8", "surrogatepass"))


class _Utf8Offsets:
    """A text's UTF-8 bytes and byte <-> code point offset conversion (identity for ASCII)."""

    def __init__(self, text: str, data: bytes) -> None:
        self.text = text
        self.data = data
        self.ascii = len(self.data) == len(text)
        self._byte_to_char: dict[int, int] = {0: 0}

    def to_byte(self, char_offset: int) -> int:
        if self.ascii:
            return char_offset
        return len(self.text[:char_offset].encode("utf-8", "surrogatepass"))

    def to_char(self, byte_offset: int) -> int:
        if self.ascii:
            return byte_offset
        cached = self._byte_to_char.get(byte_offset)
        if cached is None:
            cached = len(self.data[:byte_offset].decode("utf-8", "surrogatepass"))
            self._byte_to_char[byte_offset] = cached
        return cached


def resolve_overlaps(candidates: Iterable[Candidate], min_score: float) -> list[Candidate]:
    """Keep the best of overlapping candidates: higher score, then longer, then earlier.

    Candidates under ``min_score`` are dropped first, so they never hide others.
    Returned in text order.
    """
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
