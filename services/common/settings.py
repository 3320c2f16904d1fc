"""Typed settings shared by every service.

One object per service, built once in ``main()`` from ``AISEC_*`` environment
variables and an optional YAML file (``AISEC_CONFIG_FILE`` or ``--config``).
Environment wins over the file, the file over defaults. An invalid value fails
start-up with a message naming the setting. Nothing else reads ``os.environ``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    YamlConfigSettingsSource,
)

ENV_PREFIX = "AISEC_"


class SettingsError(Exception):
    """Invalid configuration; the message names every offending setting."""


class TenantLimit(BaseModel):
    """Token-bucket limit for one tenant."""

    model_config = {"extra": "forbid"}

    rate: float = Field(gt=0, description="Sustained requests per second.")
    burst: int = Field(gt=0, description="Bucket size: requests allowed at once.")


class ServiceSettings(BaseSettings):
    """Settings every service has. Each field maps to ``AISEC_<FIELD>``."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="forbid",
        validate_default=True,
        case_sensitive=False,
    )

    # --- server -----------------------------------------------------------
    host: str = Field("0.0.0.0", description="Address the gRPC server binds.")
    port: int = Field(0, ge=0, le=65535, description="gRPC port; 0 picks a free one (tests).")
    metrics_port: int | None = Field(
        None, ge=0, le=65535, description="Prometheus /metrics port; unset disables, 0 picks a free one."
    )
    metrics_host: str = Field("0.0.0.0", description="Address the metrics endpoint binds.")
    health_port: int | None = Field(
        None,
        ge=0,
        le=65535,
        description="Plaintext port serving only grpc.health.v1 (for Kubernetes probes when mTLS is on).",
    )
    state_dir: Path = Field(Path(".aisec"), description="Directory for local state (keys, data).")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Log level.")
    max_message_bytes: int = Field(
        16 * 1024 * 1024, ge=1024, description="Largest gRPC message accepted or sent, in bytes."
    )
    grace_period_s: float = Field(10.0, ge=0, description="Drain time for in-flight calls on shutdown.")
    keepalive_time_s: float = Field(30.0, gt=0, description="Server keepalive ping interval.")
    keepalive_timeout_s: float = Field(10.0, gt=0, description="Keepalive ping ack timeout.")
    max_concurrent_rpcs: int | None = Field(None, gt=0, description="Cap on concurrent RPCs; unset = none.")
    reflection: bool = Field(True, description="Serve gRPC server reflection (schema only, no token needed).")
    health_check_interval_s: float = Field(5.0, gt=0, description="How often backend health is polled.")

    # --- authentication -----------------------------------------------------
    auth_enabled: bool = Field(True, description="Require a JWT bearer token on every RPC but health.")
    jwt_hs256_key_file: Path | None = Field(
        None, description="File holding the shared HS256 secret (local development)."
    )
    jwt_jwks_file: Path | None = Field(None, description="JWKS file with RS256/ES256 public keys (production).")
    jwt_issuer: str = Field("aisec", description="Required `iss` claim.")
    jwt_audience: str = Field("aisec", description="Required `aud` claim.")
    jwt_algorithms: list[Literal["HS256", "RS256", "ES256"]] = Field(
        default_factory=lambda: ["HS256", "RS256", "ES256"],  # type: ignore[arg-type]
        description="Accepted signature algorithms (allow-list; `none` is never accepted).",
    )
    jwt_leeway_s: int = Field(30, ge=0, le=600, description="Clock skew tolerated on exp/nbf/iat.")
    auth_failure_rate: float = Field(
        1.0,
        ge=0,
        description="Failed authentications/s one client address may make (sustained) before its calls with "
        "tokens not yet verified are refused (RESOURCE_EXHAUSTED) without being checked; 0 turns this off. "
        "Per replica.",
    )
    auth_failure_burst: int = Field(20, gt=0, description="Failed authentications one client address may make at once.")

    # --- TLS ----------------------------------------------------------------
    tls_cert_file: Path | None = Field(None, description="Server certificate (PEM); enables TLS.")
    tls_key_file: Path | None = Field(None, description="Server private key (PEM).")
    tls_client_ca_file: Path | None = Field(
        None, description="CA bundle for client certificates; when set, mTLS is required."
    )

    # --- rate limiting --------------------------------------------------------
    ratelimit_enabled: bool = Field(True, description="Rate-limit RPCs per caller identity.")
    ratelimit_backend: Literal["memory", "redis"] = Field(
        "memory", description="`memory` for one replica, `redis` to share limits across replicas."
    )
    ratelimit_redis_url: str | None = Field(None, description="Redis URL for the redis backend.")
    ratelimit_fail_mode: Literal["open", "closed"] = Field(
        "open", description="When Redis is unreachable: `open` allows, `closed` rejects (UNAVAILABLE)."
    )
    ratelimit_rate: float = Field(2000.0, gt=0, description="Default sustained requests/s per identity.")
    ratelimit_burst: int = Field(4000, gt=0, description="Default burst per identity.")
    ratelimit_tenants: dict[str, TenantLimit] = Field(
        default_factory=dict, description="Per-tenant overrides, e.g. {\"acme\": {\"rate\": 50, \"burst\": 100}}."
    )
    ratelimit_redis_timeout_s: float = Field(0.05, gt=0, description="Redis call timeout.")

    # --- audit emission -------------------------------------------------------
    audit_target: str | None = Field(None, description="host:port of the audit service; unset = no delivery.")
    audit_token_file: Path | None = Field(None, description="Bearer token file used to call the audit service.")
    audit_tls_ca_file: Path | None = Field(None, description="CA to verify the audit service; unset = plaintext.")
    audit_tls_cert_file: Path | None = Field(None, description="Client certificate for mTLS to the audit service.")
    audit_tls_key_file: Path | None = Field(None, description="Client key for mTLS to the audit service.")
    audit_queue_size: int = Field(10000, gt=0, description="Events buffered before new ones are dropped.")
    audit_batch_size: int = Field(500, gt=0, le=10000, description="Events per AppendStream call.")
    audit_flush_interval_s: float = Field(0.2, gt=0, description="Longest an event waits before a send.")
    hash_key_file: Path | None = Field(
        None, description="HMAC-SHA256 key used to hash texts for audit (shared by the emitting services)."
    )
    hash_key_id: str = Field("dev", description="Id of the hashing key, recorded in audit events.")

    config_file: Path | None = Field(None, description="YAML file with any of these settings.")

    @model_validator(mode="after")
    def _check_combinations(self) -> ServiceSettings:
        if (self.tls_cert_file is None) != (self.tls_key_file is None):
            raise ValueError("tls_cert_file and tls_key_file must be set together")
        if self.tls_client_ca_file is not None and self.tls_cert_file is None:
            raise ValueError("tls_client_ca_file needs tls_cert_file and tls_key_file")
        if self.auth_enabled and self.jwt_hs256_key_file is None and self.jwt_jwks_file is None:
            raise ValueError(
                "auth_enabled needs jwt_hs256_key_file or jwt_jwks_file (or set AISEC_AUTH_ENABLED=false)"
            )
        if (self.audit_tls_cert_file is None) != (self.audit_tls_key_file is None):
            raise ValueError("audit_tls_cert_file and audit_tls_key_file must be set together")
        if self.audit_tls_cert_file is not None and self.audit_tls_ca_file is None:
            raise ValueError("audit_tls_cert_file needs audit_tls_ca_file")
        if self.ratelimit_backend == "redis" and not self.ratelimit_redis_url:
            raise ValueError("ratelimit_backend=redis needs ratelimit_redis_url")
        return self

    @property
    def tls_enabled(self) -> bool:
        return self.tls_cert_file is not None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = _CONFIG_FILE.get("path")
        if config_file is not None:
            sources.append(YamlConfigSettingsSource(settings_cls, yaml_file=config_file))
        return tuple(sources)


# The YAML path chosen by load_settings; a module-level slot because pydantic
# builds sources in a classmethod with no per-call arguments.
_CONFIG_FILE: dict[str, Path | None] = {"path": None}

S = TypeVar("S", bound=ServiceSettings)


def _env_name(loc: tuple[Any, ...]) -> str:
    head = str(loc[0]) if loc else "?"
    rest = ".".join(str(part) for part in loc[1:])
    return f"{ENV_PREFIX}{head.upper()}" + (f" ({head}.{rest})" if rest else f" ({head})")


def load_settings(cls: type[S], config_file: str | Path | None = None, **overrides: Any) -> S:
    """Build settings from env, the optional YAML file and ``overrides``.

    ``config_file`` defaults to ``AISEC_CONFIG_FILE``. Raises SettingsError
    naming each invalid setting.
    """
    path = config_file or os.environ.get(f"{ENV_PREFIX}CONFIG_FILE") or None
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise SettingsError(f"invalid setting {ENV_PREFIX}CONFIG_FILE (config_file): no such file: {path}")
    _CONFIG_FILE["path"] = path
    try:
        settings = cls(**overrides)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = _env_name(err["loc"]) if err["loc"] else "configuration"
            problems.append(f"invalid setting {name}: {err['msg']}")
        raise SettingsError("; ".join(problems)) from None
    except (ValueError, OSError) as exc:  # e.g. unparsable JSON in an env var
        raise SettingsError(f"invalid configuration: {exc}") from None
    except yaml.YAMLError as exc:  # unparsable YAML file
        raise SettingsError(f"invalid setting {ENV_PREFIX}CONFIG_FILE (config_file): {path}: {exc}") from None
    finally:
        _CONFIG_FILE["path"] = None
    if path is not None:
        object.__setattr__(settings, "config_file", path)
    return settings
