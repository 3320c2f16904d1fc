"""Audit settings validation, the retention task and the dev signing key."""

from __future__ import annotations

from pathlib import Path

import pytest
from aisec.audit.v1 import audit_pb2

from services.audit.checkpoint import NoteSigner
from services.audit.retention import purge_expired_once
from services.audit.settings import AuditSettings
from services.audit.signing_key import load_or_create_signer, verifier_key_path
from services.common.settings import SettingsError, load_settings
from tests.unit.audit.helpers import make_event, open_log


def test_settings_defaults_and_errors(tmp_path: Path) -> None:
    settings = load_settings(AuditSettings, auth_enabled=False, state_dir=tmp_path)
    assert settings.resolved_sqlite_path() == tmp_path / "audit" / "audit.db"
    assert settings.sqlite_synchronous == "FULL"
    policy = load_settings(AuditSettings, auth_enabled=False, retention_max_age_s={"INTERACTION": 60})
    assert policy.retention_policy() == {audit_pb2.EVENT_TYPE_INTERACTION: 60}
    with pytest.raises(SettingsError, match="RETENTION_MAX_AGE_S"):
        load_settings(AuditSettings, auth_enabled=False, retention_max_age_s={"RETENTION": 60})
    with pytest.raises(SettingsError, match="postgres_dsn"):
        load_settings(AuditSettings, auth_enabled=False, log_store="postgres")


def test_dev_signing_key_is_created_once(tmp_path: Path) -> None:
    key_file = tmp_path / "audit" / "checkpoint.key"
    first = load_or_create_signer(key_file, "aisec.local/audit")
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert verifier_key_path(key_file).read_text().strip() == first.verifier_key()
    again = load_or_create_signer(key_file, "aisec.local/audit")
    assert again.verifier_key() == first.verifier_key()
    with pytest.raises(ValueError, match="log_origin"):
        load_or_create_signer(key_file, "other.origin/log")


async def test_retention_task_purges_configured_types_only(tmp_path: Path) -> None:
    now = [3_000_000_000_000_000_000]
    log = await open_log(tmp_path, NoteSigner.generate("test.local/audit"), clock_ns=lambda: now[0])
    try:
        old = now[0] - 3600 * 10**9
        await log.append([make_event(i, time_ns=old, event_type=audit_pb2.EVENT_TYPE_INTERACTION) for i in range(3)])
        await log.append([make_event(9, time_ns=old)])  # VALIDATION: no policy, kept
        policy = {audit_pb2.EVENT_TYPE_INTERACTION: 60.0}
        assert await purge_expired_once(log, policy, batch_limit=100) == {"INTERACTION": 3}
        assert await purge_expired_once(log, policy, batch_limit=100) == {}
        rows = log.store.read(0, 100)
        assert [r.purged for r in rows] == [True, True, True, False, False]
        purged = log.metrics.purged.labels("INTERACTION")._value.get()
        assert purged == 3
    finally:
        await log.aclose()
