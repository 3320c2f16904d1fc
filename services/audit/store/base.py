"""The LogStore interface every backend implements.

A store assigns sequence numbers: ``append`` allocates the next sequences,
computes each leaf hash over (sequence, canonical event bytes) and commits the
rows in one durable transaction, so concurrent writers (even several processes
on one PostgreSQL) produce one gap-free log. Methods are synchronous; the async
service calls them from worker threads.
"""

from __future__ import annotations

import abc
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class NewEntry:
    """An event to append: its canonical bytes plus the columns queries filter on."""

    payload: bytes
    time_ns: int
    service: str
    event_type: int
    tenant: str
    action: str


@dataclass(frozen=True)
class Appended:
    sequence: int
    leaf_hash: bytes


@dataclass(frozen=True)
class StoredEntry:
    sequence: int
    leaf_hash: bytes
    payload: bytes | None  # None once purged by retention
    time_ns: int
    event_type: int
    purged_at_ns: int | None = None
    purged_by: int | None = None

    @property
    def purged(self) -> bool:
        return self.payload is None


@dataclass(frozen=True)
class StoredCheckpoint:
    tree_size: int
    root_hash: bytes
    note: str
    time_ns: int


@dataclass(frozen=True)
class QueryFilter:
    start_ns: int | None = None  # inclusive
    end_ns: int | None = None  # exclusive
    service: str | None = None
    event_type: int | None = None
    tenant: str | None = None
    action: str | None = None


@dataclass(frozen=True)
class PurgeResult:
    sequences: list[int]
    record: Appended  # the RETENTION event written in the same transaction


# Builds the RETENTION event for the purged sequences (called inside the purge
# transaction, after the rows are chosen).
RetentionRecordBuilder = Callable[[list[int]], NewEntry]


class LogGapError(RuntimeError):
    """Sequences are missing from the store (rows deleted behind the log's back)."""


def sequences_digest(sequences: Sequence[int]) -> bytes:
    """SHA-256 over the sequences, ascending, 8 bytes big-endian each."""
    digest = hashlib.sha256()
    for sequence in sequences:
        digest.update(sequence.to_bytes(8, "big"))
    return digest.digest()


class LogStore(abc.ABC):
    """Durable, append-only storage of log entries and signed checkpoints."""

    @abc.abstractmethod
    def append(self, entries: Sequence[NewEntry]) -> list[Appended]:
        """Store entries at the next sequences in one durable transaction."""

    @abc.abstractmethod
    def size(self) -> int:
        """Number of entries (next sequence to allocate)."""

    @abc.abstractmethod
    def leaf_hashes(self, start: int, end: int) -> bytes:
        """Concatenated leaf hashes of sequences [start, end); LogGapError when rows are missing."""

    @abc.abstractmethod
    def entry_count(self, end: int) -> int:
        """How many entries with sequence < ``end`` are stored (``end`` unless rows were deleted)."""

    @abc.abstractmethod
    def tree_blocks(self, level: int, start: int, end: int) -> bytes:
        """Concatenated stored hashes of the Merkle subtrees of 2**level leaves numbered [start, end),
        stopping at the first one not stored."""

    @abc.abstractmethod
    def save_tree_blocks(self, level: int, first: int, hashes: bytes) -> None:
        """Store the hashes (32 bytes each) of subtrees ``first``, ``first`` + 1, ...; already stored ones
        are kept (every replica computes the same hash for the same block)."""

    def read(self, start: int, limit: int) -> list[StoredEntry]:
        """Entries with sequence >= start, in order, at most ``limit``."""
        return self.query(QueryFilter(), start, limit)

    @abc.abstractmethod
    def query(self, where: QueryFilter, start: int, limit: int) -> list[StoredEntry]:
        """Entries matching ``where`` with sequence >= start, in order, at most ``limit``."""

    @abc.abstractmethod
    def purge(
        self, event_type: int, cutoff_ns: int, now_ns: int, limit: int, build_record: RetentionRecordBuilder
    ) -> PurgeResult | None:
        """Drop payloads of up to ``limit`` unpurged entries of ``event_type`` older than ``cutoff_ns``
        and append the RETENTION event ``build_record`` makes, in one transaction. None when nothing expired.
        """

    @abc.abstractmethod
    def save_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Store a signed checkpoint durably (idempotent per tree size)."""

    @abc.abstractmethod
    def latest_checkpoint(self) -> StoredCheckpoint | None:
        """The stored checkpoint with the largest tree size."""

    @abc.abstractmethod
    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every stored checkpoint, by tree size."""

    @abc.abstractmethod
    def ping(self) -> bool:
        """True when the backend answers."""

    @abc.abstractmethod
    def close(self) -> None: ...
