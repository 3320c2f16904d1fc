"""Validator settings (``AISEC_*`` environment variables or the YAML config file)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from services.common.settings import ServiceSettings

DEFAULT_POLICY_FILE = Path(__file__).parent / "policies" / "default.yaml"


class ValidatorSettings(ServiceSettings):
    port: int = Field(50051, ge=0, le=65535, description="gRPC port; 0 picks a free one (tests).")
    policy_file: Path = Field(
        DEFAULT_POLICY_FILE, description="YAML file with the named validation policies."
    )
    policy_reload_interval_s: float = Field(
        2.0, gt=0, description="How often the policy file is checked for changes."
    )
    decode_max_depth: int = Field(4, ge=0, le=8, description="Deepest nesting of encodings decoded.")
    decode_max_layers: int = Field(48, ge=0, le=512, description="Most decoded layers scanned per input.")
    decode_max_total_chars: int = Field(
        512 * 1024, ge=0, description="Most decoded characters scanned per input (over all layers)."
    )
