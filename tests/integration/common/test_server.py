"""serve(): health, reflection, graceful shutdown, backend health, metrics and
error mapping against real servers on port 0."""

from __future__ import annotations

import asyncio
import re
import urllib.request
from contextlib import AsyncExitStack
from pathlib import Path

import grpc
import pytest
from aisec.validator.v1 import validator_pb2_grpc
from google.rpc import error_details_pb2
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

from services.common.errors import details_of
from services.common.server import serve
from tests.conftest import MakeToken
from tests.integration.common.support import (
    NOT_SERVING,
    SECRET_TEXT,
    SERVING,
    VALIDATE,
    VALIDATOR,
    ScriptedValidator,
    bearer,
    health_status,
    make_settings,
    sample,
    validate_request,
    validator_definition,
    wait_for_status,
)


async def test_health_is_serving_without_a_token(dev_key_file: Path) -> None:
    settings = make_settings(auth_enabled=True, jwt_hs256_key_file=dev_key_file)
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        assert await health_status(running.target, VALIDATOR) == SERVING
        assert await health_status(running.target, "") == SERVING
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await health_status(running.target, "aisec.unknown.v1.Nothing")
        assert raised.value.code() is grpc.StatusCode.NOT_FOUND


def list_services_by_reflection(target: str) -> tuple[list[str], list[str]]:
    """Blocking: the service names and Validate's method names, via reflection."""
    with grpc.insecure_channel(target) as channel:
        database = ProtoReflectionDescriptorDatabase(channel)
        services = list(database.get_services())
        from google.protobuf.descriptor_pool import DescriptorPool

        pool = DescriptorPool(database)
        methods = [m.name for m in pool.FindServiceByName(VALIDATOR).methods]
        return services, methods


async def test_reflection_lists_the_service_without_a_token(dev_key_file: Path) -> None:
    settings = make_settings(auth_enabled=True, jwt_hs256_key_file=dev_key_file)
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        # A blocking client must not run on the loop that serves it.
        services, methods = await asyncio.to_thread(list_services_by_reflection, running.target)
    assert VALIDATOR in services
    assert "grpc.health.v1.Health" in services
    assert sorted(methods) == ["ListPolicies", "Validate", "ValidateBatch"]


async def test_reflection_can_be_disabled() -> None:
    settings = make_settings(reflection=False)
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        with pytest.raises(grpc.RpcError):
            await asyncio.to_thread(list_services_by_reflection, running.target)


async def test_graceful_shutdown_drains_in_flight_calls() -> None:
    servicer = ScriptedValidator()
    settings = make_settings(health_port=0, grace_period_s=10.0)
    stack = AsyncExitStack()
    running = await stack.enter_async_context(serve(settings, validator_definition(servicer)))
    health_target = f"127.0.0.1:{running.health_port}"
    channel = grpc.aio.insecure_channel(running.target)
    stub = validator_pb2_grpc.ValidatorServiceStub(channel)
    try:
        in_flight = asyncio.ensure_future(stub.Validate(validate_request("slow"), timeout=20))
        await asyncio.wait_for(servicer.started.wait(), 10)
        closing = asyncio.ensure_future(stack.aclose())  # what SIGTERM does
        # Probes see NOT_SERVING while the call drains.
        await wait_for_status(health_target, NOT_SERVING)
        assert not closing.done()
        assert not in_flight.done()
        # New calls are refused while draining.
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.Validate(validate_request(), timeout=5)
        # grpc answers UNAVAILABLE (GOAWAY sent) or, when the new stream raced the shutdown in the
        # transport, CANCELLED; either way the call never reached the handler.
        assert refused.value.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED)
        assert servicer.calls == 1
        servicer.release.set()
        reply = await in_flight
        assert reply.decision.allowed
        await asyncio.wait_for(closing, 10)
        assert running.metrics.health_status.labels("test")._value.get() == 0
    finally:
        servicer.release.set()
        await channel.close()
        await stack.aclose()


async def test_request_shutdown_ends_wait_for_termination() -> None:
    async with serve(make_settings(), validator_definition(ScriptedValidator())) as running:
        waiter = asyncio.ensure_future(running.wait_for_termination())
        await asyncio.sleep(0)
        assert not waiter.done()
        running.request_shutdown()
        await asyncio.wait_for(waiter, 5)


async def test_health_follows_backend_checks() -> None:
    backend_up = True

    async def backend() -> bool:
        return backend_up

    async def broken_check() -> bool:
        raise ConnectionError("backend gone")

    settings = make_settings(health_check_interval_s=0.05, metrics_port=0)
    definition = validator_definition(ScriptedValidator(), health_checks=[backend])
    async with serve(settings, definition) as running:
        assert await health_status(running.target) == SERVING
        backend_up = False
        await wait_for_status(running.target, NOT_SERVING)
        await wait_for_status(running.target, NOT_SERVING, service="")
        assert sample(running.registry, "aisec_health_serving", service="test") == 0
        backend_up = True
        await wait_for_status(running.target, SERVING)
        assert sample(running.registry, "aisec_health_serving", service="test") == 1

    # A check that raises counts as failing.
    async with serve(
        settings, validator_definition(ScriptedValidator(), health_checks=[broken_check])
    ) as running:
        await wait_for_status(running.target, NOT_SERVING)


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
        return response.read().decode()


async def test_metrics_endpoint_has_bounded_labels(dev_key_file: Path, make_token: MakeToken) -> None:
    settings = make_settings(auth_enabled=True, jwt_hs256_key_file=dev_key_file, metrics_port=0)
    token = make_token(scopes=["validator:validate"], subject="user-8f3a1c", tenant="acme")
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        assert running.metrics_port
        async with grpc.aio.insecure_channel(running.target) as channel:
            stub = validator_pb2_grpc.ValidatorServiceStub(channel)
            for _ in range(2):
                await stub.Validate(validate_request("some private text"), metadata=bearer(token), timeout=5)
            with pytest.raises(grpc.aio.AioRpcError):
                await stub.Validate(validate_request(), metadata=bearer("garbage"), timeout=5)
            # An unknown method: UNIMPLEMENTED, and it must not mint a label.
            unknown = channel.unary_unary(f"/{VALIDATOR}/NoSuchMethod{SECRET_TEXT}")
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await unknown(b"", timeout=5)
            assert raised.value.code() is grpc.StatusCode.UNIMPLEMENTED
        await health_status(running.target)
        text = await asyncio.to_thread(fetch, f"http://127.0.0.1:{running.metrics_port}/metrics")

    assert f'aisec_grpc_requests_total{{code="OK",method="{VALIDATE}",service="test"}} 2.0' in text
    assert (
        f'aisec_grpc_requests_total{{code="UNAUTHENTICATED",method="{VALIDATE}",service="test"}} 1.0' in text
    )
    assert f'aisec_grpc_request_duration_seconds_count{{method="{VALIDATE}",service="test"}} 3.0' in text
    assert 'aisec_auth_failures_total{reason="MALFORMED_TOKEN",service="test"}' in text
    for forbidden in ("user-8f3a1c", "some private text", "NoSuchMethod", SECRET_TEXT, "Health/Check"):
        assert forbidden not in text
    # Every label value of the request metrics comes from a bounded set.
    codes = {code.name for code in grpc.StatusCode}
    for code, method in re.findall(r'aisec_grpc_requests_total\{code="([^"]+)",method="([^"]+)"', text):
        assert code in codes
        assert method.startswith(f"/{VALIDATOR}/")


async def test_invalid_argument_carries_bad_request(make_token: MakeToken) -> None:
    async with serve(make_settings(), validator_definition(ScriptedValidator())) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await validator_pb2_grpc.ValidatorServiceStub(channel).Validate(
                    validate_request("invalid"), timeout=5
                )
        assert raised.value.code() is grpc.StatusCode.INVALID_ARGUMENT
        assert raised.value.details() == "input is not acceptable"
        [bad] = [d for d in details_of(raised.value) if isinstance(d, error_details_pb2.BadRequest)]
        assert [(v.field, v.description) for v in bad.field_violations] == [
            ("input.text", "must not be 'invalid'")
        ]
        assert (
            sample(
                running.registry,
                "aisec_grpc_requests_total",
                service="test",
                method=VALIDATE,
                code="INVALID_ARGUMENT",
            )
            == 1
        )


async def test_unexpected_exception_is_internal_without_leaking() -> None:
    async with serve(make_settings(), validator_definition(ScriptedValidator())) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            stub = validator_pb2_grpc.ValidatorServiceStub(channel)
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await stub.Validate(validate_request("boom"), timeout=5)
            # The server keeps serving after a crash in a handler.
            assert (await stub.Validate(validate_request(), timeout=5)).decision.allowed
        assert raised.value.code() is grpc.StatusCode.INTERNAL
        assert SECRET_TEXT not in (raised.value.details() or "")
        assert SECRET_TEXT not in str(raised.value.trailing_metadata())
        assert details_of(raised.value) == []
        assert (
            sample(
                running.registry,
                "aisec_grpc_requests_total",
                service="test",
                method=VALIDATE,
                code="INTERNAL",
            )
            == 1
        )


@pytest.mark.parametrize("text", ["abort", "set-code"])
async def test_plain_grpc_status_is_recorded(text: str) -> None:
    """Handlers that use context.abort()/set_code() get their code counted, not OK."""
    async with serve(make_settings(), validator_definition(ScriptedValidator())) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await validator_pb2_grpc.ValidatorServiceStub(channel).Validate(
                    validate_request(text), timeout=5
                )
        assert raised.value.code() is grpc.StatusCode.NOT_FOUND
        labels = {"service": "test", "method": VALIDATE}
        # context.abort() sends the status from inside the handler, before the exception reaches the
        # interceptor that counts it: the client can get there first, so wait (bounded) for the count.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while (
            sample(running.registry, "aisec_grpc_requests_total", code="NOT_FOUND", **labels) == 0
            and loop.time() < deadline
        ):
            await asyncio.sleep(0.01)
        assert sample(running.registry, "aisec_grpc_requests_total", code="NOT_FOUND", **labels) == 1
        assert sample(running.registry, "aisec_grpc_requests_total", code="OK", **labels) == 0


async def test_auth_disabled_gives_anonymous_admin() -> None:
    async with serve(make_settings(auth_enabled=False), validator_definition(ScriptedValidator())) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            reply = await validator_pb2_grpc.ValidatorServiceStub(channel).Validate(
                validate_request(), timeout=5
            )
    assert reply.decision.message == "anonymous@default"


async def test_message_size_limit_is_enforced() -> None:
    settings = make_settings(max_message_bytes=4096)
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await validator_pb2_grpc.ValidatorServiceStub(channel).Validate(
                    validate_request("x" * 10_000), timeout=5
                )
    assert raised.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED


async def test_busy_port_fails_to_start() -> None:
    async with serve(make_settings(), validator_definition(ScriptedValidator())) as running:
        with pytest.raises(OSError, match="cannot bind gRPC address"):
            async with serve(make_settings(port=running.port), validator_definition(ScriptedValidator())):
                pass
