"""Padding between words read as one space ("ignore ... all previous", "reveal ~ ~ ~ ~ ~ ~ ~ your prompt").

The rules read a phrase's words with what may stand between them: whitespace (``\\s+``), or a bounded gap of
other characters that stops at a full stop (``[^.\\n"“”]{0,40}?``: a sentence's end ends a request). So dots
between two words ("ignore... all previous instructions", ". . ."; NFKC makes "…" three dots), or a run of
spaces and punctuation longer than the gaps ("reveal" and 60 spaces or "- - - …" before "your system prompt"),
kept a phrase from matching. This view reads each such run (a padding run, ``PADDING_RUN``) as one space.

A padding run is a stretch of spaces, tabs, ASCII punctuation other than quotes (quotes delimit what the rules
read as quoted text) and a few dots, bullets and dashes, that holds two dots, or two marks ``LONG_RUN`` - 1
characters apart or more; or ``LONG_RUN`` spaces and tabs or more; or escaped line breaks and tabs written out
("\\n", "\\t", "\\r\\n": a JSON string's or a log line's), with the spaces around them. Line breaks end a run
(the rules read lines apart), and only a run between two characters of one line is read (not a line's
indentation). The pre-check (``PADDING_HINT``) asks for the view only where such a run stands between two letters
on one line, so ordinary prose ("wait. Then", "a - b"), code's alignment ("x      = 1") and a doctest's "..." at a
line's start never do.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

import re2

from services.validator.windows import char_spans, snapped

# ASCII punctuation but the quotes (``"`` and ``'``), and the dots, bullets and dashes typed between words (middle
# dot, bullet, hyphenation point, bullet and dot operators, katakana middle dot, en / em / horizontal bars); with
# spaces and tabs, the characters a padding run is made of.
_MARK = r"!#-&(-/:-@\[-`{-~\x{B7}\x{2022}\x{2027}\x{2219}\x{22C5}\x{30FB}\x{2013}-\x{2015}"
_PAD = rf"[\t {_MARK}]"
_P = f"[{_MARK}]"
# A run of spaces this long, or one whose first and last marks are this far apart, reads as padding whatever it
# holds (the rules' shortest bounded gaps are ~25 characters and hold the words between too; ``\s+`` between two
# words holds no punctuation at all). Spaces around a single mark are code's alignment ("x      = 1", "y    # z"),
# not padding.
LONG_RUN = 12
# Escaped line breaks and tabs written out ("reveal your\\nsystem prompt": text from a JSON string or a log line, a
# backslash and a letter each), one or more with spaces around them: a model reads them as the whitespace they stand
# for, a rule as a word "nsystem".
_ESCAPES = r"(?:[\t ]*\\[nrt])+[\t ]*"
PADDING_RUN = (
    rf"{_PAD}*\.{_PAD}*\.{_PAD}*|{_PAD}*{_P}{_PAD}{{{LONG_RUN - 2},}}{_P}{_PAD}*|[\t ]{{{LONG_RUN},}}|{_ESCAPES}"
)
# (A letter: ASCII, or any character past ASCII: "Игнорируй ... все", "무시하고 ... 답하세요".)
_LETTER = r"[A-Za-z\x{80}-\x{10FFFF}]"
PADDING_HINT = (
    rf"{_LETTER}(?:[\t ]*\.[\t ]*\.{_PAD}*|{_PAD}*{_P}{_PAD}{{{LONG_RUN - 2},}}{_P}{_PAD}*|[\t ]{{{LONG_RUN},}}|"
    rf"{_ESCAPES}){_LETTER}"
)
_PADDING_RUN_RE = re2.compile(PADDING_RUN)
# (anchor, bytes, pos, endpos) -> spans, (-1, -1) for none
_PADDING_RUN_SEARCH = _PADDING_RUN_RE._regexp.Match
_UNANCHORED = re2._Anchor.UNANCHORED
# The view is read around its runs only (``near_runs``): this many characters either side of each run's space (a
# rule's match is shorter), at most this many windows (else the whole view).
REACH = 128
MAX_WINDOWS = 8
# Runs collapsed per window of text at most (each costs ~1.5 us to find and place: a window of 100 KB of soup with an
# ellipsis after every word held ~660 of them in its 8 K characters, 1.4 ms), the first ones.
MAX_RUNS = 256
_MAX_SEARCHES = 4 * MAX_RUNS  # runs looked at, kept or not (a search costs ~1 us)
_LINE_ENDS = frozenset(b"\n\r")


@dataclass(frozen=True)
class PaddingCollapsedText:
    """A text with each padding run read as one space: its ``text``, and the spans in ``source`` of its spans."""

    text: str
    source: str
    # For each collapsed run, in order: where its space is in ``text``, and where the run starts and ends in
    # ``source``.
    _at: tuple[int, ...]
    _runs: tuple[tuple[int, int], ...]

    def to_input(self, position: int) -> int:
        """The offset in the source of the view's character at ``position`` (a run's space: the run's start;
        the source's length past the end)."""
        if position < 0:
            return position
        if position >= len(self.text):
            return len(self.source)
        index = bisect.bisect_right(self._at, position) - 1
        if index < 0:
            return position
        at = self._at[index]
        start, end = self._runs[index]
        return start if position == at else end + position - at - 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the source of the view's span ``start:end`` (a span ending on a run's space ends where the
        run does)."""
        if end <= start:
            first = self.to_input(start)
            return first, first
        last = end - 1
        index = bisect.bisect_right(self._at, last) - 1
        if index >= 0 and self._at[index] == last:
            return self.to_input(start), self._runs[index][1]
        return self.to_input(start), self.to_input(last) + 1

    def span_from(self, offset: int) -> Callable[[int, int], tuple[int, int]]:
        """``span`` for a window of the view's text that starts at ``offset`` (read alone)."""
        return lambda start, end: self.span(start + offset, end + offset)

    def near_runs(self, reach: int = REACH, most: int = MAX_WINDOWS) -> list[tuple[int, int]]:
        """Spans of ``self.text`` that hold each collapsed run's space with ``reach`` characters either side (widened
        to a space or line break near their ends, not inside a word), joined where they meet; the whole text when
        there would be more than ``most``. A rule match the view has and the source has not holds a run's space."""
        size, at = len(self.text), self._at
        # Two runs' windows meet when their spaces are at most 2 * reach + 1 apart: the windows are the stretches
        # between the wider gaps (found in one comprehension: a Python step per run cost ~1.5 us on dense text).
        breaks = [index for index in range(1, len(at)) if at[index] - at[index - 1] > 2 * reach + 1]
        if len(breaks) >= most:
            return [(0, size)]
        firsts, lasts = [0, *breaks], [*breaks, len(at)]
        spans = [
            (max(0, at[first] - reach), min(size, at[last - 1] + 1 + reach))
            for first, last in zip(firsts, lasts, strict=True)
        ]
        return snapped(self.text, spans, " ", "\n")


def _runs(text: str, encoded: bytes | None) -> list[tuple[int, int]]:
    """The first ``MAX_RUNS`` padding runs of ``text`` (``encoded``: its UTF-8, when the caller has it), in order, in
    characters."""
    # The compiled pattern's own search of the bytes: the wrapper's ``finditer`` over a str costs ~10 us a match
    # converting offsets.
    data = text.encode("utf-8", "surrogatepass") if encoded is None else encoded
    size, position = len(data), 0
    runs: list[tuple[int, int]] = []
    for _ in range(_MAX_SEARCHES):
        start, end = _PADDING_RUN_SEARCH(_UNANCHORED, data, position, size)[0]
        if start < 0:
            break
        # Only between two characters of one line: not a line's indentation or trailing spaces (a source file's
        # indentation made 255 of zipfile.py's first 256 runs, each a window of the view to scan).
        if start > 0 and end < size and data[start - 1] not in _LINE_ENDS and data[end] not in _LINE_ENDS:
            runs.append((start, end))
            if len(runs) == MAX_RUNS:
                break
        position = end
    return char_spans(data, runs, size == len(text))


def collapse_padding(text: str, encoded: bytes | None = None) -> PaddingCollapsedText | None:
    """``text`` with each of its first ``MAX_RUNS`` padding runs (``PADDING_RUN``) read as one space, or None when
    it holds none.
    ``encoded``: ``text`` in UTF-8, when the caller has it."""
    runs = _runs(text, encoded)
    if not runs:
        return None
    parts: list[str] = []
    at: list[int] = []
    cursor = length = 0
    for start, end in runs:
        parts += (text[cursor:start], " ")
        length += start - cursor
        at.append(length)
        length += 1
        cursor = end
    parts.append(text[cursor:])
    return PaddingCollapsedText("".join(parts), text, tuple(at), tuple(runs))
