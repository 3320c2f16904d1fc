"""Chunked AEAD stream: AES-256-GCM over fixed-size segments.

Layout of an encrypted payload::

    header (83 bytes) || segment_0 || segment_1 || ... || segment_last

    header    = MAGIC (8) || segment_size (u32 BE) || salt (32) || nonce_prefix (7) || commitment (32)
    segment_i = AES-256-GCM(stream_key, nonce_i, plaintext_i, aad=header) -> ciphertext || tag (16)
    nonce_i   = nonce_prefix (7) || i (u32 BE) || last flag (1: 0x01 on the final segment, else 0x00)

``stream_key || commitment = HKDF-SHA256(data_key, salt, info=SUITE || context)``, where ``context`` binds
the stream to its tenant, model and version. Every segment authenticates the whole header, so a header
edit fails every segment; the index in the nonce makes reordering and swapping fail; the last flag makes
truncation at a segment boundary fail; and the commitment, checked before any segment is decrypted,
binds the ciphertext to exactly one data key (AES-GCM alone is not key-committing).

Both ends are push-based: the writer takes plaintext in any chunk sizes and returns whole ciphertext
pieces, the reader takes ciphertext in any chunk sizes and returns verified plaintext segments. Neither
ever holds more than about two segments, so a payload of any size streams in bounded memory.
"""

from __future__ import annotations

import hmac
import os
import struct
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CIPHER_SUITE = "AES-256-GCM-HKDF-SHA256-STREAM-1MiB"
MAGIC = b"AISECV\x01\x00"
DEFAULT_SEGMENT_SIZE = 1024 * 1024
SALT_SIZE = 32
NONCE_PREFIX_SIZE = 7
COMMITMENT_SIZE = 32
TAG_SIZE = 16
DATA_KEY_SIZE = 32
HEADER_SIZE = len(MAGIC) + 4 + SALT_SIZE + NONCE_PREFIX_SIZE + COMMITMENT_SIZE
MAX_SEGMENTS = 2**32 - 1
_HKDF_INFO = b"aisec-vault " + CIPHER_SUITE.encode()


class IntegrityError(Exception):
    """The ciphertext was altered, truncated, reordered or belongs to another key or context."""


def encode_context(context: Mapping[str, str]) -> bytes:
    """Unambiguous encoding of the binding context (length-prefixed, keys sorted)."""
    out = bytearray()
    for key in sorted(context):
        for part in (key.encode(), context[key].encode()):
            out += struct.pack(">I", len(part)) + part
    return bytes(out)


def _derive(data_key: bytes, salt: bytes, context: Mapping[str, str]) -> tuple[bytes, bytes]:
    if len(data_key) != DATA_KEY_SIZE:
        raise ValueError("data key must be 32 bytes")
    okm = HKDF(
        algorithm=hashes.SHA256(),
        length=DATA_KEY_SIZE + COMMITMENT_SIZE,
        salt=salt,
        info=_HKDF_INFO + encode_context(context),
    ).derive(data_key)
    return okm[:DATA_KEY_SIZE], okm[DATA_KEY_SIZE:]


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    if index > MAX_SEGMENTS:
        raise ValueError("stream too long")
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def ciphertext_size(plaintext_size: int, segment_size: int = DEFAULT_SEGMENT_SIZE) -> int:
    """Exact encrypted size of a payload (an empty payload still has one empty final segment)."""
    segments = max(1, -(-plaintext_size // segment_size))
    return HEADER_SIZE + plaintext_size + segments * TAG_SIZE


class ChunkedAeadWriter:
    """Encrypts a plaintext stream segment by segment.

    ``update`` returns the ciphertext that is ready (the header first); ``finalize`` returns the final
    segment. A full segment is held back until more input arrives, because only then is it known
    whether it is the last one.
    """

    def __init__(
        self, data_key: bytes, context: Mapping[str, str], segment_size: int = DEFAULT_SEGMENT_SIZE
    ) -> None:
        if segment_size <= 0:
            raise ValueError("segment_size must be positive")
        self.segment_size = segment_size
        salt = os.urandom(SALT_SIZE)
        self._nonce_prefix = os.urandom(NONCE_PREFIX_SIZE)
        stream_key, commitment = _derive(data_key, salt, context)
        self._aead = AESGCM(stream_key)
        self.header = MAGIC + struct.pack(">I", segment_size) + salt + self._nonce_prefix + commitment
        self._header_sent = False
        self._buffer = bytearray()
        self._index = 0
        self._finalized = False
        self.plaintext_size = 0

    @property
    def segment_count(self) -> int:
        """Segments emitted so far (all of them after ``finalize``)."""
        return self._index

    def _seal(self, plaintext: bytes | bytearray | memoryview, last: bool) -> bytes:
        sealed = self._aead.encrypt(_nonce(self._nonce_prefix, self._index, last), plaintext, self.header)
        self._index += 1
        return sealed

    def update(self, data: bytes | bytearray | memoryview) -> list[bytes]:
        if self._finalized:
            raise ValueError("writer already finalized")
        out: list[bytes] = []
        if not self._header_sent:
            out.append(self.header)
            self._header_sent = True
        self.plaintext_size += len(data)
        size = self.segment_size
        view = memoryview(data).cast("B")
        while len(view):
            # A full pending segment is sealed as non-final only now that more input has arrived.
            if len(self._buffer) == size:
                out.append(self._seal(self._buffer, last=False))
                self._buffer = bytearray()
            if not self._buffer and len(view) > size:
                out.append(self._seal(view[:size], last=False))  # no copy for whole segments
                view = view[size:]
                continue
            take = min(size - len(self._buffer), len(view))
            self._buffer += view[:take]
            view = view[take:]
        return out

    def finalize(self) -> list[bytes]:
        if self._finalized:
            raise ValueError("writer already finalized")
        out: list[bytes] = []
        if not self._header_sent:
            out.append(self.header)
            self._header_sent = True
        out.append(self._seal(self._buffer, last=True))
        self._buffer = bytearray()
        self._finalized = True
        return out


class ChunkedAeadReader:
    """Decrypts and verifies a ciphertext stream made by ``ChunkedAeadWriter``.

    ``feed`` returns plaintext segments whose tags verified; ``finish`` verifies and returns the final
    one. Nothing from a segment is returned before its tag is checked. Raises ``IntegrityError``.
    """

    def __init__(self, data_key: bytes, context: Mapping[str, str]) -> None:
        self._data_key = data_key
        self._context = dict(context)
        self._buffer = bytearray()
        self._aead: AESGCM | None = None
        self._header = b""
        self._nonce_prefix = b""
        self.segment_size = 0
        self._index = 0
        self._finished = False
        self.plaintext_size = 0

    @property
    def segment_count(self) -> int:
        return self._index

    def _parse_header(self) -> None:
        header = bytes(self._buffer[:HEADER_SIZE])
        del self._buffer[:HEADER_SIZE]
        if header[: len(MAGIC)] != MAGIC:
            raise IntegrityError("not a vault stream (bad magic)")
        pos = len(MAGIC)
        (segment_size,) = struct.unpack(">I", header[pos : pos + 4])
        pos += 4
        salt = header[pos : pos + SALT_SIZE]
        pos += SALT_SIZE
        nonce_prefix = header[pos : pos + NONCE_PREFIX_SIZE]
        pos += NONCE_PREFIX_SIZE
        commitment = header[pos : pos + COMMITMENT_SIZE]
        if segment_size == 0 or segment_size > 64 * 1024 * 1024:
            raise IntegrityError("bad segment size in header")
        stream_key, expected_commitment = _derive(self._data_key, salt, self._context)
        self._data_key = b""  # only the derived stream key is needed from here on
        if not hmac.compare_digest(commitment, expected_commitment):
            raise IntegrityError("key commitment mismatch (wrong key, wrong context or edited header)")
        self._aead = AESGCM(stream_key)
        self._header = header
        self._nonce_prefix = nonce_prefix
        self.segment_size = segment_size

    def _open(self, sealed: bytes, last: bool) -> bytes:
        assert self._aead is not None
        try:
            plaintext = self._aead.decrypt(
                _nonce(self._nonce_prefix, self._index, last), sealed, self._header
            )
        except InvalidTag:
            raise IntegrityError(f"segment {self._index} failed authentication") from None
        self._index += 1
        self.plaintext_size += len(plaintext)
        return plaintext

    def feed(self, data: bytes | bytearray | memoryview) -> list[bytes]:
        if self._finished:
            raise IntegrityError("data after the final segment")
        self._buffer += data
        out: list[bytes] = []
        if self._aead is None:
            if len(self._buffer) < HEADER_SIZE:
                return out
            self._parse_header()
        sealed_size = self.segment_size + TAG_SIZE
        # A full sealed segment is opened as non-final only once a byte beyond it has arrived.
        if len(self._buffer) > sealed_size:
            offset = 0
            view = memoryview(self._buffer)
            while len(self._buffer) - offset > sealed_size:
                out.append(self._open(bytes(view[offset : offset + sealed_size]), last=False))
                offset += sealed_size
            view.release()
            del self._buffer[:offset]
        return out

    def finish(self) -> list[bytes]:
        if self._finished:
            raise IntegrityError("reader already finished")
        if self._aead is None:
            raise IntegrityError("stream truncated inside the header")
        if len(self._buffer) < TAG_SIZE:
            raise IntegrityError("stream truncated (final segment missing)")
        plaintext = self._open(bytes(self._buffer), last=True)
        self._buffer = bytearray()
        self._finished = True
        return [plaintext]
