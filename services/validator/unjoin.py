"""Words broken up by Markdown inside them, or joined into identifiers, put back for matching.

"Ig**no**re all pre*vi*ous in`struc`tions" and "ignore_all_previous_instructions" read as the attack to a
model and as no words at all to a rule. The view built here deletes the Markdown emphasis and code marks
(``*``, `````, ``~``) and reads underscores as spaces; it is built only when the pre-check ``JOINED_HINT``
fires (a mark inside a word, an attack's verb joined to its object by an underscore, a five-word
identifier), so ordinary text, and most code with its snake_case and its ``a*b``, never pays for it.

Offsets: underscores become spaces in place; the deleted marks are counted back with C-level ``str.count``
(a binary search over the text per offset mapped), so the view is built in a few C-level passes whatever
the number of marks, and only the spans of findings are mapped.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.validator.spacing import nth_kept

# A mark between two letters of a word (two on each side: "a*b" is code), an attack's verb and its object in
# one identifier, or a whole phrase in one (five words: code rarely names things that long; 3 of 800 chunks of
# the standard library's docstrings).
JOINED_HINT = (
    r"[A-Za-z]{2}(?:\*{1,3}|~~|`)[A-Za-z]{2}|\b[A-Za-z]+(?:_+[A-Za-z]+){4,}\b|"
    r"(?i:\b(?:ignore|disregard|forget|bypass|override|reveal|print|show|repeat|enable|activate)_+"
    r"(?:all|any|every|the|your|my|previous|prior|above|earlier|system|safety|instructions?|rules|prompt|"
    r"guidelines|everything|developer|jailbreak|dan|god)(?:_|\b))"
)
_MARKS = "*`~"
_VIEW_TABLE = str.maketrans({"*": None, "`": None, "~": None, "_": " "})


@dataclass(frozen=True)
class UnjoinedText:
    text: str
    source: str

    def _kept_before(self, index: int) -> int:
        source = self.source
        return index - source.count("*", 0, index) - source.count("`", 0, index) - source.count("~", 0, index)

    def to_input(self, position: int) -> int:
        """The offset in the source of the view's character at ``position`` (the source's length past the end)."""
        if position < 0:
            return position
        if position >= len(self.text):
            return len(self.source)
        return nth_kept(len(self.source), position, self._kept_before)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_input(start), self.to_input(max(start, end - 1)) + 1


def unjoin_words(text: str) -> UnjoinedText | None:
    """The view with marks deleted and underscores read as spaces, or None when it is ``text`` itself."""
    view = text.translate(_VIEW_TABLE)
    return None if view == text else UnjoinedText(view, text)
