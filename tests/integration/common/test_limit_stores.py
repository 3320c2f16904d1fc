"""One suite, two backends: MemoryLimitStore (injected clock) and RedisLimitStore
(a real redis-server, real time, small rates). Assertions are about
correctness only, never about how long something took."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
import pytest_asyncio

from services.common.ratelimit import (
    LimitStore,
    LimitStoreError,
    MemoryLimitStore,
    RateLimiter,
    RedisLimitStore,
)
from services.common.settings import TenantLimit
from tests.conftest import RedisServer


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Backend:
    store: LimitStore
    advance: Callable[[float], Awaitable[None]]  # move time forward by N seconds (awaitable)


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


@pytest_asyncio.fixture(params=["memory", "redis"])
async def backend(
    request: pytest.FixtureRequest, redis_server: Callable[[], RedisServer]
) -> AsyncIterator[Backend]:
    if request.param == "memory":
        clock = FakeClock()

        async def advance(seconds: float) -> None:
            clock.now += seconds

        store: LimitStore = MemoryLimitStore(clock=clock)
        yield Backend(store, advance)
    else:
        server = redis_server()
        store = RedisLimitStore(server.url, timeout_s=2.0)
        yield Backend(store, _sleep)
    await store.close()


def key() -> str:
    return f"tenant/{uuid.uuid4().hex}"


async def test_burst_then_refusal(backend: Backend) -> None:
    k = key()
    decisions = [await backend.store.acquire(k, rate=0.01, burst=3) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [round(d.remaining) for d in decisions[:3]] == [2, 1, 0]
    refused = decisions[3]
    assert refused.retry_after_s > 0
    assert refused.remaining < 1
    # At 0.01 tokens/s the next token is ~100 s away.
    assert 50 < refused.retry_after_s <= 100


async def test_refill_after_retry_after(backend: Backend) -> None:
    k = key()
    # 2 tokens/s: the refusal must come within 0.5 s of the first call, even on a loaded machine.
    assert (await backend.store.acquire(k, rate=2, burst=1)).allowed
    refused = await backend.store.acquire(k, rate=2, burst=1)
    assert not refused.allowed
    assert 0 < refused.retry_after_s <= 1 / 2 + 1e-6
    await backend.advance(refused.retry_after_s + 0.02)
    assert (await backend.store.acquire(k, rate=2, burst=1)).allowed


async def test_refill_is_capped_at_burst(backend: Backend) -> None:
    k = key()
    for _ in range(2):
        assert (await backend.store.acquire(k, rate=50, burst=2)).allowed
    await backend.advance(0.2)  # would be 10 tokens without the cap
    first = await backend.store.acquire(k, rate=50, burst=2)
    assert first.allowed
    # The bucket was refilled to exactly `burst`, not beyond: one token left.
    assert first.remaining <= 1.0 + 1e-6


async def test_keys_are_independent(backend: Backend) -> None:
    first, second = key(), key()
    assert (await backend.store.acquire(first, rate=0.01, burst=1)).allowed
    assert not (await backend.store.acquire(first, rate=0.01, burst=1)).allowed
    assert (await backend.store.acquire(second, rate=0.01, burst=1)).allowed


async def test_cost_above_one(backend: Backend) -> None:
    k = key()
    assert (await backend.store.acquire(k, rate=0.01, burst=5, cost=4)).allowed
    refused = await backend.store.acquire(k, rate=0.01, burst=5, cost=4)
    assert not refused.allowed
    assert (await backend.store.acquire(k, rate=0.01, burst=5, cost=1)).allowed


async def test_refusal_does_not_consume(backend: Backend) -> None:
    k = key()
    assert (await backend.store.acquire(k, rate=2, burst=1)).allowed
    for _ in range(5):
        assert not (await backend.store.acquire(k, rate=2, burst=1)).allowed
    await backend.advance(1 / 2 + 0.02)
    assert (await backend.store.acquire(k, rate=2, burst=1)).allowed


async def test_healthy(backend: Backend) -> None:
    assert await backend.store.healthy()


async def test_redis_stores_share_one_bucket(redis_server: Callable[[], RedisServer]) -> None:
    server = redis_server()
    one, two = RedisLimitStore(server.url, timeout_s=2.0), RedisLimitStore(server.url, timeout_s=2.0)
    try:
        k = key()
        results = [await store.acquire(k, rate=0.01, burst=3) for store in (one, two, one, two)]
        assert [r.allowed for r in results] == [True, True, True, False]
    finally:
        await one.close()
        await two.close()


async def test_redis_down_raises_store_error_and_recovers(redis_server: Callable[[], RedisServer]) -> None:
    server = redis_server()
    store = RedisLimitStore(server.url, timeout_s=0.5)
    try:
        assert (await store.acquire(key(), rate=1, burst=1)).allowed
        server.stop()
        with pytest.raises(LimitStoreError):
            await store.acquire(key(), rate=1, burst=1)
        assert not await store.healthy()
        server.start()
        assert (await store.acquire(key(), rate=1, burst=1)).allowed
        assert await store.healthy()
    finally:
        await store.close()


async def test_limiter_applies_tenant_overrides() -> None:
    clock = FakeClock()
    limiter = RateLimiter(
        MemoryLimitStore(clock=clock),
        default=TenantLimit(rate=0.01, burst=5),
        tenants={"small": TenantLimit(rate=0.01, burst=1)},
        fail_mode="open",
    )
    assert limiter.limit_for("small").burst == 1
    assert limiter.limit_for("other").burst == 5
    small = [await limiter.check("small", "alice") for _ in range(2)]
    assert [d.allowed for d in small if d is not None] == [True, False]
    # Same subject, another tenant: its own bucket with the default limit.
    other = [await limiter.check("other", "alice") for _ in range(5)]
    assert all(d is not None and d.allowed for d in other)
    # Subjects within a tenant have separate buckets.
    bob = await limiter.check("small", "bob")
    assert bob is not None and bob.allowed


async def test_limiter_reports_backend_failure(redis_server: Callable[[], RedisServer]) -> None:
    server = redis_server()
    server.stop()
    failures: list[int] = []
    store = RedisLimitStore(server.url, timeout_s=0.5)
    limiter = RateLimiter(store, TenantLimit(rate=1, burst=1), {}, "closed", lambda: failures.append(1))
    try:
        assert await limiter.check("t", "s") is None
        assert failures == [1]
    finally:
        await store.close()
