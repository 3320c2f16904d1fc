"""Guard settings: ``AISEC_*`` environment variables on top of the shared ones."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from services.common.settings import ServiceSettings

DEFAULT_POLICY_DIR = Path(__file__).resolve().parent / "policies"


class GuardSettings(ServiceSettings):
    port: int = Field(50052, ge=0, le=65535, description="gRPC port; 0 picks a free one (tests).")
    policy_dir: Path = Field(DEFAULT_POLICY_DIR, description="Directory of <name>.yaml redaction policies.")
    policy_reload_interval_s: float = Field(
        2.0, gt=0, description="How often policy files are checked for changes."
    )
    tenant_policies: dict[str, str] = Field(
        default_factory=dict,
        description='Policy used for a tenant when a request names none, e.g. {"acme": "strict"}.',
    )
    max_text_chars: int = Field(
        1_000_000, gt=0, description="Longest text (or stream chunk) accepted, in characters."
    )
    max_stream_chars: int = Field(20_000_000, gt=0, description="Most characters one RedactStream may carry.")
    max_batch_items: int = Field(256, gt=0, description="Most texts in one RedactBatch.")
    max_canaries: int = Field(100, gt=0, description="Most canary strings per registration or request.")
    max_canary_chars: int = Field(256, ge=8, description="Longest canary string.")
    min_canary_chars: int = Field(
        8, ge=1, description="Shortest canary string (short ones match ordinary text)."
    )
    max_system_prompt_chars: int = Field(
        100_000, gt=0, description="Longest system prompt accepted for fingerprinting."
    )
    redaction_hash_key_file: Path | None = Field(
        None, description="HMAC-SHA256 key for the HASH operator; unset: generated under state_dir/guard/."
    )
    encryption_key_file: Path | None = Field(
        None,
        description="64-byte AES-SIV key for the ENCRYPT operator; unset: generated under state_dir/guard/.",
    )
    conversation_ttl_s: float = Field(
        3600.0, gt=0, description="How long instance tags of a conversation are kept."
    )
    max_conversations: int = Field(
        10_000, gt=0, description="Conversations whose instance tags are kept at once."
    )
    stream_min_advance_chars: int = Field(
        16,
        ge=1,
        le=4096,
        description="New stream characters gathered before the redactor re-examines the stream.",
    )
    inline_redaction_chars: int = Field(
        65_536,
        gt=0,
        description="Texts longer than this are redacted in a worker thread, not on the event loop.",
    )
    canary_store: Literal["memory", "redis"] = Field(
        "memory",
        description="Where RegisterCanary keeps registrations: `memory` (this replica only, lost on "
        "restart) or `redis` (shared by every replica, kept across restarts).",
    )
    canary_redis_url: str | None = Field(None, description="Redis URL for canary_store=redis.")
    canary_refresh_s: float = Field(
        1.0,
        gt=0,
        description="canary_store=redis: how often a replica checks for registrations made through "
        "another replica (the delay before they are enforced there).",
    )

    @model_validator(mode="after")
    def _check_canary_store(self) -> GuardSettings:
        if self.canary_store == "redis" and not self.canary_redis_url:
            raise ValueError("canary_store=redis needs canary_redis_url")
        return self
