"""Rich gRPC errors (google.rpc.Status with details).

Handlers raise a ``ServiceError``; the server interceptor aborts the call with
the matching status and details, so every service answers bad input the same
way: a clear code, a message and machine-readable details.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.protobuf.message import Message
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

DOMAIN = "aisec"


class ServiceError(Exception):
    """A failure to report to the caller as a gRPC status with details."""

    def __init__(self, code: grpc.StatusCode, message: str, details: Sequence[Message] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = list(details)

    def to_status(self) -> grpc.Status:
        packed = []
        for detail in self.details:
            holder = any_pb2.Any()
            holder.Pack(detail)
            packed.append(holder)
        proto = status_pb2.Status(code=self.code.value[0], message=self.message, details=packed)
        return rpc_status.to_status(proto)


def invalid_argument(message: str, violations: Mapping[str, str] | None = None) -> ServiceError:
    """INVALID_ARGUMENT with a BadRequest listing each field and what is wrong."""
    bad = error_details_pb2.BadRequest(
        field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field=field, description=description)
            for field, description in (violations or {}).items()
        ]
    )
    return ServiceError(grpc.StatusCode.INVALID_ARGUMENT, message, [bad])


def failed_precondition(message: str, violations: Mapping[str, str] | None = None) -> ServiceError:
    failure = error_details_pb2.PreconditionFailure(
        violations=[
            error_details_pb2.PreconditionFailure.Violation(type=kind, description=description)
            for kind, description in (violations or {}).items()
        ]
    )
    return ServiceError(grpc.StatusCode.FAILED_PRECONDITION, message, [failure])


def not_found(message: str, resource_type: str, resource_name: str) -> ServiceError:
    info = error_details_pb2.ResourceInfo(resource_type=resource_type, resource_name=resource_name)
    return ServiceError(grpc.StatusCode.NOT_FOUND, message, [info])


def already_exists(message: str, resource_type: str, resource_name: str) -> ServiceError:
    info = error_details_pb2.ResourceInfo(resource_type=resource_type, resource_name=resource_name)
    return ServiceError(grpc.StatusCode.ALREADY_EXISTS, message, [info])


def error_info(reason: str, metadata: Mapping[str, str] | None = None) -> error_details_pb2.ErrorInfo:
    return error_details_pb2.ErrorInfo(reason=reason, domain=DOMAIN, metadata=dict(metadata or {}))


def unauthenticated(message: str, reason: str) -> ServiceError:
    return ServiceError(grpc.StatusCode.UNAUTHENTICATED, message, [error_info(reason)])


def permission_denied(
    message: str, reason: str = "MISSING_SCOPE", metadata: Mapping[str, str] | None = None
) -> ServiceError:
    return ServiceError(grpc.StatusCode.PERMISSION_DENIED, message, [error_info(reason, metadata)])


def _retry_info(retry_after_s: float) -> error_details_pb2.RetryInfo:
    delay = duration_pb2.Duration()
    delay.FromMilliseconds(max(1, round(retry_after_s * 1000)))
    return error_details_pb2.RetryInfo(retry_delay=delay)


def resource_exhausted(message: str, retry_after_s: float, subject: str, description: str) -> ServiceError:
    """RESOURCE_EXHAUSTED with RetryInfo and QuotaFailure."""
    quota = error_details_pb2.QuotaFailure(
        violations=[error_details_pb2.QuotaFailure.Violation(subject=subject, description=description)]
    )
    return ServiceError(
        grpc.StatusCode.RESOURCE_EXHAUSTED,
        message,
        [_retry_info(retry_after_s), quota, error_info("RATE_LIMITED")],
    )


def unavailable(message: str, retry_after_s: float = 1.0) -> ServiceError:
    return ServiceError(grpc.StatusCode.UNAVAILABLE, message, [_retry_info(retry_after_s)])


def aborted(
    message: str, reason: str, metadata: Mapping[str, str] | None = None, retry_after_s: float = 1.0
) -> ServiceError:
    """A concurrency conflict (e.g. a compare-and-swap lost every attempt): retry the whole call."""
    return ServiceError(grpc.StatusCode.ABORTED, message, [error_info(reason, metadata), _retry_info(retry_after_s)])


def data_loss(message: str, metadata: Mapping[str, str] | None = None) -> ServiceError:
    return ServiceError(grpc.StatusCode.DATA_LOSS, message, [error_info("INTEGRITY_CHECK_FAILED", metadata)])


def unimplemented(message: str) -> ServiceError:
    return ServiceError(grpc.StatusCode.UNIMPLEMENTED, message)


def internal(message: str = "internal error") -> ServiceError:
    return ServiceError(grpc.StatusCode.INTERNAL, message)


def details_of(error: grpc.RpcError) -> list[Message]:
    """Decode the rich details of a received error (client side and tests)."""
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    if status is None:
        return []
    decoded: list[Message] = []
    for holder in status.details:
        for kind in (
            error_details_pb2.BadRequest,
            error_details_pb2.ErrorInfo,
            error_details_pb2.RetryInfo,
            error_details_pb2.QuotaFailure,
            error_details_pb2.ResourceInfo,
            error_details_pb2.PreconditionFailure,
        ):
            if holder.Is(kind.DESCRIPTOR):
                message = kind()
                holder.Unpack(message)
                decoded.append(message)
    return decoded


STATUS_NAMES = {code.value[0]: code.name for code in grpc.StatusCode}
assert code_pb2.INVALID_ARGUMENT == grpc.StatusCode.INVALID_ARGUMENT.value[0]
