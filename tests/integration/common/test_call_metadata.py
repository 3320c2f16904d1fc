"""Handlers read the call's metadata through ``metadata_of``: the admission wrapper reads it once per RPC
and never hands one call's metadata to another."""

from __future__ import annotations

import asyncio

import grpc
from aisec.common.v1 import common_pb2
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common.interceptors import AdmissionInterceptor, metadata_of
from services.common.metrics import ServerMetrics
from services.common.server import ServiceDefinition, serve
from tests.integration.common.support import VALIDATE, VALIDATOR, make_settings, validate_request


class EchoMetadata(validator_pb2_grpc.ValidatorServiceServicer):
    async def Validate(
        self, request: validator_pb2.ValidateRequest, context: grpc.aio.ServicerContext
    ) -> validator_pb2.ValidateResponse:
        await asyncio.sleep(0.001 * (hash(request.input.text) % 5))  # interleave concurrent calls
        first = metadata_of(context)
        assert metadata_of(context) is first  # read once per call
        return validator_pb2.ValidateResponse(
            decision=common_pb2.Decision(message=f"{first.get('x-request-id', '')}|{first.get('x-tag', '')}")
        )


def definition() -> ServiceDefinition:
    servicer = EchoMetadata()
    return ServiceDefinition(
        name="test",
        full_names=[VALIDATOR],
        register=lambda server: validator_pb2_grpc.add_ValidatorServiceServicer_to_server(servicer, server),
        method_scopes={VALIDATE: None},
    )


async def test_each_call_sees_its_own_metadata() -> None:
    async with serve(make_settings(), definition()) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            stub = validator_pb2_grpc.ValidatorServiceStub(channel)

            async def call(n: int) -> str:
                reply = await stub.Validate(
                    validate_request(f"text {n}"),
                    metadata=(("x-request-id", f"rid-{n}"), ("x-tag", f"t{n}")),
                    timeout=5,
                )
                return reply.decision.message

            replies = await asyncio.gather(*(call(n) for n in range(40)))
            assert replies == [f"rid-{n}|t{n}" for n in range(40)]
            bare = await stub.Validate(validate_request("bare"), timeout=5)
            assert bare.decision.message == "|"


class FakeContext:
    def __init__(self, metadata: tuple[tuple[str, str], ...]) -> None:
        self._metadata = metadata
        self.reads = 0

    def invocation_metadata(self) -> tuple[tuple[str, str], ...]:
        self.reads += 1
        return self._metadata

    def code(self) -> None:
        return None


async def test_the_wrapper_reads_each_calls_context_once() -> None:
    """The wrapper reads its call's metadata from the context once and hands it to ``metadata_of``; each
    call reads its own context, and a handler asking about another context reads that one."""
    interceptor = AdmissionInterceptor("test", {VALIDATE: None}, None, None, ServerMetrics("test", CollectorRegistry()))

    async def handler(request: object, context: grpc.aio.ServicerContext) -> str:
        metadata = metadata_of(context)
        assert metadata_of(context) is metadata
        return metadata.get("x-request-id", "")

    wrapped = interceptor._wrap(VALIDATE, grpc.unary_unary_rpc_method_handler(handler))
    assert wrapped.unary_unary is not None
    first = FakeContext((("x-request-id", "first"),))
    assert await wrapped.unary_unary(None, first) == "first"
    assert first.reads == 1
    second = FakeContext((("x-request-id", "second"),))
    assert await wrapped.unary_unary(None, second) == "second"
    assert second.reads == 1
    other = FakeContext((("x-request-id", "other"),))
    assert metadata_of(other)["x-request-id"] == "other"  # type: ignore[arg-type]
