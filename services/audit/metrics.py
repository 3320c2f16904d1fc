"""Every audit-specific metric, on the registry the server passes in. Labels are bounded."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
_BATCH_BUCKETS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)


class AuditMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.appends = Counter(
            "aisec_audit_appends", "Events durably appended.", ["source_service", "type"], registry=registry
        )
        self.append_latency = Histogram(
            "aisec_audit_append_latency_seconds",
            "Time from submitting a batch to its durable commit.",
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.batch_size = Histogram(
            "aisec_audit_batch_size", "Events per group-commit transaction.", buckets=_BATCH_BUCKETS,
            registry=registry,
        )
        self.tree_size = Gauge("aisec_audit_tree_size", "Leaves in the Merkle tree.", registry=registry)
        self.checkpoint_age = Gauge(
            "aisec_audit_checkpoint_age_seconds",
            "Seconds since the latest checkpoint was signed or confirmed current.",
            registry=registry,
        )
        self.purged = Counter(
            "aisec_audit_purged", "Payloads purged by retention.", ["type"], registry=registry
        )
        self.verification_failures = Counter(
            "aisec_audit_verification_failures",
            "Times the stored log failed a consistency check against a signed checkpoint.",
            registry=registry,
        )
        self.append_failures = Counter(
            "aisec_audit_append_failures", "Group-commit transactions that failed.", registry=registry
        )
