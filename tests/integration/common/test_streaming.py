"""The admission interceptor on streaming RPCs: server-streaming, bidi (async
generators and context.write), errors mid-stream, auth and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from aisec.audit.v1 import audit_pb2, audit_pb2_grpc
from aisec.guard.v1 import guard_pb2, guard_pb2_grpc
from google.rpc import error_details_pb2

from services.common import errors
from services.common.auth import current_identity
from services.common.errors import details_of
from services.common.server import ServiceDefinition, serve
from tests.conftest import MakeToken
from tests.integration.common.support import bearer, make_settings, sample

AUDIT = "aisec.audit.v1.AuditService"
GUARD = "aisec.guard.v1.GuardService"
QUERY = f"/{AUDIT}/Query"
REDACT_STREAM = f"/{GUARD}/RedactStream"


class StreamingAudit(audit_pb2_grpc.AuditServiceServicer):
    async def Query(
        self, request: audit_pb2.QueryRequest, context: grpc.aio.ServicerContext
    ) -> AsyncIterator[audit_pb2.QueryResponse]:
        for n in range(3):
            yield audit_pb2.QueryResponse(next_page_token=f"{current_identity().tenant}-{n}")
        if request.tenant == "fail-midway":
            raise errors.not_found("no such page", "page", "p-4")


class StreamingGuard(guard_pb2_grpc.GuardServiceServicer):
    async def RedactStream(
        self,
        request_iterator: AsyncIterator[guard_pb2.RedactStreamRequest],
        context: grpc.aio.ServicerContext,
    ) -> None:
        # A handler that writes with context.write() instead of yielding.
        async for request in request_iterator:
            if request.chunk == "explode":
                raise errors.invalid_argument("bad chunk", {"chunk": "explodes"})
            await context.write(guard_pb2.RedactStreamResponse(text=request.chunk.upper()))
        await context.write(guard_pb2.RedactStreamResponse(final=True))


def definition() -> ServiceDefinition:
    audit, guard = StreamingAudit(), StreamingGuard()

    def register(server: grpc.aio.Server) -> None:
        audit_pb2_grpc.add_AuditServiceServicer_to_server(audit, server)
        guard_pb2_grpc.add_GuardServiceServicer_to_server(guard, server)

    return ServiceDefinition(
        name="test",
        full_names=[AUDIT, GUARD],
        register=register,
        method_scopes={QUERY: "audit:read", REDACT_STREAM: "guard:redact"},
    )


async def test_server_streaming_through_the_interceptor(dev_key_file: Path, make_token: MakeToken) -> None:
    settings = make_settings(auth_enabled=True, jwt_hs256_key_file=dev_key_file)
    reader = make_token(scopes=["audit:read"], tenant="acme")
    async with serve(settings, definition()) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            stub = audit_pb2_grpc.AuditServiceStub(channel)
            pages = [
                r.next_page_token async for r in stub.Query(audit_pb2.QueryRequest(), metadata=bearer(reader))
            ]
            assert pages == ["acme-0", "acme-1", "acme-2"]

            received = []
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                async for reply in stub.Query(
                    audit_pb2.QueryRequest(tenant="fail-midway"), metadata=bearer(reader)
                ):
                    received.append(reply)
            assert len(received) == 3
            assert raised.value.code() is grpc.StatusCode.NOT_FOUND
            assert any(isinstance(d, error_details_pb2.ResourceInfo) for d in details_of(raised.value))

            with pytest.raises(grpc.aio.AioRpcError) as denied:
                async for _ in stub.Query(
                    audit_pb2.QueryRequest(), metadata=bearer(make_token(scopes=["x"]))
                ):
                    pass
            assert denied.value.code() is grpc.StatusCode.PERMISSION_DENIED

            with pytest.raises(grpc.aio.AioRpcError) as anonymous:
                async for _ in stub.Query(audit_pb2.QueryRequest()):
                    pass
            assert anonymous.value.code() is grpc.StatusCode.UNAUTHENTICATED

        for code, count in (("OK", 1), ("NOT_FOUND", 1), ("PERMISSION_DENIED", 1), ("UNAUTHENTICATED", 1)):
            assert (
                sample(running.registry, "aisec_grpc_requests_total", service="test", method=QUERY, code=code)
                == count
            )


async def test_bidi_streaming_with_context_write(dev_key_file: Path, make_token: MakeToken) -> None:
    settings = make_settings(auth_enabled=True, jwt_hs256_key_file=dev_key_file)
    token = make_token(scopes=["guard:redact"])

    def chunks(*texts: str) -> list[guard_pb2.RedactStreamRequest]:
        return [guard_pb2.RedactStreamRequest(chunk=text) for text in texts]

    async with serve(settings, definition()) as running:
        async with grpc.aio.insecure_channel(running.target) as channel:
            stub = guard_pb2_grpc.GuardServiceStub(channel)
            replies = [r async for r in stub.RedactStream(iter(chunks("a", "b")), metadata=bearer(token))]
            assert [(r.text, r.final) for r in replies] == [("A", False), ("B", False), ("", True)]

            with pytest.raises(grpc.aio.AioRpcError) as raised:
                async for _ in stub.RedactStream(iter(chunks("a", "explode", "c")), metadata=bearer(token)):
                    pass
            assert raised.value.code() is grpc.StatusCode.INVALID_ARGUMENT
            assert any(isinstance(d, error_details_pb2.BadRequest) for d in details_of(raised.value))

        assert (
            sample(
                running.registry, "aisec_grpc_requests_total", service="test", method=REDACT_STREAM, code="OK"
            )
            == 1
        )
        assert (
            sample(
                running.registry,
                "aisec_grpc_requests_total",
                service="test",
                method=REDACT_STREAM,
                code="INVALID_ARGUMENT",
            )
            == 1
        )
