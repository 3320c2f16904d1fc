"""serve() puts the admission in front of a service's handlers when they are registered, not with a
grpc interceptor run on every call: the same checks apply, health and reflection stay public."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import grpc
import pytest
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common import server as server_module
from services.common.interceptors import AdmissionInterceptor
from services.common.metrics import ServerMetrics
from services.common.server import serve
from tests.conftest import MakeToken
from tests.integration.common.support import (
    LIST_POLICIES,
    SERVING,
    VALIDATE,
    VALIDATE_BATCH,
    VALIDATOR,
    ScriptedValidator,
    bearer,
    health_status,
    make_settings,
    sample,
    validate_request,
    validator_definition,
)


async def test_serve_admits_at_registration_without_a_grpc_interceptor(
    monkeypatch: pytest.MonkeyPatch, dev_key_file: Path, make_token: MakeToken
) -> None:
    made: list[dict[str, Any]] = []
    real_server = grpc.aio.server

    def recording_server(*args: Any, **kwargs: Any) -> grpc.aio.Server:
        made.append(kwargs)
        return real_server(*args, **kwargs)

    monkeypatch.setattr(server_module.grpc.aio, "server", recording_server)
    settings = make_settings(auth_enabled=True, jwt_hs256_key_file=dev_key_file)
    async with serve(settings, validator_definition(ScriptedValidator())) as running:
        assert made and not made[0].get("interceptors")  # no per-call interceptor machinery
        # Wrapped at registration, yet no series for a method before its first call (as before).
        duration = "aisec_grpc_request_duration_seconds_count"
        for method in (VALIDATE, VALIDATE_BATCH):
            assert running.registry.get_sample_value(duration, {"service": "test", "method": method}) is None
        async with grpc.aio.insecure_channel(running.target) as channel:
            stub = validator_pb2_grpc.ValidatorServiceStub(channel)
            with pytest.raises(grpc.aio.AioRpcError) as missing:
                await stub.Validate(validate_request(), timeout=5)
            assert missing.value.code() == grpc.StatusCode.UNAUTHENTICATED
            reply = await stub.Validate(
                validate_request(), metadata=bearer(make_token(scopes=["validator:validate"])), timeout=5
            )
            assert reply.decision.allowed
            with pytest.raises(grpc.aio.AioRpcError) as scope:
                await stub.Validate(validate_request(), metadata=bearer(make_token(scopes=["other"])), timeout=5)
            assert scope.value.code() == grpc.StatusCode.PERMISSION_DENIED
            with pytest.raises(grpc.aio.AioRpcError) as unlisted:
                await stub.ListPolicies(
                    validator_pb2.ListPoliciesRequest(), metadata=bearer(make_token(scopes=["admin"])), timeout=5
                )
            assert unlisted.value.code() == grpc.StatusCode.PERMISSION_DENIED
        assert await health_status(running.target) == SERVING  # public, no token
        assert running.registry.get_sample_value(duration, {"service": "test", "method": VALIDATE}) == 3
        assert running.registry.get_sample_value(duration, {"service": "test", "method": VALIDATE_BATCH}) is None
        assert sample(running.registry, "aisec_grpc_requests_total", service="test", method=VALIDATE, code="OK") == 1
        assert sample(
            running.registry, "aisec_grpc_requests_total", service="test", method=VALIDATE, code="UNAUTHENTICATED"
        ) == 1
        assert sample(
            running.registry, "aisec_grpc_requests_total", service="test", method=LIST_POLICIES,
            code="PERMISSION_DENIED",
        ) == 1  # fmt: skip


class RecordingServer:
    def __init__(self) -> None:
        self.generic: list[grpc.GenericRpcHandler] = []
        self.registered: dict[str, dict[str, grpc.RpcMethodHandler]] = {}
        self.other_calls = 0

    def add_generic_rpc_handlers(self, handlers: Any) -> None:
        self.generic.extend(handlers)

    def add_registered_method_handlers(self, service: str, handlers: dict[str, grpc.RpcMethodHandler]) -> None:
        self.registered[service] = dict(handlers)

    def something_else(self) -> int:
        self.other_calls += 1
        return 7


class Details(grpc.HandlerCallDetails):
    def __init__(self, method: str) -> None:
        self.method = method
        self.invocation_metadata = ()


def test_register_wraps_every_handler_once_and_leaves_public_methods() -> None:
    admission = AdmissionInterceptor(
        "test", {VALIDATE: None, VALIDATE_BATCH: None}, None, None, ServerMetrics("test", CollectorRegistry())
    )
    servicer = ScriptedValidator()
    server = RecordingServer()
    admission.register(lambda s: validator_pb2_grpc.add_ValidatorServiceServicer_to_server(servicer, s), server)  # type: ignore[arg-type]

    plain = RecordingServer()
    validator_pb2_grpc.add_ValidatorServiceServicer_to_server(servicer, plain)  # type: ignore[arg-type]
    registered, original = server.registered[VALIDATOR], plain.registered[VALIDATOR]
    assert registered.keys() == original.keys()
    for name, handler in registered.items():
        assert handler.unary_unary is not None and original[name].unary_unary is not None
        assert "_wrap" in handler.unary_unary.__qualname__  # behind the admission
        assert "_wrap" not in original[name].unary_unary.__qualname__
    (generic,) = server.generic
    (plain_generic,) = plain.generic
    for name in registered:
        method = f"/{VALIDATOR}/{name}"
        assert generic.service(Details(method)) is registered[name]  # one wrapper per method
        unwrapped = plain_generic.service(Details(method))
        assert unwrapped is not None and admission.wrapped(method, unwrapped) is admission.wrapped(method, unwrapped)
    assert generic.service(Details(f"/{VALIDATOR}/Nope")) is None

    health = plain_generic.service(Details(VALIDATE))
    assert health is not None
    assert admission.wrapped("/grpc.health.v1.Health/Check", health) is health  # public: as it is
    # Anything else a registration asks of the server reaches the real one.
    admission.register(lambda s: s.something_else(), server)  # type: ignore[arg-type]
    assert server.other_calls == 1
