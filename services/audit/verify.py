"""Offline verification of an audit log against its signed checkpoint.

Works on any source of records (the Query RPC, a JSONL export, the store) and
needs only the log's verifier key. It checks, in order:

1. the checkpoint's Ed25519 signature and origin;
2. every record: sequences contiguous from 0; leaf bytes well-formed, carrying
   the record's own sequence (catches reordered rows), canonical, hashing to
   the stored leaf hash (catches edited payloads); a displayed event equal to
   the canonical one;
3. every purged record: its ``purged_by`` names a RETENTION event whose
   record (type, count, first/last sequence, digest of the purged sequences)
   matches exactly the records that point at it; this is "purged by policy".
   A payload missing any other way is "tampered";
4. the Merkle root recomputed from the records (leaf hashes computed from
   payloads where present, stored hashes where purged) equals the signed root.

A leaf edited together with its stored hash only shows in the root; then the
earliest failing checkpoint (when several are supplied) bounds the bad range.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from aisec.audit.v1 import audit_pb2

from services.audit import canonical, merkle
from services.audit.checkpoint import NoteError, NoteVerifier, open_checkpoint
from services.audit.store.base import StoredEntry, sequences_digest


@dataclass(frozen=True)
class LogRecord:
    sequence: int
    leaf_hash: bytes
    leaf: bytes | None  # canonical leaf bytes; None when purged
    purged_by: int | None = None
    event: audit_pb2.Event | None = None  # as displayed/exported, checked against ``leaf``

    @property
    def purged(self) -> bool:
        return self.leaf is None


@dataclass(frozen=True)
class Problem:
    sequence: int | None
    kind: str  # "tampered", "missing", "checkpoint", "retention", "root"
    message: str


@dataclass
class VerifyReport:
    checkpoint_size: int = 0
    records: int = 0
    purged_by_policy: int = 0
    unsigned_tail: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad_sequence(self) -> int | None:
        seqs = [p.sequence for p in self.problems if p.sequence is not None]
        return min(seqs) if seqs else None

    def summary(self) -> str:
        if self.ok:
            return (
                f"OK: {self.records} entries, checkpoint covers {self.checkpoint_size}, "
                f"{self.purged_by_policy} payloads purged by retention policy, "
                f"{self.unsigned_tail} entries newer than the checkpoint"
            )
        first = self.first_bad_sequence
        head = f"FAILED: first bad entry {first}" if first is not None else "FAILED"
        return head + "; " + "; ".join(p.message for p in self.problems[:5])


def verify_log(
    records: Iterable[LogRecord],
    checkpoint_notes: Sequence[str],
    verifier: NoteVerifier,
    origin: str | None = None,
) -> VerifyReport:
    """Verify ``records`` (any order) against the signed checkpoints (the last is the latest)."""
    report = VerifyReport()
    checkpoints = []
    for note in checkpoint_notes:
        try:
            checkpoints.append(open_checkpoint(note, verifier, origin))
        except NoteError as exc:
            report.problems.append(Problem(None, "checkpoint", f"checkpoint does not verify: {exc}"))
            return report
    if not checkpoints:
        report.problems.append(Problem(None, "checkpoint", "no signed checkpoint to verify against"))
        return report
    checkpoints.sort(key=lambda c: c.tree_size)
    latest = checkpoints[-1]
    report.checkpoint_size = latest.tree_size

    by_seq: dict[int, LogRecord] = {}
    for given in records:
        if given.sequence in by_seq:
            report.problems.append(Problem(given.sequence, "tampered", f"entry {given.sequence} appears twice"))
        by_seq[given.sequence] = given
    report.records = len(by_seq)
    size = max(by_seq) + 1 if by_seq else 0

    tree = merkle.MerkleTree()
    retention_records: dict[int, audit_pb2.RetentionRecord] = {}
    purged_by: dict[int, list[int]] = defaultdict(list)
    for seq in range(size):
        record = by_seq.get(seq)
        if record is None:
            report.problems.append(Problem(seq, "missing", f"entry {seq} is missing"))
            tree.append(bytes(32))
            continue
        if record.purged:
            if record.purged_by is None:
                report.problems.append(
                    Problem(seq, "tampered", f"entry {seq}: payload missing without a retention record")
                )
            else:
                purged_by[record.purged_by].append(seq)
            tree.append(record.leaf_hash)
            continue
        assert record.leaf is not None
        computed = merkle.hash_leaf(record.leaf)
        tree.append(computed)
        problem = _check_record(record, computed)
        if problem is not None:
            report.problems.append(problem)
            continue
        event = canonical.parse_event(canonical.split_leaf(record.leaf)[1])
        if event.type == audit_pb2.EVENT_TYPE_RETENTION and event.HasField("retention"):
            retention_records[seq] = event.retention

    _explain_moves(by_seq, report)
    report.purged_by_policy = _check_retention(purged_by, retention_records, report)
    if size < latest.tree_size:
        report.problems.append(
            Problem(size, "missing", f"log has {size} entries but the signed checkpoint covers {latest.tree_size}")
        )
    else:
        _check_roots(tree, checkpoints, report)
        report.unsigned_tail = size - latest.tree_size
    report.problems.sort(key=lambda p: (p.sequence is None, p.sequence or 0))
    return report


def _check_record(record: LogRecord, computed: bytes) -> Problem | None:
    seq = record.sequence
    assert record.leaf is not None
    try:
        leaf_seq, event_bytes = canonical.split_leaf(record.leaf)
    except canonical.LeafFormatError:
        return Problem(seq, "tampered", f"entry {seq}: leaf bytes are not in the audit leaf format")
    if leaf_seq != seq:
        return Problem(seq, "tampered", f"entry {seq}: holds the event of entry {leaf_seq} (reordered)")
    if not canonical.is_canonical(event_bytes):
        return Problem(seq, "tampered", f"entry {seq}: event bytes are not canonical")
    if computed != record.leaf_hash:
        return Problem(seq, "tampered", f"entry {seq}: payload does not match its leaf hash (edited)")
    if record.event is not None and canonical.canonical_event_bytes(record.event) != event_bytes:
        return Problem(seq, "tampered", f"entry {seq}: displayed event differs from the hashed payload")
    return None


_MAX_MOVE_CANDIDATES = 1000


def _explain_moves(by_seq: dict[int, LogRecord], report: VerifyReport) -> None:
    """Relabel "edited" entries whose payload is another entry's, i.e. rows that were reordered."""
    edited = [p for p in report.problems if p.message.endswith("(edited)")][:_MAX_MOVE_CANDIDATES]
    seqs = [p.sequence for p in edited if p.sequence is not None]
    for index, problem in enumerate(report.problems):
        if problem not in edited or problem.sequence is None:
            continue
        record = by_seq[problem.sequence]
        assert record.leaf is not None
        payload = canonical.split_leaf(record.leaf)[1]
        for other in seqs:
            moved = canonical.leaf_hash(other, payload)
            # The whole row (payload + hash) or just the payload came from entry ``other``.
            if other != problem.sequence and moved in (record.leaf_hash, by_seq[other].leaf_hash):
                report.problems[index] = Problem(
                    problem.sequence, "tampered", f"entry {problem.sequence}: holds the event of entry {other} (reordered)"
                )
                break


def _check_retention(
    purged_by: dict[int, list[int]],
    retention_records: dict[int, audit_pb2.RetentionRecord],
    report: VerifyReport,
) -> int:
    legit = 0
    for record_seq, sequences in sorted(purged_by.items()):
        retention = retention_records.get(record_seq)
        sequences.sort()
        if retention is None:
            for seq in sequences:
                report.problems.append(
                    Problem(seq, "tampered", f"entry {seq}: purged by {record_seq}, which is no retention event")
                )
            continue
        reasons = []
        if retention.purged_count != len(sequences):
            reasons.append(f"retention event {record_seq} purged {retention.purged_count}, {len(sequences)} claim it")
        if sequences_digest(sequences) != retention.sequences_digest:
            reasons.append(f"purged sequences do not match the digest in retention event {record_seq}")
        if sequences[-1] >= record_seq:
            reasons.append(f"entry purged by a retention event ({record_seq}) older than itself")
        if reasons:
            report.problems.append(Problem(sequences[0], "retention", "; ".join(reasons)))
        else:
            legit += len(sequences)
    return legit


def _check_roots(tree: merkle.MerkleTree, checkpoints: list, report: VerifyReport) -> None:
    previous = 0
    for checkpoint in checkpoints:
        if tree.root(checkpoint.tree_size) != checkpoint.root_hash:
            if not any(p.sequence is not None and p.sequence < checkpoint.tree_size for p in report.problems):
                report.problems.append(
                    Problem(
                        previous,
                        "root",
                        f"recomputed root differs from the signed checkpoint at size {checkpoint.tree_size}: "
                        f"an entry in [{previous}, {checkpoint.tree_size}) was altered with its leaf hash",
                    )
                )
            else:
                report.problems.append(
                    Problem(None, "root", f"recomputed root differs from the signed checkpoint at size "
                            f"{checkpoint.tree_size}")
                )
            return
        previous = checkpoint.tree_size


def record_from_entry(entry: StoredEntry) -> LogRecord:
    """A LogRecord from a store row."""
    leaf = None if entry.payload is None else canonical.leaf_bytes(entry.sequence, entry.payload)
    return LogRecord(entry.sequence, entry.leaf_hash, leaf, entry.purged_by)
