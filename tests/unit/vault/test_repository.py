"""The repository over both stores (filesystem, S3 via moto) and the local keyring."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
    payload_key,
)
from services.vault.storage.object_store import ObjectStore

SEGMENT = 4096


@pytest.fixture
def repository(object_store: ObjectStore, tmp_path: Path) -> ModelRepository:
    return ModelRepository(
        object_store, LocalKeyring(tmp_path / "keyring.enc", bytes(32)), ManifestSigner.ephemeral(), SEGMENT
    )


@pytest.fixture
def replicas(open_store: Callable[[], ObjectStore], tmp_path: Path) -> list[ModelRepository]:
    """Two vault replicas: own store clients and key provider instances, one bucket/directory,
    one keyring file and one signing key (as the chart mounts them)."""
    signer = ManifestSigner.ephemeral()
    return [
        ModelRepository(open_store(), LocalKeyring(tmp_path / "keyring.enc", bytes(32)), signer, SEGMENT)
        for _ in range(2)
    ]


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


def test_replicas_racing_on_one_version_have_one_winner(replicas: list[ModelRepository]) -> None:
    first, second = replicas
    data_one, data_two = os.urandom(2 * SEGMENT + 3), os.urandom(SEGMENT + 9)
    # Each replica only knows its own uploads in progress: both start the same version.
    one = first.begin_upload(model="m", version="1", tenant="acme", creator="ci")
    two = second.begin_upload(model="m", version="1", tenant="acme", creator="ci")
    one.write(data_one)
    two.write(data_two)
    winner = one.commit(trailer_size=len(data_one))
    with pytest.raises(VersionExists, match="already exists"):
        two.commit(trailer_size=len(data_two))
    # The loser removed its own payload and nothing else; both replicas serve the winner's bytes.
    keys = list(first.store.list_keys("models/"))
    assert keys == sorted([manifest_key("m", "1"), payload_key("m", "1", winner.payload_object)])
    assert get(first, "m", "1") == data_one
    assert get(second, "m", "1") == data_one
    assert first.store.pending_temp_files() == 0  # type: ignore[attr-defined]


def test_cleanup_spares_recent_payloads_and_named_ones(replicas: list[ModelRepository]) -> None:
    first, second = replicas
    put(first, "m", "1", b"visible")
    # Another replica is between its payload commit and its manifest (or crashed there).
    upload = second.begin_upload(model="m", version="2", tenant="acme", creator="ci")
    upload.write(b"in flight")
    for piece in upload._writer.finalize():
        upload._object.write(piece)
    upload._object.commit()
    orphan = payload_key("m", "2", upload.manifest.payload_object)
    assert first.cleanup(grace_s=3600) == 0  # too recent: may still get its manifest
    assert first.store.exists(orphan)
    time.sleep(0.01)
    assert first.cleanup(grace_s=0) == 1  # idle past the grace period: removed
    assert not first.store.exists(orphan)
    assert get(first, "m", "1") == b"visible"  # a payload a manifest names is never removed


def test_manifest_without_payload_object_reads_the_legacy_name(repository: ModelRepository) -> None:
    """Manifests written before payload_object existed name no payload: it is payload.enc."""
    put(repository, "m", "1", b"older layout")
    manifest = repository.verified_manifest("m", "1")
    store = repository.store
    store.put_bytes(
        payload_key("m", "1", ""), store.get_bytes(payload_key("m", "1", manifest.payload_object))
    )
    store.delete(payload_key("m", "1", manifest.payload_object))
    manifest.payload_object = ""
    repository.signer.sign(manifest)
    store.put_bytes(manifest_key("m", "1"), manifest.SerializeToString())
    assert get(repository, "m", "1") == b"older layout"
    assert repository.cleanup(grace_s=0) == 0
    repository.delete("m", "1")
    assert list(store.list_keys("")) == []


def test_replicas_setting_aliases_at_once_lose_none(replicas: list[ModelRepository]) -> None:
    put(replicas[0], "m", "1", b"one")
    put(replicas[0], "m", "2", b"two")
    names = [f"env{i}" for i in range(8)]
    start = threading.Barrier(len(names))

    def set_alias(index: int) -> str:
        start.wait()
        return replicas[index % 2].set_alias("m", names[index], str(1 + index % 2))

    with ThreadPoolExecutor(len(names)) as pool:
        assert list(pool.map(set_alias, range(len(names)))) == [""] * len(names)
    assert replicas[1].aliases("m") == {name: str(1 + i % 2) for i, name in enumerate(names)}
    assert replicas[0].delete("m", "2") == sorted(names[1::2])
    assert replicas[1].aliases("m") == {name: "1" for name in names[::2]}
