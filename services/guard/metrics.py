"""Guard metrics: one typed object, created on the registry the server passes in.

Labels are bounded: entity types come from the registry, operators and leak
kinds from fixed enums, never from request text.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from services.common.reload import PolicyReloads

HELD_BACK_BUCKETS = (0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384)
LATENCY_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0)


@dataclass
class GuardMetrics:
    redactions: Counter
    leaks: Counter
    open_streams: Gauge
    held_back: Histogram
    latency: Histogram
    blocked: Counter
    policy_reloads: PolicyReloads

    @classmethod
    def create(cls, registry: CollectorRegistry) -> GuardMetrics:
        return cls(
            redactions=Counter(
                "aisec_guard_redactions_total",
                "Values rewritten, by entity type and operator.",
                ["entity_type", "operator"],
                registry=registry,
            ),
            leaks=Counter(
                "aisec_guard_leaks_detected_total",
                "Canary or system-prompt leaks found in output.",
                ["kind"],
                registry=registry,
            ),
            open_streams=Gauge(
                "aisec_guard_open_streams", "RedactStream calls in progress.", registry=registry
            ),
            held_back=Histogram(
                "aisec_guard_held_back_chars",
                "Characters held back after each stream chunk.",
                buckets=HELD_BACK_BUCKETS,
                registry=registry,
            ),
            latency=Histogram(
                "aisec_guard_latency_seconds",
                "Redaction time in-process, by mode (text, batch, stream_chunk).",
                ["mode"],
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            blocked=Counter(
                "aisec_guard_blocked_total",
                "Outputs withheld entirely, by reason.",
                ["reason"],
                registry=registry,
            ),
            policy_reloads=PolicyReloads("guard", registry),
        )
