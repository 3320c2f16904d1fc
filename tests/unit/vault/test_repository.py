"""The repository over both stores (filesystem, S3 via moto) and the local keyring."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from services.vault.crypto import IntegrityError
from services.vault.keys.local_keyring import LocalKeyring
from services.vault.keys.provider import KeyRetiredError
from services.vault.manifest import ManifestSigner
from services.vault.repository import (
    InvalidName,
    ModelRepository,
    UploadMismatch,
    VersionExists,
    VersionNotFound,
    manifest_key,
)
from services.vault.storage.object_store import ObjectStore

SEGMENT = 4096


@pytest.fixture
def repository(object_store: ObjectStore, tmp_path: Path) -> ModelRepository:
    return ModelRepository(
        object_store, LocalKeyring(tmp_path / "keyring.enc", bytes(32)), ManifestSigner.ephemeral(), SEGMENT
    )


def put(repository: ModelRepository, model: str, version: str, data: bytes) -> None:
    upload = repository.begin_upload(model=model, version=version, tenant="acme", creator="ci")
    for i in range(0, len(data), 1000):
        upload.write(data[i : i + 1000])
    upload.commit(trailer_size=len(data))


def get(repository: ModelRepository, model: str, ref: str) -> bytes:
    download = repository.open_download(repository.verified_manifest(model, ref))
    out = bytearray()
    while (segments := download.next_segments()) is not None:
        for segment in segments:
            assert len(segment) <= SEGMENT
            out += segment
    return bytes(out)


def test_versions_aliases_delete(repository: ModelRepository) -> None:
    one, two = os.urandom(3 * SEGMENT + 7), os.urandom(SEGMENT)
    put(repository, "m", "1", one)
    put(repository, "m", "2", two)
    assert get(repository, "m", "1") == one
    assert repository.set_alias("m", "prod", "1") == ""
    assert repository.set_alias("m", "prod", "2") == "1"
    assert get(repository, "m", "prod") == two
    assert [v.version for v in repository.versions("m")] == ["1", "2"]
    assert repository.models() == ["m"]
    with pytest.raises(VersionExists):
        repository.begin_upload(model="m", version="1", tenant="acme", creator="ci")
    with pytest.raises(InvalidName):
        repository.set_alias("m", "2", "1")  # an alias may not shadow a version
    with pytest.raises(VersionNotFound):
        repository.set_alias("m", "dev", "9")
    assert repository.delete("m", "2") == ["prod"]
    assert repository.aliases("m") == {}
    with pytest.raises(VersionNotFound):
        repository.verified_manifest("m", "prod")


def test_one_upload_per_version_at_a_time(repository: ModelRepository) -> None:
    upload = repository.begin_upload(model="m", version="1", tenant="acme", creator="ci")
    with pytest.raises(VersionExists, match="being uploaded"):
        repository.begin_upload(model="m", version="1", tenant="acme", creator="ci")
    upload.abort()
    put(repository, "m", "1", b"ok")


def test_mismatched_upload_leaves_nothing(repository: ModelRepository) -> None:
    upload = repository.begin_upload(model="m", version="1", tenant="acme", creator="ci", expected_size=10)
    upload.write(b"12345")
    with pytest.raises(UploadMismatch):
        upload.commit()
    assert list(repository.store.list_keys("")) == []
    assert repository.store.pending_temp_files() == 0  # type: ignore[attr-defined]


def test_rewrap_then_retire(repository: ModelRepository) -> None:
    data = os.urandom(SEGMENT + 1)
    put(repository, "m", "1", data)
    repository.keys.rotate()
    result = repository.rewrap()
    assert (result.rewrapped, result.already_current, result.key_version) == (1, 0, 2)
    assert repository.rewrap().already_current == 1
    repository.keys.rotate(min_decryption_version=2)
    assert get(repository, "m", "1") == data
    put(repository, "m", "2", data)
    repository.keys.rotate(min_decryption_version=4)
    with pytest.raises(KeyRetiredError):
        get(repository, "m", "1")


def test_manifest_edits_and_wrong_model_are_detected(repository: ModelRepository) -> None:
    put(repository, "a", "1", b"data")
    raw = repository.store.get_bytes(manifest_key("a", "1"))
    repository.store.put_bytes(manifest_key("b", "1"), raw)  # a valid manifest under another name
    with pytest.raises(IntegrityError):
        repository.verified_manifest("b", "1")
    _, valid = repository.describe("a", "1")
    assert valid
