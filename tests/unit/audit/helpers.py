"""Builders shared by the audit unit tests."""

from __future__ import annotations

from pathlib import Path

from aisec.audit.v1 import audit_pb2
from prometheus_client import CollectorRegistry

from services.audit.audit_log import AuditLog
from services.audit.checkpoint import NoteSigner
from services.audit.metrics import AuditMetrics
from services.audit.store.sqlite import SqliteLogStore

ORIGIN = "test.local/audit"


def make_event(i: int, *, service: str = "validator", tenant: str = "acme", time_ns: int | None = None,
               event_type: int = audit_pb2.EVENT_TYPE_VALIDATION) -> audit_pb2.Event:
    event = audit_pb2.Event(
        service=service, type=event_type, tenant=tenant, action="allow", request_id=f"req-{i}",  # type: ignore[arg-type]
        finding_counts={"injection": i % 3, "secrets": 1}, latency_us=i, input_hmac=b"\x01" * 32,
    )
    if time_ns is not None:
        event.time.FromNanoseconds(time_ns)
    return event


async def open_log(path: Path, signer: NoteSigner | None = None, clock_ns: object = None) -> AuditLog:
    kwargs = {} if clock_ns is None else {"clock_ns": clock_ns}
    log = AuditLog(
        SqliteLogStore(path / "audit.db"), signer or NoteSigner.generate(ORIGIN), AuditMetrics(CollectorRegistry()),
        **kwargs,  # type: ignore[arg-type]
    )
    await log.start()
    return log
