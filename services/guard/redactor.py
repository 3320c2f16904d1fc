"""Whole-text redaction: scan, resolve overlaps, detect leaks, apply operators.

The same ``render_segment`` is used by the streaming redactor, segment by
segment, which is what makes a stream's output equal the whole text's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.guard.analyzer import Analyzer, resolve_overlaps
from services.guard.leaks import PromptFingerprint, words_with_spans
from services.guard.operators import InstanceTagger, OperatorEngine, OperatorKind, OperatorSpec
from services.guard.recognizers.base import Candidate
from services.guard.recognizers.registry import CANARY_ENTITY, SYSTEM_PROMPT_ENTITY


@dataclass(frozen=True)
class RedactionPlan:
    """Everything one request needs: policy merged with the request's overrides."""

    entities: frozenset[str]
    operators: dict[str, OperatorSpec]
    default_operator: OperatorSpec
    min_score: float
    canaries: tuple[str, ...] = ()
    fingerprints: tuple[PromptFingerprint, ...] = ()
    system_prompt_action: str = "block"
    tenant: str = ""
    policy_name: str = "default"

    def operator_for(self, entity_type: str) -> OperatorSpec:
        return self.operators.get(entity_type, self.default_operator)


@dataclass(frozen=True)
class AppliedRedaction:
    entity_type: str
    start: int
    end: int
    score: float
    operator: OperatorKind
    recognizer: str
    output_start: int
    output_end: int


_new_object = object.__new__
_set_attribute = object.__setattr__


def _new_applied_redaction(
    entity_type: str,
    start: int,
    end: int,
    score: float,
    operator: OperatorKind,
    recognizer: str,
    output_start: int,
    output_end: int,
) -> AppliedRedaction:
    """``AppliedRedaction(...)`` with the instance dict set once (see ``new_candidate``)."""
    redaction = _new_object(AppliedRedaction)
    _set_attribute(
        redaction,
        "__dict__",
        {
            "entity_type": entity_type,
            "start": start,
            "end": end,
            "score": score,
            "operator": operator,
            "recognizer": recognizer,
            "output_start": output_start,
            "output_end": output_end,
        },
    )
    return redaction


@dataclass(frozen=True)
class LeakFinding:
    kind: str  # "canary" | "system_prompt"
    start: int
    end: int
    action: str  # "block" | "redact" | "report"


@dataclass
class RedactionResult:
    text: str
    redactions: list[AppliedRedaction] = field(default_factory=list)
    leaks: list[LeakFinding] = field(default_factory=list)
    blocked: bool = False
    block_reason: str = ""

    @property
    def contains_sensitive(self) -> bool:
        return bool(self.leaks) or any(r.operator != OperatorKind.KEEP for r in self.redactions)


@dataclass
class RenderedSegment:
    text: str
    redactions: list[AppliedRedaction]
    leaks: list[LeakFinding]
    block_reason: str


class Redactor:
    """Shared, stateless apart from its analyzer and keys."""

    def __init__(self, analyzer: Analyzer, operators: OperatorEngine) -> None:
        self.analyzer = analyzer
        self.operators = operators

    def redact(self, text: str, plan: RedactionPlan, tagger: InstanceTagger) -> RedactionResult:
        scan = self.analyzer.scan(text, 0, plan.entities, plan.canaries, plan.min_score, want_raw_spans=False)
        if not scan.candidates and not plan.fingerprints:
            return RedactionResult(text)  # what the steps below give when nothing was found
        accepted = resolve_overlaps(scan.candidates, plan.min_score)
        segment = self.render_segment(text, 0, len(text), accepted, plan, tagger, 0, 0)
        leaks = list(segment.leaks)
        block_reason = segment.block_reason
        if plan.fingerprints:
            words = words_with_spans(text)
            for fingerprint in plan.fingerprints:
                for start, end in fingerprint.leaked_runs(words):
                    leaks.append(LeakFinding("system_prompt", start, end, plan.system_prompt_action))
                    if plan.system_prompt_action == "block" and not block_reason:
                        block_reason = "SYSTEM_PROMPT_LEAK"
        if block_reason:
            return RedactionResult("", segment.redactions, leaks, True, block_reason)
        return RedactionResult(segment.text, segment.redactions, leaks)

    def render_segment(
        self,
        text: str,
        start: int,
        end: int,
        accepted: list[Candidate],
        plan: RedactionPlan,
        tagger: InstanceTagger,
        origin: int,
        output_origin: int,
    ) -> RenderedSegment:
        """Rewrite ``text[start:end]`` (candidates inside it, in order).

        ``origin`` / ``output_origin`` are the absolute offsets of ``text[start]``
        in the original and of the segment's first output character.
        """
        if not accepted:
            return RenderedSegment(text[start:end], [], [], "")
        pieces: list[str] = []
        redactions: list[AppliedRedaction] = []
        leaks: list[LeakFinding] = []
        block_reason = ""
        cursor = start
        out_len = 0
        # Per-segment look-ups hoisted out of the loop (plan.operator_for inlined).
        operator_get = plan.operators.get
        default_operator = plan.default_operator
        apply = self.operators.apply
        tenant = plan.tenant
        shift = origin - start
        for candidate in accepted:
            entity_type = candidate.entity_type
            candidate_start = candidate.start
            candidate_end = candidate.end
            spec = operator_get(entity_type, default_operator)
            kind = spec.kind
            value = text[candidate_start:candidate_end]
            if entity_type == CANARY_ENTITY:
                action = {OperatorKind.BLOCK: "block", OperatorKind.KEEP: "report"}.get(kind, "redact")
                leaks.append(LeakFinding("canary", candidate_start + shift, candidate_end + shift, action))
            if kind == OperatorKind.BLOCK and not block_reason:
                block_reason = "CANARY_LEAK" if entity_type == CANARY_ENTITY else "BLOCKED_ENTITY"
            pieces.append(text[cursor:candidate_start])
            out_len += candidate_start - cursor
            replacement = apply(spec, entity_type, value, tagger, tenant)
            output_start = output_origin + out_len
            out_len += len(replacement)
            redactions.append(
                _new_applied_redaction(
                    entity_type,
                    candidate_start + shift,
                    candidate_end + shift,
                    candidate.score,
                    kind,
                    candidate.recognizer,
                    output_start,
                    output_origin + out_len,
                )
            )
            pieces.append(replacement)
            cursor = candidate_end
        pieces.append(text[cursor:end])
        return RenderedSegment("".join(pieces), redactions, leaks, block_reason)


__all__ = [
    "SYSTEM_PROMPT_ENTITY",
    "AppliedRedaction",
    "LeakFinding",
    "RedactionPlan",
    "RedactionResult",
    "Redactor",
]
