"""Where canary registrations live: this process (``memory``) or Redis, shared by every replica.

Requests only ever read the local ``CanaryRegistry``: no network round trip on the redaction path.
With ``redis``, a registration is written to Redis (one hash per tenant, name -> JSON) and a version
counter is bumped in the same transaction; every replica polls the counter every ``refresh_s`` and
reloads all registrations when it moved, so a canary registered through one replica is enforced by
all of them within that time, and registrations survive restarts. A system prompt is stored only as
keyed hashes of its word shingles (never its text); the key is derived from the redaction-hash key,
which every replica shares, so all replicas compute the same hashes. Canary strings are stored as
given: matching them needs them. When Redis is unreachable, replicas keep enforcing what they last
loaded, registration fails with UNAVAILABLE, and failures are counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
from collections.abc import Iterable
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Counter

from services.common import errors
from services.common.ratelimit import redis_client
from services.guard.leaks import CanaryRegistration, CanaryRegistry, PromptFingerprint, make_registration

log = logging.getLogger("aisec.guard.canaries")

KEY_PREFIX = "aisec:guard:canaries:v1:"
VERSION_KEY = KEY_PREFIX + "version"
TENANT_PREFIX = KEY_PREFIX + "tenant:"


def fingerprint_key(redaction_hash_key: bytes) -> bytes:
    """The system-prompt shingle key, the same on every replica that shares the hash key."""
    return hmac.new(redaction_hash_key, b"aisec guard system-prompt fingerprint v1", hashlib.sha256).digest()


class CanaryStore(Protocol):
    def for_tenant(self, tenant: str) -> list[CanaryRegistration]: ...

    async def register(
        self, tenant: str, name: str, canaries: Iterable[str], system_prompt: str, min_run_words: int
    ) -> CanaryRegistration: ...

    async def delete(self, tenant: str, name: str) -> bool: ...

    async def sync_forever(self) -> None:
        """Keep the local view current until cancelled (no-op for the memory store)."""
        ...

    async def ready(self) -> bool:
        """Health: the registrations were loaded at least once (always, for the memory store)."""
        ...

    async def close(self) -> None: ...


class MemoryCanaryStore:
    """One replica: registrations live in this process and are gone when it restarts."""

    def __init__(self, key: bytes) -> None:
        self.local = CanaryRegistry(key)

    def for_tenant(self, tenant: str) -> list[CanaryRegistration]:
        return self.local.for_tenant(tenant)

    async def register(
        self, tenant: str, name: str, canaries: Iterable[str], system_prompt: str, min_run_words: int
    ) -> CanaryRegistration:
        return self.local.register(tenant, name, canaries, system_prompt, min_run_words)

    async def delete(self, tenant: str, name: str) -> bool:
        return self.local.delete(tenant, name)

    async def sync_forever(self) -> None:
        return None

    async def ready(self) -> bool:
        return True

    async def close(self) -> None:
        return None


def _encode(registration: CanaryRegistration) -> str:
    fingerprint = registration.fingerprint
    return json.dumps(
        {
            "canaries": list(registration.canaries),
            "min_run_words": fingerprint.min_run_words if fingerprint else 0,
            "shingles": sorted(s.hex() for s in fingerprint.shingles) if fingerprint else [],
        },
        separators=(",", ":"),
    )


def _decode(name: str, raw: str, key: bytes) -> CanaryRegistration:
    doc = json.loads(raw)
    fingerprint = None
    if doc["shingles"] or doc["min_run_words"]:
        shingles = frozenset(bytes.fromhex(s) for s in doc["shingles"])
        fingerprint = PromptFingerprint(shingles, int(doc["min_run_words"]), key)
    return CanaryRegistration(name, tuple(doc["canaries"]), fingerprint)


class RedisCanaryStore:
    """Registrations in Redis, mirrored into every replica's memory (see the module docstring)."""

    def __init__(
        self,
        url: str,
        key: bytes,
        registry: CollectorRegistry,
        *,
        refresh_s: float = 1.0,
        timeout_s: float = 1.0,
    ) -> None:
        self._client: Any = redis_client(url, timeout_s, decode_responses=True)
        self._key = key
        self._refresh_s = refresh_s
        self._seen_version: str | None = None
        self._by_tenant: dict[str, dict[str, CanaryRegistration]] = {}
        self._sync_failures = Counter(
            "aisec_guard_canary_sync_failures",
            "Failed reads of the shared canary registrations from Redis (replicas keep what they had).",
            registry=registry,
        )
        self._loaded = asyncio.Event()

    def for_tenant(self, tenant: str) -> list[CanaryRegistration]:
        return list(self._by_tenant.get(tenant, {}).values())

    async def register(
        self, tenant: str, name: str, canaries: Iterable[str], system_prompt: str, min_run_words: int
    ) -> CanaryRegistration:
        registration = make_registration(name, canaries, system_prompt, min_run_words, self._key)
        try:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.hset(TENANT_PREFIX + tenant, name, _encode(registration))
                pipe.incr(VERSION_KEY)
                await pipe.execute()
        except Exception as exc:  # redis errors, timeouts, refused connections
            raise self._unavailable(exc) from None
        self._by_tenant = {**self._by_tenant, tenant: {**self._by_tenant.get(tenant, {}), name: registration}}
        return registration

    async def delete(self, tenant: str, name: str) -> bool:
        try:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.hdel(TENANT_PREFIX + tenant, name)
                pipe.incr(VERSION_KEY)
                removed, _ = await pipe.execute()
        except Exception as exc:
            raise self._unavailable(exc) from None
        kept = {n: r for n, r in self._by_tenant.get(tenant, {}).items() if n != name}
        self._by_tenant = {**self._by_tenant, tenant: kept}
        return bool(removed)

    @staticmethod
    def _unavailable(exc: Exception) -> errors.ServiceError:
        log.warning("canary store unreachable", extra={"error": type(exc).__name__})
        return errors.unavailable("canary registrations are stored in Redis, which is unreachable", 1.0)

    async def refresh(self) -> bool:
        """Reload everything when the version moved; False when Redis could not be read."""
        try:
            version = await self._client.get(VERSION_KEY)
            if version == self._seen_version and self._loaded.is_set():
                return True
            # Read the version first: a change made while we scan bumps it, and the next poll reloads.
            loaded: dict[str, dict[str, CanaryRegistration]] = {}
            async for key in self._client.scan_iter(match=TENANT_PREFIX + "*", count=500):
                entries = await self._client.hgetall(key)
                tenant = key[len(TENANT_PREFIX) :]
                loaded[tenant] = {name: _decode(name, raw, self._key) for name, raw in entries.items()}
        except Exception as exc:
            self._sync_failures.inc()
            log.warning("canary sync failed", extra={"error": type(exc).__name__})
            return False
        self._by_tenant = loaded
        self._seen_version = version
        self._loaded.set()
        return True

    async def load(self, attempts: int = 3, backoff_s: float = 0.25) -> bool:
        """The first load, at start-up: retried briefly so a slow or restarting Redis does not leave
        this replica serving without the registrations; False if Redis stayed unreachable (the sync
        loop keeps trying and health reports NOT_SERVING until it succeeds)."""
        for attempt in range(attempts):
            if await self.refresh():
                return True
            await asyncio.sleep(backoff_s * (attempt + 1))
        return False

    async def ready(self) -> bool:
        return self._loaded.is_set()

    async def sync_forever(self) -> None:
        task = asyncio.current_task()
        with contextlib.suppress(asyncio.CancelledError):
            while True:
                await self.refresh()
                # A cancellation that landed inside the Redis client may come out as a connection
                # error (caught by refresh): stop anyway, or shutdown would wait on this loop forever.
                if task is not None and task.cancelling():
                    return
                await asyncio.sleep(self._refresh_s)

    async def close(self) -> None:
        with contextlib.suppress(Exception):  # a dead connection must not hold up shutdown
            await asyncio.wait_for(self._client.aclose(), 5.0)
