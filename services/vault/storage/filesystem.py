"""Filesystem object store (the default): objects are files under a root directory.

Writes go to ``<root>/.tmp/<random>`` (same filesystem) and are fsynced, then renamed into place, so
a reader never sees a partial object and a crash leaves only temp files, which ``cleanup_incomplete``
removes at start-up. ``put_bytes_if_absent`` publishes with ``link(2)``, which fails on an existing
name, so it is a create-once primitive on any POSIX filesystem shared by several replicas.

``put_bytes_if_match`` is a compare-and-swap: under an exclusive ``flock(2)`` on one of the lock files
in ``<root>/.locks/`` (chosen by a hash of the key, never removed, released by the kernel if the
holder dies), it compares the SHA-256 of the current content with the ETag read earlier and only
then renames the new object into place. Every replace and delete of a key takes the same lock, so
none can slip between the comparison and the rename; a ``link(2)`` creation needs no lock (it cannot
succeed while the object exists, and the swap needs it to exist).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from services.vault.storage.object_store import READ_CHUNK_SIZE, ObjectNotFound, validate_key

TMP_DIR = ".tmp"
LOCK_DIR = ".locks"
LOCK_STRIPES = 64
# flock excludes other open file descriptions, so also threads of this process; where it is emulated
# with POSIX record locks (NFS), locks are per process, hence a process-wide lock per stripe as well.
_PROCESS_LOCKS = [threading.Lock() for _ in range(LOCK_STRIPES)]
_PUBLISH_ATTEMPTS = 3


def fsync_dir(path: Path) -> None:
    """Make a rename or new file in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def content_etag(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def publish(final: Path, move: Callable[[], None]) -> None:
    """Run ``move`` (a rename or link into ``final``) after creating its directory; a concurrent
    delete of the last object in that directory may prune it in between, so try again then."""
    for attempt in range(_PUBLISH_ATTEMPTS):
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            move()
            return
        except FileNotFoundError:
            if attempt == _PUBLISH_ATTEMPTS - 1 or final.parent.is_dir():
                raise  # not a pruned directory: the source is gone


class FilesystemObjectWriter:
    def __init__(self, store: FilesystemObjectStore, key: str) -> None:
        self._store = store
        self._key = key
        self._final = store.path_of(key)
        self._tmp = store.root / TMP_DIR / uuid.uuid4().hex
        self._file: BinaryIO | None = open(self._tmp, "xb")
        self._done = False

    def write(self, data: bytes) -> None:
        assert self._file is not None, "writer closed"
        self._file.write(data)

    def commit(self) -> None:
        assert self._file is not None, "writer closed"
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None
            with self._store.key_lock(self._key):
                publish(self._final, lambda: os.replace(self._tmp, self._final))
            fsync_dir(self._final.parent)
            self._done = True
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if not self._done:
            self._tmp.unlink(missing_ok=True)


class FilesystemObjectStore:
    name = "filesystem"

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / TMP_DIR).mkdir(parents=True, exist_ok=True)
        (root / LOCK_DIR).mkdir(exist_ok=True)

    def path_of(self, key: str) -> Path:
        return self.root / validate_key(key)

    @contextlib.contextmanager
    def key_lock(self, key: str) -> Iterator[None]:
        """Exclusive, across threads, processes and hosts sharing ``root``, for changes to ``key``."""
        stripe = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") % LOCK_STRIPES
        with _PROCESS_LOCKS[stripe]:
            fd = os.open(self.root / LOCK_DIR / f"{stripe:02x}", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                yield
            finally:
                os.close(fd)  # releases the flock

    def open_writer(self, key: str) -> FilesystemObjectWriter:
        return FilesystemObjectWriter(self, key)

    def iter_read(self, key: str, chunk_size: int = READ_CHUNK_SIZE) -> Iterator[bytes]:
        try:
            handle = open(self.path_of(key), "rb")
        except FileNotFoundError:
            raise ObjectNotFound(key) from None
        return self._chunks(handle, chunk_size)

    @staticmethod
    def _chunks(handle: BinaryIO, chunk_size: int) -> Iterator[bytes]:
        with handle:
            while chunk := handle.read(chunk_size):
                yield chunk

    def put_bytes(self, key: str, data: bytes) -> None:
        writer = self.open_writer(key)
        try:
            writer.write(data)
        except BaseException:
            writer.abort()
            raise
        writer.commit()

    def _durable_temp(self, data: bytes) -> Path:
        """A new temp file holding ``data``, fsynced (the caller links or renames it into place)."""
        tmp = self.root / TMP_DIR / uuid.uuid4().hex
        try:
            with open(tmp, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return tmp

    def put_bytes_if_absent(self, key: str, data: bytes) -> bool:
        final = self.path_of(key)
        tmp = self._durable_temp(data)
        try:
            try:
                publish(final, lambda: os.link(tmp, final))  # atomic, never replaces an existing file
            except FileExistsError:
                return False
            fsync_dir(final.parent)
            return True
        finally:
            tmp.unlink(missing_ok=True)

    def put_bytes_if_match(self, key: str, data: bytes, etag: str) -> bool:
        final = self.path_of(key)
        tmp = self._durable_temp(data)
        try:
            with self.key_lock(key):
                if not _holds(final, etag):
                    return False
                os.replace(tmp, final)  # the directory exists: it holds the object, which is locked
            fsync_dir(final.parent)
            return True
        finally:
            tmp.unlink(missing_ok=True)

    def get_bytes(self, key: str) -> bytes:
        try:
            return self.path_of(key).read_bytes()
        except FileNotFoundError:
            raise ObjectNotFound(key) from None

    def get_bytes_and_etag(self, key: str) -> tuple[bytes, str]:
        data = self.get_bytes(key)
        return data, content_etag(data)

    def exists(self, key: str) -> bool:
        return self.path_of(key).is_file()

    def size(self, key: str) -> int:
        try:
            return self.path_of(key).stat().st_size
        except FileNotFoundError:
            raise ObjectNotFound(key) from None

    def modified_at(self, key: str) -> float:
        try:
            return self.path_of(key).stat().st_mtime
        except FileNotFoundError:
            raise ObjectNotFound(key) from None

    def delete(self, key: str) -> None:
        path = self.path_of(key)
        with self.key_lock(key):
            path.unlink(missing_ok=True)
        self._prune(path.parent)

    def delete_if_match(self, key: str, etag: str) -> bool:
        path = self.path_of(key)
        with self.key_lock(key):
            if not _holds(path, etag):
                return False
            path.unlink()
        self._prune(path.parent)
        return True

    def _prune(self, parent: Path) -> None:
        """Remove directories left empty, up to the root."""
        while parent != self.root and parent.is_dir():
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent

    def list_keys(self, prefix: str = "") -> Iterator[str]:
        keys: list[str] = []
        # Walk only below the deepest directory the prefix names.
        start = self.root / prefix.rsplit("/", 1)[0] if "/" in prefix else self.root
        for dirpath, dirnames, filenames in os.walk(start):
            if Path(dirpath) == self.root:
                dirnames[:] = [name for name in dirnames if name not in (TMP_DIR, LOCK_DIR)]
            rel_dir = Path(dirpath).relative_to(self.root)
            for filename in filenames:
                key = (rel_dir / filename).as_posix()
                if key.startswith(prefix):
                    keys.append(key)
        return iter(sorted(keys))

    def cleanup_incomplete(self, older_than_s: float) -> int:
        # A write in progress touches its temp file with every chunk; one idle for the grace
        # period belongs to a dead writer (this process's or another replica's).
        cutoff = time.time() - older_than_s
        removed = 0
        for leftover in (self.root / TMP_DIR).iterdir():
            try:
                if leftover.stat().st_mtime > cutoff:
                    continue
            except FileNotFoundError:
                continue  # committed or aborted meanwhile
            leftover.unlink(missing_ok=True)
            removed += 1
        return removed

    def pending_temp_files(self) -> int:
        """Temp files of writes in progress (tests use it to check cleanup)."""
        return sum(1 for _ in (self.root / TMP_DIR).iterdir())

    def check(self) -> bool:
        return os.access(self.root, os.W_OK)

    def close(self) -> None:
        return None


def _holds(path: Path, etag: str) -> bool:
    """The object at ``path`` exists and its content has ``etag`` (read under the key's lock)."""
    try:
        return content_etag(path.read_bytes()) == etag
    except FileNotFoundError:
        return False
