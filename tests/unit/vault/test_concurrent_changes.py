"""Replicas changing one version at once, over both stores (filesystem, S3 via moto).

Another replica's change is injected at the exact point of the race: ``InterleavedStore`` runs it
just before the rewrapping replica writes a manifest, i.e. between the rewrap's read and its write.
That makes each interleaving deterministic on both stores (moto checks conditions non-atomically, so
racing threads against it would test moto; the filesystem store is raced for real in
test_object_store.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from services.vault.crypto import IntegrityError
from services.vault.keys.local_keyring import LocalKeyring
from services.vault.manifest import ManifestSigner
from services.vault.repository import (
    MANIFEST_SWAP_ATTEMPTS,
    ConcurrentChange,
    ModelRepository,
    VersionNotFound,
    manifest_key,
    payload_key,
)
from services.vault.storage.object_store import ObjectStore
from tests.unit.vault.test_repository import SEGMENT, get, put


class InterleavedStore:
    """A store client that runs ``before_write`` just before each write of a manifest (while it is
    set): another replica acting between this one's read of the manifest and its write."""

    def __init__(self, inner: ObjectStore) -> None:
        self.inner = inner
        self.before_write: Callable[[], None] | None = None
        self.manifest_writes = 0
        self.before_delete: Callable[[], None] | None = None
        self.manifest_deletes = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def _interleave(self, key: str) -> None:
        if key.endswith("/manifest.pb"):
            self.manifest_writes += 1
            if self.before_write is not None:
                self.before_write()

    def put_bytes(self, key: str, data: bytes) -> None:
        self._interleave(key)
        self.inner.put_bytes(key, data)

    def put_bytes_if_match(self, key: str, data: bytes, etag: str) -> bool:
        self._interleave(key)
        return self.inner.put_bytes_if_match(key, data, etag)

    def delete_if_match(self, key: str, etag: str) -> bool:
        """``before_delete`` runs just before each conditional delete of a manifest (while it is set)."""
        if key.endswith("/manifest.pb") and self.before_delete is not None:
            self.manifest_deletes += 1
            self.before_delete()
        return self.inner.delete_if_match(key, etag)


@pytest.fixture
def keys(tmp_path: Path) -> LocalKeyring:
    # One key provider for both replicas: a rotation through one is seen by the other at once (as
    # with KMS after a refresh), so only the store interleaving is under test.
    return LocalKeyring(tmp_path / "keyring.enc", bytes(32))


@pytest.fixture
def other(open_store: Callable[[], ObjectStore], keys: LocalKeyring) -> ModelRepository:
    """The replica whose change lands in the middle of the rewrap."""
    return ModelRepository(open_store(), keys, ManifestSigner.ephemeral(), SEGMENT)


@pytest.fixture
def interleaved(open_store: Callable[[], ObjectStore]) -> InterleavedStore:
    return InterleavedStore(open_store())


@pytest.fixture
def rewrapper(interleaved: InterleavedStore, keys: LocalKeyring, other: ModelRepository) -> ModelRepository:
    """The replica running the rewrap, over its own store client (with the injection point)."""
    return ModelRepository(interleaved, keys, other.signer, SEGMENT)  # type: ignore[arg-type]


def version_objects(repository: ModelRepository, model: str, version: str) -> list[str]:
    return list(repository.store.list_keys(f"models/{model}/versions/{version}/"))


def test_a_version_deleted_during_a_rewrap_stays_deleted(
    rewrapper: ModelRepository, other: ModelRepository, interleaved: InterleavedStore
) -> None:
    one, two = os.urandom(2 * SEGMENT + 1), os.urandom(SEGMENT + 3)
    put(other, "m", "1", one)
    put(other, "m", "2", two)
    other.set_alias("m", "prod", "1")
    rewrapper.keys.rotate()

    def delete_version_one() -> None:
        interleaved.before_write = None
        assert other.delete("m", "1") == ["prod"]

    interleaved.before_write = delete_version_one  # versions are rewrapped in name order: "1" first
    result = rewrapper.rewrap("m")

    assert (result.rewrapped, result.already_current, result.deleted_meanwhile) == (1, 0, 1)
    for replica in (rewrapper, other):
        assert version_objects(replica, "m", "1") == []  # no manifest came back, no payload left
        with pytest.raises(VersionNotFound):
            replica.verified_manifest("m", "1")
        with pytest.raises(VersionNotFound):
            replica.verified_manifest("m", "prod")
        assert [m.version for m in replica.versions("m")] == ["2"]
        assert replica.aliases("m") == {}
        assert get(replica, "m", "2") == two
    assert rewrapper.verified_manifest("m", "2").key_version == 2


def test_a_rewrap_never_overwrites_a_version_uploaded_again(
    rewrapper: ModelRepository, other: ModelRepository, interleaved: InterleavedStore
) -> None:
    old, new = os.urandom(SEGMENT + 5), os.urandom(3 * SEGMENT)
    put(other, "m", "1", old)
    rewrapper.keys.rotate()

    def delete_and_upload_again() -> None:
        interleaved.before_write = None
        other.delete("m", "1")
        put(other, "m", "1", new)  # wrapped under the current key version already

    interleaved.before_write = delete_and_upload_again
    result = rewrapper.rewrap()

    assert (result.rewrapped, result.already_current, result.deleted_meanwhile) == (0, 1, 0)
    manifest = rewrapper.verified_manifest("m", "1")
    assert version_objects(rewrapper, "m", "1") == sorted(
        [manifest_key("m", "1"), payload_key("m", "1", manifest.payload_object)]
    )
    assert get(rewrapper, "m", "1") == new
    assert get(other, "m", "1") == new


def test_a_lagging_rewrap_never_moves_a_manifest_back(
    rewrapper: ModelRepository, other: ModelRepository, interleaved: InterleavedStore
) -> None:
    data = os.urandom(SEGMENT)
    put(other, "m", "1", data)
    rewrapper.keys.rotate()  # version 2: the rewrap below wraps under it

    def rotate_and_rewrap_elsewhere() -> None:
        interleaved.before_write = None
        other.keys.rotate()  # version 3
        assert other.rewrap().rewrapped == 1

    interleaved.before_write = rotate_and_rewrap_elsewhere
    result = rewrapper.rewrap()

    # Its write lost the compare-and-swap; read again, the manifest was newer than its own target.
    assert (result.rewrapped, result.already_current, result.key_version) == (0, 1, 2)
    assert other.verified_manifest("m", "1").key_version == 3
    other.keys.rotate(min_decryption_version=3)  # safe: every manifest is under version 3
    assert get(rewrapper, "m", "1") == data


def test_a_rewrap_gives_up_on_a_manifest_that_keeps_changing(
    rewrapper: ModelRepository, other: ModelRepository, interleaved: InterleavedStore
) -> None:
    put(other, "m", "1", b"data")
    rewrapper.keys.rotate()
    labels: list[str] = []

    def relabel() -> None:  # another writer changes the manifest before every write of the rewrap
        manifest = other.verified_manifest("m", "1")
        labels.append(str(len(labels)))
        manifest.labels["change"] = labels[-1]
        other.signer.sign(manifest)
        other.store.put_bytes(manifest_key("m", "1"), manifest.SerializeToString())

    interleaved.before_write = relabel
    with pytest.raises(ConcurrentChange):
        rewrapper.rewrap()
    assert interleaved.manifest_writes == MANIFEST_SWAP_ATTEMPTS
    manifest = other.verified_manifest("m", "1")
    assert (manifest.labels["change"], manifest.key_version) == (labels[-1], 1)  # its change stands
    interleaved.before_write = None
    assert rewrapper.rewrap().rewrapped == 1  # once it stops changing, the rewrap goes through
    assert rewrapper.verified_manifest("m", "1").labels["change"] == labels[-1]


def test_a_download_racing_a_delete_is_not_found_not_data_loss(
    rewrapper: ModelRepository, other: ModelRepository
) -> None:
    put(other, "m", "1", b"one")
    put(other, "m", "2", b"two")
    manifest = rewrapper.verified_manifest("m", "1")
    other.delete("m", "1")  # between the reader's manifest and its payload
    with pytest.raises(VersionNotFound):
        rewrapper.open_download(manifest)
    # A manifest whose payload is missing while the manifest stays is lost data, as before.
    two = rewrapper.verified_manifest("m", "2")
    other.store.delete(payload_key("m", "2", two.payload_object))
    with pytest.raises(IntegrityError, match="missing"):
        rewrapper.open_download(two)


def test_a_delete_racing_a_delete_and_upload_again_removes_the_new_upload_whole(
    rewrapper: ModelRepository, other: ModelRepository, interleaved: InterleavedStore
) -> None:
    put(other, "m", "1", b"first upload")
    first_payload = other.verified_manifest("m", "1").payload_object

    def delete_and_upload_again() -> None:  # between this replica's read of the manifest and its delete
        interleaved.before_delete = None
        other.delete("m", "1")
        put(other, "m", "1", b"second upload")

    interleaved.before_delete = delete_and_upload_again
    rewrapper.delete("m", "1")
    assert interleaved.manifest_deletes == 1
    for replica in (rewrapper, other):  # the manifest deleted is the one whose payload went: nothing left
        assert version_objects(replica, "m", "1") == []
        with pytest.raises(VersionNotFound):
            replica.verified_manifest("m", "1")
    assert first_payload not in str(list(other.store.list_keys("models/")))


def test_a_delete_racing_a_rewrap_deletes_the_rewrapped_manifest_and_its_payload(
    rewrapper: ModelRepository, other: ModelRepository, interleaved: InterleavedStore
) -> None:
    put(other, "m", "1", b"data")
    put(other, "m", "2", b"kept")
    other.keys.rotate()

    def rewrap_elsewhere() -> None:
        interleaved.before_delete = None
        assert other.rewrap("m").rewrapped == 2

    interleaved.before_delete = rewrap_elsewhere
    rewrapper.delete("m", "1")
    assert version_objects(other, "m", "1") == []
    assert get(other, "m", "2") == b"kept"


def test_a_delete_gives_up_on_a_manifest_that_keeps_changing(
    rewrapper: ModelRepository, other: ModelRepository, interleaved: InterleavedStore
) -> None:
    put(other, "m", "1", b"data")
    changes: list[int] = []

    def relabel() -> None:
        manifest = other.verified_manifest("m", "1")
        changes.append(len(changes))
        manifest.labels["change"] = str(changes[-1])
        other.signer.sign(manifest)
        other.store.put_bytes(manifest_key("m", "1"), manifest.SerializeToString())

    interleaved.before_delete = relabel
    with pytest.raises(ConcurrentChange):
        rewrapper.delete("m", "1")
    assert interleaved.manifest_deletes == MANIFEST_SWAP_ATTEMPTS
    assert get(other, "m", "1") == b"data", "the other writer's version stands whole"
