"""Where the deploy artifacts live, for every deploy test."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DIR = REPO_ROOT / "deploy"
CHART_DIR = DEPLOY_DIR / "helm" / "aisec"
CI_VALUES_DIR = CHART_DIR / "ci"
CHART_RULES_FILE = CHART_DIR / "files" / "aisec-rules.yaml"
DASHBOARDS_DIR = CHART_DIR / "dashboards"
PLAIN_RULES_FILE = DEPLOY_DIR / "prometheus" / "aisec-rules.yaml"
RULE_TESTS_DIR = DEPLOY_DIR / "prometheus" / "tests"
DOCKERFILE = DEPLOY_DIR / "docker" / "Dockerfile"
RUNBOOKS_DIR = REPO_ROOT / "docs" / "runbooks"
PROMTOOL = "/usr/bin/promtool"
PROMETHEUS = "/usr/bin/prometheus"
SERVICE_NAMES = ("validator", "guard", "vault", "audit")
# Kubernetes versions the rendered manifests must validate against (oldest supported by the chart, current).
KUBERNETES_VERSIONS = ("1.29.0", "1.37.0")
