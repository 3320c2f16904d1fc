"""What every recognizer is made of: RE2 patterns, context words, a validator.

A recognizer is a class with class-level ``ENTITY``, ``PATTERNS``, ``CONTEXT``
and ``TAIL`` and an optional ``validate_result`` hook, like Presidio's
PatternRecognizer. Patterns are compiled once, by the analyzer, into one RE2
set; the recognizer only judges candidate strings.

``TAIL`` is what makes streaming exact: an RE2 expression that matches, at the
end of a text, every non-empty prefix of every possible match of the
recognizer's patterns (a superset is fine). The streaming redactor never emits
text from where the TAIL match starts, because later chunks could complete an
entity there. ``MAX_LEN`` bounds the length of a match, so the holdback is
bounded by the longest entity the text could be part of.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Pattern:
    """One RE2 pattern of a recognizer.

    ``group`` selects the capture group that is the entity (0 = the whole
    match); e.g. ``password=VALUE`` redacts VALUE only.
    """

    name: str
    regex: str
    score: float
    group: int = 0


@dataclass(frozen=True)
class Candidate:
    """A pattern match judged by its recognizer, before overlap resolution.

    Spans are code-point offsets into the analysed text.
    """

    entity_type: str
    start: int
    end: int
    score: float
    recognizer: str


_new_object = object.__new__
_set_attribute = object.__setattr__


def new_candidate(entity_type: str, start: int, end: int, score: float, recognizer: str) -> Candidate:
    """``Candidate(entity_type, start, end, score, recognizer)``, built faster.

    The frozen dataclass ``__init__`` sets each field with ``object.__setattr__``;
    this sets the instance dict once (same fields, equality, hash and repr).
    """
    candidate = _new_object(Candidate)
    _set_attribute(
        candidate,
        "__dict__",
        {"entity_type": entity_type, "start": start, "end": end, "score": score, "recognizer": recognizer},
    )
    return candidate


CONTEXT_BOOST = 0.35
NEGATIVE_CONTEXT_FACTOR = 0.4
# Characters before a match searched for context words (Presidio looks at the
# words before a match only, never after; so do we, which keeps streaming exact).
CONTEXT_WINDOW_CHARS = 48
# Negative context ("version 1.2.3.4", "order 415-555-2671") must be right before the match.
NEGATIVE_CONTEXT_WINDOW_CHARS = 24


class PatternRecognizer:
    """Base class: subclasses set the class attributes and may override hooks."""

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[tuple[Pattern, ...]]
    CONTEXT: ClassVar[frozenset[str]] = frozenset()
    # Words that make a match unlikely to be this entity (e.g. "version" before
    # something shaped like an IP address): the score is multiplied by 0.4.
    NEGATIVE_CONTEXT: ClassVar[frozenset[str]] = frozenset()
    # True: a match without a context word is dropped (passport numbers, ...).
    CONTEXT_REQUIRED: ClassVar[bool] = False
    TAIL: ClassVar[str]
    MAX_LEN: ClassVar[int]
    # For entities longer than RE2's counted repetitions allow (> 1000): a
    # marker every match contains within its first characters, and a TAIL for
    # a marker still being written (e.g. "-----BEG").
    START_MARKER: ClassVar[str] = ""
    MARKER_PREFIX_TAIL: ClassVar[str] = ""
    MARKER_PREFIX_LEN: ClassVar[int] = 0
    # Score of a match the validator confirmed (checksums are near-certain).
    VALIDATED_SCORE: ClassVar[float] = 1.0

    @property
    def name(self) -> str:
        return type(self).__name__

    def validate_result(self, value: str) -> bool | None:
        """True: checksum/format confirmed (score raised to 1.0); False: drop; None: keep the score."""
        return None

    def trim(self, value: str) -> int:
        """Length of ``value`` that is the entity (URLs drop trailing punctuation)."""
        return len(value)

    def best_base_score(self, pattern: Pattern) -> float:
        """The score of a match of ``pattern`` before context, at best (validated or not)."""
        return max(self.VALIDATED_SCORE, pattern.score)

    def score_ceiling(self, pattern: Pattern, has_context: bool, negative: bool) -> float:
        """The highest score a match of ``pattern`` can get (if validated), given its context.

        The analyzer skips ``judge`` for matches whose ceiling is under the
        policy's ``min_score``: ``judge`` must return None for them.
        """
        best = self.best_base_score(pattern)
        if has_context:
            best = min(1.0, best + CONTEXT_BOOST)
        if negative:
            best *= NEGATIVE_CONTEXT_FACTOR
        return best

    def judge(
        self,
        value: str,
        pattern: Pattern,
        context_tokens: Collection[str],
        near_tokens: Collection[str],
        min_score: float = 0.0,
    ) -> float | None:
        """Final score of a match, or None when it is not this entity.

        ``context_tokens`` are the words in the context window before the match,
        ``near_tokens`` those in the shorter negative-context window. A match
        that cannot reach ``min_score`` even if validated may be dropped
        without running the validator (it would be dropped later anyway).
        """
        return self.judge_flags(
            value,
            pattern,
            not self.CONTEXT.isdisjoint(context_tokens),
            not self.NEGATIVE_CONTEXT.isdisjoint(near_tokens),
            min_score,
        )

    def judge_flags(
        self, value: str, pattern: Pattern, has_context: bool, negative: bool, min_score: float = 0.0
    ) -> float | None:
        """``judge`` with the context words already looked up (the analyzer does it once per match).

        ``has_context``: a context word is among ``context_tokens``; ``negative``:
        a negative context word is among ``near_tokens``. Subclasses override
        this, not ``judge`` (which calls it; the analyzer calls this directly).
        """
        if self.CONTEXT_REQUIRED and not has_context:
            return None
        if min_score > 0.0 and self.score_ceiling(pattern, has_context, negative) < min_score:
            return None
        valid = self.validate_result(value)
        if valid is False:
            return None
        score = self.VALIDATED_SCORE if valid else pattern.score
        if has_context:
            score = min(1.0, score + CONTEXT_BOOST)
        if negative:
            score *= NEGATIVE_CONTEXT_FACTOR
        return score
