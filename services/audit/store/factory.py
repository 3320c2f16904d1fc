"""The one place a LogStore backend is chosen."""

from __future__ import annotations

from services.audit.settings import AuditSettings
from services.audit.store.base import LogStore


def make_log_store(settings: AuditSettings) -> LogStore:
    if settings.log_store == "postgres":
        from services.audit.store.postgres import PostgresLogStore

        assert settings.postgres_dsn is not None  # checked by AuditSettings
        return PostgresLogStore(settings.postgres_dsn)
    from services.audit.store.sqlite import SqliteLogStore

    return SqliteLogStore(settings.resolved_sqlite_path(), synchronous=settings.sqlite_synchronous)
