"""Bounded recursive decoding of payloads embedded in a text.

Blob encodings (base64/base64url, base32, hex, 8-bit binary) are found by one re2 pass and
decoded one blob at a time; in-place encodings (URL %XX, HTML entities,
quoted-printable, ``\\u``/``\\x`` escapes) decode the whole text when their
markers occur. A decoding is kept only when it yields printable text: a blob is
suspicious for what it decodes to, never for being encoded. Whole-text ciphers
(rot13, other Caesar shifts, reversal) live in :mod:`services.validator.ciphers`.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import functools
import html.entities
import itertools
import json
import random

# The C decoder of Python's bytes-literal escapes (``codecs`` re-exports it, undocumented).
from _codecs import escape_decode
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import compress, repeat
from operator import add, contains, gt, itemgetter, le, mul, not_
from typing import AnyStr, cast

import re2

from services.validator.ciphers import ROT13_BYTES
from services.validator.normalize import CONTINUATION_BYTES, fold_layer, latin1_options

# Separated decimal character codes ("105 103 110 111 ...", "73, 103, 110", each a printable ASCII character's):
# a three-digit code and seven more after it (first, so that a run of two-digit codes is not cut where a three-digit
# one follows; a run of two-digit codes only is a blob of hex pairs, which ``_decode_blob`` tries as decimal codes
# first), separated hex pairs ("69 67 6e ..."), separated 8-bit groups ("01101001 01100111 ..."), Morse code (eight
# and more letters of dots and dashes, words apart by " / " or wider spaces), or one run of the
# base64/base32/hex/binary alphabets.
_DECIMAL_CODE = r"(?:3[2-9]|[4-9][0-9]|1[01][0-9]|12[0-6])"
_DECIMAL_SEPARATOR = r"(?:,[ \t]?|[ \t])"
_MORSE_LETTER = r"[.\-]{1,6}"


def _decimal_run(after: int) -> str:
    """Decimal codes with a three-digit one and at least ``after`` more after it (``_BLOB_RE``, ``_LONG_BLOB_RE``)."""
    return rf"\b(?:{_DECIMAL_CODE}{_DECIMAL_SEPARATOR})*1[0-2][0-9](?:{_DECIMAL_SEPARATOR}{_DECIMAL_CODE}){{{after},}}\b"


def _morse_run(before: int) -> str:
    """Morse letters, at least ``before`` and one more (``_BLOB_RE``, ``_LONG_BLOB_RE``)."""
    return rf"(?:{_MORSE_LETTER}(?:[ \t]+/[ \t]+|[ \t]+)){{{before},}}{_MORSE_LETTER}"


_SEPARATED_BLOB = (
    rf"{_decimal_run(7)}|{_morse_run(7)}|"
    r"(?:[0-9A-Fa-f]{2}[ :,]){7,}[0-9A-Fa-f]{2}|(?:[01]{8}[ :,]){3,}[01]{8}"
)
_RUN = r"[A-Za-z0-9+/_\-]"
# Words each in base64 on its own ("aWdub3Jl YWxs cHJldmlvdXM=", ``decode_base64_words``): four and more tokens of the
# alphabet apart by spaces, each with a letter in it (a run of decimal codes is not one) and a capital or a digit after
# its first character (what base64 of lower-case words has, and words of prose do not), a word's length (blobs apart
# by spaces are blobs each, decoded once however often repeated).
_B64_WORD = r"(?:[A-Za-z][A-Za-z0-9+/]{0,20}[A-Z0-9]|[0-9+/][A-Za-z0-9+/]{0,20}[A-Za-z])[A-Za-z0-9+/]{0,20}={0,2}"
_B64_WORDS_RE = re2.compile(rf"\b(?:{_B64_WORD}[ \t]+){{3,}}{_B64_WORD}")
# Whether a text may hold such words (the scanner's "base64_words" pre-check): a padded token and one after it (all
# of ``_B64_WORDS_RE`` made prose dearer to scan, 1.033x the Set passes on new 2 KB text, and in the blob regex it
# made every 100 KB wall of symbols dearer to search; this ~1.01x). All but about one phrase of four words in 80 have
# a word whose length is no multiple of 3, and so a padded token.
BASE64_WORDS_HINT = r"[A-Za-z][A-Z0-9][A-Za-z0-9+/]*={1,2}[ \t]+[A-Za-z][A-Za-z0-9+/]*[A-Z0-9]"
_MAX_BASE64_WORD_RUNS = 16  # runs tried per layer, in text order
_BLOB_RE = re2.compile(
    rf"{_SEPARATED_BLOB}|"
    # base64 wrapped over lines (MIME wraps at 76, PEM at 64, anything goes): one blob, line breaks dropped,
    # so a phrase split between two lines decodes whole
    # (padding only at the end: "=" inside a blob is no alphabet's)
    rf"(?:{_RUN}{{16,}}[ \t]*\r?\n[ \t]*)+{_RUN}{{4,}}={{0,6}}|"
    rf"{_RUN}{{16,}}={{0,6}}"
)
# Whether a text holds a blob at all (the scanner's "blob" pre-check): the blob regex without its wrapped-lines
# form, which needs a line that the one-line form finds anyway (and costs the Set pass DFA states).
BLOB_HINT = rf"{_SEPARATED_BLOB}|{_RUN}{{16,}}"
_PERCENT_RE = re2.compile(r"%[0-9A-Fa-f]{2}")
_PERCENT_SEARCH = _PERCENT_RE._regexp.Match  # (anchor, text, pos, endpos) -> spans, (-1, -1) for none
_UNANCHORED = re2._Anchor.UNANCHORED
_ANCHOR_START = re2._Anchor.ANCHOR_START
_ENTITY_RE = re2.compile(r"&#[xX]([0-9A-Fa-f]{1,6});?|&#([0-9]{1,7});?|&([A-Za-z][A-Za-z0-9]{1,31};?)")
_QP_RE = re2.compile(r"=[0-9A-F]{2}")
_ESCAPE_RE = re2.compile(r"\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})|\\U([0-9A-Fa-f]{8})")
_ESCAPE_SEARCH = _ESCAPE_RE._regexp.Match
_LETTERS_RE = re2.compile(r"[A-Za-z]{3}|\pL{2}")
_HTML5 = html.entities.html5


@dataclass(frozen=True)
class Decoded:
    """Text revealed by one decoding, with the encoded region's span in the parent text."""

    kind: str
    text: str
    start: int
    end: int
    folded: str | None = None  # ``fold_layer(text)``, which folds to itself, when the decoding made it
    utf8: bytes | None = None  # ``text`` in UTF-8, when the decoding made it (decoded from those bytes)


# Characters that are not printable but that the normalizer strips and reports in any text (zero-width and bidi
# controls, soft hyphen, BOM, tag characters: format characters), line and paragraph separators, and C1 controls
# (mojibake carries them). One of them in an encoded attack made its decoding "not text" and the attack pass.
_INVISIBLE_RE = re2.compile(r"[\p{Cf}\p{Zl}\p{Zp}\x{80}-\x{9f}]+")


def _printable(text: str) -> bool:
    """Printable, line breaks and tabs allowed, and invisible characters (``_INVISIBLE_RE``) too."""
    plain = text.replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return plain.isprintable() or _INVISIBLE_RE.sub("", plain).isprintable()


def as_text(data: bytes) -> str | None:
    """Printable UTF-8 text with letters in it, else None (binary is not a payload)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not _printable(text):
        return None
    if _LETTERS_RE.search(text) is not None:
        return text
    # letters kept apart by invisible characters ("I\u200bg\u200bn\u200bo...") are letters in a row too
    return text if _LETTERS_RE.search(_INVISIBLE_RE.sub("", text)) is not None else None


_HEX_DIGITS = b"0123456789abcdefABCDEF"
_BASE32_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
# A blob longer than this is decoded in full only if its first characters decode to what can start text.
_PREFIX_CHARS = 64


def _may_start_text(data: bytes) -> bool:
    """False when no data starting with ``data`` can pass ``as_text`` (an incomplete UTF-8 character at
    the end is allowed): random blobs are rejected after a few bytes instead of after decoding them whole."""
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return _printable(text)


# The base64 characters a source whose decoding can be text may start with: the first decoded byte is the
# first character's 6 bits and 2 of the second's, so other characters never start what ``as_text`` takes
# (about half the identifiers that match the blob regex are rejected here, before any decoding).
_BASE64_VALUES = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_BASE64_TEXT_FIRST = frozenset(
    char for value, char in enumerate(_BASE64_VALUES) if any(_may_start_text(bytes((value << 2 | low,))) for low in range(4))
)


def _only(data: bytes, alphabet: bytes) -> bool:
    """``data`` is not empty and every byte is in ``alphabet`` (C-speed: ``str.strip(chars)`` is not)."""
    return bool(data) and not data.translate(None, alphabet)


def _bits_to_bytes(bits: str | bytes) -> bytes:
    """8-bit groups of "0"/"1" as the bytes they spell."""
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


def _base64_strict(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


# Bytes of the binary, hex and base32 alphabets and the padding: a blob with another byte (a lowercase
# letter past "f", "+", "/", "-", "_": most identifiers) is read as base64 only.
_NARROW_BYTES = _HEX_DIGITS + _BASE32_ALPHABET + b"="


def _blob_decoders(compact: str, data: bytes) -> list[tuple[str, str, Callable[[str], bytes], int]]:
    """(kind, source, decode, unit) for each encoding ``compact`` may be, in the order they are tried;
    ``unit``: the characters that decode on their own (a prefix of whole units decodes to a prefix).
    ``compact`` is ASCII (``_BLOB_RE`` matches only ASCII); ``data`` is its encoding."""
    decoders: list[tuple[str, str, Callable[[str], bytes], int]] = []
    body = compact.rstrip("=")
    if not data.translate(None, _NARROW_BYTES):
        if len(data) % 8 == 0 and _only(data, b"01"):
            decoders.append(("binary", compact, _bits_to_bytes, 8))
        if len(data) % 2 == 0 and _only(data, _HEX_DIGITS):
            decoders.append(("hex", compact, bytes.fromhex, 2))
        if _only(data.rstrip(b"="), _BASE32_ALPHABET):
            decoders.append(("base32", body + "=" * (-len(body) % 8), base64.b32decode, 8))
    standard = body.replace("-", "+").replace("_", "/")
    # A length one more than a multiple of 4 never decodes; a first character outside
    # ``_BASE64_TEXT_FIRST`` never decodes to text.
    if len(standard) % 4 != 1 and standard[:1] in _BASE64_TEXT_FIRST:
        kind = "base64url" if "-" in body or "_" in body else "base64"
        decoders.append((kind, standard + "=" * (-len(standard) % 4), _base64_strict, 4))
    return decoders


_BLOB_SEPARATORS = b" :,\t\r\n"


def _compact(blob: str) -> bytes:
    """``blob`` without its separators, as ASCII bytes (C-level ``bytes.translate``, not three
    ``str.replace`` copies of a 100 KB blob)."""
    return blob.encode("ascii").translate(None, _BLOB_SEPARATORS)


def _decode_compact(data: bytes, embedded: bool = True, separated: bool = False) -> tuple[str, str] | None:
    """(kind, text) of the first decoding of the separator-free blob ``data`` that yields text; failing
    that (``embedded``), text hidden among junk in it (``_embedded_decoding``; ``separated``: the blob
    had separators)."""
    compact = data.decode("ascii")
    for kind, source, decode, unit in _blob_decoders(compact, data):
        try:
            if len(source) > _PREFIX_CHARS and not _may_start_text(decode(source[: _PREFIX_CHARS - _PREFIX_CHARS % unit])):
                continue
            raw = decode(source)
        except (ValueError, binascii.Error):
            continue
        text = as_text(raw)
        if text is not None:
            return kind, text
    return _embedded_decoding(data, separated) if embedded and len(data) >= _EMBEDDED_MIN_BLOB else None


# Text hidden among junk: an encoded attack with random bytes (or other encoded data) glued before or
# after it in the same blob decodes, as a whole, to binary, and may start at any offset of the blob.
# Runs of printable UTF-8 at least this long in the decoded bytes are taken as text (a run of 20
# printable bytes comes up by chance about once in 400 million positions of random data).
_EMBEDDED_MIN_BYTES = 20
_EMBEDDED_MIN_BLOB = 28  # shorter blobs cannot hold 20 decoded bytes and junk in any encoding
_EMBEDDED_MAX_RUNS = 8
_EMBEDDED_RE = re2.compile(
    rb"(?:[\t\n\r\x20-\x7e]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})"
    rb"{%d,}" % _EMBEDDED_MIN_BYTES,
    latin1_options(),
)
_URLSAFE_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
_BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"  # and base64url's


def _byte_class(alphabet: bytes) -> bytes:
    """A regex character class body matching exactly the bytes of ``alphabet``."""
    return b"".join(b"\\x%02x" % byte for byte in alphabet)


# (kind, alphabet, characters per whole unit, decode), narrowest alphabet first.
_ALPHABETS: tuple[tuple[str, bytes, int, Callable[[bytes], bytes]], ...] = (
    ("binary", b"01", 8, _bits_to_bytes),
    ("hex", _HEX_DIGITS, 2, binascii.unhexlify),
    ("base32", _BASE32_ALPHABET, 8, lambda text: base64.b32decode(text)),
    ("base64", _BASE64_ALPHABET, 4, lambda text: binascii.a2b_base64(text.translate(_URLSAFE_TO_STANDARD))),
)
# The same with a search for a byte outside the alphabet (stops at the first one, unlike ``_only``).
_EMBEDDED_DECODERS = tuple(
    (kind, re2.compile(b"[^%s]" % _byte_class(alphabet)), unit, decode) for kind, alphabet, unit, decode in _ALPHABETS
)
# Runs of a narrower alphabet long enough to hold ``_EMBEDDED_MIN_BYTES`` (a blob in the base64 alphabet
# may hold a binary, hex or base32 one glued to other characters): 8, 2 and 1.6 characters per byte.
_NARROW_RUNS_RE = re2.compile(
    b"|".join(
        b"[%s]{%d,}" % (_byte_class(alphabet), -(-8 * _EMBEDDED_MIN_BYTES // bits))
        for alphabet, bits in ((b"01", 1), (_HEX_DIGITS, 4), (_BASE32_ALPHABET, 5))
    )
)
_EMBEDDED_MAX_NARROW_RUNS = 4
_NARROW_RUN_MIN = -(-8 * _EMBEDDED_MIN_BYTES // 5)  # the shortest run ``_NARROW_RUNS_RE`` finds (base32)
# The bytes that can be part of an ``_EMBEDDED_RE`` match -> 1, others -> 0: short decodings (identifiers
# read as base64) without ``_EMBEDDED_MIN_BYTES`` such bytes in a row are rejected by two C-level passes
# instead of a regex search per alignment. (Long ones go to the regex at once: it stops at its first run.)
_EMBEDDED_BYTE_MARKS = bytes(
    byte in b"\t\n\r" or 0x20 <= byte <= 0x7E or 0x80 <= byte <= 0xBF or 0xC2 <= byte <= 0xF4 for byte in range(256)
)
_EMBEDDED_MARKED_RUN = b"\x01" * _EMBEDDED_MIN_BYTES
_EMBEDDED_MARKS_MAX = 1024


def _embedded_text(raw: bytes) -> str | None:
    """The runs of printable UTF-8 text in ``raw`` (at most ``_EMBEDDED_MAX_RUNS``), one per line."""
    if len(raw) <= _EMBEDDED_MARKS_MAX and _EMBEDDED_MARKED_RUN not in raw.translate(_EMBEDDED_BYTE_MARKS):
        return None
    runs = []
    for match in _EMBEDDED_RE.finditer(raw):
        text = as_text(match.group(0))
        if text is not None:
            runs.append(text)
            if len(runs) == _EMBEDDED_MAX_RUNS:
                break
    return "\n".join(runs) if runs else None


def _narrowest(blob: bytes) -> tuple[str, int, Callable[[bytes], bytes]]:
    """(kind, characters per whole unit, decode) of the narrowest alphabet ``blob`` fits (base64 at least)."""
    for kind, outside, unit, decode in _EMBEDDED_DECODERS:
        if outside.search(blob) is None:
            return kind, unit, decode
    raise ValueError("not a blob")  # _BLOB_RE matches only the base64 alphabet


def _embedded_decoding(data: bytes, separated: bool) -> tuple[str, str] | None:
    """(kind, text) for text hidden among junk in the separator-free blob ``data``: the runs of printable
    text in its bytes, decoded at each alignment of the encoding's unit. A blob is read in the narrowest
    alphabet it fits whole (binary, hex, base32, else base64: an attack's base64 never fits a narrower
    one); one in the base64 alphabet also has its long runs of a narrower alphabet tried, for those
    glued to other characters. ``separated``: the blob was 8-bit or hex groups between separators, which
    fix the alignment."""
    body = data.rstrip(b"=")
    reading = _narrowest(body)
    candidates = [(body, reading)]
    if reading[0] == "base64" and len(body) >= _NARROW_RUN_MIN:
        runs = itertools.islice(_NARROW_RUNS_RE.finditer(body), _EMBEDDED_MAX_NARROW_RUNS)
        candidates[:0] = [(m.group(0), _narrowest(m.group(0))) for m in runs]
    for candidate, (kind, unit, decode) in candidates:
        for shift in range(1 if separated and candidate is body and kind in ("binary", "hex") else unit):
            whole = (len(candidate) - shift) // unit * unit
            try:
                raw = decode(candidate[shift : shift + whole])
            except (ValueError, binascii.Error):
                continue
            text = _embedded_text(raw)
            if text is not None:
                return ("base64url" if kind == "base64" and (b"-" in body or b"_" in body) else kind), text
    return None


# Set lookups and C-level strips instead of a regex call per marker (thousands of markers per text).
_HEX_CHARS = _HEX_DIGITS.decode()

# For finding the "%" that start no marker: hex digits -> "h", "%" kept, every other byte -> "o". In the
# mask, replacing "%hh" (left to right, never overlapping: a marker's digits hold no "%") leaves exactly
# the stray "%".
_PERCENT_MASK = bytes(
    ord("h") if chr(byte) in _HEX_CHARS else ord("%") if byte == ord("%") else ord("o")
    for byte in range(256)
)


def _hex_escapes(data: bytes, marker: bytes) -> bytes:
    """``data`` with every ``marker`` + two hex digits decoded, given that every ``marker`` in it starts
    one: as ``\\xHH`` escapes (backslashes doubled first, so nothing else is an escape), one C-level call
    decodes them all."""
    return cast(bytes, escape_decode(data.replace(b"\\", b"\\\\").replace(marker, b"\\x"))[0])


def _xor(data: bytes, mask: bytes) -> bytes:
    """``data`` XOR ``mask`` (same length), in one big-integer operation."""
    return (int.from_bytes(data, "big") ^ int.from_bytes(mask, "big")).to_bytes(len(data), "big")


# Up to this many "%", they are read one Python step each (cut at "%", each part after one starts with
# a marker's digits or not): a few markers in a large decoded layer cost no pass of masks over it.
_FEW_PERCENTS = 32


def _percent_decode(text: str, data: bytes | None = None) -> str:
    """Every ``%XX`` decoded (on the UTF-8 bytes: "%" is never part of a multi-byte character); any other
    "%" kept. All markers, however many (an attack URL-encoded after thousands of noise markers is
    decoded too), in C-level steps. With stray "%" about, each marker's "%" is first turned into 0xFF,
    a byte UTF-8 never holds (one XOR of the text with a mask made from the marker map), and only those
    become escapes. ``data``: ``text`` in UTF-8, when the caller has it."""
    return _percent_decode_utf8(text, data)[0]


def _percent_decode_utf8(text: str, data: bytes | None = None) -> tuple[str, bytes | None]:
    """``_percent_decode(text, data)`` and its UTF-8 when known (see ``_text_and_utf8``)."""
    spliced = _spliced_decoded(text, data, "%", _percent_bytes)
    if spliced is not None:
        return spliced
    if data is None:
        data = text.encode("utf-8", "surrogatepass")
    decoded = _periodic_decoded(data, b"%", _percent_bytes) if len(data) >= _PERIOD_FROM else None
    return _text_and_utf8(_percent_bytes(data) if decoded is None else decoded)


def a2b_qp(data: bytes) -> bytes:
    """Quoted-printable ``data`` decoded: ``binascii.a2b_qp`` but for an "=" followed by another "=", which
    is kept (RFC 2045 has no "==": a literal "=" is written "=3D"; ``binascii`` reads "==" as one "=", so
    a line of code ``if x == 10`` made a decoding that differs from its text at every comparison, and a
    100 KB source file's layer too many places apart to be read in windows). Each "=" before an "=" is
    written "=3D" first: the second ``replace`` catches the runs of three and more the first leaves."""
    if b"==" in data:
        data = data.replace(b"==", b"=3D=").replace(b"==", b"=3D=")
    return binascii.a2b_qp(data)


def _qp_decode_utf8(text: str, data: bytes | None = None) -> tuple[str, bytes | None]:
    """``a2b_qp`` of ``text``'s UTF-8 (``data``, when the caller has it) as text, bad bytes replaced, and
    its UTF-8 when known (see ``_text_and_utf8``)."""
    spliced = _spliced_decoded(text, data, "=", a2b_qp)
    if spliced is not None:
        return spliced
    return _text_and_utf8(a2b_qp(text.encode("utf-8", "surrogatepass") if data is None else data))


# Long non-ASCII layers with a few markers (the URL and quoted-printable children of a decoded entity
# wall: a few "%" or "=" in 40,000 characters): decoding the whole UTF-8 and reading it back as text
# costs 2-4 ns per byte, for a few changed characters. The decoders read a marker from its head
# ("%" or "=") and the two characters after it at most ("=" and a line feed: both consumed; "==": one
# "=" out, both consumed; a soft line break after "\r" reaches further and is not spliced), left to
# right, each head not consumed by an earlier marker starting one, and keep every other byte. So cut
# the text into windows, each head with the two characters after it (or up to the text's end), merged
# when they overlap or touch: each window's first head is read as in the whole text (what the marker
# before it reads ends inside the window before), and what the markers in a window read lies inside
# it, so the decoding of the whole UTF-8 is the text between windows as it is and each window's UTF-8
# decoded alone. Read back as text (``errors="replace"``), the pieces between windows are whole
# characters (of a text without surrogates: its UTF-8 reads back as itself) and each starts with a byte
# that continues no sequence (ASCII or a lead byte), so the decoder ends any sequence a window leaves
# open (as it ends one at the end of the bytes: one U+FFFD) before them and reads them as they are:
# the text is the pieces between windows and each window's decoding read back alone.
_SPLICE_FROM = 4096  # bytes; shorter texts are decoded whole (as cheap)
# Heads spliced at most: one per this many bytes (a window costs ~1-1.5 us, decoding whole and reading
# back 2-4 ns per byte), and no more than ``_SPLICE_MAX`` (more: decoded whole).
_SPLICE_BYTES_PER_HEAD = 512
_SPLICE_MAX = 256
# Every this many heads found within as many times ``_SPLICE_BYTES_PER_HEAD`` bytes: a dense text (or a
# dense stretch of one), decoded whole without looking for the rest (only the path depends on it).
_SPLICE_PROBE = 16


def _spliced_decoded(
    text: str, data: bytes | None, head: str, decode: Callable[[bytes], bytes]
) -> tuple[str, bytes | None] | None:
    """``_text_and_utf8(decode(data))`` for a long non-ASCII ``text`` with few heads (see
    ``_SPLICE_BYTES_PER_HEAD``) and no surrogate (``data``: its UTF-8, when the caller has it), decoded
    window by window (see above); None when it is not such a text."""
    if len(text) * 2 < _SPLICE_FROM or text.isascii():
        return None
    if data is None:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: the whole decoding replaces it
            return None
    if len(data) < _SPLICE_FROM:
        return None
    head_byte = head.encode("ascii")
    # The heads, in characters and in bytes (one-character searches: ``memchr``-fast), as many as may be
    # spliced at most (found one past them: not spliced, the rest of the text not searched).
    most = min(len(data) // _SPLICE_BYTES_PER_HEAD, _SPLICE_MAX)
    starts: list[int] = []
    start_bytes: list[int] = []
    start = text.find(head)
    start_byte = data.find(head_byte)
    while start >= 0:
        found = len(starts)
        if found == most or (
            found % _SPLICE_PROBE == 0
            and found
            and start_byte - start_bytes[found - _SPLICE_PROBE] < _SPLICE_PROBE * _SPLICE_BYTES_PER_HEAD
        ):
            return None
        starts.append(start)
        start_bytes.append(start_byte)
        start = text.find(head, start + 1)
        start_byte = data.find(head_byte, start_byte + 1)
    if not starts:
        return None
    pieces: list[str] = []
    byte_pieces: list[bytes] = []
    kept = kept_byte = 0  # the end of the last window, in characters and in bytes
    index, count = 0, len(starts)
    while index < count:
        start, start_byte = starts[index], start_bytes[index]
        end = start + 3
        index += 1
        while index < count and starts[index] <= end:  # overlapping or touching: one window
            end = starts[index] + 3
            index += 1
        window = text[start:end]  # (cut at the text's end as the text is)
        if "\r" in window and head == "=":
            return None  # a soft line break after "\r" reads up to the next line feed: not spliced
        window_bytes = window.encode("utf-8")
        decoded = decode(window_bytes)
        pieces += (text[kept:start], decoded.decode("utf-8", errors="replace"))
        byte_pieces += (data[kept_byte:start_byte], decoded)
        kept, kept_byte = start + len(window), start_byte + len(window_bytes)
    pieces.append(text[kept:])
    byte_pieces.append(data[kept_byte:])
    joined = "".join(pieces)
    return joined, (None if "\ufffd" in joined else b"".join(byte_pieces))


def _text_and_utf8(raw: bytes) -> tuple[str, bytes | None]:
    """``raw.decode("utf-8", errors="replace")``, and ``raw`` when it is that text's UTF-8: when the text
    holds no U+FFFD, no byte was replaced, so ``raw`` was valid UTF-8, which decodes and encodes back one
    for one (the decoder takes no overlong forms or surrogates). (A text holding U+FFFD: None, not known;
    the caller encodes it.) Saves encoding a decoded layer again (~65 us per 40,000 non-ASCII characters)."""
    text = raw.decode("utf-8", errors="replace")
    return text, (None if "\ufffd" in text else raw)


# A long text with many heads ("%" of format strings, backslashes of code) but few markers: the markers are found by
# their regex (a C-level scan) and replaced one run of touching markers at a time, the text between kept as it is:
# the same bytes as the whole text's decoding, whose markers are exactly those matches (each decoded alone: no marker
# reads past its match, and a run of touching ones, a UTF-8 sequence in "%XX" markers, is decoded together). Python
# source code (``"%s" % x``, ``"\\n"``): the URL and escape decodings of a 100 KB file cost ~1 ms each by the passes
# over every byte.
_MARKERS_SPLICED_FROM = 4096  # bytes
_MARKERS_SPLICED_MAX = 64
_MARKERS_DENSE = 8  # this many markers found in fewer than as many times ``_SPLICE_BYTES_PER_HEAD`` bytes: dense


def _markers_spliced(
    data: bytes, search: Callable[..., list[tuple[int, int]]], decode: Callable[[bytes], bytes]
) -> bytes | None:
    """``data`` with each run of touching matches of ``search`` (a compiled pattern's ``Match``) replaced by
    ``decode`` of it; None when there are more than ``_MARKERS_SPLICED_MAX`` or they are dense."""
    pieces: list[bytes] = []
    size, kept, count = len(data), 0, 0
    while True:
        start, end = search(_UNANCHORED, data, kept, size)[0]
        if start < 0:
            break
        while True:
            count += 1
            if count > _MARKERS_SPLICED_MAX or (count == _MARKERS_DENSE and end < count * _SPLICE_BYTES_PER_HEAD):
                return None
            touching = search(_ANCHOR_START, data, end, size)[0]
            if touching[0] < 0:
                break
            end = touching[1]
        pieces += (data[kept:start], decode(data[start:end]))
        kept = end
    pieces.append(data[kept:])
    return b"".join(pieces)


def _percent_bytes(data: bytes) -> bytes:
    """``data`` with every ``%XX`` replaced by its byte (see ``_percent_decode``)."""
    percents = data.count(b"%")
    if percents >= _FEW_LITERALS_FROM:
        decoded = _literals_decoded(data, b"%", percents, _percent_literal, _percent_byte)
        if decoded is not None:
            return decoded
    if percents > _FEW_PERCENTS and len(data) >= _MARKERS_SPLICED_FROM:
        spliced = _markers_spliced(data, _PERCENT_SEARCH, _percent_bytes)
        if spliced is not None:
            return spliced
    if 0 < percents <= _FEW_PERCENTS:
        # A marker's digits hold no "%": each "%" starts a marker exactly when the two bytes after it
        # (in its part) are hex digits, whatever the other "%" are.
        parts = data.split(b"%")
        pieces = [parts[0]]
        for part in parts[1:]:
            if len(part) >= 2 and part[0] in _HEX_DIGITS and part[1] in _HEX_DIGITS:
                pieces += (bytes.fromhex(part[:2].decode("ascii")), part[2:])
            else:
                pieces += (b"%", part)
        data = b"".join(pieces)
    elif percents:
        markers = data.translate(_PERCENT_MASK).replace(b"%hh", b"Ghh")
        if b"%" in markers:
            data = _hex_escapes(_xor(data, markers.translate(_MARKER_FLIP)), b"\xff")
        else:
            data = _hex_escapes(data, b"%")
    return data


def _percent_byte(marker: bytes) -> bytes:
    """The byte a marker "%XX" stands for."""
    return bytes.fromhex(marker[1:].decode("ascii"))


# Marker map -> XOR mask: a marker's "%" (now "G") to 0x25 ^ 0xFF (so the XOR makes it 0xFF), all else 0.
_MARKER_FLIP = bytes(0x25 ^ 0xFF if byte == ord("G") else 0 for byte in range(256))


# "&name;" -> its character(s), for the names that end with ";" (the others need the ";" to be a reference).
_HTML5_REFS = {"&" + name: value for name, value in _HTML5.items() if name.endswith(";")}
# Kept for callers that monkeypatch them (no cache across calls is needed any more).
_MAX_ENTITY_KEY = 34  # name of at most 33 characters, plus the ";"
# Numeric references in odd spellings (signs, spaces, underscores, other scripts' digits, "0x": what
# ``int`` reads but no browser does) are resolved one Python call each: at most this many per text.
_MAX_ODD_REFS = 512
_DECIMAL_CHARS = "0123456789"
_DECIMAL_DIGITS = itemgetter(slice(2, -1))
_HEX_MARK = itemgetter(2)  # "x" or "X" in a hexadecimal reference
_HEX_REF_DIGITS = itemgetter(slice(3, -1))
_AFTER_AMP = itemgetter(slice(1, None))
_CODE_POINTS = range(1, 0x110000)
# A numeric reference in plain digits (in a string of references "&#...;", each ended by its only ";").
_PLAIN_REF_RE = re2.compile(r"&#(?:[0-9]{1,32}|[xX][0-9A-Fa-f]{1,31});")
_SURROGATES = range(0xD800, 0xE000)


def _resolve_entity(key: str) -> str:
    """What ``"&" + key`` decodes to; ``key`` is what follows the "&" up to and including the first ";"."""
    name = key[:-1]
    if not key.endswith(";") or not name or len(key) > _MAX_ENTITY_KEY:
        return "&" + key
    replacement: str | None
    if name[0] == "#":
        digits = name[1:]
        try:
            code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits, 10)
        except ValueError:
            code = -1
        replacement = chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else None
    else:
        replacement = _HTML5.get(key)
    return "&" + key if replacement is None else replacement


# Named references decoded without cutting the text into parts, when it holds no numeric reference that
# may decode (the plain ones ``_plain_refs_decoded`` turns into placeholders are none) and few distinct
# known names: a known reference is the substring "&name;" wherever it occurs (a name is ASCII letters and
# digits, so an "&" or ";" can be neither inside it nor shared by two), so one ``str.replace`` per name
# decodes them all. Replacing one name after another is the one-pass decoding as long as no replacement
# can be part of a later name's match: a match is "&", letters and digits, ";", so characters none of
# those never are. The few values holding one ("&amp;" "&", "&semi;" ";", "&fjlig;" "fj") go last: each
# other one to a placeholder character the text does not hold (put back at the end), then "&AMP;" to
# "&amp;" (exactly one new match where each was) and "&amp;" to "&".
_NAMED_REF_MAX = 8  # more distinct known names than this: the general path
_NAMED_MIN_PARTS = 128  # fewer parts (or segments): the general path, as cheap
_NAMED_CHUNK, _NAMED_CHUNK_MAX = 4096, 16_384  # the first chunk, doubled up to the largest
# Every match to find fits in the overlap: a name, or a numeric reference that decodes ("&" and at most
# ``_MAX_ENTITY_KEY`` characters, 4 UTF-8 bytes each).
_NAMED_OVERLAP = 1 + 4 * _MAX_ENTITY_KEY
_NAMED_PLACEHOLDERS = "\udcf0\udcf1\udcf2\udcf3"
_NAMED_LAST = ("&AMP;", "&amp;")


def _joins_match(value: str) -> bool:
    return any(char in "&;" or (char.isascii() and char.isalnum()) for char in value)


_NAMED_JOINING = tuple(
    ref for ref, value in _HTML5_REFS.items() if _joins_match(value) and ref not in _NAMED_LAST
)
if len(_NAMED_JOINING) > len(_NAMED_PLACEHOLDERS) or {_HTML5_REFS[ref] for ref in _NAMED_LAST} != {"&"}:
    raise RuntimeError("a placeholder for each named value that can join a match (but the '&' ones)")
# A numeric reference that may decode: "&#", then up to the ";" no "&" or ";" and something ``int`` reads
# as a digit (ASCII hex digits; any non-ASCII character stands for other scripts' digits). A superset:
# "&#x;" or "&#-;" (kept as they are by the one-pass decoding too) are not matched, "&#xyz9;" is.
_NUMERIC_MAY_DECODE = r"&#[^&;]*[0-9A-Fa-f\x{80}-\x{10FFFF}][^&;]*;"
# Built on first use: (a search for a numeric reference that may decode or any known "&name;", a Set
# telling which of them occur (the names by index, the numeric pattern last), the refs).
@functools.cache
def _named_finders() -> tuple[re2._Regexp, re2.Set, tuple[str, ...]]:
    refs = tuple(_HTML5_REFS)
    found = re2.Set.SearchSet()  # out of memory, a Set answers nothing: checked by the search
    for pattern in (*map(re2.escape, refs), _NUMERIC_MAY_DECODE):
        found.Add(pattern)
    found.Compile()
    names = "|".join(re2.escape(ref[1:-1]) for ref in refs)
    return re2.compile(f"&(?:{names});|{_NUMERIC_MAY_DECODE}"), found, refs


def _named_refs_decoded(text: str) -> str | None:
    """``_entity_decode_general(text)`` by one ``str.replace`` per distinct known name in ``text`` (see
    above); None when it holds a numeric reference that may decode or more than ``_NAMED_REF_MAX``
    known names."""
    search, present, refs = _named_finders()
    data = text.encode("utf-8", "surrogatepass")
    first = search.search(data)
    if first is None:
        return text
    # The Set is read a chunk at a time (chunks overlapping by a reference's length), from the first
    # match on, and given up on as soon as too many names occur: its cost grows with the number of
    # distinct names it finds (a wall of every name costs ~12-15 us per KB, few ~1.6 us).
    indexes: set[int] = set()
    start, size = first.start(), _NAMED_CHUNK
    while start < len(data):
        chunk = data[start : start + size + _NAMED_OVERLAP]
        found = present.Match(chunk)
        if not found and search.search(chunk) is not None:
            return None  # the Set ran out of memory
        indexes.update(found or ())
        if len(indexes) > _NAMED_REF_MAX or len(refs) in indexes:
            return None
        start, size = start + size, min(2 * size, _NAMED_CHUNK_MAX)
    occurring = [refs[index] for index in sorted(indexes)]
    joining = [ref for ref in _NAMED_JOINING if ref in occurring]
    placeholders = [char for char in _NAMED_PLACEHOLDERS if char not in text] if joining else []
    if len(joining) > len(placeholders):
        return None
    for ref in occurring:
        if ref not in _NAMED_JOINING and ref not in _NAMED_LAST:
            text = text.replace(ref, _HTML5_REFS[ref])
    for ref, placeholder in zip(joining, placeholders, strict=False):
        text = text.replace(ref, placeholder)
    if "&AMP;" in occurring:
        text = text.replace("&AMP;", "&amp;")
    if "&AMP;" in occurring or "&amp;" in occurring:
        text = text.replace("&amp;", "&")
    for ref, placeholder in zip(joining, placeholders, strict=False):
        text = text.replace(placeholder, _HTML5_REFS[ref])
    return text


def _resolve_literal(ref: str) -> str:
    """What the reference ``ref`` ("&" up to its first ";") decodes to, as ``_resolve_refs`` reads it."""
    return _resolve_refs([ref])[ref]


def _plain_digits(refs: list[str], digits: Callable[[str], str], chars: str) -> list[str]:
    """The ``refs`` whose ``digits`` are not empty and all in ``chars`` (C-level ``map`` steps)."""
    spelled = list(map(digits, refs))
    stray = map(bool, map(str.strip, spelled, repeat(chars)))
    return list(compress(refs, map(gt, map(bool, spelled), stray)))


def _numeric_codes(refs: list[str], digits: Callable[[str], str], base: int, table: dict[str, str]) -> None:
    """Into ``table``: the character of each of ``refs`` (digits in plain ASCII) whose code point is one
    and no surrogate, in C-level ``map`` steps."""
    codes = list(map(int, map(digits, refs), repeat(base)))
    valid = list(map(gt, map(_CODE_POINTS.__contains__, codes), map(_SURROGATES.__contains__, codes)))
    table.update(zip(compress(refs, valid), map(chr, compress(codes, valid)), strict=True))


def _resolve_refs(refs: list[str]) -> dict[str, str]:
    """What each of the distinct ``refs`` (in text order) decodes to: ``_resolve_entity`` of what
    follows the "&" for a piece ``"&...;"`` (at most ``_MAX_ENTITY_KEY`` characters after the "&"), the
    piece itself for any other. Named references are one C-level lookup each, numeric ones as
    ``_numeric_decodings`` reads them."""
    table = dict(zip(refs, map(_HTML5_REFS.get, refs, refs), strict=True))
    numeric = list(compress(refs, map(str.startswith, refs, repeat("&#"))))
    if numeric:
        table.update(_numeric_decodings(numeric))
    return table


def _numeric_decodings(numeric: list[str]) -> dict[str, str]:
    """ref -> its decoding, for the distinct ``numeric`` pieces (each starting with "&#", in text order)
    that are references (ending with the first ";", at most ``_MAX_ENTITY_KEY`` characters after the
    "&"); the others are left out (kept as they are). References in plain ASCII digits (``"&#105;"``,
    ``"&#x69;"``) are read by C-level ``map`` steps, so thousands of distinct references cost no Python
    step each; odd spellings one call each (the first ``_MAX_ODD_REFS``; any after them are kept)."""
    table: dict[str, str] = {}
    numeric = list(compress(numeric, map(str.endswith, numeric, repeat(";"))))
    numeric = list(compress(numeric, map(le, map(len, numeric), repeat(_MAX_ENTITY_KEY + 1))))
    if _PLAIN_REF_RE.search("".join(numeric).encode("utf-8", "surrogatepass")) is None:
        decimal, hexadecimal = [], []  # odd spellings only (walls of them): no map steps to rule plain out
    else:
        decimal = _plain_digits(numeric, _DECIMAL_DIGITS, _DECIMAL_CHARS)
        marked = list(compress(numeric, map(contains, repeat("xX"), map(_HEX_MARK, numeric))))
        hexadecimal = _plain_digits(marked, _HEX_REF_DIGITS, _HEX_CHARS)
        _numeric_codes(decimal, _DECIMAL_DIGITS, 10, table)
        _numeric_codes(hexadecimal, _HEX_REF_DIGITS, 16, table)
    if len(decimal) + len(hexadecimal) < len(numeric):
        plain = set(decimal).union(hexadecimal)
        odd = itertools.filterfalse(plain.__contains__, numeric) if plain else iter(numeric)
        table.update(_odd_decodings(list(itertools.islice(odd, _MAX_ODD_REFS))))
    return table


def _odd_decodings(refs: list[str]) -> dict[str, str]:
    """ref -> ``_resolve_entity(ref[1:])`` for numeric references ``refs`` ("&#" ... ";", at most
    ``_MAX_ENTITY_KEY`` characters after the "&"): read by one ``map`` of ``int`` per kind (decimal,
    "x"/"X" hexadecimal) when every one of that kind reads as a number, else one call each."""
    table: dict[str, str] = {}
    marked = list(map(contains, repeat("xX"), map(_HEX_MARK, refs)))
    for kind, digits, base in (
        (list(compress(refs, marked)), _HEX_REF_DIGITS, 16),
        (list(compress(refs, map(not_, marked))), _DECIMAL_DIGITS, 10),
    ):
        if not kind:
            continue
        try:
            codes = list(map(int, map(digits, kind), repeat(base)))
        except ValueError:  # one that is no number: kept, as ``_resolve_entity`` keeps it
            table.update(zip(kind, map(_resolve_entity, map(_AFTER_AMP, kind)), strict=True))
            continue
        if 0 < min(codes) and max(codes) <= 0x10FFFF:
            chars = list(map(chr, codes))
            try:
                "".join(chars).encode("utf-8")  # fails on a surrogate
            except UnicodeEncodeError:
                pass
            else:  # every code is a character
                table.update(zip(kind, chars, strict=True))
                continue
        valid = list(map(gt, map(_CODE_POINTS.__contains__, codes), map(_SURROGATES.__contains__, codes)))
        table.update(zip(kind, kind, strict=True))
        table.update(zip(compress(kind, valid), map(chr, compress(codes, valid)), strict=True))
    return table


# The distinct parts (or segments) of a text are decoded as one string cut into tokens, a reference ("&"
# up to the first ";") one token: the parts joined with a part marker between them, cut by a second
# marker at each reference's start and end; each token is then one dict lookup (``_numeric_decodings``
# for the numeric ones; a token holding a part marker is no reference and kept), and the decoded tokens
# joined and cut at the part markers. A few C-level passes and a lookup or two per token instead of a
# dozen ``map`` steps per part. The markers are characters the parts do not hold (lone surrogates; the
# per-part steps below when too many of them occur).
_TOKEN_MARKERS = "\udcfe\udcfd\udcfc\udcf9\udcf8\udcf7"


_TOKENS_PER_PART = 8


def _token_markers(parts: list[str], cut_at: str) -> tuple[str, str] | None:
    """(token marker, part marker), or None to take the per-part steps: the markers all occur, or the
    parts would make too many tokens (a flood of ``cut_at``, the character they are cut at, in them: the
    text is cut into parts at the rarer of "&" and ";", the tokens at both)."""
    probe = "".join(parts)
    if probe.count(cut_at) > _TOKENS_PER_PART * len(parts):
        return None
    free = [char for char in _TOKEN_MARKERS if char not in probe]
    return (free[0], free[1]) if len(free) > 1 else None


def _decoded_tokens(tokens: list[str], numeric: bool) -> list[str]:
    """Each token decoded: a reference to what it decodes to (see ``_resolve_refs``), any other kept;
    ``numeric``: whether a token may start with "&#"."""
    decoded = list(map(_HTML5_REFS.get, tokens, tokens))
    if numeric:
        refs = list(dict.fromkeys(compress(tokens, map(str.startswith, tokens, repeat("&#")))))
        resolved = _numeric_decodings(refs) if refs else None
        if resolved:
            decoded = list(map(resolved.get, decoded, decoded))  # no named value starts with "&#"
    return decoded


# Any character the text does not hold will do as the one marker: control characters first (a text
# without any other character past U+00FF stays one byte per character, its copies cheaper to make).
_CUT_MARKERS = "\x00\x01\x02" + _TOKEN_MARKERS


# Parts at fixed pseudo-random places: every 8th part (or any evenly spaced ones) shows a period of
# parts coprime with the spacing (thousands of distinct parts, each repeated) all distinct; random
# picks meet its repeats (the birthday bound: 256 picks among parts each repeated 5 times meet ~12
# repeats, among distinct parts none). Only the choice of path depends on them, never the result.
_PICKER = random.Random(29)  # fixed: the same picks for every text
_PICK_FRACTIONS = tuple(_PICKER.random() for _ in range(256))


def _mostly_distinct(parts: list[str]) -> bool:
    """Whether ``parts`` are mostly distinct: at most one in 64 of the parts picked at
    ``_PICK_FRACTIONS`` of their list repeats another."""
    picks = set(map(int, map(mul, _PICK_FRACTIONS, repeat(len(parts)))))
    if len(picks) < 2:
        return True
    picked = set(itemgetter(*picks)(parts))
    return 64 * (len(picks) - len(picked)) <= len(picks)


# Periodic texts (a marker or a few repeated thousands of times, a flood of one encoded string) are
# decoded a period at a time. Each decoder reads a text head by head ("&", "\\", "%"), each head's reading
# depending only on the characters from it up to the next head (an entity reference ends at its first ";"
# with no "&" before it; an escape's or URL marker's digits are hex digits, never a head), and every other
# character is kept. (Numeric references in odd spellings decode only for the first ``_MAX_ODD_REFS``
# distinct ones: a period of at most ``_PERIOD_MAX`` characters holds fewer references, and the text no
# others.) So a text of period ``p`` whose first head is at ``h`` decodes as ``text[:h]`` (no head),
# then copies of the period starting at ``h`` (each starts with a head, so its heads read nothing past it:
# the next copy starts with one too) and the last copy with whatever follows it (decoded together: the
# last copy's heads may read into it): ``text[:h] + decode(period) * (copies - 1) + decode(the rest)``.
# URL markers become bytes that the text's UTF-8 decoding joins across copies: they are decoded so, as
# bytes, decoded as UTF-8 once.
_PERIOD_FROM = 4096  # shorter texts: not looked at
_PERIOD_MAX = 1024
_PERIOD_PROBE = 32  # the period is where the text's first characters come again
_PERIOD_CHUNK = 4096  # the periodic head of the text is extended this much at a time


def _periodic_decoded(text: AnyStr, head: AnyStr, decode: Callable[[AnyStr], AnyStr]) -> AnyStr | None:
    """``decode(text)`` a period at a time (see above) when ``text`` starts with at least three copies of a
    period of at most ``_PERIOD_MAX`` characters holding a head (the period: where its first
    ``_PERIOD_PROBE`` characters recur first; the periodic head found ``_PERIOD_CHUNK`` characters at a
    time); else None. What follows the periodic head (a cut-off marker, other text) is decoded with the
    last copy."""
    period = text.find(text[:_PERIOD_PROBE], 1, _PERIOD_MAX + _PERIOD_PROBE)
    if period < 0:
        return None
    end, size = period, len(text)  # text[:end] has the period
    while end < size:
        step = min(_PERIOD_CHUNK, size - end)
        if not text.startswith(text[end - period : end - period + step], end):
            break
        end += step
    first = text.find(head, 0, period)
    copies = (end - first) // period
    if first < 0 or copies < 3:
        return None
    last = first + (copies - 1) * period
    return text[:first] + decode(text[first : first + period]) * (copies - 1) + decode(text[last:])


# Walls of a few distinct markers, each repeated (an encoding nested in another: "&amp;" before every
# "#37;", "\\u0025" or "%41" thousands of times): each marker is replaced by its decoding with one
# ``replace`` per distinct one (~0.1 ms per 100 KB) instead of the general paths' masks and per-part
# steps (0.25-0.6 ms). A literal is a marker as the decoder reads it: its head ("&", "\\" or "%") at its
# start and nowhere else, and whatever follows the head up to where the decoder's reading of that head
# ends ("&" up to the first ";", "\\u" and 4 hex digits, "%" and 2 hex digits). Occurrences of literals
# never overlap (one ends before the next head, which starts another) and two distinct literals never
# start at the same head (the decoder reads a head one way). So when the counts of a few literals add up
# to the count of heads in the text, every head starts one of them, each decoded as the literal alone
# decodes (the decoder reads nothing past it), and every other character is kept: the decoding is the
# text with each occurrence replaced (the last head may start none: see ``_literals_decoded``). One
# literal after another is that decoding when no replacement holds the head (every head in the text after
# a replacement is one of the text's own, still starting the same literal, whose characters are all the
# text's own: no new occurrence appears); a single literal's ``replace`` is itself that one pass. The
# literals come from heads found at fixed pseudo-random places (``_PICK_FRACTIONS``): only the choice of
# path depends on them, never the result.
_FEW_LITERALS = 4
_LITERAL_PROBES = 16
_LITERAL_WINDOW = 256  # a probe finding no head this close: not a wall (and no search of the whole text)
_FEW_LITERALS_FROM = 64  # fewer heads: the general paths cost as little
_FEW_ESCAPES_FROM = 4096  # escapes are not counted first: texts at least this long are sampled


def _sampled_literals(
    text: AnyStr, head: AnyStr, literal_at: Callable[[AnyStr, int], AnyStr | None]
) -> list[AnyStr] | None:
    """The distinct literals ``literal_at(text, index of a head)`` at the first head found from each of
    ``_LITERAL_PROBES`` of ``_PICK_FRACTIONS`` of ``text``; None when a head starts no literal, more than
    ``_FEW_LITERALS`` distinct ones are found, or a probe finds no head within ``_LITERAL_WINDOW`` after
    (or, near the end, before) its place."""
    found: dict[AnyStr, None] = {}
    size = len(text)
    for fraction in _PICK_FRACTIONS[:_LITERAL_PROBES]:
        start = int(fraction * size)
        index = text.find(head, start, start + _LITERAL_WINDOW)
        if index < 0:  # near the end: the head before
            index = text.rfind(head, max(start - _LITERAL_WINDOW, 0), start)
        literal = literal_at(text, index) if index >= 0 else None
        if literal is None:
            return None
        found[literal] = None
        if len(found) > _FEW_LITERALS:
            return None
    return list(found)


def _literals_decoded(
    text: AnyStr,
    head: AnyStr,
    heads: int | None,
    literal_at: Callable[[AnyStr, int], AnyStr | None],
    decode: Callable[[AnyStr], AnyStr],
) -> AnyStr | None:
    """``text`` with every literal replaced by ``decode`` of it, when every one of its heads (``heads``:
    their count, when known) starts one of the few literals sampled (see above); else None."""
    literals = _sampled_literals(text, head, literal_at)
    if literals is None:
        return None
    missing = (text.count(head) if heads is None else heads) - sum(map(text.count, literals))
    # A marker cut off at the end of the text (``text`` cut at some length) is kept as it is, and no
    # literal reaches it (one would hold a second head): the last head may start none.
    if missing and not (missing == 1 and literal_at(text, text.rfind(head)) is None):
        return None
    changed = [(literal, decode(literal)) for literal in literals]
    changed = [(literal, value) for literal, value in changed if value != literal]
    if len(changed) > 1 and any(head in value for _, value in changed):
        return None
    for literal, value in changed:
        text = text.replace(literal, value)
    return text


def _reference_literal(text: str, index: int) -> str | None:
    """The reference starting at ``text[index]`` ("&"): up to its first ";", at most ``_MAX_ENTITY_KEY``
    characters after the "&", no other "&" in it; else None."""
    end = text.find(";", index + 1, index + 1 + _MAX_ENTITY_KEY)
    if end < 0:
        return None
    literal = text[index : end + 1]
    return None if "&" in literal[1:] else literal


_ESCAPE_LENGTHS = {"u": 6, "x": 4, "U": 10}


def _escape_literal(text: str, index: int) -> str | None:
    """The escape form starting at ``text[index]`` (a backslash): "\\u", "\\x" or "\\U" and its 4, 2 or 8
    hex digits; else None. (Whether it decodes, surrogates and code points past U+10FFFF not, is for
    ``_escape_decode`` of the literal: it reads the same characters in the text.)"""
    length = _ESCAPE_LENGTHS.get(text[index + 1 : index + 2])
    if length is None:
        return None
    literal = text[index : index + length]
    digits = literal[2:]
    return literal if len(literal) == length and digits.isascii() and not digits.strip(_HEX_CHARS) else None


def _percent_literal(data: bytes, index: int) -> bytes | None:
    """The marker starting at ``data[index]`` ("%"): "%" and two hex digits; else None."""
    literal = data[index : index + 3]
    return literal if len(literal) == 3 and literal[1] in _HEX_DIGITS and literal[2] in _HEX_DIGITS else None


def _tokens_decoded(text: str, folded: list[str] | None = None) -> str | None:
    """``text`` decoded as one string cut into tokens (see above), without finding its distinct parts
    first: a cut marker after every ";" and before every "&" makes each reference, "&" up to the first
    ";" with no other "&" between, one token (and every token starting with "&" and ending with ";" a
    reference); None when every marker occurs in ``text``. ``folded``: given (``text`` ASCII), gets the
    decoding's ``fold_layer`` when it can be told by tokens (``_tokens_folded``)."""
    cut = next((char for char in _CUT_MARKERS if char not in text), None)
    if cut is None:
        return None
    tokens = text.replace(";", ";" + cut).replace("&", cut + "&").split(cut)
    numeric = "&#" in text
    decoded = _decoded_tokens(tokens, numeric)
    if folded is not None and not numeric:
        folded_tokens = _tokens_folded(decoded)
        if folded_tokens is not None:
            folded.append(folded_tokens)
    return "".join(decoded)


# A long ASCII text of named references decoded token by token (``_tokens_decoded``) is folded (the
# decoded layer's view, ``normalize.fold_layer``) token by token too: each decoded token is a reference's
# value or ASCII text of the source, and without ";&" in the source (a reference's ";" right before an
# "&", the only place where the cutting leaves an empty token but at the ends) no two values are
# adjacent: every boundary between tokens has an ASCII character on one side, so no maximal run of
# non-ASCII characters of the decoding spans two tokens. ``fold_layer`` of a text is the text with each
# such run folded on its own (see ``normalize.fold_layer``), so it is the concatenation of the tokens'
# folds: each value's fold looked up (``_value_folds``), ASCII kept. (Numeric
# references, "&#", are left to ``fold_layer``: their values are not in the table.) A lookup per token
# (~20 ns) instead of the layer's translate (~25 ns per non-ASCII character) and composition windows.
# The same holds for the fold: its tokens (the values' folds, ASCII text) keep an ASCII character at
# every boundary (the ASCII tokens between values are kept), so when every value's fold folds to itself
# (checked when the table is built), the folded layer folds to itself.
_TOKEN_FOLD_FROM = 8192


@functools.cache
def _value_folds() -> dict[str, str] | None:
    """``fold_layer`` of each named reference's value (built on first use or by ``warm_up``, ~20 ms);
    None if one of them does not fold to itself (then no layer is folded by tokens)."""
    folds = {value: fold_layer(value) for value in set(_HTML5_REFS.values())}
    return folds if all(fold_layer(folded) == folded for folded in folds.values()) else None


def _tokens_folded(decoded_tokens: list[str]) -> str | None:
    """``fold_layer`` of the concatenation of ``decoded_tokens`` (``_tokens_decoded``'s, of a long ASCII
    text without numeric references), if no two values are adjacent in it (see above); else None."""
    folds = _value_folds()
    if folds is None or "" in decoded_tokens[1:-1]:
        return None
    return "".join(map(folds.get, decoded_tokens, decoded_tokens))


def _part_decodings(parts: list[str]) -> dict[str, str]:
    """part -> the decoding of ``"&" + part``, for each of the distinct ``parts`` (in text order): the
    reference up to its first ";" decoded, the rest kept."""
    markers = _token_markers(parts, ";")
    if markers is None:
        return _part_decodings_mapped(parts)
    cut, end = markers
    joined = "&" + (end + cut + "&").join(parts)  # a part marker ends the part's last token
    tokens = joined.replace(";", ";" + cut).split(cut)
    return dict(zip(parts, "".join(_decoded_tokens(tokens, "&#" in joined)).split(end), strict=True))


def _segment_decodings(segments: list[str]) -> dict[str, str]:
    """segment -> the decoding of ``segment + ";"``, for each of the distinct ``segments`` (in text
    order, none holding ";"): what follows the last "&" is a reference; a segment without "&" is kept."""
    markers = _token_markers(segments, "&")
    if markers is None:
        return _segment_decodings_mapped(segments)
    cut, end = markers
    joined = (";" + cut + end).join(segments) + ";"  # a part marker starts the next part's first token
    tokens = joined.replace("&", cut + "&").split(cut)
    return dict(zip(segments, "".join(_decoded_tokens(tokens, "&#" in joined)).split(end), strict=True))


def _part_decodings_mapped(parts: list[str]) -> dict[str, str]:
    """``_part_decodings`` by ``map`` steps over the parts."""
    heads, seps, tails = zip(*map(str.partition, parts, repeat(";")), strict=True)
    refs = list(map(add, map(add, repeat("&"), heads), seps))
    resolved = _resolve_refs(list(dict.fromkeys(refs)))
    return dict(zip(parts, map(add, map(resolved.__getitem__, refs), tails), strict=True))


def _segment_decodings_mapped(segments: list[str]) -> dict[str, str]:
    """``_segment_decodings`` by ``map`` steps over the segments."""
    heads, amps, bodies = zip(*map(str.rpartition, segments, repeat("&")), strict=True)
    refs = list(map(add, map(add, amps, bodies), repeat(";")))
    resolved = _resolve_refs(list(dict.fromkeys(refs)))
    return dict(zip(segments, map(add, heads, map(resolved.__getitem__, refs)), strict=True))


# Numeric references in plain ASCII digits ("&#1000;", "&#x3e8;"), found and read without a Python step
# per reference. A marker map of the UTF-8 text (digits "d", the reference characters themselves, all
# else "o"; for hexadecimal references every hex digit "h") in which one ``replace`` per digit count
# that occurs (one Set pass tells which) turns each such reference into roles: its "&" "A", "#" "H" (hexadecimal: "G"), "x"/"X" "Y"/"Z", digits
# "D", ";" "S"
# (a reference holds no other "&", "#" or ";", so the patterns never overlap and roles are never read
# again). Masks made from the roles by ``translate`` then give, by one OR each over the whole text: the
# digits of every reference, each ended by its ";" (the other bytes set to >= 0x80 and deleted), and
# the text with every such reference replaced by a placeholder, "&" and the byte 0xFB (decimal, from
# the "#") or 0xFA (hexadecimal, from the "x"), decoded as the surrogates U+DCFB/U+DCFA; the other
# bytes of the reference set to 0xFF and deleted (none of these bytes occurs in UTF-8). The
# placeholder's "&" ends the reference before it as the original "&" did, and "&" followed by a
# surrogate is no reference, so the other references decode as before; then the placeholders become
# the characters of their references by one ``%`` formatting per kind (``_plain_codes`` reads the codes).
# A wall of references of one kind needs no role map (``_plain_wall_decoded``).
_PLAIN_REF_DIGITS = 32  # "&#" + 32 digits + ";" is the longest reference (``_MAX_ENTITY_KEY``)


@dataclass(frozen=True)
class _PlainRefs:
    """One kind of numeric reference: its marker map, how its references start, digit mark and base."""

    marks: bytes
    heads: tuple[bytes, ...]  # marked "&#" (+ "x"/"X") and the roles they become
    digit: bytes
    base: int
    placeholder: str


def _marks(digits: str) -> bytes:
    return bytes(
        (ord("h") if digits == _HEX_CHARS else ord("d")) if chr(byte) in digits
        else byte if chr(byte) in "&#;xX" else ord("o")
        for byte in range(256)
    )  # fmt: skip


_DECIMAL_REFS = _PlainRefs(_marks(_DECIMAL_CHARS), (b"&#", b"AH"), b"d", 10, "\udcfb")
_HEX_REFS = _PlainRefs(_marks(_HEX_CHARS), (b"&#x", b"AGY", b"&#X", b"AGZ"), b"h", 16, "\udcfa")


def _role_table(roles: dict[str, int], other: int = 0) -> bytes:
    return bytes(roles.get(chr(byte), other) for byte in range(256))


# "#" | 0xD8 == 0xFB, "x" | 0x82 == "X" | 0xA2 == 0xFA; "G" is a hexadecimal reference's "#".
_PLACEHOLDER_OR = _role_table({"H": 0xD8, "Y": 0x82, "Z": 0xA2, "G": 0xFF, "D": 0xFF, "S": 0xFF})
# A hexadecimal reference of 1 to 8 digits has its "&" role set to its digit count (the bytes 1 to 8, none
# of the marks), which the digits mask turns into one of these (an OR of the "&": none a hex digit, "x",
# "X" or ";"), so that one ``replace`` per count pads every reference to 8 digits (see ``_plain_codes``).
_HEX_COUNT_MARKS = b"'./>?nov"
_DIGITS_DROP = _role_table(
    {"Y": 0, "Z": 0, "D": 0, "S": 0} | {chr(count): mark & ~0x26 for count, mark in enumerate(_HEX_COUNT_MARKS, 1)},
    0x80,
)  # hexadecimal ones keep the "x"
if any(mark | 0x26 != mark or chr(mark) in _HEX_CHARS + "xX;" for mark in _HEX_COUNT_MARKS):
    raise RuntimeError("a hexadecimal count mark must be an OR of the '&' and no digit, 'x' or ';'")
_HIGH_BYTES = bytes(range(0x80, 0x100))
if (
    (ord("#") | 0xD8, ord("x") | 0x82, ord("X") | 0xA2) != (0xFB, 0xFA, 0xFA)
    or b"&\xfb&\xfa".decode("utf-8", "surrogateescape") != "&" + _DECIMAL_REFS.placeholder + "&" + _HEX_REFS.placeholder
):
    raise RuntimeError("the placeholders must be the bytes the masks make")


def _or_bytes(data: bytes, mask: bytes) -> bytes:
    return (int.from_bytes(data, "big") | int.from_bytes(mask, "big")).to_bytes(len(data), "big")


# Which (kind, head, digit count) occur in a text: one Set pass (built on first use), so that only those
# cost a ``replace`` over the role map. Empty when the Set runs out of memory: no plain reference is read
# then, the general path decodes them all.
@functools.cache
def _plain_counts() -> tuple[re2.Set, list[tuple[_PlainRefs, bytes, bytes, int]]]:
    found = re2.Set.SearchSet()
    replaces = []
    for kind, chars in ((_DECIMAL_REFS, _DECIMAL_CHARS), (_HEX_REFS, _HEX_CHARS)):
        for start, roles in zip(kind.heads[::2], kind.heads[1::2], strict=True):
            for count in range(1, _PLAIN_REF_DIGITS - len(start) + 3):
                found.Add(f"{re2.escape(start.decode())}[{chars}]{{{count}}};")
                counted = kind is _HEX_REFS and count <= len(_HEX_COUNT_MARKS)
                replaces.append((kind, start, bytes((count,)) + roles[1:] if counted else roles, count))
    found.Compile()
    return found, replaces


def _plain_ref_roles(data: bytes, kind: _PlainRefs, heads: list[tuple[bytes, bytes, int]]) -> tuple[bytes, bytes]:
    """(role map, digits of each reference in text order, each ended by ";") of ``kind``'s references in
    ``data``, given the (head, its roles, digit count) that occur. A hexadecimal reference's digits
    follow its count mark (if any, see ``_HEX_COUNT_MARKS``) and "x"/"X"."""
    marks = data.translate(kind.marks)
    for start, roles, count in heads:
        marks = marks.replace(start + kind.digit * count + b";", roles + b"D" * count + b"S")
    return marks, _or_bytes(data, marks.translate(_DIGITS_DROP)).translate(None, _HIGH_BYTES)


_AFTER_MARK = itemgetter(slice(1, None))


def _plain_codes(kind: _PlainRefs, digits: bytes, counts: list[int]) -> list[int] | None:
    """The code of each reference (``digits`` as ``_plain_ref_roles`` gives them; ``counts``: the digit
    counts that occur, none: ``digits`` holds no count marks) in a few C-level calls: decimal ones by one
    ``json.loads`` (None for a leading "0"), hexadecimal ones padded to 8 digits (one ``replace`` per
    count; without marks, all of one count, by one slice assignment per digit) read as 32-bit numbers."""
    if kind.base == 10:
        try:
            return cast(list[int], json.loads(b"[" + digits[:-1].replace(b";", b",") + b"]"))
        except ValueError:
            return None
    width = len(_HEX_COUNT_MARKS)
    packed = digits.translate(None, b"xX;")
    if not counts:  # no count marks (a wall)
        refs = digits.count(b";")
        count = digits.find(b";") - 1
        shape = digits.translate(_HEX_SHAPE)
        if 0 < count <= width and shape == (b"x" + b"h" * count + b";") * refs:
            # All of one count: padded by one slice assignment per digit.
            padded = bytearray(b"0" * (width * refs))
            for place in range(count):
                padded[width - count + place :: width] = packed[place::count]
            packed = bytes(padded)
        else:
            marked = _hex_counts_marked(digits, shape)
            if marked is None:
                return None
            packed, counts = marked
    elif max(counts) > width:
        return None
    for count in set(counts):
        packed = packed.replace(_HEX_COUNT_MARKS[count - 1 : count], b"0" * (width - count))
    try:
        lanes = binascii.a2b_hex(packed)
    except binascii.Error:
        return None
    codes = array("I")
    codes.frombytes(lanes)  # big-endian
    if _LITTLE_ENDIAN:
        codes.byteswap()
    return codes.tolist()


# Which digit counts occur in a wall's hexadecimal shape: 1 to 8 (index = count - 1), more (index 8).
_HEX_COUNT_SET: list[re2.Set] = []


def _hex_count_set() -> re2.Set:
    if not _HEX_COUNT_SET:
        found = re2.Set.SearchSet(latin1_options())
        for count in range(1, len(_HEX_COUNT_MARKS) + 1):
            found.Add(b"xh{%d};" % count)
        found.Add(b"xh{%d,};" % (len(_HEX_COUNT_MARKS) + 1))
        found.Compile()
        _HEX_COUNT_SET.append(found)
    return _HEX_COUNT_SET[0]


def _hex_counts_marked(digits: bytes, shape: bytes) -> tuple[bytes, list[int]] | None:
    """A wall's hexadecimal references of several digit counts (``digits`` as ``_plain_codes`` takes
    them, "x"/"X", digits, ";" each; ``shape``: their ``_HEX_SHAPE``) as the count-marked digits the role
    map gives (each reference's count mark, see ``_HEX_COUNT_MARKS``, then its digits; no ";") and the
    counts that occur (one Set pass tells which): one ``replace`` per count on the shape ("x", exactly
    that many "h", ";" is one reference: it starts at its "x" and ends at its only ";"), the marks then
    put in place of the "x" by one XOR; None when a reference has more than 8 digits."""
    found = _hex_count_set().Match(shape)
    width = len(_HEX_COUNT_MARKS)
    if not found or width in found:
        return None  # more than 8 digits (or the Set out of memory)
    marked, counts = shape, sorted(index + 1 for index in found)
    for count in counts:
        digits_end = b"h" * count + b";"
        marked = marked.replace(b"x" + digits_end, _HEX_COUNT_MARKS[count - 1 : count] + digits_end)
    if b"x" in marked:
        return None
    # ``marked`` differs from the shape only where a mark replaced an "x": there the XOR turns the
    # digits' "x" (an "X" made "x" first: "X" is no digit) into the mark, and leaves every other byte.
    flipped = _xor(digits.replace(b"X", b"x"), _xor(shape, marked))
    return flipped.translate(None, b";"), counts


_MAX_BAD_CODES = 16
_BAD_CODE = "\udcfc"  # a stand-in for a code that is no character (none of the placeholders)
_LITTLE_ENDIAN = codecs.BOM_UTF32 == codecs.BOM_UTF32_LE
_UTF32_DECODE = codecs.getdecoder("utf-32-le" if _LITTLE_ENDIAN else "utf-32-be")
if array("I").itemsize != 4:
    raise RuntimeError("the code lanes must be 32-bit")


def _bad_codes(codes: list[int]) -> list[int] | None:
    """The indexes of the ``codes`` that are no character (NUL, a surrogate, past U+10FFFF), in order,
    found by C-level searches (``list.index`` for 0, UTF-32 decoding errors for the others); None when
    more than ``_MAX_BAD_CODES``."""
    try:
        lanes = array("I", codes)
    except OverflowError:  # a code of 32 bits or more: all of them clamped (no character either way)
        lanes = array("I", map(min, codes, repeat(0xFFFFFFFF)))
    raw = memoryview(lanes).cast("B")
    bad: list[int] = []
    start = 0
    while len(bad) <= _MAX_BAD_CODES and lanes.itemsize == 4:
        try:
            _UTF32_DECODE(raw[start:])
        except UnicodeDecodeError as error:
            bad.append((start + error.start) // 4)
            start = 4 * bad[-1] + 4
            continue
        index = -1
        while len(bad) <= _MAX_BAD_CODES:
            try:
                index = codes.index(0, index + 1)
            except ValueError:
                return sorted(bad)
            bad.append(index)
    return None


def _plain_refs_format(template: str, kind: _PlainRefs, digits: bytes, counts: list[int]) -> str:
    """``template`` (every "%" doubled) with each of ``kind``'s placeholders replaced by the character
    of its reference (``digits``, in text order), or the reference itself when it is no character."""
    codes = _plain_codes(kind, digits, counts)
    if codes is None:
        codes = list(map(int, map(_AFTER_MARK, _plain_ref_texts(kind, digits)), repeat(16)) if kind.base == 16
                     else map(int, digits.split(b";")[:-1]))  # fmt: skip
    bad = _bad_codes(codes)
    if bad == []:
        return template.replace("&" + kind.placeholder, "%c") % tuple(codes)
    refs = _plain_ref_texts(kind, digits)
    if bad is not None and _BAD_CODE not in template:
        # A few references are no character (one "&#0;" in a wall): the others formatted at once, these
        # put back as they are where their stand-in is.
        codes = codes.copy()
        for index in bad:
            codes[index] = ord(_BAD_CODE)
        parts = (template.replace("&" + kind.placeholder, "%c") % tuple(codes)).split(_BAD_CODE)
        kept = [f"&#{refs[index].decode()};" for index in bad]
        return "".join(itertools.chain.from_iterable(zip(parts[:-1], kept, strict=True))) + parts[-1]
    pieces = [
        chr(code) if code in _CODE_POINTS and code not in _SURROGATES else None for code in codes
    ]
    return template.replace("&" + kind.placeholder, "%s") % tuple(
        f"&#{ref.decode()};" if char is None else char for ref, char in zip(refs, pieces, strict=True)
    )


def _plain_ref_texts(kind: _PlainRefs, digits: bytes) -> list[bytes]:
    """What follows the "&#" of each reference (``digits`` without the count marks)."""
    refs = digits.split(b";")[:-1]
    return list(map(bytes.lstrip, refs, repeat(_HEX_COUNT_MARKS))) if kind.base == 16 else refs


# A text whose every "&", "#", ";" and digit is part of a reference in plain digits of one kind (a wall of
# them, with any other text between; for hexadecimal ones, every "x"/"X" and hex digit too): the digits
# of the references, each ended by its ";", are the text without its other bytes, and the text with
# placeholders the text with its digits and ";" deleted and each "#" (hexadecimal: "x"/"X", the "#"
# deleted) made the placeholder byte.
@dataclass(frozen=True)
class _Wall:
    kind: _PlainRefs
    regex: re2._Regexp
    digits: bytes  # what to delete to leave the digits
    placed: bytes  # translation table to the text with placeholders
    deleted: bytes  # what to delete for it


def _wall(kind: _PlainRefs, marks: str, digits: str) -> _Wall:
    """``marks``: what follows the "&#" ("" decimal, "xX" hexadecimal)."""
    kept = digits + marks + ";"
    regex = rb"(?:[^&#;%s]|&#%s[%s]{1,%d};)*" % (
        kept.encode(), f"[{marks}]".encode() if marks else b"", digits.encode(),
        _PLAIN_REF_DIGITS - bool(marks),
    )  # fmt: skip
    marker = marks or "#"  # the byte that becomes the placeholder's
    placeholder = kind.placeholder.encode("utf-8", "surrogateescape")[0]
    return _Wall(
        kind,
        re2.compile(regex, latin1_options()),
        bytes(sorted(set(range(256)) - set(kept.encode()))),
        bytes(placeholder if chr(byte) in marker else byte for byte in range(256)),
        (digits + ";" + ("#" if marks else "")).encode(),
    )


_WALLS = (_wall(_DECIMAL_REFS, "", _DECIMAL_CHARS), _wall(_HEX_REFS, "xX", _HEX_CHARS))
# Hexadecimal digits "h", "X" "x", for checking that references all have as many digits.
_HEX_SHAPE = bytes(ord("h") if chr(byte) in _HEX_CHARS else ord("x") if byte in b"xX" else byte for byte in range(256))


def _plain_wall_decoded(data: bytes) -> str | None:
    """``_entity_decode`` of the UTF-8 text ``data`` when it is a wall of references of one kind (see
    above), else None."""
    end = data.rfind(b";") + 1  # what follows the last ";" holds no reference: kept as it is
    # (A one-byte search first: "&#" is searched at every "&" of a text dense with them, ~1 us per KB.)
    for wall in _WALLS if end and b"#" in data and b"&#" in data else ():
        if wall.regex.fullmatch(data, 0, end) is not None:
            # Every "&", "#", ";" and digit up to there is in a reference of this kind: no role map.
            body = data[:end]
            placed = body.translate(wall.placed, wall.deleted) + data[end:]
            template = placed.decode("utf-8", "surrogateescape").replace("%", "%%")
            return _plain_refs_format(template, wall.kind, body.translate(None, wall.digits), [])
    return None


def _plain_refs_decoded(text: str, walls: bool = True) -> str | None:
    """``_entity_decode(text)`` with its numeric references in plain digits read in C-level steps (see
    above); None when ``text`` holds a surrogate (the placeholders could be ambiguous) or none.
    ``walls``: whether to check for a wall first (``_plain_wall_decoded``)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    decoded = _plain_wall_decoded(data) if walls else None
    if decoded is not None:
        return decoded
    counts, replaces = _plain_counts()
    occurring = [replaces[index] for index in sorted(counts.Match(data) or ())]
    found = []
    for kind in (_DECIMAL_REFS, _HEX_REFS):
        heads = [head[1:] for head in occurring if head[0] is kind]
        if heads:
            marks, digits = _plain_ref_roles(data, kind, heads)
            found.append((kind, marks, digits, [count for _, _, count in heads]))
    if not found:
        return None
    mask = int.from_bytes(data, "big")
    for _, marks, _, _ in found:
        mask |= int.from_bytes(marks.translate(_PLACEHOLDER_OR), "big")
    held = mask.to_bytes(len(data), "big").translate(None, b"\xff").decode("utf-8", "surrogateescape")
    if held.count("&") != sum(digits.count(b";") for _, _, digits, _ in found):
        held = _entity_decode_general(held)
    for kind, _, digits, digit_counts in found:
        held = _plain_refs_format(held.replace("%", "%%"), kind, digits, digit_counts)
    return held


def _entity_decode(text: str, folded: list[str] | None = None) -> str:
    """HTML character references decoded in one pass, every one however many, without a Python-level
    loop per reference (see ``_entity_decode_general``). Thousands of distinct parts, many of them
    "&#": numeric references in plain digits are read first by ``_plain_refs_decoded`` (a few C-level
    passes over the text instead of a dozen map steps over the distinct parts); few distinct known
    names and no numeric reference: ``_named_refs_decoded``. ``folded``: given (``text`` ASCII), gets the
    decoding's ``fold_layer`` when the path taken tells it on the way (``_tokens_decoded``,
    ``_alternating_decoded``), else stays empty."""
    return _entity_decode_general(text, plain_first=True, folded=folded)


# Costs, in units of one part: ``_plain_refs_decoded`` about ``parts + _PLAIN_REF_FIXED``, the general
# path about ``_DISTINCT_WEIGHT`` per distinct part (measured on 100 KB walls of references).
_PLAIN_REF_FIXED = 10_000
_WALL_TAIL_AMPS = 16  # more "&" than ";" in a text that may be a wall (after its last ";", a cut-off one)
_DISTINCT_WEIGHT = 16


def _plain_refs_pay(text: str, distinct: int, parts: int, numeric: list[int]) -> bool:
    """Whether ``_plain_refs_decoded`` is worth trying on ``text`` cut into ``parts`` parts, ``distinct``
    of them distinct: many distinct parts, a good share of them "&#" (counted once, kept in ``numeric``)."""
    if distinct * _DISTINCT_WEIGHT <= parts + _PLAIN_REF_FIXED:
        return False
    if not numeric:
        numeric.append(text.count("&#"))
    return numeric[0] * 4 > distinct


def _entity_decode_general(text: str, plain_first: bool = False, folded: list[str] | None = None) -> str:
    """HTML character references decoded in one pass, every one however many, without a Python-level
    loop per reference.

    A reference is an "&" and what follows it up to the first ";" when no other "&" comes between
    (see ``_resolve_refs``). The text is cut at whichever of "&" and ";" it holds fewer of (a flood of
    one costs no more than the other's count): at "&", each part is cut at its first ";"; at ";", each
    segment at its last "&". Only the distinct parts are cut and decoded (a marker wall has few), each
    part is then one C-level lookup: every step over the parts is a C-level call. ``plain_first``:
    with many distinct parts, try ``_plain_refs_decoded`` first. ``folded``: as for ``_entity_decode``."""
    if len(text) >= _PERIOD_FROM:
        periodic = _periodic_decoded(text, "&", _entity_decode_general)
        if periodic is not None:
            return periodic
    if len(text) >= _NAME_SAMPLES_FROM and _mostly_known_names(text):
        # Before counting "&" and ";" (~0.1 ms each per 100 KB of references): only the paths use them.
        return _known_names_decoded(text)
    if len(text) >= _ALTERNATING_FROM:
        decoded = _alternating_decoded(text, folded)
        if decoded is not None:
            return decoded
    amps = text.count("&")
    if not amps:
        return text
    semis = text.count(";")
    if not semis:
        return text  # no reference is complete
    if amps >= _FEW_LITERALS_FROM:
        decoded = _literals_decoded(text, "&", amps, _reference_literal, _resolve_literal)
        if decoded is not None:
            return decoded
    # As many "&" as ";" (what follows the last ";" may hold a few "&"): maybe a wall of numeric
    # references, read before cutting the text (the wall check stops at the first "&" that starts no
    # such reference, and costs less than the cutting, which would only tell whether the distinct
    # parts are many).
    walls = not (
        plain_first and semis > _NAMED_MIN_PARTS and semis - _WALL_TAIL_AMPS <= amps <= semis + _WALL_TAIL_AMPS
    )
    if not walls:
        try:
            decoded = _plain_wall_decoded(text.encode("utf-8"))
        except UnicodeEncodeError:  # a surrogate: the placeholders could be ambiguous
            decoded = None
        if decoded is not None:
            return decoded
    decoded = _named_refs_decoded(text) if min(amps, semis) > _NAMED_MIN_PARTS else None
    if decoded is not None:
        return decoded
    if plain_first and semis > _MAX_ODD_REFS and amps > _MAX_ODD_REFS:
        decoded = _odd_prefix_decoded(text)
        if decoded is not None:
            return decoded
    if (
        len(text) >= _NAME_SAMPLES_FROM
        and amps + semis <= _TOKENS_PER_PART * (min(amps, semis) + 1)
        and _sampled_parts_distinct(text)
    ):
        # Distinct named parts (the picks say so, without cutting the text into parts first): tokens.
        decoded = _tokens_decoded(text, folded)
        if decoded is not None:
            return decoded
    at_semis = semis < amps
    pieces = text.split(";" if at_semis else "&")
    outer = pieces.pop() if at_semis else pieces.pop(0)  # the text after the last ";" / before the first "&"
    # Distinct parts counted in every 8th part first (8 times that is at least their count unless parts
    # repeat with a period of 8: a cheap way to skip counting them all), then in all of them.
    numeric: list[int] = []
    sampled = len(set(pieces[::8])) * 8
    if plain_first and _plain_refs_pay(text, sampled, len(pieces), numeric):
        decoded = _plain_refs_decoded(text, walls)
        if decoded is not None:
            return decoded
        plain_first = False
    # Parts mostly distinct, and no flood of the other character: the text cut into tokens at once
    # costs less than the parts' tokens and a lookup per part (``_tokens_decoded``).
    if (
        2 * sampled >= len(pieces)
        and amps + semis <= _TOKENS_PER_PART * len(pieces)
        and _mostly_distinct(pieces)
    ):
        decoded = _tokens_decoded(text, folded)
        if decoded is not None:
            return decoded
    distinct = list(dict.fromkeys(pieces))
    if plain_first and _plain_refs_pay(text, len(distinct), len(pieces), numeric):
        decoded = _plain_refs_decoded(text, walls)
        if decoded is not None:
            return decoded
    if at_semis:
        table = _segment_decodings(distinct)
        return "".join(map(table.__getitem__, pieces)) + outer
    table = _part_decodings(distinct)
    return outer + "".join(map(table.__getitem__, pieces))


# Texts whose "&" and ";" alternate, an "&" first ("&name;tail&name;tail...": references with text
# between them that holds neither; a last "&" may have no ";" after it): every "&" but such a last one
# starts a reference, up to the ";" after it, and every other character is kept. Cut at both (the "&"
# made ";" by one ``replace``, one ``split``), the pieces are the text before the first "&", then in
# turn a reference's name and the text after it: each name is one lookup among the known ones, the
# others (numeric references, unknown names) resolved by ``_resolve_refs``, the distinct ones in text
# order (so the same first ``_MAX_ODD_REFS`` odd spellings decode as in the text), and the decoding is the
# pieces joined with each name replaced. Half the lookups of cutting into tokens, and no ``replace`` that grows the text. Tokens in
# the sense of ``_tokens_folded`` (values and ASCII text between them), so an ASCII text whose names are
# all known, with text between every two references, is folded the same way: the values' folds joined
# with the text between them.
_NAME_KEYS = {name[:-1]: value for name, value in _HTML5.items() if name.endswith(";")}
_NOT_REFERENCE_BYTES = bytes(byte for byte in range(256) if byte not in b"&;")  # deleted: "&" and ";" left
_ALTERNATING_FROM = 4096
_ALTERNATING_PROBES = 16  # "&" looked at first: more than one of them not a known name, not this path


def _alternating_decoded(text: str, folded: list[str] | None = None) -> str | None:
    """``_entity_decode_general(text)`` when its "&" and ";" alternate (see above); else None. Looked
    at only when all but one of
    ``_ALTERNATING_PROBES`` probes find a known name's reference within ``_LITERAL_WINDOW`` characters,
    more than ``_NAMED_REF_MAX`` distinct ones.
    ``folded``: as for ``_entity_decode``."""
    size, unknown, known = len(text), 0, set()
    for fraction in _PICK_FRACTIONS[:_ALTERNATING_PROBES]:
        start = int(fraction * size)
        amp = text.find("&", start, start + _LITERAL_WINDOW)  # (no "&" that close: not a wall)
        semi = text.find(";", amp + 1, amp + 2 + _MAX_ENTITY_KEY) if amp >= 0 else -1
        if semi >= 0 and text[amp + 1 : semi] in _NAME_KEYS:
            known.add(text[amp + 1 : semi])
        else:
            unknown += 1
            if unknown > 1:
                return None
    if len(known) <= _NAMED_REF_MAX:
        return None  # a few names: a ``replace`` each costs less (``_literals_decoded``, ``_named_refs_decoded``)
    data = text.encode("utf-8", "surrogatepass")
    marks = data.translate(None, _NOT_REFERENCE_BYTES)
    refs, cut_off = divmod(len(marks), 2)
    if not refs or marks[: 2 * refs] != b"&;" * refs or marks[2 * refs :] not in (b"", b"&"):
        return None
    pieces = text.replace("&", ";").split(";")
    rest = "&" + pieces.pop() if cut_off else ""  # after a last "&" without ";": kept
    names = pieces[1::2]
    try:
        # Usually every name is known (the probes found at most one that is not): one lookup each and no
        # count of misses; a miss raises, and the names are looked up again below, the misses counted.
        values = list(map(_NAME_KEYS.__getitem__, names))
        misses = 0
    except KeyError:
        # "" for the other names (no value is empty): counted faster than None (see ``_known_names_decoded``).
        values = list(map(_NAME_KEYS.get, names, repeat("")))
        misses = values.count("")
    if misses > _NAME_FEW_MISSES:
        # Many: each distinct missed name's reference resolved at once (in text order), then one lookup
        # per name, the known names keeping their values.
        missed = list(dict.fromkeys(compress(names, map(not_, values))))
        table = _resolve_refs(["&" + name + ";" for name in missed])
        resolved = {name: table["&" + name + ";"] for name in missed}
        values = list(map(resolved.get, names, values))
    elif misses:
        places = [values.index("")]
        while len(places) < misses:
            places.append(values.index("", places[-1] + 1))
        missed = ["&" + names[place] + ";" for place in places]
        table = _resolve_refs(list(dict.fromkeys(missed)))
        for place, ref in zip(places, missed, strict=True):
            values[place] = table[ref]
    pieces[1::2] = values  # the names replaced (``names`` keeps them)
    decoded = "".join(pieces) + rest
    # Text between every two references: the k-th ";" closes the k-th reference and the text after it up
    # to the next "&" is ``pieces[2 * k]`` (they alternate), so none of those but the last one's is empty
    # (a slice of every other piece and a truth test of each: ~half the cost of searching the text for
    # ";&" before its last ";"; helper-40).
    if folded is not None and not misses and len(data) == size and all(pieces[2:-1:2]):
        folds = _value_folds()
        if folds is not None:
            pieces[1::2] = map(folds.__getitem__, values)
            folded.append("".join(pieces) + rest)
    return decoded


# Walls of known names, many of them distinct ("&Aacute;&aacute;&Abreve;..."): cut at "&", each part
# that is exactly a known "name;" (its reference, nothing after it) is one dict lookup, without finding
# the distinct parts first; the other parts are decoded as ``_part_decodings`` decodes them (named
# references are looked up, never counted: the numeric ones among those parts are in text order as in
# the text's own distinct parts, so the same first ``_MAX_ODD_REFS`` odd spellings decode).
_NAME_PARTS = {name: value for name, value in _HTML5.items() if name.endswith(";")}
_NAME_SAMPLES = 32  # "&"-parts looked at in the text
_NAME_SAMPLES_KNOWN = 24  # of which at least this many must be known names
_NAME_SAMPLES_FROM = 4096  # shorter texts are not sampled
_NAME_FEW_MISSES = 64  # up to this many other parts: found by ``list.index``


def _mostly_known_names(text: str) -> bool:
    """Whether most of the "&"-parts (what follows an "&" up to the next one) found at
    ``_PICK_FRACTIONS`` of ``text`` are exactly a known name and its ";", more than ``_NAMED_REF_MAX``
    distinct ones among them (fewer: ``_named_refs_decoded`` may take it, a ``replace`` per name). Only
    picks the path."""
    known: list[str] = []
    size, misses = len(text), 0
    for fraction in _PICK_FRACTIONS[:_NAME_SAMPLES]:
        amp = text.find("&", int(fraction * size))
        after = text.find("&", amp + 1, amp + 2 + _MAX_ENTITY_KEY) if amp >= 0 else -1
        if after > 0 and text[amp + 1 : after] in _NAME_PARTS:
            known.append(text[amp + 1 : after])
        else:
            misses += 1
            if misses > _NAME_SAMPLES - _NAME_SAMPLES_KNOWN:
                return False  # too few known names left to find
    return len(set(known)) > _NAMED_REF_MAX


_DISTINCT_SAMPLES = 64


def _sampled_parts_distinct(text: str) -> bool:
    """Whether the "&"-parts found at ``_DISTINCT_SAMPLES`` of ``_PICK_FRACTIONS`` of ``text`` are all
    distinct and none starts with "#" (numeric references: other paths read them). Only picks the path."""
    parts = set()
    size = len(text)
    for fraction in _PICK_FRACTIONS[:_DISTINCT_SAMPLES]:
        amp = text.find("&", int(fraction * size))
        if amp < 0:
            return False
        after = text.find("&", amp + 1)
        part = text[amp + 1 : after if after > 0 else size]
        if part[:1] == "#" or part in parts:
            return False
        parts.add(part)
    return True


def _known_names_decoded(text: str) -> str:
    """``_entity_decode_general(text)`` with the parts that are exactly a known name looked up at once."""
    parts = text.split("&")
    outer = parts.pop(0)  # the text before the first "&"
    # "" for the other parts (no name's value is empty): counted and found faster than None (a str
    # compares unequal to it by its length).
    decoded = list(map(_NAME_PARTS.get, parts, repeat("")))
    misses = decoded.count("")
    if misses > _NAME_FEW_MISSES:
        table = _part_decodings(list(dict.fromkeys(compress(parts, map(not_, decoded)))))
        decoded = list(map(table.get, parts, decoded))
    elif misses:
        places = [decoded.index("")]
        while len(places) < misses:
            places.append(decoded.index("", places[-1] + 1))
        table = _part_decodings(list(dict.fromkeys(map(parts.__getitem__, places))))
        for place in places:
            decoded[place] = table[parts[place]]
    return outer + "".join(decoded)


# Numeric references in odd spellings past the first ``_MAX_ODD_REFS`` distinct ones are kept as they
# are (``_numeric_decodings``). So when nothing after the reference that completes the first
# ``_MAX_ODD_REFS`` distinct ones (the head's last) can decode, the text decodes to its head decoded
# and the rest kept: a wall of distinct odd spellings costs its first few hundred parts instead of a
# dozen C-level steps per part over 100 KB. What follows the head (the tail) starts at an "&", so its
# references are exactly the text's references after the head's, each "&" up to the first ";" with
# no other "&" between (the tokens of ``_decoded_tokens``); one of them decodes only when it is a known
# name (``_HTML5_REFS``), a numeric reference in plain digits, or one of the first ``_MAX_ODD_REFS``
# distinct odd spellings, all of which are in the head. Three searches over the tail rule these out
# (the names' Set, ``_PLAIN_REF_RE``, the head's odd spellings as literals: a reference holds a single
# ";" at its end and no "&" but its first character, so wherever such a literal occurs it is a
# reference; long ones are looked up among the tail's references instead). The head holds the same references as in the text and, among its numeric ones, the
# first ``_MAX_ODD_REFS`` distinct odd spellings exactly: its own decoding is the text's up to there.
# The head is looked for among the first this many "&"-pieces, then (not found) among four times as many.
_ODD_PREFIX_PIECES = _MAX_ODD_REFS + _MAX_ODD_REFS // 8
_PLAIN_STARTS = tuple("&#" + char for char in "0123456789xX")
_ODD_LOOK_CHARS, _ODD_LOOK_MIN = 2048, 16  # at least this many odd-looking "&#" in the text's start
_ODD_LITERAL_BYTES = 8 * 1024  # the odd spellings' UTF-8 up to which the tail is searched for them by a regex
# Each byte as a regex literal of itself under latin-1 options: ASCII letters and digits as they are (a
# shorter pattern compiles faster), others "\\xHH", the "&" that starts each reference after an "|".
_LITERAL_BYTES = tuple(
    "|\\x26" if byte == 0x26 else chr(byte) if chr(byte).isascii() and chr(byte).isalnum() else f"\\x{byte:02x}"
    for byte in range(256)
)
_BACKSLASH, _AMPERSAND = 0x5C, 0x26
_LITERAL_KEPT = frozenset(byte for byte, literal in enumerate(_LITERAL_BYTES) if literal == chr(byte))


def _byte_literals(data: bytes) -> str:
    """``data`` with each byte as in ``_LITERAL_BYTES``: one ``str.replace`` per distinct byte to escape
    (a few in a string of references), the backslash first and the "&" last, so that no replacement's
    own characters are replaced again (letters, digits, "\\" and "|": the "|" only comes with the last)."""
    text = data.decode("latin-1")
    escaped = set(data).difference(_LITERAL_KEPT)
    for byte in sorted(escaped, key=lambda byte: (byte != _BACKSLASH, byte == _AMPERSAND)):
        text = text.replace(chr(byte), _LITERAL_BYTES[byte])
    return text


def _odd_spellings(tokens: list[str]) -> list[str]:
    """The first ``_MAX_ODD_REFS`` distinct odd spellings among ``tokens`` (in order), filtered as
    ``_numeric_decodings`` filters the numeric references: ending with ";", at most ``_MAX_ENTITY_KEY``
    characters after the "&", not in plain digits."""
    numeric = list(compress(tokens, map(str.startswith, tokens, repeat("&#"))))
    numeric = list(compress(numeric, map(str.endswith, numeric, repeat(";"))))
    numeric = list(compress(numeric, map(le, map(len, numeric), repeat(_MAX_ENTITY_KEY + 1))))
    plain = set(_plain_digits(numeric, _DECIMAL_DIGITS, _DECIMAL_CHARS))
    marked = list(compress(numeric, map(contains, repeat("xX"), map(_HEX_MARK, numeric))))
    plain.update(_plain_digits(marked, _HEX_REF_DIGITS, _HEX_CHARS))
    odd = dict.fromkeys(itertools.filterfalse(plain.__contains__, numeric))
    return list(itertools.islice(odd, _MAX_ODD_REFS))


def _odd_prefix_decoded(text: str) -> str | None:
    """``_entity_decode_general(text)`` as its head decoded and its tail kept (see above); None when the
    first ``4 * _ODD_PREFIX_PIECES`` references hold fewer than ``_MAX_ODD_REFS`` distinct odd
    spellings or something in the tail may decode."""
    # A cheap look first: odd spellings mostly start with neither a digit nor "x"/"X" after the "&#".
    head = text[:_ODD_LOOK_CHARS]
    if head.count("&#") - sum(map(head.count, _PLAIN_STARTS)) < _ODD_LOOK_MIN:
        return None
    for count in (_ODD_PREFIX_PIECES, 4 * _ODD_PREFIX_PIECES):
        pieces = text.split("&", count)
        body = pieces[1:-1]  # each follows an "&" and holds none (the last piece may hold more "&")
        # Distinct references are in distinct pieces, numeric ones in pieces starting with "#".
        numeric = len(set(compress(body, map(str.startswith, body, repeat("#")))))
        if numeric < _MAX_ODD_REFS:
            if len(pieces) <= count or 2 * numeric < _MAX_ODD_REFS:
                return None  # no more pieces, or too few numeric ones among them to look further
            continue
        heads, seps, _ = zip(*map(str.partition, body, repeat(";")), strict=True)
        tokens = list(map(add, map(add, repeat("&"), heads), seps))  # each piece's reference, if any
        odd = _odd_spellings(tokens)
        if len(odd) == _MAX_ODD_REFS:
            break
        if len(pieces) <= count or 2 * len(odd) < _MAX_ODD_REFS:
            return None
    else:
        return None
    last = tokens.index(odd[-1])  # the first occurrence of the last of them: body[last], pieces[last + 1]
    cut = sum(map(len, pieces[: last + 2])) + last + 1  # the "&" that starts pieces[last + 2]
    tail = text[cut:].encode("utf-8", "surrogatepass")
    if _PLAIN_REF_RE.search(tail) is not None:
        return None
    search, present, refs = _named_finders()
    found = present.Match(tail)
    if found:
        if any(index != len(refs) for index in found):
            return None  # a known name
    elif search.search(tail) is not None:
        return None  # the Set ran out of memory
    spelled = "".join(odd).encode("utf-8", "surrogatepass")
    if len(spelled) <= _ODD_LITERAL_BYTES:
        # The odd spellings as one alternation of byte literals (``_LITERAL_BYTES``), an "|" before each
        # reference's "&" (its first byte and only "&"). Compiled without ``re2.compile``'s cache of 128
        # patterns: each text makes a new one, and a cached regex keeps its DFA states.
        literals = _byte_literals(spelled)[1:]
        if re2._Regexp(literals.encode("ascii"), latin1_options()).search(tail) is not None:
            return None
    else:
        # Long spellings (a regex of them costs more to build than this): the tail's own references,
        # cut as ``_tokens_decoded`` cuts them, looked up among them.
        rest = text[cut:]
        mark = next((char for char in _CUT_MARKERS if char not in rest), None)
        if mark is None:
            return None
        tokens = rest.replace(";", ";" + mark).replace("&", mark + "&").split(mark)
        if not set(odd).isdisjoint(tokens):
            return None
    return _entity_decode_general(text[:cut]) + text[cut:]


# Escapes, decoded by the C ``unicode_escape`` decoder once every backslash that starts no escape of
# ours is doubled. ASCII text is read as it is; other text in its ``unicode_escape`` form (ASCII, every
# backslash of the text doubled, every other escape in it made by the encoder), where replacing the
# doubled backslashes left to right finds exactly the text's own (every backslash starts one escape
# token, and only the doubled one holds two) and turns them into 0xFF, a byte that form never holds.
# The classes of the bytes after each of the text's backslashes tell which start an escape: hex digits
# and the letters "u", "x" and "U" are ASCII, so in either form they are the text's own characters.
# Classes: the text's backslash "B"; "0", "1", "u", "x", "U" themselves; "d"/"D" "D"; the other digits a
# surrogate's second one can be (8-9, a-f but d) "S"; other hex digits "h"; anything else "o".
def _escape_classes(backslash: int) -> bytes:
    return bytes(
        ord("B") if byte == backslash
        else byte if chr(byte) in "01uxU"
        else ord("D") if chr(byte) in "dD"
        else ord("S") if chr(byte) in "89abcefABCEF"
        else ord("h") if chr(byte) in _HEX_CHARS
        else ord("o")
        for byte in range(256)
    )  # fmt: skip


_ESCAPE_FINE_ASCII = _escape_classes(0x5C)
_ESCAPE_FINE_ESCAPED = _escape_classes(0xFF)
# Out of range or surrogates: "\\uD[8-F]..", "\\U" not "000....." or "0010....", "\\U0000D[8-F].." ("B"
# of those turned to "N" in the fine map; the coarse map reads every hex class as "h").
_ESCAPE_COARSE = bytes(
    ord("h") if chr(byte) in "01DSh" else byte if chr(byte) in "BNuxU" else ord("o") for byte in range(256)
)
# Marker map -> XOR mask: ASCII text: a backslash that starts no escape ("B" or "N" left) to 0x5C ^ 0xFF;
# escaped form: one that does ("M") to 0xFF ^ 0x5C. Either way the XOR leaves 0xFF at the backslashes to
# be doubled and a backslash at the escapes.
_ESCAPE_FLIP_ASCII = bytes(0x5C ^ 0xFF if byte in b"BN" else 0 for byte in range(256))
_ESCAPE_FLIP_ESCAPED = bytes(0xFF ^ 0x5C if byte == ord("M") else 0 for byte in range(256))


def _escape_decode_bytes(window: bytes) -> bytes:
    """``_escape_decode`` of an ASCII run of escapes, in UTF-8 (no surrogate: none is decoded)."""
    return _escape_decode(window.decode("ascii")).encode("utf-8")


def _escape_decode(text: str) -> str:
    """Every ``\\uXXXX``, ``\\xXX`` and ``\\UXXXXXXXX`` escape decoded (a code point, not a surrogate);
    every other backslash kept. All of them, however many, in C-level steps: a marker map made by
    ``bytes.translate`` and a few ``replace`` calls picks the backslashes that start an escape, one XOR
    marks the others to be doubled, and one ``unicode_escape`` decoding decodes all (see above)."""
    if "\\" not in text:
        return text
    if len(text) >= _PERIOD_FROM:
        periodic = _periodic_decoded(text, "\\", _escape_decode)
        if periodic is not None:
            return periodic
    if len(text) >= _FEW_ESCAPES_FROM:
        # (Long texts only, and the backslashes counted only when the samples are literals: most are not.)
        decoded = _literals_decoded(text, "\\", None, _escape_literal, _escape_decode)
        if decoded is not None:
            return decoded
    utf8 = b""
    if len(text) >= _MARKERS_SPLICED_FROM:
        try:
            utf8 = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (in-process only): the passes below
            utf8 = b""
        spliced = _markers_spliced(utf8, _ESCAPE_SEARCH, _escape_decode_bytes) if utf8 else None
        if spliced is not None:
            return spliced.decode("utf-8")
    ascii_text = text.isascii()
    if ascii_text:
        data = utf8 or text.encode("ascii")  # (an ASCII text's UTF-8, when encoded above)
        fine = data.translate(_ESCAPE_FINE_ASCII)
    else:
        data = text.encode("unicode_escape").replace(b"\\\\", b"\xff")
        fine = data.translate(_ESCAPE_FINE_ESCAPED)
    # Each pattern below holds a letter the fine map keeps from ``data`` ("D" from "d"/"D", "U", "x"):
    # a one-byte search of ``data`` (memchr) rules most of them out without a search of the pattern,
    # which costs ~1 us per KB when backslashes and "u" are everywhere.
    if (b"D" in data or b"d" in data) and b"BuD" in fine:
        fine = fine.replace(b"BuDS", b"NuDS").replace(b"BuDD", b"NuDD")
    long_escapes = b"U" in data and b"BU" in fine
    if long_escapes:
        fine = fine.replace(b"BU", b"NU").replace(b"NU000", b"BU000").replace(b"NU0010", b"BU0010")
        fine = fine.replace(b"BU0000DS", b"NU0000DS").replace(b"BU0000DD", b"NU0000DD")
    markers = fine.translate(_ESCAPE_COARSE).replace(b"Buhhhh", b"Muhhhh")
    if b"x" in data:
        markers = markers.replace(b"Bxhh", b"Mxhh")
    if long_escapes:
        markers = markers.replace(b"BUhhhhhhhh", b"MUhhhhhhhh")
    if b"M" not in markers:
        return text
    if b"B" not in markers and b"N" not in markers:
        # Every backslash starts an escape: nothing to double.
        return (data if ascii_text else data.replace(b"\xff", b"\\")).decode("unicode_escape")
    data = _xor(data, markers.translate(_ESCAPE_FLIP_ASCII if ascii_text else _ESCAPE_FLIP_ESCAPED))
    return data.replace(b"\xff", b"\\\\").decode("unicode_escape")




def _char_offset(data: bytes, byte_offset: int, start: tuple[int, int] = (0, 0)) -> int:
    """The character offset of ``byte_offset`` in the UTF-8 text ``data`` (a character boundary),
    counting on from ``start`` = (byte offset, its character offset): the non-continuation bytes."""
    return start[1] + len(data[start[0] : byte_offset].translate(None, CONTINUATION_BYTES))


def _marker_span(marker_re: re2._Regexp, text: str, data: bytes | None = None) -> tuple[int, int] | None:
    """(first marker's start, end of ``text``); ``data``: ``text`` in UTF-8 when the caller has it
    (searched instead of ``text``, which the regex wrapper would encode again)."""
    if data is None:
        first = marker_re.search(text)
        return None if first is None else (first.start(), len(text))
    found = marker_re.search(data)
    if found is None:
        return None
    # As many bytes as characters: ASCII, byte offsets are character offsets.
    return (found.start() if len(data) == len(text) else _char_offset(data, found.start())), len(text)


# Entity and escape decoding commute on an ASCII text when neither touches what decides the other
# (``entity_escape_commute``): a reference is decided by the text after its "&" up to the next "&", its
# first 34 characters (the first ";" among them ends its name), an escape by the 1 to 9 characters after
# its backslash. Found in the text's bytes (each regex's DFA tracks one "&" or a few backslashes):
# a backslash after an "&" before any ";" or "&" within the 34 characters after it, or an "&" among the
# characters that decide the escape a backslash could start.
_BACKSLASH_IN_REFERENCE_RE = re2.compile(r"&[^;&]{0,33}\\")
_AMP_IN_ESCAPE_RE = re2.compile(r"\\(?:u[^&]{0,3}|x[^&]?|U[^&]{0,7})?&")


def entity_escape_commute(text: str, entities: str, escapes: str) -> bool:
    """True when ``_entity_decode(escapes) == _escape_decode(entities)``, for ``entities`` =
    ``_entity_decode(text)`` and ``escapes`` = ``_escape_decode(text)`` (False: not known).

    All three ASCII; no reference's deciding characters (the text after its "&" up to the first of:
    the next "&", its first ";", 34 characters) hold a backslash, and no escape's (the letter after its
    backslash and the 4, 2 or 8 hex digits a "u", "x" or "U" takes; any backslash: the character after
    it) an "&"; no escape decoded to an "&" (escape decoding removes none: ``escapes`` holds as many as
    ``text``) and no reference to a backslash (no reference's name holds one: ``entities`` holds as many).
    Then the references and escapes that either decoder replaces in ``text`` are disjoint spans, each
    decided by characters the other decoder leaves as they are, in either order: both results are
    ``text`` with each of those spans replaced by the same characters."""
    if not (text.isascii() and entities.isascii() and escapes.isascii()):
        return False
    if escapes.count("&") != text.count("&") or entities.count("\\") != text.count("\\"):
        return False
    data = text.encode("ascii")
    return _BACKSLASH_IN_REFERENCE_RE.search(data) is None and _AMP_IN_ESCAPE_RE.search(data) is None


# For counting the markers of an ASCII text by the byte they decode to: "%" kept, hex digits 0-7 "l",
# 8-9 and a-f "H", anything else "o".
_PERCENT_HIGH_MASK = bytes(
    ord("%") if byte == ord("%") else ord("l") if chr(byte) in "01234567" else ord("H") if chr(byte) in _HEX_CHARS
    else ord("o")
    for byte in range(256)
)  # fmt: skip


def _percent_over(data: bytes, limit: int) -> bool:
    """True when ``_percent_decode`` of the ASCII text ``data`` surely has more than ``limit`` characters.
    Every "%" and two hex digits is a marker (``_percent_decode``), one byte after decoding, and the
    occurrences of "%hh" never overlap; every other byte of the text is an ASCII character of the result.
    A marker's byte below 0x80 is a character of its own; those above, read as UTF-8 (bad bytes replaced),
    make at least one character per 4 of them."""
    if len(data) <= limit:
        return False  # decoding never lengthens a text
    classes = data.translate(_PERCENT_HIGH_MASK)
    low = classes.count(b"%ll") + classes.count(b"%lH")
    high = classes.count(b"%Hl") + classes.count(b"%HH")
    return len(data) - 2 * low - 3 * high + high // 4 > limit


def _escape_decoded_min_len(text: str) -> int:
    """A lower bound on ``len(_escape_decode(text))``: each escape it decodes is one of the text's own
    ``\\u``, ``\\x`` or ``\\U`` (a backslash and the letter; escapes never overlap) with its 4, 2 or 8
    hex digits, and becomes one character (surrogates and code points past U+10FFFF are not decoded);
    every other character of the text stays one character."""
    return len(text) - 5 * text.count("\\u") - 3 * text.count("\\x") - 9 * text.count("\\U")


def decode_in_place(
    text: str, data: bytes | None = None, max_chars: Callable[[], int] | None = None, entities: bool = True
) -> Iterator[Decoded]:
    """Whole-text decodings whose markers occur in ``text``; ``data``: ``text`` in UTF-8, when the caller
    has it. ``max_chars``: the most characters a decoding may have for the caller to keep it, read when
    the generator gets to a decoding (the caller's budget, as it stands after the decodings yielded
    before): a URL or escape decoding that is surely longer is not made (the caller would drop it). ``entities``:
    False when the caller knows the entity decoding is one it has already (not made)."""
    if data is None and text.isascii():
        # The markers searched in the bytes: the regex wrapper would encode a str for each search and
        # count the characters up to the match (~75 us per 100 KB layer); in ASCII, bytes are characters.
        data = text.encode("ascii")
    if "%" in text and not (
        max_chars is not None and data is not None and len(data) == len(text) and _percent_over(data, max_chars())
    ):
        span = _marker_span(_PERCENT_RE, text, data)
        if span is not None:
            decoded, utf8 = _percent_decode_utf8(text, data)
            if decoded != text:
                yield Decoded("url", decoded, *span, utf8=utf8)
    if entities and "&" in text:
        span = _marker_span(_ENTITY_RE, text, data)
        if span is not None:
            # A long ASCII text decoded by tokens is folded by tokens too (see ``_tokens_folded``).
            ascii_text = data is not None and len(data) == len(text) >= _TOKEN_FOLD_FROM
            folded: list[str] | None = [] if ascii_text else None
            decoded = _entity_decode(text, folded)
            if decoded != text:
                yield Decoded("html_entities", decoded, *span, folded[0] if folded else None)
    if "=" in text:
        span = _marker_span(_QP_RE, text, data)
        if span is not None:
            # The decoding as text, bad bytes replaced. Any decoding is kept (like the URL one): requiring
            # printable text with letters let one noise marker that decodes to a byte that is no text
            # (thousands of ``=XX`` before an encoded attack) hide the attack, and an attack encoded twice
            # decodes first to markers only, with no letters.
            qp_text, utf8 = _qp_decode_utf8(text, data)
            if qp_text != text:
                yield Decoded("quoted_printable", qp_text, *span, utf8=utf8)
    if "\\" in text:
        if max_chars is not None:
            # The decoding is no longer than the text: only a text over the budget needs the bound.
            limit = max_chars()
            if len(text) > limit and _escape_decoded_min_len(text) > limit:
                return
        span = _marker_span(_ESCAPE_RE, text, data)
        if span is not None:
            decoded = _escape_decode(text)
            if decoded != text:
                yield Decoded("escapes", decoded, *span)


def _qp_decode(text: str) -> str:
    return _qp_decode_utf8(text)[0]


# The in-place decodings by kind: a regex for the places a text may hold one of its markers, the character every
# marker starts with, and the decoding itself (``decode_in_place``'s, for any piece of a text). ``layers`` reads a
# long decoded layer around the places in the text it was decoded from, when the layer is that text with those
# windows decoded (it checks so).
IN_PLACE_KINDS: dict[str, tuple[re2._Regexp, str, Callable[[str], str]]] = {
    "url": (_PERCENT_RE, "%", _percent_decode),
    "html_entities": (re2.compile(r"&[#A-Za-z]"), "&", _entity_decode),
    # ("=" and two hex digits either case, a line break or the text's end: what ``a2b_qp`` changes; not "==",
    # code's comparison, which it keeps)
    "quoted_printable": (re2.compile(r"=(?:[0-9A-Fa-f]{2}|[\r\n]|$)"), "=", _qp_decode),
    "escapes": (_ESCAPE_RE, "\\", _escape_decode),
}


def _blob_matches(text: str, data: bytes | None = None) -> Iterator[tuple[str, int, int]]:
    """(blob, start, end) for each ``_BLOB_RE`` match in ``text``; ``data``: ``text`` in UTF-8, when known.

    ASCII text is matched as bytes: byte offsets are character offsets, so the re2 wrapper's
    UTF-8 offset conversion (a scan over every matched byte) is not needed. Other text, when its
    UTF-8 is given, too: a blob is ASCII (as many characters as bytes), and the characters before it
    are counted from the previous blob on. Matches are found as ``finditer`` finds them (each search from
    the end of the last match; no match is empty), by the compiled pattern's own search, which returns
    the span without a match object (~2 us less per blob)."""
    ascii_text = text.isascii()
    if ascii_text or data is not None:
        raw = text.encode("ascii") if data is None else data
        search, size, position, last = _BLOB_SEARCH, len(raw), 0, (0, 0)
        while True:
            start_byte, end_byte = search(_UNANCHORED, raw, position, size)[0]
            if start_byte < 0:
                return
            position = end_byte
            if ascii_text:  # byte offsets are character offsets
                yield text[start_byte:end_byte], start_byte, end_byte
            else:
                start = _char_offset(raw, start_byte, last)
                last = (end_byte, start + end_byte - start_byte)
                yield raw[start_byte:end_byte].decode("ascii"), start, last[1]
    else:
        for match in _BLOB_RE.finditer(text):
            start, end = match.span()
            yield match.group(0), start, end


_BLOB_SEARCH = _BLOB_RE._regexp.Match  # (anchor, text, pos, endpos) -> spans, (-1, -1) for none
BlobCache = dict[str, tuple[str, str] | None]


# A layer's blobs are tried in text order, ``max_blobs`` of them (repeats counted: each is a lookup); when more
# follow, the long runs among those (``_LONG_BLOB_RE``: an attack phrase encoded is at least this long), up to
# ``max_blobs`` distinct ones more. In text order only, the first identifiers and paths of any technical text
# ("Content-Disposition", "multipart/related") used the budget before an encoded attack after them: 32 of 200
# held-out attacks in base64 after 6 KB of the standard library's docstrings were allowed, 93 after 30 KB.
# (A short encoded phrase after that many blob-shaped words is still not decoded.)
_LONG_BLOB_CHARS = 32
_LONG_BLOB_RE = re2.compile(
    rf"{_RUN}{{{_LONG_BLOB_CHARS},}}|(?:[0-9A-Fa-f]{{2}}[ :,]){{15,}}[0-9A-Fa-f]{{2}}|(?:[01]{{8}}[ :,]){{5,}}[01]{{8}}|"
    rf"{_decimal_run(15)}|{_morse_run(15)}|"
    # wrapped in short lines: two whole lines of the alphabet and more
    rf"(?m:^[ \t]*)(?:{_RUN}{{16,}}[ \t]*\r?\n[ \t]*){{2,}}{_RUN}{{4,}}"
)
_LONG_BLOB_SEARCH = _LONG_BLOB_RE._regexp.Match
_MAX_LONG_BLOB_HITS = 32  # long runs looked at per input, whatever their blobs (each ~3 us; the scan ~0.17 ms per 100 KB)


def _long_blobs(text: str, data: bytes | None, begin: int) -> Iterator[tuple[str, int, int]]:
    """(blob, start, end) of the ``_BLOB_RE`` matches that start where ``_LONG_BLOB_RE`` matches from character
    ``begin`` on, in text order, at most ``_MAX_LONG_BLOB_HITS`` (a blob wrapped over lines is found from its
    first line when that line is long, as MIME and PEM lines are); ``data``: ``text`` in UTF-8, when known."""
    ascii_text = text.isascii()
    if ascii_text:
        raw, position = (text.encode("ascii") if data is None else data), begin
    else:
        raw = text.encode("utf-8", "surrogatepass") if data is None else data
        position = len(text[:begin].encode("utf-8", "surrogatepass"))
    size, last = len(raw), (position, begin)
    for _ in range(_MAX_LONG_BLOB_HITS):
        start_byte, end_byte = _LONG_BLOB_SEARCH(_UNANCHORED, raw, position, size)[0]
        if start_byte < 0:
            return
        while raw[start_byte] in b" \t":  # (a wrapped blob's match starts with its first line's indent)
            start_byte += 1
        blob_start, blob_end = _BLOB_SEARCH(_ANCHOR_START, raw, start_byte, size)[0]
        position = max(end_byte, blob_end)
        if blob_start < 0:  # (cannot happen: a long run is a blob)
            continue
        start = blob_start if ascii_text else _char_offset(raw, blob_start, last)
        last = (blob_end, start + blob_end - blob_start)  # (a blob is ASCII: a byte per character)
        yield raw[blob_start:blob_end].decode("ascii"), start, last[1]


def decode_blobs(
    text: str,
    max_blobs: int,
    data: bytes | None = None,
    cache: BlobCache | None = None,
    long_blobs: bool = True,
) -> Iterator[Decoded]:
    """Decodings of base64/base32/hex blobs in ``text``: the first ``max_blobs`` blobs, then, when more follow
    and ``long_blobs``, up to ``max_blobs`` distinct long ones among those not tried yet, each once (see
    ``_LONG_BLOB_RE``); ``data``: ``text`` in UTF-8, when the caller has it.

    A blob repeated in ``text`` is decoded once (decoding is a pure function of the blob). ``cache``:
    blob -> its decoding, shared by the caller between texts (the layers of one input: a decoding
    that changes a few characters of a layer leaves most of its blobs as they were)."""
    decoded: BlobCache = {} if cache is None else cache

    def attempt(blob: str, start: int, end: int) -> Decoded | None:
        if blob in decoded:
            result = decoded[blob]
        else:
            result = decoded[blob] = (_decode_short_blob if len(blob) <= _SHORT_BLOB_CHARS else _decode_blob)(blob)
        return None if result is None else Decoded(result[0], result[1], start, end)

    rest = None  # where the blobs not tried in text order start
    tried: set[str] = set()
    for walked, (blob, start, end) in enumerate(_blob_matches(text, data)):
        if walked >= max_blobs:
            rest = start
            break
        tried.add(blob)
        found = attempt(blob, start, end)
        if found is not None:
            yield found
    if rest is None or not long_blobs:
        return
    budget = len(tried) + max_blobs
    for blob, start, end in _long_blobs(text, data, rest):
        if blob in tried:
            continue  # (a repeat decodes as before: nothing new to scan)
        if len(tried) >= budget:
            return
        tried.add(blob)
        found = attempt(blob, start, end)
        if found is not None:
            yield found


# What a blob of digits and separators reads as in decimal character codes, when mostly letters and spaces:
# otherwise it is read as the other encodings are ("41 42 43 44 45 46 47 48" is hex for "ABCDEFGH").
_DECIMAL_SEPARATORS = b" ,\t"
_DECIMAL_BYTE = {str(code).encode("ascii"): code for code in range(32, 127)}  # a code's digits -> its byte
_WORD_BYTES = bytes(range(ord("a"), ord("z") + 1)) + bytes(range(ord("A"), ord("Z") + 1)) + b" "
_DECIMAL_PREFIX = 64  # codes judged before the rest of a blob is split


def _decimal_bytes(numbers: list[bytes], wordy: bool = True) -> bytes | None:
    """The bytes ``numbers`` (each a code's digits) stand for, when every one is a printable character's code and
    (``wordy``) three quarters are letters and spaces (C-level: a dict lookup per code, one deletion pass)."""
    try:
        raw = bytes(map(_DECIMAL_BYTE.__getitem__, numbers))
    except KeyError:
        return None
    if wordy and 4 * (len(raw) - len(raw.translate(None, _WORD_BYTES))) < 3 * len(raw):
        return None
    return raw


def _decimal_codes(blob: str) -> str | None:
    """The text ``blob`` spells in decimal character codes (each 32-126), when three quarters of it are letters
    and spaces; else None."""
    data = blob.encode("ascii")
    if data.translate(None, b"0123456789" + _DECIMAL_SEPARATORS) or not data.translate(None, b"0123456789"):
        return None
    # (the first codes first: a blob of 8-bit groups is told apart there, before 100 KB is split; the share of letters
    # is the whole blob's: a text may open with digits and punctuation)
    if len(data) > 4 * _DECIMAL_PREFIX:
        head = data[: 4 * _DECIMAL_PREFIX].replace(b",", b" ").split()[:-1]  # (the last may be cut)
        if _decimal_bytes(head, wordy=False) is None:
            return None
    raw = _decimal_bytes(data.replace(b",", b" ").split())
    return None if raw is None else as_text(raw)


_MORSE = dict(
    zip(
        ".- -... -.-. -.. . ..-. --. .... .. .--- -.- .-.. -- -. --- .--. --.- .-. ... - ..- ...- .-- -..- -.-- --.. "
        "----- .---- ..--- ...-- ....- ..... -.... --... ---.. ----. .-.-.- --..-- ..--.. -.-.-- -..-. ---... .----. "
        "-....-".split(),
        "abcdefghijklmnopqrstuvwxyz0123456789.,?!/:'-",
        strict=True,
    )
)


_MORSE_OR_SPACE = {**_MORSE, "/": " "}
_NOT_MORSE = str.maketrans("", "", ".-/ \t")


def _morse(blob: str) -> str | None:
    """The text ``blob`` spells in Morse code (letters apart by spaces, words by "/"), when every letter is one
    (C-level: one split, a dict lookup per letter, one join)."""
    if blob.translate(_NOT_MORSE):
        return None
    try:
        letters = "".join(map(_MORSE_OR_SPACE.__getitem__, blob.replace("/", " / ").split()))
    except KeyError:
        return None
    return as_text(letters.encode("ascii"))


def _base64_words(blob: str) -> str | None:
    """The words ``blob``'s tokens each decode to in base64, apart by spaces, when every token is one (at least
    four characters with its padding) and all of them together are text; else None."""
    words = []
    for token in blob.split():
        token += "=" * (-len(token) % 4)
        if len(token) < 4:
            return None
        try:
            words.append(_base64_strict(token))
        except (ValueError, binascii.Error):
            return None
    return as_text(b" ".join(words))


def decode_base64_words(text: str) -> Iterator[Decoded]:
    """Decodings of runs of words each in base64 on its own in ``text`` (``_B64_WORDS_RE``), the first
    ``_MAX_BASE64_WORD_RUNS`` of them, each run whose every token decodes."""
    for number, match in enumerate(_B64_WORDS_RE.finditer(text)):
        if number >= _MAX_BASE64_WORD_RUNS:
            return
        words = _base64_words(match.group(0))
        if words is not None:
            yield Decoded("base64_words", words, match.start(), match.end())


def _decode_blob(blob: str) -> tuple[str, str] | None:
    """(kind, text) of ``blob``'s decoding, or None."""
    decimal = _decimal_codes(blob)
    if decimal is not None:
        return "decimal", decimal
    if blob[:1] in ".-" and "." in blob:
        # (a run of dots and dashes is no other encoding's: "." is in none of their alphabets)
        morse = _morse(blob)
        return None if morse is None else ("morse", morse)
    compact = _compact(blob)
    result = _decode_compact(compact, separated=len(compact) != len(blob))
    if result is None:
        # rot13 keeps the base64 alphabet: base64(rot13(base64(...))) shows up as a blob that
        # only decodes once un-rotated. (rot13 leaves the separators as they are, so the rotated
        # blob's compact form is the compact form rotated.)
        rotated = _decode_compact(compact.translate(ROT13_BYTES), embedded=False)
        result = None if rotated is None else (f"rot13/{rotated[0]}", rotated[1])
    return result


# Short blobs across inputs: identifiers ("__getattribute__", "IncrementalDecoder"), table borders and
# tokens recur from text to text, and each costs 4-16 us to try (decoding is a pure function of the
# blob). Of the blobs in 300 new 2 KB docstring chunks, 56 % were seen in the 500 before. Bounded: the
# most recent ``_SHORT_BLOB_ENTRIES`` blobs of at most ``_SHORT_BLOB_CHARS`` characters (and their
# decodings, shorter); ``functools.lru_cache`` is safe to share between threads.
_SHORT_BLOB_CHARS = 256
_SHORT_BLOB_ENTRIES = 4096
_decode_short_blob = functools.lru_cache(maxsize=_SHORT_BLOB_ENTRIES)(_decode_blob)


def has_candidates(text: str) -> bool:
    """Cheap pre-check: could anything in ``text`` be decoded at all?"""
    return (
        _BLOB_RE.search(text) is not None
        or ("%" in text and _PERCENT_RE.search(text) is not None)
        or ("&" in text and _ENTITY_RE.search(text) is not None)
        or ("=" in text and _QP_RE.search(text) is not None)
        or ("\\" in text and _ESCAPE_RE.search(text) is not None)
    )


def warm_up() -> None:
    """Builds the matchers this module otherwise builds on first use (a server calls it at start-up)."""
    _named_finders()
    _plain_counts()
    _value_folds()
