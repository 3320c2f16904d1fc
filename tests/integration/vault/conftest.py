"""A real vault gRPC server (filesystem store, local keyring) on port 0, with auth on."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from services.client.cli import main as cli_main
from services.common.emitter import AuditEmitter
from services.common.server import serve
from services.vault.app import build_vault
from services.vault.settings import VaultSettings
from tests.conftest import server_settings
from tests.unit.vault.conftest import _fake_aws_credentials, kms_key_id, moto_endpoint, s3_bucket  # noqa: F401


@dataclass
class VaultServer:
    target: str
    settings: VaultSettings
    registry: CollectorRegistry
    emitter: AuditEmitter
    token: Callable[..., str]

    @property
    def objects(self) -> Path:
        return self.settings.resolved_vault_dir

    def version_dir(self, model: str, version: str) -> Path:
        return self.objects / "models" / model / "versions" / version

    def payload_file(self, model: str, version: str) -> Path:
        """The version's encrypted payload (its name is unique per upload: payload-<random>.enc)."""
        (path,) = self.version_dir(model, version).glob("payload-*.enc")
        return path

    def metric(self, name: str, labels: dict[str, str] | None = None) -> float:
        return self.registry.get_sample_value(name, labels or {}) or 0.0

    async def cli(self, *argv: str, token: str | None = None) -> int:
        """Run `aisec vault ...` (blocking gRPC) in a thread, as a user would."""
        args = ["vault", argv[0], "--target", self.target, "--token", token or self.token(), *argv[1:]]
        return await asyncio.to_thread(cli_main, args)


def vault_settings(state_dir: Path, key_file: Path, **overrides: Any) -> VaultSettings:
    return server_settings(VaultSettings, key_file, **overrides, state_dir=state_dir)


@pytest.fixture
def vault_backends() -> dict[str, object]:
    """Settings overrides choosing the store and key provider (default: filesystem + local keyring)."""
    return {}


@contextlib.asynccontextmanager
async def running_vault(
    state_dir: Path, key_file: Path, make_token: Callable[..., str], **overrides: Any
) -> AsyncIterator[VaultServer]:
    """A vault server over ``state_dir``; several over one ``state_dir`` are replicas sharing it."""
    settings = vault_settings(state_dir, key_file, **overrides)
    registry = CollectorRegistry()
    emitter = AuditEmitter.disabled(registry, service="vault")
    definition = await build_vault(settings, registry, emitter)
    async with serve(settings, definition, registry=registry) as running:
        yield VaultServer(running.target, settings, registry, emitter, make_token)


@pytest.fixture
async def vault_server(
    tmp_path: Path, dev_key_file: Path, make_token: Callable[..., str], vault_backends: dict[str, object]
) -> AsyncIterator[VaultServer]:
    async with running_vault(tmp_path / "state", dev_key_file, make_token, **vault_backends) as server:
        yield server
