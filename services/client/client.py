"""Python client for the AISec services (sync and async).

Handles the target, bearer token, TLS/mTLS, deadlines, retries on
UNAVAILABLE with jittered exponential backoff, and a per-call failure policy:
fail-closed (the default: an unanswered check counts as a denial) or
fail-open (an unanswered check counts as allowed, with a warning).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import grpc
from aisec.audit.v1 import audit_pb2_grpc
from aisec.common.v1 import common_pb2
from aisec.guard.v1 import guard_pb2, guard_pb2_grpc
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc
from aisec.vault.v1 import vault_pb2_grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

T = TypeVar("T")

RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE})
UNANSWERED = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED})


class FailurePolicy(StrEnum):
    FAIL_CLOSED = "fail-closed"
    FAIL_OPEN = "fail-open"


@dataclass(frozen=True)
class TlsConfig:
    ca_file: Path | None = None
    cert_file: Path | None = None  # client certificate for mTLS
    key_file: Path | None = None
    server_name: str | None = None

    def credentials(self) -> grpc.ChannelCredentials:
        ca = Path(self.ca_file).read_bytes() if self.ca_file else None
        cert = Path(self.cert_file).read_bytes() if self.cert_file else None
        key = Path(self.key_file).read_bytes() if self.key_file else None
        return grpc.ssl_channel_credentials(root_certificates=ca, private_key=key, certificate_chain=cert)


def _channel_options(tls: TlsConfig | None, max_message_bytes: int) -> list[tuple[str, Any]]:
    options: list[tuple[str, Any]] = [
        ("grpc.max_receive_message_length", max_message_bytes),
        ("grpc.max_send_message_length", max_message_bytes),
    ]
    if tls is not None and tls.server_name:
        options.append(("grpc.ssl_target_name_override", tls.server_name))
    return options


def _backoff(attempt: int, base_s: float = 0.05, cap_s: float = 2.0) -> float:
    return random.uniform(0, min(cap_s, base_s * (2**attempt)))


def unanswered_validation(policy: FailurePolicy, code: grpc.StatusCode, request_id: str = "") -> Any:
    """The decision a failure policy gives when the validator did not answer."""
    allowed = policy is FailurePolicy.FAIL_OPEN
    return validator_pb2.ValidateResponse(
        request_id=request_id,
        decision=common_pb2.Decision(
            allowed=allowed,
            reason="FAIL_OPEN" if allowed else "VALIDATOR_UNAVAILABLE",
            message=f"validator did not answer ({code.name}); failure policy {policy.value}",
            warnings=[f"validator unavailable: {code.name}"] if allowed else [],
        ),
    )


def validate_request(text: str, source: int, policy: str, request_id: str) -> validator_pb2.ValidateRequest:
    return validator_pb2.ValidateRequest(
        meta=common_pb2.RequestMeta(request_id=request_id),
        input=validator_pb2.Input(text=text, source=source),  # type: ignore[arg-type]
        policy=policy,
    )


class _Base:
    def __init__(
        self,
        target: str,
        token: str | None = None,
        *,
        tls: TlsConfig | None = None,
        timeout_s: float = 10.0,
        retries: int = 3,
        max_message_bytes: int = 16 * 1024 * 1024,
    ) -> None:
        self.target = target
        self.token = token
        self.tls = tls
        self.timeout_s = timeout_s
        self.retries = retries
        self.max_message_bytes = max_message_bytes

    def metadata(self, request_id: str | None = None) -> list[tuple[str, str]]:
        md = []
        if self.token:
            md.append(("authorization", f"Bearer {self.token}"))
        if request_id:
            md.append(("x-request-id", request_id))
        return md


class AisecClient(_Base):
    """Blocking client. One channel per target; stubs for every service."""

    def __init__(self, target: str, token: str | None = None, **kwargs: Any) -> None:
        super().__init__(target, token, **kwargs)
        options = _channel_options(self.tls, self.max_message_bytes)
        if self.tls is not None:
            self.channel = grpc.secure_channel(target, self.tls.credentials(), options=options)
        else:
            self.channel = grpc.insecure_channel(target, options=options)
        self.validator = validator_pb2_grpc.ValidatorServiceStub(self.channel)
        self.guard = guard_pb2_grpc.GuardServiceStub(self.channel)
        self.vault = vault_pb2_grpc.VaultServiceStub(self.channel)
        self.audit = audit_pb2_grpc.AuditServiceStub(self.channel)
        self.health = health_pb2_grpc.HealthStub(self.channel)

    def __enter__(self) -> AisecClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.channel.close()

    def call(self, method: Callable[..., T], request: Any, *, timeout_s: float | None = None) -> T:
        """Unary call with deadline, auth metadata and retries on UNAVAILABLE."""
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            try:
                return method(request, timeout=max(0.001, remaining), metadata=self.metadata())
            except grpc.RpcError as exc:
                if exc.code() not in RETRYABLE or attempt >= self.retries:
                    raise
                pause = _backoff(attempt)
                if time.monotonic() + pause >= deadline:
                    raise
                time.sleep(pause)
                attempt += 1

    def stream(self, method: Callable[..., Any], request: Any, *, timeout_s: float | None = None) -> Any:
        """Server- or bidi-streaming call (no retries: streams are not idempotent)."""
        return method(request, timeout=timeout_s, metadata=self.metadata())

    def check_health(self, service: str = "", timeout_s: float = 2.0) -> int:
        response = self.health.Check(health_pb2.HealthCheckRequest(service=service), timeout=timeout_s)
        return int(response.status)

    def validate(
        self,
        text: str,
        *,
        source: int = validator_pb2.SOURCE_USER,
        policy: str = "",
        request_id: str = "",
        failure_policy: FailurePolicy = FailurePolicy.FAIL_CLOSED,
        timeout_s: float | None = None,
    ) -> validator_pb2.ValidateResponse:
        request = validate_request(text, source, policy, request_id)
        try:
            return self.call(self.validator.Validate, request, timeout_s=timeout_s)
        except grpc.RpcError as exc:
            if exc.code() in UNANSWERED:
                return unanswered_validation(failure_policy, exc.code(), request_id)
            raise

    def redact(self, text: str, *, policy: str = "", request_id: str = "", timeout_s: float | None = None) -> Any:
        request = guard_pb2.RedactRequest(
            meta=common_pb2.RequestMeta(request_id=request_id), text=text, policy=policy
        )
        return self.call(self.guard.Redact, request, timeout_s=timeout_s)


class AsyncAisecClient(_Base):
    """asyncio client with the same behaviour as AisecClient."""

    def __init__(self, target: str, token: str | None = None, **kwargs: Any) -> None:
        super().__init__(target, token, **kwargs)
        options = _channel_options(self.tls, self.max_message_bytes)
        if self.tls is not None:
            self.channel = grpc.aio.secure_channel(target, self.tls.credentials(), options=options)
        else:
            self.channel = grpc.aio.insecure_channel(target, options=options)
        self.validator = validator_pb2_grpc.ValidatorServiceStub(self.channel)
        self.guard = guard_pb2_grpc.GuardServiceStub(self.channel)
        self.vault = vault_pb2_grpc.VaultServiceStub(self.channel)
        self.audit = audit_pb2_grpc.AuditServiceStub(self.channel)
        self.health = health_pb2_grpc.HealthStub(self.channel)

    async def __aenter__(self) -> AsyncAisecClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self.channel.close()

    async def call(self, method: Callable[..., Any], request: Any, *, timeout_s: float | None = None) -> Any:
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            try:
                return await method(request, timeout=max(0.001, remaining), metadata=self.metadata())
            except grpc.RpcError as exc:
                if exc.code() not in RETRYABLE or attempt >= self.retries:
                    raise
                pause = _backoff(attempt)
                if time.monotonic() + pause >= deadline:
                    raise
                await asyncio.sleep(pause)
                attempt += 1

    async def validate(
        self,
        text: str,
        *,
        source: int = validator_pb2.SOURCE_USER,
        policy: str = "",
        request_id: str = "",
        failure_policy: FailurePolicy = FailurePolicy.FAIL_CLOSED,
        timeout_s: float | None = None,
    ) -> validator_pb2.ValidateResponse:
        request = validate_request(text, source, policy, request_id)
        try:
            return await self.call(self.validator.Validate, request, timeout_s=timeout_s)
        except grpc.RpcError as exc:
            if exc.code() in UNANSWERED:
                return unanswered_validation(failure_policy, exc.code(), request_id)
            raise

    async def validate_batch(self, texts: Sequence[str], *, policy: str = "") -> Any:
        request = validator_pb2.ValidateBatchRequest(
            inputs=[validator_pb2.Input(id=str(i), text=t) for i, t in enumerate(texts)], policy=policy
        )
        return await self.call(self.validator.ValidateBatch, request)
