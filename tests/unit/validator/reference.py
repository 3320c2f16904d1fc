"""The reference the scanner's faster layouts are checked against: every exact rule, then every hint,
in one re2 Set (the original layout), answering ``PatternScanner.match``'s question."""

from __future__ import annotations

import functools
import html.entities

import re2

from services.validator.detectors.registry import DETECTORS
from services.validator.layers import PRECHECKS
from services.validator.normalize import NormalizedText, OffsetMap
from services.validator.scanner import _options, prepare

HINT_NAMES = [name for name, _ in PRECHECKS]


@functools.cache
def reference_set() -> tuple[re2.Set, int]:
    """(the Set, how many rules come before the hints)."""
    single = re2.Set.SearchSet(_options())
    count = 0
    for detector in DETECTORS:
        for pattern in detector.patterns:
            single.Add(prepare(pattern))
            count += 1
    for _, regex in PRECHECKS:
        single.Add(regex)
    single.Compile()
    return single, count


def reference_match(text: str) -> tuple[set[int], set[str]]:
    """(indexes of the rules matching in ``text``, names of the hints present)."""
    single, count = reference_set()
    found = single.Match(text) or []
    return {i for i in found if i < count}, {HINT_NAMES[i - count] for i in found if i >= count}


def reference_entity_decode(text: str, max_markers: int = -1) -> str:
    """The per-reference loop the entity decoder replaced (``max_markers``: as ``str.split``; -1, every one)."""
    parts = text.split("&", max_markers)
    pieces = [parts[0]]
    for part in parts[1:]:
        semi = part.find(";", 0, 34)
        name = part[:semi] if semi > 0 else ""
        replacement: str | None = None
        if name:
            if name[0] == "#":
                digits = name[1:]
                try:
                    code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits, 10)
                except ValueError:
                    code = -1
                if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                    replacement = chr(code)
            else:
                replacement = html.entities.html5.get(name + ";")
        pieces.append("&" + part if replacement is None else replacement + part[semi + 1 :])
    return "".join(pieces)


def assert_spans_match_the_plain_map(norm: NormalizedText, text: str) -> None:
    """``norm``'s offset map (with whatever shortcuts it took) answers like a plain ``OffsetMap(text)``."""
    plain = OffsetMap(text)
    length = len(norm.folded)
    for start in sorted({0, 1, length // 3, length // 2, max(0, length - 2)}):
        for end in (start + 1, min(length, start + 40), length):
            if start < end <= length:
                assert norm.offsets.span(start, end) == plain.span(start, end)


class SetOutOfMemory:
    """Stands in for an re2 Set whose DFA ran out of memory: it answers nothing."""

    def Match(self, text: bytes) -> None:
        return None
