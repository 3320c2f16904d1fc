"""A real guard gRPC server on port 0, auth on, audit events kept in memory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from aisec.guard.v1 import guard_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common.emitter import AuditEmitter
from services.common.server import serve
from services.guard.service import build_guard
from services.guard.settings import GuardSettings
from tests.conftest import server_settings

DEFAULT_POLICY = Path("services/guard/policies/default.yaml")


@dataclass
class GuardServer:
    target: str
    settings: GuardSettings
    registry: CollectorRegistry
    emitter: AuditEmitter
    token: Callable[..., str]
    policy_dir: Path

    def metric(self, name: str, labels: dict[str, str] | None = None) -> float:
        return self.registry.get_sample_value(name, labels or {}) or 0.0

    def stub(self, scopes: tuple[str, ...] = ("guard:redact",), tenant: str = "acme") -> AuthedStub:
        return AuthedStub(self.target, self.token(scopes=scopes, tenant=tenant))


class AuthedStub:
    """A GuardService stub that sends a bearer token on every call."""

    def __init__(self, target: str, token: str) -> None:
        self.channel = grpc.aio.insecure_channel(target)
        self.stub = guard_pb2_grpc.GuardServiceStub(self.channel)
        self.metadata = (("authorization", f"Bearer {token}"),)

    def __getattr__(self, name: str) -> Callable[..., object]:
        method = getattr(self.stub, name)

        def call(*args: object, **kwargs: object) -> object:
            return method(*args, metadata=self.metadata, timeout=10, **kwargs)

        return call

    async def close(self) -> None:
        await self.channel.close()


@pytest.fixture
async def guard_server(
    tmp_path: Path, dev_key_file: Path, make_token: Callable[..., str]
) -> AsyncIterator[GuardServer]:
    policy_dir = tmp_path / "policies"
    policy_dir.mkdir()
    (policy_dir / "default.yaml").write_text(DEFAULT_POLICY.read_text())
    (policy_dir / "strict.yaml").write_text("operators: {DEFAULT: {operator: redact}}\nmin_score: 0.5\n")
    settings = server_settings(
        GuardSettings,
        dev_key_file,
        state_dir=tmp_path / "state",
        policy_dir=policy_dir,
        policy_reload_interval_s=0.05,
        max_text_chars=10_000,
        max_batch_items=4,
    )
    registry = CollectorRegistry()
    emitter = AuditEmitter.disabled(registry, service="guard")
    definition = await build_guard(settings, registry, emitter)
    async with serve(settings, definition, registry=registry) as running:
        yield GuardServer(running.target, settings, registry, emitter, make_token, policy_dir)
