"""Vault metrics, one typed object; bounded labels only (never model names or user ids)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

OPERATIONS = ("put", "get", "list", "describe", "delete", "alias", "rotate_key", "rewrap")
RESULTS = ("ok", "denied", "error", "integrity_failure")


class VaultMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.bytes = Counter(
            "aisec_vault_bytes",
            "Plaintext model bytes moved, by direction (in = upload, out = download).",
            ["direction"],
            registry=registry,
        )
        self.integrity_failures = Counter(
            "aisec_vault_integrity_failures",
            "Downloads stopped because a segment, the payload or a manifest failed verification.",
            registry=registry,
        )
        self.operations = Counter(
            "aisec_vault_operations",
            "Vault operations by outcome.",
            ["operation", "result"],
            registry=registry,
        )
        self.access_denied = Counter(
            "aisec_vault_access_denied",
            "Calls refused for lack of a per-model or admin vault scope (sensitive endpoint access).",
            ["method"],
            registry=registry,
        )
        for direction in ("in", "out"):
            self.bytes.labels(direction)
        for operation in OPERATIONS:
            for result in RESULTS:
                self.operations.labels(operation, result)
