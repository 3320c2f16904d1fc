"""Handlers read the call's metadata through ``metadata_of``: the interceptor reads it once per RPC
(from intercept_service's HandlerCallDetails) and never hands one call's metadata to another."""

from __future__ import annotations

import asyncio

import grpc
from aisec.common.v1 import common_pb2
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common import interceptors
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


async def test_wrapper_without_intercept_service_reads_the_context() -> None:
    """Metadata passed on by intercept_service is used by one call only; a wrapper called on its
    own (or a later call in the same task) reads its own context."""
    interceptor = AdmissionInterceptor("test", {VALIDATE: None}, None, None, ServerMetrics("test", CollectorRegistry()))

    async def handler(request: object, context: grpc.aio.ServicerContext) -> str:
        return metadata_of(context).get("x-request-id", "")

    wrapped = interceptor._wrap(VALIDATE, grpc.unary_unary_rpc_method_handler(handler))
    assert wrapped.unary_unary is not None
    interceptors._details_metadata.set((("x-request-id", "from-details"),))
    first = FakeContext((("x-request-id", "ignored"),))
    assert await wrapped.unary_unary(None, first) == "from-details"
    assert first.reads == 0
    second = FakeContext((("x-request-id", "second"),))
    assert await wrapped.unary_unary(None, second) == "second"
    assert second.reads == 1
    # A handler asking about another context than the current call's reads that context.
    other = FakeContext((("x-request-id", "other"),))
    assert metadata_of(other)["x-request-id"] == "other"  # type: ignore[arg-type]
