"""One suite, run against every ObjectStore backend (filesystem and S3 via moto over HTTP)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from services.vault.storage import filesystem
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


def test_put_if_match_replaces_only_the_object_read(object_store: ObjectStore) -> None:
    key = "models/m/versions/1/manifest"
    object_store.put_bytes(key, b"first")
    data, etag = object_store.get_bytes_and_etag(key)
    assert data == b"first"
    object_store.put_bytes(key, b"changed meanwhile")  # another replica's write
    assert not object_store.put_bytes_if_match(key, b"mine", etag)
    assert object_store.get_bytes(key) == b"changed meanwhile"
    _, etag = object_store.get_bytes_and_etag(key)
    assert object_store.put_bytes_if_match(key, b"mine", etag)
    data, new_etag = object_store.get_bytes_and_etag(key)
    assert (data, new_etag != etag) == (b"mine", True)
    assert not object_store.put_bytes_if_match(key, b"again", etag)  # that version is gone
    etag = new_etag
    object_store.delete(key)  # another replica's delete
    assert not object_store.put_bytes_if_match(key, b"resurrected", etag)
    assert not object_store.exists(key)
    assert list(object_store.list_keys("")) == []
    assert object_store.pending_temp_files() == 0  # type: ignore[attr-defined]
    with pytest.raises(ObjectNotFound):
        object_store.get_bytes_and_etag(key)


def test_delete_if_match_deletes_only_the_object_read(object_store: ObjectStore) -> None:
    key = "models/m/versions/1/manifest"
    object_store.put_bytes(key, b"first")
    _, etag = object_store.get_bytes_and_etag(key)
    object_store.put_bytes(key, b"uploaded again")  # another replica deleted it and uploaded again
    assert not object_store.delete_if_match(key, etag)
    assert object_store.get_bytes(key) == b"uploaded again"
    _, etag = object_store.get_bytes_and_etag(key)
    assert object_store.delete_if_match(key, etag)
    assert not object_store.exists(key) and list(object_store.list_keys("")) == []
    assert not object_store.delete_if_match(key, etag), "gone: nothing to delete"


@pytest.mark.parametrize(
    ("code", "status"), [("PreconditionFailed", 412), ("NoSuchKey", 404), ("ConditionalRequestConflict", 409)]
)
def test_s3_put_if_match_answers(code: str, status: int) -> None:
    """What S3 answers a conditional write that lost (moto never sends 409): the object changed or
    is gone, so the caller reads it again; any other error is the store's."""
    import boto3
    from botocore.stub import Stubber

    from services.vault.storage.object_store import ObjectStoreError
    from services.vault.storage.s3 import S3ObjectStore

    client = boto3.client("s3", region_name="us-east-1")
    store = S3ObjectStore("bucket", client=client)
    with Stubber(client) as stub:
        stub.add_client_error("put_object", service_error_code=code, http_status_code=status)
        assert not store.put_bytes_if_match("k", b"data", '"etag"')
        stub.add_client_error("put_object", service_error_code="SlowDown", http_status_code=503)
        with pytest.raises(ObjectStoreError, match="SlowDown"):
            store.put_bytes_if_match("k", b"data", '"etag"')
        stub.add_client_error("delete_object", service_error_code=code, http_status_code=status)
        assert not store.delete_if_match("k", '"etag"')
        stub.add_client_error("delete_object", service_error_code="SlowDown", http_status_code=503)
        with pytest.raises(ObjectStoreError, match="SlowDown"):
            store.delete_if_match("k", '"etag"')


def test_put_if_match_race_loses_no_update(tmp_path: Path) -> None:
    """Eight writers (each its own store instance, as replicas are) increment one counter by
    compare-and-swap, retrying when they lose: every increment counts. Filesystem only, as above."""
    stores = [FilesystemObjectStore(tmp_path / "objects") for _ in range(8)]
    stores[0].put_bytes("counter", b"0")
    start = threading.Barrier(len(stores))

    def increment(index: int) -> int:
        start.wait()
        lost = 0
        for _ in range(25):
            while True:
                data, etag = stores[index].get_bytes_and_etag("counter")
                if stores[index].put_bytes_if_match("counter", str(int(data) + 1).encode(), etag):
                    break
                lost += 1
        return lost

    with ThreadPoolExecutor(len(stores)) as pool:
        list(pool.map(increment, range(len(stores))))
    assert stores[0].get_bytes("counter") == b"200"


def test_put_if_match_holds_off_a_delete_until_it_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rewrap/delete race at store level, interleaved deterministically: another replica deletes
    the object while a compare-and-swap is between its comparison and its rename. The delete waits
    for the swap, then removes the new object: a deleted object never comes back."""
    writer, deleter = FilesystemObjectStore(tmp_path / "objects"), FilesystemObjectStore(tmp_path / "objects")
    key = "models/m/versions/1/manifest"
    writer.put_bytes(key, b"signed manifest")
    _, etag = writer.get_bytes_and_etag(key)
    compared, deleted = threading.Event(), threading.Event()
    content_etag = filesystem.content_etag

    def compare_then_let_the_delete_run(data: bytes) -> str:
        compared.set()
        # Without the key lock the delete would be done now, before the rename that follows.
        assert not deleted.wait(timeout=0.2), "a delete ran inside the compare-and-swap"
        return content_etag(data)

    def delete() -> None:
        compared.wait()
        deleter.delete(key)
        deleted.set()

    monkeypatch.setattr(filesystem, "content_etag", compare_then_let_the_delete_run)
    with ThreadPoolExecutor(1) as pool:
        deleting = pool.submit(delete)
        assert writer.put_bytes_if_match(key, b"re-signed manifest", etag)
        deleting.result()
    assert not writer.exists(key)
    assert list(writer.list_keys("")) == []
    assert writer.pending_temp_files() == 0


def test_key_lock_excludes_other_processes(tmp_path: Path) -> None:
    """Replicas are processes (maybe on other hosts, over a shared filesystem): the key lock is a
    flock, so a delete waits while another process holds the lock of its key."""
    store = FilesystemObjectStore(tmp_path / "objects")
    store.put_bytes("models/m/versions/1/manifest", b"signed manifest")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path\n"
            "from services.vault.storage.filesystem import FilesystemObjectStore\n"
            "store = FilesystemObjectStore(Path(sys.argv[1]))\n"
            "with store.key_lock('models/m/versions/1/manifest'):\n"
            "    print('locked', flush=True)\n"
            "    sys.stdin.readline()\n",
            str(tmp_path / "objects"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline() == "locked\n"
        with ThreadPoolExecutor(1) as pool:
            deleting = pool.submit(store.delete, "models/m/versions/1/manifest")
            with pytest.raises(TimeoutError):
                deleting.result(timeout=0.2)
            assert store.exists("models/m/versions/1/manifest")
            holder.stdin.write("\n")
            holder.stdin.flush()
            deleting.result(timeout=10)
        assert not store.exists("models/m/versions/1/manifest")
    finally:
        holder.kill()
        holder.wait()


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
