"""Start the real audit service (shared server bootstrap) on port 0 for tests."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from aisec.audit.v1 import audit_pb2, audit_pb2_grpc
from prometheus_client import CollectorRegistry

from services.audit.audit_log import AuditLog
from services.audit.service import build_audit_service
from services.audit.settings import AuditSettings
from services.client.cli import audit as audit_cli
from services.common.server import serve
from services.common.settings import load_settings


@dataclass
class RunningAudit:
    target: str
    settings: AuditSettings
    audit_log: AuditLog
    registry: CollectorRegistry

    @property
    def vkey_file(self) -> Path:
        return self.settings.resolved_signing_key_file().with_suffix(".vkey")


@contextlib.asynccontextmanager
async def run_audit(state_dir: Path, dev_key_file: Path, **overrides: Any) -> AsyncIterator[RunningAudit]:
    settings = load_settings(
        AuditSettings, port=0, host="127.0.0.1", state_dir=state_dir, jwt_hs256_key_file=dev_key_file,
        ratelimit_enabled=False, checkpoint_interval_s=3600, grace_period_s=0.5, **overrides,
    )
    registry = CollectorRegistry()
    definition = await build_audit_service(settings, registry)
    async with serve(settings, definition, registry=registry) as running:
        yield RunningAudit(running.target, settings, definition.audit_log, registry)  # type: ignore[attr-defined]


def stub(channel: grpc.aio.Channel) -> audit_pb2_grpc.AuditServiceStub:
    return audit_pb2_grpc.AuditServiceStub(channel)


def auth(token: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {token}")]


def event(i: int, *, service: str = "validator", tenant: str = "acme", action: str = "allow",
          event_type: int = audit_pb2.EVENT_TYPE_VALIDATION) -> audit_pb2.Event:
    return audit_pb2.Event(
        service=service, type=event_type, tenant=tenant, action=action, request_id=f"req-{i}",  # type: ignore[arg-type]
        subject="svc", reason="ALLOWED", finding_counts={"injection": i % 2}, input_hmac=b"\x07" * 32,
        input_length=10 + i, status="OK",
    )


def run_cli(argv: Sequence[str]) -> int:
    """Run `aisec audit ...` in-process with only the audit subcommand registered."""
    parser = argparse.ArgumentParser(prog="aisec")
    audit_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["audit", *argv])
    return int(args.func(args))
