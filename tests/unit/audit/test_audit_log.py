"""AuditLog over SQLite: group commit, tree, checkpoints, proofs, retention."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from aisec.audit.v1 import audit_pb2
from prometheus_client import CollectorRegistry

from services.audit import canonical, merkle
from services.audit.audit_log import TREE_MEMORY_LEVEL, AuditLog, LogInconsistentError, TreeSizeError
from services.audit.checkpoint import NoteSigner, NoteVerifier, open_checkpoint
from services.audit.metrics import AuditMetrics
from services.audit.store.sqlite import SqliteLogStore
from services.audit.verify import LogRecord, verify_log
from tests.unit.audit.helpers import ORIGIN, make_event, open_log


def _records(log) -> list[LogRecord]:  # type: ignore[no-untyped-def]
    out = []
    for row in log.store.read(0, 1_000_000):
        leaf = None if row.payload is None else canonical.leaf_bytes(row.sequence, row.payload)
        out.append(LogRecord(row.sequence, row.leaf_hash, leaf, row.purged_by))
    return out


async def test_concurrent_appends_are_group_committed(tmp_path: Path) -> None:
    log = await open_log(tmp_path)
    try:
        results = await asyncio.gather(*(log.append([make_event(i)]) for i in range(200)))
        sequences = sorted(r[0].sequence for r in results)
        assert sequences == list(range(200))
        assert log.tree.size == 200
        batches = log.metrics.batch_size.collect()[0].samples
        count = next(s.value for s in batches if s.name.endswith("_count"))
        assert count < 200  # several appends shared a transaction
        assert log.store.size() == 200
    finally:
        await log.aclose()


async def test_receipts_prove_inclusion_in_signed_checkpoint(tmp_path: Path) -> None:
    log = await open_log(tmp_path)
    try:
        receipts = await log.append([make_event(i) for i in range(37)])
        stored = await log.publish_checkpoint()
        checkpoint = open_checkpoint(stored.note, NoteVerifier.from_verifier_key(log.signer.verifier_key()), ORIGIN)
        assert checkpoint.tree_size == 37
        for receipt in (receipts[0], receipts[17], receipts[36]):
            proof = await log.inclusion_proof(receipt.sequence)
            assert proof.leaf_hash == receipt.leaf_hash
            merkle.verify_inclusion(receipt.sequence, 37, receipt.leaf_hash, proof.hashes, checkpoint.root_hash)
        await log.append([make_event(i) for i in range(10)])
        newer = await log.publish_checkpoint()
        consistency = await log.consistency_proof(37, 0)
        assert consistency.second_size == newer.tree_size == 47
        merkle.verify_consistency(37, 47, consistency.hashes, stored.root_hash, newer.root_hash)
        with pytest.raises(TreeSizeError):
            await log.inclusion_proof(47, 0)
        with pytest.raises(TreeSizeError):
            await log.consistency_proof(10, 500)
    finally:
        await log.aclose()


async def test_unchanged_log_is_not_signed_twice(tmp_path: Path) -> None:
    log = await open_log(tmp_path)
    try:
        await log.append([make_event(1)])
        first = await log.publish_checkpoint()
        again = await log.publish_checkpoint()
        assert again == first
        assert len(log.store.checkpoints()) == 1
    finally:
        await log.aclose()


async def test_tree_and_checkpoints_survive_restart(tmp_path: Path) -> None:
    signer = NoteSigner.generate(ORIGIN)
    log = await open_log(tmp_path, signer)
    await log.append([make_event(i) for i in range(25)])
    before = await log.publish_checkpoint()
    await log.aclose()
    reopened = await open_log(tmp_path, signer)
    try:
        assert reopened.tree.size == 25
        assert reopened.tree.root() == before.root_hash
        assert (await reopened.latest_checkpoint()) == before
        await reopened.append([make_event(99)])
        after = await reopened.publish_checkpoint()
        assert after.tree_size == 26
    finally:
        await reopened.aclose()


async def test_refuses_to_sign_a_log_that_does_not_extend_its_checkpoint(tmp_path: Path) -> None:
    signer = NoteSigner.generate(ORIGIN)
    log = await open_log(tmp_path, signer)
    await log.append([make_event(i) for i in range(5)])
    await log.publish_checkpoint()
    await log.aclose()
    with sqlite3.connect(tmp_path / "audit.db") as db:
        db.execute("UPDATE entries SET leaf_hash = ? WHERE seq = 2", (b"\x00" * 32,))
    reopened = await open_log(tmp_path, signer)
    try:
        assert not reopened.consistent
        with pytest.raises(LogInconsistentError):
            await reopened.publish_checkpoint()
        failures = reopened.metrics.verification_failures.collect()[0].samples[0].value
        assert failures >= 1
    finally:
        await reopened.aclose()


async def test_retention_purges_old_payloads_and_log_still_verifies(tmp_path: Path) -> None:
    now = [2_000_000_000_000_000_000]
    log = await open_log(tmp_path, clock_ns=lambda: now[0])
    try:
        old, fresh = now[0] - 100 * 10**9, now[0] - 1 * 10**9
        await log.append([make_event(i, time_ns=old) for i in range(5)])
        await log.append([make_event(9, time_ns=old, event_type=audit_pb2.EVENT_TYPE_REDACTION, service="guard")])
        await log.append([make_event(i, time_ns=fresh) for i in range(3)])
        first = await log.publish_checkpoint()
        purged = await log.purge_expired(audit_pb2.EVENT_TYPE_VALIDATION, max_age_s=50, batch_limit=2)
        assert purged == 5
        assert log.tree.size == 9 + 3  # three RETENTION events (batches of 2, 2, 1)
        rows = log.store.read(0, 100)
        assert [r.sequence for r in rows if r.purged] == [0, 1, 2, 3, 4]
        retention = canonical.parse_event(rows[9].payload or b"")
        assert retention.type == audit_pb2.EVENT_TYPE_RETENTION and retention.retention.purged_count == 2
        second = await log.publish_checkpoint()
        proof = await log.consistency_proof(first.tree_size, second.tree_size)
        merkle.verify_consistency(first.tree_size, second.tree_size, proof.hashes, first.root_hash, second.root_hash)
        verifier = NoteVerifier.from_verifier_key(log.signer.verifier_key())
        report = verify_log(_records(log), [first.note, second.note], verifier, ORIGIN)
        assert report.ok, report.summary()
        assert report.purged_by_policy == 5
    finally:
        await log.aclose()


class _FailingStore(SqliteLogStore):
    fail = True

    def append(self, entries):  # type: ignore[no-untyped-def]
        if self.fail:
            raise sqlite3.OperationalError("disk I/O error")
        return super().append(entries)


async def test_failed_commit_acknowledges_nothing_and_recovers(tmp_path: Path) -> None:
    store = _FailingStore(tmp_path / "audit.db")
    log = AuditLog(store, NoteSigner.generate(ORIGIN), AuditMetrics(CollectorRegistry()))
    await log.start()
    try:
        with pytest.raises(sqlite3.OperationalError):
            await log.append([make_event(1)])
        assert log.metrics.append_failures._value.get() == 1
        assert log.tree.size == 0
        store.fail = False
        [receipt] = await log.append([make_event(2)])
        assert receipt.sequence == 0 and log.tree.size == 1
    finally:
        await log.aclose()


async def test_log_with_deleted_row_starts_but_refuses_to_sign(tmp_path: Path) -> None:
    signer = NoteSigner.generate(ORIGIN)
    log = await open_log(tmp_path, signer)
    await log.append([make_event(i) for i in range(6)])
    await log.publish_checkpoint()
    await log.aclose()
    with sqlite3.connect(tmp_path / "audit.db") as db:
        db.execute("DELETE FROM entries WHERE seq = 2")
    reopened = await open_log(tmp_path, signer)
    try:
        assert not reopened.consistent and reopened.tree.size < 6
        with pytest.raises(LogInconsistentError):
            await reopened.publish_checkpoint()
        [receipt] = await reopened.append([make_event(7)])  # still durable, never signed over
        assert receipt.sequence == 6
    finally:
        await reopened.aclose()


BLOCK = 1 << TREE_MEMORY_LEVEL


class _CountingStore(SqliteLogStore):
    """Counts the leaf hashes read, to see what start-up reads."""

    leaves_read = 0

    def leaf_hashes(self, start: int, end: int) -> bytes:
        type(self).leaves_read += end - start
        return super().leaf_hashes(start, end)


async def _reopen_counting(path: Path, signer: NoteSigner) -> AuditLog:
    _CountingStore.leaves_read = 0
    log = AuditLog(_CountingStore(path / "audit.db"), signer, AuditMetrics(CollectorRegistry()))
    await log.start()
    return log


async def _signed_log_of(path: Path, signer: NoteSigner, count: int) -> tuple[bytes, list[bytes]]:
    log = await open_log(path, signer)
    try:
        receipts = []
        for first in range(0, count, 1000):
            receipts += await log.append([make_event(i) for i in range(first, min(count, first + 1000))])
        stored = await log.publish_checkpoint()
        assert stored.tree_size == count
        return stored.root_hash, [r.leaf_hash for r in receipts]
    finally:
        await log.aclose()


async def test_start_up_takes_stored_block_hashes_instead_of_every_leaf(tmp_path: Path) -> None:
    signer = NoteSigner.generate(ORIGIN)
    size = 3 * BLOCK + 100
    root, leaves = await _signed_log_of(tmp_path, signer, size)
    with sqlite3.connect(tmp_path / "audit.db") as db:
        assert db.execute("SELECT level, COUNT(*) FROM tree_blocks GROUP BY level").fetchall() == [
            (TREE_MEMORY_LEVEL, 3)
        ]
    reopened = await _reopen_counting(tmp_path, signer)
    try:
        assert _CountingStore.leaves_read == 100, "only the incomplete last block is read at start-up"
        assert reopened.consistent and reopened.tree.size == size and reopened.tree.root() == root
        proof = await reopened.inclusion_proof(BLOCK + 5, size)
        merkle.verify_inclusion(BLOCK + 5, size, leaves[BLOCK + 5], proof.hashes, root)
        await reopened.append([make_event(size)])
        newer = await reopened.publish_checkpoint()
        consistency = await reopened.consistency_proof(size, newer.tree_size)
        merkle.verify_consistency(size, size + 1, consistency.hashes, root, newer.root_hash)
    finally:
        await reopened.aclose()


@pytest.mark.parametrize(
    ("tampering", "params"),
    [
        ("UPDATE tree_blocks SET hash = ? WHERE block = 1", (b"\x55" * 32,)),  # a forged stored block hash
        ("DELETE FROM entries WHERE seq = 10", ()),  # a row deleted under a stored block
    ],
    ids=["forged-block", "deleted-row"],
)
async def test_tampering_under_stored_blocks_is_noticed_at_start_up(
    tmp_path: Path, tampering: str, params: tuple[bytes, ...]
) -> None:
    signer = NoteSigner.generate(ORIGIN)
    await _signed_log_of(tmp_path, signer, 2 * BLOCK + 7)
    with sqlite3.connect(tmp_path / "audit.db") as db:
        db.execute(tampering, params)
    reopened = await _reopen_counting(tmp_path, signer)
    try:
        assert not reopened.consistent
        with pytest.raises(LogInconsistentError):
            await reopened.publish_checkpoint()
    finally:
        await reopened.aclose()


async def test_stored_blocks_beyond_the_signed_root_are_not_taken(tmp_path: Path) -> None:
    signer = NoteSigner.generate(ORIGIN)
    log = await open_log(tmp_path, signer)
    try:
        await log.append([make_event(i) for i in range(BLOCK)])
        signed = await log.publish_checkpoint()  # block 0 stored
        await log.append([make_event(i) for i in range(BLOCK, 2 * BLOCK + 3)])  # block 1 complete, not signed
    finally:
        await log.aclose()
    with sqlite3.connect(tmp_path / "audit.db") as db:  # a block hash nobody signed over
        db.execute("INSERT INTO tree_blocks (level, block, hash) VALUES (?, 1, ?)", (TREE_MEMORY_LEVEL, b"\x66" * 32))
    reopened = await _reopen_counting(tmp_path, signer)
    try:
        assert _CountingStore.leaves_read == BLOCK + 3, "block 1 is rebuilt from its leaves"
        assert reopened.consistent and reopened.tree.root(BLOCK) == signed.root_hash
        newer = await reopened.publish_checkpoint()
        proof = await reopened.consistency_proof(BLOCK, newer.tree_size)
        merkle.verify_consistency(BLOCK, 2 * BLOCK + 3, proof.hashes, signed.root_hash, newer.root_hash)
    finally:
        await reopened.aclose()


class _BlockStoreDown(SqliteLogStore):
    down = True

    def save_tree_blocks(self, level: int, first: int, hashes: bytes) -> None:
        if self.down:
            raise sqlite3.OperationalError("database is locked")
        super().save_tree_blocks(level, first, hashes)


async def test_a_failure_to_store_block_hashes_keeps_the_checkpoint_and_is_retried(tmp_path: Path) -> None:
    store = _BlockStoreDown(tmp_path / "audit.db")
    log = AuditLog(store, NoteSigner.generate(ORIGIN), AuditMetrics(CollectorRegistry()))
    await log.start()
    try:
        await log.append([make_event(i) for i in range(BLOCK + 1)])
        signed = await log.publish_checkpoint()
        assert signed.tree_size == BLOCK + 1 and store.tree_blocks(TREE_MEMORY_LEVEL, 0, 1) == b""
        store.down = False
        await log.append([make_event(BLOCK + 1)])
        await log.publish_checkpoint()
        assert store.tree_blocks(TREE_MEMORY_LEVEL, 0, 1) == log.tree.block_hashes(0, 1)
    finally:
        await log.aclose()
