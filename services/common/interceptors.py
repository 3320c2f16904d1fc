"""The admission interceptor: authentication, scope check, rate limit,
metrics, access logs and ServiceError mapping, for every RPC of a service.

One interceptor rather than a chain of five: each RPC pays one wrapper, and
the order (authenticate -> authorize -> limit -> handle -> record) is visible
in one place.
"""

from __future__ import annotations

import asyncio
import contextvars
import inspect
import ipaddress
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any

import grpc

from services.common import errors
from services.common.auth import ANONYMOUS, AuthError, Identity, TokenVerifier, bearer_token, set_identity
from services.common.metrics import HotCounter, HotHistogram, ServerMetrics
from services.common.ratelimit import MemoryLimitStore, RateLimiter

log = logging.getLogger("aisec.access")

# Reachable without a token: probes and schema discovery.
PUBLIC_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")

# grpc.aio builds a new tuple of namedtuples on every ``invocation_metadata()`` call (~6 µs for three
# entries): the wrapper reads it once per RPC and hands its dict to the handler (``metadata_of``).
_call_metadata: contextvars.ContextVar[tuple[object, Mapping[str, str]] | None] = contextvars.ContextVar(
    "aisec_call_metadata", default=None
)

_CODES_BY_VALUE: dict[int, grpc.StatusCode] = {code.value[0]: code for code in grpc.StatusCode}


def metadata_of(context: grpc.aio.ServicerContext) -> Mapping[str, str]:
    """The text metadata of the RPC ``context`` belongs to (read once per RPC by the interceptor)."""
    call = _call_metadata.get()
    if call is not None and call[0] is context:
        return call[1]
    return {k: v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)}


def _read_metadata(context: grpc.aio.ServicerContext) -> Mapping[str, str]:
    """For the wrapper: this RPC's text metadata, read once and kept for ``metadata_of``."""
    metadata = {k: v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)}
    _call_metadata.set((context, metadata))
    return metadata


class _TokenCache:
    """Verified tokens, so a busy caller pays for signature checks once.
    Entries expire with the token (exp is re-checked on every hit)."""

    def __init__(self, size: int = 4096) -> None:
        self._entries: OrderedDict[str, tuple[Identity, float]] = OrderedDict()
        self._size = size

    def get(self, token: str, now: float) -> Identity | None:
        hit = self._entries.get(token)
        if hit is None:
            return None
        identity, expires = hit
        if now >= expires:
            del self._entries[token]
            return None
        self._entries.move_to_end(token)
        return identity

    def put(self, token: str, identity: Identity, expires: float) -> None:
        self._entries[token] = (identity, expires)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)


def peer_address(peer: str) -> str:
    """The client address of a grpc peer string, as failed authentications are counted: IPv4 without
    the port (``ipv4:10.0.0.7:5123`` -> ``ipv4:10.0.0.7``), IPv6 by its /64 network (one host usually
    holds a whole /64 and could rotate through it: ``ipv6:[2001:db8::2]:443`` -> ``ipv6:2001:db8::/64``),
    IPv4-mapped IPv6 as IPv4; other forms as they are."""
    kind, _, rest = peer.partition(":")
    if kind == "ipv4":
        return f"ipv4:{rest.rpartition(':')[0] or rest}"
    if kind == "ipv6" and rest.startswith("["):
        try:
            address = ipaddress.IPv6Address(rest[1 : rest.find("]")].partition("%")[0])
        except ValueError:
            return peer
        if address.ipv4_mapped is not None:
            return f"ipv4:{address.ipv4_mapped}"
        return f"ipv6:{ipaddress.IPv6Network((address, 64), strict=False)}"
    return peer


class AuthFailureThrottle:
    """A budget of failed authentications per client address (token buckets in this process).

    An address that has used its budget gets RESOURCE_EXHAUSTED for every call whose token is not
    already verified, without the token being checked, until the budget refills: a flood of bad or
    missing tokens (guessing, a misconfigured client) costs a dictionary lookup per call instead of a
    signature check. Callers with a verified token (cached) are never throttled, also from the same
    address.
    """

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets = MemoryLimitStore(clock=clock)

    def retry_after(self, address: str) -> float:
        """Seconds until ``address`` may try again; 0 when it may now."""
        return self._buckets.peek(address, self.rate, self.burst).retry_after_s

    def failed(self, address: str) -> None:
        self._buckets.take(address, self.rate, self.burst)


def _request_id(request: Any, metadata: Mapping[str, str]) -> str:
    meta = getattr(request, "meta", None)
    rid = getattr(meta, "request_id", "") if meta is not None else ""
    return rid or metadata.get("x-request-id", "")


class AdmissionInterceptor:
    """Authenticate, authorize, rate-limit, then handle and record each RPC of one service: wraps the
    service's method handlers once, when ``serve()`` registers them (``register``), rather than running as
    a grpc interceptor on every call. Health and reflection are not wrapped (public)."""

    def __init__(
        self,
        service: str,
        method_scopes: Mapping[str, str | None],
        verifier: TokenVerifier | None,
        limiter: RateLimiter | None,
        metrics: ServerMetrics,
        clock: Callable[[], float] = time.monotonic,
        auth_throttle: AuthFailureThrottle | None = None,
    ) -> None:
        self.service = service
        self.auth_throttle = auth_throttle
        self.method_scopes = dict(method_scopes)
        self.verifier = verifier
        self.limiter = limiter
        self.metrics = metrics
        self._clock = clock
        self._tokens = _TokenCache()
        self._wrapped: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler]] = {}

    # -- admission ---------------------------------------------------------

    def _authenticate(self, metadata: Mapping[str, str], context: grpc.aio.ServicerContext) -> Identity:
        if self.verifier is None:
            return ANONYMOUS
        throttle = self.auth_throttle
        address: str | None = None  # the client's, read only for tokens not verified before
        try:
            token = bearer_token(metadata.items())
            cached = self._tokens.get(token, time.time())
            if cached is not None:
                return cached
            if throttle is not None:
                address = peer_address(context.peer() or "")
                self._refuse_if_throttled(throttle, address)
            identity = self.verifier.verify(token)
        except AuthError:
            if throttle is not None:
                throttle.failed(address if address is not None else peer_address(context.peer() or ""))
            raise
        self._tokens.put(token, identity, identity.expires_at + self.verifier.leeway_s)
        return identity

    def _refuse_if_throttled(self, throttle: AuthFailureThrottle, address: str) -> None:
        wait = throttle.retry_after(address)
        if wait > 0:
            self.metrics.auth_throttled.labels(self.service).inc()
            raise errors.resource_exhausted(
                "too many failed authentications from this client address",
                retry_after_s=wait,
                subject="client-address",
                description=f"{throttle.rate:g} failed authentications/s, burst {throttle.burst}",
            )

    def _authorize(self, method: str, metadata: Mapping[str, str], context: grpc.aio.ServicerContext) -> Identity:
        """Authentication and scope check (everything but the rate limit)."""
        try:
            identity = self._authenticate(metadata, context)
        except AuthError as exc:
            self.metrics.auth_failures.labels(self.service, exc.reason).inc()
            raise errors.unauthenticated(exc.message, exc.reason) from None
        if method not in self.method_scopes:
            self.metrics.permission_denied.labels(self.service, method).inc()
            raise errors.permission_denied(f"method {method} is not enabled", "METHOD_NOT_ALLOWED")
        required = self.method_scopes[method]
        if required is not None and not identity.has_scope(required):
            self.metrics.permission_denied.labels(self.service, method).inc()
            raise errors.permission_denied(
                f"caller lacks scope {required!r}", "MISSING_SCOPE", {"required_scope": required}
            )
        return identity

    async def _admit(
        self, method: str, metadata: Mapping[str, str], context: grpc.aio.ServicerContext
    ) -> Identity:
        identity = self._authorize(method, metadata, context)
        if self.limiter is not None:
            decision = await self.limiter.check(identity.tenant, identity.subject)
            if decision is None:  # backend down
                mode = self.limiter.fail_mode
                self.metrics.ratelimit_backend_errors.labels(self.service, mode).inc()
                if mode == "closed":
                    raise errors.unavailable("rate-limit backend unavailable", retry_after_s=1.0)
            elif not decision.allowed:
                self.metrics.ratelimited.labels(self.service, identity.tenant).inc()
                limit = self.limiter.limit_for(identity.tenant)
                raise errors.resource_exhausted(
                    f"rate limit exceeded for tenant {identity.tenant!r}",
                    retry_after_s=decision.retry_after_s,
                    subject=f"tenant:{identity.tenant}",
                    description=f"{limit.rate:g} requests/s, burst {limit.burst}",
                )
        return identity

    # -- wrapping -----------------------------------------------------------

    def register(self, register: Callable[[Any], None], server: grpc.aio.Server) -> None:
        """Run a service's registration (``add_XServicer_to_server``) against ``server`` with every
        method handler it adds wrapped by this admission, once, at registration time.

        This is what ``serve()`` does instead of passing the interceptor to ``grpc.aio.server``:
        grpc's per-call interceptor machinery (a coroutine per interceptor and continuation, a
        HandlerCallDetails) is not run for every RPC. Handlers added directly to ``server`` (health,
        reflection) are not wrapped, nor are public methods (``wrapped``)."""
        register(_AdmittingServer(self, server))

    def wrapped(self, method: str, handler: grpc.RpcMethodHandler) -> grpc.RpcMethodHandler:
        """``handler`` behind this admission (public methods as they are); one wrapper per handler."""
        if method.startswith(PUBLIC_PREFIXES):
            return handler
        cached = self._wrapped.get(method)
        if cached is not None and cached[0] is handler:
            return cached[1]
        wrapped = self._wrap(method, handler)
        self._wrapped[method] = (handler, wrapped)
        return wrapped

    def _wrap(self, method: str, handler: grpc.RpcMethodHandler) -> grpc.RpcMethodHandler:
        requests = self.metrics.requests
        # The method's latency series is created when its first call starts (as when handlers were
        # wrapped on their first call), not at registration: /metrics shows no series for methods
        # never called.
        latency: list[HotHistogram] = []
        latency_child = self.metrics.latency
        service = self.service
        counters: dict[grpc.StatusCode, HotCounter] = {}
        clock = self._clock

        def finish(
            start: float,
            code: grpc.StatusCode,
            request: Any,
            metadata: Mapping[str, str],
            identity: Identity | None,
        ) -> None:
            counter = counters.get(code)
            if counter is None:
                counter = counters[code] = HotCounter(requests.labels(service, method, code.name))
            counter.inc()
            elapsed = clock() - start
            latency[0].observe(elapsed)
            if code is not grpc.StatusCode.OK:
                log.info(
                    "rpc failed",
                    extra={
                        "method": method,
                        "code": code.name,
                        "request_id": _request_id(request, metadata),
                        "tenant": identity.tenant if identity else "",
                        "subject": identity.subject if identity else "",
                        "duration_ms": round(elapsed * 1000, 3),
                    },
                )

        async def fail(context: grpc.aio.ServicerContext, exc: BaseException) -> None:
            if isinstance(exc, errors.ServiceError):
                await _abort(context, exc.to_status())
            if isinstance(exc, grpc.aio.AbortError | grpc.RpcError | asyncio.CancelledError | GeneratorExit):
                raise exc
            log.exception("unhandled error", extra={"method": method})
            await _abort(context, errors.internal().to_status())

        def code_of(context: grpc.aio.ServicerContext, exc: BaseException | None) -> grpc.StatusCode:
            if isinstance(exc, errors.ServiceError):
                return exc.code
            if isinstance(exc, asyncio.CancelledError | GeneratorExit):
                return grpc.StatusCode.CANCELLED
            # Also when the handler returned normally: it may have used context.set_code().
            try:
                code = context.code()  # type: ignore[attr-defined]
            except Exception:
                code = None
            if isinstance(code, grpc.StatusCode):
                return code
            if isinstance(code, int):
                return _CODES_BY_VALUE.get(code, grpc.StatusCode.UNKNOWN)
            if exc is None:
                return grpc.StatusCode.OK
            if isinstance(exc, grpc.aio.AbortError):
                return grpc.StatusCode.UNKNOWN
            return grpc.StatusCode.INTERNAL

        if handler.unary_unary or handler.stream_unary:
            inner = handler.unary_unary or handler.stream_unary
            unary_request = handler.unary_unary is not None

            async def unary_response(request: Any, context: grpc.aio.ServicerContext) -> Any:
                start = clock()
                if not latency:
                    latency.append(HotHistogram(latency_child.labels(service, method)))
                identity: Identity | None = None
                error: BaseException | None = None
                metadata = _read_metadata(context)
                counted = False
                try:
                    identity = (
                        await self._admit(method, metadata, context)
                        if self.limiter is not None
                        else self._authorize(method, metadata, context)
                    )
                    set_identity(identity)
                    return await inner(request, context)
                except BaseException as exc:
                    error = exc
                    # Count before the status goes out (abort sends it at once), so a client that
                    # sees the error also sees it in the metrics.
                    counted = True
                    finish(
                        start, code_of(context, exc), request if unary_request else None, metadata, identity
                    )
                    await fail(context, exc)
                finally:
                    if not counted:
                        finish(
                            start,
                            code_of(context, error),
                            request if unary_request else None,
                            metadata,
                            identity,
                        )

            make = (
                grpc.unary_unary_rpc_method_handler if unary_request else grpc.stream_unary_rpc_method_handler
            )
            return make(unary_response, handler.request_deserializer, handler.response_serializer)

        streaming = handler.unary_stream or handler.stream_stream
        assert streaming is not None
        unary_request = handler.unary_stream is not None

        async def streamed(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            start = clock()
            if not latency:
                latency.append(HotHistogram(latency_child.labels(service, method)))
            identity: Identity | None = None
            error: BaseException | None = None
            metadata = _read_metadata(context)
            counted = False
            try:
                identity = (
                    await self._admit(method, metadata, context)
                    if self.limiter is not None
                    else self._authorize(method, metadata, context)
                )
                set_identity(identity)
                result = streaming(request, context)
                if inspect.isasyncgen(result):
                    try:
                        async for item in result:
                            yield item
                    finally:
                        # Run the handler's cleanup now, also on cancellation.
                        await result.aclose()
                else:  # a handler that writes with context.write()
                    await result
            except BaseException as exc:
                error = exc
                counted = True
                finish(start, code_of(context, exc), request if unary_request else None, metadata, identity)
                await fail(context, exc)
            finally:
                if not counted:
                    finish(
                        start, code_of(context, error), request if unary_request else None, metadata, identity
                    )

        make_stream = (
            grpc.unary_stream_rpc_method_handler if unary_request else grpc.stream_stream_rpc_method_handler
        )
        return make_stream(streamed, handler.request_deserializer, handler.response_serializer)


class _AdmittedHandlers(grpc.GenericRpcHandler):
    """A generic handler whose method handlers go through the admission."""

    def __init__(self, admission: AdmissionInterceptor, inner: grpc.GenericRpcHandler) -> None:
        self._admission = admission
        self._inner = inner

    def service(self, handler_call_details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler | None:
        handler = self._inner.service(handler_call_details)
        if handler is None:
            return None
        return self._admission.wrapped(handler_call_details.method, handler)


class _AdmittingServer:
    """What a service's registration function sees in place of the server: the handlers it adds
    reach the real server behind the admission; anything else is the server's own."""

    def __init__(self, admission: AdmissionInterceptor, server: grpc.aio.Server) -> None:
        self._admission = admission
        self._server = server

    def add_generic_rpc_handlers(self, generic_rpc_handlers: Sequence[grpc.GenericRpcHandler]) -> None:
        self._server.add_generic_rpc_handlers(
            [_AdmittedHandlers(self._admission, handler) for handler in generic_rpc_handlers]
        )

    def add_registered_method_handlers(
        self, service_name: str, method_handlers: Mapping[str, grpc.RpcMethodHandler]
    ) -> None:
        self._server.add_registered_method_handlers(
            service_name,
            {
                name: self._admission.wrapped(f"/{service_name}/{name}", handler)
                for name, handler in method_handlers.items()
            },
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._server, name)


async def _abort(context: grpc.aio.ServicerContext, status: grpc.Status) -> None:
    await context.abort(status.code, status.details, status.trailing_metadata)
