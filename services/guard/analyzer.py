"""One RE2 pass over a text for every recognizer, then overlap resolution.

All patterns are compiled once into an ``re2.Set``; a text is matched against
the set once, and only the patterns that matched are run again (``finditer``)
for positions. Findings that overlap are resolved by score, then by length.

Whole-text redaction wants candidates only (no raw spans), so it also skips
patterns none of whose matches can reach the policy's ``min_score``, and
searches a pattern that needs a context word at that score (a bare ten-digit
number) only if a "context gate" matches: a context word, at most the context
window, then the pattern. Streaming needs every raw span and skips neither.

Patterns with large counted repetitions (URLs, JWTs, tokens, e-mail) find
their leftmost start with a relaxed pattern, then match exactly from there
(``_StartFinder``): searched unanchored over long non-space runs (base64 data
URLs), the exact patterns made RE2 simulate its NFA (tens of ms per KB).

``pending_start`` answers the streaming question: from where on could later
text still complete an entity? It matches every recognizer's TAIL at the end
of the text (one RE2 search for the short ones).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Protocol

import re2

from services.common.regex_tools import counted_repeats, rewrite_counted_repeats
from services.guard.recognizers.base import (
    CONTEXT_WINDOW_CHARS,
    NEGATIVE_CONTEXT_WINDOW_CHARS,
    Candidate,
    Pattern,
    PatternRecognizer,
    new_candidate,
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
_SET_MAX_MEM = 64 << 20
# A TAIL that is one optional character class, then one class repeated {m,n}.
_CLASS_RUN_TAIL = re2.compile(r"(\[(?:[^\]\\]|\\.)+\])?(\[(?:[^\]\\]|\\.)+\])\{(\d+),(\d+)\}")
# The short TAILs are first matched with bounds over this opened (a small,
# fast DFA); a match no longer than this used no opened bound past its limit,
# so it is also the exact TAILs' earliest match. Longer ones are re-checked
# with the exact TAILs (counted repetitions up to 1000 make a DFA whose states
# are costly to build).
_TAIL_FAST_BOUND = 192
# Patterns whose counted repetitions add up to more than this are searched in
# two steps (see _StartFinder): an unanchored search over a long run with such
# a pattern keeps a counter per overlapping start alive, its DFA runs out of
# memory and RE2 falls back to simulating the NFA (~40 ms per KB of a base64
# data URL for URLs; e-mail's nested {0,61} in {1,8} ~0.3 ms per KB of runs).
_FINDER_BOUND = 100
# Bounds over this are opened in the relaxed pattern that finds the starts.
_FINDER_RELAX_BOUND = 8
# RE2 memory of those patterns (default 8 MB): where the exact search takes
# over (many misses, e.g. "eyJ-eyJ-..." past JWT's bounds), its DFA states then
# stay cached (long-run docs, warm: JWT 860 -> 4 µs/KB; ~5 MB more RSS).
_FINDER_MAX_MEM = 32 << 20


def relax_for_prefilter(regex: str, max_bound: int = _PREFILTER_MAX_BOUND) -> str:
    """``regex`` with ``{m,n}`` bounds over ``max_bound`` opened to ``{m,}``: matches a superset."""
    return rewrite_counted_repeats(
        regex, lambda low, high: f"{{{low},}}" if high is not None and high > max_bound else None
    )


def needs_start_finder(regex: str) -> bool:
    """Whether ``regex`` is searched with a ``_StartFinder`` (large counted repetitions)."""
    return _bounds_sum(regex) > _FINDER_BOUND


def _bounds_sum(regex: str) -> int:
    """The upper bounds of the ``{m,n}`` repeats of ``regex``, summed."""
    return sum(high for _, _, _, high in counted_repeats(regex) if high is not None)


def start_finder_regex(regex: str, max_bound: int = _FINDER_RELAX_BOUND) -> str:
    """``regex`` with ``{m,n}`` bounds over ``max_bound`` opened to lazy ``{m,}?`` and no capture groups.

    Matches a superset of ``regex`` (so it starts wherever ``regex`` can), and
    only its start is used: lazy repetitions let RE2's forward scan stop at the
    shortest match, and without groups RE2 needs no submatch pass.
    """
    return rewrite_counted_repeats(
        _without_groups(regex),
        lambda low, high: f"{{{low},}}?" if high is not None and high > max_bound else None,
    )


def _without_groups(regex: str) -> str:
    """``regex`` with every capture group ``(`` turned into ``(?:`` (escapes and classes skipped)."""
    out = []
    index, length, in_class = 0, len(regex), False
    while index < length:
        char = regex[index]
        if char == "\\":
            out.append(regex[index : index + 2])
            index += 2
            continue
        if in_class:
            if char == "]" and regex[index - 1] != "[" and regex[index - 2 : index] != "[^":
                in_class = False
        elif char == "[":
            in_class = True
        elif char == "(" and regex[index + 1 : index + 2] != "?":
            out.append("(?:")
            index += 1
            continue
        out.append(char)
        index += 1
    return "".join(out)


class _StartFinder:
    """The leftmost match of a pattern with large counted repetitions, in time linear in the text.

    ``Match(anchor, data, pos, endpos)`` answers as the exact pattern's
    unanchored search from ``pos`` does (same spans, groups included). A
    relaxed pattern (``start_finder_regex``: a superset, small DFA) gives the
    leftmost position where the exact pattern could start; the exact pattern
    is then matched anchored there (one start: no counters of overlapping
    starts). At the same start, leftmost-first semantics pick the same match
    anchored or not, and no exact match starts before (it would be a relaxed
    one). Where the exact pattern does not match, the relaxed search goes on
    one byte later. Such misses (a run longer than the exact bound) re-scan;
    once they cost more than the progress made, the exact search takes over
    (as before this class existed: correct, only slower).
    """

    def __init__(self, regex: str, options: re2.Options, max_bound: int = _FINDER_RELAX_BOUND) -> None:
        self.regex = regex
        self._finder: _RawRegexp = re2.compile(start_finder_regex(regex, max_bound), options)._regexp
        exact = re2.compile(regex, options)
        self._exact: _RawRegexp = exact._regexp
        self._no_match = [(-1, -1)] * (exact.groups + 1)
        # About the most one anchored miss may scan (bytes), for the budget of misses.
        self._miss_cost = len(regex) + _bounds_sum(regex) * 4

    def Match(self, anchor: int, data: bytes, pos: int, endpos: int) -> list[tuple[int, int]]:
        """As the exact pattern's ``Match(UNANCHORED, ...)`` (``anchor`` is always unanchored here)."""
        find = self._finder.Match
        exact = self._exact.Match
        search_pos = pos
        spent = 0
        while True:
            found = find(_UNANCHORED, data, search_pos, endpos)[0]
            start = found[0]
            if start < 0:
                return self._no_match
            spans = exact(_ANCHOR_START, data, start, endpos)
            if spans[0][1] >= 0 or start >= endpos:
                return spans
            search_pos = start + 1
            spent += found[1] - start + self._miss_cost
            if spent > 4 * (self._miss_cost + search_pos - pos):
                return exact(_UNANCHORED, data, search_pos, endpos)


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
_ANCHOR_START = re2._Anchor.ANCHOR_START
# What scan does with a pattern's matches when no raw spans are wanted.
_SEARCH, _GATED, _NEVER = 0, 1, 2
# Policies (entity set, min_score) whose per-pattern modes are kept.
_MODES_CACHE_SIZE = 256
# Context windows folded one by one before the whole text is folded once.
_FOLD_WHOLE_TEXT_AFTER = 3


class Analyzer:
    """Runs a fixed set of recognizers; built once at start-up and shared."""

    def __init__(self, recognizers: Sequence[PatternRecognizer]) -> None:
        self.recognizers = list(recognizers)
        self.entity_types = frozenset(recognizer.ENTITY for recognizer in self.recognizers)
        self._patterns: list[_CompiledPattern] = []
        options = re2.Options()
        options.max_mem = _SET_MAX_MEM
        self._set = re2.Set.SearchSet(options)
        finder_options = re2.Options()
        finder_options.max_mem = _FINDER_MAX_MEM
        for recognizer in self.recognizers:
            kind = type(recognizer)
            if (
                kind.judge is not PatternRecognizer.judge
                and kind.judge_flags is PatternRecognizer.judge_flags
            ):
                # scan calls judge_flags: an override of judge alone would be bypassed.
                raise TypeError(f"{recognizer.name} overrides judge but not judge_flags")
            for pattern in recognizer.PATTERNS:
                index = self._set.Add(relax_for_prefilter(pattern.regex))
                assert index == len(self._patterns)
                regex = re2.compile(pattern.regex)
                raw: _RawRegexp = regex._regexp
                if needs_start_finder(pattern.regex):
                    raw = _StartFinder(pattern.regex, finder_options)
                trims = type(recognizer).trim is not PatternRecognizer.trim
                uses_context = bool(recognizer.CONTEXT or recognizer.NEGATIVE_CONTEXT)
                self._patterns.append(
                    _CompiledPattern(recognizer, pattern, regex, raw, trims, uses_context, recognizer.name)
                )
        # Recognizers that need a context word are skipped when no token of the
        # text ends with one (a superset of "a match's window holds one"). These
        # checks share the pattern set: one RE2 pass answers both.
        context_entries: dict[str, int] = {}
        for recognizer in self.recognizers:
            if recognizer.CONTEXT_REQUIRED:
                words = "|".join(sorted(recognizer.CONTEXT))
                context_entries[recognizer.name] = self._set.Add(f"(?i)(?:{words})(?:[^A-Za-z0-9]|\\z)")
        # Per pattern: the set index of its recognizer's context-word entry (-1: none).
        self._context_entry = [context_entries.get(compiled.name, -1) for compiled in self._patterns]
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
        # Context gates: a match of a pattern that needs a context word (at the
        # policy's min_score) can only become a candidate if a context word ends
        # at most CONTEXT_WINDOW_CHARS characters before it. One search for
        # "context word, then the pattern" per text replaces searching every
        # match of the pattern when none has one (bare ten-digit numbers are
        # mostly order numbers).
        self._gates: list[_RawRegexp | None] = [self._context_gate(compiled) for compiled in self._patterns]
        self._modes_cache: dict[tuple[frozenset[str], float], tuple[int, ...]] = {}
        self._raw_modes = (_SEARCH,) * len(self._patterns)
        short = [r for r in self.recognizers if r.MAX_LEN <= _RE2_MAX_REPEAT]
        # The exact short TAILs in one union: what _short_tail_start answers (tests compare).
        self._short_tail = re2.compile("(?:" + "|".join(f"(?:{r.TAIL})" for r in short) + r")\z", options)
        # Past the fast TAILs' bound, the exact short TAILs are matched one by
        # one (their union's earliest match is their earliest): in one union the
        # alternatives end at different places in a long run (a "+" ends the
        # alphanumeric ones), so its reverse DFA needs new states for every new
        # text (~50-100 ms for a 1000-character base64 run). A TAIL "A?C{m,n}"
        # (one character class, then one repeated) is its relaxed form "A?C{m,}"
        # searched only in the last n (+1 for A) characters: the same starts.
        # Other TAILs: their relaxed form (every bound opened) gives candidate
        # starts, latest first, each checked by matching the exact TAIL there.
        self._short_tails: list[tuple[re2._Regexp, int, _RawRegexp | None]] = []
        kept = []
        for recognizer in short:
            tail = recognizer.TAIL
            if relax_for_prefilter(tail, _TAIL_FAST_BOUND) == tail:
                kept.append(tail)
                continue
            shape = _CLASS_RUN_TAIL.fullmatch(tail)
            if shape is None:
                relaxed = re2.compile(f"(?:{relax_for_prefilter(tail, 0)})\\z", options)
                exact = re2.compile(f"(?:{tail})\\z", options)._regexp
                self._short_tails.append((relaxed, 0, exact))
            else:
                first, run, low, high = shape.groups()
                relaxed = re2.compile(f"{first or ''}{run}{{{low},}}\\z", options)
                self._short_tails.append((relaxed, int(high) + bool(first), None))
        if kept:
            union = "(?:" + "|".join(f"(?:{tail})" for tail in kept) + ")\\z"
            self._short_tails.append((re2.compile(union, options), 0, None))
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

    @staticmethod
    def _context_gate(compiled: _CompiledPattern) -> _RawRegexp | None:
        """An RE2 that matches wherever a match of the pattern has a context word; None if never needed.

        A context word is a token of the lower-cased window before the match;
        its characters are ASCII letters and digits (or the Kelvin sign, which
        lower-cases to "k" and which RE2's case folding also maps to "k"), so
        ``(?i:word)`` matches where it came from. The window holds at most
        CONTEXT_WINDOW_CHARS characters, so the word ends at most that many
        characters before the match (RE2's ``(?s:.)`` matches every code point,
        lone surrogates encoded with "surrogatepass" included). A superset: a
        gate that matches proves nothing, one that does not rules every match out.
        """
        recognizer = compiled.recognizer
        ceilings = [
            recognizer.score_ceiling(compiled.pattern, context, negative)
            for context in (False, True)
            for negative in (False, True)
        ]
        # Without context, a match can reach every min_score <= 1.0: never gated.
        # Recognizers that always need context are already skipped when no token
        # of the text ends with a context word; their matches mostly have one
        # near (passport numbers, dates), so a gate would mostly cost a search
        # (measured: the dense corpus 2% slower with them gated, typical same).
        # Cost: ~2.5 us per KB of prose; text stuffed with context words makes
        # the gap's DFA large (up to ~0.9 ms per KB, about what a text stuffed
        # with ten-digit numbers costs without the gate).
        if not recognizer.CONTEXT or recognizer.CONTEXT_REQUIRED or max(ceilings[:2]) >= 1.0:
            return None
        words = "|".join(sorted(recognizer.CONTEXT))
        body = relax_for_prefilter(compiled.pattern.regex)
        gap = f"(?s:.){{0,{CONTEXT_WINDOW_CHARS}}}"
        regex: _RawRegexp = re2.compile(f"(?i:{words}){gap}(?:{body})")._regexp
        return regex

    def _modes(self, entities: frozenset[str], min_score: float) -> tuple[int, ...]:
        """Per pattern: _SEARCH, _GATED (only with a context word near) or _NEVER (skip it).

        For scans without raw spans: patterns of entities not asked for are
        skipped, and so are patterns none of whose matches can become a
        candidate at ``min_score`` (scan's own score checks would drop every
        one); patterns that need a context word at ``min_score`` are gated.
        Cached per policy (entities, min_score).
        """
        key = (entities, min_score)
        modes = self._modes_cache.get(key)
        if modes is not None:
            return modes
        built = []
        for plan, gate in zip(self._plans, self._gates, strict=True):
            entity, context_required, context_words, ceilings = plan[0], plan[5], plan[9], plan[11]
            if entity not in entities:
                built.append(_NEVER)
                continue
            # Same comparisons as scan's (ceiling < min_score: no candidate).
            without_context = not context_required and not (
                ceilings[0] < min_score and ceilings[1] < min_score
            )
            with_context = bool(context_words) and not (ceilings[2] < min_score and ceilings[3] < min_score)
            if without_context:
                built.append(_SEARCH)
            elif not with_context:
                built.append(_NEVER)
            else:
                built.append(_GATED if gate is not None else _SEARCH)
        modes = tuple(built)
        if len(self._modes_cache) >= _MODES_CACHE_SIZE:
            self._modes_cache.clear()
        self._modes_cache[key] = modes
        return modes

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
        (whole-text redaction) leaves ``raw_spans`` empty and skips patterns
        that cannot give a candidate at ``min_score`` (see ``_modes``): the
        candidates are the same, in the same order.
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
            byte_pos = pos if offsets is None else offsets.to_byte(pos)
            endpos = len(data)
            add_raw = raw_spans.append
            add_candidate = candidates.append
            # Lower-cased text with separators as spaces, for context windows:
            # slicing it equals folding the slice when the text is ASCII. The
            # first few windows are folded alone (cheaper for a few matches).
            folded = ""
            windows_folded = 0
            # Streaming (raw spans wanted) only skips entities not asked for.
            modes = self._raw_modes if want_raw_spans else self._modes(entities, min_score)
            for index in matched:
                if index >= pattern_count:
                    break
                mode = modes[index]
                if mode == _NEVER:
                    continue
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
                if want_raw_spans and entity not in entities:
                    continue
                if context_required and self._context_entry[index] not in matched:
                    continue
                if mode == _GATED:
                    gate = self._gates[index]
                    if gate is not None and gate.Match(_UNANCHORED, data, 0, endpos)[0][1] < 0:
                        continue
                judge = recognizer.judge_flags
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
                            if folded:
                                window = folded[window_start:start]
                            elif windows_folded < _FOLD_WHOLE_TEXT_AFTER:
                                windows_folded += 1
                                window = (
                                    data[window_start:start]
                                    .lower()
                                    .translate(_ASCII_SEPARATORS)
                                    .decode("ascii")
                                )
                            else:
                                folded = data.lower().translate(_ASCII_SEPARATORS).decode("ascii")
                                window = folded[window_start:start]
                        else:
                            window = text[window_start:start].lower().translate(_SEPARATORS)
                        # As judge looks them up (an empty word set never matches).
                        has_context = bool(context_words) and not context_words.isdisjoint(window.split())
                        negative = bool(negative_words) and not negative_words.isdisjoint(
                            window[-NEGATIVE_CONTEXT_WINDOW_CHARS:].split()
                        )
                        # What judge would return None for without validating (see score_ceiling).
                        if (context_required and not has_context) or ceilings[
                            2 * has_context + negative
                        ] < min_score:
                            score = None
                        else:
                            # The ceiling check is done: judging at min_score 0 gives the same score.
                            score = judge(value, pattern, has_context, negative, 0.0)
                    elif ceilings[0] < min_score:
                        score = None
                    else:
                        score = judge(value, pattern, False, False, 0.0)
                    if score is not None:
                        add_candidate(new_candidate(entity, start, end, score, name))
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
        length = len(text)
        if length - start > _TAIL_FAST_BOUND:
            # The exact TAILs match a subset, so their earliest match is not before.
            if ascii_data is None:
                ascii_data = _ascii_or_none(text)
            fast_start = start
            start = length
            for regex, max_len, exact in self._short_tails:
                window_start = fast_start if not max_len else max(fast_start, length - max_len)
                if exact is None:
                    start = min(start, _tail_start(regex, text, window_start, ascii_data))
                    continue
                # Candidates from the relaxed TAIL, earliest first; the first the
                # exact TAIL matches from is its earliest start. None can beat
                # ``start`` once past it.
                while window_start < start:
                    candidate = _tail_start(regex, text, window_start, ascii_data)
                    if candidate >= start:
                        break
                    if ascii_data is not None:
                        found = exact.Match(_ANCHOR_START, ascii_data, candidate, length)[0][0]
                    else:
                        rest = text[candidate:].encode("utf-8", "surrogatepass")
                        found = exact.Match(_ANCHOR_START, rest, 0, len(rest))[0][0]
                    if found >= 0:
                        start = candidate
                        break
                    window_start = candidate + 1
        return start


def _ascii_or_none(text: str) -> bytes | None:
    """``text`` encoded if it is ASCII (its byte offsets are then its offsets), else None."""
    return text.encode("ascii") if text.isascii() else None


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
    # Usually nothing overlaps: then every candidate is kept, and with distinct
    # starts "in text order" is one order (the loop below gives the same list).
    by_start = sorted(best.values(), key=_START)
    previous = by_start[0]
    for candidate in by_start[1:]:
        if previous.end > candidate.start or previous.start >= candidate.start:
            break
        previous = candidate
    else:
        return by_start
    ordered = sorted(best.values(), key=lambda c: (-c.score, -(c.end - c.start), c.start, c.entity_type))
    accepted: list[Candidate] = []
    for candidate in ordered:
        if all(candidate.end <= kept.start or candidate.start >= kept.end for kept in accepted):
            accepted.append(candidate)
    accepted.sort(key=_START)
    return accepted


_START = attrgetter("start")
