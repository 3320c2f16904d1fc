"""Model versions on top of an ObjectStore, a KeyProvider and the manifest signer.

Layout in the store::

    models/<model>/versions/<version>/payload-<random>.enc   chunked AEAD stream (never plaintext);
                                                             the manifest names it (payload_object)
    models/<model>/versions/<version>/manifest.pb   signed Manifest; its presence makes the version visible
    models/<model>/aliases/<alias>                  the version it points at, e.g. "3"

An upload writes the payload through the store's atomic writer under a name of its own, commits it,
then creates the signed manifest only if none exists (``put_bytes_if_absent``): a version is visible
once both are stored, and of several replicas uploading one version at once exactly one wins while
the others remove their payload and answer ALREADY_EXISTS. An interrupted upload aborts the writer
(nothing left); a crash between the two commits leaves a payload no manifest names, which is
invisible and removed by ``cleanup`` at start-up once it is older than the grace period. All
methods block (crypto, store, KMS): async callers use a thread. Within a process, a second upload of
a version already being uploaded is refused at once.

A stored manifest is only ever created (upload), replaced by a compare-and-swap (rewrap:
``put_bytes_if_match`` with the ETag read) or deleted (delete: ``delete_if_match`` of the manifest
read, then the payload it names). So a rewrap
racing a delete on another replica cannot bring the manifest back, nor overwrite a manifest uploaded
again under the same version name or rewrapped by another replica: a manifest present names a
payload that was committed before it and is removed only after it.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

import re2
from aisec.vault.v1 import vault_pb2

from services.vault.crypto import (
    CIPHER_SUITE,
    DEFAULT_SEGMENT_SIZE,
    ChunkedAeadReader,
    ChunkedAeadWriter,
    IntegrityError,
)
from services.vault.keys.provider import KeyProvider, KeyStatus
from services.vault.manifest import ManifestSigner
from services.vault.storage.object_store import READ_CHUNK_SIZE, ObjectNotFound, ObjectStore, ObjectWriter

MODEL_NAME = re2.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
VERSION_NAME = re2.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
ALIAS_NAME = re2.compile(r"[A-Za-z][A-Za-z0-9._-]{0,63}")
MAX_LABELS = 32


class VaultError(Exception):
    """Base class of repository errors the service maps to gRPC codes."""


class InvalidName(VaultError):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name


class VersionNotFound(VaultError):
    def __init__(self, model: str, ref: str) -> None:
        super().__init__(f"model {model!r} has no version or alias {ref!r}")
        self.resource = f"{model}/{ref}"


class VersionExists(VaultError):
    def __init__(self, model: str, version: str, in_progress: bool = False) -> None:
        state = "is being uploaded" if in_progress else "already exists (versions are immutable)"
        super().__init__(f"version {version!r} of model {model!r} {state}")
        self.resource = f"{model}/{version}"


class UploadMismatch(VaultError):
    """The uploaded bytes differ from the size or SHA-256 announced in the header."""


class ConcurrentChange(VaultError):
    """A manifest changed under every attempt of a read-modify-write (other replicas): retry later."""

    def __init__(self, model: str, version: str, attempts: int) -> None:
        super().__init__(f"manifest of {model}/{version} changed concurrently {attempts} times; retry")
        self.resource = f"{model}/{version}"


def check_name(pattern: re2._Regexp, value: str, field_name: str) -> str:
    if not pattern.fullmatch(value):
        raise InvalidName(field_name, f"{field_name} must match {pattern.pattern} (got {len(value)} chars)")
    return value


def key_context(manifest: vault_pb2.Manifest) -> dict[str, str]:
    """Encryption context bound into the wrapped data key and the stream key derivation."""
    return {"tenant": manifest.tenant, "model": manifest.model, "version": manifest.version}


def _version_prefix(model: str, version: str) -> str:
    return f"models/{model}/versions/{version}/"


LEGACY_PAYLOAD_OBJECT = "payload.enc"


def new_payload_object() -> str:
    """A payload name no other upload uses: replicas racing on one version never share an object."""
    return f"payload-{uuid.uuid4().hex}.enc"


def is_payload_object(name: str) -> bool:
    return name == LEGACY_PAYLOAD_OBJECT or (name.startswith("payload-") and name.endswith(".enc"))


def payload_name(manifest: vault_pb2.Manifest) -> str:
    """The payload object a manifest names (manifests from before the field name the legacy one)."""
    return manifest.payload_object or LEGACY_PAYLOAD_OBJECT


def payload_key(model: str, version: str, name: str) -> str:
    """``name``: a payload object, or "" for the legacy one."""
    return _version_prefix(model, version) + (name or LEGACY_PAYLOAD_OBJECT)


def manifest_key(model: str, version: str) -> str:
    return _version_prefix(model, version) + "manifest.pb"


def _aliases_prefix(model: str) -> str:
    return f"models/{model}/aliases/"


def alias_key(model: str, alias: str) -> str:
    # One object per alias: setting one is a single atomic put, so replicas changing different
    # aliases of a model at once never lose each other's change.
    return _aliases_prefix(model) + alias


_CLOSED_WRITER = ChunkedAeadWriter(bytes(32), {}, 1)


@dataclass
class VersionUpload:
    """One streamed upload. ``write`` plaintext chunks, then ``commit`` (or ``abort``)."""

    repository: ModelRepository
    manifest: vault_pb2.Manifest
    expected_size: int
    expected_sha256: bytes
    _writer: ChunkedAeadWriter
    _object: ObjectWriter
    _digest: hashlib._Hash = field(default_factory=hashlib.sha256)
    _closed: bool = False
    # Serializes write/commit (worker thread) against abort (event loop, on cancellation).
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def plaintext_size(self) -> int:
        return self._writer.plaintext_size

    def write(self, chunk: bytes) -> None:
        with self._lock:
            if self._closed:
                raise UploadMismatch("upload already closed")
            self._write(chunk)

    def _write(self, chunk: bytes) -> None:
        self._digest.update(chunk)
        for piece in self._writer.update(chunk):
            self._object.write(piece)
        if self.expected_size and self._writer.plaintext_size > self.expected_size:
            raise UploadMismatch(f"more bytes than the announced size {self.expected_size}")

    def commit(self, trailer_size: int | None = None, trailer_sha256: bytes = b"") -> vault_pb2.Manifest:
        """Store the version. The end of the upload must be explicit: a trailer (``trailer_size``), or
        an announced size received in full; a stream that merely stopped is never committed."""
        with self._lock:
            if self._closed:
                raise UploadMismatch("upload already closed")
            return self._commit(trailer_size, trailer_sha256)

    def _commit(self, trailer_size: int | None, trailer_sha256: bytes) -> vault_pb2.Manifest:
        try:
            for piece in self._writer.finalize():
                self._object.write(piece)
            digest = self._digest.digest()
            size = self._writer.plaintext_size
            if self.expected_size and size != self.expected_size:
                raise UploadMismatch(f"received {size} bytes, header announced {self.expected_size}")
            if self.expected_sha256 and not hmac.compare_digest(digest, self.expected_sha256):
                raise UploadMismatch("SHA-256 of the received bytes differs from the header")
            if trailer_size is None and not self.expected_size:
                raise UploadMismatch(
                    "upload ended without a trailer and without an announced size "
                    "(cannot tell a finished upload from a dropped one)"
                )
            if trailer_size is not None and trailer_size != size:
                raise UploadMismatch(f"received {size} bytes, trailer says {trailer_size}")
            if trailer_sha256 and not hmac.compare_digest(digest, trailer_sha256):
                raise UploadMismatch("SHA-256 of the received bytes differs from the trailer")
            manifest = self.manifest
            manifest.size = size
            manifest.sha256 = digest
            manifest.segment_count = self._writer.segment_count
            manifest.created_at.GetCurrentTime()
            self.repository.signer.sign(manifest)
            self._object.commit()
            # The manifest goes last: its presence is what makes the version visible. It is created
            # only if absent, so of several replicas racing on one version exactly one wins; the
            # others remove their own payload (a different object) and report the version exists.
            created = self.repository.store.put_bytes_if_absent(
                manifest_key(manifest.model, manifest.version), manifest.SerializeToString()
            )
            if not created:
                raise VersionExists(manifest.model, manifest.version)
            return manifest
        except BaseException:
            self._abort()
            raise
        finally:
            self._release()

    def abort(self) -> None:
        with self._lock:
            self._abort()

    def _abort(self) -> None:
        if self._closed:
            return
        self._object.abort()
        model, version, name = self.manifest.model, self.manifest.version, self.manifest.payload_object
        # The payload object is this upload's own, unless a manifest creation whose answer was lost
        # (a timeout) did land: then the version is visible and its payload must stay.
        if self.repository.payload_object_of(model, version) != name:
            self.repository.store.delete(payload_key(model, version, name))
        self._release()

    def _release(self) -> None:
        if not self._closed:
            self._closed = True
            self.repository.release(self.manifest.model, self.manifest.version)
            # Drop the stream key with the writer: the data key lives only while the stream is open.
            self._writer = _CLOSED_WRITER


class VersionDownload:
    """Verified plaintext of one version, segment by segment (``next_segments`` until None)."""

    def __init__(self, store: ObjectStore, manifest: vault_pb2.Manifest, data_key: bytes) -> None:
        self.manifest = manifest
        self._reader = ChunkedAeadReader(data_key, key_context(manifest))
        self._chunks = store.iter_read(
            payload_key(manifest.model, manifest.version, manifest.payload_object), READ_CHUNK_SIZE
        )
        self._digest = hashlib.sha256()
        self._done = False

    def next_segments(self) -> list[bytes] | None:
        """Plaintext segments whose tags verified, or None at the end; raises IntegrityError."""
        if self._done:
            return None
        chunk = next(self._chunks, None)
        if chunk is not None:
            segments = self._reader.feed(chunk)
        else:
            segments = self._reader.finish()
            self._done = True
        for segment in segments:
            self._digest.update(segment)
        if self._reader.plaintext_size > self.manifest.size:
            raise IntegrityError("payload is longer than the manifest says")
        if self._done:
            self._check_end()
        return segments

    def _check_end(self) -> None:
        if self._reader.plaintext_size != self.manifest.size:
            raise IntegrityError("payload size differs from the manifest")
        if self._reader.segment_count != self.manifest.segment_count:
            raise IntegrityError("segment count differs from the manifest")
        if not hmac.compare_digest(self._digest.digest(), self.manifest.sha256):
            raise IntegrityError("SHA-256 of the payload differs from the manifest")

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


@dataclass(frozen=True)
class RewrapResult:
    rewrapped: int
    already_current: int
    key_version: int
    deleted_meanwhile: int = 0  # listed, then deleted (through any replica) before it was rewrapped


MANIFEST_SWAP_ATTEMPTS = 5  # compare-and-swap attempts of one manifest (rewrap, delete) before ABORTED


class ModelRepository:
    def __init__(
        self,
        store: ObjectStore,
        keys: KeyProvider,
        signer: ManifestSigner,
        segment_size: int = DEFAULT_SEGMENT_SIZE,
    ) -> None:
        self.store = store
        self.keys = keys
        self.signer = signer
        self.segment_size = segment_size
        self._lock = threading.Lock()
        self._uploading: set[tuple[str, str]] = set()

    # --- uploads ----------------------------------------------------------------------------
    def begin_upload(
        self,
        *,
        model: str,
        version: str,
        tenant: str,
        creator: str,
        labels: Mapping[str, str] | None = None,
        expected_size: int = 0,
        expected_sha256: bytes = b"",
    ) -> VersionUpload:
        check_name(MODEL_NAME, model, "model")
        check_name(VERSION_NAME, version, "version")
        if expected_size < 0:
            raise InvalidName("size", "size must be >= 0")
        if expected_sha256 and len(expected_sha256) != 32:
            raise InvalidName("sha256", "sha256 must be 32 bytes")
        if labels and len(labels) > MAX_LABELS:
            raise InvalidName("labels", f"at most {MAX_LABELS} labels")
        with self._lock:
            if (model, version) in self._uploading:
                raise VersionExists(model, version, in_progress=True)
            if self.store.exists(manifest_key(model, version)):
                raise VersionExists(model, version)
            self._uploading.add((model, version))
        try:
            manifest = vault_pb2.Manifest(
                model=model,
                version=version,
                tenant=tenant,
                creator=creator,
                segment_size=self.segment_size,
                cipher=CIPHER_SUITE,
                labels=dict(labels or {}),
                payload_object=new_payload_object(),
            )
            data_key = self.keys.generate_data_key(key_context(manifest))
            manifest.key_id = data_key.key_id
            manifest.key_version = data_key.key_version
            manifest.wrapped_key = data_key.wrapped
            writer = ChunkedAeadWriter(data_key.plaintext, key_context(manifest), self.segment_size)
            del data_key
            stored = self.store.open_writer(payload_key(model, version, manifest.payload_object))
        except BaseException:
            self.release(model, version)
            raise
        return VersionUpload(self, manifest, expected_size, expected_sha256, writer, stored)

    def release(self, model: str, version: str) -> None:
        with self._lock:
            self._uploading.discard((model, version))

    # --- reads ------------------------------------------------------------------------------
    def _load_manifest(self, model: str, version: str) -> vault_pb2.Manifest:
        try:
            raw = self.store.get_bytes(manifest_key(model, version))
        except ObjectNotFound:
            raise VersionNotFound(model, version) from None
        return self._parse_manifest(model, version, raw)

    def _load_manifest_and_etag(self, model: str, version: str) -> tuple[vault_pb2.Manifest, str]:
        """The manifest and the ETag to replace it with ``put_bytes_if_match``."""
        try:
            raw, etag = self.store.get_bytes_and_etag(manifest_key(model, version))
        except ObjectNotFound:
            raise VersionNotFound(model, version) from None
        return self._parse_manifest(model, version, raw), etag

    @staticmethod
    def _parse_manifest(model: str, version: str, raw: bytes) -> vault_pb2.Manifest:
        manifest = vault_pb2.Manifest()
        try:
            manifest.ParseFromString(raw)
        except Exception:
            raise IntegrityError(f"manifest of {model}/{version} does not parse") from None
        return manifest

    def payload_object_of(self, model: str, version: str) -> str | None:
        """The payload object the stored manifest names; None without a readable manifest."""
        try:
            return payload_name(self._load_manifest(model, version))
        except (VersionNotFound, IntegrityError):
            return None

    def resolve(self, model: str, ref: str) -> str:
        """The version a version name or alias refers to."""
        check_name(MODEL_NAME, model, "model")
        check_name(VERSION_NAME, ref, "ref")
        if self.store.exists(manifest_key(model, ref)):
            return ref
        version = self.aliases(model).get(ref)
        if version is None:
            raise VersionNotFound(model, ref)
        return version

    def describe(self, model: str, ref: str) -> tuple[vault_pb2.Manifest, bool]:
        """The manifest and whether its signature verifies."""
        version = self.resolve(model, ref)
        manifest = self._load_manifest(model, version)
        valid = self.signer.verify(manifest) and manifest.model == model and manifest.version == version
        return manifest, valid

    def verified_manifest(self, model: str, ref: str) -> vault_pb2.Manifest:
        manifest, valid = self.describe(model, ref)
        if not valid:
            raise IntegrityError(f"manifest signature of {model}/{manifest.version} does not verify")
        return manifest

    def open_download(self, manifest: vault_pb2.Manifest) -> VersionDownload:
        """Unwrap the data key (KeyRetiredError / KeyUnwrapError) and open the payload."""
        data_key = self.keys.unwrap(manifest.wrapped_key, manifest.key_version, key_context(manifest))
        try:
            return VersionDownload(self.store, manifest, data_key)
        except ObjectNotFound:
            if self.payload_object_of(manifest.model, manifest.version) != payload_name(manifest):
                # Deleted (and maybe uploaded again) since its manifest was read: the version the
                # caller resolved is gone, which is NOT_FOUND, not lost data.
                raise VersionNotFound(manifest.model, manifest.version) from None
            raise IntegrityError(f"payload of {manifest.model}/{manifest.version} is missing") from None

    def models(self) -> list[str]:
        names = {key.split("/")[1] for key in self.store.list_keys("models/") if key.endswith("/manifest.pb")}
        return sorted(names)

    def _version_names(self, model: str) -> list[str]:
        """Names of the versions whose manifest was listed (some may be deleted by now)."""
        return [
            key.split("/")[3]
            for key in self.store.list_keys(f"models/{model}/versions/")
            if key.endswith("/manifest.pb")
        ]

    def versions(self, model: str) -> list[vault_pb2.Manifest]:
        """Manifests of a model's visible versions, oldest first."""
        check_name(MODEL_NAME, model, "model")
        manifests = []
        for version in self._version_names(model):
            try:
                manifests.append(self._load_manifest(model, version))
            except (VersionNotFound, IntegrityError):
                continue  # deleted meanwhile, or unreadable: never listed as usable
        manifests.sort(key=lambda m: (m.created_at.seconds, m.created_at.nanos, m.version))
        return manifests

    # --- aliases ----------------------------------------------------------------------------
    def aliases(self, model: str) -> dict[str, str]:
        prefix = _aliases_prefix(model)
        found: dict[str, str] = {}
        for key in self.store.list_keys(prefix):
            try:
                found[key[len(prefix) :]] = self.store.get_bytes(key).decode()
            except ObjectNotFound:
                continue  # removed meanwhile
        return found

    def set_alias(self, model: str, alias: str, version: str) -> str:
        """Point ``alias`` at ``version``; returns the previous version ('' when new)."""
        check_name(MODEL_NAME, model, "model")
        check_name(ALIAS_NAME, alias, "alias")
        check_name(VERSION_NAME, version, "version")
        with self._lock:
            if not self.store.exists(manifest_key(model, version)):
                raise VersionNotFound(model, version)
            if self.store.exists(manifest_key(model, alias)):
                raise InvalidName("alias", f"{alias!r} is a version name of this model")
            try:
                previous = self.store.get_bytes(alias_key(model, alias)).decode()
            except ObjectNotFound:
                previous = ""
            self.store.put_bytes(alias_key(model, alias), version.encode())
        return previous

    # --- delete -----------------------------------------------------------------------------
    def delete(self, model: str, version: str) -> list[str]:
        """Delete a version; returns the aliases that pointed at it (removed too)."""
        check_name(MODEL_NAME, model, "model")
        check_name(VERSION_NAME, version, "version")
        key = manifest_key(model, version)
        with self._lock:
            try:
                raw, etag = self.store.get_bytes_and_etag(key)
            except ObjectNotFound:
                raise VersionNotFound(model, version) from None
            removed = sorted(a for a, v in self.aliases(model).items() if v == version)
            for alias in removed:
                self.store.delete(alias_key(model, alias))
            # Manifest first: the version disappears at once, then the payload that manifest names.
            # Only the manifest read is deleted: if another replica rewrapped it, or deleted it and
            # uploaded the version again, read it again, so the payload deleted is always the one
            # of the manifest deleted (never a new upload's manifest left without its payload).
            for _ in range(MANIFEST_SWAP_ATTEMPTS):
                if self.store.delete_if_match(key, etag):
                    break
                try:
                    raw, etag = self.store.get_bytes_and_etag(key)
                except ObjectNotFound:
                    return removed  # deleted through another replica meanwhile: gone all the same
            else:
                raise ConcurrentChange(model, version, MANIFEST_SWAP_ATTEMPTS)
            try:
                payload = self._parse_manifest(model, version, raw).payload_object
            except IntegrityError:
                return removed  # an unreadable manifest's payload is left to cleanup()
            self.store.delete(payload_key(model, version, payload))
        return removed

    # --- keys -------------------------------------------------------------------------------
    def rewrap(self, model: str = "") -> RewrapResult:
        """Re-wrap every data key (of one model, or all) under the current KEK version.

        Each manifest is replaced only if it is still the one read (``put_bytes_if_match``), so
        concurrent changes through other replicas win: a version deleted meanwhile stays deleted
        (``deleted_meanwhile``), one changed meanwhile (rewrapped elsewhere, or deleted and uploaded
        again) is read again and rewrapped only if it still needs it."""
        current = self.keys.status()
        models = [check_name(MODEL_NAME, model, "model")] if model else self.models()
        outcomes = {"rewrapped": 0, "current": 0, "deleted": 0, "unreadable": 0}
        for name in models:
            for version in self._version_names(name):
                outcomes[self._rewrap_version(name, version, current)] += 1
        return RewrapResult(
            outcomes["rewrapped"], outcomes["current"], current.current_version, outcomes["deleted"]
        )

    def _rewrap_version(self, model: str, version: str, current: KeyStatus) -> str:
        """Rewrap one manifest by compare-and-swap: "rewrapped", "current", "deleted" or
        "unreadable" (a manifest that does not parse, never listed as a version either)."""
        key = manifest_key(model, version)
        for _ in range(MANIFEST_SWAP_ATTEMPTS):
            try:
                manifest, etag = self._load_manifest_and_etag(model, version)
            except VersionNotFound:
                return "deleted"
            except IntegrityError:
                return "unreadable"
            # ">=": a replica whose view of the key state lags never moves a manifest back.
            if manifest.key_id == current.key_id and manifest.key_version >= current.current_version:
                return "current"
            if not self.signer.verify(manifest):
                raise IntegrityError(f"manifest signature of {model}/{version} does not verify")
            wrapped = self.keys.rewrap(manifest.wrapped_key, manifest.key_version, key_context(manifest))
            manifest.wrapped_key = wrapped.wrapped
            manifest.key_id = wrapped.key_id
            manifest.key_version = wrapped.key_version
            self.signer.sign(manifest)
            if self.store.put_bytes_if_match(key, manifest.SerializeToString(), etag):
                return "rewrapped"
            # Changed or deleted since it was read: read it again, never overwrite the change.
        raise ConcurrentChange(model, version, MANIFEST_SWAP_ATTEMPTS)

    # --- maintenance ------------------------------------------------------------------------
    def cleanup(self, grace_s: float) -> int:
        """Remove leftovers of interrupted uploads: temp objects, and payloads no manifest names.
        Only what has not been written to for ``grace_s`` seconds goes, so uploads in progress on
        other replicas sharing the store (payload written, manifest not yet) are left alone."""
        removed = self.store.cleanup_incomplete(grace_s)
        cutoff = time.time() - grace_s
        for key in list(self.store.list_keys("models/")):
            parts = key.split("/")  # models/<model>/versions/<version>/<object>
            if len(parts) != 5 or parts[2] != "versions" or not is_payload_object(parts[4]):
                continue
            if self.payload_object_of(parts[1], parts[3]) == parts[4]:
                continue
            try:
                if self.store.modified_at(key) > cutoff:
                    continue
            except ObjectNotFound:
                continue
            self.store.delete(key)
            removed += 1
        return removed
