"""Wire the vault together from its settings: store, key provider, signer, repository, service."""

from __future__ import annotations

import asyncio
import logging

from aisec.vault.v1 import vault_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common.emitter import AuditEmitter
from services.common.server import ServiceDefinition
from services.vault.keys.factory import build_key_provider
from services.vault.manifest import ManifestSigner
from services.vault.metrics import VaultMetrics
from services.vault.repository import ModelRepository
from services.vault.service import METHOD_SCOPES, SERVICE_NAME, VaultService
from services.vault.settings import VaultSettings
from services.vault.storage.factory import build_object_store

log = logging.getLogger("aisec.vault")


def build_repository(settings: VaultSettings) -> ModelRepository:
    settings.vault_state_dir.mkdir(parents=True, exist_ok=True)
    store = build_object_store(settings)
    keys = build_key_provider(settings, store)
    signer = ManifestSigner.load_or_create(settings.resolved_signing_key_file)
    return ModelRepository(store, keys, signer)


async def build_vault(
    settings: VaultSettings, registry: CollectorRegistry, emitter: AuditEmitter
) -> ServiceDefinition:
    repository = await asyncio.to_thread(build_repository, settings)
    removed = await asyncio.to_thread(repository.cleanup, settings.vault_cleanup_grace_s)
    if removed:
        log.warning("removed leftovers of interrupted uploads", extra={"count": removed})
    service = VaultService(repository, VaultMetrics(registry), emitter)

    async def store_healthy() -> bool:
        return await asyncio.to_thread(repository.store.check)

    async def close_backends() -> None:
        await asyncio.to_thread(repository.store.close)
        await asyncio.to_thread(repository.keys.close)

    return ServiceDefinition(
        name="vault",
        full_names=[SERVICE_NAME],
        register=lambda server: vault_pb2_grpc.add_VaultServiceServicer_to_server(service, server),
        method_scopes=METHOD_SCOPES,
        health_checks=[store_healthy],
        on_shutdown=[close_backends],
    )
