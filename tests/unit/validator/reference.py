"""The reference the scanner's faster layouts are checked against: every exact rule, then every hint,
in one re2 Set (the original layout), answering ``PatternScanner.match``'s question."""

from __future__ import annotations

import functools

import re2

from services.validator.detectors.registry import DETECTORS
from services.validator.layers import PRECHECKS
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
