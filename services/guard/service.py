"""The GuardService gRPC handlers and ``build_guard`` (what ``run_main`` serves).

Auth, scopes, rate limits and error mapping come from the shared interceptor;
handlers validate input, build a redaction plan from the policy and the
request, run the redactor and answer. Every response emits one audit event
with counts per entity type (never values).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence

import grpc
import re2
from aisec.audit.v1 import audit_pb2
from aisec.common.v1 import common_pb2
from aisec.guard.v1 import guard_pb2, guard_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common import errors
from services.common.auth import Identity, current_identity
from services.common.emitter import AuditEmitter
from services.common.server import ServiceDefinition
from services.guard.analyzer import Analyzer
from services.guard.canary_store import CanaryStore, MemoryCanaryStore, RedisCanaryStore, fingerprint_key
from services.guard.conversations import ConversationTaggers
from services.guard.keys import load_or_create_key
from services.guard.leaks import DEFAULT_MIN_RUN_WORDS, PromptFingerprint
from services.guard.metrics import GuardMetrics
from services.guard.operators import OperatorConfigError, OperatorEngine, OperatorKind, OperatorSpec
from services.guard.policy import DEFAULT_KEY, DEFAULT_POLICY, Policy, PolicyStore
from services.guard.recognizers.registry import CANARY_ENTITY, ENTITY_TYPES, default_recognizers
from services.guard.redactor import AppliedRedaction, LeakFinding, RedactionPlan, RedactionResult, Redactor
from services.guard.settings import GuardSettings
from services.guard.streaming import StreamRedactor, StreamStep

log = logging.getLogger("aisec.guard")

SERVICE_NAME = "aisec.guard.v1.GuardService"
_PREFIX = f"/{SERVICE_NAME}/"
METHOD_SCOPES: dict[str, str | None] = {
    _PREFIX + "Redact": "guard:redact",
    _PREFIX + "RedactBatch": "guard:redact",
    _PREFIX + "RedactStream": "guard:redact",
    _PREFIX + "Deanonymize": "guard:deanonymize",
    _PREFIX + "RegisterCanary": "guard:admin",
    _PREFIX + "DeleteCanary": "guard:admin",
}
_CANARY_NAME = re2.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

_TO_KIND = {
    guard_pb2.OPERATOR_REDACT: OperatorKind.REDACT,
    guard_pb2.OPERATOR_REPLACE: OperatorKind.REPLACE,
    guard_pb2.OPERATOR_INSTANCE_REPLACE: OperatorKind.INSTANCE_REPLACE,
    guard_pb2.OPERATOR_MASK: OperatorKind.MASK,
    guard_pb2.OPERATOR_HASH: OperatorKind.HASH,
    guard_pb2.OPERATOR_ENCRYPT: OperatorKind.ENCRYPT,
    guard_pb2.OPERATOR_KEEP: OperatorKind.KEEP,
    guard_pb2.OPERATOR_BLOCK: OperatorKind.BLOCK,
}
_TO_PROTO = {kind: value for value, kind in _TO_KIND.items()}
_CANARY_OPERATORS = {"block": OperatorKind.BLOCK, "redact": OperatorKind.REPLACE, "report": OperatorKind.KEEP}
_LEAK_ACTIONS = {
    "block": common_pb2.ACTION_ENFORCE,
    "redact": common_pb2.ACTION_ENFORCE,
    "report": common_pb2.ACTION_DRY_RUN,
}


class GuardService(guard_pb2_grpc.GuardServiceServicer):
    def __init__(
        self,
        settings: GuardSettings,
        policies: PolicyStore,
        redactor: Redactor,
        canaries: CanaryStore,
        taggers: ConversationTaggers,
        metrics: GuardMetrics,
        emitter: AuditEmitter,
    ) -> None:
        self._settings = settings
        self._policies = policies
        self._redactor = redactor
        self._canaries = canaries
        self._taggers = taggers
        self._metrics = metrics
        self._emitter = emitter

    # --- requests -> plans -------------------------------------------------

    def _tenant(self, identity: Identity, requested: str) -> str:
        if requested and requested != identity.tenant and not identity.has_scope("admin"):
            raise errors.permission_denied("tenant differs from the token's tenant", "TENANT_MISMATCH")
        return requested or identity.tenant

    def _policy(self, name: str, tenant: str) -> Policy:
        chosen = name or self._settings.tenant_policies.get(tenant, DEFAULT_POLICY)
        policy = self._policies.get(chosen)
        if policy is None:
            raise errors.invalid_argument("unknown policy", {"policy": f"no policy named {chosen!r}"})
        return policy

    def _plan(
        self,
        tenant: str,
        policy_name: str,
        entities: Sequence[str],
        operators: Mapping[str, guard_pb2.OperatorConfig],
        canaries: Sequence[str],
        system_prompt: str,
        field_prefix: str = "",
    ) -> RedactionPlan:
        settings = self._settings
        policy = self._policy(policy_name, tenant)
        violations: dict[str, str] = {}
        unknown = sorted(set(entities) - ENTITY_TYPES)
        if unknown:
            violations[f"{field_prefix}entities"] = f"unknown entity types: {', '.join(unknown)}"
        merged = dict(policy.operators)
        merged.setdefault(CANARY_ENTITY, OperatorSpec(_CANARY_OPERATORS[policy.canary_action]))
        for entity_type, config in operators.items():
            field = f"{field_prefix}operators[{entity_type}]"
            if entity_type not in ENTITY_TYPES and entity_type not in (DEFAULT_KEY, CANARY_ENTITY):
                violations[field] = "unknown entity type"
                continue
            kind = _TO_KIND.get(config.operator)
            if kind is None:
                violations[f"{field}.operator"] = "operator must be set"
                continue
            try:
                merged[entity_type] = OperatorSpec(
                    kind,
                    config.masking_char or "*",
                    config.chars_to_keep if config.chars_to_keep else 4,
                    config.keep_from_start,
                ).check(field)
            except OperatorConfigError as exc:
                violations[exc.field] = str(exc).split(": ", 1)[1]
        if len(canaries) > settings.max_canaries:
            violations[f"{field_prefix}canaries"] = f"at most {settings.max_canaries} canaries"
        for index, canary in enumerate(canaries):
            if not settings.min_canary_chars <= len(canary) <= settings.max_canary_chars:
                violations[f"{field_prefix}canaries[{index}]"] = (
                    f"length must be between {settings.min_canary_chars} and {settings.max_canary_chars}"
                )
        if len(system_prompt) > settings.max_system_prompt_chars:
            violations[f"{field_prefix}system_prompt"] = (
                f"longer than {settings.max_system_prompt_chars} characters"
            )
        if violations:
            raise errors.invalid_argument("invalid redaction request", violations)
        default = merged.pop(DEFAULT_KEY)
        registrations = self._canaries.for_tenant(tenant)
        all_canaries = tuple(dict.fromkeys([*canaries, *(c for r in registrations for c in r.canaries)]))
        fingerprints = [r.fingerprint for r in registrations if r.fingerprint is not None]
        if system_prompt:
            fingerprints.append(PromptFingerprint.of(system_prompt, policy.min_run_words))
        return RedactionPlan(
            entities=frozenset(entities) if entities else policy.entities,
            operators=merged,
            default_operator=default,
            min_score=policy.min_score,
            canaries=all_canaries,
            fingerprints=tuple(fingerprints),
            system_prompt_action=policy.system_prompt_action,
            tenant=tenant,
            policy_name=policy.name,
        )

    def _check_length(self, text: str, field: str) -> None:
        if len(text) > self._settings.max_text_chars:
            raise errors.invalid_argument(
                "input too long", {field: f"longer than {self._settings.max_text_chars} characters"}
            )

    # --- answers -----------------------------------------------------------

    def _record(
        self, redactions: Iterable[AppliedRedaction], leaks: Iterable[LeakFinding], block_reason: str
    ) -> None:
        for redaction in redactions:
            self._metrics.redactions.labels(redaction.entity_type, redaction.operator.value).inc()
        for leak in leaks:
            self._metrics.leaks.labels(leak.kind).inc()
        if block_reason:
            self._metrics.blocked.labels(block_reason).inc()

    def _audit(
        self,
        identity: Identity,
        tenant: str,
        request_id: str,
        method: str,
        model: str,
        counts: Mapping[str, int],
        blocked: bool,
        reason: str,
        started: float,
        input_text: str | None,
        output_text: str | None,
        input_length: int,
        output_length: int,
    ) -> None:
        hasher = self._emitter.hasher
        event = audit_pb2.Event(
            type=audit_pb2.EVENT_TYPE_REDACTION,
            subject=identity.subject,
            tenant=tenant,
            model=model,
            request_id=request_id,
            method=_PREFIX + method,
            action="block" if blocked else ("redact" if counts else "allow"),
            reason=reason,
            finding_counts=dict(counts),
            latency_us=int((time.perf_counter() - started) * 1e6),
            input_length=input_length,
            output_length=output_length,
            hash_key_id=hasher.key_id,
            status="OK",
        )
        if input_text is not None:
            event.input_hmac = hasher.hmac(input_text)
        if output_text is not None:
            event.output_hmac = hasher.hmac(output_text)
        self._emitter.emit(event)

    @staticmethod
    def _redaction_pb(redaction: AppliedRedaction) -> guard_pb2.Redaction:
        return guard_pb2.Redaction(
            entity_type=redaction.entity_type,
            start=redaction.start,
            end=redaction.end,
            score=redaction.score,
            operator=_TO_PROTO[redaction.operator],
            recognizer=redaction.recognizer,
            output_start=redaction.output_start,
            output_end=redaction.output_end,
        )

    @staticmethod
    def _leak_pb(leak: LeakFinding) -> common_pb2.Finding:
        what = (
            "a registered canary string" if leak.kind == "canary" else "a verbatim run of the system prompt"
        )
        return common_pb2.Finding(
            rule_id=leak.kind,
            category="leak",
            severity=common_pb2.SEVERITY_HIGH,
            message=f"output contains {what}",
            start=leak.start,
            end=leak.end,
            score=1.0,
            action=_LEAK_ACTIONS[leak.action],
        )

    def _response(self, request_id: str, result: RedactionResult) -> guard_pb2.RedactResponse:
        if result.blocked:
            decision = common_pb2.Decision(
                allowed=False, reason=result.block_reason, message="output withheld by policy"
            )
        else:
            decision = common_pb2.Decision(
                allowed=True,
                reason="REDACTED" if result.contains_sensitive else "ALLOWED",
                message=f"{len(result.redactions)} value(s) rewritten"
                if result.redactions
                else "nothing found",
                warnings=[f"{leak.kind} leak reported" for leak in result.leaks if leak.action == "report"],
            )
        return guard_pb2.RedactResponse(
            request_id=request_id,
            text=result.text,
            redactions=[self._redaction_pb(r) for r in result.redactions],
            contains_sensitive=result.contains_sensitive,
            findings=[self._leak_pb(leak) for leak in result.leaks],
            decision=decision,
        )

    async def _redact_one(
        self, request: guard_pb2.RedactRequest, identity: Identity, batch_policy: str, field_prefix: str
    ) -> tuple[guard_pb2.RedactResponse, RedactionResult, str]:
        tenant = self._tenant(identity, request.meta.tenant)
        self._check_length(request.text, f"{field_prefix}text")
        plan = self._plan(
            tenant,
            request.policy or batch_policy,
            request.entities,
            request.operators,
            request.canaries,
            request.system_prompt,
            field_prefix,
        )
        tagger = self._taggers.for_request(tenant, request.meta.conversation_id)
        if len(request.text) > self._settings.inline_redaction_chars:
            result = await asyncio.to_thread(self._redactor.redact, request.text, plan, tagger)
        else:
            result = self._redactor.redact(request.text, plan, tagger)
        request_id = request.meta.request_id or uuid.uuid4().hex
        self._record(result.redactions, result.leaks, result.block_reason)
        return self._response(request_id, result), result, tenant

    # --- RPCs ----------------------------------------------------------------

    async def Redact(
        self, request: guard_pb2.RedactRequest, context: grpc.aio.ServicerContext
    ) -> guard_pb2.RedactResponse:
        started = time.perf_counter()
        identity = current_identity()
        response, result, tenant = await self._redact_one(request, identity, "", "")
        self._metrics.latency.labels("text").observe(time.perf_counter() - started)
        self._audit(
            identity,
            tenant,
            response.request_id,
            "Redact",
            request.meta.model,
            _counts(result),
            result.blocked,
            response.decision.reason,
            started,
            request.text,
            response.text,
            len(request.text),
            len(response.text),
        )
        return response

    async def RedactBatch(
        self, request: guard_pb2.RedactBatchRequest, context: grpc.aio.ServicerContext
    ) -> guard_pb2.RedactBatchResponse:
        started = time.perf_counter()
        identity = current_identity()
        if len(request.items) > self._settings.max_batch_items:
            raise errors.invalid_argument(
                "batch too large", {"items": f"at most {self._settings.max_batch_items} items"}
            )
        batch_id = request.meta.request_id or uuid.uuid4().hex
        results = []
        for index, item in enumerate(request.items):
            item_started = time.perf_counter()
            response, result, tenant = await self._redact_one(
                item, identity, request.policy, f"items[{index}]."
            )
            if not item.meta.request_id:
                response.request_id = f"{batch_id}-{index}"
            results.append(response)
            self._audit(
                identity,
                tenant,
                response.request_id,
                "RedactBatch",
                item.meta.model or request.meta.model,
                _counts(result),
                result.blocked,
                response.decision.reason,
                item_started,
                item.text,
                response.text,
                len(item.text),
                len(response.text),
            )
        self._metrics.latency.labels("batch").observe(time.perf_counter() - started)
        return guard_pb2.RedactBatchResponse(request_id=batch_id, results=results)

    async def RedactStream(
        self,
        request_iterator: AsyncIterator[guard_pb2.RedactStreamRequest],
        context: grpc.aio.ServicerContext,
    ) -> AsyncIterator[guard_pb2.RedactStreamResponse]:
        started = time.perf_counter()
        identity = current_identity()
        first = await anext(aiter(request_iterator), None)
        if first is None or first.WhichOneof("payload") != "config":
            raise errors.invalid_argument("the first message must carry the config", {"config": "missing"})
        config = first.config
        tenant = self._tenant(identity, config.meta.tenant)
        plan = self._plan(
            tenant,
            config.policy,
            config.entities,
            config.operators,
            config.canaries,
            config.system_prompt,
            "config.",
        )
        request_id = config.meta.request_id or uuid.uuid4().hex
        streamer = StreamRedactor(
            self._redactor,
            plan,
            self._taggers.for_request(tenant, config.meta.conversation_id),
            self._settings.stream_min_advance_chars,
        )
        counts: Counter[str] = Counter()
        block_reason = ""
        output_length = 0
        closed = False

        def close_stream(*_: object) -> None:
            # Runs on normal end, on error and on cancellation (done callback):
            # whatever is held back is dropped, never sent.
            nonlocal closed
            streamer.cancel()
            if not closed:
                closed = True
                self._metrics.open_streams.dec()

        self._metrics.open_streams.inc()
        context.add_done_callback(close_stream)
        try:
            async for message in request_iterator:
                if message.WhichOneof("payload") != "chunk":
                    raise errors.invalid_argument(
                        "only the first message may carry a config", {"config": "repeated"}
                    )
                chunk = message.chunk
                self._check_length(chunk, "chunk")
                if streamer.received + len(chunk) > self._settings.max_stream_chars:
                    raise errors.invalid_argument(
                        "stream too long",
                        {"chunk": f"stream longer than {self._settings.max_stream_chars} characters"},
                    )
                chunk_started = time.perf_counter()
                step = streamer.feed(chunk)
                self._metrics.latency.labels("stream_chunk").observe(time.perf_counter() - chunk_started)
                self._metrics.held_back.observe(step.held_back)
                output_length += len(step.text)
                response = self._stream_response(request_id, step, final=False, counts=counts)
                if response is not None:
                    yield response
                if step.blocked:
                    block_reason = step.block_reason
                    # Nothing more is emitted; read the rest so the client can finish sending.
                    async for _ in request_iterator:
                        pass
                    break
            if context.cancelled():
                return
            if not streamer.blocked:
                step = streamer.finish()
                output_length += len(step.text)
                block_reason = step.block_reason
                response = self._stream_response(request_id, step, final=True, counts=counts)
                assert response is not None
                yield response
        finally:
            close_stream()
        self._audit(
            identity,
            tenant,
            request_id,
            "RedactStream",
            config.meta.model,
            counts,
            bool(block_reason),
            block_reason or ("REDACTED" if counts else "ALLOWED"),
            started,
            None,
            None,
            streamer.received,
            output_length,
        )

    def _stream_response(
        self, request_id: str, step: StreamStep, final: bool, counts: Counter[str]
    ) -> guard_pb2.RedactStreamResponse | None:
        self._record(step.redactions, step.leaks, step.block_reason)
        for redaction in step.redactions:
            counts[redaction.entity_type] += 1
        for leak in step.leaks:
            counts[f"LEAK_{leak.kind.upper()}"] += 1
        if not (final or step.text or step.redactions or step.leaks or step.blocked):
            return None
        return guard_pb2.RedactStreamResponse(
            text=step.text,
            redactions=[self._redaction_pb(r) for r in step.redactions],
            findings=[self._leak_pb(leak) for leak in step.leaks],
            held_back=step.held_back,
            final=final or step.blocked,
            request_id=request_id,
            blocked=step.blocked,
        )

    async def Deanonymize(
        self, request: guard_pb2.DeanonymizeRequest, context: grpc.aio.ServicerContext
    ) -> guard_pb2.DeanonymizeResponse:
        started = time.perf_counter()
        identity = current_identity()
        tenant = self._tenant(identity, request.meta.tenant)
        self._check_length(request.text, "text")
        text, restored = self._redactor.operators.deanonymize(request.text, tenant)
        request_id = request.meta.request_id or uuid.uuid4().hex
        self._audit(
            identity,
            tenant,
            request_id,
            "Deanonymize",
            request.meta.model,
            {"RESTORED": restored} if restored else {},
            False,
            "DEANONYMIZED",
            started,
            None,
            None,
            len(request.text),
            len(text),
        )
        return guard_pb2.DeanonymizeResponse(request_id=request_id, text=text, restored=restored)

    async def RegisterCanary(
        self, request: guard_pb2.RegisterCanaryRequest, context: grpc.aio.ServicerContext
    ) -> guard_pb2.RegisterCanaryResponse:
        started = time.perf_counter()
        identity = current_identity()
        tenant = self._tenant(identity, request.meta.tenant)
        settings = self._settings
        violations: dict[str, str] = {}
        if not _CANARY_NAME.match(request.name):
            violations["name"] = "1-128 characters: letters, digits, '.', '_', '-'"
        if not request.canaries and not request.system_prompt:
            violations["canaries"] = "give canaries, a system_prompt, or both"
        if len(request.canaries) > settings.max_canaries:
            violations["canaries"] = f"at most {settings.max_canaries} canaries"
        for index, canary in enumerate(request.canaries):
            if not settings.min_canary_chars <= len(canary) <= settings.max_canary_chars:
                violations[f"canaries[{index}]"] = (
                    f"length must be between {settings.min_canary_chars} and {settings.max_canary_chars}"
                )
        if len(request.system_prompt) > settings.max_system_prompt_chars:
            violations["system_prompt"] = f"longer than {settings.max_system_prompt_chars} characters"
        min_run_words = request.min_run_words or DEFAULT_MIN_RUN_WORDS
        if not 3 <= min_run_words <= 64:
            violations["min_run_words"] = "must be between 3 and 64"
        if violations:
            raise errors.invalid_argument("invalid canary registration", violations)
        registration = await self._canaries.register(
            tenant, request.name, request.canaries, request.system_prompt, min_run_words
        )
        shingles = len(registration.fingerprint.shingles) if registration.fingerprint else 0
        self._audit(
            identity,
            tenant,
            request.meta.request_id,
            "RegisterCanary",
            "",
            {},
            False,
            "REGISTERED",
            started,
            None,
            None,
            0,
            0,
        )
        return guard_pb2.RegisterCanaryResponse(
            name=request.name, canary_count=len(registration.canaries), fingerprint_shingles=shingles
        )

    async def DeleteCanary(
        self, request: guard_pb2.DeleteCanaryRequest, context: grpc.aio.ServicerContext
    ) -> guard_pb2.DeleteCanaryResponse:
        started = time.perf_counter()
        identity = current_identity()
        tenant = self._tenant(identity, request.meta.tenant)
        deleted = await self._canaries.delete(tenant, request.name)
        self._audit(
            identity,
            tenant,
            request.meta.request_id,
            "DeleteCanary",
            "",
            {},
            False,
            "DELETED" if deleted else "NOT_FOUND",
            started,
            None,
            None,
            0,
            0,
        )
        return guard_pb2.DeleteCanaryResponse(deleted=deleted)


def _counts(result: RedactionResult) -> dict[str, int]:
    counts: Counter[str] = Counter(r.entity_type for r in result.redactions)
    for leak in result.leaks:
        counts[f"LEAK_{leak.kind.upper()}"] += 1
    return dict(counts)


async def build_guard(
    settings: GuardSettings, registry: CollectorRegistry, emitter: AuditEmitter
) -> ServiceDefinition:
    """Everything the guard needs, built once: analyzer, keys, policies, metrics."""
    metrics = GuardMetrics.create(registry)
    policies = PolicyStore(
        settings.policy_dir,
        ENTITY_TYPES,
        metrics.policy_reloads.record,
    )
    key_dir = settings.state_dir / "guard"
    hash_key = load_or_create_key(settings.redaction_hash_key_file, key_dir / "redaction-hash.key", 32)
    encryption_key = load_or_create_key(settings.encryption_key_file, key_dir / "aes-siv.key", 64)
    redactor = Redactor(Analyzer(default_recognizers()), OperatorEngine(hash_key, encryption_key))
    taggers = ConversationTaggers(hash_key, settings.conversation_ttl_s, settings.max_conversations)
    canaries: CanaryStore
    if settings.canary_store == "redis":
        assert settings.canary_redis_url is not None
        shared = RedisCanaryStore(
            settings.canary_redis_url,
            fingerprint_key(hash_key),
            registry,
            refresh_s=settings.canary_refresh_s,
        )
        if not await shared.load():
            log.warning("canary registrations could not be loaded from Redis; retrying in the background")
        canaries = shared
    else:
        canaries = MemoryCanaryStore(fingerprint_key(hash_key))
    servicer = GuardService(settings, policies, redactor, canaries, taggers, metrics, emitter)

    async def watch_policies() -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await policies.watch(settings.policy_reload_interval_s)

    return ServiceDefinition(
        name="guard",
        full_names=[SERVICE_NAME],
        register=lambda server: guard_pb2_grpc.add_GuardServiceServicer_to_server(servicer, server),
        method_scopes=METHOD_SCOPES,
        background=[watch_policies, canaries.sync_forever],
        health_checks=[canaries.ready],
        on_shutdown=[canaries.close],
    )
