"""The service images, linted as text (Docker cannot build here): slim Python 3.11, non-root, protos
generated at build time, runtime requirements only, a target per service."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.paths import DOCKERFILE, REPO_ROOT, SERVICE_NAMES

DEFAULT_PORTS = {
    "validator": (50051, 9101),
    "guard": (50052, 9102),
    "vault": (50053, 9103),
    "audit": (50054, 9104),
}


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    result = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        keyword, _, rest = stripped.partition(" ")
        result.append((keyword.upper(), rest.strip()))
    return result


def stages() -> dict[str, list[tuple[str, str]]]:
    """Stage name -> its instructions."""
    found: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for keyword, args in instructions():
        if keyword == "FROM":
            name = args.split(" AS ")[-1].strip() if " AS " in args else f"stage{len(found)}"
            current = found.setdefault(name, [])
        current.append((keyword, args))
    return found


def test_base_image_is_a_pinned_slim_python_311() -> None:
    args = {a.split("=", 1)[0]: a.split("=", 1)[1] for k, a in instructions() if k == "ARG" and "=" in a}
    base = args["PYTHON_IMAGE"]
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?(@sha256:[0-9a-f]{64})?", base), base
    for keyword, arg in instructions():
        if keyword == "FROM":
            image = arg.split()[0]
            assert image in ("${PYTHON_IMAGE}", "runtime"), image
            assert not image.endswith(":latest")


def test_one_target_per_service_running_its_module() -> None:
    all_stages = stages()
    for service in SERVICE_NAMES:
        stage = all_stages[service]
        assert stage[0] == ("FROM", f"runtime AS {service}")
        assert ("CMD", f'["-m", "services.{service}"]') in stage
        grpc, metrics = DEFAULT_PORTS[service]
        assert ("EXPOSE", f"{grpc} {metrics} 8081") in stage
        assert ("ENV", f"AISEC_PORT={grpc} AISEC_METRICS_PORT={metrics}") in stage


def test_runtime_runs_as_a_non_root_user_with_a_healthcheck() -> None:
    runtime = stages()["runtime"]
    users = [args for keyword, args in runtime if keyword == "USER"]
    assert users == ["10001:10001"], "numeric non-root UID (runAsNonRoot can verify it)"
    keywords = [keyword for keyword, _ in runtime]
    assert keywords.index("USER") < keywords.index("ENTRYPOINT")
    healthcheck = next(args for keyword, args in runtime if keyword == "HEALTHCHECK")
    assert "grpc_health" in healthcheck and "AISEC_HEALTH_PORT" in healthcheck
    for service in SERVICE_NAMES:
        assert not any(keyword == "USER" for keyword, _ in stages()[service]), "service stages keep the user"


def test_protos_are_generated_at_build_time() -> None:
    build = " ".join(args for keyword, args in stages()["build"] if keyword == "RUN")
    assert "grpc_tools.protoc" in build
    for flag in ("--python_out", "--grpc_python_out", "--pyi_out"):
        assert flag in build
    assert "find protos -name '*_pb2*.py*' -delete" in build, "never ship generated files from a checkout"


def test_only_runtime_requirements_are_installed() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "requirements-dev" not in text
    installs = [args for keyword, args in instructions() if keyword == "RUN" and "pip install" in args]
    assert installs and all("-r requirements.txt" in args for args in installs)
    for dev_tool in ("pytest", "ruff", "mypy", "hypothesis", "moto"):
        assert dev_tool not in text
    assert "PIP_NO_CACHE_DIR=1" in text


def test_no_remote_fetches_or_baked_secrets() -> None:
    for keyword, args in instructions():
        assert keyword != "ADD", "use COPY; ADD fetches URLs and unpacks archives"
        assert not re.search(r"\b(curl|wget)\b", args)
        if keyword == "ENV":
            assert not re.search(r"(KEY|TOKEN|PASSWORD|SECRET)\w*=", args.replace("AISEC_HEALTH_PORT", "")), (
                args
            )


@pytest.mark.parametrize("source", ["requirements.txt", "protos", "services"])
def test_copied_sources_exist_and_pass_the_dockerignore(source: str) -> None:
    assert (REPO_ROOT / source).exists()
    ignore = (DOCKERFILE.parent / "Dockerfile.dockerignore").read_text(encoding="utf-8")
    assert f"!{source}" in ignore


def test_every_target_module_exists() -> None:
    for service in SERVICE_NAMES:
        assert (REPO_ROOT / "services" / service / "__main__.py").is_file(), service


def test_the_build_stage_protoc_command_generates_importable_code(tmp_path: Path) -> None:
    """Run the Dockerfile's own proto-generation commands (with this venv's Python) on a copy of protos/."""
    run = next(
        args for keyword, args in stages()["build"] if keyword == "RUN" and "grpc_tools.protoc" in args
    )
    steps = [step.strip() for step in run.split("&&")]
    generate = [
        step for step in steps if step.startswith(("find protos", "/opt/aisec/bin/python -m grpc_tools"))
    ]
    assert len(generate) == 2, steps
    shutil.copytree(
        REPO_ROOT / "protos", tmp_path / "protos", ignore=shutil.ignore_patterns("*_pb2*", ".generated")
    )
    script = " && ".join(generate).replace("/opt/aisec/bin/python", sys.executable)
    result = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    for service in SERVICE_NAMES:
        package = tmp_path / "protos" / "aisec" / service / "v1"
        assert (package / f"{service}_pb2.py").is_file() and (package / f"{service}_pb2_grpc.py").is_file()
    probe = (
        "import sys; sys.path.insert(0, '.'); import aisec.vault.v1.vault_pb2_grpc as m, aisec.audit.v1.audit_pb2; "
        "print(m.__file__)"
    )
    check = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path / "protos",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip().startswith(str(tmp_path)), (
        "imported the checkout's protos, not the generated ones"
    )
