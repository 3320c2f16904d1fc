"""Attack words split inside by a space or a hyphen ("Igno re al l previ ous instruc-tions"), put back for matching.

A model reads through such splits; a rule sees other words. Splitting at a chosen letter is not a shape a regex can
undo in general (dropping every space would glue all words), so the words are listed: each of ``_WORDS`` with a
space or a hyphen after any of its letters but the last. The pre-check ``SPLIT_HINT`` fires on a split long word
(six letters or more, both halves two letters or more: ordinary text has next to none of those, while "for get" or
"by pass" are words of their own); then the view lowercases ASCII letters and joins every listed split it finds,
short words included ("al l", "th e"), over the text's first 4 K characters (as the other views that put words
apart). One regex pass over the window finds the splits left to right; offsets are mapped back by a binary search
over the joins.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

import re2

from services.validator.unjoin import MARKER

# The words a split announces (the pre-check: six letters or more) ...
_HINT_WORDS = (
    "ignore", "disregard", "forget", "previous", "instructions", "instruction", "system", "prompt", "reveal",
    "restrictions", "unrestricted", "jailbreak", "bypass", "override", "guidelines", "policies", "password",
    "anything", "everything", "filters", "uncensored", "unfiltered", "developer", "ethical", "ethics",
    "confidential", "secret",
)  # fmt: skip
# ... and the words joined once it fired: the attack vocabulary of jailbreaks and injections, short words too.
_WORDS = (
    *_HINT_WORDS, "above", "earlier", "prior", "rules", "all", "your", "the", "any", "you", "now", "from", "before",
    "respond", "response", "responses", "answer", "answers", "request", "requests", "character", "pretend",
    "roleplay", "role", "unlimited", "limits", "limitations", "restricted", "restrained", "unrestrained",
    "amoral", "immoral", "unethical", "illegal", "legality", "morality", "refuse", "refuses", "decline",
    "without", "openai", "chatgpt", "content", "policy", "freedom", "simulation", "simulate", "explicitly",
    "approved", "mode", "enabled", "enable", "disable", "disabled", "censor", "censored", "filter", "filtered",
    "harmful", "dangerous", "offensive", "always", "never", "must", "will", "stay", "break", "warning",
    "disclaimer", "disclaimers", "apologize", "sorry", "assistant", "model", "language", "human", "persona",
    "hypothetical", "fictional", "story", "game", "print", "repeat", "output", "initial", "original", "text",
    "message", "messages", "conversation", "admin", "administrator", "access", "granted", "authorized",
    "directions", "directives", "commands", "orders", "tasks", "guidance", "hidden", "secrets", "credentials",
    "keys", "token", "tokens", "private", "internal",
)  # fmt: skip
_SEPARATORS = (" ", "-")


def _splits(words: tuple[str, ...], least: int, shortest_word: int) -> list[tuple[str, int]]:
    """(split spelling, offset of its separator) of each of ``words`` of ``shortest_word`` letters or more, both
    halves ``least`` letters or more."""
    return [
        (word[:cut] + separator + word[cut:], cut)
        for word in dict.fromkeys(words)
        if len(word) >= shortest_word
        for cut in range(least, len(word) - least + 1)
        for separator in _SEPARATORS
    ]


SPLIT_HINT = "(?i)\\b(?:" + "|".join(re2.escape(split) for split, _ in _splits(_HINT_WORDS, 2, 6)) + ")\\b"
_SPLITS = _splits(_WORDS, 1, 1)


def split_spellings() -> list[str]:
    """Every split spelling the view joins (for benchmarks and tests)."""
    return [split for split, _ in _SPLITS]


# One alternation of every split, found left to right (joins in text order: no decoy list can use up a budget);
# the offset of each split's separator by its spelling; a Set of them, to name the distinct splits present.
_SPLIT_RE = re2.compile("\\b(?:" + "|".join(re2.escape(split) for split, _ in _SPLITS) + ")\\b")
_CUTS = dict(_SPLITS)
_MAX_REPLACED = 32


def _split_set() -> re2.Set:
    splits = re2.Set.SearchSet(re2.Options())
    for split, _ in _SPLITS:
        splits.Add(f"\\b{re2.escape(split)}\\b")
    splits.Compile()
    return splits


_SPLIT_SET = _split_set()
_SPLIT_SEARCH = _SPLIT_RE._regexp.Match  # (anchor, bytes, pos, endpos) -> spans, (-1, -1) for none
_UNANCHORED = re2._Anchor.UNANCHORED
_NUL = MARKER.encode("ascii")


@dataclass(frozen=True)
class RejoinedText:
    text: str
    source_length: int
    # The view offset at which each deleted separator stood (non-decreasing).
    joins: tuple[int, ...]

    def to_input(self, position: int) -> int:
        """The offset in the source of the view's character at ``position`` (the source's length past the end)."""
        if position < 0:
            return position
        if position >= len(self.text):
            return self.source_length
        return position + bisect.bisect_right(self.joins, position)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_input(start), self.to_input(max(start, end - 1)) + 1


def rejoin_words(text: str) -> RejoinedText | None:
    """The view with ASCII letters lowercased, NULs read as spaces and each listed split word joined, or None when
    none occurs.

    One Set pass names the distinct splits present; up to ``_MAX_REPLACED`` of them are joined by C-level
    ``replace`` calls (the common case: a few split words), more (a list of them: a decoy could use up any budget
    taken in the Set's order) by one regex pass left to right, a step per split found (~1 µs each; the 4 K window
    holds at most ~600)."""
    # (NULs read as spaces, one for one: NUL marks the separators to delete.)
    data = text.encode("utf-8", "surrogatepass").lower().replace(_NUL, b" ")
    lowered = data.decode("utf-8", "surrogatepass")
    found = _SPLIT_SET.Match(lowered)
    if not found:
        return None
    if len(found) <= _MAX_REPLACED:
        marked = lowered
        for index in found:
            split, cut = _SPLITS[index]
            marked = marked.replace(split, split[:cut] + MARKER + split[cut + 1 :])
        pieces = marked.split(MARKER)
    else:
        # ``_SPLIT_RE.finditer(lowered)``'s matches, found in the UTF-8 by the compiled pattern's own search (no
        # match objects: ~0.8 us a split where the wrapper's iteration cost ~3 us): each is one ASCII split
        # spelling, so its separator is one byte and the pieces between separators are whole characters.
        cut_bytes = []
        last, position, size = 0, 0, len(data)
        while True:
            start, end = _SPLIT_SEARCH(_UNANCHORED, data, position, size)[0]
            if start < 0:
                break
            separator = start + _CUTS[data[start:end].decode("ascii")]
            cut_bytes.append(data[last:separator])
            last = separator + 1
            position = end
        cut_bytes.append(data[last:])
        pieces = [piece.decode("utf-8", "surrogatepass") for piece in cut_bytes]
    if len(pieces) == 1:
        return None
    joins = tuple(itertools.accumulate(len(piece) for piece in pieces[:-1]))
    return RejoinedText("".join(pieces), len(text), joins)
