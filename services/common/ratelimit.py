"""Per-identity token-bucket rate limits.

Two ``LimitStore`` backends pass one test suite: ``MemoryLimitStore`` for a
single replica and ``RedisLimitStore`` (an atomic Lua script using the Redis
server clock, so replicas with skewed clocks agree) for replicated
deployments. ``RateLimiter`` picks the tenant's limit and applies the fail
mode when the backend is down.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from services.common.settings import ServiceSettings, TenantLimit


@dataclass(frozen=True)
class LimitDecision:
    allowed: bool
    # Seconds until one token is available (0 when allowed).
    retry_after_s: float
    remaining: float


class LimitStoreError(Exception):
    """The backend could not answer (e.g. Redis down)."""


class LimitStore(Protocol):
    async def acquire(self, key: str, rate: float, burst: int, cost: float = 1.0) -> LimitDecision: ...

    async def healthy(self) -> bool: ...

    async def close(self) -> None: ...


def _decision(tokens: float, rate: float, cost: float) -> LimitDecision:
    if tokens >= cost:
        return LimitDecision(True, 0.0, tokens - cost)
    return LimitDecision(False, (cost - tokens) / rate, tokens)


class MemoryLimitStore:
    """In-process token buckets. Clock injected for tests."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill time)
        self._max_keys = max_keys

    async def acquire(self, key: str, rate: float, burst: int, cost: float = 1.0) -> LimitDecision:
        return self.take(key, rate, burst, cost)

    def take(self, key: str, rate: float, burst: int, cost: float = 1.0) -> LimitDecision:
        """``acquire`` without a coroutine: the bucket is in this process."""
        tokens, now = self._refilled(key, rate, burst)
        decision = _decision(tokens, rate, cost)
        self._store(key, decision.remaining if decision.allowed else tokens, now)
        return decision

    def peek(self, key: str, rate: float, burst: int, cost: float = 1.0) -> LimitDecision:
        """What ``take`` would decide now, without taking anything."""
        return _decision(self._refilled(key, rate, burst)[0], rate, cost)

    def _refilled(self, key: str, rate: float, burst: int) -> tuple[float, float]:
        now = self._clock()
        tokens, last = self._buckets.get(key, (float(burst), now))
        return min(float(burst), tokens + (now - last) * rate), now

    def _store(self, key: str, tokens: float, now: float) -> None:
        if key not in self._buckets and len(self._buckets) >= self._max_keys:
            # Full buckets carry no state worth keeping: drop them first.
            self._buckets.pop(next(iter(self._buckets)))
        self._buckets[key] = (tokens, now)

    async def healthy(self) -> bool:
        return True

    async def close(self) -> None:
        return None


# KEYS[1] bucket key; ARGV: rate, burst, cost. Uses the server clock.
_TOKEN_BUCKET_LUA = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil then tokens = burst; ts = now end
tokens = math.min(burst, tokens + (now - ts) * rate)
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = (cost - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, tostring(retry), tostring(tokens)}
"""


def redis_client(url: str, timeout_s: float, **options: Any) -> Any:
    """An asyncio Redis client whose every call (connect included) is bounded by ``timeout_s``."""
    import redis.asyncio as aioredis

    return aioredis.from_url(
        url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s, retry_on_timeout=False, **options
    )


class RedisLimitStore:
    """Token buckets in Redis, shared by every replica."""

    def __init__(self, url: str, timeout_s: float = 0.05, prefix: str = "aisec:rl:") -> None:
        self._client = redis_client(url, timeout_s)
        self._script = self._client.register_script(_TOKEN_BUCKET_LUA)
        self._prefix = prefix

    async def acquire(self, key: str, rate: float, burst: int, cost: float = 1.0) -> LimitDecision:
        import redis.exceptions

        try:
            allowed, retry, tokens = await self._script(keys=[self._prefix + key], args=[rate, burst, cost])
        except (TimeoutError, redis.exceptions.RedisError, OSError) as exc:
            raise LimitStoreError(type(exc).__name__) from exc
        return LimitDecision(bool(int(allowed)), float(retry), float(tokens))

    async def healthy(self) -> bool:
        try:
            return bool(await self._client.ping())
        except Exception:
            return False

    async def close(self) -> None:
        await self._client.aclose()


def make_limit_store(settings: ServiceSettings) -> LimitStore:
    """The one place a backend is chosen."""
    if settings.ratelimit_backend == "redis":
        assert settings.ratelimit_redis_url is not None
        return RedisLimitStore(settings.ratelimit_redis_url, settings.ratelimit_redis_timeout_s)
    return MemoryLimitStore()


class RateLimiter:
    """Applies the tenant's limit to an identity; handles backend failure."""

    def __init__(
        self,
        store: LimitStore,
        default: TenantLimit,
        tenants: Mapping[str, TenantLimit],
        fail_mode: Literal["open", "closed"],
        on_backend_error: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.default = default
        self.tenants = dict(tenants)
        self.fail_mode = fail_mode
        self._on_backend_error = on_backend_error

    @classmethod
    def from_settings(
        cls, settings: ServiceSettings, store: LimitStore, on_backend_error: Callable[[], None]
    ) -> RateLimiter:
        return cls(
            store,
            TenantLimit(rate=settings.ratelimit_rate, burst=settings.ratelimit_burst),
            settings.ratelimit_tenants,
            settings.ratelimit_fail_mode,
            on_backend_error,
        )

    def limit_for(self, tenant: str) -> TenantLimit:
        return self.tenants.get(tenant, self.default)

    async def check(self, tenant: str, subject: str, cost: float = 1.0) -> LimitDecision | None:
        """The decision, or None when the backend failed (caller applies fail mode)."""
        limit = self.limit_for(tenant)
        try:
            return await self.store.acquire(f"{tenant}/{subject}", limit.rate, limit.burst, cost)
        except LimitStoreError:
            self._on_backend_error()
            return None
