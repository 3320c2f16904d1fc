"""Pick the key provider named in the settings (the one place that switches on it)."""

from __future__ import annotations

from services.vault.keys.aws_kms import AwsKmsKeyProvider
from services.vault.keys.local_keyring import LocalKeyring, load_or_create_dev_master_key, parse_master_key
from services.vault.keys.provider import KeyProvider
from services.vault.keys.state_log import KeyStateLog
from services.vault.settings import VaultSettings
from services.vault.storage.object_store import ObjectStore


def build_key_provider(settings: VaultSettings, store: ObjectStore) -> KeyProvider:
    if settings.vault_key_provider == "aws_kms":
        assert settings.vault_kms_key_id is not None
        state = KeyStateLog(
            store,
            settings.vault_kms_key_id,
            refresh_s=settings.vault_key_state_refresh_s,
            legacy_state_file=settings.vault_state_dir / "kms_key_state.json",
        )
        return AwsKmsKeyProvider(
            settings.vault_kms_key_id,
            state,
            region=settings.vault_kms_region,
            endpoint_url=settings.vault_kms_endpoint_url,
        )
    if settings.vault_master_key_file is not None:
        master_key = parse_master_key(settings.vault_master_key_file.read_bytes())
    elif settings.vault_master_key is not None:
        master_key = parse_master_key(settings.vault_master_key.get_secret_value().encode())
    else:
        master_key = load_or_create_dev_master_key(settings.vault_state_dir / "dev_master.key")
    return LocalKeyring(settings.resolved_keyring_file, master_key)
