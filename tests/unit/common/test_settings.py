"""Settings: env, YAML file, precedence, and invalid values naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field

from services.common.settings import ServiceSettings, SettingsError, TenantLimit, load_settings


class ExampleSettings(ServiceSettings):
    """A service subclass, like each service defines."""

    example_dir: Path = Field(Path("/srv/example"), description="A service-specific setting.")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No AISEC_* variable from the caller's shell leaks into these tests."""
    import os

    for name in list(os.environ):
        if name.startswith("AISEC_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AISEC_AUTH_ENABLED", "false")


def test_defaults_are_valid() -> None:
    settings = load_settings(ExampleSettings)
    assert settings.port == 0
    assert settings.ratelimit_backend == "memory"
    assert settings.ratelimit_fail_mode == "open"
    assert settings.jwt_algorithms == ["HS256", "RS256", "ES256"]
    assert settings.config_file is None
    assert not settings.tls_enabled


def test_env_sets_fields(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AISEC_PORT", "50099")
    monkeypatch.setenv("AISEC_LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("AISEC_RATELIMIT_TENANTS", '{"acme": {"rate": 5, "burst": 10}}')
    monkeypatch.setenv("AISEC_EXAMPLE_DIR", str(tmp_path))
    monkeypatch.setenv("aisec_grace_period_s", "1.5")  # case-insensitive
    settings = load_settings(ExampleSettings)
    assert settings.port == 50099
    assert settings.log_level == "DEBUG"
    assert settings.ratelimit_tenants == {"acme": TenantLimit(rate=5, burst=10)}
    assert settings.example_dir == tmp_path
    assert settings.grace_period_s == 1.5


def test_yaml_file_via_env_and_argument(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "aisec.yaml"
    config.write_text(
        "port: 50100\n"
        "ratelimit_rate: 7.5\n"
        "ratelimit_tenants:\n"
        "  acme: {rate: 1, burst: 2}\n"
        f"example_dir: {tmp_path}\n"
    )
    by_argument = load_settings(ExampleSettings, config_file=config)
    assert by_argument.port == 50100
    assert by_argument.ratelimit_rate == 7.5
    assert by_argument.ratelimit_tenants["acme"].burst == 2
    assert by_argument.example_dir == tmp_path
    assert by_argument.config_file == config

    monkeypatch.setenv("AISEC_CONFIG_FILE", str(config))
    by_env = load_settings(ExampleSettings)
    assert by_env.port == 50100
    assert by_env.config_file == config


def test_env_beats_file_and_overrides_beat_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "aisec.yaml"
    config.write_text("port: 50100\nlog_level: WARNING\nratelimit_burst: 9\n")
    monkeypatch.setenv("AISEC_PORT", "50200")
    monkeypatch.setenv("AISEC_RATELIMIT_BURST", "11")
    settings = load_settings(ExampleSettings, config_file=config, ratelimit_burst=13)
    assert settings.port == 50200  # env over file
    assert settings.log_level == "WARNING"  # file over default
    assert settings.ratelimit_burst == 13  # explicit override over env


def test_file_does_not_leak_into_next_load(tmp_path: Path) -> None:
    config = tmp_path / "aisec.yaml"
    config.write_text("port: 50100\n")
    assert load_settings(ExampleSettings, config_file=config).port == 50100
    assert load_settings(ExampleSettings).port == 0


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"AISEC_PORT": "70000"}, "aisec_port"),
        ({"AISEC_PORT": "not-a-number"}, "aisec_port"),
        ({"AISEC_LOG_LEVEL": "LOUD"}, "log_level"),
        ({"AISEC_RATELIMIT_RATE": "0"}, "ratelimit_rate"),
        ({"AISEC_RATELIMIT_TENANTS": '{"acme": {"rate": -1, "burst": 2}}'}, "ratelimit_tenants"),
        ({"AISEC_RATELIMIT_TENANTS": '{"acme": {"rate": 1, "burst": 2, "typo": 3}}'}, "ratelimit_tenants"),
        ({"AISEC_RATELIMIT_TENANTS": "{not json"}, "ratelimit_tenants"),
        ({"AISEC_JWT_ALGORITHMS": '["none"]'}, "jwt_algorithms"),
        ({"AISEC_TLS_CERT_FILE": "/srv/cert.pem"}, "tls_key_file"),
        ({"AISEC_TLS_CLIENT_CA_FILE": "/srv/ca.pem"}, "tls_client_ca_file"),
        ({"AISEC_RATELIMIT_BACKEND": "redis"}, "ratelimit_redis_url"),
        ({"AISEC_RATELIMIT_BACKEND": "memcached"}, "ratelimit_backend"),
        ({"AISEC_AUTH_ENABLED": "true"}, "jwt_hs256_key_file"),
    ],
)
def test_invalid_env_fails_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], named: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings(ExampleSettings)
    # The message names the field (and its AISEC_ variable where pydantic reports one).
    assert named in str(raised.value).lower()


def test_unknown_key_in_yaml_is_rejected(tmp_path: Path) -> None:
    config = tmp_path / "aisec.yaml"
    config.write_text("port: 50100\nprot: 1\n")
    with pytest.raises(SettingsError) as raised:
        load_settings(ExampleSettings, config_file=config)
    assert "prot" in str(raised.value)


def test_invalid_value_in_yaml_names_it(tmp_path: Path) -> None:
    config = tmp_path / "aisec.yaml"
    config.write_text("metrics_port: 99999\n")
    with pytest.raises(SettingsError) as raised:
        load_settings(ExampleSettings, config_file=config)
    assert "AISEC_METRICS_PORT" in str(raised.value)


def test_unparsable_yaml_fails_cleanly(tmp_path: Path) -> None:
    config = tmp_path / "aisec.yaml"
    config.write_text("port: [unclosed\n")
    with pytest.raises(SettingsError):
        load_settings(ExampleSettings, config_file=config)


def test_missing_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(ExampleSettings, config_file=tmp_path / "absent.yaml")
    assert "AISEC_CONFIG_FILE" in str(raised.value)


def test_invalid_override_names_the_setting() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(ExampleSettings, audit_batch_size=0)
    assert "AISEC_AUDIT_BATCH_SIZE" in str(raised.value)


def test_unknown_override_is_rejected() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(ExampleSettings, not_a_setting=1)
    assert "not_a_setting" in str(raised.value).lower()


def test_unrelated_env_variables_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other AISEC_* variables (e.g. the CLI's AISEC_TOKEN) must not break services."""
    monkeypatch.setenv("AISEC_TOKEN", "x")
    monkeypatch.setenv("AISEC_CLIENT_TIMEOUT_S", "3")
    assert load_settings(ExampleSettings).port == 0
