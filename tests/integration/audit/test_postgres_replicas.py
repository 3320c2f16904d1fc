"""Two audit service instances appending to one PostgreSQL log produce one correct log."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import grpc
from aisec.audit.v1 import audit_pb2

from services.audit import merkle
from services.audit.checkpoint import NoteVerifier
from services.audit.verify import LogRecord, verify_log
from services.client.cli.audit import record_from_stored
from tests.integration.audit.support import auth, event, run_audit, stub


async def test_two_replicas_share_one_consistent_log(
    tmp_path: Path, dev_key_file: Path, make_token: Callable[..., str], postgres_dsn: str
) -> None:
    writer = auth(make_token(scopes=["audit:append"]))
    reader = auth(make_token(scopes=["audit:read"]))
    shared = {"log_store": "postgres", "postgres_dsn": postgres_dsn, "signing_key_file": tmp_path / "shared.key"}
    async with run_audit(tmp_path / "a", dev_key_file, **shared) as a, \
            run_audit(tmp_path / "b", dev_key_file, **shared) as b, \
            grpc.aio.insecure_channel(a.target) as channel_a, grpc.aio.insecure_channel(b.target) as channel_b:
        api_a, api_b = stub(channel_a), stub(channel_b)

        async def writes(api, base: int) -> list[audit_pb2.Receipt]:  # type: ignore[no-untyped-def]
            receipts = []
            for i in range(0, 60, 3):
                responses = await asyncio.gather(
                    *(api.Append(audit_pb2.AppendRequest(event=event(base + i + k)), metadata=writer)
                      for k in range(3))
                )
                receipts += [r.receipt for r in responses]
            return receipts

        from_a, from_b = await asyncio.gather(writes(api_a, 0), writes(api_b, 1000))
        sequences = sorted(r.sequence for r in from_a + from_b)
        assert sequences == list(range(120))

        checkpoint_a = await api_a.GetCheckpoint(audit_pb2.GetCheckpointRequest(refresh=True), metadata=reader)
        checkpoint_b = await api_b.GetCheckpoint(audit_pb2.GetCheckpointRequest(refresh=True), metadata=reader)
        assert checkpoint_a.tree_size == checkpoint_b.tree_size == 120
        assert checkpoint_a.root_hash == checkpoint_b.root_hash

        # A replica proves entries the other one wrote.
        receipt = from_a[7]
        proof = await api_b.GetInclusionProof(
            audit_pb2.GetInclusionProofRequest(sequence=receipt.sequence), metadata=reader
        )
        merkle.verify_inclusion(receipt.sequence, 120, receipt.leaf_hash, list(proof.hashes), checkpoint_b.root_hash)

        records: list[LogRecord] = []
        async for page in api_b.Query(audit_pb2.QueryRequest(page_size=50), metadata=reader):
            records += [record_from_stored(s) for s in page.events]
        verifier = NoteVerifier.from_verifier_key(a.vkey_file.read_text())
        report = verify_log(records, [checkpoint_a.signed_note], verifier, "aisec.local/audit")
        assert report.ok, report.summary()
        assert report.records == 120
