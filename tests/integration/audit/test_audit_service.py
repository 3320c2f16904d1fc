"""The audit service over gRPC: appends, proofs, checkpoints, query, scopes, metrics, CLI."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import grpc
import pytest
from aisec.audit.v1 import audit_pb2

from services.audit import merkle
from services.audit.audit_log import TREE_MEMORY_LEVEL
from services.audit.checkpoint import NoteVerifier, open_checkpoint
from tests.integration.audit.support import auth, event, run_audit, run_cli, stub

MakeToken = Callable[..., str]


async def test_append_prove_and_checkpoint(tmp_path: Path, dev_key_file: Path, make_token: MakeToken) -> None:
    writer = auth(make_token(scopes=["audit:append"]))
    reader = auth(make_token(scopes=["audit:read"]))
    async with run_audit(tmp_path, dev_key_file) as audit, grpc.aio.insecure_channel(audit.target) as channel:
        api = stub(channel)
        single = await api.Append(audit_pb2.AppendRequest(event=event(0)), metadata=writer)
        assert single.receipt.sequence == 0

        async def requests():  # type: ignore[no-untyped-def]
            yield audit_pb2.AppendStreamRequest(events=[event(i) for i in range(1, 6)])
            yield audit_pb2.AppendStreamRequest(events=[event(i) for i in range(6, 10)])

        streamed = await api.AppendStream(requests(), metadata=writer)
        assert [r.sequence for r in streamed.receipts] == list(range(1, 10))

        checkpoint = await api.GetCheckpoint(audit_pb2.GetCheckpointRequest(refresh=True), metadata=reader)
        assert checkpoint.tree_size == 10 and checkpoint.origin == "aisec.local/audit"
        verifier = NoteVerifier.from_verifier_key(audit.vkey_file.read_text())
        signed = open_checkpoint(checkpoint.signed_note, verifier, "aisec.local/audit")
        assert signed.root_hash == checkpoint.root_hash

        receipt = streamed.receipts[4]
        proof = await api.GetInclusionProof(audit_pb2.GetInclusionProofRequest(sequence=receipt.sequence),
                                            metadata=reader)
        assert proof.leaf_hash == receipt.leaf_hash and proof.tree_size == 10
        merkle.verify_inclusion(receipt.sequence, 10, receipt.leaf_hash, list(proof.hashes), signed.root_hash)

        await api.Append(audit_pb2.AppendRequest(event=event(10)), metadata=writer)
        newer = await api.GetCheckpoint(audit_pb2.GetCheckpointRequest(refresh=True), metadata=reader)
        consistency = await api.GetConsistencyProof(
            audit_pb2.GetConsistencyProofRequest(first_size=10), metadata=reader
        )
        assert consistency.second_size == newer.tree_size == 11
        merkle.verify_consistency(10, 11, list(consistency.hashes), checkpoint.root_hash, newer.root_hash)

        with pytest.raises(grpc.aio.AioRpcError) as out_of_range:
            await api.GetInclusionProof(audit_pb2.GetInclusionProofRequest(sequence=11), metadata=reader)
        assert out_of_range.value.code() == grpc.StatusCode.INVALID_ARGUMENT

        text = _metrics_text(audit.registry)
        assert 'aisec_audit_appends_total{source_service="validator",type="VALIDATION"} 11.0' in text
        assert "aisec_audit_tree_size 11.0" in text
        assert "aisec_audit_batch_size_count" in text and "aisec_audit_checkpoint_age_seconds" in text


async def _wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


def _metrics_text(registry: Any) -> str:
    from prometheus_client import generate_latest

    return generate_latest(registry).decode()


async def test_scopes_and_validation(tmp_path: Path, dev_key_file: Path, make_token: MakeToken) -> None:
    writer = auth(make_token(scopes=["audit:append"]))
    reader = auth(make_token(scopes=["audit:read"]))
    async with run_audit(tmp_path, dev_key_file) as audit, grpc.aio.insecure_channel(audit.target) as channel:
        api = stub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as denied:
            await api.Append(audit_pb2.AppendRequest(event=event(0)), metadata=reader)
        assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
        with pytest.raises(grpc.aio.AioRpcError) as denied_read:
            await api.GetCheckpoint(audit_pb2.GetCheckpointRequest(), metadata=writer)
        assert denied_read.value.code() == grpc.StatusCode.PERMISSION_DENIED
        forged = event(1, event_type=audit_pb2.EVENT_TYPE_RETENTION)
        for bad in (forged, audit_pb2.Event(type=audit_pb2.EVENT_TYPE_VALIDATION), event(2, tenant="x" * 300)):
            with pytest.raises(grpc.aio.AioRpcError) as invalid:
                await api.Append(audit_pb2.AppendRequest(event=bad), metadata=writer)
            assert invalid.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert audit.audit_log.tree.size == 0


async def test_query_filters_and_pages(tmp_path: Path, dev_key_file: Path, make_token: MakeToken) -> None:
    writer = auth(make_token(scopes=["audit:append"]))
    reader = auth(make_token(scopes=["audit:read"]))
    async with run_audit(tmp_path, dev_key_file) as audit, grpc.aio.insecure_channel(audit.target) as channel:
        api = stub(channel)
        events = [event(i, tenant="acme" if i % 2 else "globex", service="guard" if i % 3 == 0 else "validator")
                  for i in range(12)]
        await asyncio.gather(*(api.Append(audit_pb2.AppendRequest(event=e), metadata=writer) for e in events))

        async def collect(request: audit_pb2.QueryRequest) -> list[audit_pb2.QueryResponse]:
            return [r async for r in api.Query(request, metadata=reader)]

        pages = await collect(audit_pb2.QueryRequest(page_size=5))
        assert [len(p.events) for p in pages] == [5, 5, 2]
        assert [e.sequence for p in pages for e in p.events] == list(range(12))
        assert pages[-1].next_page_token == ""
        limited = await collect(audit_pb2.QueryRequest(page_size=5, limit=7))
        assert sum(len(p.events) for p in limited) == 7
        resumed = await collect(audit_pb2.QueryRequest(page_size=5, page_token=limited[-1].next_page_token))
        assert [e.sequence for p in resumed for e in p.events] == list(range(7, 12))
        acme = await collect(audit_pb2.QueryRequest(tenant="acme"))
        assert all(e.event.tenant == "acme" for p in acme for e in p.events)
        assert sum(len(p.events) for p in acme) == 6
        guard = await collect(audit_pb2.QueryRequest(service="guard", type=audit_pb2.EVENT_TYPE_VALIDATION))
        assert sum(len(p.events) for p in guard) == 4
        later = await collect(audit_pb2.QueryRequest(from_sequence=10))
        assert [e.sequence for p in later for e in p.events] == [10, 11]
        with pytest.raises(grpc.aio.AioRpcError) as bad_token:
            await collect(audit_pb2.QueryRequest(page_token="garbage!"))
        assert bad_token.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_cli_verify_online_offline_and_after_tampering(
    tmp_path: Path, dev_key_file: Path, make_token: MakeToken, capsys: pytest.CaptureFixture[str]
) -> None:
    writer = auth(make_token(scopes=["audit:append"]))
    token = make_token(scopes=["audit:read"])
    async with run_audit(tmp_path, dev_key_file, retention_max_age_s={"REDACTION": 1},
                         retention_interval_s=0.05) as audit, \
            grpc.aio.insecure_channel(audit.target) as channel:
        api = stub(channel)
        old = event(0, service="guard", event_type=audit_pb2.EVENT_TYPE_REDACTION, action="redact")
        old.time.FromSeconds(1_000_000)
        await api.Append(audit_pb2.AppendRequest(event=old), metadata=writer)
        for i in range(1, 8):
            await api.Append(audit_pb2.AppendRequest(event=event(i)), metadata=writer)
        # The retention task (configured above) purges the old REDACTION payload in the background.
        await _wait_until(lambda: audit.audit_log.store.read(0, 1)[0].purged)
        await audit.audit_log.sync()
        common = ["--target", audit.target, "--token", token]
        vkey = ["--vkey-file", str(audit.vkey_file)]

        def cli(*argv: str) -> int:
            return run_cli(list(argv))

        assert await asyncio.to_thread(cli, "verify", "--refresh", *vkey, *common) == 0
        assert "OK: 9 entries" in capsys.readouterr().out
        export = tmp_path / "export.jsonl"
        assert await asyncio.to_thread(cli, "export", "-o", str(export), *common) == 0
        assert await asyncio.to_thread(cli, "verify", "--file", str(export), *vkey) == 0
        assert "1 payloads purged by retention policy" in capsys.readouterr().out
        assert await asyncio.to_thread(cli, "proof", "3", *vkey, *common) == 0
        proof = json.loads(capsys.readouterr().out)
        assert proof["verified"] is True
        assert await asyncio.to_thread(cli, "proof", "2", "--tree-size", "5", *vkey, *common) == 0
        older = json.loads(capsys.readouterr().out)
        assert older["verified"] is True and older["tree_size"] == "5"
        assert await asyncio.to_thread(cli, "query", "--format", "jsonl", "--tenant", "acme", *common) == 0
        assert len(capsys.readouterr().out.strip().splitlines()) == 7
        assert await asyncio.to_thread(cli, "tail", "-n", "3", *common) == 0
        tail = capsys.readouterr().out.strip().splitlines()
        assert len(tail) == 3 and tail[-1].split()[0] == "8"
        no_checkpoint = tmp_path / "entries-only.jsonl"
        no_checkpoint.write_text("".join(line + "\n" for line in export.read_text().splitlines()[1:]))
        assert await asyncio.to_thread(cli, "verify", "--file", str(no_checkpoint), *vkey) == 1
        assert "no signed checkpoint" in capsys.readouterr().out

        # Offline tampering of the export: edit the displayed event of entry 4.
        lines = export.read_text().splitlines()
        rows = [json.loads(line) for line in lines]
        index = next(i for i, r in enumerate(rows)
                     if r["kind"] == "entry" and r["sequence"] >= 4 and r.get("event", {}).get("action") == "allow")
        row = rows[index]
        bad_seq = row["sequence"]
        row["event"]["action"] = "deny"
        lines[index] = json.dumps(row)
        tampered = tmp_path / "tampered.jsonl"
        tampered.write_text("\n".join(lines) + "\n")
        assert await asyncio.to_thread(cli, "verify", "--file", str(tampered), *vkey) == 1
        assert f"first bad entry {bad_seq}" in capsys.readouterr().out

        # Tampering in the database: edit the payload of entry 5.
        with sqlite3.connect(audit.settings.resolved_sqlite_path()) as db:
            seq, payload = db.execute(
                "SELECT seq, payload FROM entries WHERE seq >= 5 AND tenant = 'acme' ORDER BY seq LIMIT 1"
            ).fetchone()
            db.execute("UPDATE entries SET payload = ? WHERE seq = ?", (payload.replace(b"acme", b"acmf"), seq))
        assert await asyncio.to_thread(cli, "verify", "--json", *vkey, *common) == 1
        report = json.loads(capsys.readouterr().out)
        assert report["first_bad_sequence"] == seq and not report["ok"]


async def test_proofs_past_the_in_memory_levels_read_leaves_back(
    tmp_path: Path, dev_key_file: Path, make_token: MakeToken
) -> None:
    """The tree keeps only blocks of 2**TREE_MEMORY_LEVEL leaves in memory: proofs inside a complete block
    read its leaves back from SQLite; a block whose rows are gone is DATA_LOSS, not a wrong proof."""
    block = 1 << TREE_MEMORY_LEVEL
    size = 2 * block + 300
    writer = auth(make_token(scopes=["audit:append"]))
    reader = auth(make_token(scopes=["audit:read"]))
    async with run_audit(tmp_path, dev_key_file) as audit, grpc.aio.insecure_channel(audit.target) as channel:
        api = stub(channel)

        async def requests():  # type: ignore[no-untyped-def]
            for first in range(0, size, 500):
                yield audit_pb2.AppendStreamRequest(events=[event(i) for i in range(first, min(size, first + 500))])

        receipts = (await api.AppendStream(requests(), metadata=writer)).receipts
        assert len(receipts) == size
        checkpoint = await api.GetCheckpoint(audit_pb2.GetCheckpointRequest(refresh=True), metadata=reader)
        assert checkpoint.tree_size == size
        for sequence in (0, 5, block - 1, 2 * block, size - 1):  # blocks 0 and 2 (the tail); 1 stays unread
            proof = await api.GetInclusionProof(
                audit_pb2.GetInclusionProofRequest(sequence=sequence), metadata=reader
            )
            assert proof.leaf_hash == receipts[sequence].leaf_hash
            merkle.verify_inclusion(sequence, size, proof.leaf_hash, list(proof.hashes), checkpoint.root_hash)
        for first in (1, 700, block, 2 * block + 1):
            old = await api.GetConsistencyProof(
                audit_pb2.GetConsistencyProofRequest(first_size=first, second_size=first), metadata=reader
            )
            consistency = await api.GetConsistencyProof(
                audit_pb2.GetConsistencyProofRequest(first_size=first), metadata=reader
            )
            merkle.verify_consistency(first, size, list(consistency.hashes), old.first_root, checkpoint.root_hash)

        with sqlite3.connect(audit.settings.resolved_sqlite_path()) as db:
            db.execute("DELETE FROM entries WHERE seq = ?", (block + 17,))
        with pytest.raises(grpc.aio.AioRpcError) as lost:
            await api.GetInclusionProof(audit_pb2.GetInclusionProofRequest(sequence=block + 3), metadata=reader)
        assert lost.value.code() == grpc.StatusCode.DATA_LOSS
        assert "missing entries" in (lost.value.details() or "")
