"""The ``ObjectStore`` interface: flat keys -> immutable blobs, written by streaming.

An object written through ``open_writer`` becomes visible only on ``commit`` (atomic rename on disk,
``CompleteMultipartUpload`` on S3); ``abort`` leaves nothing behind. Methods are blocking; async
callers run them in a thread. Keys are ``/``-separated relative paths made by the repository from
validated names.

Two conditional writes let replicas sharing a store change small objects without a coordinator:
``put_bytes_if_absent`` (create once) and ``put_bytes_if_match`` (compare-and-swap on the ETag
``get_bytes_and_etag`` returned), and one conditional delete, ``delete_if_match``. Each is atomic
against every other write and delete of its key.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

READ_CHUNK_SIZE = 1024 * 1024


class ObjectNotFound(Exception):
    """No object under that key."""


class ObjectStoreError(Exception):
    """The backend failed (I/O error, S3 error, checksum mismatch)."""


class ObjectWriter(Protocol):
    def write(self, data: bytes) -> None: ...

    def commit(self) -> None:
        """Make the object visible under its key (replacing any previous one)."""
        ...

    def abort(self) -> None:
        """Discard everything written; safe to call more than once or after commit failed."""
        ...


class ObjectStore(Protocol):
    name: str

    def open_writer(self, key: str) -> ObjectWriter: ...

    def iter_read(self, key: str, chunk_size: int = READ_CHUNK_SIZE) -> Iterator[bytes]:
        """Stream the object in chunks of at most ``chunk_size``; raises ObjectNotFound."""
        ...

    def put_bytes(self, key: str, data: bytes) -> None:
        """Atomically store a small object."""
        ...

    def put_bytes_if_absent(self, key: str, data: bytes) -> bool:
        """Atomically create a small object unless one exists under ``key`` (False then). Of several
        writers racing on one key, across processes and hosts, exactly one gets True."""
        ...

    def put_bytes_if_match(self, key: str, data: bytes, etag: str) -> bool:
        """Atomically replace a small object only if it is still the one ``etag`` (from
        ``get_bytes_and_etag``) names: False when it changed or is gone meanwhile (nothing written)."""
        ...

    def delete_if_match(self, key: str, etag: str) -> bool:
        """Atomically delete an object only if it is still the one ``etag`` names: False when it
        changed or is gone meanwhile (nothing deleted)."""
        ...

    def get_bytes(self, key: str) -> bytes: ...

    def get_bytes_and_etag(self, key: str) -> tuple[bytes, str]:
        """The object and an opaque tag of this version of it, for ``put_bytes_if_match``."""
        ...

    def exists(self, key: str) -> bool: ...

    def size(self, key: str) -> int: ...

    def modified_at(self, key: str) -> float:
        """Unix time the object was last written; raises ObjectNotFound."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object; a missing key is not an error."""
        ...

    def list_keys(self, prefix: str = "") -> Iterator[str]:
        """Keys starting with ``prefix``, sorted."""
        ...

    def cleanup_incomplete(self, older_than_s: float) -> int:
        """Remove leftovers of interrupted writes not written to for ``older_than_s`` seconds (so
        writes in progress on other replicas sharing the store survive); returns how many."""
        ...

    def check(self) -> bool:
        """Health: the backend answers."""
        ...

    def close(self) -> None: ...


def validate_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"invalid object key: {key!r}")
    return key
