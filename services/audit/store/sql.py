"""SQL shared by the SQLite and PostgreSQL log stores: the entry columns, the
row-to-entry mapping and the query-filter conditions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.audit.store.base import LogGapError, QueryFilter, StoredCheckpoint, StoredEntry

ENTRY_COLUMNS = "seq, leaf_hash, payload, time_ns, event_type, purged_at_ns, purged_by"


def entry_from_row(row: Sequence[Any]) -> StoredEntry:
    return StoredEntry(
        sequence=row[0],
        leaf_hash=bytes(row[1]),
        payload=None if row[2] is None else bytes(row[2]),
        time_ns=row[3],
        event_type=row[4],
        purged_at_ns=row[5],
        purged_by=row[6],
    )


def filter_sql(where: QueryFilter, placeholder: str) -> tuple[str, list[Any]]:
    """SQL conditions and parameters for a QueryFilter ."""
    clauses: list[str] = []
    params: list[Any] = []
    for column, op, value in (
        ("time_ns", ">=", where.start_ns),
        ("time_ns", "<", where.end_ns),
        ("service", "=", where.service),
        ("event_type", "=", where.event_type),
        ("tenant", "=", where.tenant),
        ("action", "=", where.action),
    ):
        if value is not None:
            clauses.append(f"{column} {op} {placeholder}")
            params.append(value)
    return "".join(f" AND {c}" for c in clauses), params


def checkpoint_from_row(row: Sequence[Any]) -> StoredCheckpoint:
    """(tree_size, root_hash, note, time_ns) -> StoredCheckpoint."""
    return StoredCheckpoint(row[0], bytes(row[1]), row[2], row[3])


def joined_leaf_hashes(rows: Sequence[Sequence[Any]], start: int, end: int) -> bytes:
    """The leaf hashes of rows ``start..end`` concatenated; LogGapError when any is missing."""
    if len(rows) != end - start:
        raise LogGapError(f"log has gaps between {start} and {end}")
    return b"".join(bytes(r[0]) for r in rows)


def block_rows(level: int, first: int, hashes: bytes) -> list[tuple[int, int, bytes]]:
    """(level, block, hash) rows for ``save_tree_blocks``."""
    return [(level, first + i // 32, hashes[i : i + 32]) for i in range(0, len(hashes), 32)]


def contiguous_blocks(rows: Sequence[Sequence[Any]], start: int) -> bytes:
    """The hashes of rows (block, hash) ordered by block, up to the first block missing after ``start``."""
    hashes = []
    for expected, row in enumerate(rows, start):
        if row[0] != expected:
            break
        hashes.append(bytes(row[1]))
    return b"".join(hashes)
