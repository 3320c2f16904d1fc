"""PostgreSQL LogStore: one log shared by several audit replicas.

Sequencing: every writing transaction first locks the single ``audit_log_head``
row (``SELECT ... FOR UPDATE``), takes ``next_seq``, inserts its rows, advances
``next_seq`` and commits. Writers from any number of processes therefore queue
on that row and get disjoint, gap-free sequence ranges in commit order; a
transaction that fails rolls back its allocation too. Durability is
PostgreSQL's ``synchronous_commit=on`` (the default): COMMIT returns after the
WAL is flushed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import psycopg

from services.audit import canonical
from services.audit.store.base import (
    Appended,
    LogStore,
    NewEntry,
    PurgeResult,
    QueryFilter,
    RetentionRecordBuilder,
    StoredCheckpoint,
    StoredEntry,
)
from services.audit.store.sql import (
    ENTRY_COLUMNS,
    block_rows,
    checkpoint_from_row,
    contiguous_blocks,
    entry_from_row,
    filter_sql,
    joined_leaf_hashes,
)

_SCHEMA_LOCK_ID = 0x6A75_6469_7400  # advisory lock serialising schema creation across replicas
_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS audit_log_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        next_seq BIGINT NOT NULL)""",
    "INSERT INTO audit_log_head (id, next_seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
    """CREATE TABLE IF NOT EXISTS audit_entries (
        seq BIGINT PRIMARY KEY,
        leaf_hash BYTEA NOT NULL,
        payload BYTEA,
        time_ns BIGINT NOT NULL,
        service TEXT,
        event_type INTEGER NOT NULL,
        tenant TEXT,
        action TEXT,
        purged_at_ns BIGINT,
        purged_by BIGINT)""",
    "CREATE INDEX IF NOT EXISTS audit_entries_type_time ON audit_entries (event_type, time_ns)",
    "CREATE INDEX IF NOT EXISTS audit_entries_time ON audit_entries (time_ns)",
    """CREATE TABLE IF NOT EXISTS audit_tree_blocks (
        level SMALLINT NOT NULL,
        block BIGINT NOT NULL,
        hash BYTEA NOT NULL,
        PRIMARY KEY (level, block))""",
    """CREATE TABLE IF NOT EXISTS audit_checkpoints (
        tree_size BIGINT PRIMARY KEY,
        root_hash BYTEA NOT NULL,
        note TEXT NOT NULL,
        time_ns BIGINT NOT NULL)""",
]
class PostgresLogStore(LogStore):
    def __init__(self, dsn: str, connect_timeout_s: float = 10.0) -> None:
        self._dsn = dsn
        self._connect_timeout_s = connect_timeout_s
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._write: psycopg.Connection[Any] | None = None
        self._read: psycopg.Connection[Any] | None = None
        with self._write_lock:
            conn = self._writer()
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK_ID,))
                for statement in _SCHEMA:
                    conn.execute(statement)

    def _connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self._dsn, connect_timeout=int(self._connect_timeout_s))

    def _writer(self) -> psycopg.Connection[Any]:
        if self._write is None or self._write.closed or self._write.broken:
            self._write = self._connect()
            self._write.autocommit = True  # transactions are explicit (conn.transaction())
        return self._write

    def _reader(self) -> psycopg.Connection[Any]:
        if self._read is None or self._read.closed or self._read.broken:
            self._read = self._connect()
            self._read.autocommit = True
        return self._read

    @staticmethod
    def _allocate(conn: psycopg.Connection[Any], count: int) -> int:
        row = conn.execute("SELECT next_seq FROM audit_log_head WHERE id = 1 FOR UPDATE").fetchone()
        assert row is not None
        conn.execute("UPDATE audit_log_head SET next_seq = %s WHERE id = 1", (row[0] + count,))
        return int(row[0])

    @staticmethod
    def _insert(conn: psycopg.Connection[Any], first: int, entries: Sequence[NewEntry]) -> list[Appended]:
        appended = []
        with conn.cursor() as cur, cur.copy(
            "COPY audit_entries (seq, leaf_hash, payload, time_ns, service, event_type, tenant, action)"
            " FROM STDIN"
        ) as copy:
            for offset, entry in enumerate(entries):
                seq = first + offset
                digest = canonical.leaf_hash(seq, entry.payload)
                appended.append(Appended(seq, digest))
                copy.write_row(
                    (seq, digest, entry.payload, entry.time_ns, entry.service, entry.event_type, entry.tenant,
                     entry.action)
                )
        return appended

    def append(self, entries: Sequence[NewEntry]) -> list[Appended]:
        if not entries:
            return []
        with self._write_lock:
            conn = self._writer()
            with conn.transaction():
                return self._insert(conn, self._allocate(conn, len(entries)), entries)

    def purge(
        self, event_type: int, cutoff_ns: int, now_ns: int, limit: int, build_record: RetentionRecordBuilder
    ) -> PurgeResult | None:
        with self._write_lock:
            conn = self._writer()
            with conn.transaction():
                # Lock the head first so purges and appends of all replicas serialise.
                first = self._allocate(conn, 0)
                rows = conn.execute(
                    "SELECT seq FROM audit_entries WHERE event_type = %s AND time_ns < %s"
                    " AND payload IS NOT NULL ORDER BY seq LIMIT %s",
                    (event_type, cutoff_ns, limit),
                ).fetchall()
                if not rows:
                    return None
                sequences = [int(r[0]) for r in rows]
                record_entry = build_record(sequences)
                conn.execute("UPDATE audit_log_head SET next_seq = %s WHERE id = 1", (first + 1,))
                [record] = self._insert(conn, first, [record_entry])
                with conn.cursor() as cur:
                    cur.executemany(
                        "UPDATE audit_entries SET payload = NULL, service = NULL, tenant = NULL,"
                        " action = NULL, purged_at_ns = %s, purged_by = %s WHERE seq = %s",
                        [(now_ns, record.sequence, seq) for seq in sequences],
                    )
        return PurgeResult(sequences, record)

    def size(self) -> int:
        with self._read_lock:
            row = self._reader().execute("SELECT next_seq FROM audit_log_head WHERE id = 1").fetchone()
        assert row is not None
        return int(row[0])

    def leaf_hashes(self, start: int, end: int) -> bytes:
        with self._read_lock:
            rows = self._reader().execute(
                "SELECT leaf_hash FROM audit_entries WHERE seq >= %s AND seq < %s ORDER BY seq", (start, end)
            ).fetchall()
        return joined_leaf_hashes(rows, start, end)

    def entry_count(self, end: int) -> int:
        with self._read_lock:
            row = self._reader().execute("SELECT COUNT(*) FROM audit_entries WHERE seq < %s", (end,)).fetchone()
        assert row is not None
        return int(row[0])

    def tree_blocks(self, level: int, start: int, end: int) -> bytes:
        with self._read_lock:
            rows = self._reader().execute(
                "SELECT block, hash FROM audit_tree_blocks WHERE level = %s AND block >= %s AND block < %s"
                " ORDER BY block",
                (level, start, end),
            ).fetchall()
        return contiguous_blocks(rows, start)

    def save_tree_blocks(self, level: int, first: int, hashes: bytes) -> None:
        with self._write_lock:
            conn = self._writer()
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO audit_tree_blocks (level, block, hash) VALUES (%s, %s, %s)"
                    " ON CONFLICT (level, block) DO NOTHING",
                    block_rows(level, first, hashes),
                )

    def query(self, where: QueryFilter, start: int, limit: int) -> list[StoredEntry]:
        conditions, params = filter_sql(where, "%s")
        # Conditions name fixed columns only; every value is a bound parameter.
        sql = f"SELECT {ENTRY_COLUMNS} FROM audit_entries WHERE seq >= %s{conditions} ORDER BY seq LIMIT %s"  # noqa: S608
        with self._read_lock:
            rows = self._reader().execute(sql.encode(), [start, *params, limit]).fetchall()  # type: ignore[call-overload]
        return [entry_from_row(r) for r in rows]

    def save_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        with self._write_lock:
            conn = self._writer()
            with conn.transaction():
                conn.execute(
                    "INSERT INTO audit_checkpoints (tree_size, root_hash, note, time_ns)"
                    " VALUES (%s, %s, %s, %s) ON CONFLICT (tree_size) DO NOTHING",
                    (checkpoint.tree_size, checkpoint.root_hash, checkpoint.note, checkpoint.time_ns),
                )

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        with self._read_lock:
            row = self._reader().execute(
                "SELECT tree_size, root_hash, note, time_ns FROM audit_checkpoints"
                " ORDER BY tree_size DESC LIMIT 1"
            ).fetchone()
        return None if row is None else checkpoint_from_row(row)

    def checkpoints(self) -> list[StoredCheckpoint]:
        with self._read_lock:
            rows = self._reader().execute(
                "SELECT tree_size, root_hash, note, time_ns FROM audit_checkpoints ORDER BY tree_size"
            ).fetchall()
        return [checkpoint_from_row(r) for r in rows]

    def ping(self) -> bool:
        try:
            with self._read_lock:
                self._reader().execute("SELECT 1").fetchone()
        except psycopg.Error:
            return False
        return True

    def close(self) -> None:
        with self._write_lock, self._read_lock:
            for conn in (self._write, self._read):
                if conn is not None:
                    conn.close()
