"""Validator metrics, all on the registry the server passes in. Labels are bounded sets."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

from services.common.metrics import LATENCY_BUCKETS
from services.common.reload import PolicyReloads

SCORE_BUCKETS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)
SIZE_BUCKETS = (64, 256, 1024, 4096, 16384, 65536, 262144, 1048576)


class ValidatorMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.decisions = Counter(
            "aisec_validator_decisions_total",
            "Validation decisions by outcome, reason code and input source.",
            ["decision", "reason", "source"],
            registry=registry,
        )
        self.findings = Counter(
            "aisec_validator_findings_total",
            "Findings by category, the action the policy chose, and input source.",
            ["category", "action", "source"],
            registry=registry,
        )
        self.score = Histogram(
            "aisec_validator_score",
            "Risk score per input.",
            ["source"],
            buckets=SCORE_BUCKETS,
            registry=registry,
        )
        self.input_chars = Histogram(
            "aisec_validator_input_chars",
            "Input length in characters.",
            buckets=SIZE_BUCKETS,
            registry=registry,
        )
        self.pipeline_seconds = Histogram(
            "aisec_validator_pipeline_seconds",
            "Time spent in the validation pipeline per input.",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.policy_reloads = PolicyReloads("validator", registry)

        # Label children cached: labels() costs a lock and a dict walk per call on the hot path.
        self._children: dict[tuple[str, ...], Any] = {}

    def _child(self, metric: Any, *labels: str) -> Any:
        key = (metric._name, *labels)
        child = self._children.get(key)
        if child is None:
            child = metric.labels(*labels)
            if len(self._children) < 4096:  # label values are bounded; this is a safety net
                self._children[key] = child
        return child

    def decision(self, decision: str, reason: str, source: str) -> Any:
        return self._child(self.decisions, decision, reason, source)

    def finding(self, category: str, action: str, source: str) -> Any:
        return self._child(self.findings, category, action, source)

    def score_for(self, source: str) -> Any:
        return self._child(self.score, source)
