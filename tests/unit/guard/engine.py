"""Shared builders for guard unit tests (one analyzer per process: compiling is not free)."""

from __future__ import annotations

from functools import cache

from services.guard.analyzer import Analyzer, resolve_overlaps
from services.guard.operators import InstanceTagger, OperatorEngine, OperatorKind, OperatorSpec
from services.guard.recognizers.base import Candidate
from services.guard.recognizers.registry import ENTITY_TYPES, default_recognizers
from services.guard.redactor import RedactionPlan, Redactor

TAGGER_KEY = b"t" * 32


@cache
def analyzer() -> Analyzer:
    return Analyzer(default_recognizers())


@cache
def redactor() -> Redactor:
    return Redactor(analyzer(), OperatorEngine(b"h" * 32, b"e" * 64))


def findings(text: str, min_score: float = 0.5) -> list[Candidate]:
    return resolve_overlaps(analyzer().scan(text, 0, ENTITY_TYPES).candidates, min_score)


def plan(
    operators: dict[str, OperatorSpec] | None = None,
    default: OperatorKind = OperatorKind.REPLACE,
    **kwargs: object,
) -> RedactionPlan:
    return RedactionPlan(
        entities=kwargs.pop("entities", ENTITY_TYPES),  # type: ignore[arg-type]
        operators=operators or {},
        default_operator=OperatorSpec(default),
        min_score=0.5,
        **kwargs,  # type: ignore[arg-type]
    )


def tagger() -> InstanceTagger:
    return InstanceTagger(TAGGER_KEY)
