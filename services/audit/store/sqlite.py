"""SQLite LogStore: the embedded default.

Durability: WAL journal with ``synchronous=FULL`` (default): every commit
fsyncs the WAL, so an acknowledged append survives a process kill *and* a power
loss. ``synchronous=NORMAL`` (setting ``sqlite_synchronous``) syncs only at
checkpoints: it survives a process kill but a power loss may drop the last
commits, which could already be covered by a signed checkpoint; use it only
where that is acceptable. Group commit makes FULL cheap: one fsync per batch.

One connection writes (serialised by a lock, ``BEGIN IMMEDIATE``), another
reads; WAL lets readers run while a write is in progress. Indexes are kept to
the minimum the hot path can afford: the primary key (sequence, roughly time
order) and (type, time) for retention; other filters scan in sequence order.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

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

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY,
    leaf_hash BLOB NOT NULL,
    payload BLOB,
    time_ns INTEGER NOT NULL,
    service TEXT,
    event_type INTEGER NOT NULL,
    tenant TEXT,
    action TEXT,
    purged_at_ns INTEGER,
    purged_by INTEGER
);
CREATE INDEX IF NOT EXISTS entries_type_time ON entries (event_type, time_ns);
CREATE TABLE IF NOT EXISTS tree_blocks (
    level INTEGER NOT NULL,
    block INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (level, block)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
    tree_size INTEGER PRIMARY KEY,
    root_hash BLOB NOT NULL,
    note TEXT NOT NULL,
    time_ns INTEGER NOT NULL
);
"""

class SqliteLogStore(LogStore):
    def __init__(self, path: Path, synchronous: Literal["FULL", "NORMAL"] = "FULL") -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._write = self._connect(synchronous)
        self._write.executescript(_SCHEMA)
        self._read = self._connect(synchronous)
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()

    def _connect(self, synchronous: str) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30.0)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={synchronous}")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def _allocate(self, count: int) -> int:
        # Inside BEGIN IMMEDIATE (one writer at a time, even across processes) the next
        # sequence is the primary key's maximum + 1: an O(log n) lookup, no extra page write.
        return int(self._write.execute("SELECT COALESCE(MAX(seq), -1) + 1 FROM entries").fetchone()[0])

    def _insert(self, first: int, entries: Sequence[NewEntry]) -> list[Appended]:
        rows = []
        appended = []
        for offset, entry in enumerate(entries):
            seq = first + offset
            digest = canonical.leaf_hash(seq, entry.payload)
            appended.append(Appended(seq, digest))
            rows.append(
                (seq, digest, entry.payload, entry.time_ns, entry.service, entry.event_type, entry.tenant,
                 entry.action)
            )
        self._write.executemany(
            "INSERT INTO entries (seq, leaf_hash, payload, time_ns, service, event_type, tenant, action)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return appended

    def append(self, entries: Sequence[NewEntry]) -> list[Appended]:
        if not entries:
            return []
        with self._write_lock:
            self._write.execute("BEGIN IMMEDIATE")
            try:
                appended = self._insert(self._allocate(len(entries)), entries)
                self._write.execute("COMMIT")
            except BaseException:
                self._write.execute("ROLLBACK")
                raise
        return appended

    def purge(
        self, event_type: int, cutoff_ns: int, now_ns: int, limit: int, build_record: RetentionRecordBuilder
    ) -> PurgeResult | None:
        with self._write_lock:
            self._write.execute("BEGIN IMMEDIATE")
            try:
                rows = self._write.execute(
                    "SELECT seq FROM entries WHERE event_type = ? AND time_ns < ? AND payload IS NOT NULL"
                    " ORDER BY seq LIMIT ?",
                    (event_type, cutoff_ns, limit),
                ).fetchall()
                if not rows:
                    self._write.execute("ROLLBACK")
                    return None
                sequences = [int(r[0]) for r in rows]
                record_entry = build_record(sequences)
                [record] = self._insert(self._allocate(1), [record_entry])
                self._write.executemany(
                    "UPDATE entries SET payload = NULL, service = NULL, tenant = NULL, action = NULL,"
                    " purged_at_ns = ?, purged_by = ? WHERE seq = ?",
                    [(now_ns, record.sequence, seq) for seq in sequences],
                )
                self._write.execute("COMMIT")
            except BaseException:
                self._write.execute("ROLLBACK")
                raise
        return PurgeResult(sequences, record)

    def size(self) -> int:
        with self._read_lock:
            return int(self._read.execute("SELECT COALESCE(MAX(seq), -1) + 1 FROM entries").fetchone()[0])

    def leaf_hashes(self, start: int, end: int) -> bytes:
        with self._read_lock:
            rows = self._read.execute(
                "SELECT leaf_hash FROM entries WHERE seq >= ? AND seq < ? ORDER BY seq", (start, end)
            ).fetchall()
        return joined_leaf_hashes(rows, start, end)

    def entry_count(self, end: int) -> int:
        with self._read_lock:
            # The whole-table count uses SQLite's fast path (~4 ms per 1M rows, against ~120 for a range
            # count); one statement, so both counts see the same snapshot.
            return int(
                self._read.execute(
                    "SELECT (SELECT COUNT(*) FROM entries) - (SELECT COUNT(*) FROM entries WHERE seq >= ?)", (end,)
                ).fetchone()[0]
            )

    def tree_blocks(self, level: int, start: int, end: int) -> bytes:
        with self._read_lock:
            rows = self._read.execute(
                "SELECT block, hash FROM tree_blocks WHERE level = ? AND block >= ? AND block < ? ORDER BY block",
                (level, start, end),
            ).fetchall()
        return contiguous_blocks(rows, start)

    def save_tree_blocks(self, level: int, first: int, hashes: bytes) -> None:
        with self._write_lock:
            self._write.execute("BEGIN IMMEDIATE")
            try:
                self._write.executemany(
                    "INSERT OR IGNORE INTO tree_blocks (level, block, hash) VALUES (?, ?, ?)",
                    block_rows(level, first, hashes),
                )
                self._write.execute("COMMIT")
            except BaseException:
                self._write.execute("ROLLBACK")
                raise

    def query(self, where: QueryFilter, start: int, limit: int) -> list[StoredEntry]:
        conditions, params = filter_sql(where, "?")
        with self._read_lock:
            rows = self._read.execute(
                f"SELECT {ENTRY_COLUMNS} FROM entries WHERE seq >= ?{conditions} ORDER BY seq LIMIT ?",  # noqa: S608
                [start, *params, limit],
            ).fetchall()
        return [entry_from_row(r) for r in rows]

    def save_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        with self._write_lock:
            self._write.execute(
                "INSERT OR IGNORE INTO checkpoints (tree_size, root_hash, note, time_ns) VALUES (?, ?, ?, ?)",
                (checkpoint.tree_size, checkpoint.root_hash, checkpoint.note, checkpoint.time_ns),
            )

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        with self._read_lock:
            row = self._read.execute(
                "SELECT tree_size, root_hash, note, time_ns FROM checkpoints ORDER BY tree_size DESC LIMIT 1"
            ).fetchone()
        return None if row is None else checkpoint_from_row(row)

    def checkpoints(self) -> list[StoredCheckpoint]:
        with self._read_lock:
            rows = self._read.execute(
                "SELECT tree_size, root_hash, note, time_ns FROM checkpoints ORDER BY tree_size"
            ).fetchall()
        return [checkpoint_from_row(r) for r in rows]

    def ping(self) -> bool:
        try:
            with self._read_lock:
                self._read.execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def close(self) -> None:
        with self._write_lock, self._read_lock:
            self._write.close()
            self._read.close()
