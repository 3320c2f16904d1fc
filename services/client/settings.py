"""Client-side defaults: local dev targets and where the dev token lives.

Read once by the CLI; flags override them.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_TARGETS = {
    "validator": "localhost:50051",
    "guard": "localhost:50052",
    "vault": "localhost:50053",
    "audit": "localhost:50054",
}
STATE_DIR_NAME = ".aisec"
DEV_KEY_FILE = "dev-jwt.key"
DEV_TOKEN_FILE = "dev-token"


class ClientSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AISEC_", extra="ignore")

    token: str | None = Field(None, description="Bearer token (AISEC_TOKEN).")
    token_file: Path | None = Field(None, description="File holding the bearer token.")
    validator_target: str = DEFAULT_TARGETS["validator"]
    guard_target: str = DEFAULT_TARGETS["guard"]
    vault_target: str = DEFAULT_TARGETS["vault"]
    audit_target_client: str = Field(DEFAULT_TARGETS["audit"], alias="AISEC_CLIENT_AUDIT_TARGET")
    tls_ca_file: Path | None = Field(None, alias="AISEC_CLIENT_TLS_CA_FILE")
    tls_cert_file: Path | None = Field(None, alias="AISEC_CLIENT_TLS_CERT_FILE")
    tls_key_file: Path | None = Field(None, alias="AISEC_CLIENT_TLS_KEY_FILE")
    timeout_s: float = Field(10.0, alias="AISEC_CLIENT_TIMEOUT_S")
    state_dir: Path | None = Field(None, description="Where `make run` keeps the dev key and token.")

    def target_for(self, service: str) -> str:
        return {
            "validator": self.validator_target,
            "guard": self.guard_target,
            "vault": self.vault_target,
            "audit": self.audit_target_client,
        }[service]


def find_state_dir(start: Path | None = None) -> Path | None:
    """The nearest `.aisec/` from the working directory upwards."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / STATE_DIR_NAME
        if candidate.is_dir():
            return candidate
    return None
