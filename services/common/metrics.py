"""The shared, typed stats object: every metric the common runtime records.

Labels are bounded: service, method (from the proto), status code, a bounded
reason code, tenant (operator-configured, signed into tokens). Never user ids
or text.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info
from prometheus_client.values import MutexValue

LATENCY_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


class HotCounter:
    """A labelled counter child for per-RPC paths: ``inc()`` goes straight to the child's value.

    prometheus_client's ``Counter.inc`` re-checks observability and the sign on every call; here the
    child is known to be observable and the amount is 1, so that is done once. Same value, same lock,
    same exposition as ``child.inc()``."""

    __slots__ = ("_lock", "_value")

    def __init__(self, child: Any) -> None:
        child._raise_if_not_observable()
        self._value = child._value
        # The default (single-process) value: add under its own lock here, without the call to its
        # inc(). Any other kind (multiprocess mode writes a file) is updated through its inc().
        self._lock = self._value._lock if type(self._value) is MutexValue else None

    def inc(self) -> None:
        lock = self._lock
        if lock is None:
            self._value.inc(1)
            return
        with lock:
            self._value._value += 1


class HotHistogram:
    """A histogram child for per-RPC paths: the bucket is found by bisection instead of a Python loop
    over every bound, and the sum and the bucket are updated under one lock (the sum value's) instead
    of one call and lock each. Same buckets, sum and exposition as ``child.observe(amount)`` (an
    observation lands in the first bucket whose upper bound is >= amount).

    A child wrapped here must be observed only through HotHistograms (all of them take the same
    lock), not also with ``child.observe()`` from another thread at the same time; readers
    (exposition) are unaffected. Children whose values are not the default single-process kind are
    updated through their values' ``inc()`` as prometheus_client does."""

    __slots__ = ("_bounds", "_buckets", "_count", "_lock", "_sum")

    def __init__(self, child: Any) -> None:
        child._raise_if_not_observable()
        self._bounds: list[float] = list(child._upper_bounds)
        self._buckets: list[Any] = list(child._buckets)
        self._count = len(self._bounds)
        self._sum = child._sum
        values = (self._sum, *self._buckets)
        self._lock = self._sum._lock if all(type(value) is MutexValue for value in values) else None

    def observe(self, amount: float) -> None:
        index = bisect_left(self._bounds, amount)
        # As prometheus_client: no bucket for NaN (amount <= bound is never true).
        bucket = self._buckets[index] if index < self._count and amount <= self._bounds[index] else None
        lock = self._lock
        if lock is None:
            self._sum.inc(amount)
            if bucket is not None:
                bucket.inc(1)
            return
        with lock:
            self._sum._value += amount
            if bucket is not None:
                bucket._value += 1


class ServerMetrics:
    """Request, auth, limit and emitter metrics for one service process."""

    def __init__(self, service: str, registry: CollectorRegistry, version: str = "0.1.0") -> None:
        self.service = service
        self.registry = registry
        self.build_info = Info("aisec_build", "Build information.", ["service"], registry=registry)
        self.build_info.labels(service=service).info({"version": version})
        self.requests = Counter(
            "aisec_grpc_requests",
            "Completed RPCs by method and status code.",
            ["service", "method", "code"],
            registry=registry,
        )
        self.latency = Histogram(
            "aisec_grpc_request_duration_seconds",
            "RPC latency, from the interceptor's view.",
            ["service", "method"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.in_flight = Gauge(
            "aisec_grpc_in_flight_requests", "RPCs being handled.", ["service"], registry=registry
        )
        self.auth_failures = Counter(
            "aisec_auth_failures",
            "Rejected credentials by reason code.",
            ["service", "reason"],
            registry=registry,
        )
        self.auth_throttled = Counter(
            "aisec_auth_throttled",
            "Calls refused unchecked because their client address failed authentication too often.",
            ["service"],
            registry=registry,
        )
        self.permission_denied = Counter(
            "aisec_permission_denied",
            "Calls refused for missing scope (sensitive endpoint access).",
            ["service", "method"],
            registry=registry,
        )
        self.ratelimited = Counter(
            "aisec_ratelimit_exceeded",
            "Calls refused because the caller's tenant was over its limit.",
            ["service", "tenant"],
            registry=registry,
        )
        self.ratelimit_backend_errors = Counter(
            "aisec_ratelimit_backend_errors",
            "Rate-limit backend failures, by the fail mode applied.",
            ["service", "mode"],
            registry=registry,
        )
        self.health_status = Gauge(
            "aisec_health_serving", "1 when the service reports SERVING.", ["service"], registry=registry
        )
