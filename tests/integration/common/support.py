"""A tiny scripted ValidatorService and helpers to run it with ``serve()``.

The servicer's behaviour is chosen by the input text, so one server covers
success, slow in-flight calls, rich errors, crashes and transient failures.
It never depends on the real validator.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import grpc
from aisec.common.v1 import common_pb2
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common import errors
from services.common.auth import current_identity
from services.common.server import ServiceDefinition
from services.common.settings import ServiceSettings, load_settings

VALIDATOR = "aisec.validator.v1.ValidatorService"
VALIDATE = f"/{VALIDATOR}/Validate"
VALIDATE_BATCH = f"/{VALIDATOR}/ValidateBatch"
LIST_POLICIES = f"/{VALIDATOR}/ListPolicies"  # deliberately absent from the scope map
SECRET_TEXT = "sk-live-do-not-leak-0123456789"

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


class ScriptedValidator(validator_pb2_grpc.ValidatorServiceServicer):
    """Input text picks the behaviour:

    - ``slow``: signal ``started``, wait for ``release``, then answer;
    - ``invalid``: raise errors.invalid_argument (BadRequest);
    - ``boom``: raise an unexpected exception whose text must not leak;
    - ``abort`` / ``set-code``: answer NOT_FOUND with plain grpc (context.abort / set_code);
    - anything else: answer allowed, with the caller's subject/tenant in the message.

    ``fail_first`` makes the first N calls answer UNAVAILABLE.
    """

    def __init__(self, fail_first: int = 0) -> None:
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.fail_first = fail_first
        self.calls = 0

    async def Validate(
        self, request: validator_pb2.ValidateRequest, context: grpc.aio.ServicerContext
    ) -> validator_pb2.ValidateResponse:
        self.calls += 1
        if self.calls <= self.fail_first:
            raise errors.unavailable("warming up", retry_after_s=0.01)
        text = request.input.text
        if text == "slow":
            self.started.set()
            await self.release.wait()
        elif text == "invalid":
            raise errors.invalid_argument("input is not acceptable", {"input.text": "must not be 'invalid'"})
        elif text == "boom":
            raise RuntimeError(f"database password {SECRET_TEXT}")
        elif text == "abort":
            await context.abort(grpc.StatusCode.NOT_FOUND, "aborted by the handler")
        elif text == "set-code":
            context.set_code(grpc.StatusCode.NOT_FOUND)
            context.set_details("set by the handler")
            return validator_pb2.ValidateResponse()
        who = current_identity()
        return validator_pb2.ValidateResponse(
            request_id=request.meta.request_id,
            input_id=request.input.id,
            decision=common_pb2.Decision(
                allowed=True, reason="ALLOWED", message=f"{who.subject}@{who.tenant}"
            ),
        )

    async def ValidateBatch(
        self, request: validator_pb2.ValidateBatchRequest, context: grpc.aio.ServicerContext
    ) -> validator_pb2.ValidateBatchResponse:
        return validator_pb2.ValidateBatchResponse(
            results=[validator_pb2.ValidateResponse(input_id=item.id) for item in request.inputs]
        )


def validator_definition(
    servicer: ScriptedValidator,
    *,
    health_checks: Sequence[Callable[[], Awaitable[bool]]] = (),
    extra_full_names: Sequence[str] = (),
) -> ServiceDefinition:
    """Validate needs ``validator:validate``; ValidateBatch any authenticated caller;
    ListPolicies is not in the map (refused)."""
    return ServiceDefinition(
        name="test",
        full_names=[VALIDATOR, *extra_full_names],
        register=lambda server: validator_pb2_grpc.add_ValidatorServiceServicer_to_server(servicer, server),
        method_scopes={VALIDATE: "validator:validate", VALIDATE_BATCH: None},
        health_checks=health_checks,
    )


def make_settings(**overrides: Any) -> ServiceSettings:
    """Loopback, port 0, no auth, quick shutdown; ``overrides`` win."""
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": 0,
        "metrics_host": "127.0.0.1",
        "auth_enabled": False,
        "grace_period_s": 5.0,
        "health_check_interval_s": 0.05,
        "state_dir": Path("/nonexistent-state"),
    }
    values.update(overrides)
    return load_settings(ServiceSettings, **values)


def validate_request(text: str = "hello", request_id: str = "req-1") -> validator_pb2.ValidateRequest:
    return validator_pb2.ValidateRequest(
        meta=common_pb2.RequestMeta(request_id=request_id), input=validator_pb2.Input(id="in-1", text=text)
    )


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


async def health_status(target: str, service: str = VALIDATOR, credentials: Any = None) -> int:
    channel = (
        grpc.aio.secure_channel(target, credentials) if credentials else grpc.aio.insecure_channel(target)
    )
    async with channel:
        reply = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=service), timeout=5
        )
        return int(reply.status)


async def wait_for_status(
    target: str, wanted: int, service: str = VALIDATOR, timeout_s: float = 10.0
) -> None:
    """Poll health until it reports ``wanted`` (bounded; fails with the last status)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    status = -1
    while loop.time() < deadline:
        status = await health_status(target, service)
        if status == wanted:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"health of {service} stayed {status}, wanted {wanted}")


def sample(registry: CollectorRegistry, name: str, **labels: str) -> float:
    """A metric sample's value, 0 when the series does not exist yet."""
    value = registry.get_sample_value(name, labels)
    return 0.0 if value is None else value
