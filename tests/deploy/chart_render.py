"""Render the chart offline with real Helm (helm-python-sdk) and parse the manifests."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import helm_python as helm
import yaml

from tests.deploy.paths import CHART_DIR, CI_VALUES_DIR

RELEASE = "demo"
NAMESPACE = "aisec"

Manifest = dict[str, Any]


def ci_value_files() -> list[Path]:
    """Every chart-testing value set under ci/."""
    return sorted(CI_VALUES_DIR.glob("*.yaml"))


def load_values(path: Path) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded or {}


def render(values: dict[str, Any] | None = None) -> dict[str, str]:
    """Template path -> rendered text, as `helm template` produces it."""
    with helm.Chart.load(CHART_DIR) as chart:
        return chart.render(values or {}, name=RELEASE, namespace=NAMESPACE, is_install=True)


def parse_manifests(rendered: dict[str, str]) -> list[Manifest]:
    manifests: list[Manifest] = []
    for template, text in sorted(rendered.items()):
        if template.endswith("NOTES.txt"):
            continue
        manifests.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return manifests


@functools.cache
def _render_file_cached(name: str) -> tuple[dict[str, str], list[Manifest]]:
    rendered = render(load_values(CI_VALUES_DIR / name))
    return rendered, parse_manifests(rendered)


def manifests_for(values_file: Path) -> list[Manifest]:
    """Parsed manifests of a ci/ value set (rendered once per test session)."""
    return _render_file_cached(values_file.name)[1]


def notes_for(values_file: Path) -> str:
    rendered = _render_file_cached(values_file.name)[0]
    return next(text for name, text in rendered.items() if name.endswith("NOTES.txt"))


def by_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == kind]


def named(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    matches = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind} {name}, found {len(matches)}"
    return matches[0]


def workloads(manifests: list[Manifest]) -> list[Manifest]:
    return [m for m in manifests if m["kind"] in ("Deployment", "StatefulSet")]


def env_of(workload: Manifest) -> dict[str, Any]:
    """Container env as name -> value (or the valueFrom dict)."""
    container = workload["spec"]["template"]["spec"]["containers"][0]
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container.get("env", [])}
