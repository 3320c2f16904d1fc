"""`make run`: the four services locally, with embedded defaults.

Creates the dev signing key, dev tokens and the shared hashing key under
`.aisec/` on first use, starts one process per service on the ports of
DESIGN.md, waits until each reports SERVING, and stops them all cleanly on
Ctrl-C / SIGTERM (or when one of them dies).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import grpc
import jwt
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.common.auth import mint_token, new_secret, read_secret

DEV_TOKEN_TTL_S = 30 * 24 * 3600


@dataclass(frozen=True)
class DevService:
    name: str
    port: int
    metrics_port: int
    full_name: str


SERVICES = (
    DevService("audit", 50054, 9104, "aisec.audit.v1.AuditService"),
    DevService("validator", 50051, 9101, "aisec.validator.v1.ValidatorService"),
    DevService("guard", 50052, 9102, "aisec.guard.v1.GuardService"),
    DevService("vault", 50053, 9103, "aisec.vault.v1.VaultService"),
)


def _secret_file(path: Path) -> bytes:
    if not path.exists():
        path.write_bytes(new_secret() + b"\n")
        path.chmod(0o600)
    return read_secret(path)


def _token_file(path: Path, key: bytes, subject: str, scopes: list[str]) -> None:
    """(Re)write a token file unless the token there is still valid for a day."""
    if path.exists():
        try:
            claims = jwt.decode(
                path.read_text().strip(), key, algorithms=["HS256"], audience="aisec", issuer="aisec"
            )
            if claims.get("exp", 0) > time.time() + 24 * 3600 and claims.get("scope") == " ".join(sorted(scopes)):
                return
        except jwt.PyJWTError:
            pass
    path.write_text(mint_token(key, subject=subject, scopes=scopes, ttl_s=DEV_TOKEN_TTL_S) + "\n")
    path.chmod(0o600)


def prepare_state(state_dir: Path) -> dict[str, Path]:
    state_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "jwt_key": state_dir / "dev-jwt.key",
        "hash_key": state_dir / "hash.key",
        "dev_token": state_dir / "dev-token",
        "service_token": state_dir / "service-token",
    }
    key = _secret_file(files["jwt_key"])
    _secret_file(files["hash_key"])
    _token_file(files["dev_token"], key, "dev", ["admin"])
    _token_file(files["service_token"], key, "aisec-services", ["audit:append"])
    return files


def service_env(service: DevService, state_dir: Path, files: dict[str, Path], base: dict[str, str]) -> dict[str, str]:
    env = dict(base)
    env.update(
        {
            "AISEC_PORT": str(service.port),
            "AISEC_METRICS_PORT": str(service.metrics_port),
            "AISEC_HOST": "127.0.0.1",
            "AISEC_METRICS_HOST": "127.0.0.1",
            "AISEC_STATE_DIR": str(state_dir),
            "AISEC_JWT_HS256_KEY_FILE": str(files["jwt_key"]),
            "AISEC_HASH_KEY_FILE": str(files["hash_key"]),
            "AISEC_GRACE_PERIOD_S": "3",
        }
    )
    if service.name != "audit":
        env["AISEC_AUDIT_TARGET"] = "127.0.0.1:50054"
        env["AISEC_AUDIT_TOKEN_FILE"] = str(files["service_token"])
    return env


def wait_serving(service: DevService, proc: subprocess.Popen[bytes], timeout_s: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout_s
    with grpc.insecure_channel(f"127.0.0.1:{service.port}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False
            try:
                reply = stub.Check(health_pb2.HealthCheckRequest(service=service.full_name), timeout=1.0)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return True
            except grpc.RpcError:
                pass
            time.sleep(0.1)
    return False


def stop_all(procs: dict[str, subprocess.Popen[bytes]], timeout_s: float = 10.0) -> None:
    """Stop the emitting services first, so their last audit events reach audit."""
    emitters = {name: proc for name, proc in procs.items() if name != "audit"}
    for group in (emitters, {name: proc for name, proc in procs.items() if name == "audit"}):
        for proc in group.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        for proc in group.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make run", description=__doc__)
    parser.add_argument("--state-dir", type=Path, default=Path(".aisec"))
    parser.add_argument("--only", nargs="*", help="start only these services")
    args = parser.parse_args(argv)
    state_dir = args.state_dir.resolve()
    files = prepare_state(state_dir)
    wanted = [s for s in SERVICES if not args.only or s.name in args.only]

    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    procs: dict[str, subprocess.Popen[bytes]] = {}
    base_env = dict(os.environ)
    try:
        for service in wanted:
            procs[service.name] = subprocess.Popen(
                [sys.executable, "-m", f"services.{service.name}"],
                env=service_env(service, state_dir, files, base_env),
                start_new_session=True,  # Ctrl-C reaches us; we stop the children in order
            )
            if not wait_serving(service, procs[service.name]):
                print(f"make run: {service.name} did not become SERVING", file=sys.stderr)
                return 1
        print("AISec is running:", file=sys.stderr)
        for service in wanted:
            print(
                f"  {service.name:<9} grpc 127.0.0.1:{service.port}  metrics http://127.0.0.1:{service.metrics_port}/metrics",
                file=sys.stderr,
            )
        print(f"  dev token: {files['dev_token']} (the aisec CLI finds it)  -- Ctrl-C stops all", file=sys.stderr)
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    print(f"make run: {name} exited with {proc.returncode}; stopping", file=sys.stderr)
                    return 1
            time.sleep(0.2)
        return 0
    finally:
        stop_all(procs)


if __name__ == "__main__":
    sys.exit(main())
