"""gRPC handlers for aisec.validator.v1.ValidatorService.

Auth, scopes, rate limits and error mapping are done by the shared interceptor;
handlers validate arguments, run the engine, record metrics and emit one audit
event per decision (keyed hash of the input, never the text).
"""

from __future__ import annotations

import math
import os
import time
from collections import deque

import grpc
from aisec.audit.v1 import audit_pb2
from aisec.common.v1 import common_pb2
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common import errors
from services.common.auth import ADMIN_SCOPE, Identity, current_identity
from services.common.emitter import AuditEmitter
from services.common.interceptors import metadata_of
from services.common.server import ServiceDefinition
from services.validator.engine import ValidatorEngine, Verdict
from services.validator.layers import DecodeLimits
from services.validator.limits import batch_overflow
from services.validator.metrics import ValidatorMetrics
from services.validator.policy import Policy, PolicyStore
from services.validator.settings import ValidatorSettings

SERVICE_NAME = "aisec.validator.v1.ValidatorService"
SCOPE = "validator:validate"
_VALIDATE_METHOD = f"/{SERVICE_NAME}/Validate"
METHOD_SCOPES = {
    f"/{SERVICE_NAME}/Validate": SCOPE,
    f"/{SERVICE_NAME}/ValidateBatch": SCOPE,
    f"/{SERVICE_NAME}/ListPolicies": SCOPE,
}
SOURCE_NAMES: dict[int, str] = {
    validator_pb2.SOURCE_UNSPECIFIED: "user",
    validator_pb2.SOURCE_USER: "user",
    validator_pb2.SOURCE_DOCUMENT: "document",
    validator_pb2.SOURCE_TOOL_OUTPUT: "tool_output",
}
_ACTION_NAMES: dict[int, str] = {
    common_pb2.ACTION_ENFORCE: "enforce",
    common_pb2.ACTION_WARN: "warn",
    common_pb2.ACTION_DRY_RUN: "dry_run",
}


def source_name(source: int, field: str) -> str:
    name = SOURCE_NAMES.get(source)
    if name is None:
        raise errors.invalid_argument(f"unknown source {source}", {field: "must be a Source enum value"})
    return name


# Responses without findings or notes (most of them) differ only in request and input id: each shape
# is built once and copied (a C-level copy), the ids set on the copy.
_PLAIN_RESPONSES: dict[tuple[object, ...], validator_pb2.ValidateResponse] = {}


def verdict_to_proto(
    verdict: Verdict, request_id: str, input_id: str, source: int
) -> validator_pb2.ValidateResponse:
    if verdict.findings or verdict.notes or (verdict.score == 0.0 and math.copysign(1.0, verdict.score) < 0):
        return _build_response(verdict, request_id, input_id, source)  # (-0.0 equals 0.0 as a key)
    key = (
        verdict.allowed, verdict.reason, verdict.message, verdict.warnings, verdict.score, verdict.policy,
        verdict.policy_revision, verdict.dry_run, source,
    )  # fmt: skip
    try:
        template = _PLAIN_RESPONSES.get(key)
    except TypeError:  # an unhashable field (e.g. warnings as a list): build it field by field
        return _build_response(verdict, request_id, input_id, source)
    if template is None:
        template = _build_response(verdict, "", "", source)
        if len(_PLAIN_RESPONSES) < 1024:  # shapes are few (policies x reasons); a safety net
            _PLAIN_RESPONSES[key] = template
    response = validator_pb2.ValidateResponse()
    response.CopyFrom(template)
    response.request_id = request_id
    if input_id:
        response.input_id = input_id
    return response


def _build_response(
    verdict: Verdict, request_id: str, input_id: str, source: int
) -> validator_pb2.ValidateResponse:
    response = validator_pb2.ValidateResponse(
        request_id=request_id,
        input_id=input_id,
        decision=common_pb2.Decision(
            allowed=verdict.allowed, reason=verdict.reason, message=verdict.message, warnings=verdict.warnings
        ),
        score=verdict.score,
        policy=verdict.policy,
        policy_revision=verdict.policy_revision,
        dry_run=verdict.dry_run,
        source=source or validator_pb2.SOURCE_USER,  # type: ignore[arg-type]
    )
    for finding in verdict.findings:
        response.findings.add(
            rule_id=finding.rule_id,
            category=finding.category,
            severity=finding.severity,  # type: ignore[arg-type]
            message=finding.message,
            start=finding.start,
            end=finding.end,
            score=finding.score,
            action=finding.action,  # type: ignore[arg-type]
            decodings=finding.decodings,
        )
    for note in verdict.notes:
        response.transformations.add(kind=note.kind, count=note.count, start=note.start, end=note.end)
    return response


class ValidatorServicer(validator_pb2_grpc.ValidatorServiceServicer):
    def __init__(
        self, engine: ValidatorEngine, policies: PolicyStore, metrics: ValidatorMetrics, emitter: AuditEmitter
    ) -> None:
        self._engine = engine
        self._policies = policies
        self._metrics = metrics
        self._emitter = emitter

    def _policy(self, name: str, meta: common_pb2.RequestMeta) -> Policy:
        identity = current_identity()
        tenant = meta.tenant or identity.tenant
        if meta.tenant and meta.tenant != identity.tenant and not identity.has_scope(ADMIN_SCOPE):
            raise errors.permission_denied(
                "tenant does not match the caller's token", reason="TENANT_MISMATCH"
            )
        policy_set = self._policies.current
        policy = policy_set.resolve(name, tenant)
        if policy is None:
            known = ", ".join(sorted(policy_set.policies))
            raise errors.invalid_argument(f"unknown policy {name!r}", {"policy": f"must be one of: {known}"})
        return policy

    def _judge(
        self, item: validator_pb2.Input, source: str, policy: Policy, dry_run: bool, request_id: str,
        method: str, meta: common_pb2.RequestMeta,
    ) -> validator_pb2.ValidateResponse:  # fmt: skip
        text = item.text  # each read of a string field builds a new str: read it once
        started = time.perf_counter()
        verdict = self._engine.evaluate(text, source, policy, dry_run)
        elapsed = time.perf_counter() - started
        self._record(verdict, source, len(text), elapsed)
        self._audit(verdict, text, request_id, method, meta, elapsed)
        return verdict_to_proto(verdict, request_id, item.id, item.source)

    def _record(self, verdict: Verdict, source: str, length: int, elapsed: float) -> None:
        m = self._metrics
        decisions, scores = m.outcome(verdict.allowed, verdict.reason, source)
        decisions.inc()
        scores.observe(verdict.score)
        m.input_chars_hot.observe(length)
        m.pipeline_seconds_hot.observe(elapsed)
        for finding in verdict.findings:
            m.finding(finding.category, _ACTION_NAMES.get(finding.action, "enforce"), source).inc()

    def _audit(
        self,
        verdict: Verdict,
        text: str,
        request_id: str,
        method: str,
        meta: common_pb2.RequestMeta,
        elapsed: float,
    ) -> None:
        # Only the keyed hash of the input is computed here (the text must not be kept); the event
        # itself is built by the emitter's sender task (or when read), off the request path.
        hasher = self._emitter.hasher
        self._emitter.emit_deferred(
            _validation_event,
            current_identity(),
            meta.tenant,
            meta.model,
            request_id,
            method,
            verdict,
            int(elapsed * 1e6),
            len(text),
            hasher.hmac(text),
            hasher.key_id,
        )

    async def Validate(
        self, request: validator_pb2.ValidateRequest, context: grpc.aio.ServicerContext
    ) -> validator_pb2.ValidateResponse:
        item, meta = request.input, request.meta  # each read of a message field builds a new wrapper
        source = source_name(item.source, "input.source")
        policy = self._policy(request.policy, meta)
        request_id = meta.request_id or _metadata_request_id(context) or new_request_id()
        return self._judge(item, source, policy, request.dry_run, request_id, _VALIDATE_METHOD, meta)

    async def ValidateBatch(
        self, request: validator_pb2.ValidateBatchRequest, context: grpc.aio.ServicerContext
    ) -> validator_pb2.ValidateBatchResponse:
        if not request.inputs:
            raise errors.invalid_argument("empty batch", {"inputs": "must contain at least one input"})
        sources = [source_name(item.source, f"inputs[{i}].source") for i, item in enumerate(request.inputs)]
        policy = self._policy(request.policy, request.meta)
        if len(request.inputs) > policy.max_batch_inputs:
            raise errors.invalid_argument(
                f"batch has {len(request.inputs)} inputs; policy {policy.name} allows {policy.max_batch_inputs}",
                {"inputs": f"at most {policy.max_batch_inputs} inputs"},
            )
        request_id = request.meta.request_id or _metadata_request_id(context) or new_request_id()
        method = f"/{SERVICE_NAME}/ValidateBatch"
        cutoff = batch_overflow([len(item.text) for item in request.inputs], policy)
        response = validator_pb2.ValidateBatchResponse(request_id=request_id)
        for index, (item, source) in enumerate(zip(request.inputs, sources, strict=True)):
            if index >= cutoff:
                verdict = _batch_too_long(policy, request.dry_run)
                self._record(verdict, source, len(item.text), 0.0)
                self._audit(verdict, item.text, request_id, method, request.meta, 0.0)
                response.results.append(verdict_to_proto(verdict, request_id, item.id, item.source))
                continue
            response.results.append(
                self._judge(item, source, policy, request.dry_run, request_id, method, request.meta)
            )
        return response

    async def ListPolicies(
        self, request: validator_pb2.ListPoliciesRequest, context: grpc.aio.ServicerContext
    ) -> validator_pb2.ListPoliciesResponse:
        policy_set = self._policies.current
        response = validator_pb2.ListPoliciesResponse()
        for name in sorted(policy_set.policies):
            policy = policy_set.policies[name]
            response.policies.add(
                name=name,
                revision=policy.revision,
                threshold=policy.threshold,
                detectors=sorted(policy.detectors),
            )
        return response


def _batch_too_long(policy: Policy, dry_run: bool) -> Verdict:
    return Verdict(
        allowed=dry_run,
        reason="INPUT_TOO_LONG",
        message=f"batch exceeds {policy.max_batch_chars} characters allowed by policy {policy.name}",
        warnings=(),
        findings=(),
        score=1.0,
        notes=(),
        policy=policy.name,
        policy_revision=policy.revision,
        dry_run=dry_run,
    )


def _metadata_request_id(context: grpc.aio.ServicerContext) -> str:
    return metadata_of(context).get("x-request-id", "")


# Random bytes for request ids, read from the OS 4 KiB at a time (one getrandom call per 256 ids
# instead of one per call; the same source as uuid4) and handed out 16 at a time by deque.popleft,
# which is atomic: no two callers get the same bytes. Ids are not secrets: they are returned to callers.
_ID_POOL_BYTES = 4096
_id_pool: deque[bytes] = deque()

# A forked child must not hand out the ids its parent will.
os.register_at_fork(after_in_child=_id_pool.clear)


def new_request_id() -> str:
    """A random (version 4) UUID as 32 hex digits, like ``uuid.uuid4().hex`` without the UUID object."""
    while True:
        try:
            raw = bytearray(_id_pool.popleft())
            break
        except IndexError:
            block = os.urandom(_ID_POOL_BYTES)
            _id_pool.extend(block[i : i + 16] for i in range(0, _ID_POOL_BYTES, 16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    return raw.hex()


def _validation_event(
    identity: Identity, meta_tenant: str, model: str, request_id: str, method: str, verdict: Verdict,
    latency_us: int, input_length: int, input_hmac: bytes, hash_key_id: str,
) -> audit_pb2.Event:  # fmt: skip
    """The audit event of one decision: keyed hash of the input only, never the text."""
    counts: dict[str, int] = {}
    for finding in verdict.findings:
        counts[finding.category] = counts.get(finding.category, 0) + 1
    return audit_pb2.Event(
        type=audit_pb2.EVENT_TYPE_VALIDATION,
        subject=identity.subject,
        tenant=meta_tenant or identity.tenant,
        model=model,
        request_id=request_id,
        method=method,
        action="allow" if verdict.allowed else "deny",
        reason=verdict.reason,
        finding_counts=counts,
        latency_us=latency_us,
        input_length=input_length,
        input_hmac=input_hmac,
        hash_key_id=hash_key_id,
        status="OK",
    )


async def build_service(
    settings: ValidatorSettings, registry: CollectorRegistry, emitter: AuditEmitter,
    engine: ValidatorEngine | None = None,
) -> ServiceDefinition:  # fmt: skip
    """Everything the shared server needs to run the validator."""
    metrics = ValidatorMetrics(registry)
    policies = PolicyStore(settings.policy_file, on_reload=metrics.policy_reloads.record)
    if engine is None:
        engine = ValidatorEngine(
            limits=DecodeLimits(
                max_depth=settings.decode_max_depth,
                max_layers=settings.decode_max_layers,
                max_total_chars=settings.decode_max_total_chars,
            )
        )
    engine.warm_up()
    servicer = ValidatorServicer(engine, policies, metrics, emitter)

    async def watch_policies() -> None:
        await policies.watch(settings.policy_reload_interval_s)

    return ServiceDefinition(
        name="validator",
        full_names=[SERVICE_NAME],
        register=lambda server: validator_pb2_grpc.add_ValidatorServiceServicer_to_server(servicer, server),
        method_scopes=METHOD_SCOPES,
        background=[watch_policies],
    )
