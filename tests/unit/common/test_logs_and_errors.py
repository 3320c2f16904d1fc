"""JSON logs never carry exception text; ServiceError helpers build rich statuses."""

from __future__ import annotations

import json
import logging
import sys

import grpc
from google.rpc import error_details_pb2, status_pb2

from services.common import errors
from services.common.logs import JsonFormatter

SECRET = "sk-live-should-never-be-logged"


def test_json_log_has_extras_and_only_the_exception_type() -> None:
    formatter = JsonFormatter("validator")
    try:
        raise RuntimeError(f"connect failed with password {SECRET}")
    except RuntimeError:
        record = logging.getLogger("aisec.test").makeRecord(
            "aisec.test",
            logging.ERROR,
            __file__,
            1,
            "unhandled error",
            (),
            sys.exc_info(),
            extra={"method": "/x.Y/Z", "request_id": "r-1"},
        )
    line = formatter.format(record)
    entry = json.loads(line)
    assert entry["service"] == "validator"
    assert entry["msg"] == "unhandled error"
    assert entry["method"] == "/x.Y/Z" and entry["request_id"] == "r-1"
    assert entry["error"] == "RuntimeError"
    assert entry["level"] == "error"
    assert entry["ts"].endswith("Z")
    assert SECRET not in line


def decode(error: errors.ServiceError) -> tuple[grpc.StatusCode, str, list[object]]:
    status = error.to_status()
    [(key, value)] = status.trailing_metadata
    assert key == "grpc-status-details-bin"
    proto = status_pb2.Status.FromString(value)
    kinds = [
        error_details_pb2.BadRequest,
        error_details_pb2.ErrorInfo,
        error_details_pb2.RetryInfo,
        error_details_pb2.QuotaFailure,
        error_details_pb2.ResourceInfo,
        error_details_pb2.PreconditionFailure,
    ]
    details: list[object] = []
    for holder in proto.details:
        for kind in kinds:
            if holder.Is(kind.DESCRIPTOR):
                message = kind()
                holder.Unpack(message)
                details.append(message)
    assert proto.code == status.code.value[0]
    return status.code, proto.message, details


def test_error_helpers_map_to_codes_and_details() -> None:
    code, message, [bad] = decode(errors.invalid_argument("bad", {"text": "too long"}))
    assert code is grpc.StatusCode.INVALID_ARGUMENT and message == "bad"
    assert isinstance(bad, error_details_pb2.BadRequest) and bad.field_violations[0].field == "text"

    code, _, [info] = decode(errors.not_found("no model", "model", "llama"))
    assert code is grpc.StatusCode.NOT_FOUND
    assert isinstance(info, error_details_pb2.ResourceInfo) and info.resource_name == "llama"

    code, _, [info] = decode(errors.permission_denied("no", "MISSING_SCOPE", {"required_scope": "a"}))
    assert code is grpc.StatusCode.PERMISSION_DENIED
    assert isinstance(info, error_details_pb2.ErrorInfo) and info.domain == "aisec"

    code, _, details = decode(errors.resource_exhausted("slow down", 0.25, "tenant:acme", "1 rps"))
    assert code is grpc.StatusCode.RESOURCE_EXHAUSTED
    retry = next(d for d in details if isinstance(d, error_details_pb2.RetryInfo))
    assert retry.retry_delay.ToMilliseconds() == 250
    assert any(isinstance(d, error_details_pb2.QuotaFailure) for d in details)

    code, _, [retry] = decode(errors.unavailable("down", retry_after_s=0.0001))
    assert code is grpc.StatusCode.UNAVAILABLE
    assert isinstance(retry, error_details_pb2.RetryInfo) and retry.retry_delay.ToMilliseconds() == 1

    code, _, [info, retry] = decode(errors.aborted("raced", "CONCURRENT_CHANGE", {"model_version": "m/1"}))
    assert code is grpc.StatusCode.ABORTED
    assert isinstance(info, error_details_pb2.ErrorInfo) and info.reason == "CONCURRENT_CHANGE"
    assert dict(info.metadata) == {"model_version": "m/1"}
    assert isinstance(retry, error_details_pb2.RetryInfo) and retry.retry_delay.ToMilliseconds() == 1000

    code, _, [failure] = decode(errors.failed_precondition("stale", {"VERSION": "changed"}))
    assert code is grpc.StatusCode.FAILED_PRECONDITION and isinstance(
        failure, error_details_pb2.PreconditionFailure
    )

    code, _, [info] = decode(errors.data_loss("digest mismatch"))
    assert code is grpc.StatusCode.DATA_LOSS
    assert isinstance(info, error_details_pb2.ErrorInfo) and info.reason == "INTEGRITY_CHECK_FAILED"

    assert decode(errors.unimplemented("later"))[0] is grpc.StatusCode.UNIMPLEMENTED
    assert decode(errors.internal())[1] == "internal error"
