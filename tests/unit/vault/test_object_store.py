"""One suite, run against every ObjectStore backend (filesystem and S3 via moto over HTTP)."""

from __future__ import annotations

import os

import pytest

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


def test_cleanup_incomplete_removes_leftovers(object_store: ObjectStore) -> None:
    writer = object_store.open_writer("models/m/versions/3/payload")
    writer.write(b"partial")  # never committed: as if the process died here
    assert object_store.cleanup_incomplete() >= 1
    assert object_store.pending_temp_files() == 0  # type: ignore[attr-defined]
    assert not object_store.exists("models/m/versions/3/payload")


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
