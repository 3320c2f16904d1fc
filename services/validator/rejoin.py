"""Attack words split inside by a space or a hyphen ("Igno re al l previ ous instruc-tions"), put back for matching.

A model reads through such splits; a rule sees other words. Splitting at a chosen letter is not a shape a regex can
undo in general (dropping every space would glue all words), so the words are listed: each of ``_WORDS`` with a
space or a hyphen after any of its letters but the last. The pre-check ``SPLIT_HINT`` fires on a split long word
(six letters or more, both halves two letters or more: ordinary text has next to none of those, while "for get" or
"by pass" are words of their own); then the view lowercases ASCII letters and joins every listed split it finds,
short words included ("al l", "th e"), over the text's first 8 K characters (as the other views that put words
apart). C-level work: one Set pass names the splits present, one ``replace`` per split present (at most 128, the
pre-check's words first) marks its separator, one deletes the marks; offsets are counted back like the unjoined
view's.
"""

from __future__ import annotations

from dataclasses import dataclass

import re2

from services.validator.spacing import nth_kept

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
_MAX_JOINS = 128
# Characters a text almost never holds, to mark the separators to delete with.
_MARKERS = ("\x00", "\x01", *(chr(code) for code in range(0xFDD0, 0xFDF0)))


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


def _split_set() -> re2.Set:
    splits = re2.Set.SearchSet(re2.Options())
    for split, _ in _SPLITS:
        splits.Add(f"\\b{re2.escape(split)}\\b")
    splits.Compile()
    return splits


_SPLIT_SET = _split_set()


@dataclass(frozen=True)
class RejoinedText:
    text: str
    # The source lowercased (ASCII letters), with ``marker`` in place of each separator deleted.
    marked: str
    marker: str

    def to_input(self, position: int) -> int:
        """The offset in the source of the view's character at ``position`` (the source's length past the end)."""
        if position < 0:
            return position
        if position >= len(self.text):
            return len(self.marked)
        return nth_kept(
            len(self.marked), position, lambda index: index - self.marked.count(self.marker, 0, index)
        )

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_input(start), self.to_input(max(start, end - 1)) + 1


def rejoin_words(text: str) -> RejoinedText | None:
    """The view with ASCII letters lowercased and each listed split word joined, or None when none occurs."""
    marker = next((char for char in _MARKERS if char not in text), None)
    if marker is None:
        return None
    lowered = text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    found = _SPLIT_SET.Match(lowered)
    if not found:
        return None
    marked = lowered
    # At most ``_MAX_JOINS`` distinct splits (one 8 K-character replace each, ~5 µs): the listed order puts the
    # words the pre-check knows first.
    for index in sorted(found)[:_MAX_JOINS]:
        split, cut = _SPLITS[index]
        marked = marked.replace(split, split[:cut] + marker + split[cut + 1 :])
    return RejoinedText(marked.replace(marker, ""), marked, marker)
