"""One suite for every KeyProvider (local keyring and AWS KMS via moto over HTTP), then specifics."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from services.common.settings import load_settings
from services.vault.keys.aws_kms import AwsKmsKeyProvider
from services.vault.keys.factory import build_key_provider
from services.vault.keys.local_keyring import LocalKeyring, load_or_create_dev_master_key
from services.vault.keys.provider import KeyProvider, KeyRetiredError, KeyUnwrapError, VaultKeyError
from services.vault.keys.state_log import KeyStateLog
from services.vault.settings import VaultSettings
from services.vault.storage.filesystem import FilesystemObjectStore

CONTEXT = {"tenant": "acme", "model": "llama", "version": "3"}
MASTER = bytes(32)


def state_log(tmp_path: Path, key_id: str, **options: Any) -> KeyStateLog:
    """The KMS key-version state in a store shared by every replica (a directory here)."""
    return KeyStateLog(FilesystemObjectStore(tmp_path / "objects"), key_id, **options)


@pytest.fixture(params=["local", "aws_kms"])
def provider(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KeyProvider]:
    built: KeyProvider
    if request.param == "local":
        built = LocalKeyring(tmp_path / "keyring.enc", MASTER)
    else:
        endpoint = request.getfixturevalue("moto_endpoint")
        key_id = request.getfixturevalue("kms_key_id")
        built = AwsKmsKeyProvider(key_id, state_log(tmp_path, key_id), endpoint_url=endpoint)
    yield built
    built.close()


def test_data_key_round_trip(provider: KeyProvider) -> None:
    data_key = provider.generate_data_key(CONTEXT)
    assert len(data_key.plaintext) == 32
    assert data_key.plaintext not in data_key.wrapped
    assert data_key.key_version == 1
    assert provider.unwrap(data_key.wrapped, data_key.key_version, CONTEXT) == data_key.plaintext


@pytest.mark.parametrize("field", ["tenant", "model", "version"])
def test_wrong_encryption_context_fails(provider: KeyProvider, field: str) -> None:
    data_key = provider.generate_data_key(CONTEXT)
    with pytest.raises(KeyUnwrapError):
        provider.unwrap(data_key.wrapped, data_key.key_version, {**CONTEXT, field: "other"})


def test_altered_wrapped_key_fails(provider: KeyProvider) -> None:
    data_key = provider.generate_data_key(CONTEXT)
    altered = bytearray(data_key.wrapped)
    altered[-1] ^= 1
    with pytest.raises(KeyUnwrapError):
        provider.unwrap(bytes(altered), data_key.key_version, CONTEXT)


def test_rotate_rewrap_retire(provider: KeyProvider) -> None:
    old = provider.generate_data_key(CONTEXT)
    status = provider.rotate()
    assert (status.current_version, status.min_decryption_version) == (2, 1)
    # Old wrapped keys still open until retired.
    assert provider.unwrap(old.wrapped, 1, CONTEXT) == old.plaintext
    assert provider.generate_data_key(CONTEXT).key_version == 2
    rewrapped = provider.rewrap(old.wrapped, 1, CONTEXT)
    assert rewrapped.key_version == 2
    assert provider.unwrap(rewrapped.wrapped, 2, CONTEXT) == old.plaintext
    status = provider.rotate(min_decryption_version=2)
    assert (status.current_version, status.min_decryption_version) == (3, 2)
    with pytest.raises(KeyRetiredError, match="retired"):
        provider.unwrap(old.wrapped, 1, CONTEXT)
    assert provider.unwrap(rewrapped.wrapped, 2, CONTEXT) == old.plaintext
    with pytest.raises(ValueError):
        provider.rotate(min_decryption_version=1)  # can only grow
    with pytest.raises(ValueError):
        provider.rotate(min_decryption_version=9)  # above the new version


def test_local_keyring_persists_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "keyring.enc"
    keyring = LocalKeyring(path, MASTER)
    data_key = keyring.generate_data_key(CONTEXT)
    keyring.rotate(min_decryption_version=1)
    reopened = LocalKeyring(path, MASTER)
    assert reopened.status().current_version == 2
    assert reopened.unwrap(data_key.wrapped, 1, CONTEXT) == data_key.plaintext
    assert b"versions" not in path.read_bytes()  # the file is ciphertext
    with pytest.raises(VaultKeyError, match="master key"):
        LocalKeyring(path, b"\x01" * 32)


def test_kms_state_survives_restart(tmp_path: Path, moto_endpoint: str, kms_key_id: str) -> None:
    provider = AwsKmsKeyProvider(kms_key_id, state_log(tmp_path, kms_key_id), endpoint_url=moto_endpoint)
    provider.rotate()
    provider.rotate(min_decryption_version=2)
    again = AwsKmsKeyProvider(kms_key_id, state_log(tmp_path, kms_key_id), endpoint_url=moto_endpoint)
    assert (again.status().current_version, again.status().min_decryption_version) == (3, 2)


def test_kms_state_is_shared_by_replicas(tmp_path: Path, moto_endpoint: str, kms_key_id: str) -> None:
    now = [0.0]
    first = AwsKmsKeyProvider(kms_key_id, state_log(tmp_path, kms_key_id), endpoint_url=moto_endpoint)
    second = AwsKmsKeyProvider(
        kms_key_id,
        state_log(tmp_path, kms_key_id, refresh_s=5.0, clock=lambda: now[0]),
        endpoint_url=moto_endpoint,
    )
    old = second.generate_data_key(CONTEXT)
    first.rotate()
    # A key wrapped under the version the other replica just created opens here at once.
    new = first.generate_data_key(CONTEXT)
    assert new.key_version == 2
    assert second.unwrap(new.wrapped, 2, CONTEXT) == new.plaintext
    assert second.generate_data_key(CONTEXT).key_version == 2
    # A retirement through the other replica applies here within refresh_s.
    first.rotate(min_decryption_version=2)
    assert second.unwrap(old.wrapped, 1, CONTEXT) == old.plaintext  # not re-read yet
    now[0] += 5.0
    with pytest.raises(KeyRetiredError):
        second.unwrap(old.wrapped, 1, CONTEXT)
    assert second.status().current_version == 3


def test_kms_concurrent_rotations_both_count(tmp_path: Path, moto_endpoint: str, kms_key_id: str) -> None:
    replicas = [
        AwsKmsKeyProvider(kms_key_id, state_log(tmp_path, kms_key_id), endpoint_url=moto_endpoint)
        for _ in range(4)
    ]
    start = threading.Barrier(len(replicas))

    def rotate(provider: AwsKmsKeyProvider) -> int:
        start.wait()
        return provider.rotate().current_version

    with ThreadPoolExecutor(len(replicas)) as pool:
        versions = sorted(pool.map(rotate, replicas))
    assert versions == [2, 3, 4, 5]  # each rotation got its own version; none was lost
    fresh = AwsKmsKeyProvider(kms_key_id, state_log(tmp_path, kms_key_id), endpoint_url=moto_endpoint)
    assert fresh.status().current_version == 5


def test_kms_state_imports_the_older_local_file(tmp_path: Path, moto_endpoint: str, kms_key_id: str) -> None:
    legacy = tmp_path / "kms_key_state.json"
    legacy.write_text(json.dumps({"key_id": kms_key_id, "current_version": 4, "min_decryption_version": 3}))
    provider = AwsKmsKeyProvider(
        kms_key_id, state_log(tmp_path, kms_key_id, legacy_state_file=legacy), endpoint_url=moto_endpoint
    )
    assert (provider.status().current_version, provider.status().min_decryption_version) == (4, 3)
    assert provider.rotate().current_version == 5
    legacy.unlink()  # from now on the shared record is the state
    again = AwsKmsKeyProvider(kms_key_id, state_log(tmp_path, kms_key_id), endpoint_url=moto_endpoint)
    assert (again.status().current_version, again.status().min_decryption_version) == (5, 3)


def test_kms_other_key_cannot_decrypt(tmp_path: Path, moto_endpoint: str, kms_key_id: str) -> None:
    from tests.unit.vault.conftest import aws_client

    provider = AwsKmsKeyProvider(kms_key_id, state_log(tmp_path, kms_key_id), endpoint_url=moto_endpoint)
    other_key = aws_client("kms", moto_endpoint).create_key()["KeyMetadata"]["KeyId"]
    other = AwsKmsKeyProvider(other_key, state_log(tmp_path, other_key), endpoint_url=moto_endpoint)
    data_key = provider.generate_data_key(CONTEXT)
    with pytest.raises(KeyUnwrapError):
        other.unwrap(data_key.wrapped, 1, CONTEXT)


def test_factory_dev_master_key_and_env_forms(tmp_path: Path) -> None:
    settings = load_settings(VaultSettings, auth_enabled=False, state_dir=tmp_path)
    build_key_provider(settings, FilesystemObjectStore(tmp_path / "objects"))
    dev_key_file = tmp_path / "vault" / "dev_master.key"
    assert dev_key_file.stat().st_mode & 0o777 == 0o600
    master = load_or_create_dev_master_key(dev_key_file)
    # The same keyring opens with the key given as a setting value or as a mounted file.
    by_value = load_settings(
        VaultSettings,
        auth_enabled=False,
        state_dir=tmp_path,
        vault_master_key=base64.b64encode(master).decode(),
    )
    assert (
        build_key_provider(by_value, FilesystemObjectStore(tmp_path / "objects")).status().current_version
        == 1
    )
    key_file = tmp_path / "mounted.key"
    key_file.write_bytes(master)
    by_file = load_settings(
        VaultSettings, auth_enabled=False, state_dir=tmp_path, vault_master_key_file=key_file
    )
    assert (
        build_key_provider(by_file, FilesystemObjectStore(tmp_path / "objects")).status().current_version == 1
    )
