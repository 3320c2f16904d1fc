"""Collapse letter-spaced words ("i g n o r e  a l l") for matching.

Only runs of four or more single letters separated by the same kind of short
separator are touched; inside a run, separators longer than the shortest one
mark word breaks. Returns the collapsed text and a position map to the input.

Each run is collapsed by C-level string operations (a split on its letters for
the separators, a count of them, one ``replace`` per kind of word break and a
``translate``), not a Python step per character: a whole 100 KB text of spaced
letters costs ~15 us a run instead of ~0.6 us a character, so the first 16 KB are
collapsed where the first 2 KB only were before (an attack after 2 KB of spaced
padding was missed). Offsets are mapped back only for the spans asked for, with
C-level counts.
"""

from __future__ import annotations

import bisect
import string
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain

import re2

# (An apostrophe spaced like a letter is kept as one: "d o n ' t" reads "don't", which the rules match.)
SPACED_RUN = r"(?:(?:\b[A-Za-z]|')[ .\-_*|/,~:]{1,6}){3,}[A-Za-z]\b"
_SPACED_RUN_RE = re2.compile(SPACED_RUN)
# Runs collapsed per input at most (each costs ~10-15 us of fixed work) and characters the runs collapse to at most
# (2,048 before; 100 KB of letter-spaced prose: 8.9 ms to judge with 2 KB collapsed, 12.4 with 16 KB,
# bench/results/validator.md, eighth session): an attack after more letter-spaced padding is not collapsed.
# (Only the runs' characters count: the text between runs is copied as it is. Counting it too, an attack
# spaced out after 16 KB of ordinary prose was not collapsed: 89 of 200 denied after 30 KB, tenth session.)
_MAX_RUNS = 256
_MAX_COLLAPSED_CHARS = 16 * 1024
_SEPARATORS = b" .-_*|/,~:"  # SPACED_RUN's separator characters: a run is ASCII letters and these only
_LETTERS = string.ascii_letters.encode()
_MARK_LETTERS = bytes.maketrans(_LETTERS + b"'", b"\x01" * (len(_LETTERS) + 1))
_BREAK = b"\x00"  # stands for a word break while a run is collapsed (never in a run)
_TO_SPACE = bytes.maketrans(_BREAK, b" ")


@dataclass(frozen=True)
class _Run:
    collapsed_start: int  # where the collapsed run starts in the collapsed text
    input_start: int
    marked: bytes  # the run with each letter as 1 (its letters' offsets, counted on demand)
    collapsed: str  # its letters, with a space for each word break


def nth_kept(length: int, n: int, kept_before: Callable[[int], int], start: int = 0) -> int:
    """The offset of the ``n``-th (from 0) character a view kept of a text of ``length`` characters, given how
    many it kept before any offset (C-level counts): a binary search, each step one count. ``start``: an offset
    known to be at most the answer (a search within a chunk)."""
    return bisect.bisect_right(range(length), n, lo=max(start, n), key=lambda offset: kept_before(offset + 1))


def _nth_letter(marked: bytes, n: int) -> int:
    """The offset of the ``n``-th (from 0) letter of the run ``marked``."""
    return nth_kept(len(marked), n, lambda offset: marked.count(b"\x01", 0, offset))


@dataclass(frozen=True)
class CollapsedText:
    text: str
    runs: int
    _runs: tuple[_Run, ...]
    _starts: tuple[int, ...]  # each run's collapsed_start

    def to_input(self, position: int) -> int:
        index = bisect.bisect_right(self._starts, position) - 1
        if index < 0:
            return position
        run = self._runs[index]
        offset = position - run.collapsed_start
        if offset >= len(run.collapsed):  # in the text after the run
            return run.input_start + len(run.marked) + offset - len(run.collapsed)
        letters_before = offset - run.collapsed.count(" ", 0, offset)
        if run.collapsed[offset] == " ":  # a word break: the separator after the letter before it
            return run.input_start + _nth_letter(run.marked, letters_before - 1) + 1
        return run.input_start + _nth_letter(run.marked, letters_before)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_input(start), self.to_input(max(start, end - 1)) + 1


# The usual separator is the most common one in a run's first characters (as many as the collapse of one run
# was bounded to before: the same decision wherever that bound was not reached).
_USUAL_SAMPLE = 2048
# For a one-character usual separator: separator characters as 2, a space as 3; pairs of them as a break.
_CLASSES = bytes.maketrans(_SEPARATORS, bytes(3 if char == ord(" ") else 2 for char in _SEPARATORS))
_PAIRS = (b"\x02\x02", b"\x02\x03", b"\x03\x02", b"\x03\x03")
_SPACE_BREAKS = bytes.maketrans(b"\x03", _BREAK)


def _usual_separator(marked: bytes) -> bytes:
    separators = marked[:_USUAL_SAMPLE].split(b"\x01")[1:-1]
    return Counter(separators).most_common(1)[0][0] if separators else b" "


def _is_break(gap: bytes, usual: bytes) -> bool:
    """Separators longer than the usual one are word breaks, and so is whitespace where letters are
    otherwise joined by punctuation ("i.g.n.o.r.e a.l.l")."""
    return gap != usual and (len(gap) > len(usual) or (b" " in gap and b" " not in usual))


def _collapse_run(run: bytes) -> tuple[bytes, bytes]:
    """(the run with its letters marked, the run collapsed: its letters, a space for each word break)."""
    marked = run.translate(_MARK_LETTERS)
    usual = _usual_separator(marked)
    if len(usual) == 1:
        # A break is then any separator of two characters or more (each holds a pair of separator
        # characters, which becomes a break mark; its other characters are deleted, or become marks next to
        # it), or a lone space when the usual separator is not one.
        classes = run.translate(_CLASSES)
        for pair in _PAIRS:
            classes = classes.replace(pair, _BREAK)
        if usual == b" ":
            classes = classes.translate(None, b"\x02\x03")
        else:
            classes = classes.translate(_SPACE_BREAKS, b"\x02")
        while _BREAK * 2 in classes:  # a separator is at most six characters: a few passes
            classes = classes.replace(_BREAK * 2, _BREAK)
        return marked, classes.translate(_TO_SPACE)
    # Longer usual separators (" . ", ". "): each kind of separator decided. A break cannot occur inside a
    # separator that is not itself a break and longer (a non-break is at most as long as the usual one, and
    # holds whitespace only if the usual one does), so replacing the breaks, longest first, then deleting the
    # other separator characters, is the same as deciding separator by separator.
    breaks = sorted(
        {gap for gap in marked.split(b"\x01")[1:-1] if _is_break(gap, usual)}, key=len, reverse=True
    )
    collapsed = run
    for gap in breaks:
        collapsed = collapsed.replace(gap, _BREAK)
    return marked, collapsed.translate(_TO_SPACE, _SEPARATORS)


def _run_spans(text: str) -> Iterator[tuple[int, int]]:
    """The character spans of ``SPACED_RUN``'s matches in ``text``. Matched in UTF-8 bytes by the compiled
    pattern's own search (no match objects; the re2 wrapper would convert the offsets of a non-ASCII str per
    match, a scan of the text each time): a run is ASCII, so its characters are its bytes, and the characters
    before it are counted from the last run on."""
    data = text.encode("utf-8")
    ascii_text = len(data) == len(text)
    size, position, last_byte, last_char = len(data), 0, 0, 0
    while True:
        start_byte, end_byte = _RUN_SEARCH(_UNANCHORED, data, position, size)[0]
        if start_byte < 0:
            return
        position = end_byte
        if ascii_text:
            yield start_byte, end_byte
        else:
            start = last_char + len(data[last_byte:start_byte].decode("utf-8"))
            last_byte, last_char = end_byte, start + end_byte - start_byte
            yield start, last_char


_RUN_SEARCH = _SPACED_RUN_RE._regexp.Match  # (anchor, bytes, pos, endpos) -> spans, (-1, -1) for none
_UNANCHORED = re2._Anchor.UNANCHORED


def collapse_letter_spacing(text: str) -> CollapsedText | None:
    """The collapsed text, or None when nothing is letter-spaced."""
    found = _run_spans(text)
    first = next(found, None)  # one scan finds both "is anything spaced" and the first run
    if first is None:
        return None
    pieces: list[str] = []
    runs: list[_Run] = []
    out_len, last, seen, collapsed_chars = 0, 0, 0, 0
    for start, end in chain((first,), found):
        seen += 1  # (a run over the bounds is counted, as the note has always counted it)
        if seen > _MAX_RUNS or collapsed_chars > _MAX_COLLAPSED_CHARS:
            break
        end = min(end, start + _MAX_COLLAPSED_CHARS)
        pieces.append(text[last:start])
        out_len += start - last
        marked, collapsed_bytes = _collapse_run(text[start:end].encode("ascii"))
        collapsed = collapsed_bytes.decode("ascii")
        collapsed_chars += len(collapsed)
        runs.append(_Run(out_len, start, marked, collapsed))
        pieces.append(collapsed)
        out_len += len(collapsed)
        last = end
    pieces.append(text[last:])
    return CollapsedText("".join(pieces), seen, tuple(runs), tuple(run.collapsed_start for run in runs))
