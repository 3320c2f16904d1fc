"""Reading our own RE2 patterns (never input text): where their counted repeats are, and rewriting them.

Both scanners widen counted repeats in prefilter copies of their patterns: ``{0,40}``
between words makes RE2's DFA track every count at every offset, ``*`` does not, and
a widened copy matches a superset, so an exact search afterwards decides. The
tokenizer here skips escapes (``\\{2,3}``, ``\\p{L}``, ``\\x{41}``) and character
classes (``[{1,3}]``, also ``[]{1,2}]`` whose first ``]`` is a member).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator

# low, high (None for ``{m,}``) -> replacement text, or None to keep the repeat as written.
Rewrite = Callable[[int, int | None], str | None]


def _atoms(regex: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each escape (whole), character class (whole) and other single character of
    ``regex``, in order."""
    position, length = 0, len(regex)
    while position < length:
        char = regex[position]
        if char == "\\":
            end = _escape_end(regex, position)
        elif char == "[":
            end = _class_end(regex, position)
        else:
            end = position + 1
        yield position, end
        position = end


def counted_repeats(regex: str) -> Iterator[tuple[int, int, int, int | None]]:
    """``(start, end, low, high)`` of each ``{m,n}`` / ``{m,}`` repeat operator in ``regex``
    (``high`` None when open). Exact counts ``{m}`` are not ranges and are not listed."""
    for position, _end in _atoms(regex):
        if regex[position] != "{":
            continue
        close = regex.find("}", position)
        low, comma, high = regex[position + 1 : close].partition(",") if close != -1 else ("", "", "")
        if comma and low.isdigit() and (high == "" or high.isdigit()):
            # (the digits and comma inside are single-character atoms: never a "{" of their own)
            yield position, close + 1, int(low), int(high) if high else None


def rewrite_counted_repeats(regex: str, rewrite: Rewrite) -> str:
    """``regex`` with each counted repeat replaced by ``rewrite(low, high)`` where that is not None."""
    out: list[str] = []
    last = 0
    for start, end, low, high in counted_repeats(regex):
        replacement = rewrite(low, high)
        if replacement is not None:
            out.append(regex[last:start])
            out.append(replacement)
            last = end
    out.append(regex[last:])
    return "".join(out)


def with_curly_apostrophes(regex: str) -> str:
    """``regex`` with every apostrophe it matches also matching the typographic one (U+2019): ``'`` outside
    a class becomes ``['’]``, a class holding ``'`` also holds U+2019. Text typed on phones and word
    processors writes "don’t", "I’m"; a rule written with ``don'?t`` would otherwise miss it."""
    out: list[str] = []
    for start, end in _atoms(regex):
        atom = regex[start:end]
        if atom == "'":
            atom = "['’]"
        elif atom[0] == "[" and "'" in atom and "’" not in atom:
            # Before a closing unescaped "-" (a literal there), not after it: "[#-’]" is the range from "#" to U+2019.
            before_dash = atom[:-2]
            escapes = len(before_dash) - len(before_dash.rstrip("\\"))
            if atom.endswith("-]") and escapes % 2 == 0:
                atom = before_dash + "’-]"
            else:
                atom = atom[:-1] + "’]"
        out.append(atom)
    return "".join(out)


def _class_end(regex: str, position: int) -> int:
    """Index just past the character class that starts at ``regex[position] == "["`` (a "]" right after
    "[" or "[^" is a member, not the end)."""
    length = len(regex)
    position += 1
    if position < length and regex[position] == "^":
        position += 1
    if position < length and regex[position] == "]":
        position += 1
    while position < length and regex[position] != "]":
        position += 2 if regex[position] == "\\" else 1
    return min(position + 1, length)


def _escape_end(regex: str, position: int) -> int:
    """Index just past the escape at ``regex[position] == "\\"`` (``\\p{L}`` and ``\\x{41}`` whole)."""
    end = position + 2
    if end < len(regex) and regex[position + 1] in "pPx" and regex[end] == "{":
        end = regex.index("}", end) + 1
    return end


def top_level_branches(regex: str) -> list[list[str]]:
    """The top-level alternatives of ``regex``, each as its sequence of elements: an atom (escape, class,
    group, character) with its repeat operator, if any (``a``, ``\\s+``, ``(?:x|y){0,3}?``, ``[^.\\n]*``).
    Joining a branch's elements gives the branch back; joining the branches with ``|`` gives ``regex``."""
    branches: list[list[str]] = [[]]
    position, length = 0, len(regex)
    while position < length:
        start, char = position, regex[position]
        if char == "|":
            branches.append([])
            position += 1
            continue
        if char == "\\":
            position = _escape_end(regex, position)
        elif char == "[":
            position = _class_end(regex, position)
        elif char == "(":
            depth = 0
            while True:
                inner = regex[position]
                if inner == "\\":
                    position = _escape_end(regex, position)
                    continue
                if inner == "[":
                    position = _class_end(regex, position)
                    continue
                depth += {"(": 1, ")": -1}.get(inner, 0)
                position += 1
                if depth == 0:
                    break
        else:
            position += 1
        if position < length and regex[position] in "*+?":
            position += 1
        elif position < length and regex[position] == "{":
            close = regex.find("}", position)
            low, _, high = regex[position + 1 : close].partition(",") if close != -1 else ("", "", "")
            if low.isdigit() and (high == "" or high.isdigit()):
                position = close + 1
        if position < length and regex[position] == "?" and regex[start:position][-1:] in ("*", "+", "?", "}"):
            position += 1  # lazy
        branches[-1].append(regex[start:position])
    return branches


def regex_words(regex: str, shortest: int = 3) -> list[str]:
    """The lower-cased runs of ``shortest`` or more ASCII letters in a regex source, each once, in order: the words a
    pattern is written with (and pieces of them, "analy" of "analy[sz]e")."""
    words: dict[str, None] = {}
    word: list[str] = []
    for char in regex + " ":
        if char in _ASCII_LETTERS:
            word.append(char)
            continue
        if len(word) >= shortest:
            words["".join(word).lower()] = None
        word = []
    return list(words)


_ASCII_LETTERS = frozenset(string.ascii_letters)
