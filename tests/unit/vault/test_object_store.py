"""One suite, run against every ObjectStore backend (filesystem and S3 via moto over HTTP)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from services.vault.storage.filesystem import FilesystemObjectStore
from services.vault.storage.object_store import ObjectNotFound, ObjectStore


def test_streamed_write_is_invisible_until_commit(object_store: ObjectStore) -> None:
    data = os.urandom(11 * 1024 * 1024 + 5)  # more than two S3 parts
    writer = object_store.open_writer("models/m/versions/1/payload")
    for i in range(0, len(data), 1024 * 1024):
        writer.write(data[i : i + 1024 * 1024])
        assert not object_store.exists("models/m/versions/1/payload")
    writer.commit()
    assert object_store.exists("models/m/versions/1/payload")
    assert object_store.size("models/m/versions/1/payload") == len(data)
    chunks = list(object_store.iter_read("models/m/versions/1/payload", chunk_size=1024 * 1024))
    assert all(len(chunk) <= 1024 * 1024 for chunk in chunks)
    assert b"".join(chunks) == data


def test_abort_leaves_nothing(object_store: ObjectStore) -> None:
    writer = object_store.open_writer("models/m/versions/2/payload")
    writer.write(os.urandom(6 * 1024 * 1024))
    writer.abort()
    writer.abort()  # idempotent
    assert not object_store.exists("models/m/versions/2/payload")
    assert list(object_store.list_keys("")) == []
    assert object_store.pending_temp_files() == 0  # type: ignore[attr-defined]


def test_cleanup_incomplete_removes_idle_leftovers_only(open_store: Callable[[], ObjectStore]) -> None:
    ours, other_replica = open_store(), open_store()
    writer = other_replica.open_writer("models/m/versions/3/payload")
    writer.write(b"x" * (5 * 1024 * 1024 + 1))  # an upload in progress on another replica
    # A replica starting now must not remove it: it was written to within the grace period.
    assert ours.cleanup_incomplete(older_than_s=3600) == 0
    assert ours.pending_temp_files() == 1  # type: ignore[attr-defined]
    # Once idle for longer than the grace period (here: 0 s), it is a dead writer's and goes.
    time.sleep(0.01)
    assert ours.cleanup_incomplete(older_than_s=0) == 1
    assert ours.pending_temp_files() == 0  # type: ignore[attr-defined]
    assert not ours.exists("models/m/versions/3/payload")


def test_put_if_absent_creates_once(object_store: ObjectStore) -> None:
    assert object_store.put_bytes_if_absent("models/m/versions/1/manifest", b"first")
    assert not object_store.put_bytes_if_absent("models/m/versions/1/manifest", b"second")
    assert object_store.get_bytes("models/m/versions/1/manifest") == b"first"
    assert list(object_store.list_keys("")) == ["models/m/versions/1/manifest"]
    assert object_store.pending_temp_files() == 0  # type: ignore[attr-defined]
    modified = object_store.modified_at("models/m/versions/1/manifest")
    assert abs(modified - time.time()) < 300
    with pytest.raises(ObjectNotFound):
        object_store.modified_at("nope")


def test_put_if_absent_race_has_one_winner(tmp_path: Path) -> None:
    """Eight writers (each its own store instance, as replicas are) race to create one key.

    Filesystem only: link(2) is the atomic step. On S3 the atomicity is the service's (If-None-Match),
    and moto checks the condition and stores the object in two steps, so racing it would test moto;
    the S3 semantics (412 -> False) are covered by test_put_if_absent_creates_once."""
    stores = [FilesystemObjectStore(tmp_path / "objects") for _ in range(8)]
    start = threading.Barrier(len(stores))

    def create(index: int) -> bool:
        start.wait()
        return stores[index].put_bytes_if_absent("models/m/versions/1/manifest", f"writer {index}".encode())

    with ThreadPoolExecutor(len(stores)) as pool:
        results = list(pool.map(create, range(len(stores))))
    assert results.count(True) == 1
    winner = results.index(True)
    assert stores[0].get_bytes("models/m/versions/1/manifest") == f"writer {winner}".encode()


def test_empty_object(object_store: ObjectStore) -> None:
    writer = object_store.open_writer("empty")
    writer.commit()
    assert object_store.get_bytes("empty") == b""
    assert b"".join(object_store.iter_read("empty")) == b""


def test_small_objects_put_get_replace_delete(object_store: ObjectStore) -> None:
    object_store.put_bytes("models/a/aliases", b"one")
    object_store.put_bytes("models/a/aliases", b"two")
    assert object_store.get_bytes("models/a/aliases") == b"two"
    object_store.delete("models/a/aliases")
    object_store.delete("models/a/aliases")  # missing is fine
    assert not object_store.exists("models/a/aliases")


def test_missing_object_raises_not_found(object_store: ObjectStore) -> None:
    with pytest.raises(ObjectNotFound):
        object_store.get_bytes("nope")
    with pytest.raises(ObjectNotFound):
        b"".join(object_store.iter_read("nope"))
    with pytest.raises(ObjectNotFound):
        object_store.size("nope")


def test_list_keys_by_prefix_sorted(object_store: ObjectStore) -> None:
    for key in ["models/b/x", "models/a/y", "models/a/x", "other/z"]:
        object_store.put_bytes(key, b"1")
    assert list(object_store.list_keys("models/a/")) == ["models/a/x", "models/a/y"]
    assert list(object_store.list_keys("models/")) == ["models/a/x", "models/a/y", "models/b/x"]


@pytest.mark.parametrize("key", ["", "/abs", "a/../b", "a//b", "."])
def test_invalid_keys_rejected(object_store: ObjectStore, key: str) -> None:
    with pytest.raises(ValueError):
        object_store.put_bytes(key, b"x")


def test_health_check(object_store: ObjectStore) -> None:
    assert object_store.check()


def test_s3_sse_kms_applied_on_top(moto_endpoint: str, s3_bucket: str, kms_key_id: str) -> None:
    from services.vault.storage.s3 import S3ObjectStore
    from tests.unit.vault.conftest import aws_client

    store = S3ObjectStore(s3_bucket, endpoint_url=moto_endpoint, sse_kms_key_id=kms_key_id)
    writer = store.open_writer("p")
    writer.write(b"ciphertext")
    writer.commit()
    head = aws_client("s3", moto_endpoint).head_object(Bucket=s3_bucket, Key="p")
    assert head["ServerSideEncryption"] == "aws:kms"
    assert store.get_bytes("p") == b"ciphertext"
    store.close()
