"""The shared AuditEmitter delivers to the real audit service over AppendStream."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aisec.audit.v1 import audit_pb2
from prometheus_client import CollectorRegistry

from services.audit.store.base import QueryFilter
from services.common.emitter import AuditEmitter
from services.common.settings import ServiceSettings, load_settings
from tests.integration.audit.support import run_audit


async def test_emitter_batches_reach_the_log(
    tmp_path: Path, dev_key_file: Path, make_token: Callable[..., str]
) -> None:
    token_file = tmp_path / "service-token"
    token_file.write_text(make_token(scopes=["audit:append"], subject="aisec-services"))
    async with run_audit(tmp_path / "audit", dev_key_file) as audit:
        settings = load_settings(
            ServiceSettings, auth_enabled=False, audit_target=audit.target, audit_token_file=token_file,
            audit_batch_size=50, audit_flush_interval_s=0.05,
        )
        emitter = AuditEmitter.from_settings("guard", settings, CollectorRegistry())
        await emitter.start()
        for i in range(120):
            event = audit_pb2.Event(
                type=audit_pb2.EVENT_TYPE_REDACTION, action="redact", request_id=f"r{i}",
                finding_counts={"EMAIL_ADDRESS": 1}, input_hmac=emitter.hasher.hmac("never sent as text"),
                hash_key_id=emitter.hasher.key_id,
            )
            assert emitter.emit(event)
        await emitter.aclose()
        await audit.audit_log.sync()
        rows = await audit.audit_log.query(QueryFilter(service="guard"), 0, 1000)
        assert len(rows) == 120
        assert audit.audit_log.tree.size == 120
