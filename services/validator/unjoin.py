"""Words broken up, or joined into one, put back for matching.

"Ig**no**re all pre*vi*ous in`struc`tions", "ignore_all_previous_instructions", "ignore.all.previous.instructions",
a word broken at a line's end by a hyphen ("previ-\\nous", text copied out of a PDF) and
"ignoreAllPreviousInstructions" read as the attack to a model and as no words at all to a rule. Two views put
the words back:

* ``unjoin_words``: Markdown emphasis and code marks (``*``, `````, ``~``) and hyphenated line breaks deleted,
  underscores and dots read as spaces;
* ``split_camel_case``: a space before every capital letter.

Both are built only when the pre-check ``JOINED_HINT`` fires (a mark inside a word, an attack's verb joined to
its object, a five-word identifier, a hyphenated line break), and then only the view its part of the hint asks
for (``wanted_views``), so ordinary text, and most code with its snake_case, camelCase and ``a*b``, never pays
for them.

Offsets: deletions and insertions are counted back with C-level ``str.count`` (a binary search over the text
per offset mapped), so each view is built in a few C-level passes whatever the number of edits, and only the
spans of findings are mapped.
"""

from __future__ import annotations

import functools
import itertools
import string
from dataclasses import dataclass

import re2

from services.validator.spacing import nth_kept

_VERBS = "ignore|disregard|forget|bypass|override|reveal|print|show|repeat|enable|activate"
_OBJECTS = (
    "all|any|every|the|your|my|previous|prior|above|earlier|system|safety|instructions?|rules|prompt|guidelines|"
    "everything|developer|jailbreak|dan|god"
)
# A mark between two letters of a word (two on each side: "a*b" is code), an attack's verb and its object in one
# identifier, a whole phrase in one (five words: code rarely names things that long; 3 of 800 chunks of the
# standard library's docstrings).
_MARKED_HINT = (
    r"[A-Za-z]{2}(?:\*{1,3}|~~|`)[A-Za-z]{2}|\b[A-Za-z]+(?:_+[A-Za-z]+){4,}\b|"
    rf"(?i:\b(?:{_VERBS})_+(?:{_OBJECTS})(?:_|\b))"
)
# The same with dots: an attack's verb and its object, five words.
DOTTED_ATTACK_HINT = rf"(?i:\b(?:{_VERBS})\.(?:{_OBJECTS})(?:\.|\b))"
DOTTED_HINT = rf"\b[A-Za-z]+(?:\.[A-Za-z]+){{4,}}\b|{DOTTED_ATTACK_HINT}"
# A word broken by a hyphen at a line's end.
BROKEN_HINT = r"[A-Za-z]-\n[a-z]"
# The same in camelCase: an attack's verb and its capitalized object, five capitalized words in a row (not an
# HTML entity's name: "&DoubleLongLeftRightArrow;").
CAMEL_ATTACK_HINT = (
    rf"(?i:\b(?:{_VERBS}))(?:{'|'.join(word.capitalize() for word in _OBJECTS.split('|'))}|DAN)(?:[A-Z]|\b)"
)
CAMEL_HINT = r"(?:^|[^&\w])[A-Za-z][a-z]+(?:[A-Z][a-z]+){4,}|" + CAMEL_ATTACK_HINT
# (The attack-specific parts are where the views' windows are read first: windows.py.)
VERBS = _VERBS
JOINED_HINT = f"{_MARKED_HINT}|{DOTTED_HINT}|{BROKEN_HINT}|{CAMEL_HINT}"


def _parts_set() -> re2.Set:
    """One pass answers which parts of ``JOINED_HINT`` occur (four searches cost ~0.5 ms per 100 KB)."""
    parts = re2.Set.SearchSet(re2.Options())
    for part in (_MARKED_HINT, DOTTED_HINT, BROKEN_HINT, CAMEL_HINT):
        parts.Add(part)
    parts.Compile()
    return parts


_PARTS = _parts_set()
_MARKS = "*`~"
_BROKEN_LINE = "-\n"
_CAPITALS = string.ascii_uppercase
# Marks insertions and deletions in copies of a text (its own NULs are read as spaces first, one for one; so no
# text can hold every marker and turn a view off). Shared by the views that edit words (here and rejoin.py).
MARKER = "\x00"
_NO_SPACE_AFTER = _CAPITALS + " \n\t"
_CHUNK = 4096


@dataclass(frozen=True)
class WantedViews:
    """Which views, and which readings in them, the parts of ``JOINED_HINT`` found in a text ask for."""

    unjoin: bool  # ``unjoin_words`` (marks and underscores), over the whole text
    # ``unjoin_words`` with dots read as spaces (only then: a sentence's full stop ends requests some rules read),
    # or with hyphenated line breaks deleted and line breaks read as spaces (a wrapped paragraph): over the first
    # 4 K characters, as the other views that put words apart (one dotted name in a 100 KB document would make
    # a second whole text to scan)
    dots: bool
    lines: bool
    camel: bool  # ``split_camel_case``


def wanted_views(text: str) -> WantedViews:
    found = set(_PARTS.Match(text) or ())
    marked, dotted, broken, camel = (part in found for part in range(4))
    return WantedViews(marked, dotted, broken, camel)


@dataclass(frozen=True)
class UnjoinedText:
    text: str
    source: str
    lines: bool = False  # hyphenated line breaks were deleted

    @functools.cached_property
    def _deleted(self) -> tuple[str, list[int]]:
        """(the source with ``MARKER`` in place of each character the view deleted, how many markers precede each
        ``_CHUNK``-character chunk): built on the first offset mapped, so that each step of a binary search counts
        within one chunk, not over the whole prefix (five counts over ~50 KB per step cost ~12 ms per 100 KB of
        soup with a few findings)."""
        source = self.source
        marked = source.replace(MARKER, " ") if MARKER in source else source
        if self.lines:
            marked = marked.replace(_BROKEN_LINE, MARKER * 2)
        for mark in _MARKS:
            marked = marked.replace(mark, MARKER)
        counts = (marked.count(MARKER, start, start + _CHUNK) for start in range(0, len(marked), _CHUNK))
        return marked, list(itertools.accumulate(counts, initial=0))

    def _kept_before(self, index: int) -> int:
        marked, before = self._deleted
        chunk = index // _CHUNK
        return index - before[chunk] - marked.count(MARKER, chunk * _CHUNK, index)

    def to_input(self, position: int) -> int:
        """The offset in the source of the view's character at ``position`` (the source's length past the end)."""
        if position < 0:
            return position
        if position >= len(self.text):
            return len(self.source)
        return nth_kept(len(self.source), position, self._kept_before)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_input(start), self.to_input(max(start, end - 1)) + 1


def unjoin_words(text: str, dots: bool = False, lines: bool = False) -> UnjoinedText | None:
    """The view with marks deleted and underscores read as spaces, or None when it is ``text`` itself; with
    ``dots``, dots read as spaces too; with ``lines``, hyphenated line breaks deleted and line breaks read as
    spaces."""
    # C-level replaces (``str.translate`` with deletions leaves its fast path on any non-ASCII text: ~60 ns per
    # character).
    view = text.replace(_BROKEN_LINE, "") if lines else text
    for mark in _MARKS:
        view = view.replace(mark, "")
    view = view.replace("_", " ")
    if dots:
        view = view.replace(".", " ")
    if lines:
        view = view.replace("\n", " ")
    return None if view == text else UnjoinedText(view, text, lines)


@dataclass(frozen=True)
class CamelSplitText:
    text: str
    source: str
    # ``text`` with ``MARKER`` where a space was inserted (the two align character for character).
    marked: str

    def to_input(self, position: int) -> int:
        """The offset in the source of the view's character at ``position`` (an inserted space: the capital
        after it; the source's length past the end)."""
        if position < 0:
            return position
        if position >= len(self.text):
            return len(self.source)
        return position - self.marked.count(MARKER, 0, position)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_input(start), self.to_input(max(start, end - 1)) + 1


def split_camel_case(text: str) -> CamelSplitText | None:
    """The view with a space before each capital letter that follows a letter of another case, a digit or a
    mark ("ignoreAllPrevious", "ROT13Encode"; "ChatGPT" reads "Chat GPT"), or None when there is none.

    C-level passes: a marker before every capital (one ``replace`` per capital letter; ``str.translate`` to two
    characters leaves its fast path: ~60 ns per character), taken away again after a capital or a space (one
    ``replace`` per character), the rest read as spaces."""
    marked = text.replace(MARKER, " ") if MARKER in text else text
    for capital in _CAPITALS:
        marked = marked.replace(capital, MARKER + capital)
    if len(marked) == len(text):
        return None
    for char in _NO_SPACE_AFTER:
        marked = marked.replace(char + MARKER, char)
    if len(marked) == len(text):
        return None
    return CamelSplitText(marked.replace(MARKER, " "), text, marked)
