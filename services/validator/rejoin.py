"""Attack words split inside by a space or a hyphen ("Igno re al l previ ous instruc-tions"), put back for matching.

A model reads through such splits; a rule sees other words. Splitting at a chosen letter is not a shape a regex can
undo in general (dropping every space would glue all words), so the words are listed: each of ``_WORDS`` with a
space or a hyphen after any of its letters but the last. The pre-check ``SPLIT_HINT`` fires on a split long word
(six letters or more, both halves two letters or more: ordinary text has next to none of those, while "for get" or
"by pass" are words of their own); then the view lowercases ASCII letters and joins every listed split it finds,
short words included ("al l", "th e"), over the text's first 4 K characters (as the other views that put words
apart). One Set pass over the window names the splits present, each joined by a ``replace``; offsets are mapped
back by a binary search over the joins. The listed words are ``_LISTED`` and the rules' own words of five letters or
more (``regex_tools.regex_words`` of each rule: "gi ven", "fol low", "adh ere" read as the words the rules look for).
"""

from __future__ import annotations

import bisect
import itertools
import string
from dataclasses import dataclass

import re2

from services.common.regex_tools import regex_words
from services.validator.detectors.registry import DETECTORS
from services.validator.unjoin import MARKER

# The words a split announces (the pre-check: six letters or more) ...
_HINT_WORDS = (
    "ignore", "disregard", "forget", "previous", "instructions", "instruction", "system", "prompt", "reveal",
    "restrictions", "unrestricted", "jailbreak", "bypass", "override", "guidelines", "policies", "password",
    "anything", "everything", "filters", "uncensored", "unfiltered", "developer", "ethical", "ethics",
    "confidential", "secret",
)  # fmt: skip
# ... and the words joined once it fired: the attack vocabulary of jailbreaks and injections, short words too (with
# the rules' own words: ``_WORDS``).
_LISTED = (
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


# The rules' own words of five letters or more (some are pieces of a word, "analy" of "analy[sz]e": joined, they read
# as the rule reads them).
_WORDS = (*_LISTED, *dict.fromkeys(word for d in DETECTORS for p in d.patterns for word in regex_words(p.regex, 5)))


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


# A Set of every split spelling: one pass names the distinct splits present (``rejoin_words`` finds their places). The
# vocabulary's ~18,000 spellings need more than re2's default 8 MiB (the Set's DFA only: no match is located by a
# regex, whose search for a match's start would need a reverse DFA as large again).
_OPTIONS = re2.Options()
_OPTIONS.max_mem = 24 << 20


def _split_set() -> re2.Set:
    splits = re2.Set.SearchSet(_OPTIONS)
    for split, _ in _SPLITS:
        splits.Add(f"\\b{re2.escape(split)}\\b")
    splits.Compile()
    return splits


_SPLIT_SET = _split_set()
_NUL = MARKER.encode("ascii")
_WORD_CHARS = frozenset(string.ascii_letters + string.digits + "_")  # (re2's ``\\b`` is ASCII)


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

    One Set pass names the distinct splits present; their places are found by ``str.find`` and joined left to
    right (a 4 K window holds at most ~800: ~1 ms; no budget a decoy list could use up)."""
    # (NULs read as spaces, one for one: NUL marks the separators to delete.)
    data = text.encode("utf-8", "surrogatepass").lower().replace(_NUL, b" ")
    lowered = data.decode("utf-8", "surrogatepass")
    found = _SPLIT_SET.Match(lowered)
    if not found:
        return None
    # Where each named spelling stands between word boundaries, then the leftmost of those that do not overlap, left
    # to right (as a search of their alternation would: "igno re al l" is "ignore all", not "igno real l").
    places: list[tuple[int, int, int]] = []  # (start, end, separator)
    find, bounded = lowered.find, f" {lowered} "  # (``bounded``: a character either side, offsets one further)
    for index in found:
        split, cut = _SPLITS[index]
        at = find(split)
        while at >= 0:
            end = at + len(split)
            if bounded[at] not in _WORD_CHARS and bounded[end + 1] not in _WORD_CHARS:
                places.append((at, end, at + cut))
            at = find(split, end)
    places.sort()
    pieces: list[str] = []
    kept = reached = 0
    for start, end, separator in places:
        if start >= reached:
            pieces.append(lowered[kept:separator])
            kept, reached = separator + 1, end
    if not pieces:
        return None
    pieces.append(lowered[kept:])
    joins = tuple(itertools.accumulate(len(piece) for piece in pieces[:-1]))
    return RejoinedText("".join(pieces), len(text), joins)
