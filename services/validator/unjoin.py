"""Words broken up, or joined into one, put back for matching.

"Ig**no**re all pre*vi*ous in`struc`tions", "ignore_all_previous_instructions", "ignore.all.previous.instructions",
a word broken at a line's end by a hyphen ("previ-\\nous", text copied out of a PDF) and
"ignoreAllPreviousInstructions" read as the attack to a model and as no words at all to a rule. Two views put
the words back:

* ``unjoin_words``: Markdown emphasis and code marks (``*``, `````, ``~``), Markdown's escaping backslashes and
  hyphenated line breaks deleted, underscores and dots read as spaces;
* ``split_camel_case``: a space before every capital letter.

Both are built only when the pre-check ``JOINED_HINT`` fires (a mark inside a word, an attack's verb joined to
its object, a five-word identifier, a hyphenated line break), and then only the view its part of the hint asks
for (``wanted_views``), so ordinary text, and most code with its snake_case, camelCase and ``a*b``, never pays
for them.

Offsets: deletions and insertions are counted back with C-level ``str.count`` (a binary search within a chunk
of the text per offset mapped), so each view is built in a few C-level passes whatever the number of edits, and
only the spans of findings are mapped.
"""

from __future__ import annotations

import bisect
import functools
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
MARKED_HINT = (
    r"[A-Za-z]{2}(?:\*{1,3}|~~|`|\\[_*`~])[A-Za-z]{2}|(?:\b|_)[A-Za-z]+(?:\\?_+[A-Za-z]+){4,}\b|"
    rf"(?i:\b(?:{_VERBS})\\?_+(?:{_OBJECTS})(?:\\?_|\b))"
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
JOINED_HINT = f"{MARKED_HINT}|{DOTTED_HINT}|{BROKEN_HINT}|{CAMEL_HINT}"


_PART_HINTS = (MARKED_HINT, DOTTED_HINT, BROKEN_HINT, CAMEL_HINT)


def _parts_set(*more: str) -> re2.Set:
    """One pass answers which parts of ``JOINED_HINT`` occur (four searches cost ~0.5 ms per 100 KB), and which
    of ``more``."""
    parts = re2.Set.SearchSet(re2.Options())
    for part in (*_PART_HINTS, *more):
        parts.Add(part)
    parts.Compile()
    return parts


_PARTS = _parts_set()
# The same, and the attack-specific parts that the views' windows are read around first (for long texts:
# ``windows.word_windows``' search of a part that occurs nowhere reads the whole text, ~0.17 ms per 100 KB;
# in the same pass it costs next to nothing).
_PARTS_AND_ATTACKS = _parts_set(CAMEL_ATTACK_HINT, DOTTED_ATTACK_HINT)
# (A backslash is Markdown's escape: "ignore\\_all\\_previous", "DEVELOPER\\_MODE" as typed into a Markdown editor.)
_MARKS = "*`~\\"
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

    unjoin: bool  # ``unjoin_words`` (marks and underscores), around each place the marked part matches
    # ``unjoin_words`` with dots read as spaces (only then: a sentence's full stop ends requests some rules read),
    # or with hyphenated line breaks deleted and line breaks read as spaces (a wrapped paragraph): over the first
    # 4 K characters, as the other views that put words apart (one dotted name in a 100 KB document would make
    # a second whole text to scan)
    dots: bool
    lines: bool
    camel: bool  # ``split_camel_case``
    # Whether ``CAMEL_ATTACK_HINT`` / ``DOTTED_ATTACK_HINT`` may occur in the text (True: not looked for).
    camel_attack: bool = True
    dotted_attack: bool = True


def wanted_views(text: str | bytes, attacks: bool = False) -> WantedViews:
    """The views ``text`` (a str or its UTF-8) asks for; with ``attacks``, whether the attack-specific parts
    occur in it too (in the same pass)."""
    found = set((_PARTS_AND_ATTACKS if attacks else _PARTS).Match(text) or ())
    marked, dotted, broken, camel = (part in found for part in range(4))
    if not attacks:
        return WantedViews(marked, dotted, broken, camel)
    return WantedViews(marked, dotted, broken, camel, 4 in found, 5 in found)


@dataclass(frozen=True)
class UnjoinedText:
    text: str
    source: str
    lines: bool = False  # hyphenated line breaks were deleted

    @functools.cached_property
    def _marked(self) -> str:
        """The source with ``MARKER`` in place of each character the view deleted (its own NULs read as spaces):
        built on the first offset mapped."""
        source = self.source
        # (Replacing one character by another: ~0.5 ns per character; only the characters that occur.)
        marked = source.replace(MARKER, " ") if MARKER in source else source
        if self.lines and _BROKEN_LINE in marked:
            marked = marked.replace(_BROKEN_LINE, MARKER * 2)
        for mark in _MARKS:
            if mark in marked:
                marked = marked.replace(mark, MARKER)
        return marked

    @functools.cached_property
    def _kept_at(self) -> list[int]:
        """How many characters the view kept before the start of each ``_CHUNK``-character chunk of the source,
        for the chunks counted so far (``_chunk_of`` counts on as far as an offset needs: a count reads ~1.4 ns
        per character, ~0.15 ms for all of 100 KB, and findings are often near the start)."""
        return [0]

    def _chunk_of(self, position: int) -> int:
        """The chunk of the source that holds the view's character at ``position`` (``0 <= position <
        len(self.text)``): the last one with at most ``position`` characters kept before it."""
        kept = self._kept_at
        if kept[-1] > position:
            return bisect.bisect_right(kept, position) - 1
        marked = self._marked
        while True:
            chunk = len(kept) - 1
            end = (chunk + 1) * _CHUNK
            if end >= len(marked):
                return chunk
            kept.append(kept[-1] + _CHUNK - marked.count(MARKER, end - _CHUNK, end))
            if kept[-1] > position:
                return chunk

    def to_input(self, position: int) -> int:
        """The offset in the source of the view's character at ``position`` (the source's length past the end).

        That is the first offset with more than ``position`` characters kept up to and including it: a binary
        search within the chunk that holds it (``_chunk_of``), each step one count within the chunk (five
        counts over ~50 KB per step cost ~12 ms per 100 KB of soup with a few findings)."""
        if position < 0:
            return position
        if position >= len(self.text):
            return len(self.source)
        if len(self.text) == len(self.source):
            # Nothing deleted (the other edits replace a character by one): the view's offsets are the source's.
            return position
        chunk = self._chunk_of(position)
        marked, first = self._marked, chunk * _CHUNK
        kept_before_chunk = self._kept_at[chunk]
        return nth_kept(
            min(first + _CHUNK, len(marked)),
            position,
            lambda offset: kept_before_chunk + offset - first - marked.count(MARKER, first, offset),
            first,
        )

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_input(start), self.to_input(max(start, end - 1)) + 1


def _tables() -> dict[tuple[bool, bool], bytes]:
    """``unjoin_words``' readings as byte tables, by (dots, lines): underscores (and dots, line breaks) as spaces."""
    tables = {}
    for dots in (False, True):
        for lines in (False, True):
            spaced = b"_" + (b"." if dots else b"") + (b"\n" if lines else b"")
            tables[dots, lines] = bytes.maketrans(spaced, b" " * len(spaced))
    return tables


_TABLES = _tables()
_MARK_BYTES = _MARKS.encode("ascii")
_BROKEN_LINE_BYTES = _BROKEN_LINE.encode("ascii")


def unjoin_words(text: str, dots: bool = False, lines: bool = False) -> UnjoinedText | None:
    """The view with marks deleted and underscores read as spaces, or None when it is ``text`` itself; with
    ``dots``, dots read as spaces too; with ``lines``, hyphenated line breaks deleted and line breaks read as
    spaces."""
    deletes = any(mark in text for mark in _MARKS) or (lines and _BROKEN_LINE in text)
    if deletes and text.isascii():
        # One C-level pass over the bytes: ``bytes.translate`` deletes and replaces at once (~1.3 ns per byte),
        # where ``str.replace`` deletes a character at ~3.4 ns per character of text with many of them.
        data = text.encode("ascii")
        if lines:
            data = data.replace(_BROKEN_LINE_BYTES, b"")
        view = data.translate(_TABLES[dots, lines], _MARK_BYTES).decode("ascii")
    else:
        # C-level replaces (``str.translate`` with deletions leaves its fast path on any non-ASCII text: ~60 ns
        # per character), each only when its character occurs (a deleting replace that finds nothing still
        # reads the text: ~35 us per 100 KB); replacing one character by another is cheap (~0.5 ns a character).
        view = text.replace(_BROKEN_LINE, "") if lines and _BROKEN_LINE in text else text
        for mark in _MARKS:
            if mark in view:
                view = view.replace(mark, "")
        if "_" in view:
            view = view.replace("_", " ")
        if dots and "." in view:
            view = view.replace(".", " ")
        if lines and "\n" in view:
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
