"""Shared pieces of hot-reloaded configuration files (validator and guard
policies): one change signature, one poll loop, one reload metric."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter

FileSignature = tuple[int, int]


def file_signature(path: Path) -> FileSignature:
    """What tells a changed file apart cheaply: (mtime in ns, size). Raises OSError."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


async def poll(interval_s: float, check: Callable[[], object]) -> None:
    """Run ``check`` in a worker thread every ``interval_s`` until cancelled."""
    while True:
        await asyncio.sleep(interval_s)
        await asyncio.to_thread(check)


class PolicyReloads:
    """``aisec_policy_reloads_total{service,result}``, result success|failure."""

    def __init__(self, service: str, registry: CollectorRegistry) -> None:
        counter = Counter(
            "aisec_policy_reloads",
            "Policy file (re)loads by result (success, failure).",
            ["service", "result"],
            registry=registry,
        )
        self._success = counter.labels(service, "success")
        self._failure = counter.labels(service, "failure")

    def record(self, ok: bool) -> None:
        (self._success if ok else self._failure).inc()
