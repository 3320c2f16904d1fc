from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.vault.crypto import (
    HEADER_SIZE,
    TAG_SIZE,
    ChunkedAeadReader,
    ChunkedAeadWriter,
    IntegrityError,
    ciphertext_size,
)

KEY = bytes(range(32))
CONTEXT = {"tenant": "acme", "model": "m", "version": "1"}
SEG = 64  # small segments keep the tests fast; the format is the same at 1 MiB


def encrypt(plaintext: bytes, chunk: int = 7, key: bytes = KEY, context: dict[str, str] = CONTEXT) -> bytes:
    writer = ChunkedAeadWriter(key, context, segment_size=SEG)
    out = []
    for i in range(0, len(plaintext), chunk):
        out += writer.update(plaintext[i : i + chunk])
    out += writer.finalize()
    return b"".join(out)


def decrypt(ciphertext: bytes, chunk: int = 13, key: bytes = KEY, context: dict[str, str] = CONTEXT) -> bytes:
    reader = ChunkedAeadReader(key, context)
    out = []
    for i in range(0, len(ciphertext), chunk):
        out += reader.feed(ciphertext[i : i + chunk])
    out += reader.finish()
    return b"".join(out)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=5 * SEG + 3), st.integers(1, 3 * SEG), st.integers(1, 3 * SEG))
def test_round_trip_any_chunking(plaintext: bytes, write_chunk: int, read_chunk: int) -> None:
    ciphertext = encrypt(plaintext, write_chunk)
    assert len(ciphertext) == ciphertext_size(len(plaintext), SEG)
    assert decrypt(ciphertext, read_chunk) == plaintext


def test_ciphertext_is_not_plaintext_and_is_randomized() -> None:
    plaintext = b"A" * (3 * SEG)
    first, second = encrypt(plaintext), encrypt(plaintext)
    assert b"AAAAAAAA" not in first
    assert first != second


def segments(ciphertext: bytes) -> list[bytes]:
    body = ciphertext[HEADER_SIZE:]
    size = SEG + TAG_SIZE
    return [body[i : i + size] for i in range(0, len(body), size)]


PLAINTEXT = os.urandom(4 * SEG + 10)


@pytest.mark.parametrize("position", [0, 10, HEADER_SIZE - 1, HEADER_SIZE, HEADER_SIZE + SEG + 3, -1])
def test_flipped_byte_fails(position: int) -> None:
    tampered = bytearray(encrypt(PLAINTEXT))
    tampered[position] ^= 0x01
    with pytest.raises(IntegrityError):
        decrypt(bytes(tampered))


@pytest.mark.parametrize("segment_index", range(5))
def test_flip_in_any_segment_fails_before_that_segment_is_returned(segment_index: int) -> None:
    ciphertext = bytearray(encrypt(PLAINTEXT))
    ciphertext[HEADER_SIZE + segment_index * (SEG + TAG_SIZE) + 1] ^= 0x80
    reader = ChunkedAeadReader(KEY, CONTEXT)
    delivered = bytearray()
    with pytest.raises(IntegrityError):
        for i in range(0, len(ciphertext), SEG):
            for piece in reader.feed(ciphertext[i : i + SEG]):
                delivered += piece
        reader.finish()
    assert len(delivered) == segment_index * SEG  # nothing from the bad segment
    assert bytes(delivered) == PLAINTEXT[: len(delivered)]


def test_swapped_segments_fail() -> None:
    ciphertext = encrypt(PLAINTEXT)
    parts = segments(ciphertext)
    parts[0], parts[1] = parts[1], parts[0]
    with pytest.raises(IntegrityError):
        decrypt(ciphertext[:HEADER_SIZE] + b"".join(parts))


@pytest.mark.parametrize("keep_segments", [0, 1, 2, 4])
def test_truncation_at_segment_boundary_fails(keep_segments: int) -> None:
    ciphertext = encrypt(PLAINTEXT)
    with pytest.raises(IntegrityError):
        decrypt(ciphertext[: HEADER_SIZE + keep_segments * (SEG + TAG_SIZE)])


@pytest.mark.parametrize("cut", [1, 5, HEADER_SIZE - 1, HEADER_SIZE + 3])
def test_truncation_anywhere_fails(cut: int) -> None:
    with pytest.raises(IntegrityError):
        decrypt(encrypt(PLAINTEXT)[:cut])


def test_appended_data_fails() -> None:
    ciphertext = encrypt(PLAINTEXT)
    with pytest.raises(IntegrityError):
        decrypt(ciphertext + segments(ciphertext)[0])


def test_exact_multiple_of_segment_size_round_trips_and_dropping_last_fails() -> None:
    plaintext = os.urandom(3 * SEG)
    ciphertext = encrypt(plaintext)
    assert decrypt(ciphertext) == plaintext
    with pytest.raises(IntegrityError):
        decrypt(ciphertext[: -(SEG + TAG_SIZE)])


def test_wrong_key_fails_at_commitment_check() -> None:
    with pytest.raises(IntegrityError, match="commitment"):
        decrypt(encrypt(PLAINTEXT), key=os.urandom(32))


def test_other_context_fails() -> None:
    with pytest.raises(IntegrityError):
        decrypt(encrypt(PLAINTEXT), context={**CONTEXT, "version": "2"})


def test_payload_of_another_stream_with_same_key_fails() -> None:
    first, second = encrypt(PLAINTEXT), encrypt(PLAINTEXT)
    with pytest.raises(IntegrityError):
        decrypt(first[:HEADER_SIZE] + second[HEADER_SIZE:])


def test_writer_rejects_use_after_finalize() -> None:
    writer = ChunkedAeadWriter(KEY, CONTEXT, segment_size=SEG)
    writer.finalize()
    with pytest.raises(ValueError):
        writer.update(b"x")
