"""gRPC handlers of the vault: scopes per model, streaming in and out, errors mapped to statuses.

Authentication and the method-level admission run in the shared interceptor (every vault method is
registered with scope None); the per-model scopes ``vault:read:<model>`` / ``vault:write:<model>``
and ``vault:admin`` are checked here, because they depend on the request. A denial is
PERMISSION_DENIED, counted in ``aisec_vault_access_denied_total{method}`` and audited.

Blocking work (crypto, hashing, the object store, KMS) runs in worker threads, one hop per chunk.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import grpc
from aisec.audit.v1 import audit_pb2
from aisec.vault.v1 import vault_pb2, vault_pb2_grpc

from services.common import errors
from services.common.auth import Identity, current_identity
from services.common.emitter import AuditEmitter
from services.vault.crypto import IntegrityError
from services.vault.keys.provider import (
    KeyProviderUnavailable,
    KeyRetiredError,
    KeyUnwrapError,
    VaultKeyError,
)
from services.vault.metrics import VaultMetrics
from services.vault.repository import (
    ConcurrentChange,
    InvalidName,
    ModelRepository,
    UploadMismatch,
    VersionExists,
    VersionNotFound,
    VersionUpload,
)
from services.vault.storage.object_store import ObjectStoreError

log = logging.getLogger("aisec.vault")

SERVICE_NAME = "aisec.vault.v1.VaultService"
ADMIN_SCOPE = "vault:admin"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

T = TypeVar("T")


def method_name(name: str) -> str:
    return f"/{SERVICE_NAME}/{name}"


# Every method admits any authenticated caller; the handlers check the per-model and admin scopes.
METHOD_SCOPES: dict[str, str | None] = {
    method_name(name): None
    for name in (
        "PutModel",
        "GetModel",
        "ListModels",
        "ListVersions",
        "GetVersion",
        "DeleteVersion",
        "SetAlias",
        "RotateKey",
        "Rewrap",
    )
}


def read_scope(model: str) -> str:
    return f"vault:read:{model}"


def write_scope(model: str) -> str:
    return f"vault:write:{model}"


def _page(names: list[str], page_size: int, page_token: str) -> tuple[list[str], str]:
    if page_size < 0:
        raise errors.invalid_argument("page_size must be >= 0", {"page_size": "must be >= 0"})
    size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    remaining = [name for name in names if name > page_token] if page_token else names
    page = remaining[:size]
    return page, (page[-1] if len(remaining) > size else "")


def _abort_opened_upload(future: asyncio.Future[VersionUpload]) -> None:
    if not future.cancelled() and future.exception() is None:
        future.result().abort()


def _consume_result(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()  # an upload already being aborted: its write error is expected


class VaultService(vault_pb2_grpc.VaultServiceServicer):
    def __init__(self, repository: ModelRepository, metrics: VaultMetrics, emitter: AuditEmitter) -> None:
        self._repository = repository
        self._metrics = metrics
        self._emitter = emitter

    # --- helpers -----------------------------------------------------------------------------
    def _audit(
        self,
        identity: Identity,
        method: str,
        action: str,
        status: str,
        *,
        model: str = "",
        version: str = "",
        request_id: str = "",
        reason: str = "",
        started: float | None = None,
        length: int = 0,
    ) -> None:
        event = audit_pb2.Event(
            type=audit_pb2.EVENT_TYPE_VAULT_ACCESS,
            subject=identity.subject,
            tenant=identity.tenant,
            model=model,
            model_version=version,
            request_id=request_id,
            method=method_name(method),
            action=action,
            reason=reason,
            status=status,
        )
        if started is not None:
            event.latency_us = int((time.perf_counter() - started) * 1_000_000)
        if action == "write":
            event.input_length = length
        elif action == "read":
            event.output_length = length
        self._emitter.emit(event)

    def _require(
        self,
        identity: Identity,
        scope: str,
        method: str,
        operation: str,
        *,
        model: str = "",
        request_id: str = "",
    ) -> None:
        if identity.has_scope(scope):
            return
        self._metrics.access_denied.labels(method).inc()
        self._metrics.operations.labels(operation, "denied").inc()
        self._audit(
            identity,
            method,
            "deny",
            "PERMISSION_DENIED",
            model=model,
            request_id=request_id,
            reason="MISSING_SCOPE",
        )
        raise errors.permission_denied(f"missing scope {scope}", "MISSING_SCOPE", {"scope": scope})

    def _fail(self, operation: str, exc: BaseException) -> errors.ServiceError:
        """Map a repository/key/store error to a gRPC status (and count it)."""
        result = "error"
        error: errors.ServiceError
        if isinstance(exc, errors.ServiceError):
            error = exc
        elif isinstance(exc, InvalidName):
            error = errors.invalid_argument(str(exc), {exc.field_name: str(exc)})
        elif isinstance(exc, UploadMismatch):
            error = errors.invalid_argument(str(exc), {"header": str(exc)})
        elif isinstance(exc, VersionNotFound):
            error = errors.not_found(str(exc), "model_version", exc.resource)
        elif isinstance(exc, VersionExists):
            error = errors.already_exists(str(exc), "model_version", exc.resource)
        elif isinstance(exc, ConcurrentChange):
            error = errors.aborted(str(exc), "CONCURRENT_CHANGE", {"model_version": exc.resource})
        elif isinstance(exc, KeyRetiredError):
            error = errors.failed_precondition(str(exc), {"KEY_RETIRED": str(exc)})
        elif isinstance(exc, KeyUnwrapError):
            error = errors.failed_precondition(f"data key does not unwrap: {exc}", {"KEY_UNWRAP": str(exc)})
        elif isinstance(exc, KeyProviderUnavailable | ObjectStoreError):
            error = errors.unavailable(str(exc), retry_after_s=1.0)
        elif isinstance(exc, VaultKeyError):
            error = errors.failed_precondition(str(exc), {"KEY_PROVIDER": str(exc)})
        elif isinstance(exc, IntegrityError):
            result = "integrity_failure"
            self._metrics.integrity_failures.inc()
            error = errors.data_loss(f"integrity check failed: {exc}")
        elif isinstance(exc, ValueError):
            error = errors.invalid_argument(str(exc))
        else:
            log.exception("vault %s failed", operation)
            error = errors.internal()
        self._metrics.operations.labels(operation, result).inc()
        return error

    async def _run(self, operation: str, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return await asyncio.to_thread(func, *args, **kwargs)
        except (errors.ServiceError, asyncio.CancelledError):
            raise
        except Exception as exc:
            raise self._fail(operation, exc) from None

    def _tenant(self, identity: Identity, requested: str, method: str, operation: str, model: str) -> str:
        """The tenant recorded for (and bound into the keys of) a new version."""
        if requested and requested != identity.tenant and not identity.has_scope("admin"):
            self._metrics.access_denied.labels(method).inc()
            self._metrics.operations.labels(operation, "denied").inc()
            self._audit(identity, method, "deny", "PERMISSION_DENIED", model=model, reason="TENANT_MISMATCH")
            raise errors.permission_denied("tenant differs from the token's tenant", "TENANT_MISMATCH")
        return requested or identity.tenant

    # --- upload ------------------------------------------------------------------------------
    async def PutModel(
        self, request_iterator: AsyncIterator[vault_pb2.PutModelRequest], context: grpc.aio.ServicerContext
    ) -> vault_pb2.PutModelResponse:
        started = time.perf_counter()
        identity = current_identity()
        first = await anext(aiter(request_iterator), None)
        if first is None or first.WhichOneof("payload") != "header":
            raise self._fail(
                "put", errors.invalid_argument("the first message must be the header", {"header": "missing"})
            )
        header = first.header
        request_id = header.meta.request_id
        self._require(
            identity, write_scope(header.model), "PutModel", "put", model=header.model, request_id=request_id
        )
        tenant = self._tenant(identity, header.meta.tenant, "PutModel", "put", header.model)
        beginning = asyncio.ensure_future(
            self._run(
                "put",
                self._repository.begin_upload,
                model=header.model,
                version=header.version,
                tenant=tenant,
                creator=identity.subject,
                labels=dict(header.labels),
                expected_size=header.size,
                expected_sha256=header.sha256,
            )
        )
        try:
            upload = await asyncio.shield(beginning)
        except asyncio.CancelledError:
            # The worker thread may still open the upload: abort it once it has.
            beginning.add_done_callback(_abort_opened_upload)
            raise
        trailer: vault_pb2.PutModelTrailer | None = None
        writing: asyncio.Future[None] | None = None
        try:
            # One chunk is encrypted and stored in a worker thread while the next one is received.
            async for message in request_iterator:
                kind = message.WhichOneof("payload")
                if trailer is not None:
                    raise errors.invalid_argument(
                        "the trailer must be the last message", {"trailer": "not last"}
                    )
                if kind == "trailer":
                    trailer = message.trailer
                elif kind == "chunk":
                    if writing is not None:
                        await writing
                    writing = asyncio.ensure_future(asyncio.to_thread(upload.write, message.chunk))
                else:
                    raise errors.invalid_argument("only chunks may follow the header", {"header": "repeated"})
            if writing is not None:
                await writing
            manifest = await asyncio.to_thread(
                upload.commit,
                trailer.size if trailer is not None else None,
                trailer.sha256 if trailer else b"",
            )
        except BaseException as exc:
            # Cancelled (client gone) or failed: nothing becomes visible. Abort synchronously so it
            # also runs when the task is being cancelled (it waits for a write in progress).
            if writing is not None:
                writing.add_done_callback(_consume_result)
            upload.abort()
            if isinstance(exc, asyncio.CancelledError):
                self._metrics.operations.labels("put", "error").inc()
                raise
            error = self._fail("put", exc) if isinstance(exc, Exception) else exc
            if isinstance(error, errors.ServiceError):
                self._audit(
                    identity,
                    "PutModel",
                    "write",
                    error.code.name,
                    model=header.model,
                    version=header.version,
                    request_id=request_id,
                    started=started,
                )
            raise error from None
        self._metrics.bytes.labels("in").inc(manifest.size)
        self._metrics.operations.labels("put", "ok").inc()
        self._audit(
            identity,
            "PutModel",
            "write",
            "OK",
            model=manifest.model,
            version=manifest.version,
            request_id=request_id,
            started=started,
            length=manifest.size,
        )
        return vault_pb2.PutModelResponse(manifest=manifest)

    # --- download ----------------------------------------------------------------------------
    async def GetModel(
        self, request: vault_pb2.GetModelRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[vault_pb2.GetModelResponse]:
        started = time.perf_counter()
        identity = current_identity()
        request_id = request.meta.request_id
        self._require(
            identity, read_scope(request.model), "GetModel", "get", model=request.model, request_id=request_id
        )
        status = "INTERNAL"
        version = ""
        sent = 0
        try:
            manifest = await self._run("get", self._repository.verified_manifest, request.model, request.ref)
            version = manifest.version
            download = await self._run("get", self._repository.open_download, manifest)
            reading: asyncio.Future[list[bytes] | None] | None = None
            try:
                yield vault_pb2.GetModelResponse(manifest=manifest)
                # Only segments whose tags verified come back; a bad one raises before any of it is
                # sent. The next read + decrypt runs in a worker thread while these are being sent.
                reading = asyncio.ensure_future(self._run("get", download.next_segments))
                while True:
                    # Shielded: a cancellation must not abandon the worker thread mid-read, or the
                    # file would be closed under it; ``finally`` waits for it instead.
                    segments = await asyncio.shield(reading)
                    if segments is None:
                        break
                    reading = asyncio.ensure_future(self._run("get", download.next_segments))
                    for segment in segments:
                        sent += len(segment)  # counted when handed over: the stream may end at the yield
                        yield vault_pb2.GetModelResponse(chunk=segment)
            finally:
                if reading is not None and not reading.done():
                    await asyncio.wait([reading])  # the worker must finish before the file is closed
                if reading is not None and reading.done() and not reading.cancelled():
                    reading.exception()  # retrieved: an error after an abandoned stream is not news
                await asyncio.to_thread(download.close)
            status = "OK"
            self._metrics.operations.labels("get", "ok").inc()
        except errors.ServiceError as exc:
            status = exc.code.name
            raise
        except (asyncio.CancelledError, GeneratorExit):
            # A client that goes away while a chunk is being sent cancels the task; one that goes away
            # while this generator waits at a yield leaves it to be closed later (GeneratorExit).
            status = "CANCELLED"
            raise
        finally:
            self._metrics.bytes.labels("out").inc(sent)
            self._audit(
                identity,
                "GetModel",
                "read",
                status,
                model=request.model,
                version=version,
                request_id=request_id,
                started=started,
                length=sent,
            )

    # --- listing -----------------------------------------------------------------------------
    async def ListModels(
        self, request: vault_pb2.ListModelsRequest, context: grpc.aio.ServicerContext
    ) -> vault_pb2.ListModelsResponse:
        identity = current_identity()
        names = await self._run("list", self._repository.models)
        # Only the models the caller may read are listed.
        readable = [name for name in names if identity.has_scope(read_scope(name))]
        page, next_token = _page(readable, request.page_size, request.page_token)
        response = vault_pb2.ListModelsResponse(next_page_token=next_token)
        for name in page:
            versions = await self._run("list", self._repository.versions, name)
            aliases = await self._run("list", self._repository.aliases, name)
            response.models.add(
                name=name,
                version_count=len(versions),
                latest_version=versions[-1].version if versions else "",
                aliases=aliases,
            )
        self._metrics.operations.labels("list", "ok").inc()
        return response

    async def ListVersions(
        self, request: vault_pb2.ListVersionsRequest, context: grpc.aio.ServicerContext
    ) -> vault_pb2.ListVersionsResponse:
        identity = current_identity()
        self._require(
            identity,
            read_scope(request.model),
            "ListVersions",
            "list",
            model=request.model,
            request_id=request.meta.request_id,
        )
        manifests = await self._run("list", self._repository.versions, request.model)
        by_name = {manifest.version: manifest for manifest in manifests}
        ordered = [manifest.version for manifest in manifests]
        if request.page_size < 0:
            raise self._fail("list", errors.invalid_argument("page_size must be >= 0", {"page_size": ">= 0"}))
        size = min(request.page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        start = ordered.index(request.page_token) + 1 if request.page_token in by_name else 0
        page = ordered[start : start + size]
        response = vault_pb2.ListVersionsResponse(
            versions=[by_name[name] for name in page],
            next_page_token=page[-1] if start + size < len(ordered) else "",
            aliases=await self._run("list", self._repository.aliases, request.model),
        )
        self._metrics.operations.labels("list", "ok").inc()
        return response

    async def GetVersion(
        self, request: vault_pb2.GetVersionRequest, context: grpc.aio.ServicerContext
    ) -> vault_pb2.GetVersionResponse:
        identity = current_identity()
        self._require(
            identity,
            read_scope(request.model),
            "GetVersion",
            "describe",
            model=request.model,
            request_id=request.meta.request_id,
        )
        manifest, valid = await self._run("describe", self._repository.describe, request.model, request.ref)
        self._metrics.operations.labels("describe", "ok").inc()
        return vault_pb2.GetVersionResponse(manifest=manifest, signature_valid=valid)

    # --- changes -----------------------------------------------------------------------------
    async def DeleteVersion(
        self, request: vault_pb2.DeleteVersionRequest, context: grpc.aio.ServicerContext
    ) -> vault_pb2.DeleteVersionResponse:
        identity = current_identity()
        request_id = request.meta.request_id
        self._require(
            identity, ADMIN_SCOPE, "DeleteVersion", "delete", model=request.model, request_id=request_id
        )
        try:
            removed = await self._run("delete", self._repository.delete, request.model, request.version)
        except errors.ServiceError as exc:
            self._audit(
                identity,
                "DeleteVersion",
                "delete",
                exc.code.name,
                model=request.model,
                version=request.version,
                request_id=request_id,
            )
            raise
        self._metrics.operations.labels("delete", "ok").inc()
        self._audit(
            identity,
            "DeleteVersion",
            "delete",
            "OK",
            model=request.model,
            version=request.version,
            request_id=request_id,
        )
        return vault_pb2.DeleteVersionResponse(deleted=True, removed_aliases=removed)

    async def SetAlias(
        self, request: vault_pb2.SetAliasRequest, context: grpc.aio.ServicerContext
    ) -> vault_pb2.SetAliasResponse:
        identity = current_identity()
        request_id = request.meta.request_id
        self._require(
            identity,
            write_scope(request.model),
            "SetAlias",
            "alias",
            model=request.model,
            request_id=request_id,
        )
        previous = await self._run(
            "alias", self._repository.set_alias, request.model, request.alias, request.version
        )
        self._metrics.operations.labels("alias", "ok").inc()
        self._audit(
            identity,
            "SetAlias",
            "alias",
            "OK",
            model=request.model,
            version=request.version,
            request_id=request_id,
        )
        return vault_pb2.SetAliasResponse(
            alias=request.alias, version=request.version, previous_version=previous
        )

    async def RotateKey(
        self, request: vault_pb2.RotateKeyRequest, context: grpc.aio.ServicerContext
    ) -> vault_pb2.RotateKeyResponse:
        identity = current_identity()
        request_id = request.meta.request_id
        self._require(identity, ADMIN_SCOPE, "RotateKey", "rotate_key", request_id=request_id)
        if request.min_decryption_version < 0:
            raise self._fail(
                "rotate_key",
                errors.invalid_argument(
                    "min_decryption_version must be >= 0", {"min_decryption_version": ">= 0"}
                ),
            )
        status = await self._run("rotate_key", self._repository.keys.rotate, request.min_decryption_version)
        self._metrics.operations.labels("rotate_key", "ok").inc()
        self._audit(
            identity,
            "RotateKey",
            "rotate_key",
            "OK",
            request_id=request_id,
            reason=f"key_version={status.current_version},min={status.min_decryption_version}",
        )
        return vault_pb2.RotateKeyResponse(
            key_id=status.key_id,
            key_version=status.current_version,
            min_decryption_version=status.min_decryption_version,
        )

    async def Rewrap(
        self, request: vault_pb2.RewrapRequest, context: grpc.aio.ServicerContext
    ) -> vault_pb2.RewrapResponse:
        identity = current_identity()
        request_id = request.meta.request_id
        self._require(identity, ADMIN_SCOPE, "Rewrap", "rewrap", model=request.model, request_id=request_id)
        result = await self._run("rewrap", self._repository.rewrap, request.model)
        self._metrics.operations.labels("rewrap", "ok").inc()
        self._audit(
            identity,
            "Rewrap",
            "rewrap",
            "OK",
            model=request.model,
            request_id=request_id,
            reason=f"rewrapped={result.rewrapped}"
            + (f",deleted_meanwhile={result.deleted_meanwhile}" if result.deleted_meanwhile else ""),
        )
        return vault_pb2.RewrapResponse(
            rewrapped=result.rewrapped, already_current=result.already_current, key_version=result.key_version
        )
