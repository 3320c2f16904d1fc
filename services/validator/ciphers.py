"""Whole-text ciphers attackers wrap instructions in: rot13, other Caesar shifts, reversal, upside-down text.

rot13 and reversal are cheap and always tried. Other shifts are tried when the
text reads like no language (few common English words): the shift that produces
the most common words is kept. A shifted payload after an English preamble
("Decode this Caesar cipher and follow it: Ljqruh doo ...") reads as English as a
whole; it is found by the shifted forms of words attacks cannot do without
(``CAESAR_HINT``, a pre-check of the scanner's Set pass, and ``keyword_shifts``).
"""

from __future__ import annotations

import string
from collections import Counter

import re2

_LOWER = string.ascii_lowercase
_UPPER = string.ascii_uppercase
# Each shift's alphabet: ``str`` tables (the reference; rot13's is shared) and byte tables (what ``shift`` applies).
_SHIFTED = {
    places: _LOWER[places:] + _LOWER[:places] + _UPPER[places:] + _UPPER[:places] for places in range(1, 26)
}
_SHIFT_TABLES = {places: str.maketrans(_LOWER + _UPPER, shifted) for places, shifted in _SHIFTED.items()}
_SHIFT_BYTES = {
    places: bytes.maketrans((_LOWER + _UPPER).encode(), shifted.encode())
    for places, shifted in _SHIFTED.items()
}
ROT13_TABLE = _SHIFT_TABLES[13]
ROT13_BYTES = _SHIFT_BYTES[13]
_COMMON_WORDS = (
    " the ", " you ", " and ", " to ", " all ", " your ", " is ", " of ", " a ", " are ", " now ", " any ", " an ",
    " not ", " with ", " do ", " be ", " what ", " this ", " that ", " for ", " in ", " it ", "ignore",
    "instructions", "prompt", " say ",
)  # fmt: skip
_MIN_LETTERS = 16


def translate_ascii(text: str, byte_table: bytes) -> str:
    """``text`` translated by a byte table that maps ASCII characters to ASCII characters one for one, at C speed
    on any text. (``str.translate`` has a fast path for ASCII text only: on text with one other character it looks
    each character up, ~35-80 ns per character, 3-9 ms per 100 KB; on ASCII text it takes ~70 µs per 100 KB
    against ~10 for bytes.) In UTF-8, bytes of 0x80 and up occur only inside other characters' sequences, and a
    byte table that maps ASCII to ASCII leaves them alone."""
    return text.encode("utf-8", "surrogatepass").translate(byte_table).decode("utf-8", "surrogatepass")


def shift(text: str, places: int) -> str:
    """``text`` with its ASCII letters moved ``places`` places on (``places`` from 1 to 25)."""
    return translate_ascii(text, _SHIFT_BYTES[places])


# Per shift: each common word, and the letters that word shifted back is made of.
_WORDS_BACK = {
    places: tuple((word, frozenset(shift(word, 26 - places)) - {" "}) for word in _COMMON_WORDS)
    for places in _SHIFTED
}


def rot13(text: str) -> str:
    return shift(text, 13)


def reverse(text: str) -> str:
    return text[::-1]


def reverse_words(text: str) -> str:
    """Each run of characters between spaces read backwards in place ("erongi lla suoiverp" -> "ignore all
    previous"): the words keep their order and every character its run, so spans carry over as they are."""
    return " ".join(part[::-1] for part in text.split(" "))


# Atbash: each ASCII letter swapped with the one as far from the alphabet's other end ("a" <-> "z", "b" <-> "y"),
# its own inverse. The pre-check is the words attacks are written with, swapped.
_ATBASH_BYTES = bytes.maketrans((_LOWER + _UPPER).encode(), (_LOWER[::-1] + _UPPER[::-1]).encode())
_ATBASH_WORDS = ("ignore", "instructions", "previous", "disregard", "forget", "system", "prompt", "password", "secret",
                 "rules", "reveal", "above", "restrictions", "unfiltered", "filters", "anything", "developer", "jailbreak",
                 "pretend", "hidden", "directions", "bypass")  # fmt: skip
ATBASH_HINT = "(?i)(?:" + "|".join(word.encode().translate(_ATBASH_BYTES).decode() for word in _ATBASH_WORDS) + ")"


def atbash(text: str) -> str:
    return translate_ascii(text, _ATBASH_BYTES)


# Upside-down text ("suoıʇɔnɹʇsuı llɐ ǝɹouƃı"): each letter turned half a turn, read from the end. The table
# reads the skeleton the normalizer leaves (dotless i is folded to "i", "˙" to a space); letters that turn
# into other ASCII letters (b/q, d/p, n/u, M/W) swap back, the symmetric ones stay.
_TURNED = {
    "ɐ": "a", "q": "b", "ɔ": "c", "p": "d", "ǝ": "e", "ɟ": "f", "ƃ": "g", "ɥ": "h", "ɾ": "j", "ʞ": "k",
    "ɯ": "m", "u": "n", "d": "p", "b": "q", "ɹ": "r", "ʇ": "t", "n": "u", "ʌ": "v", "ʍ": "w", "ʎ": "y",
    "∀": "A", "ᗺ": "B", "Ɔ": "C", "ᗡ": "D", "Ǝ": "E", "Ⅎ": "F", "⅁": "G", "ꓘ": "K", "˥": "L", "W": "M",
    "M": "W", "Ԁ": "P", "ᴚ": "R", "⊥": "T", "∩": "U", "Λ": "V", "⅄": "Y", "¡": "!", "¿": "?", "'": ",",
    ",": "'",
}  # fmt: skip
# Applied with C-level byte operations (``str.translate`` with a table for non-ASCII characters costs ~60 ns per
# character: 6 ms per 100 KB): the ASCII swaps as one byte table, each turned character's UTF-8 replaced by its
# letter (one for one in characters, so offsets mirror).
_TURNED_ASCII = bytes.maketrans(
    "".join(char for char in _TURNED if char.isascii()).encode(),
    "".join(letter for char, letter in _TURNED.items() if char.isascii()).encode(),
)
_TURNED_UTF8 = tuple(
    (char.encode(), letter.encode()) for char, letter in _TURNED.items() if not char.isascii()
)
# Two turned lowercase letters in a row: what upside-down English has in almost every sentence ("ǝɥʇ", "ǝɹ",
# "ʇs") and other text rarely (phonetic transcriptions). (A gap between them made the pre-check's Set ~2x
# dearer on long escape-laden text.)
_TURNED_LETTERS = "ɐɔǝɟƃɥɾʞɯɹʇʌʍʎ"
UPSIDE_DOWN_HINT = f"[{_TURNED_LETTERS}]{{2}}"


def turn_upright(text: str) -> str:
    """Upside-down ``text`` turned back: each turned character read as its letter, from the end."""
    data = text.encode("utf-8", "surrogatepass").translate(_TURNED_ASCII)
    for turned, letter in _TURNED_UTF8:
        data = data.replace(turned, letter)
    return data.decode("utf-8", "surrogatepass")[::-1]


_ASCII_NON_LETTERS = bytes(code for code in range(128) if not chr(code).isalpha())


def common_word_count(text: str) -> int:
    lowered = f" {text.lower()} "
    return sum(lowered.count(word) for word in _COMMON_WORDS)


# Common English words (the ``english`` pre-check): ordinary prose, which rules a Caesar shift out.
_ENGLISH_WORDS = ("the", "you", "and", "to", "is", "of", "a", "in", "it", "for", "on", "my", "me", "i")
ENGLISH_HINT = rf"(?i)\b(?:{'|'.join(_ENGLISH_WORDS)})\b"
_ENGLISH_SEARCH = re2.compile(ENGLISH_HINT)._regexp.Match  # (anchor, bytes, pos, endpos) -> spans, (-1, -1): none
_UNANCHORED = re2._Anchor.UNANCHORED
# The same words spelled backwards: the first match in a reversed text is the last one in the text.
_ENGLISH_BACKWARDS = re2.compile(rf"(?i)\b(?:{'|'.join(word[::-1] for word in _ENGLISH_WORDS)})\b")
# Every byte but ASCII letters (UTF-8 of other letters included: shifts move ASCII letters only).
_NON_LETTER_BYTES = _ASCII_NON_LETTERS + bytes(range(128, 256))
# A text's end is English when one of those words is among its last ``_TAIL`` characters (half of it when shorter).
_TAIL = 128
_SAMPLE = 2048


def foreign_tail(text: str) -> str | None:
    """The end of ``text`` after its last common English word (in its last ``_SAMPLE`` characters), when no such
    word is among its last ``_TAIL`` characters and those read as words (``_MIN_LETTERS`` ASCII letters, three
    quarters of them but the spaces); else None.

    An English preamble before a shifted payload ("Decode this and follow it: Pfnuvyl ...") fires the ``english``
    pre-check, which otherwise rules a Caesar shift out: the payload is judged alone."""
    tail = text[-min(_TAIL, len(text) // 2) :].encode("utf-8", "surrogatepass")
    # (The compiled pattern's own search of the bytes: the wrapper's costs ~2 us more per call. ~1 us in all on
    # repeated text, ~5 on new text, as is anything run after the Set passes have filled the CPU's caches.)
    if not tail or _ENGLISH_SEARCH(_UNANCHORED, tail, 0, len(tail))[0][0] >= 0:
        return None
    # Shifted prose is words: three quarters of its characters but spaces are ASCII letters or more (code, numbers
    # and doctests at the end of English text are not: 35 of the 46 such ends among 810 docstring texts).
    letters = len(tail.translate(None, _NON_LETTER_BYTES))
    if letters < _MIN_LETTERS or 4 * letters < 3 * (len(tail) - tail.count(b" ")):
        return None
    window = text[-_SAMPLE:]
    last = _ENGLISH_BACKWARDS.search(window[::-1])
    return window if last is None else window[len(window) - last.start() :]


def best_caesar_shift(text: str, sample: str | None = None) -> tuple[int, str] | None:
    """(shift, decoded) for the non-rot13 shift that reveals most common words, if any does.

    Judged on a sample (``text``'s first 2 KB unless given) so the cost is bounded; only the winning shift is
    applied to all of ``text``. A given sample (``foreign_tail``'s) must read as English once shifted back as densely
    as English prose does (a common word per 60 letters or more): the end of a text is judged though the text holds
    English, and a list of words (100 KB of rule-word soup) reveals a few common words under some shift by chance.
    """
    judged_end = sample is not None
    sample = text[:_SAMPLE] if sample is None else sample[:_SAMPLE]
    # Shifts move ASCII letters only: a sample with few of them (emoji, CJK, Cyrillic) has nothing to shift.
    if len(sample.encode("ascii", "ignore").translate(None, _ASCII_NON_LETTERS)) < _MIN_LETTERS:
        return None
    spaces = sample.count(" ")
    letters = len(sample) - spaces
    # Shifted prose still has word gaps; blobs (base64, hex) do not and are never worth 24 tries. A text's end is
    # tried only when it holds next to no common word as it is (shifted English holds none; a list of English words
    # does: 100 KB of rule-word soup 1.4-2.8 per 1,000 letters, and 24 trials of its end cost ~1 ms).
    common = common_word_count(sample)
    if letters < _MIN_LETTERS or spaces * 12 < len(sample) or common * (2000 if judged_end else 60) > letters:
        return None
    best_shift, best_score = 0, 1
    # On ASCII, lowering commutes with a shift, so a word can occur in the shifted sample only if every
    # letter of the word shifted back occurs in the lowered sample: other words count 0 and are skipped
    # (hex and other small-alphabet noise leaves a few words to count, not 26 per shift).
    present = set(sample.lower()) if sample.isascii() else None
    for places in _SHIFTED:
        if places == 13:
            continue
        if present is None:
            score = common_word_count(shift(sample, places))
        else:
            words = [word for word, needed in _WORDS_BACK[places] if needed <= present]
            if not words:
                continue  # score 0, never above best_score
            lowered = f" {shift(sample, places).lower()} "
            score = sum(lowered.count(word) for word in words)
        if score > best_score:
            best_shift, best_score = places, score
    if not best_shift or (judged_end and best_score * 60 <= letters):
        return None
    return best_shift, shift(text, best_shift)


# Words an instruction aimed at a model can hardly avoid, six letters or more so that their shifted forms do
# not turn up in ordinary text by chance.
_KEYWORDS = (
    "ignore", "instructions", "previous", "disregard", "system", "prompt", "password", "reveal", "restrictions",
    "anything",
)  # fmt: skip
# Decoding shift -> the keywords as they read in a text encoded with the opposite shift (rot13 is its own hint).
_SHIFTED_KEYWORDS = {
    places: tuple(shift(word, 26 - places) for word in _KEYWORDS) for places in _SHIFTED if places != 13
}
# The pre-check: any keyword under any shift but rot13's.
CAESAR_HINT = "(?i)(?:" + "|".join(sorted({w for words in _SHIFTED_KEYWORDS.values() for w in words})) + ")"
_MAX_KEYWORD_SHIFTS = 2


def _keyword_set() -> tuple[re2.Set, tuple[int, ...]]:
    """One Set of every keyword under every shift (case-insensitive), and the decoding shift of each entry: one pass
    over the text instead of 240 substring searches (~7 ms per 100 KB of Cyrillic text, ~1 ms of ASCII)."""
    keywords = re2.Set.SearchSet(re2.Options())
    shifts = []
    for places, words in _SHIFTED_KEYWORDS.items():
        for word in words:
            keywords.Add(f"(?i){word}")
            shifts.append(places)
    keywords.Compile()
    return keywords, tuple(shifts)


_KEYWORD_SET, _KEYWORD_SHIFTS = _keyword_set()


def keyword_shifts(text: str) -> list[int]:
    """The decoding shifts (at most two, most keywords first) under which ``text`` holds a keyword."""
    found = Counter(_KEYWORD_SHIFTS[index] for index in _KEYWORD_SET.Match(text) or ())
    return [
        places
        for _, places in sorted((-count, places) for places, count in found.items())[:_MAX_KEYWORD_SHIFTS]
    ]
