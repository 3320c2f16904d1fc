"""The shared audit emitter.

Handlers call ``emit(event)``; it never blocks and never raises. Events queue
in a bounded buffer (new events are dropped, and counted, when it is full) and
a background task ships them in batches over ``AuditService.AppendStream``.
Texts are never sent: services put keyed hashes (``hasher.hmac``) in events.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import grpc
from aisec.audit.v1 import audit_pb2, audit_pb2_grpc
from prometheus_client import CollectorRegistry, Counter, Gauge

from services.common.settings import ServiceSettings

log = logging.getLogger("aisec.emitter")

RETRYABLE_CODES = frozenset(
    {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.RESOURCE_EXHAUSTED}
)


class TextHasher:
    """HMAC-SHA256 of texts under the key the emitting services share."""

    def __init__(self, key: bytes, key_id: str) -> None:
        if len(key) < 16:
            raise ValueError("hash key must be at least 16 bytes")
        self._key = key
        self.key_id = key_id
        # The key's inner and outer pads hashed once; each text continues from a copy of that state
        # (same digest as hmac.digest(key, text, "sha256"), without setting the key up per text).
        self._keyed = hmac.new(key, digestmod="sha256")

    def hmac(self, text: str) -> bytes:
        keyed = self._keyed.copy()
        keyed.update(text.encode("utf-8", "surrogatepass"))
        return keyed.digest()

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> TextHasher:
        if settings.hash_key_file is not None:
            return cls(Path(settings.hash_key_file).read_bytes().strip(), settings.hash_key_id)
        # No shared key configured: hashes are still keyed, but only comparable
        # within this process.
        return cls(secrets.token_bytes(32), "ephemeral")


def _stamp(event: audit_pb2.Event, service: str, time_ns: int) -> audit_pb2.Event:
    if not event.service:
        event.service = service
    if not event.HasField("time"):
        # What Timestamp.GetCurrentTime() sets (UTC, microsecond resolution), without its
        # datetime round trip.
        seconds, micros = divmod(time_ns // 1000, 1_000_000)
        stamp = event.time
        stamp.seconds = seconds
        stamp.nanos = micros * 1000
    return event


class _Deferred:
    """An event emitted with ``emit_deferred``: the proto is built from its parts when it is needed
    (by the sender task, or when read from ``recent``), off the request path. Built once."""

    __slots__ = ("_args", "_build", "_event", "_time_ns")

    def __init__(self, build: Callable[..., audit_pb2.Event], args: tuple[Any, ...], time_ns: int) -> None:
        self._build: Callable[..., audit_pb2.Event] | None = build
        self._args = args
        self._time_ns = time_ns
        self._event: audit_pb2.Event | None = None

    def event(self, service: str) -> audit_pb2.Event:
        if self._event is None:
            assert self._build is not None
            self._event = _stamp(self._build(*self._args), service, self._time_ns)
            self._build, self._args = None, ()
        return self._event


_Queued = audit_pb2.Event | _Deferred


class EventSink(Protocol):
    async def send(self, events: Sequence[audit_pb2.Event]) -> None: ...

    async def close(self) -> None: ...


class GrpcAuditSink:
    """Delivers batches to the audit service with AppendStream."""

    def __init__(
        self,
        target: str,
        token: str | None,
        ca_file: Path | None,
        timeout_s: float = 5.0,
        cert_file: Path | None = None,
        key_file: Path | None = None,
    ) -> None:
        if ca_file is not None:
            creds = grpc.ssl_channel_credentials(
                root_certificates=Path(ca_file).read_bytes(),
                private_key=Path(key_file).read_bytes() if key_file else None,
                certificate_chain=Path(cert_file).read_bytes() if cert_file else None,
            )
            self._channel = grpc.aio.secure_channel(target, creds)
        else:
            self._channel = grpc.aio.insecure_channel(target)
        self._stub = audit_pb2_grpc.AuditServiceStub(self._channel)
        self._metadata = (("authorization", f"Bearer {token}"),) if token else ()
        self._timeout_s = timeout_s

    async def send(self, events: Sequence[audit_pb2.Event]) -> None:
        await self._stub.AppendStream(
            iter([audit_pb2.AppendStreamRequest(events=list(events))]),
            metadata=self._metadata,
            timeout=self._timeout_s,
        )

    async def close(self) -> None:
        await self._channel.close()


class AuditEmitter:
    """Non-blocking, bounded, batching emitter; drops are counted, never silent."""

    def __init__(
        self,
        service: str,
        registry: CollectorRegistry,
        hasher: TextHasher,
        sink: EventSink | None,
        queue_size: int = 10000,
        batch_size: int = 500,
        flush_interval_s: float = 0.2,
        keep_recent: int = 256,
    ) -> None:
        self.service = service
        self.hasher = hasher
        self._sink = sink
        self._queue: deque[_Queued] = deque()
        self._queue_size = queue_size
        self._batch_size = batch_size
        self._flush_interval_s = flush_interval_s
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        # Last events emitted, for tests and debugging (ids and hashes only); see ``recent``.
        self._recent: deque[_Queued] = deque(maxlen=keep_recent)
        self.sent = Counter("aisec_audit_emitter_sent", "Audit events delivered.", ["service"], registry=registry)
        self.dropped = Counter(
            "aisec_audit_emitter_dropped",
            "Audit events dropped (queue full, delivery failed, shut down).",
            ["service", "reason"],
            registry=registry,
        )
        self.depth = Gauge(
            "aisec_audit_emitter_queue_depth", "Audit events waiting to be sent.", ["service"], registry=registry
        )
        self.sent.labels(service)
        for reason in ("queue_full", "delivery_failed", "shutdown"):
            self.dropped.labels(service, reason)
        self.depth.labels(service).set_function(lambda: len(self._queue))

    @classmethod
    def from_settings(cls, service: str, settings: ServiceSettings, registry: CollectorRegistry) -> AuditEmitter:
        sink: EventSink | None = None
        if settings.audit_target:
            token = None
            if settings.audit_token_file is not None:
                token = Path(settings.audit_token_file).read_text().strip()
            sink = GrpcAuditSink(
                settings.audit_target,
                token,
                settings.audit_tls_ca_file,
                cert_file=settings.audit_tls_cert_file,
                key_file=settings.audit_tls_key_file,
            )
        return cls(
            service,
            registry,
            TextHasher.from_settings(settings),
            sink,
            settings.audit_queue_size,
            settings.audit_batch_size,
            settings.audit_flush_interval_s,
        )

    @classmethod
    def disabled(cls, registry: CollectorRegistry, service: str = "test") -> AuditEmitter:
        """An emitter that delivers nowhere (tests, or no audit service)."""
        return cls(service, registry, TextHasher(secrets.token_bytes(32), "test"), None)

    @property
    def delivering(self) -> bool:
        return self._sink is not None

    @property
    def recent(self) -> deque[audit_pb2.Event]:
        """The last events emitted (ids and hashes only), oldest first, for tests and debugging."""
        recent = self._recent
        for index in range(len(recent)):
            item = recent[index]
            if isinstance(item, _Deferred):
                recent[index] = item.event(self.service)
        return recent  # type: ignore[return-value]  # every item is an Event now

    def emit(self, event: audit_pb2.Event) -> bool:
        """Queue an event; False when it had to be dropped."""
        return self._enqueue(_stamp(event, self.service, time.time_ns()))

    def emit_deferred(self, build: Callable[..., audit_pb2.Event], *args: Any) -> bool:
        """Queue the event ``build(*args)`` will return, without building it now: the sender task
        (or a reader of ``recent``) builds it. The event's time is the time of this call. ``args``
        must not hold the text an event is about (hash it first). False when it had to be dropped."""
        return self._enqueue(_Deferred(build, args, time.time_ns()))

    def _enqueue(self, item: _Queued) -> bool:
        self._recent.append(item)
        if self._sink is None:
            return True
        if self._closed:
            self.dropped.labels(self.service, "shutdown").inc()
            return False
        if len(self._queue) >= self._queue_size:
            self.dropped.labels(self.service, "queue_full").inc()
            return False
        self._queue.append(item)
        if len(self._queue) >= self._batch_size:
            self._wake.set()
        return True

    def _materialize(self, item: _Queued) -> audit_pb2.Event:
        return item.event(self.service) if isinstance(item, _Deferred) else item

    async def start(self) -> None:
        if self._sink is not None and self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"audit-emitter-{self.service}")

    async def _run(self) -> None:
        # Full batches go out as soon as they are full; a partial batch when the flush interval since
        # the last flush is up (or on close). Sending whatever had queued after each call instead made
        # a busy service send one small AppendStream per round trip (a few events each), costing it
        # more CPU than the requests the events are about.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._flush_interval_s
        while not self._closed or self._queue:
            if len(self._queue) < self._batch_size and not self._closed:
                timeout = deadline - loop.time()
                if timeout > 0:
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), timeout)
            self._wake.clear()
            # Due now: everything queued when the interval is up (not what arrives while sending it).
            due = 0
            if loop.time() >= deadline:
                due = len(self._queue)
                deadline = loop.time() + self._flush_interval_s
            while self._queue and (due > 0 or self._closed or len(self._queue) >= self._batch_size):
                size = min(self._batch_size, len(self._queue))
                due -= size
                await self._deliver([self._materialize(self._queue.popleft()) for _ in range(size)])
            if self._closed:
                return

    async def _deliver(self, batch: list[audit_pb2.Event]) -> None:
        assert self._sink is not None
        for attempt in range(3):
            try:
                await self._sink.send(batch)
                self.sent.labels(self.service).inc(len(batch))
                return
            except grpc.RpcError as exc:
                code = exc.code() if hasattr(exc, "code") else None
                log.warning("audit delivery failed", extra={"attempt": attempt + 1, "code": str(code)})
                if code not in RETRYABLE_CODES:
                    break  # e.g. UNAUTHENTICATED: retrying cannot help
                await asyncio.sleep(0.05 * (2**attempt))
            except Exception:
                log.exception("audit delivery failed")
                break
        self.dropped.labels(self.service, "delivery_failed").inc(len(batch))

    async def aclose(self, timeout_s: float = 5.0) -> None:
        """Flush what is queued (bounded by timeout), then stop."""
        self._closed = True
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout_s)
            except (TimeoutError, asyncio.CancelledError):
                pass
            self._task = None
        if self._queue:
            self.dropped.labels(self.service, "shutdown").inc(len(self._queue))
            self._queue.clear()
        if self._sink is not None:
            await self._sink.close()
