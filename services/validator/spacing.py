"""Collapse letter-spaced words ("i g n o r e  a l l") for matching.

Only runs of four or more single letters separated by the same kind of short
separator are touched; inside a run, separators longer than the shortest one
mark word breaks. Returns the collapsed text and a position map to the input.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from itertools import chain

import re2

SPACED_RUN = r"(?:\b[A-Za-z][ .\-_*|/,~:]{1,6}){3,}[A-Za-z]\b"
_SPACED_RUN_RE = re2.compile(SPACED_RUN)
_MAX_RUNS = 256
# Letters collapsed per input at most: enough for any phrase, bounded for floods.
_MAX_COLLAPSED_CHARS = 2048


@dataclass(frozen=True)
class CollapsedText:
    text: str
    runs: int
    # Sorted breakpoints: collapsed position -> input position of the same character.
    _collapsed_starts: tuple[int, ...]
    _input_starts: tuple[int, ...]

    def to_input(self, position: int) -> int:
        index = bisect.bisect_right(self._collapsed_starts, position) - 1
        if index < 0:
            return position
        return self._input_starts[index] + (position - self._collapsed_starts[index])

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_input(start), self.to_input(max(start, end - 1)) + 1


def _positions(separators: list[int]) -> list[tuple[int, int]]:
    """(letter position, separator length) for each letter of a run."""
    out, position = [], 0
    for sep_len in separators:
        if sep_len:
            out.append((position, sep_len))
        position += 1 + sep_len
    return out


def collapse_letter_spacing(text: str) -> CollapsedText | None:
    """The collapsed text, or None when nothing is letter-spaced."""
    # ASCII text is matched as bytes (offsets are the same, no UTF-8 offset conversion).
    found = _SPACED_RUN_RE.finditer(text.encode("ascii") if text.isascii() else text)
    first = next(found, None)  # one scan finds both "is anything spaced" and the first run
    if first is None:
        return None
    pieces: list[str] = []
    collapsed_starts: list[int] = [0]
    input_starts: list[int] = [0]
    out_len, last, runs = 0, 0, 0
    for match in chain((first,), found):
        runs += 1
        start, end = match.span()
        if runs > _MAX_RUNS or out_len > _MAX_COLLAPSED_CHARS:
            break
        end = min(end, start + _MAX_COLLAPSED_CHARS)
        pieces.append(text[last:start])
        out_len += start - last
        run = text[start:end]
        separators: list[int] = []
        position = 0
        while position < len(run):
            sep_start = position + 1
            sep_end = sep_start
            while sep_end < len(run) and not run[sep_end].isalpha():
                sep_end += 1
            separators.append(sep_end - sep_start)
            position = sep_end
        # Word breaks: separators longer than the usual one, or whitespace where letters are
        # otherwise joined by punctuation ("i.g.n.o.r.e a.l.l").
        gaps = [run[p + 1 : p + 1 + n] for p, n in _positions(separators)]
        usual = Counter(gaps).most_common(1)[0][0] if gaps else " "
        position = 0
        for sep_len in separators:
            collapsed_starts.append(out_len)
            input_starts.append(start + position)
            pieces.append(run[position])
            out_len += 1
            gap = run[position + 1 : position + 1 + sep_len]
            if sep_len and gap != usual and (len(gap) > len(usual) or (" " in gap and " " not in usual)):
                pieces.append(" ")
                out_len += 1
            position += 1 + sep_len
        collapsed_starts.append(out_len)
        input_starts.append(end)
        last = end
    pieces.append(text[last:])
    return CollapsedText("".join(pieces), runs, tuple(collapsed_starts), tuple(input_starts))
