"""The audit log: a LogStore, the in-memory Merkle tree over it, the group
committer and the checkpoint signer, kept consistent with each other.

Invariants:
- the tree only ever holds leaves that are durably committed (it is extended
  after COMMIT, or caught up from the store), so anything signed is durable;
- before signing, the tree is checked against the latest stored checkpoint
  (same root at that size); if it is not a continuation, nothing is signed;
- a signed checkpoint is stored (durably) before it is returned to anyone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aisec.audit.v1 import audit_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from services.audit import canonical
from services.audit.checkpoint import Checkpoint, NoteSigner, sign_checkpoint
from services.audit.committer import GroupCommitter
from services.audit.merkle import MerkleTree
from services.audit.metrics import AuditMetrics
from services.audit.store.base import (
    Appended,
    LogGapError,
    LogStore,
    NewEntry,
    QueryFilter,
    StoredCheckpoint,
    StoredEntry,
    sequences_digest,
)

log = logging.getLogger("aisec.audit.log")

_LOAD_CHUNK = 200_000
# Blocks of 2**10 leaves: a proof reads back at most a block or two (32 KB each, ~1,000 hashes to redo).
TREE_MEMORY_LEVEL = 10


class LogInconsistentError(RuntimeError):
    """The stored log no longer extends the latest signed checkpoint."""


class TreeSizeError(ValueError):
    """A requested tree size or sequence is beyond what is durable."""


@dataclass(frozen=True)
class InclusionProof:
    sequence: int
    tree_size: int
    leaf_hash: bytes
    hashes: list[bytes]
    root_hash: bytes


@dataclass(frozen=True)
class ConsistencyProof:
    first_size: int
    second_size: int
    hashes: list[bytes]
    first_root: bytes
    second_root: bytes


def event_type_name(event_type: int) -> str:
    try:
        return audit_pb2.EventType.Name(event_type).removeprefix("EVENT_TYPE_")  # type: ignore[arg-type]
    except ValueError:
        return "UNKNOWN"


def new_entry(event: audit_pb2.Event) -> NewEntry:
    """The entry for an event (which must carry a time)."""
    return NewEntry(
        payload=canonical.canonical_event_bytes(event),
        time_ns=event.time.ToNanoseconds(),
        service=event.service,
        event_type=int(event.type),
        tenant=event.tenant,
        action=event.action,
    )


class AuditLog:
    def __init__(
        self,
        store: LogStore,
        signer: NoteSigner,
        metrics: AuditMetrics,
        *,
        max_batch: int = 5000,
        clock_ns: Callable[[], int] = time.time_ns,
    ) -> None:
        self.store = store
        self.signer = signer
        self.origin = signer.name
        self.metrics = metrics
        # Hashes of subtrees below 2**TREE_MEMORY_LEVEL leaves are recomputed from the store's leaves
        # when a proof needs them: the tree takes ~64 KB per 1M entries instead of ~64 MB.
        self.tree = MerkleTree(store.leaf_hashes, memory_level=TREE_MEMORY_LEVEL)
        self._clock_ns = clock_ns
        self._tree_lock = asyncio.Lock()
        self._sign_lock = asyncio.Lock()
        self._committer = GroupCommitter(store, metrics, self._on_committed, max_batch=max_batch)
        self._published_at_ns: int | None = None
        self.consistent = True
        self._append_counters: dict[tuple[str, int], Any] = {}
        self._stored_blocks = 0  # complete blocks of the tree whose hashes the store holds (or held at load)

    # --- lifecycle -----------------------------------------------------------
    async def start(self) -> None:
        await self.sync()
        latest = await asyncio.to_thread(self.store.latest_checkpoint)
        if latest is not None:
            self._published_at_ns = latest.time_ns
            try:
                await self._check_extends(latest)
            except LogInconsistentError:
                log.error("stored log does not extend the latest signed checkpoint; signing disabled")
        self._committer.start()
        log.info("audit log open", extra={"tree_size": self.tree.size})

    async def aclose(self) -> None:
        await self._committer.aclose()
        await asyncio.to_thread(self.store.close)

    # --- appends -------------------------------------------------------------
    async def append(self, events: Sequence[audit_pb2.Event]) -> list[Appended]:
        """Durably append events (their time is set to now when missing)."""
        now_ns = self._clock_ns()
        entries = []
        for event in events:
            if not event.HasField("time"):
                event.time.FromNanoseconds(now_ns)
            entries.append(new_entry(event))
        appended = await self._committer.append(entries)
        for event in events:
            self._appends_counter(event.service, int(event.type)).inc()
        return appended

    def _appends_counter(self, service: str, event_type: int):  # type: ignore[no-untyped-def]
        key = (service, event_type)
        child = self._append_counters.get(key)
        if child is None:
            child = self.metrics.appends.labels(service or "unknown", event_type_name(event_type))
            if len(self._append_counters) < 1000:  # services and types are few; validation bounds them
                self._append_counters[key] = child
        return child

    async def _on_committed(self, appended: list[Appended]) -> None:
        async with self._tree_lock:
            if appended and appended[0].sequence == self.tree.size:
                self.tree.extend(b"".join(a.leaf_hash for a in appended))
                self.metrics.tree_size.set(self.tree.size)
                return
        await self.sync()  # another writer (replica, retention) got sequences in between

    async def sync(self) -> int:
        """Catch the tree up with everything committed in the store; returns the tree size."""
        async with self._tree_lock:
            durable = await asyncio.to_thread(self.store.size)
            try:
                await self._load_stored_blocks(durable)
                while self.tree.size < durable:
                    end = min(durable, self.tree.size + _LOAD_CHUNK)
                    hashes = await asyncio.to_thread(self.store.leaf_hashes, self.tree.size, end)
                    self.tree.extend(hashes)
            except LogGapError:
                # Rows were deleted behind our back: keep serving reads (so `verify` can name the
                # entry) but never sign over the damaged log.
                if self.consistent:
                    log.error("stored log has missing entries; checkpoint signing disabled")
                    self.metrics.verification_failures.inc()
                self.consistent = False
            self.metrics.tree_size.set(self.tree.size)
            return self.tree.size

    async def _load_stored_blocks(self, durable: int) -> None:
        """Take the hashes of complete blocks stored by an earlier run (or another replica) instead of
        rehashing their leaves: start-up reads ~1/1,000 of the rows. They are checked against the latest
        signed checkpoint in ``_check_extends``, and the rows they cover are counted (deleted rows)."""
        level = self.tree.memory_level
        if self.tree.size % (1 << level) or (durable >> level) <= self.tree.complete_blocks:
            return  # an incomplete block is pending (its leaves come next), or no whole block is new
        latest = await asyncio.to_thread(self.store.latest_checkpoint)
        # Only blocks under a signed root: a block stored beyond it would be signed over unchecked.
        first, last = self.tree.complete_blocks, min(durable, latest.tree_size if latest else 0) >> level
        if last <= first:
            return
        hashes = await asyncio.to_thread(self.store.tree_blocks, level, first, last)
        if not hashes:
            return
        covered = (first + len(hashes) // 32) << level
        present = await asyncio.to_thread(self.store.entry_count, covered)
        if present != covered:
            raise LogGapError(f"{covered - present} of the first {covered} entries are missing")
        self.tree.extend_blocks(hashes)
        self._stored_blocks = max(self._stored_blocks, self.tree.complete_blocks)

    async def _store_blocks(self, signed_size: int) -> None:
        """Store the hashes of complete blocks under the signed root of ``signed_size`` not stored yet."""
        complete = min(self.tree.complete_blocks, signed_size >> self.tree.memory_level)
        if complete > self._stored_blocks:
            hashes = self.tree.block_hashes(self._stored_blocks, complete)
            try:
                await asyncio.to_thread(
                    self.store.save_tree_blocks, self.tree.memory_level, self._stored_blocks, hashes
                )
            except Exception:  # only start-up time depends on it: the checkpoint stands, retried next time
                log.warning("could not store tree block hashes", exc_info=True)
                return
            self._stored_blocks = complete

    # --- checkpoints -----------------------------------------------------------
    async def _check_extends(self, checkpoint: StoredCheckpoint) -> None:
        if checkpoint.tree_size > self.tree.size:
            await self.sync()
        if not self.consistent:
            raise LogInconsistentError("stored log has missing entries")
        if (
            checkpoint.tree_size > self.tree.size
            or await asyncio.to_thread(self.tree.root, checkpoint.tree_size) != checkpoint.root_hash
        ):
            self.consistent = False
            self.metrics.verification_failures.inc()
            raise LogInconsistentError(
                f"stored log does not extend the signed checkpoint at tree size {checkpoint.tree_size}"
            )

    async def latest_checkpoint(self) -> StoredCheckpoint:
        """The latest stored checkpoint; signs the first one when there is none."""
        latest = await asyncio.to_thread(self.store.latest_checkpoint)
        return latest if latest is not None else await self.publish_checkpoint()

    async def publish_checkpoint(self) -> StoredCheckpoint:
        """Sign (and store) a checkpoint covering every durable entry, unless the latest covers them."""
        async with self._sign_lock:
            size = await self.sync()
            latest = await asyncio.to_thread(self.store.latest_checkpoint)
            if latest is not None:
                await self._check_extends(latest)
                size = self.tree.size
                if latest.tree_size == size:
                    self._published_at_ns = self._clock_ns()
                    self.metrics.checkpoint_age.set(0)
                    await self._store_blocks(size)
                    return latest
            root = self.tree.root(size)
            note = sign_checkpoint(self.signer, Checkpoint(self.origin, size, root))
            stored = StoredCheckpoint(size, root, note, self._clock_ns())
            await asyncio.to_thread(self.store.save_checkpoint, stored)
            self._published_at_ns = stored.time_ns
            self.metrics.checkpoint_age.set(0)
            await self._store_blocks(size)
            return stored

    def checkpoint_age_s(self) -> float | None:
        if self._published_at_ns is None:
            return None
        return max(0.0, (self._clock_ns() - self._published_at_ns) / 1e9)

    # --- proofs ------------------------------------------------------------------
    async def _resolve_size(self, tree_size: int) -> int:
        if tree_size == 0:
            return (await self.latest_checkpoint()).tree_size
        if tree_size > self.tree.size:
            await self.sync()
        if tree_size > self.tree.size:
            raise TreeSizeError(f"tree size {tree_size} is beyond the log ({self.tree.size} entries)")
        return tree_size

    async def inclusion_proof(self, sequence: int, tree_size: int = 0) -> InclusionProof:
        size = await self._resolve_size(tree_size)
        if sequence >= size:
            raise TreeSizeError(f"sequence {sequence} is not in a tree of size {size}")
        tree = self.tree

        def prove() -> InclusionProof:  # may read a block of leaves back from the store
            return InclusionProof(
                sequence, size, tree.leaf_hash(sequence), tree.inclusion_proof(sequence, size), tree.root(size)
            )

        return await asyncio.to_thread(prove)

    async def consistency_proof(self, first_size: int, second_size: int = 0) -> ConsistencyProof:
        second = await self._resolve_size(second_size)
        if first_size > second:
            raise TreeSizeError(f"first size {first_size} is larger than second size {second}")
        tree = self.tree

        def prove() -> ConsistencyProof:  # may read a block of leaves back from the store
            return ConsistencyProof(
                first_size, second, tree.consistency_proof(first_size, second), tree.root(first_size),
                tree.root(second),
            )

        return await asyncio.to_thread(prove)

    # --- reads -----------------------------------------------------------------
    async def query(self, where: QueryFilter, start: int, limit: int) -> list[StoredEntry]:
        return await asyncio.to_thread(self.store.query, where, start, limit)

    # --- retention ---------------------------------------------------------------
    async def purge_expired(self, event_type: int, max_age_s: float, batch_limit: int) -> int:
        """Purge payloads of ``event_type`` older than ``max_age_s``; each batch is one RETENTION event."""
        total = 0
        while True:
            now_ns = self._clock_ns()
            cutoff_ns = now_ns - int(max_age_s * 1e9)

            def build_record(sequences: list[int], now_ns: int = now_ns, cutoff_ns: int = cutoff_ns) -> NewEntry:
                cutoff = Timestamp()
                cutoff.FromNanoseconds(cutoff_ns)
                event = audit_pb2.Event(
                    service="audit",
                    type=audit_pb2.EVENT_TYPE_RETENTION,
                    action="purge",
                    reason="max_age_exceeded",
                    status="OK",
                    retention=audit_pb2.RetentionRecord(
                        purged_type=event_type,  # type: ignore[arg-type]
                        cutoff=cutoff,
                        purged_count=len(sequences),
                        first_sequence=sequences[0],
                        last_sequence=sequences[-1],
                        sequences_digest=sequences_digest(sequences),
                    ),
                )
                event.time.FromNanoseconds(now_ns)
                return new_entry(event)

            result = await asyncio.to_thread(
                self.store.purge, event_type, cutoff_ns, now_ns, batch_limit, build_record
            )
            if result is None:
                break
            total += len(result.sequences)
            self.metrics.purged.labels(event_type_name(event_type)).inc(len(result.sequences))
            self.metrics.appends.labels("audit", "RETENTION").inc()
            await self.sync()
            if len(result.sequences) < batch_limit:
                break
        return total
