"""Pick the object store named in the settings (the one place that switches on it)."""

from __future__ import annotations

from services.vault.settings import VaultSettings
from services.vault.storage.filesystem import FilesystemObjectStore
from services.vault.storage.object_store import ObjectStore
from services.vault.storage.s3 import S3ObjectStore


def build_object_store(settings: VaultSettings) -> ObjectStore:
    if settings.vault_store == "s3":
        assert settings.vault_s3_bucket is not None
        return S3ObjectStore(
            settings.vault_s3_bucket,
            prefix=settings.vault_s3_prefix,
            region=settings.vault_s3_region,
            endpoint_url=settings.vault_s3_endpoint_url,
            sse_kms_key_id=settings.vault_s3_sse_kms_key_id,
            part_size=settings.vault_s3_part_size,
        )
    return FilesystemObjectStore(settings.resolved_vault_dir)
