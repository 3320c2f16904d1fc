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
import html.entities
import itertools

# The C decoder of Python's bytes-literal escapes (``codecs`` re-exports it, undocumented).
from _codecs import escape_decode
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import repeat
from operator import add, itemgetter
from typing import cast

import re2

from services.validator.ciphers import ROT13_TABLE
from services.validator.normalize import latin1_options

# Separated hex pairs ("69 67 6e ..."), separated 8-bit groups ("01101001 01100111 ..."), or one run of the
# base64/base32/hex/binary alphabets.
_BLOB_RE = re2.compile(
    r"(?:[0-9A-Fa-f]{2}[ :,]){7,}[0-9A-Fa-f]{2}|(?:[01]{8}[ :,]){3,}[01]{8}|[A-Za-z0-9+/_\-]{16,}={0,6}"
)
_PERCENT_RE = re2.compile(r"%[0-9A-Fa-f]{2}")
_ENTITY_RE = re2.compile(r"&#[xX]([0-9A-Fa-f]{1,6});?|&#([0-9]{1,7});?|&([A-Za-z][A-Za-z0-9]{1,31};?)")
_QP_RE = re2.compile(r"=[0-9A-F]{2}")
_ESCAPE_RE = re2.compile(r"\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})|\\U([0-9A-Fa-f]{8})")
_LETTERS_RE = re2.compile(r"[A-Za-z]{3}|\pL{2}")
_MAX_MARKERS = 4096
_HTML5 = html.entities.html5


@dataclass(frozen=True)
class Decoded:
    """Text revealed by one decoding, with the encoded region's span in the parent text."""

    kind: str
    text: str
    start: int
    end: int


def _printable(text: str) -> bool:
    """Printable, line breaks and tabs allowed."""
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ").isprintable()


def as_text(data: bytes) -> str | None:
    """Printable UTF-8 text with letters in it, else None (binary is not a payload)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not _printable(text):
        return None
    return text if _LETTERS_RE.search(text) is not None else None


_HEX_DIGITS = b"0123456789abcdefABCDEF"
_ROT13_BYTES = bytes(ord(chr(code).translate(ROT13_TABLE)) for code in range(128)) + bytes(range(128, 256))
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


def _only(data: bytes, alphabet: bytes) -> bool:
    """``data`` is not empty and every byte is in ``alphabet`` (C-speed: ``str.strip(chars)`` is not)."""
    return bool(data) and not data.translate(None, alphabet)


def _blob_decoders(compact: str, data: bytes) -> Iterator[tuple[str, str, Callable[[str], bytes], int]]:
    """(kind, source, decode, unit) for each encoding ``compact`` may be, in the order they are tried;
    ``unit``: the characters that decode on their own (a prefix of whole units decodes to a prefix).
    ``compact`` is ASCII (``_BLOB_RE`` matches only ASCII); ``data`` is its encoding."""
    if len(data) % 8 == 0 and _only(data, b"01"):
        yield "binary", compact, lambda bits: int(bits, 2).to_bytes(len(bits) // 8, "big"), 8
    if len(data) % 2 == 0 and _only(data, _HEX_DIGITS):
        yield "hex", compact, bytes.fromhex, 2
    body = compact.rstrip("=")
    if _only(data.rstrip(b"="), _BASE32_ALPHABET):
        yield "base32", body + "=" * (-len(body) % 8), base64.b32decode, 8
    standard = body.replace("-", "+").replace("_", "/")
    kind = "base64url" if "-" in body or "_" in body else "base64"
    yield kind, standard + "=" * (-len(standard) % 4), lambda text: base64.b64decode(text, validate=True), 4


_BLOB_SEPARATORS = b" :,"


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
# (kind, a character outside its alphabet, characters per whole unit, decode), narrowest alphabet first.
_EMBEDDED_DECODERS: tuple[tuple[str, re2._Regexp, int, Callable[[bytes], bytes]], ...] = (
    ("binary", re2.compile(rb"[^01]"), 8, lambda bits: int(bits, 2).to_bytes(len(bits) // 8, "big")),
    ("hex", re2.compile(rb"[^0-9A-Fa-f]"), 2, binascii.unhexlify),
    ("base32", re2.compile(rb"[^A-Z2-7]"), 8, lambda text: base64.b32decode(text)),
    ("base64", re2.compile(rb"[^A-Za-z0-9+/_\-]"), 4, lambda text: binascii.a2b_base64(text.translate(_URLSAFE_TO_STANDARD))),
)
# Runs of a narrower alphabet long enough to hold ``_EMBEDDED_MIN_BYTES`` (a blob in the base64 alphabet
# may hold a binary, hex or base32 one glued to other characters): 8, 2 and 1.6 characters per byte.
_NARROW_RUNS_RE = re2.compile(
    rb"[01]{%d,}|[0-9A-Fa-f]{%d,}|[A-Z2-7]{%d,}"
    % (8 * _EMBEDDED_MIN_BYTES, 2 * _EMBEDDED_MIN_BYTES, -(-8 * _EMBEDDED_MIN_BYTES // 5))
)
_EMBEDDED_MAX_NARROW_RUNS = 4


def _embedded_text(raw: bytes) -> str | None:
    """The runs of printable UTF-8 text in ``raw`` (at most ``_EMBEDDED_MAX_RUNS``), one per line."""
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
    if reading[0] == "base64":
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


def _percent_escapes(data: bytes) -> bytes:
    """``data`` with every ``%XX`` decoded, given that every "%" in it starts one: as ``\\xHH`` escapes
    (backslashes doubled first, so nothing else is an escape), one C-level call decodes them all."""
    return cast(bytes, escape_decode(data.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0])


def _percent_decode(text: str) -> str:
    """Every ``%XX`` decoded (on the UTF-8 bytes: "%" is never part of a multi-byte character); any other
    "%" kept. All markers, however many (an attack URL-encoded after thousands of noise markers is
    decoded too), in C-level steps. With stray "%" about, each marker's "%" is first turned into 0xFF,
    a byte UTF-8 never holds (one XOR of the text with a mask made from the marker map), and only those
    become escapes."""
    data = text.encode("utf-8", "surrogatepass")
    if b"%" in data:
        markers = data.translate(_PERCENT_MASK).replace(b"%hh", b"Ghh")
        if b"%" in markers:
            flips = markers.translate(_MARKER_FLIP)
            data = (int.from_bytes(data, "big") ^ int.from_bytes(flips, "big")).to_bytes(len(data), "big")
            data = cast(bytes, escape_decode(data.replace(b"\\", b"\\\\").replace(b"\xff", b"\\x"))[0])
        else:
            data = _percent_escapes(data)
    return data.decode("utf-8", errors="replace")


# Marker map -> XOR mask: a marker's "%" (now "G") to 0x25 ^ 0xFF (so the XOR makes it 0xFF), all else 0.
_MARKER_FLIP = bytes(0x25 ^ 0xFF if byte == ord("G") else 0 for byte in range(256))


# "name;" -> what "&name;" decodes to ("&name;" itself when it is not a character reference).
_ENTITY_CACHE: dict[str, str] = {}
_ENTITY_CACHE_MAX = 8192
_MAX_ENTITY_KEY = 34  # name of at most 33 characters, plus the ";"


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


def _replacements(keys: list[str]) -> Iterator[str]:
    """What ``"&" + key`` decodes to, for each key (each distinct key resolved once)."""
    cache = _ENTITY_CACHE
    overflow: dict[str, str] = {}  # resolved heads the bounded cache has no room for
    for key in set(keys).difference(cache):
        replacement = _resolve_entity(key)
        if len(key) <= _MAX_ENTITY_KEY and len(cache) < _ENTITY_CACHE_MAX:
            cache[key] = replacement
        else:
            overflow[key] = replacement
    # Every key is in the cache or the overflow table, so every lookup finds a string.
    found = map(cache.get, keys) if not overflow else map(overflow.get, keys, map(cache.get, keys))
    return cast(Iterator[str], found)


def _entity_decode(text: str) -> str:
    """HTML character references decoded in one pass, without a Python-level loop per reference.

    The text is split at "&" (at most ``_MAX_MARKERS`` times); each part is cut at its first ";"
    and the head looked up in a table of distinct heads, resolved once each. Every step over the
    parts is a C-level ``map``, so an entity wall costs a few machine operations per reference.
    When every part but the last is exactly one reference ("#73;" ... : an entity wall, checked
    with two counts), the parts are the keys themselves and need no cutting.
    """
    parts = text.split("&", _MAX_MARKERS)
    if len(parts) == 1:
        return text
    middle = parts[1:-1]
    if middle:
        joined = "&".join(middle) + "&"
        if joined.count(";") == len(middle) == joined.count(";&"):
            # Each middle part holds one ";", at its end: part == head + ";", empty tail.
            return parts[0] + "".join(_replacements(middle)) + _entity_decode_parts(parts[-1:])
    return parts[0] + _entity_decode_parts(parts[1:])


def _entity_decode_parts(parts: list[str]) -> str:
    """The decoding of ``"&" + "&".join(parts)`` when every part starts a reference."""
    heads, seps, tails = zip(*map(str.partition, parts, repeat(";")), strict=True)
    return "".join(map(add, _replacements(list(map(add, heads, seps))), tails))


_ESCAPE_WIDTH = {"u": 4, "x": 2, "U": 8}
# What decides a part's decoding: the letter and up to 8 digits ("U" + 8 hex digits).
_ESCAPE_HEAD = 9
_HEAD_ESCAPE = itemgetter(slice(0, _ESCAPE_HEAD))
_AFTER_ESCAPE = itemgetter(slice(_ESCAPE_HEAD, None))
# Part head -> its decoding (see ``_escape_head``); bounded like the entity cache.
_ESCAPE_CACHE: dict[str, str] = {}
_ESCAPE_CACHE_MAX = 8192


def _escape_head(head: str) -> str:
    """What ``"\\" + head`` decodes to, ``head`` being at most the first ``_ESCAPE_HEAD`` characters
    after a backslash: the escaped character then the rest of ``head``, or ``head`` kept as it was."""
    width = _ESCAPE_WIDTH.get(head[:1], 0)
    digits = head[1 : 1 + width]
    if width and len(digits) == width and not digits.strip(_HEX_CHARS):
        code = int(digits, 16)
        if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code) + head[1 + width :]
    return "\\" + head


def _escape_heads(heads: list[str]) -> Iterator[str]:
    """``_escape_head`` of each head, each distinct head computed once (C-level lookups after that)."""
    cache = _ESCAPE_CACHE
    overflow: dict[str, str] = {}
    for head in set(heads).difference(cache):
        if len(cache) < _ESCAPE_CACHE_MAX:
            cache[head] = _escape_head(head)
        else:
            overflow[head] = _escape_head(head)
    found = map(cache.get, heads) if not overflow else map(overflow.get, heads, map(cache.get, heads))
    return cast(Iterator[str], found)


def _escape_decode(text: str) -> str:
    """``\\uXXXX``, ``\\xXX`` and ``\\UXXXXXXXX`` escapes decoded (str.split based).

    A part after a backslash decodes as its first ``_ESCAPE_HEAD`` characters do (the escape is at most
    that long), followed by the rest as it is: the heads are looked up in a table of distinct heads, and
    every step over the parts is a C-level ``map`` (an escape wall has few distinct escapes). In a wall,
    every part but the last is no longer than a head: those are looked up whole, with no cutting."""
    parts = text.split("\\", _MAX_MARKERS)
    if len(parts) == 1:
        return text
    middle, last = parts[1:-1], parts[-1]
    if max(map(len, middle), default=0) <= _ESCAPE_HEAD:
        whole = [*middle, last[:_ESCAPE_HEAD]]
        return parts[0] + "".join(_escape_heads(whole)) + last[_ESCAPE_HEAD:]
    rest = parts[1:]
    heads = _escape_heads(list(map(_HEAD_ESCAPE, rest)))
    return parts[0] + "".join(map(add, heads, map(_AFTER_ESCAPE, rest)))


_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))


def _char_offset(data: bytes, byte_offset: int, start: tuple[int, int] = (0, 0)) -> int:
    """The character offset of ``byte_offset`` in the UTF-8 text ``data`` (a character boundary),
    counting on from ``start`` = (byte offset, its character offset): the non-continuation bytes."""
    return start[1] + len(data[start[0] : byte_offset].translate(None, _CONTINUATION_BYTES))


def _marker_span(marker_re: re2._Regexp, text: str, data: bytes | None = None) -> tuple[int, int] | None:
    """(first marker's start, end of ``text``); ``data``: ``text`` in UTF-8 when the caller has it
    (searched instead of ``text``, which the regex wrapper would encode again)."""
    if data is None:
        first = marker_re.search(text)
        return None if first is None else (first.start(), len(text))
    found = marker_re.search(data)
    return None if found is None else (_char_offset(data, found.start()), len(text))


def decode_in_place(text: str, skip: str = "", data: bytes | None = None) -> Iterator[Decoded]:
    """Whole-text decodings whose markers occur in ``text`` (except the kind named ``skip``);
    ``data``: ``text`` in UTF-8, when the caller has it."""
    if "%" in text and skip != "url":
        span = _marker_span(_PERCENT_RE, text, data)
        if span is not None:
            decoded = _percent_decode(text)
            if decoded != text:
                yield Decoded("url", decoded, *span)
    if "&" in text and skip != "html_entities":
        span = _marker_span(_ENTITY_RE, text, data)
        if span is not None:
            decoded = _entity_decode(text)
            if decoded != text:
                yield Decoded("html_entities", decoded, *span)
    if "=" in text and skip != "quoted_printable":
        span = _marker_span(_QP_RE, text, data)
        if span is not None:
            qp_text = as_text(binascii.a2b_qp(text.encode("utf-8", "surrogatepass")))
            if qp_text is not None and qp_text != text:
                yield Decoded("quoted_printable", qp_text, *span)
    if "\\" in text and skip != "escapes":
        span = _marker_span(_ESCAPE_RE, text, data)
        if span is not None:
            decoded = _escape_decode(text)
            if decoded != text:
                yield Decoded("escapes", decoded, *span)


def _blob_matches(text: str, data: bytes | None = None) -> Iterator[tuple[str, int, int]]:
    """(blob, start, end) for each ``_BLOB_RE`` match in ``text``; ``data``: ``text`` in UTF-8, when known.

    ASCII text is matched as bytes: byte offsets are character offsets, so the re2 wrapper's
    UTF-8 offset conversion (a scan over every matched byte) is not needed. Other text, when its
    UTF-8 is given, too: a blob is ASCII (as many characters as bytes), and the characters before it
    are counted from the previous blob on."""
    if text.isascii():
        for match in _BLOB_RE.finditer(text.encode("ascii")):
            start, end = match.span()
            yield match.group(0).decode("ascii"), start, end
    elif data is not None:
        last = (0, 0)
        for match in _BLOB_RE.finditer(data):
            start_byte, end_byte = match.span()
            start = _char_offset(data, start_byte, last)
            last = (end_byte, start + end_byte - start_byte)
            yield match.group(0).decode("ascii"), start, last[1]
    else:
        for match in _BLOB_RE.finditer(text):
            start, end = match.span()
            yield match.group(0), start, end


def decode_blobs(text: str, max_blobs: int, data: bytes | None = None) -> Iterator[Decoded]:
    """Decodings of base64/base32/hex blobs in ``text`` (at most ``max_blobs`` tried); ``data``:
    ``text`` in UTF-8, when the caller has it.

    A blob repeated in ``text`` is decoded once (decoding is a pure function of the blob)."""
    decoded: dict[str, tuple[str, str] | None] = {}
    for tried, (blob, start, end) in enumerate(_blob_matches(text, data)):
        if tried >= max_blobs:
            return
        if blob in decoded:
            result = decoded[blob]
        else:
            compact = _compact(blob)
            result = _decode_compact(compact, separated=len(compact) != len(blob))
            if result is None:
                # rot13 keeps the base64 alphabet: base64(rot13(base64(...))) shows up as a blob that
                # only decodes once un-rotated. (rot13 leaves the separators as they are, so the rotated
                # blob's compact form is the compact form rotated.)
                rotated = _decode_compact(compact.translate(_ROT13_BYTES), embedded=False)
                result = None if rotated is None else (f"rot13/{rotated[0]}", rotated[1])
            decoded[blob] = result
        if result is not None:
            yield Decoded(result[0], result[1], start, end)


def has_candidates(text: str) -> bool:
    """Cheap pre-check: could anything in ``text`` be decoded at all?"""
    return (
        _BLOB_RE.search(text) is not None
        or ("%" in text and _PERCENT_RE.search(text) is not None)
        or ("&" in text and _ENTITY_RE.search(text) is not None)
        or ("=" in text and _QP_RE.search(text) is not None)
        or ("\\" in text and _ESCAPE_RE.search(text) is not None)
    )
