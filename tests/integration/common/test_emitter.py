"""AuditEmitter against a real (tiny, scripted) AuditService on port 0."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import grpc
from aisec.audit.v1 import audit_pb2, audit_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common.auth import current_identity
from services.common.emitter import AuditEmitter, TextHasher
from services.common.server import ServiceDefinition, serve
from tests.conftest import MakeToken, find_free_port
from tests.integration.common.support import make_settings, sample

AUDIT = "aisec.audit.v1.AuditService"


class RecordingAudit(audit_pb2_grpc.AuditServiceServicer):
    """Keeps every AppendStream batch; ``gate`` can hold deliveries."""

    def __init__(self) -> None:
        self.batches: list[list[audit_pb2.Event]] = []
        self.callers: list[str] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.received = asyncio.Condition()

    async def AppendStream(
        self,
        request_iterator: AsyncIterator[audit_pb2.AppendStreamRequest],
        context: grpc.aio.ServicerContext,
    ) -> audit_pb2.AppendStreamResponse:
        await self.gate.wait()
        receipts = []
        async for request in request_iterator:
            async with self.received:
                self.batches.append(list(request.events))
                self.callers.append(current_identity().subject)
                self.received.notify_all()
            receipts += [audit_pb2.Receipt(sequence=i) for i in range(len(request.events))]
        return audit_pb2.AppendStreamResponse(receipts=receipts)

    def events(self) -> list[audit_pb2.Event]:
        return [event for batch in self.batches for event in batch]

    async def wait_for(self, count: int, timeout_s: float = 10.0) -> None:
        async with self.received:
            await asyncio.wait_for(self.received.wait_for(lambda: len(self.events()) >= count), timeout_s)


def audit_definition(servicer: RecordingAudit) -> ServiceDefinition:
    return ServiceDefinition(
        name="audit",
        full_names=[AUDIT],
        register=lambda server: audit_pb2_grpc.add_AuditServiceServicer_to_server(servicer, server),
        method_scopes={f"/{AUDIT}/AppendStream": "audit:append"},
    )


@contextlib.asynccontextmanager
async def started_emitter(
    recorder: RecordingAudit, service: str, **settings: Any
) -> AsyncIterator[tuple[AuditEmitter, CollectorRegistry]]:
    """An emitter, started, that delivers to ``recorder`` served on port 0 (the test closes it)."""
    async with serve(make_settings(), audit_definition(recorder)) as audit:
        registry = CollectorRegistry()
        emitter = AuditEmitter.from_settings(service, make_settings(audit_target=audit.target, **settings), registry)
        await emitter.start()
        yield emitter, registry


def event(n: int) -> audit_pb2.Event:
    return audit_pb2.Event(
        type=audit_pb2.EVENT_TYPE_VALIDATION, request_id=f"req-{n}", action="allow", reason="ALLOWED"
    )


async def test_events_are_delivered_in_batches(
    tmp_path: Path, dev_key_file: Path, make_token: MakeToken
) -> None:
    token_file = tmp_path / "service-token"
    token_file.write_text(make_token(scopes=["audit:append"], subject="aisec-services") + "\n")
    hash_key = tmp_path / "hash.key"
    hash_key.write_bytes(b"k" * 32 + b"\n")
    recorder = RecordingAudit()
    audit_settings = make_settings(auth_enabled=True, jwt_hs256_key_file=dev_key_file)
    async with serve(audit_settings, audit_definition(recorder)) as audit:
        emitter_settings = make_settings(
            audit_target=audit.target,
            audit_token_file=token_file,
            audit_batch_size=10,
            audit_flush_interval_s=0.05,
            hash_key_file=hash_key,
            hash_key_id="k1",
        )
        registry = CollectorRegistry()
        emitter = AuditEmitter.from_settings("validator", emitter_settings, registry)
        assert emitter.delivering
        await emitter.start()
        try:
            assert all(emitter.emit(event(n)) for n in range(25))
            await recorder.wait_for(25)
        finally:
            await emitter.aclose()
    events = recorder.events()
    assert [e.request_id for e in events] == [f"req-{n}" for n in range(25)]
    assert all(e.service == "validator" and e.HasField("time") for e in events)
    assert max(len(batch) for batch in recorder.batches) <= 10
    assert len(recorder.batches) >= 3
    assert set(recorder.callers) == {"aisec-services"}  # the emitter authenticates with its token file
    assert sample(registry, "aisec_audit_emitter_sent_total", service="validator") == 25
    assert (
        sample(registry, "aisec_audit_emitter_dropped_total", service="validator", reason="queue_full") == 0
    )
    # The shared hashing key makes hashes comparable across services.
    assert emitter.hasher.key_id == "k1"
    assert emitter.hasher.hmac("text") == TextHasher(b"k" * 32, "k1").hmac("text")


async def test_close_flushes_what_is_queued(tmp_path: Path) -> None:
    recorder = RecordingAudit()
    async with started_emitter(recorder, "guard", audit_batch_size=100, audit_flush_interval_s=30) as (
        emitter,
        registry,
    ):
        for n in range(5):
            emitter.emit(event(n))
        await emitter.aclose()
        assert len(recorder.events()) == 5
        # After close, emit refuses (and counts) instead of queueing forever.
        assert emitter.emit(event(99)) is False
        assert sample(registry, "aisec_audit_emitter_dropped_total", service="guard", reason="shutdown") == 1


async def test_queue_full_drops_and_counts_without_blocking() -> None:
    recorder = RecordingAudit()
    recorder.gate.clear()  # the audit service hangs: nothing drains the queue
    async with started_emitter(
        recorder, "vault", audit_queue_size=5, audit_batch_size=2, audit_flush_interval_s=0.01
    ) as (emitter, registry):
        assert not inspect.iscoroutinefunction(emitter.emit)  # emit is synchronous: it cannot await
        try:
            await asyncio.sleep(0.05)  # the sender picks nothing up yet (queue empty)
            results = [emitter.emit(event(n)) for n in range(1000)]
            # At most queue_size + one in-flight batch were accepted; the rest dropped.
            accepted = results.count(True)
            assert 5 <= accepted <= 5 + 2 * 3
            dropped = sample(
                registry, "aisec_audit_emitter_dropped_total", service="vault", reason="queue_full"
            )
            assert dropped == 1000 - accepted
            assert sample(registry, "aisec_audit_emitter_queue_depth", service="vault") <= 5
        finally:
            recorder.gate.set()
            await emitter.aclose()


async def test_target_down_counts_delivery_failed() -> None:
    settings = make_settings(
        audit_target=f"127.0.0.1:{find_free_port()}", audit_batch_size=3, audit_flush_interval_s=0.01
    )
    registry = CollectorRegistry()
    emitter = AuditEmitter.from_settings("guard", settings, registry)
    await emitter.start()
    assert all(emitter.emit(event(n)) for n in range(3))  # still never blocks or raises
    await emitter.aclose(timeout_s=10)
    assert (
        sample(registry, "aisec_audit_emitter_dropped_total", service="guard", reason="delivery_failed") == 3
    )
    assert sample(registry, "aisec_audit_emitter_sent_total", service="guard") == 0


async def test_disabled_emitter_keeps_recent_events() -> None:
    emitter = AuditEmitter.disabled(CollectorRegistry(), service="validator")
    assert not emitter.delivering
    assert emitter.emit(event(1))
    [recent] = list(emitter.recent)
    assert recent.service == "validator" and recent.request_id == "req-1"
    await emitter.aclose()


def built_event(n: int, counts: dict[str, int]) -> audit_pb2.Event:
    return audit_pb2.Event(
        type=audit_pb2.EVENT_TYPE_VALIDATION, request_id=f"req-{n}", finding_counts=counts, status="OK"
    )


async def test_deferred_events_are_built_by_the_sender_and_delivered_in_order() -> None:
    recorder = RecordingAudit()
    async with started_emitter(recorder, "validator", audit_batch_size=4, audit_flush_interval_s=0.01) as (
        emitter,
        registry,
    ):
        built: list[int] = []

        def build(n: int, counts: dict[str, int]) -> audit_pb2.Event:
            built.append(n)
            return built_event(n, counts)

        try:
            for n in range(10):  # deferred and ready-made events interleave in one queue
                assert emitter.emit_deferred(build, n, {"jailbreak": n}) if n % 2 else emitter.emit(event(n))
            assert built == []  # nothing was built on the caller's path
            await recorder.wait_for(10)
        finally:
            await emitter.aclose()
    events = recorder.events()
    assert [e.request_id for e in events] == [f"req-{n}" for n in range(10)]
    assert all(e.service == "validator" and e.HasField("time") for e in events)
    assert [dict(e.finding_counts) for e in events[1::2]] == [{"jailbreak": n} for n in range(1, 10, 2)]
    assert built == [1, 3, 5, 7, 9]
    # recent holds the same events, each built once.
    assert [e.request_id for e in emitter.recent] == [f"req-{n}" for n in range(10)]
    assert built == [1, 3, 5, 7, 9]
    assert sample(registry, "aisec_audit_emitter_sent_total", service="validator") == 10


async def test_deferred_event_time_is_the_emit_time_and_drops_are_counted() -> None:
    emitter = AuditEmitter.disabled(CollectorRegistry(), service="validator")
    before = time.time()
    assert emitter.emit_deferred(built_event, 1, {})
    await asyncio.sleep(0.05)
    [recent] = list(emitter.recent)
    stamped = recent.time.seconds + recent.time.nanos / 1e9
    assert before - 0.001 <= stamped <= before + 0.04
    assert recent.service == "validator" and recent.request_id == "req-1"
    assert recent.time.nanos % 1000 == 0  # microsecond resolution, as emit() stamps
    await emitter.aclose()

    recorder = RecordingAudit()
    async with started_emitter(recorder, "guard") as (closed, registry):
        await closed.aclose()
        assert closed.emit_deferred(built_event, 2, {}) is False
        assert sample(registry, "aisec_audit_emitter_dropped_total", service="guard", reason="shutdown") == 1


async def test_a_busy_emitter_sends_few_large_batches() -> None:
    """Under a steady stream of events, partial batches wait for the flush interval instead of going
    out one small AppendStream per round trip; nothing is lost and order is kept."""
    recorder = RecordingAudit()
    async with started_emitter(recorder, "validator", audit_batch_size=50, audit_flush_interval_s=0.1) as (
        emitter,
        _,
    ):
        try:
            for n in range(300):
                emitter.emit(event(n))
                await asyncio.sleep(0.001)
            await recorder.wait_for(300)
        finally:
            await emitter.aclose()
    assert [e.request_id for e in recorder.events()] == [f"req-{n}" for n in range(300)]
    # 300 events: 6 full batches plus at most one partial batch per flush interval elapsed.
    assert len(recorder.batches) <= 6 + 10
    assert max(len(batch) for batch in recorder.batches) <= 50


async def test_close_during_a_delivery_still_flushes_everything() -> None:
    recorder = RecordingAudit()
    recorder.gate.clear()  # hold the first delivery while more events queue and close is requested
    async with started_emitter(recorder, "guard", audit_batch_size=4, audit_flush_interval_s=30) as (
        emitter,
        registry,
    ):
        for n in range(4):
            emitter.emit(event(n))  # a full batch: sent at once, held by the gate
        await asyncio.sleep(0.05)
        for n in range(4, 7):
            emitter.emit(event(n))  # a partial batch behind it
        closing = asyncio.create_task(emitter.aclose())
        await asyncio.sleep(0.05)
        recorder.gate.set()
        await closing
    assert [e.request_id for e in recorder.events()] == [f"req-{n}" for n in range(7)]
    assert sample(registry, "aisec_audit_emitter_dropped_total", service="guard", reason="shutdown") == 0
