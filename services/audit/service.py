"""gRPC AuditService handlers and the service definition for the shared server."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator

import grpc
from aisec.audit.v1 import audit_pb2, audit_pb2_grpc
from prometheus_client import CollectorRegistry

from services.audit import canonical
from services.audit.audit_log import AuditLog, LogInconsistentError, TreeSizeError
from services.audit.checkpoint import parse_checkpoint
from services.audit.checkpoint_publisher import run_checkpoint_publisher
from services.audit.committer import CommitterClosedError
from services.audit.metrics import AuditMetrics
from services.audit.retention import run_retention
from services.audit.settings import AuditSettings
from services.audit.signing_key import load_or_create_signer
from services.audit.store.base import LogGapError, QueryFilter, StoredCheckpoint, StoredEntry
from services.audit.store.factory import make_log_store
from services.audit.validation import event_violations
from services.common import errors
from services.common.emitter import AuditEmitter
from services.common.server import ServiceDefinition

SERVICE_NAME = "aisec.audit.v1.AuditService"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_STREAM_EVENTS = 10_000

METHOD_SCOPES: dict[str, str | None] = {
    f"/{SERVICE_NAME}/Append": "audit:append",
    f"/{SERVICE_NAME}/AppendStream": "audit:append",
    f"/{SERVICE_NAME}/Query": "audit:read",
    f"/{SERVICE_NAME}/GetCheckpoint": "audit:read",
    f"/{SERVICE_NAME}/GetInclusionProof": "audit:read",
    f"/{SERVICE_NAME}/GetConsistencyProof": "audit:read",
}


def encode_page_token(next_sequence: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{next_sequence}".encode()).decode()


def decode_page_token(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise errors.invalid_argument("bad page token", {"page_token": "not a token from this service"}) from exc
    prefix, _, number = text.partition(":")
    if prefix != "seq" or not number.isdigit():
        raise errors.invalid_argument("bad page token", {"page_token": "not a token from this service"})
    return int(number)


def stored_event(entry: StoredEntry) -> audit_pb2.StoredEvent:
    out = audit_pb2.StoredEvent(sequence=entry.sequence, leaf_hash=entry.leaf_hash, purged=entry.purged)
    if entry.payload is not None:
        out.event.CopyFrom(canonical.parse_event(entry.payload))
        out.canonical = canonical.leaf_bytes(entry.sequence, entry.payload)
    else:
        if entry.purged_at_ns is not None:
            out.purged_at.FromNanoseconds(entry.purged_at_ns)
        if entry.purged_by is not None:
            out.purged_by = entry.purged_by
    return out


def checkpoint_response(stored: StoredCheckpoint) -> audit_pb2.GetCheckpointResponse:
    parsed = parse_checkpoint(stored.note.split("\n\n", 1)[0] + "\n")
    response = audit_pb2.GetCheckpointResponse(
        origin=parsed.origin, tree_size=stored.tree_size, root_hash=stored.root_hash, signed_note=stored.note
    )
    response.time.FromNanoseconds(stored.time_ns)
    return response


class AuditServicer(audit_pb2_grpc.AuditServiceServicer):
    def __init__(self, audit_log: AuditLog) -> None:
        self.log = audit_log

    async def _append(self, events: list[audit_pb2.Event]) -> list[audit_pb2.Receipt]:
        try:
            appended = await self.log.append(events)
        except CommitterClosedError as exc:
            raise errors.unavailable("audit service is shutting down", retry_after_s=1.0) from exc
        except Exception as exc:  # the store failed: nothing was acknowledged, the caller may retry
            logging.getLogger("aisec.audit").exception("append failed")
            raise errors.unavailable("audit log write failed", retry_after_s=1.0) from exc
        return [audit_pb2.Receipt(sequence=a.sequence, leaf_hash=a.leaf_hash) for a in appended]

    @staticmethod
    def _check(event: audit_pb2.Event, prefix: str) -> None:
        problems = event_violations(event, prefix)
        if problems:
            raise errors.invalid_argument("invalid audit event", problems)

    async def Append(
        self, request: audit_pb2.AppendRequest, context: grpc.aio.ServicerContext
    ) -> audit_pb2.AppendResponse:
        self._check(request.event, "event")
        [receipt] = await self._append([request.event])
        return audit_pb2.AppendResponse(receipt=receipt)

    async def AppendStream(
        self, request_iterator: AsyncIterator[audit_pb2.AppendStreamRequest], context: grpc.aio.ServicerContext
    ) -> audit_pb2.AppendStreamResponse:
        events: list[audit_pb2.Event] = []
        async for request in request_iterator:
            for event in request.events:
                self._check(event, f"events[{len(events)}]")
                events.append(event)
                if len(events) > MAX_STREAM_EVENTS:
                    raise errors.invalid_argument(
                        "too many events in one stream", {"events": f"at most {MAX_STREAM_EVENTS} per stream"}
                    )
        return audit_pb2.AppendStreamResponse(receipts=await self._append(events))

    async def Query(
        self, request: audit_pb2.QueryRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[audit_pb2.QueryResponse]:
        page_size = request.page_size or DEFAULT_PAGE_SIZE
        if not 0 < page_size <= MAX_PAGE_SIZE:
            raise errors.invalid_argument("bad page size", {"page_size": f"between 1 and {MAX_PAGE_SIZE}"})
        if request.limit < 0:
            raise errors.invalid_argument("bad limit", {"limit": "must not be negative"})
        if request.type and request.type not in audit_pb2.EventType.values():
            raise errors.invalid_argument("bad type", {"type": "unknown event type"})
        where = QueryFilter(
            start_ns=request.start_time.ToNanoseconds() if request.HasField("start_time") else None,
            end_ns=request.end_time.ToNanoseconds() if request.HasField("end_time") else None,
            service=request.service or None,
            event_type=int(request.type) or None,
            tenant=request.tenant or None,
            action=request.action or None,
        )
        start = max(request.from_sequence, decode_page_token(request.page_token) if request.page_token else 0)
        remaining = request.limit or None
        while True:
            want = page_size if remaining is None else min(page_size, remaining)
            entries = await self.log.query(where, start, want)
            if entries:
                start = entries[-1].sequence + 1
            if remaining is not None:
                remaining -= len(entries)
            more = len(entries) == want and (remaining is None or remaining > 0)
            exhausted_by_limit = remaining == 0 and len(entries) == want
            token = encode_page_token(start) if (more or exhausted_by_limit) else ""
            yield audit_pb2.QueryResponse(events=[stored_event(e) for e in entries], next_page_token=token)
            if not more:
                return

    async def GetCheckpoint(
        self, request: audit_pb2.GetCheckpointRequest, context: grpc.aio.ServicerContext
    ) -> audit_pb2.GetCheckpointResponse:
        try:
            stored = await (self.log.publish_checkpoint() if request.refresh else self.log.latest_checkpoint())
        except LogInconsistentError as exc:
            raise errors.data_loss(str(exc)) from exc
        return checkpoint_response(stored)

    async def GetInclusionProof(
        self, request: audit_pb2.GetInclusionProofRequest, context: grpc.aio.ServicerContext
    ) -> audit_pb2.GetInclusionProofResponse:
        with _proof_errors("sequence"):
            proof = await self.log.inclusion_proof(request.sequence, request.tree_size)
        return audit_pb2.GetInclusionProofResponse(
            sequence=proof.sequence, tree_size=proof.tree_size, leaf_hash=proof.leaf_hash, hashes=proof.hashes,
            root_hash=proof.root_hash,
        )

    async def GetConsistencyProof(
        self, request: audit_pb2.GetConsistencyProofRequest, context: grpc.aio.ServicerContext
    ) -> audit_pb2.GetConsistencyProofResponse:
        with _proof_errors("first_size"):
            proof = await self.log.consistency_proof(request.first_size, request.second_size)
        return audit_pb2.GetConsistencyProofResponse(
            first_size=proof.first_size, second_size=proof.second_size, hashes=proof.hashes,
            first_root=proof.first_root, second_root=proof.second_root,
        )


async def open_audit_log(settings: AuditSettings, registry: CollectorRegistry) -> AuditLog:
    """Store, signer and tree, loaded and ready (committer running)."""
    signer = load_or_create_signer(settings.resolved_signing_key_file(), settings.log_origin)
    store = make_log_store(settings)
    audit_log = AuditLog(store, signer, AuditMetrics(registry), max_batch=settings.commit_max_batch)
    await audit_log.start()
    return audit_log


async def build_audit_service(
    settings: AuditSettings, registry: CollectorRegistry, emitter: AuditEmitter | None = None
) -> ServiceDefinition:
    audit_log = await open_audit_log(settings, registry)
    servicer = AuditServicer(audit_log)

    async def store_healthy() -> bool:
        return await asyncio.to_thread(audit_log.store.ping)

    background = [lambda: run_checkpoint_publisher(audit_log, settings.checkpoint_interval_s)]
    policy = settings.retention_policy()
    if policy:
        background.append(
            lambda: run_retention(audit_log, policy, settings.retention_interval_s, settings.retention_batch_limit)
        )
    definition = ServiceDefinition(
        name="audit",
        full_names=[SERVICE_NAME],
        register=lambda server: audit_pb2_grpc.add_AuditServiceServicer_to_server(servicer, server),
        method_scopes=METHOD_SCOPES,
        health_checks=[store_healthy],
        on_shutdown=[audit_log.aclose],
        background=background,
    )
    definition.audit_log = audit_log  # type: ignore[attr-defined]  # for tests and benchmarks
    return definition


@contextlib.contextmanager
def _proof_errors(field: str) -> Iterator[None]:
    """Proof failures as gRPC errors: a bad size names ``field``; an inconsistent log is DATA_LOSS."""
    try:
        yield
    except TreeSizeError as exc:
        raise errors.invalid_argument(str(exc), {field: str(exc)}) from exc
    except LogInconsistentError as exc:
        raise errors.data_loss(str(exc)) from exc
    except LogGapError as exc:  # a block of leaves a proof needs is gone from the store
        raise errors.data_loss(f"stored log has missing entries: {exc}") from exc
