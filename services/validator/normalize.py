"""Normalization for matching, with a map back to the caller's original offsets.

The folded text is built from C-speed whole-string operations only (NFKD/NFC,
``str.replace`` of a bounded character list, slicing of re2-found runs), so a
100 KB input costs well under a millisecond. Offsets are not tracked character
by character: findings are rare, so :class:`OffsetMap` recovers an original
offset on demand by folding prefixes of the original (checkpointed every few KB).

Layers produced here:
* ``folded``   NFKC-style compatibility folding, invisible characters, Unicode
  tag characters and variation selectors removed, Latin diacritics stripped.
  Keeps real Cyrillic/CJK/Devanagari/Arabic text intact for multilingual rules.
* ``skeleton`` ``folded`` with Cyrillic/Greek lookalikes folded to ASCII (only
  built when such characters occur; same length as ``folded``).
Smuggled ASCII in tag characters and bytes in variation-selector runs are
decoded and returned as hidden payloads, to be scanned like any other layer.
"""

from __future__ import annotations

import bisect
import codecs
import functools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add, mul
from typing import Protocol

import re2

from services.validator.confusables import ENCLOSED_LETTERS, SCRIPT_LOOKALIKES

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.max_mem = 64 << 20


def _chars(*ranges: tuple[int, int]) -> tuple[str, ...]:
    return tuple(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))


BIDI_CONTROLS = _chars((0x202A, 0x202E), (0x2066, 0x2069), (0x200E, 0x200F), (0x061C, 0x061C))
ZERO_WIDTH_JOINER = "\u200d"
# Characters that render as nothing; stripped before matching.
INVISIBLE_CHARS = (
    *_chars(
        (0x00AD, 0x00AD), (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
        (0x200B, 0x200D), (0x2060, 0x2064), (0x206A, 0x206F), (0x3164, 0x3164), (0xFEFF, 0xFEFF),
        (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB), (0x1D173, 0x1D17A),
    ),
    *BIDI_CONTROLS,
)  # fmt: skip
_TAG_RUN_RE = re2.compile("[\\x{E0000}-\\x{E007F}]+", _RE2_OPTIONS)
_VARIATION_RUN_RE = re2.compile("[\\x{FE00}-\\x{FE0F}\\x{E0100}-\\x{E01EF}]+", _RE2_OPTIONS)
# A run this long is a payload; shorter ones are presentation (one selector after an emoji).
_MIN_SELECTOR_PAYLOAD = 4
_VARIATION_PAYLOAD_RE = re2.compile(
    f"[\\x{{FE00}}-\\x{{FE0F}}\\x{{E0100}}-\\x{{E01EF}}]{{{_MIN_SELECTOR_PAYLOAD},}}", _RE2_OPTIONS
)
_PRESENTATION_SELECTORS_UTF8 = ("\ufe0f".encode(), "\ufe0e".encode())
_HIDDEN_CARRIER_RE = re2.compile(
    "[\\x{E0000}-\\x{E007F}\\x{FE00}-\\x{FE0F}\\x{E0100}-\\x{E01EF}]", _RE2_OPTIONS
)
# A zero-width joiner followed by an emoji (U+2600–U+27BF, U+1F000–U+1FAFF), counted on the UTF-8 bytes:
# both ranges are whole blocks of 64 characters, i.e. fixed lead bytes (E2 98..9E, F0 9F 80..AB).
_ZWJ_UTF8 = "\u200d".encode()
_ZWJ_SUPPLEMENTARY = _ZWJ_UTF8 + b"\xf0\x9f"
_ZWJ_SUPPLEMENTARY_BEYOND = tuple(_ZWJ_SUPPLEMENTARY + bytes((lead,)) for lead in range(0xAC, 0xC0))  # U+1FB00+


def latin1_options() -> re2.Options:
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    return options


_ZWJ_SUPPLEMENTARY_BEYOND_RE = re2.compile(re2.escape(_ZWJ_SUPPLEMENTARY) + b"[\xac-\xbf]", latin1_options())
_ZWJ_SYMBOLS = tuple(_ZWJ_UTF8 + bytes((0xE2, lead)) for lead in range(0x98, 0x9F))


def emoji_joiners(text: str, data: bytes | None = None) -> int:
    """How many zero-width joiners in ``text`` stand right before an emoji (family, profession and flag
    sequences): C-level counts of byte patterns, not a regex match object per joiner. ``data``: ``text``
    in UTF-8, when the caller has it."""
    if data is None:
        data = text.encode("utf-8", "surrogatepass")
    count = data.count(_ZWJ_SUPPLEMENTARY)
    if count and _ZWJ_SUPPLEMENTARY_BEYOND_RE.search(data) is not None:  # U+1FB00.. after a joiner
        count -= sum(data.count(pattern) for pattern in _ZWJ_SUPPLEMENTARY_BEYOND)
    if _ZWJ_UTF8 + b"\xe2" in data:
        count += sum(data.count(pattern) for pattern in _ZWJ_SYMBOLS)
    return count


# Combining-mark blocks stripped after NFKD (Latin accents, Zalgo stacks).
_MARK_BLOCKS = tuple(
    _chars((lo, hi))
    for lo, hi in ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))
)
_LOOKALIKE_ITEMS = tuple(SCRIPT_LOOKALIKES.items())
_ENCLOSED_ITEMS = tuple(ENCLOSED_LETTERS.items())
# More runs than this is an attack on the normalizer itself; fall back to one translate.
_MAX_CARRIER_RUNS = 512
_CARRIER_DELETE = {
    cp: None for cp in (*range(0xE0000, 0xE0080), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))
}
_OFFSET_CHECKPOINT = 1024


# The same runs matched over UTF-8 bytes: no char-offset conversion, the text is encoded once.
_CARRIER_RUN_BYTES_RES = tuple(
    re2.compile(run_re.pattern.encode(), _RE2_OPTIONS) for run_re in (_TAG_RUN_RE, _VARIATION_RUN_RE)
)


def _strip_carriers(text: str) -> str:
    """Remove tag characters and variation selectors (they carry no visible text)."""
    # Emoji presentation selectors first, at C speed: emoji-rich text holds one per emoji, and each would
    # otherwise be a run matched one by one below.
    text = text.replace("\ufe0f", "").replace("\ufe0e", "")
    data = text.encode("utf-8")
    spans = []
    for run_re in _CARRIER_RUN_BYTES_RES:
        for match in run_re.finditer(data):
            spans.append(match.span())
            if len(spans) > _MAX_CARRIER_RUNS:
                return text.translate(_CARRIER_DELETE)
    spans.sort()
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(data[last:start])
        last = end
    pieces.append(data[last:])
    return b"".join(pieces).decode("utf-8")


# Census key for "some tag character or variation selector occurs" (not a single character).
_CARRIERS = "carriers"


class _CharCensus:
    """Which of a fixed list of characters occur in a text: one re2 Set pass, one pattern per character.

    Replaces a ``char in text`` scan per listed character (dozens of full passes over the text) with
    a single pass; callers then touch only the characters that occur, in list order. With
    ``carriers``, the same pass also answers whether any invisible carrier occurs (key ``_CARRIERS``).
    """

    def __init__(
        self, chars: tuple[str, ...], carriers: bool = False, extra: tuple[tuple[str, str], ...] = ()
    ) -> None:
        # ``extra``: (key, regex) pairs answered by the same pass, keyed after the characters.
        keys = (*chars, *(key for key, _ in extra))
        self.keys = (*keys, _CARRIERS) if carriers else keys
        self._set = re2.Set.SearchSet(_RE2_OPTIONS)
        for char in chars:
            self._set.Add(f"\\x{{{ord(char):X}}}")
        for _, regex in extra:
            self._set.Add(regex)
        if carriers:
            self._set.Add(_HIDDEN_CARRIER_RE.pattern)
        self._set.Compile()

    def present(self, text: str | bytes) -> tuple[str, ...]:
        return self.keys_at(self.present_indexes(text))

    def present_indexes(self, text: str | bytes) -> list[int]:
        """Sorted indexes (into ``keys``) of the keys that occur in ``text``."""
        found = self._set.Match(text)
        return sorted(found) if found else []

    def keys_at(self, indexes: list[int]) -> tuple[str, ...]:
        keys = self.keys
        return tuple(keys[i] for i in indexes)


_MARK_CHARS = tuple(mark for marks in _MARK_BLOCKS for mark in marks)
_ENCLOSED = dict(_ENCLOSED_ITEMS)
_LOOKALIKES = dict(_LOOKALIKE_ITEMS)


# After NFKD: carriers, and which invisible characters, combining marks and enclosed letters need folding.
def _composition_seconds() -> set[int]:
    """Characters that can make folding non-local: non-zero canonical combining class (reordering),
    the second character of a canonical pair and Hangul medial/final jamo (composition)."""
    seconds: set[int] = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for cp in (*range(0x80, 0x30000), *range(0xE0000, 0xE1000)):
        char = chr(cp)
        if unicodedata.combining(char):
            seconds.add(cp)
        decomposition = unicodedata.decomposition(char)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(int(parts[1], 16))
    return seconds


_COMPOSITION_SECONDS = _composition_seconds()


def _class_of(codes: set[int], negated: bool = False) -> str:
    """A regex character class of ``codes``, as ranges (an empty one matches nothing)."""
    if not codes:
        return "[\\x{0}-\\x{10FFFF}]" if negated else "[^\\x{0}-\\x{10FFFF}]"
    ranges: list[list[int]] = []
    for cp in sorted(codes):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ("[^" if negated else "[") + "".join(f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in ranges) + "]"


def _surviving_composers() -> re2._Regexp:
    """Characters that can make folding non-local, except those folding deletes anyway.

    Non-zero canonical combining class (reordering), the second character of a canonical pair
    and Hangul medial/final jamo (composition). A text that is already NFKD and has none of these
    folds character by character: ``fold(s) == "".join(fold(c) for c in s)`` for every piece ``s``.
    """
    return re2.compile(_class_of(set(_SURVIVING_COMPOSER_CODES)), _RE2_OPTIONS)


_SURVIVING_COMPOSER_CODES = frozenset(
    _COMPOSITION_SECONDS - {ord(c) for c in (*INVISIBLE_CHARS, *_MARK_CHARS)} - set(_CARRIER_DELETE)
)
_SURVIVING_COMPOSER_RE = _surviving_composers()


_FOLD_CENSUS = _CharCensus((*INVISIBLE_CHARS, *_MARK_CHARS, *_ENCLOSED), carriers=True)
_LOOKALIKE_CENSUS = _CharCensus(tuple(_LOOKALIKES))
# ``normalize``'s single census: the fold census's characters, then the lookalikes, then carriers.
# (and whether a surviving composer occurs: then folding is not character-local).
_COMPOSERS = "composers"
# A zero-width joiner right before a character that is not an emoji (not one ``emoji_joiners`` counts
# after a joiner): absent, every joiner but one ending the text is an emoji joiner, none needs counting.
_LONE_JOINER = "lone joiner"
_LONE_JOINER_RE = r"\x{200D}[^\x{2600}-\x{27BF}\x{1F000}-\x{1FAFF}]"
# A carrier other than the two emoji presentation selectors: absent, stripping carriers is two replaces
# and a payload needs two presentation selectors in a row.
_OTHER_CARRIERS = "other carriers"
_PRESENTATION_SELECTORS = ("\ufe0f", "\ufe0e")
_OTHER_CARRIER_RE = r"[\x{E0000}-\x{E007F}\x{FE00}-\x{FE0D}\x{E0100}-\x{E01EF}]"
# Two presentation selectors in a row: without other carriers, the only way to make a run long enough
# to be a payload.
_SELECTOR_PAIR = "selector pair"
_SELECTOR_PAIR_RE = r"[\x{FE0E}\x{FE0F}]{2}"


# A character that is not ASCII, not a lookalike and not folded away or to ASCII: absent (and no surviving
# composer), the folded text is ASCII and lookalikes only, and ``_fold_only_lookalikes`` applies.
_UNFOLDED = "unfolded"
_UNFOLDED_RE = _class_of(
    set(range(0x80))
    | {ord(c) for c in (*INVISIBLE_CHARS, *_MARK_CHARS, *_ENCLOSED, *_LOOKALIKES)}
    | set(_CARRIER_DELETE),
    negated=True,
)
_NORMALIZE_CENSUS = _CharCensus(
    (*INVISIBLE_CHARS, *_MARK_CHARS, *_ENCLOSED, *_LOOKALIKES),
    carriers=True,
    extra=(
        (_COMPOSERS, _SURVIVING_COMPOSER_RE.pattern),
        (_LONE_JOINER, _LONE_JOINER_RE),
        (_OTHER_CARRIERS, _OTHER_CARRIER_RE),
        (_SELECTOR_PAIR, _SELECTOR_PAIR_RE),
        (_UNFOLDED, _UNFOLDED_RE),
    ),
)
_FOLD_CHAR_COUNT = len(_FOLD_CENSUS.keys) - 1
_LOOKALIKE_END = _FOLD_CHAR_COUNT + len(_LOOKALIKES)
_LONE_JOINER_INDEX = _NORMALIZE_CENSUS.keys.index(_LONE_JOINER)
_OTHER_CARRIERS_INDEX = _NORMALIZE_CENSUS.keys.index(_OTHER_CARRIERS)
_SELECTOR_PAIR_INDEX = _NORMALIZE_CENSUS.keys.index(_SELECTOR_PAIR)
_UNFOLDED_INDEX = _NORMALIZE_CENSUS.keys.index(_UNFOLDED)
_MARK_SET = frozenset(_MARK_CHARS)
# Before folding: carriers to decode, invisible characters to count and report.
_INVISIBLE_CENSUS = _CharCensus(INVISIBLE_CHARS, carriers=True)
_BIDI_SET = frozenset(BIDI_CONTROLS)
_INVISIBLE_COUNT = len(INVISIBLE_CHARS)
if _FOLD_CENSUS.keys[:_INVISIBLE_COUNT] != _INVISIBLE_CENSUS.keys[:_INVISIBLE_COUNT]:
    raise RuntimeError("the fold census must list the invisible characters first, in the same order")
if _NORMALIZE_CENSUS.keys[:_FOLD_CHAR_COUNT] != _FOLD_CENSUS.keys[:_FOLD_CHAR_COUNT]:
    raise RuntimeError("the normalize census must start with the fold census's characters")
# Folding neither deletes nor produces a lookalike (replacements are ASCII): without composition
# by the final NFC, the folded text holds exactly the lookalikes of the NFKD text.
if set(_LOOKALIKES) & set(_FOLD_CENSUS.keys) or not all(v.isascii() for v in _ENCLOSED.values()):
    raise RuntimeError("lookalikes must be disjoint from folded characters; replacements ASCII")
# Neither invisible characters nor carriers compose or reorder: a NFKD text without surviving composers
# and without combining marks holds no character that NFC could change (see ``normalize``).
if _COMPOSITION_SECONDS & ({ord(c) for c in INVISIBLE_CHARS} | set(_CARRIER_DELETE)):
    raise RuntimeError("an invisible character or carrier takes part in canonical composition")
# Each lookalike is two UTF-8 bytes and folds to one ASCII character: folding n of them makes the UTF-8
# text n bytes shorter (``fold_lookalikes`` counts them that way).
if not all(len(k.encode()) == 2 and len(v) == 1 and v.isascii() for k, v in _LOOKALIKES.items()):
    raise RuntimeError("lookalikes must be two UTF-8 bytes each, folded to one ASCII character")


def _split_census(
    indexes: list[int],
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
    """``_NORMALIZE_CENSUS`` indexes -> (invisible census, fold census, lookalikes present,
    whether a surviving composer occurs)."""
    keys = _NORMALIZE_CENSUS.keys
    carriers = (_CARRIERS,) if indexes and indexes[-1] == len(keys) - 1 else ()
    invisible = tuple(keys[i] for i in indexes if i < _INVISIBLE_COUNT) + carriers
    folded = tuple(keys[i] for i in indexes if i < _FOLD_CHAR_COUNT) + carriers
    lookalikes = tuple(keys[i] for i in indexes if _FOLD_CHAR_COUNT <= i < _LOOKALIKE_END)
    return invisible, folded, lookalikes, _LOOKALIKE_END in indexes


def fold(text: str, present: tuple[str, ...] | None = None) -> str:
    """Fold ``text`` for matching (the ``folded`` layer). Pure function of its input.

    ``present``: the fold census of a text whose NFKD holds the same listed characters as
    ``text``'s NFKD (e.g. the census of a longer text ``text`` was cut from); saves the census
    pass. Replacing a listed character that does not occur is a no-op, so a superset is exact too.
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return _fold_decomposed(text, _FOLD_CENSUS.present(text) if present is None else present)


def _fold_decomposed(text: str, present: tuple[str, ...]) -> str:
    """``fold`` of a text already in NFKD, given its fold census."""
    return _fold_decomposed_composed(text, present)[0]


# Above this many distinct listed characters, one ``str.translate`` (~30 ns per character) beats a
# ``str.replace`` per character (~0.7 ns per character each).
_TRANSLATE_ABOVE = 100
# The table of that translate: a list indexed by code point (a dict raises and clears a KeyError for
# every character it does not map, ~2.5x slower; a str table makes a 1-character str per character,
# ~1.3x), every listed character folded (None: deleted), every other one itself; code points past its
# end raise IndexError and are kept. About 5 MB of int objects.
_FOLD_TABLE_END = 0x20000


@functools.cache
def _identity_table() -> list[int | str | None]:
    """Each code point below ``_FOLD_TABLE_END`` itself: the fold tables copy it (sharing its int objects)."""
    return list(range(_FOLD_TABLE_END))


@functools.cache
def _fold_table() -> list[int | str | None]:
    """Built on first use (~10 ms): only layers with that many distinct listed characters need it."""
    table: list[int | str | None] = list(_identity_table())
    for char in (*INVISIBLE_CHARS, *_MARK_CHARS, *_ENCLOSED):
        table[ord(char)] = _ENCLOSED.get(char)
    return table


if max(map(ord, (*INVISIBLE_CHARS, *_MARK_CHARS, *_ENCLOSED))) >= _FOLD_TABLE_END:
    raise RuntimeError("the fold table must cover every listed character")


def _fold_decomposed_composed(
    text: str, present: tuple[str, ...], stripped: str | None = None, composes: bool = True
) -> tuple[str, bool]:
    """(``fold`` of a text already in NFKD, whether the final NFC changed anything), given its
    fold census (and, when known, the text without its carriers). ``composes=False``: the census found
    no surviving composer, so the folded text holds no character NFC could change (no character of
    ``_COMPOSITION_SECONDS``: NFC's quick check answers yes and returns the text itself)."""
    # NFKD neither produces nor decomposes carriers, and deleting or replacing one listed character
    # never makes another listed one appear, so one census of the NFKD text says exactly which
    # steps below change anything. (Stripping carriers after NFKD rather than before can only
    # change the order of combining marks, which the final NFC puts back in canonical order.)
    if present and present[-1] == _CARRIERS:
        text = _strip_carriers(text) if stripped is None else stripped
        present = present[:-1]
    if len(present) > _TRANSLATE_ABOVE:
        # Many distinct characters (e.g. a decoded layer of Myanmar or Devanagari, rich in combining
        # marks): one translate pass instead of a pass per character. The same result: a replacement
        # is ASCII, never a listed character.
        text = text.translate(_fold_table())
    else:
        for char in present:
            replacement = _ENCLOSED.get(char)
            if replacement is not None:
                text = text.replace(char, replacement)
            else:  # invisible character or combining mark
                text = text.replace(char, "")
    if not composes:
        return text, False
    composed = _compose(text)  # the same object when already NFC
    return composed, composed is not text


# A run of surviving composers and the character before it (or the text's start): the only places NFC
# can change in a folded NFKD text (see ``_compose``).
_COMPOSE_WINDOW_RE = re2.compile(f"(?s).?{_SURVIVING_COMPOSER_RE.pattern}+".encode(), _RE2_OPTIONS)
_COMPOSE_WINDOWED_FROM = 4096  # shorter texts: one NFC call


class _RawRegexp(Protocol):
    """The compiled pattern under a ``re2`` regex: a search returns spans, no match object."""

    def Match(self, anchor: int, text: bytes, pos: int, endpos: int) -> list[tuple[int, int]]: ...


_COMPOSE_WINDOW_RAW: _RawRegexp = _COMPOSE_WINDOW_RE._regexp
_UNANCHORED = re2._Anchor.UNANCHORED
_COMPOSE_CHARS_PER_WINDOW = 32  # fewer characters per window than this: one NFC call is as fast
# Windows found before ``_compose`` considers the composing-pair path (see ``_compose_pairs``).
_PAIR_PROBE_WINDOWS = 32
_WINDOW_SEPARATORS = (b"\0", b"\x01", b"\x02", b"\x03", b"\x04")
# How many distinct composing pairs are worth a ``str.replace`` each (~3.5 ns per character each) instead
# of one NFC call: CPython's NFC of text that composes costs ~20 ns per ASCII character and ~45 ns more
# per further UTF-8 byte (Cyrillic, Arabic ~65, Devanagari ~70, kana and CJK ~145 ns per character).
_NFC_COST_PER_CHAR = 200  # tenths of a nanosecond
_NFC_COST_PER_EXTRA_BYTE = 450
_REPLACE_COST_PER_CHAR = 35
_PAIR_OPTIONS = re2.Options()
_PAIR_OPTIONS.max_mem = 8 << 20  # two-character patterns: a few DFA states per pair a text holds


@dataclass(frozen=True)
class _ComposingPairs:
    """Every canonical composing pair whose first character NFD leaves alone (Hangul aside), and one re2
    Set pass telling which of them occur in a text and whether the text is one they compose exactly."""

    pairs: tuple[tuple[str, str], ...]  # (first + second, the composite NFC makes of them)
    census: re2.Set  # pattern i: pairs[i] occurs; pattern len(pairs): the pairs alone do not give NFC


def _canonically_decomposable() -> set[int]:
    """Characters NFD changes: a canonical decomposition, or a Hangul syllable (no decomposition listed)."""
    return {cp for cp in _decomposable() if not unicodedata.decomposition(chr(cp)).startswith("<")}


@functools.cache
def _composing_pairs() -> _ComposingPairs:
    """Built on first use (~40 ms; ``warm_up``). A pair is kept when NFC makes one character of it:
    composition exclusions are decided by NFC itself, never by a table of ours."""
    decomposable = _canonically_decomposable()
    pairs: dict[str, str] = {}
    for cp in _decomposable():
        decomposition = unicodedata.decomposition(chr(cp))
        if not decomposition or decomposition.startswith("<"):  # a Hangul syllable, or compatibility
            continue
        parts = [int(part, 16) for part in decomposition.split()]
        if len(parts) != 2 or parts[0] in decomposable or parts[1] in decomposable:
            continue
        pair = chr(parts[0]) + chr(parts[1])
        composite = unicodedata.normalize("NFC", pair)
        if len(composite) == 1:
            pairs[pair] = composite
    # Replacing pairs one kind after another is NFC only if a replacement never makes or breaks another
    # pair: no first or composite is a second (and a second never follows a second, see below).
    if {ord(c) for pair, composite in pairs.items() for c in (pair[0], composite)} & _COMPOSITION_SECONDS:
        raise RuntimeError("a first character or a composite of a canonical pair is a second")
    census = re2.Set.SearchSet(_PAIR_OPTIONS)
    for pair in pairs:
        census.Add("".join(f"\\x{{{ord(c):X}}}" for c in pair))
    # Where the pairs alone are not NFC: two seconds in a row (a run NFC may reorder or compose in
    # steps), a Hangul leading consonant and vowel (algorithmic composition; a final after a vowel is two
    # seconds in a row), a character NFD changes (its first may compose in turn: Ü + U+0301).
    seconds = _class_of(_COMPOSITION_SECONDS)
    hangul = f"{_class_of(set(range(0x1100, 0x1113)))}{_class_of(set(range(0x1161, 0x1176)))}"
    census.Add(f"{seconds}{seconds}|{hangul}|{_class_of(decomposable)}")
    census.Compile()
    return _ComposingPairs(tuple(pairs.items()), census)


def _compose_pairs(text: str, data: bytes, most: int | None = None) -> str | None:
    """``unicodedata.normalize("NFC", text)`` when NFC only composes pairs, each a character and one
    second after it (``data``: ``text`` in UTF-8); None when the text is not such a text or holds more
    distinct composing pairs than ``most`` (by default: as many as cost what one NFC call would). The
    same object when nothing composes.

    Sound for any text (the Set pass checks it): a character outside ``_COMPOSITION_SECONDS`` that NFD
    leaves alone has combining class 0 and NFC quick check Yes, so NFC splits the text before each one
    into pieces normalized on their own. Without two seconds in a row, each piece is such a character
    with at most one second after it (or a second alone at the start), and NFC of ``first + second``
    is their primary composite if there is one (NFD leaves both alone, nothing to reorder), else the
    two as they are. So NFC is replacing each composing pair present by its composite; the
    replacements neither overlap nor make new pairs (no first or composite is a second)."""
    table = _composing_pairs()
    found = table.census.Match(data)
    if not found:
        return text
    found = sorted(found)
    if most is None:
        nfc_cost = _NFC_COST_PER_CHAR * len(text) + _NFC_COST_PER_EXTRA_BYTE * (len(data) - len(text))
        most = nfc_cost // (_REPLACE_COST_PER_CHAR * len(text))
    if found[-1] == len(table.pairs) or len(found) > most:
        return None
    for index in found:
        pair, composite = table.pairs[index]
        text = text.replace(pair, composite)
    return text


_HANGUL_VOWELS_UTF8 = "\u1161".encode()[:2]  # UTF-8 of U+1140..U+117F starts so


def _pair_windows(windows: list[bytes]) -> bool:
    """Whether the windows found so far look like composing pairs (at most two characters each on
    average, no Hangul vowel): only then is ``_compose_pairs`` worth its pass (Korean text, a lead
    consonant and a vowel, with or without a final, is not; NFC composes it at ~35 ns per character)."""
    joined = b"".join(windows)
    return _HANGUL_VOWELS_UTF8 not in joined and len(joined.decode("utf-8")) <= 2 * len(windows)


def _compose(
    text: str, windowed_from: int = _COMPOSE_WINDOWED_FROM, window_regex: _RawRegexp = _COMPOSE_WINDOW_RAW
) -> str:
    """``unicodedata.normalize("NFC", text)`` for a folded NFKD text (see ``_compose_windows``)."""
    composed = _compose_windows(text, windowed_from, window_regex)
    if isinstance(composed, str):
        return composed
    data, pairs = composed
    if pairs:
        composed_pairs = _compose_pairs(text, data)
        if composed_pairs is not None:
            return composed_pairs
    return unicodedata.normalize("NFC", text)


def _compose_windows(
    text: str, windowed_from: int = _COMPOSE_WINDOWED_FROM, window_regex: _RawRegexp = _COMPOSE_WINDOW_RAW
) -> str | tuple[bytes, bool]:
    """``unicodedata.normalize("NFC", text)`` for a text that is NFKD but for deleted and folded
    characters (which ``_fold_decomposed_composed`` makes): NFC of the windows where it can change
    anything only, all windows in one call, the same object when nothing changes (texts shorter than
    ``windowed_from``: one NFC call).

    Every character of such a text outside ``_COMPOSITION_SECONDS`` has combining class 0 and NFC
    quick check Yes (the other ones NFKD decomposed), so NFC never joins or reorders across it: the
    text splits before each such character into pieces NFC normalizes on their own. Pieces without a
    surviving composer are left as they are; each window, a run of composers with the character before
    it, is one piece (so is the control character joining the windows). The same holds for ``fold_layer``'s table
    path text, a concatenation of NFC texts (NFC leaves no quick check No, and every quick check Maybe
    character is a second of a canonical pair). ``window_regex``: the regex finding them (see
    ``_layer_compose_windows`` for a narrower one).

    Windows so dense that they would be more than one per ``_COMPOSE_CHARS_PER_WINDOW`` characters, as
    projected from the first ``_PAIR_PROBE_WINDOWS``: (``text`` in UTF-8, whether those look like
    composing pairs) instead, for ``_compose`` (then NFC is one call, or replacing each composing pair
    by its composite: ``_compose_pairs``) or for ``normalize`` (see ``_fold_sharing_chunks``)."""
    if len(text) < windowed_from:
        return unicodedata.normalize("NFC", text)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 to search
        return unicodedata.normalize("NFC", text)
    # The windows are normalized in one call, joined by a control character the text does not hold (a
    # starter nothing decomposes, composes or reorders across; ``_chunk_fold_lengths`` joins chunks by one).
    separator = next((sep for sep in _WINDOW_SEPARATORS if sep not in data), None)
    if separator is None:
        return unicodedata.normalize("NFC", text)
    most = len(text) // _COMPOSE_CHARS_PER_WINDOW
    probe = min(most, _PAIR_PROBE_WINDOWS)
    pieces: list[bytes] = []
    last = 0
    # Each window found by a search from the end of the last one (as ``finditer`` does, without a match
    # object per window: distinct-character walls hold hundreds of windows). A window is never empty.
    search, size = window_regex.Match, len(data)
    for count in range(most + 1):
        start, end = search(_UNANCHORED, data, last, size)[0]
        if start < 0:
            break
        if count == probe and (count == most or count * size > most * last):
            # Projected over the text, the windows would be more than ``most``: not worth finding them.
            return data, _pair_windows(pieces[1::2])
        if count == most:
            return unicodedata.normalize("NFC", text)
        pieces += (data[last:start], data[start:end])
        last = end
    windows = separator.join(pieces[1::2]).decode("utf-8")
    composed = unicodedata.normalize("NFC", windows)
    if composed == windows:
        return text
    pieces[1::2] = composed.encode("utf-8").split(separator)
    pieces.append(data[last:])
    return b"".join(pieces).decode("utf-8")


def fold_lookalikes(
    text: str, present: tuple[str, ...] | None = None, data: bytes | None = None
) -> tuple[str, int]:
    """Replace Cyrillic/Greek lookalikes with ASCII; returns (skeleton, characters changed).

    ``present``: the lookalikes occurring in ``text`` in table order, when already known; ``data``:
    ``text`` in UTF-8, when known (then the changes are counted by length, not character by character:
    each one makes the UTF-8 text one byte shorter)."""
    if text.isascii():
        return text, 0
    chars = _LOOKALIKE_CENSUS.present(text) if present is None else present
    if data is not None and len(chars) > 1:
        folded = text
        for char in chars:
            folded = folded.replace(char, _LOOKALIKES[char])
        after = len(folded) if folded.isascii() else len(folded.encode("utf-8", "surrogatepass"))
        return folded, len(data) - after
    changed = 0
    for char in chars:
        changed += text.count(char)
        text = text.replace(char, _LOOKALIKES[char])
    return text, changed


# Text of ASCII and lookalikes only, folded in two C-level passes instead of a replace per lookalike:
# a charmap encoding (as the stdlib's single-byte codecs use) keeps ASCII and gives each lookalike a byte
# of its own from 0x80 up, then one ``bytes.translate`` turns those bytes into the ASCII replacements.
_LOOKALIKE_BYTES = tuple(_LOOKALIKES)
_LOOKALIKE_SLOTS = "".join(_LOOKALIKE_BYTES[i % len(_LOOKALIKE_BYTES)] for i in range(128))
_LOOKALIKE_ENCODING = codecs.charmap_build("".join(map(chr, range(128))) + _LOOKALIKE_SLOTS)
_LOOKALIKE_TO_ASCII = bytes(range(128)) + "".join(_LOOKALIKES[c] for c in _LOOKALIKE_SLOTS).encode("ascii")
_ASCII_BYTES = bytes(range(0x80))


def _fold_only_lookalikes(text: str) -> tuple[str, int]:
    """``fold_lookalikes(text)`` for a non-ASCII ``text`` made of ASCII and lookalikes only."""
    encoded = codecs.charmap_encode(text, "strict", _LOOKALIKE_ENCODING)[0]
    return encoded.translate(_LOOKALIKE_TO_ASCII).decode("ascii"), len(encoded.translate(None, _ASCII_BYTES))


_ALL_LOOKALIKES = "".join(map(chr, range(128))) + "".join(_LOOKALIKES)
if _fold_only_lookalikes(_ALL_LOOKALIKES) != fold_lookalikes(_ALL_LOOKALIKES, tuple(_LOOKALIKES)):
    raise RuntimeError("the charmap folding of lookalikes must equal the replacements")


def _fold_layer_census(text: str) -> str:
    """``fold_layer`` of a non-ASCII ``text``: NFKD, one census pass, the listed characters folded, NFC of
    the composing windows, the lookalikes folded (as ``normalize`` does)."""
    decomposed = unicodedata.normalize("NFKD", text)
    _, present, lookalikes, composers = _split_census(_NORMALIZE_CENSUS.present_indexes(decomposed))
    folded, composed = _fold_decomposed_composed(decomposed, present, composes=composers)
    if folded.isascii():
        return folded
    # The skeleton only (``fold_lookalikes`` also counts the changes, a pass per lookalike).
    for char in _LOOKALIKE_CENSUS.present(folded) if composed else lookalikes:
        folded = folded.replace(char, _LOOKALIKES[char])
    return folded


# Long layers with many distinct characters to fold are folded character by character instead: one
# ``str.translate`` of the layer itself with a table of each character's own ``fold_layer`` (NFKD, listed
# characters and lookalikes folded), then NFC of the composing windows. The same text as the census path:
# NFKD of a text is the concatenation of its characters' NFKD but for canonical reordering, deleting
# characters and replacing starters by starters keeps texts canonically equivalent, and NFC of a
# concatenation of NFC pieces is NFC of the whole; the lookalikes and their ASCII replacements neither
# compose with a character that survives folding nor result from a composition, so folding them before or
# after NFC is the same. Each character's fold is NFC (ASCII for lookalikes), so the result is a text
# ``_compose`` normalizes window by window. Saves the NFKD pass and a replace pass per listed character
# and lookalike (or the translate of the NFKD text).
_LAYER_TABLE_FROM = 2048
# Which path (only a matter of speed, both give the same text): a census of a sample of the layer (128
# slices of 32 characters spread over it; a census of the whole layer costs ~4 ns per byte), each listed
# character and lookalike widened to the characters whose NFKD holds it and put in one of ``_LAYER_GROUPS``
# groups (in turn, so the few a text holds fall in distinct groups). Groups, not one pattern per character:
# a re2 Set builds a DFA state for each set of patterns matched so far, so a new text with hundreds of
# distinct characters would cost hundreds of new states (~1 ms); 32 groups cost at most 32. More groups
# than ``_LAYER_TABLE_ABOVE`` found (some 25 or more distinct characters to fold): the table path (a
# translate, ~25 ns per character) costs less than NFKD, a replace per character (~0.7 ns per character
# each) and the lookalike replaces.
_LAYER_GROUPS = 32
_LAYER_TABLE_ABOVE = 20
_LAYER_SAMPLE_SLICES = 128
_LAYER_SAMPLE_SLICE = 32
_LAYER_TABLE_CHUNK = 1024
# Code points past the table's end that folding changes: CJK compatibility ideographs supplement (canonical
# singletons; the census path folds them) and the carriers of plane 14 (deleted before the translate; the
# table deletes the other variation selectors).
_PAST_LAYER_TABLE_RE = re2.compile(b"[\\x{2F800}-\\x{2FA1F}\\x{E0000}-\\x{E01EF}]", _RE2_OPTIONS)
_PAST_LAYER_TABLE_LEADS = (b"\xf0\xaf", b"\xf3\xa0")  # UTF-8 of U+2F000..U+2FFFF, U+E0000..U+E0FFF starts so
_CJK_COMPATIBILITY_SUPPLEMENT_RE = re2.compile(b"[\\x{2F800}-\\x{2FA1F}]", _RE2_OPTIONS)


@functools.cache
def _decomposable() -> tuple[int, ...]:
    """The characters NFKD changes (none past U+30000), for both tables below (~20 ms to find)."""
    return tuple(
        cp
        for cp in range(0x80, 0x30000)
        if unicodedata.decomposition(chr(cp)) or 0xAC00 <= cp <= 0xD7A3  # Hangul syllables: algorithmic
    )


def _widened_census_classes() -> dict[str, set[int]]:
    """For each of ``_NORMALIZE_CENSUS``'s fold characters and lookalikes: the characters whose NFKD holds
    it (which of these a text holds is which of those its NFKD holds)."""
    decomposable = frozenset(_decomposable())
    # A character that NFKD leaves alone stands for itself; one it changes, for the characters it makes.
    widened: dict[str, set[int]] = {
        key: set() if ord(key) in decomposable else {ord(key)}
        for key in _NORMALIZE_CENSUS.keys[:_LOOKALIKE_END]
    }
    for cp in _decomposable():
        for char in set(unicodedata.normalize("NFKD", chr(cp))):
            if char in widened:
                widened[char].add(cp)
    return widened


@functools.cache
def _layer_census() -> _CharCensus:
    """Which groups of characters to fold occur in a text's NFKD (see ``_LAYER_GROUPS``). Built on first
    use (~30 ms)."""
    widened = _widened_census_classes()
    groups: list[set[int]] = [set() for _ in range(_LAYER_GROUPS)]
    for index, key in enumerate(_NORMALIZE_CENSUS.keys[:_LOOKALIKE_END]):
        groups[index % _LAYER_GROUPS] |= widened[key]
    return _CharCensus(
        (), extra=tuple((f"group {index}", _class_of(group)) for index, group in enumerate(groups))
    )


def _layer_sample(text: str) -> str:
    """``_LAYER_SAMPLE_SLICES`` slices of ``text`` spread over it (all of a text no longer than that)."""
    if len(text) <= _LAYER_SAMPLE_SLICES * _LAYER_SAMPLE_SLICE:
        return text
    step = len(text) // _LAYER_SAMPLE_SLICES
    return "".join([text[i : i + _LAYER_SAMPLE_SLICE] for i in range(0, len(text), step)])


@functools.cache
def _layer_table() -> list[int | str | None]:
    """``fold_layer`` of each character below ``_FOLD_TABLE_END`` (a code point where that is the character
    itself): a character changes only when it decomposes, is listed or is a lookalike (or a variation
    selector, a carrier). Built on first use (~30 ms; 1.4 MB besides the shared identity table), with one
    fold of all those characters joined by NUL (a starter nothing folds, composes or reorders across)."""
    table: list[int | str | None] = list(_identity_table())
    changing = sorted(
        {
            *(cp for cp in _decomposable() if cp < _FOLD_TABLE_END),
            *map(ord, (*INVISIBLE_CHARS, *_MARK_CHARS, *_ENCLOSED, *_LOOKALIKES)),
            *range(0xFE00, 0xFE10),
        }
    )
    folds = _fold_layer_census("\0".join(map(chr, changing))).split("\0")
    for cp, folded in zip(changing, folds, strict=True):
        if folded != chr(cp):
            table[cp] = folded
    return table


@functools.cache
def _layer_compose_windows() -> _RawRegexp:
    """The composing windows of a table path text where NFC can change anything: a run of two or more
    surviving composers (they may be out of canonical order), one that composes with what comes before
    it (NFC quick check Maybe: a second of a canonical pair whose composite NFC keeps, or a Hangul vowel
    or final), or one after a character whose NFD ends with a mark (which it may have to go before).
    Any other window is a character whose NFD ends with a starter, then one composer that composes with
    nothing: NFC leaves it as it is. Built on first use (~10 ms)."""
    surviving = set(_SURVIVING_COMPOSER_CODES)
    maybe = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    tailed = set()
    for cp in _decomposable():
        char = chr(cp)
        decomposition = unicodedata.decomposition(char).split()
        if len(decomposition) == 2 and not decomposition[0].startswith("<"):
            if unicodedata.normalize("NFC", unicodedata.normalize("NFD", char)) == char:
                maybe.add(int(decomposition[1], 16))
        nfd = unicodedata.normalize("NFD", char)
        if nfd != char and unicodedata.combining(nfd[-1]):
            tailed.add(cp)
    composer, composing, after_mark = _class_of(surviving), _class_of(maybe & surviving), _class_of(tailed)
    regex = f"(?s)(?:.?{composer}*{composing}{composer}*|.?{composer}{composer}+|{after_mark}{composer}+)"
    raw: _RawRegexp = re2.compile(regex.encode(), _RE2_OPTIONS)._regexp
    return raw


# Long decoded layers are folded without their ASCII head and tail (``fold_layer``): a layer is often a
# few decoded characters and 90 KB of markers kept as they were, and folding walks the whole text (NFKD,
# census passes, NFC windows: ~2 ms per 96 KB where the non-ASCII head alone costs 0.08 ms).
_FOLD_EDGE_FROM = 8192
_FOLD_EDGE_STEP = 2048


def fold_layer(text: str) -> str:
    """``fold_lookalikes(fold(text))[0]`` (``_fold_layer_whole``), with the ASCII runs at the ends of a long
    text left out of the folding. Folding is split before any ASCII character:
    ``fold_layer(x + y) == fold_layer(x) + fold_layer(y)`` when ``y`` starts
    with one, since folding is NFKD, per-character deletions and replacements (none of them of an ASCII
    character), NFC, and per-character lookalike replacements, and an ASCII character is a starter that
    neither NFKD reordering nor NFC composition crosses (no ASCII character is the second of a canonical
    pair). ASCII text folds to itself. So the tail after the last non-ASCII character is kept as it is,
    and so is the head up to the ASCII character before the first one (which a combining mark after it
    may compose with: it stays in the folded part). Found in ``_FOLD_EDGE_STEP`` slices (``isascii`` of
    a slice: a C-level copy and scan).

    Folding also splits after any ASCII character: ``fold_layer(c + y) == c + fold_layer(y)`` for an ASCII
    ``c``. NFKD leaves ``c`` (a starter without decomposition) and reorders only the marks after it, as
    it does at the start of ``y``; no listed character or lookalike is ASCII, so deleting and replacing
    them leaves ``c`` and acts on ``y``'s characters alone; NFC composes ``c`` only with the second of a
    canonical pair whose first is ``c``, and every such second is a combining mark folding deletes
    (U+0300-U+0338; tests/unit/validator/test_h35_fold_runs.py checks all of them), so nothing left
    composes with it. With both splits, ``fold_layer(x)`` is ``x`` with each maximal run of non-ASCII
    characters folded on its own and the ASCII characters kept. Hence ``fold_layer(x) == x`` exactly
    when every run folds to itself (if ``x`` folds to itself, its fold holds ``x``'s ASCII characters and
    those of the runs' folds, so the runs' folds hold none; the fold's ASCII characters are then ``x``'s
    and the text between them the runs' folds, each its run), and a text whose maximal non-ASCII runs
    are all runs of such an ``x`` folds to itself too (``layers._layer_view`` uses this)."""
    size = len(text)
    if size < _FOLD_EDGE_FROM or text.isascii():
        return _fold_layer_whole(text)
    step = _FOLD_EDGE_STEP
    end = size
    while end > step and text[end - step : end].isascii():
        end -= step
    start = 0
    while start + step < end and text[start : start + step].isascii():
        start += step
    if start == 0 and end == size:
        return _fold_layer_whole(text)
    start = max(start - 1, 0)  # an ASCII character before the folded part (or the text's start)
    return text[:start] + _fold_layer_whole(text[start:end]) + text[end:]



def _fold_layer_whole(text: str) -> str:
    """``fold_layer`` of the whole of ``text``: one census pass instead of ``fold`` and
    ``fold_lookalikes``' two (as ``normalize`` does); long layers with many distinct characters to fold
    with one ``str.translate`` of a per-character table instead (see ``_layer_table``)."""
    if text.isascii():
        return text
    if len(text) < _LAYER_TABLE_FROM:
        return _fold_layer_census(text)
    try:
        if len(_layer_census().present_indexes(_layer_sample(text).encode("utf-8"))) <= _LAYER_TABLE_ABOVE:
            return _fold_layer_census(text)
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return _fold_layer_census(text)
    # Two C-level byte searches rule out most texts before the regex's pass.
    if (
        any(lead in data for lead in _PAST_LAYER_TABLE_LEADS)
        and _PAST_LAYER_TABLE_RE.search(data) is not None
    ):
        if _CJK_COMPATIBILITY_SUPPLEMENT_RE.search(data) is not None:
            return _fold_layer_census(text)
        # Plane 14 carriers: deleting them first is deleting them after NFKD (starters that neither
        # decompose nor compose; NFC puts back the order of marks that met where they were).
        text = _strip_carriers(text)
    # Translated a chunk at a time, ASCII chunks skipped (a layer is often half markers left as they were).
    table, size = _layer_table(), _LAYER_TABLE_CHUNK
    chunks = [text[i : i + size] for i in range(0, len(text), size)]
    folded = "".join([chunk if chunk.isascii() else chunk.translate(table) for chunk in chunks])
    # Windowed at any length: one NFC call over thousands of high code points costs ~90 ns each.
    return _compose(folded, 0, _layer_compose_windows())


LEET_TABLE = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
        "8": "b",
        "+": "t",
    }
)
LEET_HINT = r"[A-Za-z][013457@$!|8+][A-Za-z0-9@$!|+]|[013457@$|][A-Za-z]"
_LEET_HINT_RE = re2.compile(LEET_HINT)


def fold_leetspeak(text: str) -> str | None:
    """Leetspeak folded to letters (for matching only); None when no leet pattern occurs."""
    if _LEET_HINT_RE.search(text) is None:
        return None
    return text.translate(LEET_TABLE)


@dataclass(frozen=True)
class Note:
    """A normalization step worth reporting (kind as in the proto's Transformation)."""

    kind: str
    count: int
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class HiddenPayload:
    """Text smuggled in invisible carriers, with the carrier's span in the original."""

    kind: str
    text: str
    start: int
    end: int


_CHAR_LENGTHS: dict[str, int] = {}
_CHAR_LENGTHS_MAX = 65536


def _char_length(char: str) -> int:
    """Folded length of one character (cached; bounded so odd inputs cannot grow it forever)."""
    length = _CHAR_LENGTHS.get(char)
    if length is None:
        length = len(fold(char))
        if len(_CHAR_LENGTHS) < _CHAR_LENGTHS_MAX:
            _CHAR_LENGTHS[char] = length
    return length


def _folded_lengths(chunk: str) -> bytes:
    """Folded length of each character of ``chunk``, one byte per character (NFKD expands a
    character to at most 18), built with C-level ``str.translate`` instead of a per-character loop."""
    if chunk.isascii():
        return b"\x01" * len(chunk)
    table = {ord(char): chr(1 if char.isascii() else _char_length(char)) for char in set(chunk)}
    return chunk.translate(table).encode("latin-1")


_CHUNK_SEPARATORS = ("\x00", "\x01", "\x02", "\x03")


def _chunks(text: str) -> list[str]:
    """``text`` cut into the offset map's ``_OFFSET_CHECKPOINT``-sized chunks."""
    return [text[i : i + _OFFSET_CHECKPOINT] for i in range(0, len(text), _OFFSET_CHECKPOINT)]


def _chunk_separator(text: str) -> str | None:
    """A control character ``text`` does not hold, to join its chunks by (None when it holds them all)."""
    return next((sep for sep in _CHUNK_SEPARATORS if sep not in text), None)


def _local_chunk_lengths(text: str, census: tuple[str, ...]) -> list[int]:
    """``len(fold(chunk))`` per chunk when folding is character-local (see ``_surviving_composers``)
    and no carrier occurs (or only those listed): each listed character present changes a chunk's length
    by a fixed amount. Counted per character over all chunks with C-level ``map`` steps."""
    chunks = _chunks(text)
    lengths = list(map(len, chunks))
    for char in dict.fromkeys(census):
        delta = len(_ENCLOSED[char]) - 1 if char in _ENCLOSED else -1
        lengths = list(map(add, lengths, map(mul, map(str.count, chunks, repeat(char)), repeat(delta))))
    return lengths


def _chunk_fold_lengths(text: str, present: tuple[str, ...] | None = None) -> list[int]:
    """``len(fold(chunk))`` for each ``_OFFSET_CHECKPOINT``-sized chunk of ``text``, in one fold call.

    The chunks are folded joined by a control character that does not occur in ``text``: a
    starter that neither decomposes, composes nor is touched by folding, so folding the joined
    text is folding each chunk (canonical reordering and composition cannot cross it).
    ``present``: the fold census of a text containing ``text`` (NFKD of the joined chunks holds
    the same characters as NFKD of ``text``, plus separators), so no census pass is needed.
    """
    folds = _chunk_folds(text, present)
    if folds is None:
        return [len(fold(chunk, present)) for chunk in _chunks(text)]
    return [len(part) for part in folds]


def _chunk_folds(text: str, present: tuple[str, ...] | None = None) -> list[str] | None:
    """``fold(chunk)`` for each chunk of ``text`` (``_chunks``), in one fold call of the chunks joined by a
    ``_chunk_separator`` (see ``_chunk_fold_lengths``); None when ``text`` holds every separator."""
    separator = _chunk_separator(text)
    if separator is None:
        return None
    return fold(separator.join(_chunks(text)), present).split(separator)


# How far ``_join_composed`` looks for a character NFC cannot join to what is before it, on either side of
# a seam (further: the seam is not worth joining, ``normalize`` folds the whole text instead).
_SEAM_REACH = 32


def _join_composed(parts: list[str]) -> str | None:
    """``unicodedata.normalize("NFC", "".join(texts))`` given ``parts``, the NFC of each of ``texts``,
    folded NFKD texts (or None when a seam has no such character within ``_SEAM_REACH``).

    A character outside ``_COMPOSITION_SECONDS`` that NFC may output (NFD leaves it alone, or a
    composite) has combining class 0 and NFC quick check Yes: NFC never joins it to what is before it,
    so NFC of a text is NFC of the pieces cut before each such character. A part that starts with
    seconds (a seam inside a window) is joined by NFC of the window: from the last such character before
    the seam to the first one after it."""
    out: list[str] = []
    seconds = _COMPOSITION_SECONDS
    for part in parts:
        if out and part and ord(part[0]) in seconds:
            head = part[:_SEAM_REACH]
            after = next((k for k, char in enumerate(head) if ord(char) not in seconds), None)
            if after is None and len(part) > _SEAM_REACH:
                return None
            after = len(part) if after is None else after
            last = out[-1]
            tail = last[-_SEAM_REACH:]
            before = next((k for k in range(len(tail) - 1, -1, -1) if ord(tail[k]) not in seconds), None)
            if before is None:
                return None
            cut = len(last) - len(tail) + before
            out[-1] = last[:cut] + unicodedata.normalize("NFC", last[cut:] + part[:after])
            part = part[after:]
        if part:
            out.append(part)
    return "".join(out)


def _fold_sharing_chunks(
    text: str, present: tuple[str, ...], decomposed: str
) -> tuple[str, bool, list[int] | None]:
    """(``fold`` of ``text``, whether its final NFC changed anything, ``_chunk_fold_lengths(text,
    present)`` or None) for a ``text`` without carriers whose NFKD ``decomposed`` holds a surviving
    composer (``present``: its fold census).

    The offset map folds the chunks of ``text`` joined by a separator (``_chunk_fold_lengths``) whenever a
    finding needs a span: each part is NFC of a chunk's NFKD, folded. ``fold(text)`` is NFC of their
    concatenation, which ``_join_composed`` makes from the parts: the concatenation differs from the
    folded NFKD of ``text`` only in the order of combining marks where a chunk ends and the next one starts
    with marks (each chunk's NFKD is put in canonical order on its own), and folding deletes and replaces
    characters one by one (no carrier run to cut), which keeps the two canonically equivalent. When the
    composing windows are dense (then NFC costs up to ~140 ns per character, on kana that compose), the
    text is composed that way, once instead of twice; otherwise (the windows' NFC is cheap) as ``fold``
    does, and the lengths are left to the offset map."""
    uncomposed = _fold_decomposed_composed(decomposed, present, composes=False)[0]
    composed = _compose_windows(uncomposed)
    if isinstance(composed, str):
        return composed, composed is not uncomposed, None
    parts = _chunk_folds(text, present)
    if parts is not None:
        folded = _join_composed(parts)
        if folded == uncomposed:
            return uncomposed, False, [len(part) for part in parts]
        if folded is not None:
            return folded, True, [len(part) for part in parts]
    folded = _compose(uncomposed)
    return folded, folded is not uncomposed, None


class OffsetMap:
    """Maps offsets in ``fold(original)`` back to offsets in ``original``, lazily.

    Two levels: checkpoints every ``_OFFSET_CHECKPOINT`` characters hold the exact folded
    length of the prefix (built only as far as a lookup needs); inside a chunk, prefix sums of
    per-character folded lengths (cached per chunk, built at C speed) locate the character.
    Nothing is computed unless a finding needs a span.
    """

    def __init__(self, original: str, fold_census: tuple[str, ...] | None = None) -> None:
        self._original = original
        # The fold census of ``original`` (when known): folding its chunks needs no census pass.
        self.fold_census = fold_census
        # Set by ``normalize`` when ``original`` is already NFKD and holds no carrier and no
        # surviving composer: then each chunk's folded length is counted, not folded.
        self.folds_locally = False
        # Set by ``normalize`` when folding is character-local although carriers occur (emoji presentation
        # selectors only): the characters whose count changes a chunk's folded length.
        self.local_census: tuple[str, ...] | None = None
        # Set by ``normalize``: ``len(fold(original))``. With character-local folding, a target in the
        # second half is then located by counting chunks back from the end.
        self.folded_length: int | None = None
        # Set by ``normalize`` when it folded the chunks anyway: ``_chunk_fold_lengths(original, fold_census)``.
        self.chunk_fold_lengths: list[int] | None = None
        self._identity = original.isascii()
        self._checkpoints: list[int] = [0]  # folded length of original[:k*CHECKPOINT], built lazily
        self._checkpoints_from_end: list[int] = []  # see ``_chunk_from_end``
        self._chunk_count = -(-len(original) // _OFFSET_CHECKPOINT)
        self._chunks: dict[int, list[int]] = {}

    def _checkpoints_until(self, target: int) -> list[int]:
        """Checkpoints built up to the first one >= ``target`` (or all of them)."""
        cps = self._checkpoints
        local = self._local_census()
        if local is not None:
            # Counted chunk by chunk, only as far as the target: counting costs the same per chunk.
            while cps[-1] < target and len(cps) <= self._chunk_count:
                start = (len(cps) - 1) * _OFFSET_CHECKPOINT
                chunk = self._original[start : start + _OFFSET_CHECKPOINT]
                cps.append(cps[-1] + _local_chunk_lengths(chunk, local)[0])
            return cps
        if cps[-1] < target and len(cps) <= self._chunk_count:
            # All remaining chunks at once: one fold call costs far less than one per chunk.
            start = (len(cps) - 1) * _OFFSET_CHECKPOINT
            total = cps[-1]
            suffix = self._original[start:]
            if start == 0 and self.chunk_fold_lengths is not None:
                lengths = self.chunk_fold_lengths
            else:
                lengths = _chunk_fold_lengths(suffix, self.fold_census)
            for length in lengths:
                total += length
                cps.append(total)
        return cps

    def _chunk_prefix(self, chunk: int) -> list[int]:
        prefix = self._chunks.get(chunk)
        if prefix is None:
            start = chunk * _OFFSET_CHECKPOINT
            prefix = list(
                accumulate(_folded_lengths(self._original[start : start + _OFFSET_CHECKPOINT]), initial=0)
            )
            self._chunks[chunk] = prefix
        return prefix

    def _local_census(self) -> tuple[str, ...] | None:
        """The characters whose counts give a chunk's folded length, when folding is character-local."""
        if self.folds_locally and self.fold_census is not None:
            return self.fold_census
        return self.local_census

    def _chunk_from_end(self, target: int, total: int, census: tuple[str, ...]) -> tuple[int, int]:
        """(chunk, its checkpoint) as the forward search below finds them, counting chunks back from
        the end (checkpoint ``total``). Exact when folding is character-local: every character folds
        to zero or more characters of its own, so checkpoints never decrease."""
        count = self._chunk_count
        # The checkpoints counted back so far (``ends[k]``: the one at chunk ``count - k``), kept for the next
        # offsets mapped: a text's findings are often many, each span two offsets (~0.1 ms a span walking back
        # over 100 KB each time).
        ends = self._checkpoints_from_end
        if not ends:
            ends.append(total)
        back = 0
        index, value = count, total  # value: the checkpoint at chunk ``index``
        while index > 0 and value >= target:
            index -= 1
            back += 1
            if back == len(ends):
                start = index * _OFFSET_CHECKPOINT
                chunk_text = self._original[start : start + _OFFSET_CHECKPOINT]
                ends.append(value - _local_chunk_lengths(chunk_text, census)[0])
            value = ends[back]
        # The first checkpoint >= target is at index + 1 (or at 0 when even the checkpoint at 0 is).
        chunk = max(0, min(count - 1, index if value < target else -1))
        if chunk == index:
            return chunk, value
        if chunk == 0:
            return 0, 0
        # target beyond the end: the last chunk, whose checkpoint is the end minus its length
        start = chunk * _OFFSET_CHECKPOINT
        return chunk, total - _local_chunk_lengths(self._original[start:], census)[0]

    def _smallest_prefix(self, target: int) -> int:
        """Smallest m such that the folded length of original[:m] >= target."""
        census = self._local_census()
        total = self.folded_length
        cps = self._checkpoints
        if census is not None and total is not None and cps[-1] < target and 2 * target > total:
            if self._chunk_count < 1:
                return 0
            chunk, checkpoint = self._chunk_from_end(target, total, census)
        else:
            cps = self._checkpoints_until(target)
            # bisect over the checkpoints built so far finds the same index as over all of them:
            # building stops at the first checkpoint >= target.
            chunk = max(0, min(self._chunk_count - 1, bisect.bisect_left(cps, target) - 1))
            if self._chunk_count < 1:
                return 0
            checkpoint = cps[chunk]
        prefix = self._chunk_prefix(chunk)
        inside = bisect.bisect_left(prefix, target - checkpoint)
        return min(len(self._original), chunk * _OFFSET_CHECKPOINT + inside)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span covering folded[start:end]."""
        if self._identity:
            return start, end
        orig_start = max(0, self._smallest_prefix(start + 1) - 1)
        orig_end = max(orig_start + 1, self._smallest_prefix(end))
        return orig_start, min(orig_end, len(self._original))


def invisible_as_space(text: str) -> str:
    """``text`` with each invisible character read as a space, for the view in which they part words (one for
    one: offsets kept). C-level: a scan per character kind and a replace per kind present."""
    for char in INVISIBLE_CHARS:
        if char in text:
            text = text.replace(char, " ")
    return text


@dataclass
class NormalizedText:
    original: str
    folded: str
    skeleton: str
    offsets: OffsetMap
    notes: list[Note] = field(default_factory=list)
    hidden: list[HiddenPayload] = field(default_factory=list)


_TAG_CONTROL_BYTES = bytes(range(32)) + bytes(range(0x7F, 0x100))


def _decode_tag_run(run: str) -> str:
    # The low byte of each UTF-32 code unit is the smuggled ASCII (C speed, no per-char loop).
    low = run.encode("utf-32-le")[::4]
    return low.translate(None, _TAG_CONTROL_BYTES).decode("ascii")


def _decode_variation_run(run: str) -> bytes:
    out = bytearray()
    for char in run:
        cp = ord(char)
        out.append(cp - 0xFE00 if cp <= 0xFE0F else cp - 0xE0100 + 16)
    return bytes(out)


Run = tuple[int, int, str]  # (start, end) in the original, and the run's text


def _runs(run_re: re2._Regexp, text: str) -> Iterator[Run]:
    for match in run_re.finditer(text):
        start, end = match.span()
        yield start, end, match.group(0)


def _hidden_payloads(
    text: str,
    notes: list[Note],
    tag_runs: Iterable[Run] | None = None,
    selector_runs: Iterable[Run] | None = None,
) -> list[HiddenPayload]:
    """Payloads smuggled in tag-character and variation-selector runs (the first
    ``_MAX_CARRIER_RUNS`` runs of each kind); the runs are found here unless given, in order."""
    payloads: list[HiddenPayload] = []
    tag_count = 0
    for runs, (start, end, run) in enumerate(_runs(_TAG_RUN_RE, text) if tag_runs is None else tag_runs):
        if runs >= _MAX_CARRIER_RUNS:
            break
        decoded = _decode_tag_run(run)
        # Subdivision flags (black flag + lowercase tag letters + cancel tag) are legitimate emoji.
        is_flag = (
            start > 0 and text[start - 1] == "\U0001f3f4" and run.endswith("\U000e007f") and len(run) <= 8
        )
        if is_flag or not decoded:
            continue
        tag_count += end - start
        payloads.append(HiddenPayload("tag_characters_decoded", decoded, start, end))
    if tag_count:
        notes.append(Note("tag_characters_decoded", tag_count, payloads[0].start, payloads[-1].end))
    selector_count = 0
    # When searching here, only runs long enough to be a payload are looked at, so a payload after any
    # number of emoji is still found.
    found = _runs(_VARIATION_PAYLOAD_RE, text) if selector_runs is None else selector_runs
    for runs, (start, end, run) in enumerate(found):
        if runs >= _MAX_CARRIER_RUNS:
            break
        if len(run) < _MIN_SELECTOR_PAYLOAD:
            continue
        decoded = _decode_variation_run(run).decode("utf-8", errors="replace")
        selector_count += end - start
        payloads.append(HiddenPayload("variation_selectors_decoded", decoded, start, end))
    if selector_count:
        notes.append(Note("variation_selectors_decoded", selector_count))
    return payloads


# Tag-character runs and variation-selector runs in one pass over UTF-8 bytes (the two classes are
# disjoint, so each match is a maximal run of one kind, exactly as either regex alone finds it).
_CARRIER_RUN_BYTES_RE = re2.compile(
    b"|".join(run_re.pattern for run_re in _CARRIER_RUN_BYTES_RES), _RE2_OPTIONS
)
_TAG_LEAD_BYTES = (b"\xf3\xa0\x80", b"\xf3\xa0\x81")  # UTF-8 of U+E0000..U+E007F starts so
# UTF-8 continuation bytes: deleted, what is left counts characters (one lead byte each).
CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


def _carrier_runs(data: bytes) -> tuple[list[Run], list[Run], str] | None:
    """(tag runs, selector runs, text without carriers) of the UTF-8 text ``data`` in one regex pass;
    None when there are more than ``_MAX_CARRIER_RUNS`` runs (the callers' own bounded paths apply).
    Character offsets come from counting non-continuation bytes (C-level ``bytes.translate``). Emoji
    presentation selectors are counted first: when they alone may make too many runs, the answer is None
    at once instead of after matching them one by one."""
    if sum(data.count(selector) for selector in _PRESENTATION_SELECTORS_UTF8) > _MAX_CARRIER_RUNS:
        return None
    tags: list[Run] = []
    selectors: list[Run] = []
    kept: list[bytes] = []
    last_byte = last_char = 0
    for count, match in enumerate(_CARRIER_RUN_BYTES_RE.finditer(data)):
        if count >= _MAX_CARRIER_RUNS:
            return None
        start_byte, end_byte = match.span()
        gap = data[last_byte:start_byte]
        kept.append(gap)
        start = last_char + len(gap.translate(None, CONTINUATION_BYTES))
        run = data[start_byte:end_byte]
        end = start + len(run.translate(None, CONTINUATION_BYTES))
        (tags if run[:3] in _TAG_LEAD_BYTES else selectors).append((start, end, run.decode("utf-8")))
        last_byte, last_char = end_byte, end
    kept.append(data[last_byte:])
    return tags, selectors, b"".join(kept).decode("utf-8")


# Long texts of characters that folding leaves as they are but for a few (most running text in Japanese,
# Chinese, Korean, Arabic, Hindi, Thai, Greek, Russian: precomposed letters, NFC, a breve or a fullwidth
# comma) are folded character by character, with no NFKD and no recomposition of what it decomposed.
# ``fold(text)`` is NFC of the concatenation of the characters' own folds: NFKD of a text is the
# concatenation of its characters' NFKD but for canonical reordering, folding deletes and replaces
# characters one by one (which keeps texts canonically equivalent) and NFC of canonically equivalent
# texts is the same. Each character's fold is a NFC text, so NFC of the concatenation is what ``_compose``
# finds window by window (as on ``fold_layer``'s table path); with no surviving composer in it, every
# character has combining class 0 and NFC quick check Yes, and the concatenation is its own NFC.
# From ``_STABLE_FROM`` characters when at least half the UTF-8 bytes are beyond ASCII (shorter texts, or
# mostly ASCII ones up to twice as long: the general path costs as little), from twice that in any case.
_STABLE_FROM = 2048


@dataclass(frozen=True)
class _StableRegexes:
    changing: re2._Regexp  # a character whose fold is not itself (or a carrier)
    changing_or_composer: re2._Regexp  # ... or a surviving composer
    not_plain: re2._Regexp  # ... or a character NFKD changes


@functools.cache
def _changing_codes() -> frozenset[int]:
    """The characters whose ``fold`` is not the character itself: only characters NFKD changes, listed
    characters and carriers can be (any other one is its own NFKD, and NFC of one such character is
    itself). Folded all at once, joined by NUL (a starter nothing folds, composes or reorders across)."""
    candidates = sorted(
        {*_decomposable(), *map(ord, (*INVISIBLE_CHARS, *_MARK_CHARS, *_ENCLOSED)), *_CARRIER_DELETE}
    )
    folds = fold("\0".join(map(chr, candidates))).split("\0")
    return frozenset(cp for cp, folded in zip(candidates, folds, strict=True) if folded != chr(cp))


@functools.cache
def _stable_regexes() -> _StableRegexes:
    """Built on first use (~30 ms; ``warm_up``)."""
    changing = _changing_codes()
    return _StableRegexes(
        re2.compile(_class_of(set(changing)).encode(), _RE2_OPTIONS),
        re2.compile(_class_of(set(changing | _SURVIVING_COMPOSER_CODES)).encode(), _RE2_OPTIONS),
        re2.compile(
            _class_of(set(changing | _SURVIVING_COMPOSER_CODES) | set(_decomposable())).encode(), _RE2_OPTIONS
        ),
    )


# At most this many distinct characters that folding changes are replaced one by one (each costs a
# ``str.replace``, a frequent one also a deletion and an encoding while looking for others); more: the
# general path.
_MOST_REPLACED = 8
# Characters ``normalize`` reports or decodes (invisible characters, carriers): never replaced here.
_REPORTED_CODES = frozenset({*map(ord, INVISIBLE_CHARS), *_CARRIER_DELETE})


@dataclass
class _CharacterFold:
    folded: str
    chunk_lengths: list[int] | None  # ``_chunk_fold_lengths(text, census)``, when found on the way
    composers: bool  # a surviving composer occurs (in the text, or in a fold of a replaced character)
    replaced: dict[str, str]  # each character folding changes that occurs, and its fold


# Longer texts: a sample is looked at first (see ``_layer_sample``), so that a text with many distinct
# characters to replace (accented Latin, say) costs a few passes over the sample, not over the text.
_REPLACED_SAMPLE_FROM = 4 * _LAYER_SAMPLE_SLICES * _LAYER_SAMPLE_SLICE


# Occurrences of a character already found before it is deleted from the text searched (a C-level
# ``str.replace`` and an encoding, instead of a search per occurrence of a frequent character).
_REPEATS_BEFORE_DELETING = 8


def _to_replace(
    text: str, data: bytes | None = None, expected: dict[str, str] | None = None
) -> tuple[dict[str, str], bool] | None:
    """(each character folding changes that occurs in ``text``, with its fold; whether a surviving
    composer occurs), or None when more than ``_MOST_REPLACED`` such characters occur or one is an
    invisible character or a carrier. Regex searches over the UTF-8, each from the end of the last match;
    a character found that keeps occurring is deleted and the text searched again from its start (before
    the last match it holds neither other characters to replace nor, unless one was found, composers).
    ``expected``: characters to replace (found in a sample), deleted before the first search (those that
    do not occur are dropped)."""
    regexes = _stable_regexes()
    changing = _changing_codes()
    replaced: dict[str, str] = {}
    composers = False
    # The compiled patterns: a search returns the span, no match object (the loop runs per occurrence).
    changing_raw: _RawRegexp = regexes.changing._regexp
    search = regexes.changing_or_composer._regexp.Match
    found = text.encode("utf-8") if data is None else data
    if expected:
        for char, folded in expected.items():
            if char in text:
                replaced[char] = folded
                text = text.replace(char, "")
        found = text.encode("utf-8")
    repeats = dict.fromkeys(replaced, 0)
    position = 0
    while True:
        start, end = search(_UNANCHORED, found, position, len(found))[0]
        if start < 0:
            break
        char = found[start:end].decode("utf-8")
        if ord(char) not in changing:
            # A surviving composer: from here on, only characters to replace are looked for.
            composers, search, position = True, changing_raw.Match, start
            continue
        position = end
        if char in replaced:
            repeats[char] += 1
            if repeats[char] == _REPEATS_BEFORE_DELETING:
                text = text.replace(char, "")
                found, position = text.encode("utf-8"), 0
            continue
        if ord(char) in _REPORTED_CODES or len(replaced) == _MOST_REPLACED:
            return None
        replaced[char] = fold(char)
        repeats[char] = 0
    return replaced, composers


def _fold_by_character(text: str, data: bytes) -> _CharacterFold | None:
    """``fold(text)`` (UTF-8 ``data``) as NFC of the concatenation of its characters' folds (see
    ``_STABLE_FROM``), when at most ``_MOST_REPLACED`` distinct characters that folding changes occur and
    none is an invisible character or a carrier; else None.

    Nothing to replace and no surviving composer: ``text`` itself (one regex pass), every character has
    combining class 0 and NFC quick check Yes, so every piece of ``text`` is NFC. Otherwise the chunks
    the offset map cuts, joined by a separator (a starter nothing composes with), each character to
    replace replaced by its fold (C-level ``str.replace``), NFC found by ``_compose`` window by window
    when a surviving composer occurs (each character and each fold is a NFC text of its own), joined
    across the seams by ``_join_composed``: one pass gives both the folded text and each chunk's folded
    length."""
    expected = None
    if len(text) > _REPLACED_SAMPLE_FROM:
        sampled = _to_replace(_layer_sample(text))
        if sampled is None:
            return None  # a sample already holds too many characters to replace
        expected = sampled[0]
    to_replace = _to_replace(text, data, expected)
    if to_replace is None:
        return None
    replaced, composers = to_replace
    composers = composers or any(_SURVIVING_COMPOSER_RE.search(folded) for folded in replaced.values())
    if not composers and not replaced:
        # Each chunk folds to itself.
        lengths = [min(_OFFSET_CHECKPOINT, len(text) - i) for i in range(0, len(text), _OFFSET_CHECKPOINT)]
        return _CharacterFold(text, lengths, composers, replaced)
    separator = _chunk_separator(text)
    if separator is None or any(separator in folded for folded in replaced.values()):
        if replaced:
            return None
        return _CharacterFold(_compose(text, 0, _layer_compose_windows()), None, composers, replaced)
    joined = separator.join(_chunks(text))
    for char, folded in replaced.items():
        joined = joined.replace(char, folded)
    if not composers:
        # No character NFC could change: the concatenation is NFC.
        parts = joined.split(separator)
        return _CharacterFold("".join(parts), [len(part) for part in parts], composers, replaced)
    windows = _layer_compose_windows()
    parts = _compose(joined, 0, windows).split(separator)
    composed = _join_composed(parts)
    if composed is None:
        composed = _compose(joined.replace(separator, ""), 0, windows)
    return _CharacterFold(composed, [len(part) for part in parts], composers, replaced)


# The lookalikes by the first byte of their UTF-8 (a byte a text's UTF-8 holds only when the text holds a
# character of that block of 64), in table order within each.
_LOOKALIKES_BY_LEAD: dict[bytes, tuple[str, ...]] = {}
for _lookalike in _LOOKALIKES:
    _lead = _lookalike.encode()[:1]
    _LOOKALIKES_BY_LEAD[_lead] = (*_LOOKALIKES_BY_LEAD.get(_lead, ()), _lookalike)
_LOOKALIKE_ORDER = {char: index for index, char in enumerate(_LOOKALIKES)}


def _lookalikes_in(text: str, data: bytes) -> tuple[str, ...]:
    """The lookalikes occurring in ``text`` (UTF-8 ``data``), in table order: a C-level byte search per
    block (most texts hold none of Greek or Cyrillic), then a character search per lookalike of the blocks
    that occur (one that occurs is found early in text of that script, where a census pass costs ~10 ns per
    character, matching almost every character)."""
    found = [
        char
        for lead, chars in _LOOKALIKES_BY_LEAD.items()
        if lead in data
        for char in chars
        if char in text
    ]
    return tuple(sorted(found, key=_LOOKALIKE_ORDER.__getitem__))


def _normalize_by_character(text: str, data: bytes | None, offsets: OffsetMap) -> NormalizedText | None:
    """``normalize`` of a non-ASCII ``text`` folded character by character (``_fold_by_character``; None
    when it declines). Only the characters replaced hold listed characters in their NFKD (any other one
    folds to itself, so its NFKD holds nothing to delete or replace): their NFKD gives the fold census.
    No invisible character and no carrier occurs: no hidden payload, nothing to count. With nothing
    replaced, the census is empty and NFKC(text) is ``fold(text)``. The folded text holds no lookalike
    that neither the text nor a fold of a replaced character holds (lookalikes have no canonical
    decomposition, so NFC never makes one)."""
    if data is None:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate
            return None
    first = _stable_regexes().not_plain.search(data)
    if first is not None and ord(first.group().decode("utf-8")) in _REPORTED_CODES:
        return None  # an invisible character or a carrier
    if first is None:
        # A NFKD text, no character to replace, no surviving composer (Greek, Cyrillic without a breve):
        # the text is its own fold, and each chunk's folded length is counted from the (empty) census.
        by_character = _CharacterFold(text, None, False, {})
        folds_locally = True
    else:
        found = _fold_by_character(text, data)
        if found is None:
            return None
        by_character = found
        # As ``normalize`` sets it (a NFKD text, no surviving composer, no carrier).
        folds_locally = not by_character.composers and unicodedata.is_normalized("NFKD", text)
    folded, replaced = by_character.folded, by_character.replaced
    offsets.chunk_fold_lengths = by_character.chunk_lengths
    offsets.fold_census = _FOLD_CENSUS.present(unicodedata.normalize("NFKD", "".join(replaced)))
    offsets.folds_locally = folds_locally
    offsets.folded_length = len(folded)
    unchanged = folded is text or folded == text
    if replaced:
        not_nfkc = not unicodedata.is_normalized("NFKC", text)
    else:
        not_nfkc = not unchanged
    notes: list[Note] = [Note("nfkc", 1)] if not_nfkc else []
    if unchanged:
        if not any(lead in data for lead in _LOOKALIKES_BY_LEAD):
            skeleton, changed = text, 0
        else:
            try:
                # ASCII and lookalikes only (the encoding fails at the first other character).
                skeleton, changed = _fold_only_lookalikes(text)
            except UnicodeEncodeError:
                skeleton, changed = fold_lookalikes(text, _lookalikes_in(text, data), data)
    elif not replaced:
        skeleton, changed = fold_lookalikes(folded)
    else:
        candidates = {
            *_lookalikes_in(text, data),
            *(c for f in replaced.values() for c in f if c in _LOOKALIKES),
        }
        lookalikes = tuple(c for c in _LOOKALIKES if c in candidates and c in folded)
        # Counted by length (each lookalike folded makes the UTF-8 one byte shorter) rather than a count
        # pass per lookalike.
        folded_data = folded.encode("utf-8", "surrogatepass") if len(lookalikes) > 1 else None
        skeleton, changed = fold_lookalikes(folded, lookalikes, folded_data)
    if changed:
        notes.append(Note("confusables_folded", changed))
    return NormalizedText(text, folded, skeleton, offsets, notes, [])


if any(
    unicodedata.decomposition(c) and not unicodedata.decomposition(c).startswith("<") for c in _LOOKALIKES
):
    raise RuntimeError("a lookalike with a canonical decomposition: NFC could make one")


def normalize(text: str, data: bytes | None = None) -> NormalizedText:
    """Fold ``text`` for matching and report what was done. ``data``: ``text`` in UTF-8, when the
    caller has it (saves encoding a long text again)."""
    offsets = OffsetMap(text)
    if text.isascii():
        return NormalizedText(text, text, text, offsets)
    if len(text) >= _STABLE_FROM and (
        len(text) >= 2 * _STABLE_FROM or (data is not None and len(data) >= 2 * len(text))
    ):
        by_character = _normalize_by_character(text, data, offsets)
        if by_character is not None:
            return by_character
    notes: list[Note] = []
    decomposed = unicodedata.normalize("NFKD", text)
    stripped: str | None = None
    hidden: list[HiddenPayload] | None = None
    # From the census: whether a surviving composer occurs (if not, the final NFC changes nothing) and,
    # for a text already in NFKD, whether some joiner is not an emoji joiner.
    composes = lone_joiners = True
    if decomposed is text:
        # Already NFKD (returned as is): the fold census of the text answers the invisible census
        # too (its keys start with the invisible characters, in the same order), one pass not two.
        if data is None:
            data = text.encode("utf-8")
        indexes = _NORMALIZE_CENSUS.present_indexes(data)
        present, fold_present, lookalikes, composers = _split_census(indexes)
        has_carriers = bool(fold_present) and fold_present[-1] == _CARRIERS
        offsets.folds_locally = not composers and not has_carriers
        composes = composers
        lone_joiners = _LONE_JOINER_INDEX in indexes
        if has_carriers and _OTHER_CARRIERS_INDEX not in indexes:
            # The only carriers are emoji presentation selectors (one after each emoji of an emoji-rich
            # text): stripping them is two C-level replaces, and a payload run of four or more needs
            # two of them in a row.
            stripped = text.replace(_PRESENTATION_SELECTORS[0], "").replace(_PRESENTATION_SELECTORS[1], "")
            if _SELECTOR_PAIR_INDEX not in indexes:
                hidden = []
            if not composers:
                # Folding is character-local again: each selector shortens its chunk by one.
                offsets.local_census = (*fold_present[:-1], *_PRESENTATION_SELECTORS)
        if has_carriers and hidden is None:
            # One pass finds the carrier runs for both the hidden payloads and the stripping.
            runs = _carrier_runs(data)
            if runs is not None:
                hidden = _hidden_payloads(text, notes, runs[0], runs[1])
                stripped = runs[2]
    else:
        present = _INVISIBLE_CENSUS.present(text if data is None else data)
        indexes = _NORMALIZE_CENSUS.present_indexes(decomposed)
        _, fold_present, lookalikes, composes = _split_census(indexes)
    offsets.fold_census = fold_present
    carriers = bool(present) and present[-1] == _CARRIERS
    if carriers:
        present = present[:-1]
    if hidden is None:
        hidden = _hidden_payloads(text, notes) if carriers else []
    if composes and not (fold_present and fold_present[-1] == _CARRIERS):
        # The offset map's fold of the chunks may give the folded text too (see ``_fold_sharing_chunks``).
        folded, composed, offsets.chunk_fold_lengths = _fold_sharing_chunks(text, fold_present, decomposed)
    else:
        folded, composed = _fold_decomposed_composed(decomposed, fold_present, stripped, composes)
    offsets.folded_length = len(folded)
    if present:
        counts = {char: text.count(char) for char in present}
        invisible = sum(n for char, n in counts.items() if char != ZERO_WIDTH_JOINER)
        # Joiners inside emoji sequences (family, profession emoji) are ordinary text.
        joiners = counts.get(ZERO_WIDTH_JOINER, 0)
        if joiners and lone_joiners:
            joiners -= emoji_joiners(text, data)
        elif joiners:  # every joiner but one ending the text stands before an emoji
            joiners = int(text[-1] == ZERO_WIDTH_JOINER)
        bidi = sum(n for char, n in counts.items() if char in _BIDI_SET)
        if invisible + joiners - bidi > 0:
            notes.append(Note("invisible_stripped", invisible + joiners - bidi))
        if bidi:
            notes.append(Note("bidi_controls_stripped", bidi))
    if decomposed is text and not fold_present:
        # Already NFKD and nothing folded away: ``folded`` is NFC(text), which is NFKC(text). (Compared, not
        # checked again: ``is_normalized`` normalizes the whole text when it holds a composing character,
        # ~140 ns per character for kana with voicing marks, and ``composed`` may be a copy of ``text``.)
        not_nfkc = folded != text
    elif decomposed is text and not composes and _MARK_SET.isdisjoint(fold_present):
        # No character that NFC could change (no surviving composer, no combining mark):
        # NFKC(text) = NFC(text) = text.
        not_nfkc = False
    else:
        not_nfkc = not unicodedata.is_normalized("NFKC", text)
    if not_nfkc:
        notes.append(Note("nfkc", 1))
    if lookalikes and not composes and _UNFOLDED_INDEX not in indexes:
        # Folding left only ASCII and lookalikes (no other character in the census, nothing composed).
        skeleton, changed = _fold_only_lookalikes(folded)
    else:
        skeleton, changed = fold_lookalikes(
            folded, None if composed else lookalikes, data if folded is text else None
        )
    if changed:
        notes.append(Note("confusables_folded", changed))
    return NormalizedText(text, folded, skeleton, offsets, notes, hidden)


def warm_up() -> None:
    """Builds the tables this module otherwise builds on first use (~130 ms, ~8 MB): a server calls it at
    start-up, so that no request pays for them."""
    _fold_table()
    _layer_census()
    _layer_table()
    _layer_compose_windows()
    _composing_pairs()
    _stable_regexes()
