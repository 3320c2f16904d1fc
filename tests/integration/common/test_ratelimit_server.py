
"""Rate limits through real servers: rich RESOURCE_EXHAUSTED, per-tenant limits,
two replicas sharing one redis-server, and the fail mode when Redis is down."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import grpc
import pytest
from aisec.validator.v1 import validator_pb2_grpc
from google.rpc import error_details_pb2

from services.common.errors import details_of
from services.common.server import RunningServer, serve
from tests.conftest import MakeToken, RedisServer
from tests.integration.common.support import (
    NOT_SERVING,
    SERVING,
    ScriptedValidator,
    bearer,
    make_settings,
    sample,
    validate_request,
    validator_definition,
    wait_for_status,
)

SLOW_RATE = 0.01  # one token per 100 s: nothing refills during a test


def limited_settings(dev_key_file: Path, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "auth_enabled": True,
        "jwt_hs256_key_file": dev_key_file,
        "ratelimit_rate": SLOW_RATE,
        "ratelimit_burst": 3,
    }
    values.update(overrides)
    return make_settings(**values)


async def call(target: str, token: str) -> grpc.StatusCode:
    async with grpc.aio.insecure_channel(target) as channel:
        try:
            await validator_pb2_grpc.ValidatorServiceStub(channel).Validate(
                validate_request(), metadata=bearer(token), timeout=5
            )
        except grpc.aio.AioRpcError as exc:
            return exc.code()
        return grpc.StatusCode.OK


async def test_over_limit_is_resource_exhausted_with_details(
    dev_key_file: Path, make_token: MakeToken
) -> None:
    settings = limited_settings(dev_key_file)
    token = make_token(scopes=["validator:validate"], tenant="acme", subject="alice")
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            stub = validator_pb2_grpc.ValidatorServiceStub(channel)
            for _ in range(3):
                await stub.Validate(validate_request(), metadata=bearer(token), timeout=5)
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await stub.Validate(validate_request(), metadata=bearer(token), timeout=5)
        assert raised.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
        details = details_of(raised.value)
        [retry] = [d for d in details if isinstance(d, error_details_pb2.RetryInfo)]
        [quota] = [d for d in details if isinstance(d, error_details_pb2.QuotaFailure)]
        assert retry.retry_delay.ToMilliseconds() > 0
        assert [v.subject for v in quota.violations] == ["tenant:acme"]
        assert "burst 3" in quota.violations[0].description
        assert sample(running.registry, "aisec_ratelimit_exceeded_total", service="test", tenant="acme") == 1

        # The server records the request metric just after the status is sent.
        def exhausted() -> float:
            return sample(
                running.registry,
                "aisec_grpc_requests_total",
                service="test",
                method="/aisec.validator.v1.ValidatorService/Validate",
                code="RESOURCE_EXHAUSTED",
            )

        for _ in range(200):
            if exhausted() == 1:
                break
            await asyncio.sleep(0.01)
        assert exhausted() == 1


async def test_limits_are_per_tenant_with_overrides(dev_key_file: Path, make_token: MakeToken) -> None:
    settings = limited_settings(
        dev_key_file, ratelimit_burst=5, ratelimit_tenants={"small": {"rate": SLOW_RATE, "burst": 1}}
    )
    small = make_token(scopes=["validator:validate"], tenant="small", subject="alice")
    big = make_token(scopes=["validator:validate"], tenant="big", subject="alice")
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        assert [await call(running.target, small) for _ in range(2)] == [
            grpc.StatusCode.OK,
            grpc.StatusCode.RESOURCE_EXHAUSTED,
        ]
        # The same subject under the default tenant limit is unaffected.
        assert [await call(running.target, big) for _ in range(5)] == [grpc.StatusCode.OK] * 5
        assert await call(running.target, big) is grpc.StatusCode.RESOURCE_EXHAUSTED


async def test_health_and_reflection_are_not_rate_limited(dev_key_file: Path) -> None:
    from tests.integration.common.support import health_status

    settings = limited_settings(dev_key_file, ratelimit_burst=1)
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        for _ in range(5):
            assert await health_status(running.target) == SERVING


async def test_two_replicas_share_one_redis_limit(
    dev_key_file: Path, make_token: MakeToken, redis_server: Callable[[], RedisServer]
) -> None:
    redis = redis_server()
    settings = limited_settings(
        dev_key_file, ratelimit_backend="redis", ratelimit_redis_url=redis.url, ratelimit_redis_timeout_s=2.0
    )
    token = make_token(scopes=["validator:validate"], tenant="acme", subject="alice")
    async with AsyncExitStack() as stack:
        one: RunningServer = await stack.enter_async_context(
            serve(settings, validator_definition(ScriptedValidator()))
        )
        two: RunningServer = await stack.enter_async_context(
            serve(settings, validator_definition(ScriptedValidator()))
        )
        codes = [
            await call(target, token)
            for target in (one.target, two.target, one.target, two.target, one.target)
        ]
    assert codes == [grpc.StatusCode.OK] * 3 + [grpc.StatusCode.RESOURCE_EXHAUSTED] * 2


async def test_redis_down_fail_open_allows_and_counts(
    dev_key_file: Path, make_token: MakeToken, redis_server: Callable[[], RedisServer]
) -> None:
    redis = redis_server()
    settings = limited_settings(
        dev_key_file,
        ratelimit_backend="redis",
        ratelimit_redis_url=redis.url,
        ratelimit_fail_mode="open",
        ratelimit_burst=1,
        ratelimit_redis_timeout_s=0.5,
    )
    token = make_token(scopes=["validator:validate"], tenant="acme", subject="alice")
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        assert await call(running.target, token) is grpc.StatusCode.OK
        assert await call(running.target, token) is grpc.StatusCode.RESOURCE_EXHAUSTED
        redis.stop()
        assert [await call(running.target, token) for _ in range(3)] == [grpc.StatusCode.OK] * 3
        assert (
            sample(running.registry, "aisec_ratelimit_backend_errors_total", service="test", mode="open") == 3
        )
        # Fail-open keeps the service SERVING: Redis is not a hard dependency.
        await wait_for_status(running.target, SERVING)
        redis.start()  # back (empty): limits apply again
        assert await call(running.target, token) is grpc.StatusCode.OK
        assert await call(running.target, token) is grpc.StatusCode.RESOURCE_EXHAUSTED


async def test_redis_down_fail_closed_is_unavailable(
    dev_key_file: Path, make_token: MakeToken, redis_server: Callable[[], RedisServer]
) -> None:
    redis = redis_server()
    settings = limited_settings(
        dev_key_file,
        ratelimit_backend="redis",
        ratelimit_redis_url=redis.url,
        ratelimit_fail_mode="closed",
        ratelimit_redis_timeout_s=0.5,
    )
    token = make_token(scopes=["validator:validate"], tenant="acme", subject="alice")
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        assert await call(running.target, token) is grpc.StatusCode.OK
        redis.stop()
        async with grpc.aio.insecure_channel(running.target) as channel:
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await validator_pb2_grpc.ValidatorServiceStub(channel).Validate(
                    validate_request(), metadata=bearer(token), timeout=5
                )
        assert raised.value.code() is grpc.StatusCode.UNAVAILABLE
        assert any(isinstance(d, error_details_pb2.RetryInfo) for d in details_of(raised.value))
        assert (
            sample(running.registry, "aisec_ratelimit_backend_errors_total", service="test", mode="closed")
            == 1
        )
        # Fail-closed ties health to Redis.
        await wait_for_status(running.target, NOT_SERVING)
        redis.start()
        await wait_for_status(running.target, SERVING)
        assert await call(running.target, token) is grpc.StatusCode.OK
