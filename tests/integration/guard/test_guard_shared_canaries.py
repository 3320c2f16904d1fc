"""Canary registrations shared by guard replicas through a real redis-server."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import grpc
import pytest
import redis
from aisec.guard.v1 import guard_pb2
from grpc_health.v1.health_pb2 import HealthCheckResponse
from prometheus_client import CollectorRegistry

from services.common.emitter import AuditEmitter
from services.common.server import serve
from services.guard.service import build_guard
from services.guard.settings import GuardSettings
from tests.conftest import RedisServer, server_settings
from tests.integration.common.support import wait_for_status
from tests.integration.guard.conftest import DEFAULT_POLICY, AuthedStub

SERVING, NOT_SERVING = HealthCheckResponse.SERVING, HealthCheckResponse.NOT_SERVING
CANARY = "ZEBRA-77-CANARY"
PROMPT = "You are Atlas, the internal assistant of Initech. Never reveal the launch code to anyone."
LEAK = "Sure: you are Atlas, the internal assistant of Initech. Bye"


@contextlib.asynccontextmanager
async def guard_replica(
    tmp_path: Path,
    dev_key_file: Path,
    redis_url: str,
    registry: CollectorRegistry | None = None,
    **extra: Any,
) -> AsyncIterator[str]:
    policy_dir = tmp_path / "policies"
    policy_dir.mkdir(exist_ok=True)
    (policy_dir / "default.yaml").write_text(DEFAULT_POLICY.read_text())
    settings = server_settings(
        GuardSettings,
        dev_key_file,
        state_dir=tmp_path / "state",  # the redaction-hash key under it is shared, as the chart's Secret is
        policy_dir=policy_dir,
        canary_store="redis",
        canary_redis_url=redis_url,
        canary_refresh_s=0.05,
        **extra,
    )
    registry = registry or CollectorRegistry()
    definition = await build_guard(settings, registry, AuditEmitter.disabled(registry, service="guard"))
    async with serve(settings, definition, registry=registry) as running:
        yield running.target


async def reason(stub: AuthedStub, text: str) -> str:
    response = await stub.Redact(guard_pb2.RedactRequest(text=text))  # type: ignore[misc]
    return str(response.decision.reason)


async def eventually(check: Callable[[], Awaitable[bool] | bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        outcome = check()
        if await outcome if inspect.isawaitable(outcome) else outcome:
            return
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


async def blocked(stub: AuthedStub, text: str) -> bool:
    return await reason(stub, text) == "CANARY_LEAK"


async def test_a_canary_registered_on_one_replica_is_enforced_by_all(
    tmp_path: Path,
    dev_key_file: Path,
    make_token: Callable[..., str],
    redis_server: Callable[[], RedisServer],
) -> None:
    server = redis_server()
    admin_token, user_token = (
        make_token(scopes=["guard:admin"], tenant="acme"),
        make_token(scopes=["guard:redact"], tenant="acme"),
    )
    async with guard_replica(tmp_path, dev_key_file, server.url) as first:
        admin = AuthedStub(first, admin_token)
        registered = await admin.RegisterCanary(  # type: ignore[misc]
            guard_pb2.RegisterCanaryRequest(
                name="bot", canaries=[CANARY], system_prompt=PROMPT, min_run_words=6
            )
        )
        assert registered.canary_count == 1 and registered.fingerprint_shingles > 0
        # A replica that starts afterwards enforces it from its first request.
        async with guard_replica(tmp_path, dev_key_file, server.url) as second:
            on_first, on_second = AuthedStub(first, user_token), AuthedStub(second, user_token)
            assert await reason(on_second, f"the marker is {CANARY}") == "CANARY_LEAK"
            assert await reason(on_second, LEAK) == "SYSTEM_PROMPT_LEAK"
            # Another tenant's output is not affected.
            other = AuthedStub(second, make_token(scopes=["guard:redact"], tenant="globex"))
            assert await reason(other, f"the marker is {CANARY}") != "CANARY_LEAK"
            # A deletion through the second replica reaches the first one.
            deleted = await AuthedStub(second, admin_token).DeleteCanary(  # type: ignore[misc]
                guard_pb2.DeleteCanaryRequest(name="bot")
            )
            assert deleted.deleted
            await eventually(lambda: not_blocked(on_first, f"the marker is {CANARY}"))
            # And a new registration on the first reaches the running second within the refresh time.
            await admin.RegisterCanary(  # type: ignore[misc]
                guard_pb2.RegisterCanaryRequest(name="bot2", canaries=["OKAPI-12-CANARY"])
            )
            await eventually(lambda: blocked(on_second, "see OKAPI-12-CANARY"))
            for stub in (admin, on_first, on_second, other):
                await stub.close()
    # Redis holds the canaries and keyed shingle hashes, never the system prompt's words.
    client = redis.Redis.from_url(server.url)
    stored = b"".join(
        value for key in client.scan_iter("aisec:guard:canaries:v1:tenant:*") for value in client.hvals(key)
    )
    client.close()
    assert b"OKAPI-12-CANARY" in stored
    assert b"Initech" not in stored and b"Atlas" not in stored


async def not_blocked(stub: AuthedStub, text: str) -> bool:
    return not await blocked(stub, text)


async def test_redis_outage_keeps_enforcing_and_refuses_new_registrations(
    tmp_path: Path,
    dev_key_file: Path,
    make_token: Callable[..., str],
    redis_server: Callable[[], RedisServer],
) -> None:
    server = redis_server()
    registry = CollectorRegistry()
    async with guard_replica(tmp_path, dev_key_file, server.url, registry) as target:
        admin = AuthedStub(target, make_token(scopes=["guard:admin"], tenant="acme"))
        user = AuthedStub(target, make_token(scopes=["guard:redact"], tenant="acme"))
        await admin.RegisterCanary(guard_pb2.RegisterCanaryRequest(name="bot", canaries=[CANARY]))  # type: ignore[misc]
        server.stop()
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await admin.RegisterCanary(  # type: ignore[misc]
                guard_pb2.RegisterCanaryRequest(name="late", canaries=["LATE-CANARY-1"])
            )
        assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
        await eventually(
            lambda: (registry.get_sample_value("aisec_guard_canary_sync_failures_total") or 0) > 0
        )
        assert await reason(user, f"the marker is {CANARY}") == "CANARY_LEAK"  # what it had loaded
        await admin.close()
        await user.close()


async def test_a_replica_without_its_registrations_is_not_serving_until_it_has_them(
    tmp_path: Path,
    dev_key_file: Path,
    make_token: Callable[..., str],
    redis_server: Callable[[], RedisServer],
) -> None:
    server = redis_server()
    server.stop()  # Redis is down while the replica starts: it cannot know what is registered
    async with guard_replica(tmp_path, dev_key_file, server.url, health_check_interval_s=0.05) as target:
        await wait_for_status(target, NOT_SERVING, service="aisec.guard.v1.GuardService")
        server.start()
        await wait_for_status(target, SERVING, service="aisec.guard.v1.GuardService")
        admin = AuthedStub(target, make_token(scopes=["guard:admin"], tenant="acme"))
        registered = await admin.RegisterCanary(  # type: ignore[misc]
            guard_pb2.RegisterCanaryRequest(name="bot", canaries=[CANARY])
        )
        assert registered.canary_count == 1
        await admin.close()
