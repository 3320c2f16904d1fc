"""Validator metrics, all on the registry the server passes in. Labels are bounded sets."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

from services.common.metrics import LATENCY_BUCKETS, HotCounter, HotHistogram
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

        # Per-call recording goes through cached label children wrapped for the hot path
        # (services.common.metrics.HotCounter / HotHistogram): labels() costs a lock and a dict walk,
        # and prometheus_client's inc()/observe() re-check what is known here.
        self.input_chars_hot = HotHistogram(self.input_chars)
        self.pipeline_seconds_hot = HotHistogram(self.pipeline_seconds)
        self._counters: dict[tuple[str, ...], HotCounter] = {}
        self._histograms: dict[str, HotHistogram] = {}
        self._outcomes: dict[tuple[bool, str, str], tuple[HotCounter, HotHistogram]] = {}

    def _counter(self, metric: Counter, *labels: str) -> HotCounter:
        key = (metric._name, *labels)
        child = self._counters.get(key)
        if child is None:
            child = HotCounter(metric.labels(*labels))
            if len(self._counters) < 4096:  # label values are bounded; this is a safety net
                self._counters[key] = child
        return child

    def decision(self, decision: str, reason: str, source: str) -> HotCounter:
        return self._counter(self.decisions, decision, reason, source)

    def outcome(self, allowed: bool, reason: str, source: str) -> tuple[HotCounter, HotHistogram]:
        """The decision counter and the score histogram one verdict updates (one lookup per call)."""
        key = (allowed, reason, source)
        pair = self._outcomes.get(key)
        if pair is None:
            pair = (self.decision("allow" if allowed else "deny", reason, source), self.score_for(source))
            if len(self._outcomes) < 4096:  # bounded labels; a safety net
                self._outcomes[key] = pair
        return pair

    def finding(self, category: str, action: str, source: str) -> HotCounter:
        return self._counter(self.findings, category, action, source)

    def score_for(self, source: str) -> HotHistogram:
        child = self._histograms.get(source)
        if child is None:
            child = HotHistogram(self.score.labels(source))
            if len(self._histograms) < 64:
                self._histograms[source] = child
        return child
