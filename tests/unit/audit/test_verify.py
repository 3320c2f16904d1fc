"""Tamper tests: edit, delete, reorder rows of a real SQLite log; verify names the entry."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aisec.audit.v1 import audit_pb2

from services.audit import canonical
from services.audit.checkpoint import NoteSigner, NoteVerifier
from services.audit.store.sqlite import SqliteLogStore
from services.audit.verify import VerifyReport, record_from_entry, verify_log
from tests.unit.audit.helpers import ORIGIN, make_event, open_log


@dataclass
class SignedLog:
    db: Path
    notes: list[str]
    verifier: NoteVerifier

    def verify(self) -> VerifyReport:
        store = SqliteLogStore(self.db)
        try:
            records = [record_from_entry(e) for e in store.read(0, 1_000_000)]
        finally:
            store.close()
        return verify_log(records, self.notes, self.verifier, ORIGIN)

    def sql(self, statement: str, params: tuple[object, ...] = ()) -> None:
        with sqlite3.connect(self.db) as db:
            db.execute(statement, params)


@pytest.fixture
async def signed_log(tmp_path: Path) -> AsyncIterator[SignedLog]:
    now = [2_000_000_000_000_000_000]
    log = await open_log(tmp_path, NoteSigner.generate(ORIGIN), clock_ns=lambda: now[0])
    await log.append([make_event(i, time_ns=now[0] - 10**12) for i in range(4)])
    await log.append([make_event(i) for i in range(4, 8)])
    first = await log.publish_checkpoint()
    await log.purge_expired(audit_pb2.EVENT_TYPE_VALIDATION, max_age_s=100, batch_limit=100)  # 0..3 -> seq 8
    await log.append([make_event(i) for i in range(9, 12)])
    second = await log.publish_checkpoint()
    verifier = NoteVerifier.from_verifier_key(log.signer.verifier_key())
    await log.aclose()
    yield SignedLog(tmp_path / "audit.db", [first.note, second.note], verifier)


def _payload(signed: SignedLog, seq: int) -> bytes:
    with sqlite3.connect(signed.db) as db:
        return bytes(db.execute("SELECT payload FROM entries WHERE seq = ?", (seq,)).fetchone()[0])


def test_untouched_log_verifies_with_purges_told_apart(signed_log: SignedLog) -> None:
    report = signed_log.verify()
    assert report.ok, report.summary()
    assert report.checkpoint_size == 12 and report.purged_by_policy == 4


def test_edited_event_is_named(signed_log: SignedLog) -> None:
    event = canonical.parse_event(_payload(signed_log, 6))
    event.tenant = "someone-else"
    signed_log.sql("UPDATE entries SET payload = ? WHERE seq = 6", (canonical.canonical_event_bytes(event),))
    report = signed_log.verify()
    assert not report.ok
    assert report.first_bad_sequence == 6
    assert "edited" in report.summary()


def test_deleted_row_is_named(signed_log: SignedLog) -> None:
    signed_log.sql("DELETE FROM entries WHERE seq = 5")
    report = signed_log.verify()
    assert report.first_bad_sequence == 5
    assert "missing" in report.summary()


def test_deleted_tail_is_caught_by_checkpoint(signed_log: SignedLog) -> None:
    signed_log.sql("DELETE FROM entries WHERE seq >= 10")
    report = signed_log.verify()
    assert report.first_bad_sequence == 10


def test_reordered_rows_are_named(signed_log: SignedLog) -> None:
    a, b = _payload(signed_log, 5), _payload(signed_log, 7)
    with sqlite3.connect(signed_log.db) as db:
        ha = db.execute("SELECT leaf_hash FROM entries WHERE seq = 5").fetchone()[0]
        hb = db.execute("SELECT leaf_hash FROM entries WHERE seq = 7").fetchone()[0]
        db.execute("UPDATE entries SET payload = ?, leaf_hash = ? WHERE seq = 5", (b, hb))
        db.execute("UPDATE entries SET payload = ?, leaf_hash = ? WHERE seq = 7", (a, ha))
    report = signed_log.verify()
    assert report.first_bad_sequence == 5
    assert "reordered" in report.summary()


def test_payload_deleted_outside_retention_is_tampering(signed_log: SignedLog) -> None:
    signed_log.sql("UPDATE entries SET payload = NULL WHERE seq = 9")
    report = signed_log.verify()
    assert report.first_bad_sequence == 9
    assert "without a retention record" in report.summary()


def test_forged_purge_pointing_at_real_retention_event_is_caught(signed_log: SignedLog) -> None:
    signed_log.sql("UPDATE entries SET payload = NULL, purged_by = 8 WHERE seq = 5")
    report = signed_log.verify()
    assert not report.ok
    assert report.first_bad_sequence == 0  # the retention group no longer matches its record
    assert "digest" in report.summary()


def test_edit_with_recomputed_leaf_hash_is_caught_by_signed_root(signed_log: SignedLog) -> None:
    event = canonical.parse_event(_payload(signed_log, 6))
    event.action = "deny"
    payload = canonical.canonical_event_bytes(event)
    signed_log.sql(
        "UPDATE entries SET payload = ?, leaf_hash = ? WHERE seq = 6", (payload, canonical.leaf_hash(6, payload))
    )
    report = signed_log.verify()
    assert not report.ok
    assert report.first_bad_sequence == 0  # within [0, 8): bounded by the first checkpoint
    assert "[0, 8)" in report.summary()


def test_wrong_key_fails(signed_log: SignedLog) -> None:
    signed_log.verifier = NoteVerifier.from_verifier_key(NoteSigner.generate(ORIGIN).verifier_key())
    report = signed_log.verify()
    assert not report.ok and "checkpoint does not verify" in report.summary()
