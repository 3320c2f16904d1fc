"""Vault settings: one typed object, each field maps to ``AISEC_<FIELD>``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from services.common.settings import ServiceSettings

SEGMENT_SIZE = 1024 * 1024


class VaultSettings(ServiceSettings):
    """Settings of the vault service."""

    port: int = Field(50053, ge=0, le=65535, description="gRPC port; 0 picks a free one (tests).")

    # --- storage ----------------------------------------------------------------
    vault_store: Literal["filesystem", "s3"] = Field(
        "filesystem", description="Object store: `filesystem` (default, under vault_dir) or `s3`."
    )
    vault_dir: Path | None = Field(
        None, description="Directory of the filesystem store; unset = <state_dir>/vault/objects."
    )
    vault_s3_bucket: str | None = Field(None, description="S3 bucket (vault_store=s3).")
    vault_s3_prefix: str = Field("vault/", description="Key prefix inside the bucket.")
    vault_s3_endpoint_url: str | None = Field(
        None, description="S3-compatible endpoint URL (MinIO, Ceph, moto); unset = AWS."
    )
    vault_s3_region: str = Field("us-east-1", description="S3 region.")
    vault_s3_sse_kms_key_id: str | None = Field(
        None, description="When set, S3 also applies SSE-KMS with this key on top of vault encryption."
    )
    vault_s3_part_size: int = Field(
        8 * 1024 * 1024, ge=5 * 1024 * 1024, description="Multipart upload part size in bytes (>= 5 MiB)."
    )
    vault_cleanup_grace_s: float = Field(
        3600.0,
        ge=0,
        description="At start-up, leftovers of interrupted uploads (temp files, unfinished multipart "
        "uploads, payloads no manifest names) are removed once nothing has written to them for this "
        "long, so a restarting replica never removes an upload another replica is still streaming.",
    )

    # --- keys -------------------------------------------------------------------
    vault_key_provider: Literal["local", "aws_kms"] = Field(
        "local", description="Key-encryption-key provider: `local` keyring (default) or `aws_kms`."
    )
    vault_keyring_file: Path | None = Field(
        None, description="Encrypted local keyring file; unset = <state_dir>/vault/keyring.enc."
    )
    vault_master_key_file: Path | None = Field(
        None,
        description="File holding the 32-byte keyring master key (raw or base64), e.g. a mounted secret. "
        "Unset (and no vault_master_key) = a dev key auto-created under state_dir.",
    )
    vault_master_key: SecretStr | None = Field(
        None, description="Keyring master key, base64 (AISEC_VAULT_MASTER_KEY); prefer the file form."
    )
    vault_kms_key_id: str | None = Field(None, description="AWS KMS key id, ARN or alias (aws_kms).")
    vault_kms_endpoint_url: str | None = Field(None, description="KMS endpoint URL; unset = AWS.")
    vault_kms_region: str = Field("us-east-1", description="KMS region.")
    vault_key_state_refresh_s: float = Field(
        5.0,
        ge=0,
        description="aws_kms: how often a replica re-reads the shared key-version state (kept in the "
        "object store), i.e. how soon a rotation or retirement done through another replica applies here.",
    )

    # --- integrity --------------------------------------------------------------
    vault_signing_key_file: Path | None = Field(
        None, description="Ed25519 manifest signing key (PEM); unset = auto-created under state_dir."
    )

    @model_validator(mode="after")
    def _check_vault_combinations(self) -> VaultSettings:
        if self.vault_store == "s3" and not self.vault_s3_bucket:
            raise ValueError("vault_store=s3 needs vault_s3_bucket")
        if self.vault_key_provider == "aws_kms" and not self.vault_kms_key_id:
            raise ValueError("vault_key_provider=aws_kms needs vault_kms_key_id")
        if self.vault_master_key_file is not None and self.vault_master_key is not None:
            raise ValueError("set only one of vault_master_key_file and vault_master_key")
        return self

    @property
    def vault_state_dir(self) -> Path:
        return self.state_dir / "vault"

    @property
    def resolved_vault_dir(self) -> Path:
        return self.vault_dir if self.vault_dir is not None else self.vault_state_dir / "objects"

    @property
    def resolved_keyring_file(self) -> Path:
        return self.vault_keyring_file or self.vault_state_dir / "keyring.enc"

    @property
    def resolved_signing_key_file(self) -> Path:
        return self.vault_signing_key_file or self.vault_state_dir / "signing_ed25519.pem"
