"""One suite, every LogStore backend (SQLite and a real PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aisec.audit.v1 import audit_pb2

from services.audit import canonical
from services.audit.store.base import LogStore, NewEntry, QueryFilter, StoredCheckpoint, sequences_digest
from services.audit.store.postgres import PostgresLogStore
from services.audit.store.sqlite import SqliteLogStore

StoreFactory = Callable[[], LogStore]


@pytest.fixture(params=["sqlite", "postgres"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Opens (more) stores on one log: replicas for PostgreSQL, reopenings for SQLite."""
    opened: list[LogStore] = []
    if request.param == "sqlite":
        def factory() -> LogStore:
            opened.append(SqliteLogStore(tmp_path / "audit.db"))
            return opened[-1]
    else:
        dsn = request.getfixturevalue("postgres_dsn")

        def factory() -> LogStore:
            opened.append(PostgresLogStore(dsn))
            return opened[-1]
    yield factory
    for store in opened:
        store.close()


def entry(i: int, *, service: str = "validator", event_type: int = audit_pb2.EVENT_TYPE_VALIDATION,
          tenant: str = "acme", action: str = "allow", time_ns: int | None = None) -> NewEntry:
    time_ns = time_ns if time_ns is not None else 1_700_000_000_000_000_000 + i
    event = audit_pb2.Event(service=service, type=event_type, tenant=tenant, action=action, request_id=f"r{i}")  # type: ignore[arg-type]
    event.time.FromNanoseconds(time_ns)
    return NewEntry(canonical.canonical_event_bytes(event), time_ns, service, event_type, tenant, action)


def test_append_assigns_contiguous_sequences_and_leaf_hashes(open_store: StoreFactory) -> None:
    store = open_store()
    assert store.size() == 0
    first = store.append([entry(0), entry(1)])
    second = store.append([entry(2)])
    assert [a.sequence for a in first + second] == [0, 1, 2]
    assert store.size() == 3
    rows = store.read(0, 10)
    assert [r.sequence for r in rows] == [0, 1, 2]
    for row, appended in zip(rows, first + second, strict=True):
        assert row.payload is not None
        assert row.leaf_hash == appended.leaf_hash == canonical.leaf_hash(row.sequence, row.payload)
    assert store.leaf_hashes(1, 3) == b"".join(a.leaf_hash for a in (first + second)[1:])
    assert store.append([]) == []


def test_entries_survive_reopening(open_store: StoreFactory) -> None:
    store = open_store()
    store.append([entry(i) for i in range(5)])
    store.close()
    again = open_store()
    assert again.size() == 5
    assert len(again.read(0, 100)) == 5


def test_concurrent_writers_produce_one_gap_free_log(open_store: StoreFactory) -> None:
    stores = [open_store(), open_store(), open_store()]
    errors: list[BaseException] = []

    def writer(store: LogStore, base: int) -> None:
        try:
            for i in range(20):
                store.append([entry(base + i * 3 + k) for k in range(3)])
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(s, n * 1000)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    rows = stores[0].read(0, 1000)
    assert [r.sequence for r in rows] == list(range(180))
    assert stores[1].size() == 180
    request_ids = {canonical.parse_event(r.payload).request_id for r in rows if r.payload}
    assert len(request_ids) == 180


def test_query_filters(open_store: StoreFactory) -> None:
    store = open_store()
    store.append([
        entry(0, service="validator", tenant="acme", action="deny", time_ns=100),
        entry(1, service="guard", event_type=audit_pb2.EVENT_TYPE_REDACTION, tenant="acme", action="redact",
              time_ns=200),
        entry(2, service="vault", event_type=audit_pb2.EVENT_TYPE_VAULT_ACCESS, tenant="globex", action="read",
              time_ns=300),
        entry(3, service="validator", tenant="globex", action="allow", time_ns=400),
    ])

    def seqs(where: QueryFilter, start: int = 0, limit: int = 100) -> list[int]:
        return [r.sequence for r in store.query(where, start, limit)]

    assert seqs(QueryFilter()) == [0, 1, 2, 3]
    assert seqs(QueryFilter(start_ns=200, end_ns=400)) == [1, 2]
    assert seqs(QueryFilter(service="validator")) == [0, 3]
    assert seqs(QueryFilter(event_type=audit_pb2.EVENT_TYPE_REDACTION)) == [1]
    assert seqs(QueryFilter(tenant="globex")) == [2, 3]
    assert seqs(QueryFilter(action="deny")) == [0]
    assert seqs(QueryFilter(tenant="acme", service="guard")) == [1]
    assert seqs(QueryFilter(), start=2) == [2, 3]
    assert seqs(QueryFilter(), limit=3) == [0, 1, 2]


def test_purge_drops_payload_keeps_leaf_hash_and_records_retention(open_store: StoreFactory) -> None:
    store = open_store()
    store.append([
        entry(0, time_ns=100, tenant="acme"),
        entry(1, time_ns=100, event_type=audit_pb2.EVENT_TYPE_INTERACTION, service="guard"),
        entry(2, time_ns=150, tenant="acme"),
        entry(3, time_ns=900, tenant="acme"),
    ])
    before = store.read(0, 10)
    captured: list[list[int]] = []

    def build(sequences: list[int]) -> NewEntry:
        captured.append(sequences)
        return entry(99, service="audit", event_type=audit_pb2.EVENT_TYPE_RETENTION, action="purge", time_ns=1000)

    result = store.purge(audit_pb2.EVENT_TYPE_VALIDATION, cutoff_ns=500, now_ns=1000, limit=100, build_record=build)
    assert result is not None
    assert result.sequences == [0, 2] == captured[0]
    assert result.record.sequence == 4
    after = store.read(0, 10)
    assert [r.leaf_hash for r in after[:4]] == [r.leaf_hash for r in before]
    assert after[0].purged and after[2].purged and not after[1].purged and not after[3].purged
    assert after[0].purged_by == 4 and after[0].purged_at_ns == 1000
    assert after[4].payload is not None
    assert [r.sequence for r in store.query(QueryFilter(tenant="acme"), 0, 10)] == [1, 3, 4]  # not 0, 2
    assert store.purge(audit_pb2.EVENT_TYPE_VALIDATION, 500, 1000, 100, build) is None
    assert store.size() == 5
    assert sequences_digest([0, 2]) != sequences_digest([2, 0])


def test_purge_respects_limit(open_store: StoreFactory) -> None:
    store = open_store()
    store.append([entry(i, time_ns=10) for i in range(5)])
    result = store.purge(
        audit_pb2.EVENT_TYPE_VALIDATION, 100, 200, 2,
        lambda s: entry(9, service="audit", event_type=audit_pb2.EVENT_TYPE_RETENTION),
    )
    assert result is not None and result.sequences == [0, 1]


def test_checkpoints_are_stored_once_per_size(open_store: StoreFactory) -> None:
    store = open_store()
    assert store.latest_checkpoint() is None
    store.save_checkpoint(StoredCheckpoint(2, b"a" * 32, "note-2", 10))
    store.save_checkpoint(StoredCheckpoint(5, b"b" * 32, "note-5", 20))
    store.save_checkpoint(StoredCheckpoint(5, b"c" * 32, "other", 30))  # ignored: first one wins
    latest = store.latest_checkpoint()
    assert latest == StoredCheckpoint(5, b"b" * 32, "note-5", 20)
    assert [c.tree_size for c in store.checkpoints()] == [2, 5]
    assert store.ping()


def test_tree_blocks_are_kept_once_per_level_and_read_up_to_the_first_missing(open_store: StoreFactory) -> None:
    store = open_store()
    hashes = [bytes([i]) * 32 for i in range(5)]
    assert store.tree_blocks(10, 0, 5) == b""
    store.save_tree_blocks(10, 0, b"".join(hashes[:3]))
    store.save_tree_blocks(10, 2, b"\xee" * 32 + hashes[3])  # block 2 is already stored: kept as it was
    store.save_tree_blocks(8, 0, b"\x77" * 32)  # another level does not mix in
    replica = open_store()
    assert replica.tree_blocks(10, 0, 10) == b"".join(hashes[:4])
    assert replica.tree_blocks(10, 1, 3) == b"".join(hashes[1:3])
    store.save_tree_blocks(10, 5, hashes[4])  # block 4 missing: a read from 0 stops before it
    assert replica.tree_blocks(10, 0, 10) == b"".join(hashes[:4])
    assert replica.tree_blocks(10, 5, 6) == hashes[4]
    assert replica.tree_blocks(8, 0, 1) == b"\x77" * 32


def test_entry_count_counts_what_is_stored_below_a_sequence(open_store: StoreFactory) -> None:
    store = open_store()
    store.append([entry(i) for i in range(12)])
    assert store.entry_count(12) == 12 and store.entry_count(5) == 5 and store.entry_count(0) == 0
