"""A real PostgreSQL 15 server for the audit tests (session-scoped) and a fresh database per test.

Started from the Debian package binaries on a free port, with its socket in a
private tmp dir; as root the server runs as the ``postgres`` user. Readiness is
``pg_isready``, never a sleep.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.conftest import find_free_port

PG_BIN = Path(os.environ.get("AISEC_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


@dataclass(frozen=True)
class PostgresServer:
    port: int
    root: Path

    def dsn(self, dbname: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname} connect_timeout=10"


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str], log: Path) -> None:
    with log.open("ab") as out:
        subprocess.run(_as_postgres(argv), check=True, stdout=out, stderr=subprocess.STDOUT, timeout=120)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL binaries not found in {PG_BIN}")
    root = Path(tempfile.mkdtemp(prefix="aisec-pg-"))
    if os.geteuid() == 0:
        pg_user = pwd.getpwnam("postgres")
        os.chown(root, pg_user.pw_uid, pg_user.pw_gid)
    data, log = root / "data", root / "server.log"
    log.touch()
    if os.geteuid() == 0:
        os.chown(log, pg_user.pw_uid, pg_user.pw_gid)
    port = find_free_port()
    try:
        _run([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync"], log)
        _run(
            [
                str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=100",
                "start",
            ],
            log,
        )
        deadline = time.monotonic() + 60
        while True:
            ready = subprocess.run(
                [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-t", "2"],
                capture_output=True, check=False,
            )
            if ready.returncode == 0:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not become ready: {log.read_text()[-2000:]}")
            time.sleep(0.1)  # poll interval between readiness probes
        yield PostgresServer(port, root)
    finally:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True, check=False, timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


_db_numbers = itertools.count()


@pytest.fixture
def postgres_dsn(postgres_server: PostgresServer) -> str:
    """DSN of a new, empty database on the session server."""
    name = f"audit_test_{os.getpid()}_{next(_db_numbers)}"
    with psycopg.connect(postgres_server.dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_server.dsn(name)
