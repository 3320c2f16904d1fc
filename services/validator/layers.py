"""Builds the views of one input that detectors scan, each mapped back to original offsets.

View 0 is the normalized skeleton. Further views exist only when a cheap
pre-check (one re2 Set pass over the skeleton) says they could matter:
the un-skeletonized folded text, leetspeak folding, collapsed letter-spacing,
rot13, reversal, other Caesar shifts, text smuggled in invisible carriers,
joined payload fragments, and recursively decoded blobs (bounded in depth,
count and total size).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import re2

from services.validator import ciphers, decode
from services.validator.normalize import (
    INVISIBLE_CHARS,
    LEET_HINT,
    LEET_TABLE,
    NormalizedText,
    Note,
    fold_layer,
    invisible_as_space,
    normalize,
)
from services.validator.padding import PADDING_HINT, collapse_padding
from services.validator.rejoin import SPLIT_HINT, rejoin_words
from services.validator.scanner import ScanView, known_utf8, remember_utf8
from services.validator.spacing import SPACED_RUN, collapse_letter_spacing
from services.validator.unjoin import (
    BROKEN_HINT,
    CAMEL_ATTACK_HINT,
    CAMEL_HINT,
    DOTTED_ATTACK_HINT,
    DOTTED_HINT,
    JOINED_HINT,
    MARKED_HINT,
    VERBS,
    split_camel_case,
    unjoin_words,
    wanted_views,
)
from services.validator.windows import (
    MIN_SHARE,
    PLACE_WHOLE,
    Density,
    GateSearch,
    head_windows,
    place_windows,
    share,
    word_windows,
)

SpanMap = Callable[[int, int], tuple[int, int]]


class EditedText(Protocol):
    """A view of a text with characters inserted or deleted (spacing collapsed, words unjoined or rejoined,
    camelCase split): its text, and the span in the text it was made from of a span of it."""

    @property
    def text(self) -> str: ...

    def span(self, start: int, end: int) -> tuple[int, int]: ...

_PRECHECKS = (
    (
        "rot13",
        r"(?i)\b(?:gur|lbh|naq|vtaber|vafgehpgvbaf?|cebzcg|cerivbhf|qvfertneq|sbetrg|flfgrz|cnffjbeq|frperg|ehyrf|nyy|nal)\b",
    ),
    (
        "reversed",
        r"(?i)(?:\beht\b|\buoy\b|\blla\b|erongi|snoitcurtsni|tpmorp|suoiverp|dragersid|tegrof|metsys|drowssap|terces|selur)",
    ),
    ("english", ciphers.ENGLISH_HINT),
    ("caesar", ciphers.CAESAR_HINT),
    ("upside_down", ciphers.UPSIDE_DOWN_HINT),
    ("atbash", ciphers.ATBASH_HINT),
    ("joined", JOINED_HINT),
    ("split_words", SPLIT_HINT),
    ("blob", decode.BLOB_HINT),
    ("base64_words", decode.BASE64_WORDS_HINT),
    ("in_place", r"%[0-9A-Fa-f]{2}|&#?[A-Za-z0-9]{2,8};|=[0-9A-F]{2}|\\[uxU][0-9A-Fa-f]{2}"),
    ("split", r"\b[A-Za-z_]\w{0,8}\s*=\s*[\"'][^\"'\n]{1,200}[\"']"),
    ("leet", LEET_HINT),
    ("spaced", SPACED_RUN),
    ("padded", PADDING_HINT),
)
_PRECHECK_NAMES = tuple(name for name, _ in _PRECHECKS)
# The pre-checks of something to decode in a layer: a blob, in-place markers, words each in base64.
_DECODING_HINTS = frozenset({"blob", "in_place", "base64_words"})
# ``LEET_TABLE`` as a byte table: it maps ASCII characters to ASCII characters, one for one, so on any text's UTF-8
# ``bytes.translate`` gives the same characters (``ciphers.translate_ascii``: ~10 us per 100 KB of ASCII against
# ~70 for ``str.translate``, and ~0.5 ms against 3-9 ms on text with other characters).
if not all(code < 128 and isinstance(to, str) and len(to) == 1 and to.isascii() for code, to in LEET_TABLE.items()):
    raise RuntimeError("LEET_TABLE must map ASCII characters to single ASCII characters")
_LEET_BYTES = bytes.maketrans(
    bytes(LEET_TABLE), "".join(str(to) for to in LEET_TABLE.values()).encode("ascii")
)
# The places where the leetspeak and rot13 views of a long text are read (``windows.place_windows``): characters
# leetspeak folds inside a word, after its first letters ("pr3v10us", "h4x0r"), or starting one ("1gnore", "4ll",
# "1n5truct10n5"); and a rot13 word ("vtaber", "gur": the pre-check's own, which a rot13 attack is written with).
# Elsewhere the leetspeak view is the skeleton (view 0, scanned already) with digits and symbols folded after words
# ("python3" "utf8" "x1"), in hex numbers, escapes and decorators ("0x1f", "\\u1aa0g", "@property": a word after a
# backslash or a digit, or a lone "0" or "@" starting one) or among other symbols ("&frac14;" "2+2": "&fracia;"
# "a+a"): in source code those were dense enough for its whole 100 KB view to be read. A leetspeak attack folds
# inside its words.
_LEET_CHARS = "".join(f"\\x{code:02X}" for code in LEET_TABLE)
_LEET_WORD_RE = re2.compile(
    f"(?:^|[^\\\\0-9A-Za-z])[A-Za-z]+[{_LEET_CHARS}]+[A-Za-z]|"
    f"(?:^|\\s)[{_LEET_CHARS}]*[13457$!|8+][{_LEET_CHARS}]*[A-Za-z]"
)
_ROT13_RE = re2.compile(dict(_PRECHECKS)["rot13"])
# The views that put words apart (camelCase split, dots and wrapped lines read as spaces, invisible characters read
# as spaces) or back together (split attack words rejoined), and the upside-down view, are each a whole new text for
# the Set passes (~0.5 ms per 4 KB of rule words): they read windows of the text where their own pre-check fires,
# within a share of ``windows.WORD_VIEW_BUDGET`` (see windows.py). The rejoined view at most 4 K characters: past
# ~32 distinct splits it joins them one regex step each (~4 us), and a decoy list could fill any window with them.
_MAX_REJOINED = 4_096
# An invisible character (not a carrier of hidden text) between two letters.
_PARTED_WORDS_RE = re2.compile(
    "\\pL[" + "".join(f"\\x{{{ord(char):04X}}}" for char in INVISIBLE_CHARS) + "]+\\pL"
)
_TURNED_RE = re2.compile(ciphers.UPSIDE_DOWN_HINT)
_MARKED_RE = re2.compile(MARKED_HINT)
# Where each word view reads a long text (``windows.word_windows``): around these matches, the first gate's first.
_SPLIT_GATES = (re2.compile(SPLIT_HINT),)
_CAMEL_GATES = (re2.compile(CAMEL_ATTACK_HINT), re2.compile(CAMEL_HINT))
_DOTTED_GATES = (re2.compile(DOTTED_ATTACK_HINT), re2.compile(DOTTED_HINT))
_BROKEN_GATES = (re2.compile(BROKEN_HINT),)
_TURNED_GATES = (_TURNED_RE,)
_PADDED_GATES = (re2.compile(PADDING_HINT),)
# The gates searched in the skeleton, and their alternation: where the next match of any of them starts
# (``windows.GateSearch``: a search from there is the gate's own, and none after the last one).
_ROOT_GATES = (*_SPLIT_GATES, *_CAMEL_GATES, *_DOTTED_GATES, *_BROKEN_GATES, *_TURNED_GATES)
# The pre-checks that ask for a view read around its gates in the skeleton.
_WORD_VIEW_HINTS = frozenset({"joined", "split_words", "upside_down", "padded"})
_ROOT_GATES_UNION = re2.compile("|".join(f"(?:{gate.pattern})" for gate in _ROOT_GATES))
_PARTED_GATES = (
    re2.compile(
        "(?i:\\b(?:" + VERBS + "))[" + "".join(f"\\x{{{ord(char):04X}}}" for char in INVISIBLE_CHARS) + "]+\\pL"
    ),
    _PARTED_WORDS_RE,
)
_FRAGMENT_RE = re2.compile(r"[\"']([^\"'\n]{1,200})[\"']")
_MAX_FRAGMENTS = 64


def _build_precheck_set() -> re2.Set:
    options = re2.Options()
    options.max_mem = 32 << 20
    precheck = re2.Set.SearchSet(options)
    for _, regex in _PRECHECKS:
        precheck.Add(regex)
    precheck.Compile()
    return precheck


_PRECHECK_SET = _build_precheck_set()


@dataclass(frozen=True)
class DecodeLimits:
    max_depth: int = 4
    max_layers: int = 48
    max_blobs_per_layer: int = 16
    max_total_chars: int = 512 * 1024


@dataclass
class ViewSet:
    views: list[ScanView] = field(default_factory=list)
    span_maps: list[SpanMap] = field(default_factory=list)
    decodings: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def add(self, text: str, transformed: bool, span_map: SpanMap, decodings: tuple[str, ...] = ()) -> None:
        self.views.append(ScanView(text, transformed))
        self.span_maps.append(span_map)
        self.decodings.append(decodings)

    def add_edited(self, edited: EditedText | None, span_map: SpanMap, note: str, count: int = 1) -> None:
        """A view that edits the skeleton (``edited.span`` maps its offsets to the skeleton's, ``span_map`` those
        to the original's), noted as ``note``; nothing when the edit left nothing to scan (None)."""
        if edited is None:
            return
        self.add(edited.text, True, lambda start, end: span_map(*edited.span(start, end)))
        self.notes.append(Note(note, count))


def _fixed(start: int, end: int) -> SpanMap:
    return lambda _s, _e: (start, end)


def _backwards(span_map: SpanMap, end: int) -> SpanMap:
    """``span_map`` for a view of the text before ``end`` read from the end."""
    return lambda start, stop: span_map(end - stop, end - start)


def _identity(start: int, end: int) -> tuple[int, int]:
    return start, end


@dataclass(frozen=True)
class _Edited:
    """An ``EditedText`` made of its parts (the invisible-as-space view: a normalized window and its offsets)."""

    text: str
    span: SpanMap


def _shifted(span: Callable[[int, int], tuple[int, int]], by: int, span_map: SpanMap) -> SpanMap:
    """``span_map`` of ``span``'s offsets moved ``by`` characters on (a view of a window of the text)."""

    def mapped(start: int, end: int) -> tuple[int, int]:
        inner_start, inner_end = span(start, end)
        return span_map(inner_start + by, inner_end + by)

    return mapped


def _add_windowed(
    views: ViewSet,
    text: str,
    windows: list[tuple[int, int]],
    edit: Callable[[str], EditedText | None],
    span_map: SpanMap,
    note: str,
) -> None:
    """The view ``edit`` makes of each window of ``text`` (``span_map``: ``text``'s offsets to the original's),
    noted once as ``note``."""
    added = False
    for start, end in windows:
        edited = edit(text[start:end])
        if edited is not None:
            views.add(edited.text, True, _shifted(edited.span, start, span_map))
            added = True
    if added:
        views.notes.append(Note(note, 1))


def _add_padding_collapsed(
    views: ViewSet, texts: tuple[str, ...], windows: list[tuple[int, int]], span_map: SpanMap
) -> None:
    """The view of each window of each of ``texts`` (of one length, one ``span_map``) with its padding runs read
    as one space, read near those runs only (``PaddingCollapsedText.near_runs``)."""
    added = False
    for text in texts:
        for start, end in windows:
            collapsed = collapse_padding(text[start:end])
            if collapsed is None:
                continue
            for near_start, near_end in collapsed.near_runs():
                near = collapsed.text[near_start:near_end]
                views.add(near, True, _shifted(collapsed.span_from(near_start), start, span_map))
                added = True
    if added:
        views.notes.append(Note("padding_collapsed", 1))


def _add_around(
    views: ViewSet,
    text: str,
    places: re2._Regexp,
    view_of: Callable[[int, int], str],
    span_map: SpanMap,
    decodings: tuple[str, ...] = (),
    whole_without_places: bool = True,
) -> None:
    """The view of ``text`` that ``view_of(start, end)`` makes of each window around ``places``
    (``windows.place_windows``), or of all of it (short or dense text; no place found: the pre-check fired in
    another view, the collapsed spacing's, and the text is read whole as before, unless not
    ``whole_without_places``: then no view)."""
    windows = place_windows(text, places, known_utf8(text))
    if windows is None or (not windows and whole_without_places):
        windows = [(0, len(text))]
    for start, end in windows:
        views.add(view_of(start, end), True, _shifted(_identity, start, span_map), decodings)


def _cipher_views(
    views: ViewSet,
    text: str,
    span_map: SpanMap,
    decodings: tuple[str, ...],
    hints: set[str],
    word_share: int = MIN_SHARE,
    searcher: GateSearch | None = None,
) -> None:
    """The cipher views of ``text``; ``searcher``: the gates' searches in its UTF-8, when the caller has them."""
    if "rot13" in hints:
        _add_around(
            views, text, _ROT13_RE, lambda start, end: ciphers.rot13(text[start:end]), span_map, (*decodings, "rot13")
        )
    if "reversed" in hints:
        length = len(text)
        views.add(
            ciphers.reverse(text),
            True,
            lambda s, e: span_map(length - e, length - s),
            (*decodings, "reversed"),
        )
        # (twentieth session) Each word backwards in its place: "erongi lla suoiverp snoitcurtsni".
        views.add(ciphers.reverse_words(text), True, span_map, (*decodings, "reversed_words"))
    if "atbash" in hints:
        views.add(ciphers.atbash(text), True, span_map, (*decodings, "atbash"))
    if "upside_down" in hints:
        # Windows from a little before turned letters on (a turned word may start with letters that look the
        # same either way up), each read from its end.
        encoded = known_utf8(text) if searcher is None else searcher.data
        for start, end in word_windows(text, _TURNED_GATES, word_share, encoded, searcher):
            views.add(
                ciphers.turn_upright(text[start:end]),
                True,
                _backwards(span_map, end),
                (*decodings, "upside_down"),
            )
    tried = set()
    if "english" not in hints:
        shifted = ciphers.best_caesar_shift(text)
    else:
        # An English text whose end is not English: a shifted payload after a preamble, judged on that end alone.
        foreign = ciphers.foreign_tail(text)
        shifted = None if foreign is None else ciphers.best_caesar_shift(text, foreign)
    if shifted is not None:
        tried.add(shifted[0])
        views.add(shifted[1], True, span_map, (*decodings, f"caesar{shifted[0]}"))
    if "caesar" in hints:
        # A shifted payload after an English preamble: the shifts under which it holds an attack's keywords.
        for shift in ciphers.keyword_shifts(text):
            if shift not in tried:
                views.add(ciphers.shift(text, shift), True, span_map, (*decodings, f"caesar{shift}"))


def _surrogatepass_utf8(text: str) -> bytes:
    """``text.encode("utf-8", "surrogatepass")``, the kept encoding when ``text`` is a recent long text
    (``scanner.known_utf8``: the same bytes when it holds no lone surrogate, the only way it encodes)."""
    try:
        return known_utf8(text)
    except UnicodeEncodeError:  # a lone surrogate (possible in-process only)
        return text.encode("utf-8", "surrogatepass")


def _hints(text: str | bytes) -> set[str]:
    found = _PRECHECK_SET.Match(text)
    return {_PRECHECK_NAMES[i] for i in found} if found else set()


def _joined_fragments(text: str) -> str | None:
    """The first ``_MAX_FRAGMENTS`` quoted strings (``_FRAGMENT_RE``'s matches) joined, if two or more."""
    quotes = text.count('"') + text.count("'")
    if quotes > _MAX_WALKED_QUOTES:
        fragments = [m.group(1) for _, m in zip(range(_MAX_FRAGMENTS), _FRAGMENT_RE.finditer(text), strict=False)]
    else:
        fragments = _quoted_fragments(text)
    return "".join(fragments) if len(fragments) >= 2 else None


# Up to this many quote characters, ``_FRAGMENT_RE``'s matches are read from a split on the quotes (one
# Python step per quote); the regex's ``finditer`` costs 50-450 us on a new 2 KB text (submatch search).
_MAX_WALKED_QUOTES = 1024


def _quoted_fragments(text: str) -> list[str]:
    """``_FRAGMENT_RE``'s first ``_MAX_FRAGMENTS`` group(1)s, without the regex. The text between two
    consecutive quote characters holds no quote: a match opens at a quote exactly when the text up to
    the next quote is 1 to 200 characters without a line break, and closes at that quote; the search
    resumes after it. An opening quote that fails leaves the next quote as the next candidate."""
    pieces = text.replace("'", '"').split('"')
    fragments: list[str] = []
    last = len(pieces) - 1  # pieces[last] has no closing quote
    index = 1  # pieces[index] follows the candidate opening quote
    while index < last:
        piece = pieces[index]
        if 0 < len(piece) <= 200 and "\n" not in piece:
            fragments.append(piece)
            if len(fragments) == _MAX_FRAGMENTS:
                break
            index += 2
        else:
            index += 1
    return fragments


@dataclass
class _Layer:
    """A decoded layer's view: ``fold_layer`` of the decoded text, its UTF-8 (None when ASCII), and whether
    it is known to fold to itself (see ``_layer_view``)."""

    text: str
    data: bytes | None
    folds_to_itself: bool


def _extra_bytes(text: str, data: bytes | None) -> int:
    """How many more UTF-8 bytes than characters ``text`` has (``data``: its UTF-8, None when ASCII)."""
    return 0 if data is None else len(data) - len(text)


# In-place decodings that replace markers made of ASCII characters only ("%" and two hex digits, "\\u"
# and four, "=" and two or "=" and a character kept after it; named references: "&" and a name of ASCII
# letters and digits, ";") each by a non-empty text, and keep every other character. A "=" at a line
# end (a quoted-printable soft line break, removed with the line end, or with all up to it after "=\r")
# and numeric references (their digits may be other scripts') are not: the decodings of layers holding
# those are folded as they are.
# (A search for those in the source's UTF-8: one byte first, C-level; ``bytes.__contains__`` of two
# bytes costs ~1 ns per byte.)
_RUN_KEEPING: dict[str, re2._Regexp | None] = {
    "url": None,
    "escapes": None,
    "quoted_printable": re2.compile(b"=[\r\n]"),
    "html_entities": re2.compile(b"&#"),
}


def _layer_view(text: str, kind: str, source: _Layer | None, folded: str | None = None) -> _Layer:
    """``fold_layer(text)`` as a layer; ``kind``: the decoding that made ``text``, ``source``: the layer it
    decoded in place (None: the input itself, a blob or a hidden payload); ``folded``: ``fold_layer(text)``
    when the decoding made it (``decode.Decoded.folded``, which folds to itself). UTF-8 encodings are
    taken from ``known_utf8`` (a long text's decoding kept its bytes: ``decode.Decoded.utf8``).

    Layers decoded in place from a layer that folds to itself mostly fold to themselves, and folding
    one costs as much as folding its source (~0.2 ms per 40 KB of non-ASCII text; a layer and the few
    markers decoded in it make a chain of near-identical layers). A decoding in ``_RUN_KEEPING`` keeps
    the source's non-ASCII characters (the markers it replaces are ASCII; URL and quoted-printable bytes
    that make no UTF-8 with the ones around them are each replaced by U+FFFD, a character of its own):
    when ``text`` has no more UTF-8 bytes beyond its characters than the source, it added no non-ASCII
    character (each would add one at least), so it replaced markers by non-empty ASCII text only and has
    exactly the source's maximal runs of non-ASCII characters. A text whose runs are all runs of a text
    that folds to itself folds to itself (see ``normalize.fold_layer``), so then ``text`` is its own
    fold, not folded again. When the source is not known to fold to itself, ``text`` is folded; if it
    folds to itself with the source's runs, those runs fold to themselves, and so does the source (marked
    so for its other decodings)."""
    if folded is not None:
        return _Layer(folded, None if folded.isascii() else folded.encode("utf-8"), True)
    if (
        source is None
        or kind not in _RUN_KEEPING
        or text.isascii()
        or source.data is None  # an ASCII source: ``text`` has a run it has not
        or ((blocked := _RUN_KEEPING[kind]) is not None and blocked.search(source.data) is not None)
    ):
        folded = fold_layer(text)
        return _Layer(folded, None if folded.isascii() else known_utf8(folded), folded == text)
    data = known_utf8(text)
    same_runs = _extra_bytes(text, data) == _extra_bytes(source.text, source.data)
    if same_runs and source.folds_to_itself:
        return _Layer(text, data, True)
    folded = fold_layer(text)
    if folded == text:
        if same_runs:
            source.folds_to_itself = True
        return _Layer(text, data, True)
    return _Layer(folded, None if folded.isascii() else folded.encode("utf-8"), False)


class _Texts:
    """A set of long texts kept by length: whether it holds a text compares that text with the ones of
    its length only, where a ``set`` would hash it first (a string's hash reads all of it, ~40 us per
    40,000 non-ASCII characters, for decoded layers most of which are compared with no other text).
    Texts shorter than ``_HASHED_BELOW`` go to a ``set`` (see ``_texts_for``)."""

    __slots__ = ("_by_length",)

    def __init__(self) -> None:
        self._by_length: dict[int, list[str]] = {}

    def add(self, text: str) -> None:
        self._by_length.setdefault(len(text), []).append(text)

    def __contains__(self, text: object) -> bool:
        same_length = self._by_length.get(len(text)) if isinstance(text, str) else None
        return same_length is not None and text in same_length


_HASHED_BELOW = 4096  # characters


# A long layer decoded in place that is its parent with a few places decoded (in a source file a line ``x=10``
# holds a quoted-printable marker, ``"\\x00"`` an escape, ``%2F`` a URL one) is queued as its edited pieces only
# (``_edited_pieces``), joined by ``_PIECE_JOINT``: lines no rule reads across (a line break stops ``.``, a word
# stops ``\s`` and ``\W``; more words and characters than any rule's gap of 300), no marker of any decoding, and a
# space either side (a piece starts after a space and ends before one, or a line break: ``(?m)^`` and ``$`` do not
# match there, as they may not have in the layer).
_PIECE_JOINT = " " + "\n_" * 160 + " "
_MAX_HEADS = 64  # a non-ASCII layer's marker heads found one by one, up to this many
# Finding the windows of a non-ASCII layer, and its long runs, costs ~3 times as much (its UTF-8 is searched and the
# offsets converted): only layers at least this long are cut into pieces (an entity wall's near-copies of ~40 K
# characters cost more so than they save).
_EDITED_NON_ASCII_FROM = 49_152
# Edited pieces pay while they leave out a quarter of the layer (one Set pass for all, and the layer's own
# decodings are made of them).
_EDIT_DENSITY = Density(64, (3, 4), 6)


def _edited_pieces(kind: str, parent: str, parent_utf8: bytes | None, text: str) -> str | None:
    """The windows where ``text`` (a layer of more than ``windows.PLACE_WHOLE`` characters, decoded in place by
    ``kind`` from ``parent``, whose UTF-8 is ``parent_utf8``, None when ASCII) differs from ``parent``, each with
    ``windows.PLACE_REACH`` around it (widened past long runs), joined by ``_PIECE_JOINT``; None: ``text`` as it is
    (edits everywhere, or not the parent with its windows decoded).

    The windows are ``windows.place_windows``' around the places of ``kind``'s markers in ``parent``; each is
    decoded alone, and when ``parent`` with its windows decoded is ``text`` (checked: a marker outside the windows,
    or a decoding that reads past a window, makes another text), ``text`` outside the windows is ``parent``'s text.
    A rule match there (less than the reach from every edit) is a match in ``parent``, whose views are read; so are
    its decodings there: each in-place decoding is local (a marker decodes from a few characters around it), so they
    are ``parent``'s own decodings there, queued from it. The pieces are read, and decoded further, like any layer."""
    places, head, decoder = decode.IN_PLACE_KINDS[kind]
    # (In ASCII, the markers' places in the bytes are characters; else a few heads are found in the text, and
    # many in its UTF-8, their offsets converted.)
    if parent_utf8 is not None and parent.count(head) <= _MAX_HEADS:
        windows = head_windows(parent, head, _EDIT_DENSITY)
    else:
        encoded = known_utf8(parent) if parent_utf8 is None else parent_utf8
        windows = place_windows(parent, places, encoded, _EDIT_DENSITY)
    if not windows:
        return None
    if head == "=":
        windows = _past_trailing_equals(parent, windows)
    rebuilt: list[str] = []  # ``parent`` with its windows decoded
    pieces: list[str] = []
    cursor = 0  # where ``parent``'s next unchanged text starts
    for start, end in windows:
        piece = decoder(parent[start:end])
        rebuilt.append(parent[cursor:start])
        rebuilt.append(piece)
        pieces.append(piece)
        cursor = end
    rebuilt.append(parent[cursor:])
    return _PIECE_JOINT.join(pieces) if "".join(rebuilt) == text else None


def _past_trailing_equals(parent: str, windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``windows`` with each end moved past an "=" (or "=\r") it would cut off what follows: quoted-printable
    decoding drops an input's last "=" (a soft line break at its end), so a window of code ending in "x =" decoded
    to "x " where the whole text keeps it, and the layer was read whole (``argparse.py``: 82 places in 12 windows).
    An end stays short of the next window's start."""
    moved: list[tuple[int, int]] = []
    size = len(parent)
    for index, (start, end) in enumerate(windows):
        limit = windows[index + 1][0] if index + 1 < len(windows) else size
        while end < limit and (parent[end - 1] == "=" or parent[end - 2 : end] == "=\r"):
            end += 1
        moved.append((start, end))
    return moved


def _texts_for(text: str, short: set[str], long: _Texts) -> set[str] | _Texts:
    """Where ``text`` is kept: ``short`` (a ``set``) below ``_HASHED_BELOW`` characters, else ``long``."""
    return short if len(text) < _HASHED_BELOW else long


# A layer to decode (see ``build_views``).
_Queued = tuple[
    str,
    tuple[str, ...],
    tuple[int, int] | None,
    int,
    tuple[str, str] | None,
    _Layer | None,
    str | None,
    bytes | None,
]
PRECHECKS = _PRECHECKS
# Hints of ordinary prose: common English words rule out a Caesar shift, nothing else to decode.
_PLAIN_PROSE = frozenset({"english"})


def is_plain_prose(norm: NormalizedText, hints: set[str]) -> bool:
    """True when ``build_views(norm, limits, hints)`` holds the skeleton view only (and the notes)."""
    return (
        hints == _PLAIN_PROSE
        and not norm.hidden
        and norm.folded is norm.skeleton
        and ciphers.foreign_tail(norm.skeleton) is None
    )


def build_views(
    norm: NormalizedText,
    limits: DecodeLimits,
    hints: set[str] | None = None,
    scan_hints: Callable[[str], set[str]] | None = None,
) -> ViewSet:
    """Views of ``norm``; view 0 is the skeleton. ``hints``: pre-checks already run on the skeleton.
    ``scan_hints``: the pre-checks that fire in a text, when the caller's own pass over the views
    answers them too (the engine's Set passes; else ``_hints``)."""
    if scan_hints is None:
        scan_hints = _hints
    views = ViewSet(notes=list(norm.notes))
    offsets = norm.offsets
    root = norm.skeleton
    views.add(root, False, offsets.span)
    if hints is not None and is_plain_prose(norm, hints):
        # The common case (ordinary prose): no extra view could be built below, skip the bookkeeping.
        return views
    if norm.folded != root:
        views.add(norm.folded, False, offsets.span)
    hints = _hints(root) if hints is None else set(hints)
    leet = None
    if "leet" in hints:
        leet = ciphers.translate_ascii(root, _LEET_BYTES)
    if leet is not None and leet != root:
        folded_leet = leet
        # (No place in a long text: the pre-check fired on a digit after a letter only, "&frac12;" "u10": folding
        # it makes no word, and no view is read.)
        _add_around(
            views, root, _LEET_WORD_RE, lambda start, end: folded_leet[start:end], offsets.span,
            whole_without_places=False,
        )  # fmt: skip
    collapsed = collapse_letter_spacing(root if leet is None else leet) if "spaced" in hints else None
    if collapsed is not None:
        views.add_edited(collapsed, offsets.span, "spacing_collapsed", collapsed.runs)
        hints |= scan_hints(collapsed.text) & {"rot13", "reversed"}
    # The views that put words apart or together, and the upside-down one: a share of the word-view budget each.
    # (Long texts only: a text within its share is read whole, its bytes never searched.) A long text's gates
    # are searched through one ``GateSearch``, which knows from the views' own pre-check pass which
    # attack-specific gates occur nowhere.
    root_utf8 = (
        known_utf8(root)
        if len(root) > MIN_SHARE and not hints.isdisjoint(_WORD_VIEW_HINTS)
        else None
    )
    wanted = None
    if "joined" in hints:
        wanted = wanted_views(root) if root_utf8 is None else wanted_views(root_utf8, attacks=True)
    # The views read around their gates' matches in the skeleton, searched through one ``GateSearch`` (the padded
    # view's gate is searched apart, and the invisible-as-space view reads the original).
    gated_views = (
        (wanted is not None and (wanted.dots or wanted.lines))
        + (wanted is not None and wanted.camel)
        + ("split_words" in hints)
        + ("upside_down" in hints)
    )
    searcher = None
    if root_utf8 is not None:
        absent = frozenset(
            (() if wanted is None or wanted.camel_attack else _CAMEL_GATES[:1])
            + (() if wanted is None or wanted.dotted_attack else _DOTTED_GATES[:1])
        )
        union = _ROOT_GATES_UNION if gated_views > 1 else None
        if absent or union is not None:
            searcher = GateSearch(root_utf8, union, absent)
    original_utf8 = None  # the original's UTF-8, when invisible characters part its words
    if any(note.kind == "invisible_stripped" for note in norm.notes):
        original_utf8 = _surrogatepass_utf8(norm.original)
        if _PARTED_WORDS_RE.search(original_utf8) is None:
            original_utf8 = None
    word_share = share(gated_views + ("padded" in hints) + (original_utf8 is not None))
    if wanted is not None:
        if wanted.unjoin:
            # Around each place the marked part of the hint matches (a mark inside a word, a verb joined to its
            # object, a five-word identifier), every place (``windows.place_windows``: not budgeted; dense or short:
            # the whole text). Read whole, a 100 KB source file with one ``_FH_GENERAL_PURPOSE_FLAG_BITS`` was a
            # second whole text for the Set passes (~2 ms), its underscores made spaces everywhere.
            _add_windowed(
                views,
                root,
                place_windows(root, _MARKED_RE, root_utf8) or [(0, len(root))],
                unjoin_words,
                offsets.span,
                "words_unjoined",
            )
        if wanted.dots or wanted.lines:
            dots, lines = wanted.dots, wanted.lines
            _add_windowed(
                views,
                root,
                word_windows(
                    root,
                    (_DOTTED_GATES if dots else ()) + (_BROKEN_GATES if lines else ()),
                    word_share,
                    root_utf8,
                    searcher,
                ),
                lambda window: unjoin_words(window, dots, lines),
                offsets.span,
                "words_unjoined",
            )
        if wanted.camel:
            _add_windowed(
                views, root, word_windows(root, _CAMEL_GATES, word_share, root_utf8, searcher), split_camel_case,
                offsets.span, "camel_case_split",
            )  # fmt: skip
    if "split_words" in hints:
        _add_windowed(
            views,
            root,
            word_windows(root, _SPLIT_GATES, min(word_share, _MAX_REJOINED), root_utf8, searcher),
            rejoin_words,
            offsets.span,
            "words_rejoined",
        )
    if "padded" in hints:
        # The skeleton's, and the folded text's when they differ (real Cyrillic or Greek words are read there;
        # the two have the same length, so the windows are the same).
        _add_padding_collapsed(
            views,
            (root,) if norm.folded == root else (root, norm.folded),
            # (Searched apart: in ``_ROOT_GATES_UNION`` its counted run made every gate's search dearer.)
            word_windows(root, _PADDED_GATES, word_share, root_utf8),
            offsets.span,
        )
    if original_utf8 is not None:
        # Words apart by invisible characters only ("Ignore\u200ball\u200bprevious"): stripped, they run
        # together; read as spaces (one for one: the offsets are the original's), they are words again.
        def read_as_spaces(window: str) -> EditedText | None:
            spaced = normalize(invisible_as_space(window))
            return None if spaced.skeleton == root else _Edited(spaced.skeleton, spaced.offsets.span)

        _add_windowed(
            views,
            norm.original,
            word_windows(norm.original, _PARTED_GATES, word_share, original_utf8),
            read_as_spaces,
            _identity,
            "invisible_read_as_space",
        )
    _cipher_views(views, root, offsets.span, (), hints, word_share, searcher)
    if "split" in hints:
        joined = _joined_fragments(root)
        if joined is not None:
            views.add(joined, False, _fixed(0, 0), ("payload_split",))
            views.add(joined.replace("  ", " "), True, _fixed(0, 0), ("payload_split",))

    # Breadth-first decoding: (text, decodings, span in original, depth, siblings, source, folded, utf8):
    # ``siblings``, for a layer decoded from escapes, the layer it was decoded from and that layer's entity
    # decoding, when that was queued too; ``source``: the decoded layer it was decoded from in place, if
    # any; ``folded``: its ``fold_layer``, ``utf8``: its UTF-8, when its decoding made them.
    queue: deque[_Queued] = deque()
    if hints & _DECODING_HINTS:
        queue.append((root, (), None, 0, None, None, None, None))
    for payload in norm.hidden:
        queue.append((payload.text, (payload.kind,), (payload.start, payload.end), 1, None, None, None, None))
    budget = min(limits.max_total_chars, max(8192, 4 * len(norm.original)))
    decoded_layers = 0
    counts: dict[str, int] = {}
    # Payloads seen, and (below) the layers decoded in place: short texts in a set, long ones by length.
    seen: set[str] = set()
    seen_long = _Texts()
    blobs: decode.BlobCache = {}  # blob -> its decoding, for every layer (decoding is a pure function)
    # The layers decoded in place: the escape decoding of each is seen, over the budget or the layer itself.
    decoded_in_place: set[str] = set()
    decoded_in_place_long = _Texts()
    while queue and decoded_layers < limits.max_layers:
        text, decodings, span, depth, siblings, source, folded, utf8 = queue.popleft()
        layer: _Layer | None = None
        if depth > 0:
            # A decoded (or smuggled) layer: normalize it and scan it like the original.
            if utf8 is not None:
                remember_utf8(text, utf8)  # (``_layer_view`` and the Set passes read it: not encoded again)
            layer = _layer_view(text, decodings[-1], source, folded)
            layer_text = layer.text
            assert span is not None
            span_map = _fixed(*span)
            views.add(layer_text, False, span_map, decodings)
            # One UTF-8 encoding of a non-ASCII layer for every decoding pass below (each would encode it)
            # and the layer's Set passes.
            layer_data = layer.data
            if layer_data is not None:
                remember_utf8(layer_text, layer_data)
            layer_hints = scan_hints(layer_text)
            _cipher_views(views, layer_text, span_map, decodings, layer_hints)
            decoded_layers += 1
            if depth >= limits.max_depth or not layer_hints & _DECODING_HINTS:
                continue
        else:
            layer_text, layer_hints = text, hints
            layer_data = None if layer_text.isascii() else layer_text.encode("utf-8")
        # The "blob" pre-check is the blob regex itself: without it, the layer holds no blob to decode. The
        # input's own text and its first decodings (an HTML-entity or URL encoding of prose and a blob) are
        # also searched for long blobs past their first ones (``decode_blobs``: ~0.2 ms per 100 KB; deeper
        # layers are near-duplicates of these: an entity wall's six searched so cost 1.4 ms).
        found = (
            list(decode.decode_blobs(layer_text, limits.max_blobs_per_layer, layer_data, blobs, depth <= 1))
            if "blob" in layer_hints
            else []
        )
        if "base64_words" in layer_hints:
            found += decode.decode_base64_words(layer_text)
        # Every layer is decoded again with every scheme, the one that produced it too: an attack
        # encoded twice ("&amp;#105;") behind 16 KB of padding was allowed while large layers skipped
        # their own scheme. The work stays bounded: each in-place decoder walks a layer in C-level
        # passes, and the depth, layer count and total size of layers are bounded.
        # The in-place decodings are made one at a time as the loop below takes them (the same items in
        # the same order): each is made knowing the budget the ones before left, and a URL or escape
        # decoding sure to be over it is not made (it would be dropped: ~0.3 ms per 30-50 KB layer).
        # (The budget is read when called, as it stands then: the late binding is the point.)
        # A layer decoded from escapes, whose source's entity decoding was decoded in place before it
        # (queued first, as deep): when entity and escape decoding commute on the source, this layer's
        # entity decoding is that layer's escape decoding, already seen (or over the budget then and
        # now): not made.
        entities = not (
            siblings is not None
            and siblings[1] in _texts_for(siblings[1], decoded_in_place, decoded_in_place_long)
            and decode.entity_escape_commute(siblings[0], siblings[1], layer_text)
        )
        in_place = decode.decode_in_place(layer_text, layer_data, lambda: budget, entities)  # noqa: B023
        _texts_for(layer_text, decoded_in_place, decoded_in_place_long).add(layer_text)
        entity_child: str | None = None
        for item in itertools.chain(found, in_place):
            texts_seen = seen if len(item.text) < _HASHED_BELOW else seen_long  # (see ``_texts_for``)
            if len(item.text) > budget or item.text in texts_seen:
                continue  # over budget, or the same payload repeated (decoded once)
            texts_seen.add(item.text)
            budget -= len(item.text)
            kinds = tuple(item.kind.split("/"))
            counts[kinds[-1]] = counts.get(kinds[-1], 0) + 1
            child_span = span if span is not None else offsets.span(item.start, item.end)
            pieces = (
                _edited_pieces(item.kind, layer_text, layer_data, item.text)
                if item.kind in decode.IN_PLACE_KINDS
                and len(item.text) > (PLACE_WHOLE if layer_data is None else _EDITED_NON_ASCII_FROM)
                else None
            )
            if pieces is not None:
                # (Its pieces are folded and decoded as a text of their own: no source, no siblings.)
                queue.append((pieces, (*decodings, *kinds), child_span, depth + 1, None, None, None, None))
                continue
            child_siblings = None
            if item.kind == "html_entities":
                entity_child = item.text
            elif item.kind == "escapes" and entity_child is not None:
                child_siblings = (layer_text, entity_child)
            child_source = layer if item.kind in _RUN_KEEPING else None
            queue.append(
                (
                    item.text,
                    (*decodings, *kinds),
                    child_span,
                    depth + 1,
                    child_siblings,
                    child_source,
                    item.folded,
                    item.utf8,
                )
            )
    views.notes.extend(Note(kind, count) for kind, count in sorted(counts.items()))
    return views
