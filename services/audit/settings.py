"""Audit service settings (``AISEC_*``; see ServiceSettings for the shared ones)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from aisec.audit.v1 import audit_pb2
from pydantic import Field, field_validator, model_validator

from services.common.settings import ServiceSettings

RETAINABLE_TYPES = ("VALIDATION", "REDACTION", "VAULT_ACCESS", "INTERACTION")


class AuditSettings(ServiceSettings):
    log_store: Literal["sqlite", "postgres"] = Field(
        "sqlite", description="`sqlite` (embedded, one replica) or `postgres` (shared by replicas)."
    )
    sqlite_path: Path | None = Field(
        None, description="SQLite database file; unset = <state_dir>/audit/audit.db."
    )
    sqlite_synchronous: Literal["FULL", "NORMAL"] = Field(
        "FULL",
        description="SQLite WAL sync mode: FULL survives power loss; NORMAL survives only process crashes.",
    )
    postgres_dsn: str | None = Field(None, description="libpq connection string for log_store=postgres.")
    log_origin: str = Field(
        "aisec.local/audit", description="Checkpoint origin line and signing key name (names this log)."
    )
    signing_key_file: Path | None = Field(
        None,
        description="Checkpoint signer key (PRIVATE+KEY+... note format); unset = <state_dir>/audit/"
        "checkpoint.key, created on first start with the verifier key beside it (.vkey).",
    )
    checkpoint_interval_s: float = Field(
        30.0, gt=0, description="How often a new checkpoint is signed when the log has grown."
    )
    commit_max_batch: int = Field(
        5000, gt=0, le=100000, description="Most events written in one group-commit transaction."
    )
    retention_max_age_s: dict[str, float] = Field(
        default_factory=dict,
        description="Per event type maximum age in seconds before the payload is purged, e.g. "
        '{"INTERACTION": 2592000}. Types: VALIDATION, REDACTION, VAULT_ACCESS, INTERACTION.',
    )
    retention_interval_s: float = Field(3600.0, gt=0, description="How often expired payloads are purged.")
    retention_batch_limit: int = Field(
        10000, gt=0, description="Most payloads purged per retention event (larger purges use several)."
    )

    @field_validator("retention_max_age_s")
    @classmethod
    def _check_retention(cls, value: dict[str, float]) -> dict[str, float]:
        for name, age in value.items():
            if name not in RETAINABLE_TYPES:
                # RETENTION events are never purged: they are what proves a purge was policy.
                raise ValueError(f"unknown or non-purgeable event type {name!r}; use one of {RETAINABLE_TYPES}")
            if age <= 0:
                raise ValueError(f"max age for {name} must be positive")
        return value

    @model_validator(mode="after")
    def _check_store(self) -> AuditSettings:
        if self.log_store == "postgres" and not self.postgres_dsn:
            raise ValueError("log_store=postgres needs postgres_dsn")
        return self

    def audit_dir(self) -> Path:
        return self.state_dir / "audit"

    def resolved_sqlite_path(self) -> Path:
        return self.sqlite_path or self.audit_dir() / "audit.db"

    def resolved_signing_key_file(self) -> Path:
        return self.signing_key_file or self.audit_dir() / "checkpoint.key"

    def retention_policy(self) -> dict[int, float]:
        """Event type number -> max age in seconds."""
        return {audit_pb2.EventType.Value(f"EVENT_TYPE_{name}"): age for name, age in self.retention_max_age_s.items()}
