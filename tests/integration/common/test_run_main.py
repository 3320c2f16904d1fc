"""run_main(): the whole main() of a service process — bad settings exit 2
naming the setting; SIGTERM stops a serving process cleanly with exit 0."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from prometheus_client import CollectorRegistry

from services.common.emitter import AuditEmitter
from services.common.server import ServiceDefinition, run_main
from services.common.settings import ServiceSettings
from tests.integration.common.support import VALIDATOR, ScriptedValidator, validator_definition

REPO_ROOT = Path(__file__).resolve().parents[3]

SERVICE_SCRIPT = textwrap.dedent(
    """
    import sys
    from services.common.server import run_main
    from services.common.settings import ServiceSettings
    from tests.integration.common.support import ScriptedValidator, validator_definition

    async def build(settings, registry, emitter):
        return validator_definition(ScriptedValidator())

    sys.exit(run_main("test", ServiceSettings, build, argv=sys.argv[1:]))
    """
)


def service_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AISEC_")}
    env.update({f"AISEC_{k.upper()}": v for k, v in settings.items()})
    return env


async def build(
    settings: ServiceSettings, registry: CollectorRegistry, emitter: AuditEmitter
) -> ServiceDefinition:
    return validator_definition(ScriptedValidator())


def test_invalid_setting_exits_2_naming_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(os.environ):
        if name.startswith("AISEC_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AISEC_PORT", "70000")
    monkeypatch.setenv("AISEC_AUTH_ENABLED", "false")
    assert run_main("test", ServiceSettings, build, argv=[]) == 2
    assert "AISEC_PORT" in capsys.readouterr().err


def test_missing_config_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_main("test", ServiceSettings, build, argv=["--config", str(tmp_path / "absent.yaml")]) == 2
    assert "AISEC_CONFIG_FILE" in capsys.readouterr().err


def test_sigterm_stops_a_serving_process(tmp_path: Path) -> None:
    config = tmp_path / "service.yaml"
    config.write_text("host: 127.0.0.1\nport: 0\ngrace_period_s: 2\n")
    stderr_path = tmp_path / "stderr.log"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", SERVICE_SCRIPT, "--config", str(config)],
            cwd=REPO_ROOT,
            env=service_env(auth_enabled="false"),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            assert process.poll() is None, stderr_path.read_text()
            for line in stderr_path.read_text().splitlines():
                if line.startswith("{") and json.loads(line).get("msg") == "serving":
                    port = json.loads(line)["port"]
            time.sleep(0.05)
        assert port, f"never logged 'serving':\n{stderr_path.read_text()}"
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=VALIDATOR), timeout=5
            )
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0
        messages = [
            json.loads(line)["msg"] for line in stderr_path.read_text().splitlines() if line.startswith("{")
        ]
        assert messages[-2:] == ["shutting down", "stopped"]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
