"""Canonical event bytes and the leaf bytes the Merkle tree hashes.

Choice: an event's canonical form is its proto3 binary encoding with
``deterministic=True`` after unknown fields are discarded: fields in ascending
field-number order, default values omitted, map entries sorted by key. The same
Event always gives the same bytes with this protobuf runtime, the bytes parse
back to the same Event in any language, and a verifier checks canonicality by
re-encoding (``is_canonical``). We prefer it to canonical JSON because the
Event is already a proto (no float/Unicode normalisation questions) and it is
compact.

Leaf bytes bind the event to its position so rows cannot be reordered
unnoticed::

    leaf = 0x01 (format version) || sequence (8 bytes, big-endian) || canonical event

and the RFC 6962 leaf hash is SHA-256(0x00 || leaf).
"""

from __future__ import annotations

from aisec.audit.v1 import audit_pb2

from services.audit import merkle

LEAF_FORMAT_VERSION = 1
_HEADER_SIZE = 9


class LeafFormatError(ValueError):
    """Leaf bytes that are not in the format above."""


def canonical_event_bytes(event: audit_pb2.Event) -> bytes:
    """The canonical bytes; drops unknown fields from ``event`` itself (callers own their events)."""
    event.DiscardUnknownFields()
    return event.SerializeToString(deterministic=True)


def parse_event(event_bytes: bytes) -> audit_pb2.Event:
    event = audit_pb2.Event()
    event.ParseFromString(event_bytes)
    return event


def is_canonical(event_bytes: bytes) -> bool:
    try:
        return canonical_event_bytes(parse_event(event_bytes)) == event_bytes
    except Exception:  # any parse failure means "not canonical"
        return False


def leaf_bytes(sequence: int, event_bytes: bytes) -> bytes:
    return bytes([LEAF_FORMAT_VERSION]) + sequence.to_bytes(8, "big") + event_bytes


def leaf_hash(sequence: int, event_bytes: bytes) -> bytes:
    return merkle.hash_leaf(leaf_bytes(sequence, event_bytes))


def split_leaf(leaf: bytes) -> tuple[int, bytes]:
    """(sequence, canonical event bytes) of leaf bytes."""
    if len(leaf) < _HEADER_SIZE or leaf[0] != LEAF_FORMAT_VERSION:
        raise LeafFormatError("unknown leaf format")
    return int.from_bytes(leaf[1:_HEADER_SIZE], "big"), leaf[_HEADER_SIZE:]
