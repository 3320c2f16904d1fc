"""`aisec audit`: tail, query, export, proof, verify.

``verify`` checks the latest checkpoint's signature with the log's verifier key,
recomputes the Merkle tree from the stored leaves and payloads, tells payloads
purged by retention policy apart from tampering, and names the first bad entry.
It runs online (against the service) or offline on a JSONL export (``export``
or ``query --format jsonl`` plus a checkpoint). Exit codes: 0 all is well,
1 verification failed or permission denied, 2 usage or connection error.

Export format (JSONL): a ``{"kind": "checkpoint", "signed_note": ...}`` line,
then one ``{"kind": "entry", "sequence", "leaf_hash", "canonical", "purged",
"purged_by", "event"}`` line per entry (bytes base64).
"""

from __future__ import annotations

import argparse
import base64
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import grpc
from aisec.audit.v1 import audit_pb2
from google.protobuf import json_format

from services.audit import merkle
from services.audit.checkpoint import NoteError, NoteVerifier, open_checkpoint
from services.audit.verify import LogRecord, VerifyReport, verify_log
from services.client.cli.common import (
    EXIT_DENIED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    add_common_options,
    describe_rpc_error,
    iter_json_objects,
    make_client,
    print_json,
    to_dict,
)
from services.client.settings import find_state_dir

VKEY_RELATIVE = Path("audit") / "checkpoint.vkey"
EXPORT_PAGE = 1000
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("audit", help="read, prove and verify the tamper-evident audit log")
    commands = parser.add_subparsers(dest="audit_command", metavar="AUDIT_COMMAND", required=True)

    tail = commands.add_parser("tail", help="show the newest events (and follow with -f)")
    tail.add_argument("-n", "--lines", type=int, default=20, help="how many recent events (default 20)")
    tail.add_argument("-f", "--follow", action="store_true", help="keep printing new events")
    tail.add_argument("--interval", type=float, default=1.0, help="poll interval with --follow (seconds)")
    tail.add_argument("--format", choices=("table", "jsonl"), default="table")
    tail.set_defaults(func=run_tail)

    query = commands.add_parser("query", help="events by time, service, type, tenant, action")
    query.add_argument("--since", help="ISO time or age like 15m, 2h, 7d (inclusive)")
    query.add_argument("--until", help="ISO time or age (exclusive)")
    query.add_argument("--service")
    query.add_argument("--type", help="validation, redaction, vault_access, interaction, retention")
    query.add_argument("--tenant")
    query.add_argument("--action")
    query.add_argument("--from-seq", type=int, default=0, help="only sequences >= this")
    query.add_argument("--limit", type=int, default=0, help="most events (0: all)")
    query.add_argument("--format", choices=("table", "jsonl"), default="table")
    query.set_defaults(func=run_query)

    export = commands.add_parser("export", help="write checkpoint and every entry as JSONL (for offline verify)")
    export.add_argument("-o", "--output", default="-", help="file (default stdout)")
    export.set_defaults(func=run_export)

    proof = commands.add_parser("proof", help="inclusion proof of entry SEQ, checked against the checkpoint")
    proof.add_argument("sequence", type=int)
    proof.add_argument("--tree-size", type=int, default=0, help="tree size to prove against (0: latest checkpoint)")
    _add_vkey_options(proof)
    proof.set_defaults(func=run_proof)

    verify = commands.add_parser("verify", help="verify the whole log (online, or offline with --file)")
    verify.add_argument("--file", help="JSONL export to verify offline ('-' for stdin)")
    verify.add_argument("--checkpoint", type=Path, help="signed checkpoint note file (offline, when the file has none)")
    verify.add_argument("--refresh", action="store_true", help="ask the service to sign a fresh checkpoint first")
    verify.add_argument("--json", action="store_true", help="print the report as JSON")
    _add_vkey_options(verify)
    verify.set_defaults(func=run_verify)

    for sub in (tail, query, export, proof, verify):
        add_common_options(sub)


def _add_vkey_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vkey", help="the log's verifier key (<name>+<hash>+<key>)")
    parser.add_argument("--vkey-file", type=Path, help=f"file with the verifier key (default .aisec/{VKEY_RELATIVE})")
    parser.add_argument("--origin", help="expected checkpoint origin (default: the key name)")


# --- helpers ---------------------------------------------------------------------


def load_verifier(args: argparse.Namespace) -> NoteVerifier:
    text = args.vkey
    if text is None:
        path = args.vkey_file
        if path is None:
            state = find_state_dir()
            path = state / VKEY_RELATIVE if state is not None else None
        if path is None or not Path(path).is_file():
            raise CliError("no verifier key: pass --vkey or --vkey-file (the service writes checkpoint.vkey)")
        text = Path(path).read_text().strip()
    try:
        return NoteVerifier.from_verifier_key(text)
    except NoteError as exc:
        raise CliError(f"bad verifier key: {exc}") from None


def parse_time(value: str) -> datetime:
    number, unit = value[:-1], value[-1:]
    if unit in _UNITS and number.isdigit():
        return datetime.now(UTC) - timedelta(seconds=int(number) * _UNITS[unit])
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise CliError(f"bad time {value!r}: use ISO 8601 or an age like 15m, 2h, 7d") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_type(value: str) -> int:
    name = "EVENT_TYPE_" + value.strip().upper()
    if name not in audit_pb2.EventType.keys():
        raise CliError(f"unknown event type {value!r}")
    return audit_pb2.EventType.Value(name)


def entry_json(stored: audit_pb2.StoredEvent) -> dict[str, Any]:
    row: dict[str, Any] = {
        "kind": "entry",
        "sequence": stored.sequence,
        "leaf_hash": base64.b64encode(stored.leaf_hash).decode(),
        "canonical": base64.b64encode(stored.canonical).decode() if not stored.purged else None,
        "purged": stored.purged,
    }
    if stored.purged:
        row["purged_by"] = stored.purged_by
        row["purged_at"] = stored.purged_at.ToJsonString() if stored.HasField("purged_at") else None
    else:
        row["event"] = json_format.MessageToDict(stored.event, preserving_proto_field_name=True)
    return row


def record_from_json(row: dict[str, Any], where: str) -> LogRecord:
    try:
        event = None
        if row.get("event") is not None:
            event = json_format.ParseDict(row["event"], audit_pb2.Event())
        canonical = row.get("canonical")
        return LogRecord(
            sequence=int(row["sequence"]),
            leaf_hash=base64.b64decode(row["leaf_hash"]),
            leaf=None if canonical is None else base64.b64decode(canonical),
            purged_by=row.get("purged_by") if row.get("purged") else None,
            event=event,
        )
    except (KeyError, TypeError, ValueError, json_format.ParseError) as exc:
        raise CliError(f"{where}: not an audit export entry ({exc})") from None


def record_from_stored(stored: audit_pb2.StoredEvent) -> LogRecord:
    return LogRecord(
        sequence=stored.sequence,
        leaf_hash=stored.leaf_hash,
        leaf=None if stored.purged else stored.canonical,
        purged_by=stored.purged_by if stored.purged else None,
        event=None if stored.purged else stored.event,
    )


def _summary_line(stored: audit_pb2.StoredEvent) -> str:
    if stored.purged:
        return f"{stored.sequence:>8}  (payload purged by retention event {stored.purged_by})"
    e = stored.event
    when = e.time.ToDatetime(tzinfo=UTC).isoformat(timespec="milliseconds")
    kind = audit_pb2.EventType.Name(e.type).removeprefix("EVENT_TYPE_").lower()
    findings = ",".join(f"{k}={v}" for k, v in sorted(e.finding_counts.items()))
    return (
        f"{stored.sequence:>8}  {when}  {e.service:<9} {kind:<12} {e.tenant or '-':<10} {e.action or '-':<8} "
        f"{e.reason or '-':<20} {e.subject or '-'} {findings}"
    ).rstrip()


def _emit(stored: audit_pb2.StoredEvent, fmt: str) -> None:
    out = sys.stdout
    if fmt == "jsonl":
        print_json(entry_json(stored), out)
    else:
        out.write(_summary_line(stored) + "\n")


def _stream(client: Any, request: audit_pb2.QueryRequest) -> Iterator[audit_pb2.StoredEvent]:
    for response in client.stream(client.audit.Query, request):
        yield from response.events


def _rpc_exit(exc: grpc.RpcError) -> int:
    print(f"aisec: {describe_rpc_error(exc)}", file=sys.stderr)
    return EXIT_DENIED if exc.code() == grpc.StatusCode.PERMISSION_DENIED else EXIT_USAGE


# --- commands ----------------------------------------------------------------------


def run_query(args: argparse.Namespace) -> int:
    request = audit_pb2.QueryRequest(
        service=args.service or "", tenant=args.tenant or "", action=args.action or "",
        from_sequence=max(0, args.from_seq), limit=max(0, args.limit), page_size=EXPORT_PAGE,
    )
    if args.type:
        request.type = parse_type(args.type)  # type: ignore[assignment]
    if args.since:
        request.start_time.FromDatetime(parse_time(args.since))
    if args.until:
        request.end_time.FromDatetime(parse_time(args.until))
    with make_client(args, "audit") as client:
        try:
            for stored in _stream(client, request):
                _emit(stored, args.format)
        except grpc.RpcError as exc:
            return _rpc_exit(exc)
    return EXIT_OK


def run_tail(args: argparse.Namespace) -> int:
    with make_client(args, "audit") as client:
        try:
            size = client.call(client.audit.GetCheckpoint, audit_pb2.GetCheckpointRequest(refresh=True)).tree_size
            start = max(0, size - max(0, args.lines))
            while True:
                for stored in _stream(client, audit_pb2.QueryRequest(from_sequence=start, page_size=EXPORT_PAGE)):
                    _emit(stored, args.format)
                    start = stored.sequence + 1
                if not args.follow:
                    return EXIT_OK
                time.sleep(args.interval)
        except grpc.RpcError as exc:
            return _rpc_exit(exc)


def run_export(args: argparse.Namespace) -> int:
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    try:
        with make_client(args, "audit") as client:
            try:
                checkpoint = client.call(client.audit.GetCheckpoint, audit_pb2.GetCheckpointRequest(refresh=True))
                print_json({"kind": "checkpoint", "signed_note": checkpoint.signed_note}, out)
                for stored in _stream(client, audit_pb2.QueryRequest(page_size=EXPORT_PAGE)):
                    print_json(entry_json(stored), out)
            except grpc.RpcError as exc:
                return _rpc_exit(exc)
    finally:
        if out is not sys.stdout:
            out.close()
    return EXIT_OK


def run_proof(args: argparse.Namespace) -> int:
    verifier = load_verifier(args)
    with make_client(args, "audit") as client:
        try:
            proof = client.call(
                client.audit.GetInclusionProof,
                audit_pb2.GetInclusionProofRequest(sequence=args.sequence, tree_size=args.tree_size),
            )
            checkpoint = client.call(client.audit.GetCheckpoint, audit_pb2.GetCheckpointRequest())
        except grpc.RpcError as exc:
            return _rpc_exit(exc)
    result = to_dict(proof)
    try:
        signed = open_checkpoint(checkpoint.signed_note, verifier, args.origin or verifier.name)
        merkle.verify_inclusion(proof.sequence, proof.tree_size, proof.leaf_hash, list(proof.hashes), proof.root_hash)
        if proof.tree_size > signed.tree_size:
            raise merkle.ProofError(f"proof is for tree size {proof.tree_size}, newer than the signed checkpoint")
        if signed.tree_size == proof.tree_size:
            if signed.root_hash != proof.root_hash:
                raise merkle.ProofError("proof root differs from the signed checkpoint root")
        else:  # tie the older tree to the signed one
            with make_client(args, "audit") as client:
                consistency = client.call(
                    client.audit.GetConsistencyProof,
                    audit_pb2.GetConsistencyProofRequest(first_size=proof.tree_size, second_size=signed.tree_size),
                )
            merkle.verify_consistency(
                proof.tree_size, signed.tree_size, list(consistency.hashes), proof.root_hash, signed.root_hash
            )
        result["verified"] = True
        result["signed_checkpoint_size"] = signed.tree_size
        print_json(result, sys.stdout)
        return EXIT_OK
    except (NoteError, merkle.ProofError) as exc:
        result["verified"] = False
        result["error"] = str(exc)
        print_json(result, sys.stdout)
        return EXIT_DENIED


def _read_export(path: str) -> tuple[list[str], list[LogRecord]]:
    notes: list[str] = []
    records: list[LogRecord] = []
    for lineno, row in iter_json_objects(path):
        if row.get("kind") == "checkpoint":
            notes.append(str(row.get("signed_note", "")))
        else:
            records.append(record_from_json(row, f"{path}:{lineno}"))
    return notes, records


def _print_report(report: VerifyReport, as_json: bool) -> None:
    if as_json:
        print_json({
            "ok": report.ok,
            "checkpoint_size": report.checkpoint_size,
            "entries": report.records,
            "purged_by_policy": report.purged_by_policy,
            "entries_after_checkpoint": report.unsigned_tail,
            "first_bad_sequence": report.first_bad_sequence,
            "problems": [{"sequence": p.sequence, "kind": p.kind, "message": p.message} for p in report.problems],
        }, sys.stdout)
        return
    print(report.summary())
    for problem in report.problems[:50]:
        where = "-" if problem.sequence is None else str(problem.sequence)
        print(f"  [{problem.kind}] at {where}: {problem.message}")
    if len(report.problems) > 50:
        print(f"  ... and {len(report.problems) - 50} more")


def run_verify(args: argparse.Namespace) -> int:
    verifier = load_verifier(args)
    if args.file:
        notes, records = _read_export(args.file)
        if args.checkpoint is not None:
            notes.append(args.checkpoint.read_text())
    else:
        with make_client(args, "audit") as client:
            try:
                checkpoint = client.call(
                    client.audit.GetCheckpoint, audit_pb2.GetCheckpointRequest(refresh=args.refresh)
                )
                records = [record_from_stored(s) for s in _stream(client, audit_pb2.QueryRequest(page_size=EXPORT_PAGE))]
            except grpc.RpcError as exc:
                return _rpc_exit(exc)
        notes = [checkpoint.signed_note]
    report = verify_log(records, notes, verifier, args.origin or verifier.name)
    _print_report(report, args.json)
    return EXIT_OK if report.ok else EXIT_DENIED
