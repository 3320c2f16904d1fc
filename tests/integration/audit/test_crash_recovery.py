"""Reliability with real processes: sustained appends, kill -9, restart.

Every acknowledged event is present with its receipt's leaf hash, the tree and
the latest signed checkpoint verify, the new checkpoint is consistent with it,
and appends continue.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from aisec.audit.v1 import audit_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.audit import merkle
from services.audit.checkpoint import NoteVerifier, open_checkpoint
from services.audit.verify import verify_log
from services.client.cli.audit import record_from_stored
from tests.conftest import find_free_port
from tests.integration.audit.support import event, stub

REPO = Path(__file__).resolve().parents[3]


class AuditProcess:
    def __init__(self, state_dir: Path, port: int) -> None:
        self.port = port
        self.target = f"127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "AISEC_PORT": str(port),
            "AISEC_HOST": "127.0.0.1",
            "AISEC_STATE_DIR": str(state_dir),
            "AISEC_AUTH_ENABLED": "false",
            "AISEC_RATELIMIT_ENABLED": "false",
            "AISEC_CHECKPOINT_INTERVAL_S": "0.2",
            "AISEC_LOG_LEVEL": "WARNING",
        }
        self.log = state_dir / "service.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "services.audit"], cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )

    async def wait_serving(self, timeout_s: float = 30.0) -> None:
        async with grpc.aio.insecure_channel(self.target) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            response = await health.Check(
                health_pb2.HealthCheckRequest(service="aisec.audit.v1.AuditService"),
                timeout=timeout_s, wait_for_ready=True,
            )
            assert response.status == health_pb2.HealthCheckResponse.SERVING

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def audit_process(tmp_path: Path) -> Iterator[AuditProcess]:
    process = AuditProcess(tmp_path / "state", find_free_port())
    yield process
    process.stop()


async def _all_records(api) -> list[audit_pb2.StoredEvent]:  # type: ignore[no-untyped-def]
    out: list[audit_pb2.StoredEvent] = []
    async for page in api.Query(audit_pb2.QueryRequest(page_size=1000)):
        out += list(page.events)
    return out


async def test_kill_9_loses_no_acknowledged_event(audit_process: AuditProcess) -> None:
    audit_process.start()
    await audit_process.wait_serving()
    acked: dict[int, tuple[bytes, str]] = {}
    stop = asyncio.Event()

    async with grpc.aio.insecure_channel(audit_process.target) as channel:
        api = stub(channel)

        async def appender(worker: int) -> None:
            i = 0
            while not stop.is_set():
                ev = event(worker * 1_000_000 + i)
                i += 1
                try:
                    response = await api.Append(audit_pb2.AppendRequest(event=ev), timeout=5)
                except grpc.aio.AioRpcError:
                    return  # the server is gone: this append was never acknowledged
                acked[response.receipt.sequence] = (response.receipt.leaf_hash, ev.request_id)

        workers = [asyncio.create_task(appender(w)) for w in range(16)]
        # Sustained load until a good number are acknowledged and checkpoints were signed meanwhile.
        while len(acked) < 1500:
            await asyncio.sleep(0.01)
            if all(w.done() for w in workers):
                pytest.fail(f"appenders stopped early; service log: {audit_process.log.read_text()[-2000:]}")
        audit_process.kill9()
        stop.set()
        await asyncio.gather(*workers)

    audit_process.start()
    await audit_process.wait_serving()
    async with grpc.aio.insecure_channel(audit_process.target) as channel:
        api = stub(channel)
        records = await _all_records(api)
        by_seq = {r.sequence: r for r in records}
        missing = [seq for seq in acked if seq not in by_seq]
        assert not missing, f"acknowledged but lost: {missing[:10]}"
        for seq, (leaf_hash, request_id) in acked.items():
            assert by_seq[seq].leaf_hash == leaf_hash
            assert by_seq[seq].event.request_id == request_id

        vkey = (audit_process.env["AISEC_STATE_DIR"] + "/audit/checkpoint.vkey")
        verifier = NoteVerifier.from_verifier_key(Path(vkey).read_text())
        before = await api.GetCheckpoint(audit_pb2.GetCheckpointRequest())
        assert before.tree_size > 0  # signed before the crash
        report = verify_log([record_from_stored(r) for r in records], [before.signed_note], verifier)
        assert report.ok, report.summary()

        more = await api.Append(audit_pb2.AppendRequest(event=event(42)))
        assert more.receipt.sequence == len(records)
        after = await api.GetCheckpoint(audit_pb2.GetCheckpointRequest(refresh=True))
        assert after.tree_size == len(records) + 1
        proof = await api.GetConsistencyProof(
            audit_pb2.GetConsistencyProofRequest(first_size=before.tree_size, second_size=after.tree_size)
        )
        old = open_checkpoint(before.signed_note, verifier)
        new = open_checkpoint(after.signed_note, verifier)
        merkle.verify_consistency(old.tree_size, new.tree_size, list(proof.hashes), old.root_hash, new.root_hash)
