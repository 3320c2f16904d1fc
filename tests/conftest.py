"""Fixtures shared by every test directory.

- ``find_free_port()`` / the ``free_port`` fixture: a free loopback TCP port.
- ``redis_server``: a factory starting real ``redis-server`` processes on free
  ports in a tmp dir; each can be stopped and restarted on the same port.
- ``dev_key`` / ``dev_key_file`` / ``make_token``: HS256 dev tokens.
- ``rsa_jwks``: an RSA and an EC key pair plus a JWKS file with both public keys.
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from services.common.settings import ServiceSettings, load_settings

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
ISSUER = "aisec"
AUDIENCE = "aisec"


def find_free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def free_port() -> Callable[[], int]:
    """``free_port()`` inside a test returns a fresh free port."""
    return find_free_port


# --- redis ----------------------------------------------------------------------


def _redis_ping(port: int, timeout_s: float = 0.2) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class RedisServer:
    """One real redis-server process; ``stop()``/``start()`` keep the port."""

    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout_s: float = 10.0) -> None:
        if self.running:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--protected-mode",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode} on port {self.port}")
            if _redis_ping(self.port):
                return
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"redis-server did not answer PING on port {self.port} within {timeout_s}s")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], RedisServer]]:
    """Factory: ``server = redis_server()`` starts a fresh redis-server and waits
    for PING. Every server started is stopped when the test ends."""
    started: list[RedisServer] = []

    def start() -> RedisServer:
        server = RedisServer(port=find_free_port(), directory=tmp_path_factory.mktemp("redis"))
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()


# --- tokens --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def dev_key() -> bytes:
    """The HS256 dev secret (64 hex characters, like `make run` writes)."""
    return secrets.token_hex(32).encode()


@pytest.fixture(scope="session")
def dev_key_file(dev_key: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "dev-jwt.key"
    path.write_bytes(dev_key + b"\n")
    return path


def token_claims(
    scopes: Iterable[str] = ("admin",),
    tenant: str | None = "default",
    subject: str = "tester",
    ttl_s: int = 3600,
    **claims: Any,
) -> dict[str, Any]:
    """Standard claims; keyword ``claims`` override or add (``None`` removes one)."""
    now = int(time.time())
    body: dict[str, Any] = {
        "sub": subject,
        "tenant": tenant,
        "scope": " ".join(scopes),
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + ttl_s,
        "jti": secrets.token_hex(8),
    }
    body.update(claims)
    return {k: v for k, v in body.items() if v is not None}


MakeToken = Callable[..., str]


@pytest.fixture(scope="session")
def make_token(dev_key: bytes) -> MakeToken:
    """``make_token(scopes=[...], tenant=..., subject=..., **claims)`` -> HS256 JWT
    signed with ``dev_key``. Override any claim, e.g. ``exp=0`` or ``aud="x"``."""

    def make(
        scopes: Iterable[str] = ("admin",),
        tenant: str = "default",
        subject: str = "tester",
        **claims: Any,
    ) -> str:
        return jwt.encode(token_claims(scopes, tenant, subject, **claims), dev_key, algorithm="HS256")

    return make


@dataclass
class JwksKeys:
    """Asymmetric signing keys and the JWKS file with their public halves."""

    rsa_private: rsa.RSAPrivateKey
    ec_private: ec.EllipticCurvePrivateKey
    path: Path
    rsa_kid: str = "rsa-1"
    ec_kid: str = "ec-1"
    jwks: dict[str, Any] = field(default_factory=dict)

    @property
    def rsa_public_pem(self) -> bytes:
        return self.rsa_private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign_rs256(self, claims: dict[str, Any], kid: str | None = None) -> str:
        return jwt.encode(claims, self.rsa_private, algorithm="RS256", headers={"kid": kid or self.rsa_kid})

    def sign_es256(self, claims: dict[str, Any], kid: str | None = None) -> str:
        return jwt.encode(claims, self.ec_private, algorithm="ES256", headers={"kid": kid or self.ec_kid})


@pytest.fixture(scope="session")
def rsa_jwks(tmp_path_factory: pytest.TempPathFactory) -> JwksKeys:
    """RSA (RS256) and EC P-256 (ES256) keys; ``.path`` is a JWKS file with both."""
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    rsa_jwk = json.loads(RSAAlgorithm.to_jwk(rsa_key.public_key()))
    rsa_jwk.update({"kid": "rsa-1", "alg": "RS256", "use": "sig"})
    ec_jwk = json.loads(ECAlgorithm.to_jwk(ec_key.public_key()))
    ec_jwk.update({"kid": "ec-1", "alg": "ES256", "use": "sig"})
    jwks = {"keys": [rsa_jwk, ec_jwk]}
    path = tmp_path_factory.mktemp("jwks") / "jwks.json"
    path.write_text(json.dumps(jwks))
    return JwksKeys(rsa_private=rsa_key, ec_private=ec_key, path=path, jwks=jwks)


SettingsT = TypeVar("SettingsT", bound=ServiceSettings)


def server_settings(cls: type[SettingsT], key_file: Path, **overrides: Any) -> SettingsT:
    """Settings for a service under test: loopback, port 0, auth on with the dev
    key, no rate limits, a short drain; ``overrides`` win."""
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": 0,
        "auth_enabled": True,
        "jwt_hs256_key_file": key_file,
        "ratelimit_enabled": False,
        "grace_period_s": 0.5,
    }
    values.update(overrides)
    return load_settings(cls, **values)
