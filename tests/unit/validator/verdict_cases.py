"""Parameters for the rounds' tests: texts that must be denied, texts that must be allowed, and the known misses and
false positives as strict xfails (each file one parametrized test, ``check_verdict``)."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from services.validator.engine import ValidatorEngine
from services.validator.policy import Policy

Case = tuple[str, str]


def verdict_cases(
    denied: Iterable[Case],
    allowed: Iterable[Case],
    misses: Iterable[Case] = (),
    false_positives: Iterable[Case] = (),
) -> list[object]:
    """(source, text, allowed) for each text; a known miss / false positive xfails strictly (it fails the run once fixed)."""
    return [
        *((source, text, False) for source, text in denied),
        *((source, text, True) for source, text in allowed),
        *(
            pytest.param(s, t, False, marks=pytest.mark.xfail(strict=True, reason="known miss"))
            for s, t in misses
        ),
        *(
            pytest.param(s, t, True, marks=pytest.mark.xfail(strict=True, reason="known false positive"))
            for s, t in false_positives
        ),
    ]


def check_verdict(engine: ValidatorEngine, policy: Policy, source: str, text: str, allowed: bool) -> None:
    verdict = engine.evaluate(text, source, policy)
    assert verdict.allowed == allowed, [(f.rule_id, f.score) for f in verdict.findings]
