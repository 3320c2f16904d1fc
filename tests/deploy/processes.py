"""Start the AISec services and a real Prometheus as processes on free loopback ports, for the
Prometheus integration test. Readiness is waited on (gRPC health, /-/ready), never slept for."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import yaml
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.deploy.paths import PROMETHEUS, REPO_ROOT

SERVICE_FULL_NAMES = {
    "validator": "aisec.validator.v1.ValidatorService",
    "guard": "aisec.guard.v1.GuardService",
    "vault": "aisec.vault.v1.VaultService",
    "audit": "aisec.audit.v1.AuditService",
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def service_exists(name: str) -> bool:
    return (REPO_ROOT / "services" / name / "__main__.py").is_file()


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str, poll_s: float = 0.1) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll_s)
    raise TimeoutError(f"timed out after {timeout_s:.0f}s waiting for {what}")


@dataclass
class ServiceProcess:
    name: str
    grpc_port: int
    metrics_port: int
    health_port: int
    log_path: Path
    process: subprocess.Popen[bytes]

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.grpc_port}"

    def serving(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(
                f"{self.name} exited with {self.process.returncode}:\n{self.log_path.read_text()[-3000:]}"
            )
        with grpc.insecure_channel(f"127.0.0.1:{self.health_port}") as channel:
            try:
                reply = health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(service=SERVICE_FULL_NAMES[self.name]), timeout=1
                )
            except grpc.RpcError:
                return False
        return bool(reply.status == health_pb2.HealthCheckResponse.SERVING)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_service(name: str, workdir: Path, settings: dict[str, str]) -> ServiceProcess:
    """`python -m services.<name>` configured only by AISEC_* environment variables."""
    grpc_port, metrics_port, health_port = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AISEC_")}
    env.update(settings)
    env.update(
        {
            "AISEC_HOST": "127.0.0.1",
            "AISEC_PORT": str(grpc_port),
            "AISEC_METRICS_HOST": "127.0.0.1",
            "AISEC_METRICS_PORT": str(metrics_port),
            "AISEC_HEALTH_PORT": str(health_port),
            "AISEC_STATE_DIR": str(workdir / name),
            "AISEC_LOG_LEVEL": "WARNING",
        }
    )
    log_path = workdir / f"{name}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return ServiceProcess(name, grpc_port, metrics_port, health_port, log_path, process)


@dataclass
class PrometheusServer:
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    started_at: float = field(default_factory=time.time)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, **params: str) -> dict[str, Any]:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(f"{self.url}{path}{query}", timeout=10) as response:  # noqa: S310 (loopback)
            payload: dict[str, Any] = json.loads(response.read())
        return payload

    def query(self, expr: str) -> dict[str, Any]:
        """/api/v1/query; returns the whole answer (status, data or errorType/error)."""
        try:
            return self.get("/api/v1/query", query=expr)
        except urllib.error.HTTPError as exc:  # 400/422 carry the PromQL error as JSON
            payload: dict[str, Any] = json.loads(exc.read())
            return payload

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"prometheus exited:\n{self.log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{self.url}/-/ready", timeout=1) as response:  # noqa: S310
                return bool(response.status == 200)
        except OSError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_prometheus(
    workdir: Path, scrape_jobs: dict[str, list[str]], rule_files: list[Path]
) -> PrometheusServer:
    """A real Prometheus scraping every job each second and evaluating the rules each second."""
    config = {
        "global": {"scrape_interval": "1s", "scrape_timeout": "900ms", "evaluation_interval": "1s"},
        "rule_files": [str(path) for path in rule_files],
        "scrape_configs": [
            {"job_name": job, "static_configs": [{"targets": targets}]}
            for job, targets in scrape_jobs.items()
        ],
    }
    config_path = workdir / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    port = free_port()
    log_path = workdir / "prometheus.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                PROMETHEUS,
                f"--config.file={config_path}",
                f"--storage.tsdb.path={workdir / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return PrometheusServer(port, process, log_path)
