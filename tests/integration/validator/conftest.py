"""A real validator gRPC server on port 0 with auth on, its policy file in a tmp dir."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import grpc
import pytest
from aisec.validator.v1 import validator_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common.emitter import AuditEmitter
from services.common.server import serve
from services.validator.engine import ValidatorEngine
from services.validator.service import build_service
from services.validator.settings import DEFAULT_POLICY_FILE, ValidatorSettings
from tests.conftest import server_settings


@pytest.fixture(scope="session")
def shared_engine() -> ValidatorEngine:
    return ValidatorEngine()


@dataclass
class ValidatorServer:
    target: str
    registry: CollectorRegistry
    emitter: AuditEmitter
    policy_file: Path
    token: Callable[..., str]
    channel: grpc.aio.Channel

    @property
    def stub(self) -> validator_pb2_grpc.ValidatorServiceStub:
        return validator_pb2_grpc.ValidatorServiceStub(self.channel)

    def metadata(
        self, scopes: tuple[str, ...] = ("validator:validate",), tenant: str = "acme"
    ) -> list[tuple[str, str]]:
        return [("authorization", f"Bearer {self.token(scopes=scopes, tenant=tenant)}")]

    def metric(self, name: str, labels: dict[str, str] | None = None) -> float:
        return self.registry.get_sample_value(name, labels or {}) or 0.0


@pytest.fixture
async def validator_server(
    tmp_path: Path, dev_key_file: Path, make_token: Callable[..., str], shared_engine: ValidatorEngine
) -> AsyncIterator[ValidatorServer]:
    policy_file = tmp_path / "policies.yaml"
    shutil.copy(DEFAULT_POLICY_FILE, policy_file)
    settings = server_settings(
        ValidatorSettings,
        dev_key_file,
        state_dir=tmp_path,
        grace_period_s=0.2,
        policy_file=policy_file,
        policy_reload_interval_s=0.05,
    )
    registry = CollectorRegistry()
    emitter = AuditEmitter.disabled(registry, service="validator")
    definition = await build_service(settings, registry, emitter, engine=shared_engine)
    async with serve(settings, definition, registry=registry) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            yield ValidatorServer(running.target, registry, emitter, policy_file, make_token, channel)
