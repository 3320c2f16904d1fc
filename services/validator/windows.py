"""Where in a long text the views that put words apart or back together are read.

Those views (camelCase split, dots and hyphen-broken lines read as spaces, invisible characters read as spaces,
split words rejoined, upside-down letters turned) are whole new texts for the Set passes, so each is bounded: a
share of ``WORD_VIEW_BUDGET`` characters per input (``share``). Bounded as the first characters of the text, they
were a bypass: any 4 K characters of ordinary text before the disguised attack hid it. Now a view reads the whole
text when it fits its share, else windows around the places its pre-check fires (``word_windows``): first around
the matches of the pre-check's attack-specific part (an attack's verb and its object joined: "ignoreAll",
"reveal.system"), then around any match, in text order, until the share is used. Ordinary text around an attack
costs nothing; code full of camelCase names uses the share only after the attack-specific matches are read.
The views of one long text search its bytes through one ``GateSearch``: the same matches, without the scans of
the rest of the text that find nothing (a gate that occurs nowhere, or no more after a point). The leetspeak and
rot13 views of a long text are read around the places they can change a word (``place_windows``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import AnyStr

import re2

from services.validator.normalize import CONTINUATION_BYTES

_UNANCHORED = re2._Anchor.UNANCHORED

# Characters of word views per input, shared by the views it asks for, each at least ``MIN_SHARE`` (two or more
# views: 4 K each, the bound before windows; one: 8 K, prompts of that size read whole).
WORD_VIEW_BUDGET = 8_192
MIN_SHARE = 4_096
# A window starts ``_MARGIN`` bytes before a match (the attack may begin before the first word the pre-check
# recognizes) and is ``_WINDOW`` bytes long; a match in a window's last ``_MARGIN`` bytes continues it.
_MARGIN = 256
_WINDOW = 1_024
_MAX_SEARCHES = 64  # per gate: a bound on the searches whatever the matches (each ~2 us plus its scan)
# Views that change a long text's characters one for one and matter only where their pre-check finds something to
# change (leetspeak, rot13: layers.py) are read in windows around those places (``place_windows``), not whole
# (~1 ms per 100 KB of Set passes each): elsewhere such a view is the text with nothing changed that could make an
# attack word. Unlike the word views' windows they are not budgeted: every place is read. Windows reach
# ``PLACE_REACH`` bytes either side (a rule's widest gap is 300 characters), joined where they meet; dense places
# (most of ``_PLACE_SAMPLES`` samples hold one, more than ``_PLACE_MAX_WINDOWS`` windows, or half the text) get the
# whole view.
PLACE_WHOLE = 8_192  # characters: shorter texts get the whole view
PLACE_REACH = 1_024
_PLACE_MAX_WINDOWS = 32  # and half the text: where the text read so far is half covered past its first eighth
_PLACE_SAMPLES = 8


@dataclass(frozen=True)
class Density:
    """When places are too dense for windows (the whole text is read instead): more than ``windows`` windows,
    ``covered`` (a fraction) of the text read so far covered, or a place in more than ``sampled`` of
    ``_PLACE_SAMPLES`` samples of a window's reach each."""

    windows: int
    covered: tuple[int, int]  # a fraction: numerator, denominator
    sampled: int


# Views read in windows: one Set pass per window (each costs its own overhead).
VIEW_DENSITY = Density(_PLACE_MAX_WINDOWS, (1, 2), _PLACE_SAMPLES // 2)
_PLACE_SNAP = 64  # bytes looked at for a space to start or end a window at (not inside a word)


def share(wanted: int) -> int:
    """Each view's share of ``WORD_VIEW_BUDGET`` when an input asks for ``wanted`` of them."""
    return max(MIN_SHARE, WORD_VIEW_BUDGET // max(1, wanted))


class GateSearch:
    """The searches of several views' gates in one text's UTF-8 (``data``), sparing the scans that find nothing.

    A gate's last search in a long text usually finds nothing and reads the rest of it (~1.7 ns per byte: 0.17 ms
    per 100 KB), and each gate of each view makes its own: one hint of each kind before 100 KB of other text cost
    nine such scans (1.6 ms). Two things known about ``data`` answer those searches instead:

    * ``absent``: gates that match nowhere in it (a Set pass the caller made anyway found them missing);
    * ``union``, one regex that is the alternation of every gate searched here (and possibly others): a match of
      it starts exactly where a match of some alternative starts, so its search from ``position`` finds where
      the next match of any gate starts (``_next_start``). No gate's match starts between the two: a gate's
      search from there is its search from ``position`` (the leftmost match from either offset, the same
      match: re2 reads the bytes before the offset as context), and when the union finds none, no gate has
      one. The union's scan up to that start is part of the scan the gate's own search would make; the
      stretches found empty are kept, so the other gates' searches from inside them skip them too. It is
      searched for a gate's later searches only (its first one finds the hint that asked for the view), and
      only worth it for several views' gates (the caller passes None for one view's: it would cost a search
      more per match, ~3 us, and save nothing).
    """

    __slots__ = ("_absent", "_ends", "_starts", "_union", "data")

    def __init__(
        self, data: bytes, union: re2._Regexp | None, absent: frozenset[re2._Regexp] = frozenset()
    ) -> None:
        self.data = data
        self._absent = absent
        self._union = union
        # Stretches of ``data`` where no match of any gate starts, sorted and apart: [_starts[i], _ends[i]);
        # an end past ``data`` when no match starts from there on.
        self._starts: list[int] = []
        self._ends: list[int] = []

    def search(self, gate: re2._Regexp, position: int) -> tuple[int, int] | None:
        """``gate.search(self.data, position)``'s span, or None when it finds no match."""
        if gate in self._absent:
            return None
        if position > 0 and self._union is not None:
            position = self._next_start(self._union, position)
            if position > len(self.data):
                return None
        hit = gate.search(self.data, position)
        return None if hit is None else (hit.start(), hit.end())

    def _next_start(self, union: re2._Regexp, position: int) -> int:
        """Where the first match of any gate at or after ``position`` starts (past ``data``: none does)."""
        starts, ends = self._starts, self._ends
        index = bisect.bisect_right(starts, position) - 1
        if index >= 0 and position < ends[index]:
            return ends[index]
        hit = union.search(self.data, position)
        following = len(self.data) + 1 if hit is None else hit.start()
        if following > position:
            # Any stretch starting inside the new one ends where it does (no match starts in between): replaced.
            index += 1
            last = index
            while last < len(starts) and starts[last] < following:
                last += 1
            starts[index:last] = [position]
            ends[index:last] = [following]
        return following


def word_windows(
    text: str,
    gates: Sequence[re2._Regexp],
    budget: int,
    encoded: bytes | None = None,
    searcher: GateSearch | None = None,
) -> list[tuple[int, int]]:
    """Spans of ``text`` (character offsets) to read a word view of, at most ``budget`` characters in all: the
    whole text when it fits, else windows around the matches of each of ``gates`` in turn, each gate's in text
    order (none when no gate matches). ``encoded``: ``text`` in UTF-8, when the caller has it (the gates search
    bytes: a search of a long str from an offset costs ~0.7 ms per 100 KB in the regex wrapper); ``searcher``:
    the gates' searches in those bytes (``GateSearch``: the same matches, fewer scans), when the caller has one
    for them."""
    size = len(text)
    if size <= budget:
        return [(0, size)]
    data = text.encode("utf-8", "surrogatepass") if encoded is None else encoded
    if searcher is not None and searcher.data is not data:
        raise ValueError("the searcher searches other bytes")
    spans: list[tuple[int, int]] = []  # byte spans, sorted, apart
    left = budget
    for gate in gates:
        position = 0
        for _ in range(_MAX_SEARCHES):
            if left <= 0 or position >= len(data):
                break
            if searcher is None:
                hit = gate.search(data, position)
                found = None if hit is None else (hit.start(), hit.end())
            else:
                found = searcher.search(gate, position)
            if found is None:
                break
            start = max(0, found[0] - _MARGIN)
            end = min(len(data), start + _WINDOW)
            left -= _cover(spans, start, end, left)
            position = max(found[1], end - _MARGIN)
    # Widened past long runs (an attack's words apart by 3,000 spaces), within twice the budget (longer padding:
    # the windows as they are).
    windows = char_spans(data, spans, len(data) == size)
    wider = _widened_near(text, windows) if windows else None
    return wider if wider is not None and sum(end - start for start, end in wider) <= 2 * budget else windows


def place_windows(
    text: str, places: re2._Regexp, encoded: bytes | None = None, density: Density = VIEW_DENSITY
) -> list[tuple[int, int]] | None:
    """Spans of ``text`` (characters) to read a view in, around the matches of ``places`` (see ``PLACE_REACH``);
    None: all of it (short, or dense). ``encoded``: ``text`` in UTF-8, when the caller has it."""
    if len(text) <= PLACE_WHOLE:
        return None
    data = text.encode("utf-8", "surrogatepass") if encoded is None else encoded
    size = len(data)
    # Dense (a hit in most of eight samples of a window's reach each): the whole view, without the walk. (The
    # compiled pattern's own search: the span without a match object, ~1 us a search less.)
    match = places._regexp.Match
    step = size // _PLACE_SAMPLES
    dense = sum(
        match(_UNANCHORED, data, at, min(size, at + PLACE_REACH))[0][0] >= 0
        for at in range(step // 2, size, step or 1)
    )
    if dense > density.sampled:
        return None

    def search(position: int) -> tuple[int, int] | None:
        start, end = match(_UNANCHORED, data, position, size)[0]
        return None if start < 0 else (start, end)

    spans = _around(search, size, density)
    if spans is None:
        return None
    return _widened_near(text, char_spans(data, snapped(data, spans, b" ", b"\n"), size == len(text)))


def head_windows(text: str, head: str, density: Density = VIEW_DENSITY) -> list[tuple[int, int]] | None:
    """``place_windows`` around each ``head`` character of ``text`` (one character, not a regex: found by
    ``str.find``, no UTF-8 and no offsets to convert)."""
    if len(text) <= PLACE_WHOLE:
        return None

    def search(position: int) -> tuple[int, int] | None:
        found = text.find(head, position)
        return None if found < 0 else (found, found + 1)

    spans = _around(search, len(text), density)
    return None if spans is None else _widened_near(text, snapped(text, spans, " ", "\n"))


# A run of more than ``_RUN_KEPT`` ASCII letters, digits and "_" (re2's ``\\w``), or of other characters (letters
# of other scripts too, as for ``\\W``): ``widened`` reads past it.
_RUN_KEPT = 48
_MAX_LONG_RUNS = 256
# Each byte of a text's UTF-8 as "a" (a word character) or " " (any other, every byte of a non-ASCII character
# too): a run is then a run of one byte, found by ``bytes.find`` (re2's search of ``\\w{48,}|\\W{48,}`` costs
# 2-8 ns per byte, the UTF-8 of ``\\W`` most).
_RUN_CLASSES = bytes(
    ord("a") if chr(byte).isascii() and (chr(byte).isalnum() or chr(byte) == "_") else ord(" ") for byte in range(256)
)
_WORD_RUN, _OTHER_RUN = b"a" * _RUN_KEPT, b" " * _RUN_KEPT


def long_runs(text: str, encoded: bytes | None = None) -> list[tuple[int, int]] | None:
    """The runs of at least ``_RUN_KEPT`` bytes of word characters or of others in ``text``'s UTF-8, as character
    spans (a run of other characters may then be shorter in characters), in order; None when there are more than
    ``_MAX_LONG_RUNS``. ``encoded``: that UTF-8, when the caller has it."""
    data = text.encode("utf-8", "surrogatepass") if encoded is None else encoded
    classes = data.translate(_RUN_CLASSES)
    size = len(classes)
    runs: list[tuple[int, int]] = []
    for run, other in ((_WORD_RUN, b" "), (_OTHER_RUN, b"a")):
        start = classes.find(run)
        while start >= 0:
            if len(runs) == _MAX_LONG_RUNS:
                return None
            end = classes.find(other, start + _RUN_KEPT)
            end = size if end < 0 else end
            runs.append((start, end))
            start = classes.find(run, end)
    runs.sort()
    return char_spans(data, runs, size == len(text))


def _widened_near(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]] | None:
    """``widened(spans)`` with ``text``'s long runs found in the windows only (and ``2 * _RUN_KEPT`` characters
    either side: a window reaches past its edge only over runs in it, or touching its edge), or in all of the text
    when a window widens past what was searched (padding: rare); None when there are more than ``_MAX_LONG_RUNS``
    (dense text: read whole)."""
    if not spans:
        return spans
    size = len(text)
    regions: list[tuple[int, int]] = []
    for start, end in spans:
        start, end = max(0, start - 2 * _RUN_KEPT), min(size, end + 2 * _RUN_KEPT)
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], end)
        else:
            regions.append((start, end))
    runs: list[tuple[int, int]] = []
    for start, end in regions:
        found = long_runs(text[start:end]) if (start, end) != (0, size) else long_runs(text)
        if found is None or len(runs) + len(found) > _MAX_LONG_RUNS:
            return None
        runs.extend((start + run_start, start + run_end) for run_start, run_end in found)
    out = widened(size, spans, runs)
    if _inside(out, regions):
        return out
    # A window widened past what was searched (a long run goes on): the runs of all the text.
    every = long_runs(text)
    return None if every is None else widened(size, spans, every)


def _inside(spans: list[tuple[int, int]], regions: list[tuple[int, int]]) -> bool:
    """Whether each of ``spans`` lies in one of ``regions`` (both sorted, apart)."""
    index = 0
    for start, end in spans:
        while index < len(regions) and regions[index][1] < end:
            index += 1
        if index == len(regions) or start < regions[index][0]:
            return False
    return True


def widened(size: int, spans: list[tuple[int, int]], runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` of a text of ``size`` characters (windows of ``PLACE_REACH`` around places) each widened past the
    text's long ``runs`` (``long_runs``) in its reach, joined where they then meet: a rule reads any run of spaces,
    hyphens or letters between two words (``[\\s-]+``, ``\\w+``), so padding between an attack's words moved its
    far words out of a window. Each side of a window reaches as far as it did, counting only the first
    ``_RUN_KEPT`` characters of each long run (a reach that ends in a run goes on to its end)."""
    if not runs:
        return spans
    starts = [start for start, _ in runs]
    ends = [end for _, end in runs]
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if end < size:
            at = max(start, end - PLACE_REACH)
            reach = end - at
            index = bisect.bisect_right(ends, at)  # the first run that ends after ``at``
            while index < len(runs):
                run_start = max(at, starts[index])
                if run_start - at >= reach:
                    break
                reach -= run_start - at + min(_RUN_KEPT, ends[index] - run_start)
                at = ends[index]
                index += 1
                if reach <= 0:
                    break
            end = min(size, at + max(0, reach))
        if start > 0:
            at = min(end, start + PLACE_REACH)
            reach = at - start
            index = bisect.bisect_left(starts, at) - 1  # the last run that starts before ``at``
            while index >= 0:
                run_end = min(at, ends[index])
                if at - run_end >= reach:
                    break
                reach -= at - run_end + min(_RUN_KEPT, run_end - starts[index])
                at = starts[index]
                index -= 1
                if reach <= 0:
                    break
            start = max(0, at - max(0, reach))
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _around(
    search: Callable[[int], tuple[int, int] | None], size: int, density: Density
) -> list[tuple[int, int]] | None:
    """Windows of ``PLACE_REACH`` either side of the hits ``search(position)`` finds from ``position`` on, in a
    text of ``size``, joined where they meet; None when they are too dense (``density``)."""
    most, (share_num, share_den) = density.windows, density.covered
    spans: list[tuple[int, int]] = []  # apart, in order
    covered = 0
    position = 0
    while position < size:
        hit = search(position)
        if hit is None:
            break
        start = max(0, hit[0] - PLACE_REACH)
        end = min(size, hit[1] + PLACE_REACH)
        if spans and start <= spans[-1][1]:
            covered += end - spans[-1][1]
            spans[-1] = (spans[-1][0], end)
        else:
            if len(spans) == most:
                return None
            spans.append((start, end))
            covered += end - start
        # The places before the window's end less half its reach are read with that much around them at
        # least: searched from there on.
        position = max(hit[1], end - PLACE_REACH // 2)
        # Over half the text covered (or the density's share), or half of its first eighth or more (dense: ~2.5 us
        # per search).
        if share_den * covered > share_num * (size if position < size // 8 else min(size, position)):
            return None
    return spans


def snapped(data: AnyStr, spans: list[tuple[int, int]], space: AnyStr, line: AnyStr) -> list[tuple[int, int]]:
    """Each of ``spans`` widened to a space or line break near its ends, when there is one (a window cut inside a
    word would make a word start there), joined where they then meet."""
    size = len(data)
    snapped: list[tuple[int, int]] = []
    for start, end in spans:
        if start > 0:
            before = start - _PLACE_SNAP
            found = max(data.rfind(space, before, start), data.rfind(line, before, start))
            start = found + 1 if found >= 0 else start
        if end < size:
            after = end + _PLACE_SNAP
            ahead = (data.find(space, end, after), data.find(line, end, after))
            end = min((at for at in ahead if at >= 0), default=end)
        if snapped and start <= snapped[-1][1]:
            snapped[-1] = (snapped[-1][0], end)
        else:
            snapped.append((start, end))
    return snapped


def _cover(spans: list[tuple[int, int]], start: int, end: int, most: int) -> int:
    """Adds the parts of ``start, end`` that ``spans`` does not cover yet, at most ``most`` bytes, first parts
    first; keeps ``spans`` sorted with touching spans joined. Returns the bytes added."""
    pieces = []
    cursor = start
    for covered_start, covered_end in spans:
        if covered_end <= cursor:
            continue
        if covered_start >= end:
            break
        if covered_start > cursor:
            pieces.append((cursor, covered_start))
        cursor = max(cursor, covered_end)
        if cursor >= end:
            break
    if cursor < end:
        pieces.append((cursor, end))
    added = 0
    for piece_start, piece_end in pieces:
        take = min(piece_end - piece_start, most - added)
        if take <= 0:
            break
        spans.append((piece_start, piece_start + take))
        added += take
    if added:
        spans.sort()
        joined = [spans[0]]
        for piece in spans[1:]:
            if piece[0] <= joined[-1][1]:
                joined[-1] = (joined[-1][0], max(joined[-1][1], piece[1]))
            else:
                joined.append(piece)
        spans[:] = joined
    return added


def char_spans(data: bytes, spans: list[tuple[int, int]], ascii_only: bool) -> list[tuple[int, int]]:
    """``spans`` of UTF-8 ``data`` in characters, each narrowed to whole characters."""
    if ascii_only:
        return spans
    chars: list[tuple[int, int]] = []
    byte, char = 0, 0  # a character boundary and its character offset
    for start, end in spans:
        while start < end and data[start] in CONTINUATION_BYTES:
            start += 1
        while end < len(data) and end > start and data[end] in CONTINUATION_BYTES:
            end -= 1
        if start >= end:
            continue
        char += len(data[byte:start].translate(None, CONTINUATION_BYTES))
        first = char
        char += len(data[start:end].translate(None, CONTINUATION_BYTES))
        byte = end
        chars.append((first, char))
    return chars
