"""Every rendered manifest is valid Kubernetes: `kubernetes-validate --strict` for the oldest supported and
the current Kubernetes version; the Prometheus Operator objects (not in its schemas) are checked for their
required fields here, and the PrometheusRule's rules by promtool."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.deploy.chart_render import by_kind, ci_value_files, manifests_for
from tests.deploy.paths import KUBERNETES_VERSIONS, PROMTOOL, REPO_ROOT

CI_FILES = ci_value_files()
MONITORING_API = "monitoring.coreos.com/v1"


@pytest.mark.parametrize("kubernetes_version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("values_file", CI_FILES, ids=[p.stem for p in CI_FILES])
def test_manifests_pass_strict_schema_validation(values_file: Path, kubernetes_version: str) -> None:
    checked = 0
    for manifest in manifests_for(values_file):
        if manifest["apiVersion"] == MONITORING_API:
            continue  # CRDs: checked below
        try:
            kubernetes_validate.validate(manifest, kubernetes_version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(
                f"{manifest['kind']} {manifest['metadata']['name']} (k8s {kubernetes_version}): {exc.message}"
            )
        checked += 1
    assert checked > 5


def test_the_kubernetes_validate_cli_accepts_a_rendered_release(tmp_path: Path) -> None:
    """The same check through the command line a platform team runs."""
    manifests = [
        m
        for m in manifests_for(REPO_ROOT / "deploy/helm/aisec/ci/production-values.yaml")
        if m["apiVersion"] != MONITORING_API
    ]
    release = tmp_path / "release.yaml"
    release.write_text(yaml.safe_dump_all(manifests), encoding="utf-8")
    cli = Path(sys.executable).parent / "kubernetes-validate"
    result = subprocess.run(
        [str(cli), "--strict", "--quiet", "-k", KUBERNETES_VERSIONS[-1], str(release)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _check_metadata(manifest: dict[str, Any]) -> None:
    metadata = manifest["metadata"]
    assert metadata["name"] and metadata["namespace"]
    assert "release" in metadata["labels"], "the Prometheus Operator selects on the release label"


def _monitoring_objects() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for values_file in CI_FILES:
        for manifest in manifests_for(values_file):
            if manifest["apiVersion"] == MONITORING_API:
                found.append((values_file.stem, manifest))
    return found


def test_monitoring_objects_are_rendered_by_some_value_set() -> None:
    kinds = {m["kind"] for _, m in _monitoring_objects()}
    assert kinds == {"ServiceMonitor", "PrometheusRule"}


@pytest.mark.parametrize(
    "manifest",
    [m for _, m in _monitoring_objects() if m["kind"] == "ServiceMonitor"],
    ids=[f"{stem}" for stem, m in _monitoring_objects() if m["kind"] == "ServiceMonitor"],
)
def test_service_monitor_has_its_required_fields(manifest: dict[str, Any]) -> None:
    _check_metadata(manifest)
    spec = manifest["spec"]
    assert set(spec) <= {
        "jobLabel",
        "namespaceSelector",
        "selector",
        "endpoints",
        "targetLabels",
        "podTargetLabels",
    }
    assert spec["selector"]["matchLabels"], "spec.selector is required"
    assert spec["endpoints"], "at least one endpoint"
    for endpoint in spec["endpoints"]:
        assert endpoint["port"] == "metrics"
        assert endpoint["path"] == "/metrics"
        for field in ("interval", "scrapeTimeout"):
            assert endpoint[field][-1] in "smh" and endpoint[field][:-1].isdigit()


@pytest.mark.parametrize(
    "manifest",
    [m for _, m in _monitoring_objects() if m["kind"] == "PrometheusRule"],
    ids=[f"{stem}" for stem, m in _monitoring_objects() if m["kind"] == "PrometheusRule"],
)
def test_prometheus_rule_has_its_required_fields_and_valid_rules(
    manifest: dict[str, Any], tmp_path: Path
) -> None:
    _check_metadata(manifest)
    groups = manifest["spec"]["groups"]
    assert set(manifest["spec"]) == {"groups"}
    for group in groups:
        assert group["name"] and group["rules"]
        for rule in group["rules"]:
            assert ("alert" in rule) != ("record" in rule)
            assert rule["expr"]
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(yaml.safe_dump({"groups": groups}), encoding="utf-8")
    result = subprocess.run(
        [PROMTOOL, "check", "rules", str(rules_file)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_services_expose_named_ports_the_monitor_and_policies_use() -> None:
    manifests = manifests_for(REPO_ROOT / "deploy/helm/aisec/ci/production-values.yaml")
    for service in by_kind(manifests, "Service"):
        names = {p["name"] for p in service["spec"]["ports"]}
        assert "grpc" in names
        if not service["spec"].get("clusterIP") == "None":
            assert "metrics" in names
