"""PromQL helpers shared by the dashboard and Prometheus tests."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.paths import DASHBOARDS_DIR, PLAIN_RULES_FILE, PROMTOOL

# Grafana variables replaced by what Grafana would send for "All" over a short range.
GRAFANA_SUBSTITUTIONS = {
    "$__rate_interval": "1m",
    "$__interval": "15s",
    "$__range": "5m",
    "$service": ".*",
}


def substitute_grafana_variables(expr: str) -> str:
    for variable, value in GRAFANA_SUBSTITUTIONS.items():
        expr = expr.replace(variable, value)
    assert "$" not in expr, f"unknown Grafana variable in {expr}"
    return expr


def dashboards() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(DASHBOARDS_DIR.glob("*.json"))}


def panels(dashboard: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in dashboard["panels"]:
        yield panel
        yield from panel.get("panels", [])


def panel_queries() -> list[tuple[str, str]]:
    """(dashboard/panel/refId, PromQL with Grafana variables substituted) for every panel target."""
    queries = []
    for name, dashboard in dashboards().items():
        for panel in panels(dashboard):
            for target in panel.get("targets", []):
                queries.append(
                    (
                        f"{name}/{panel['title']}/{target['refId']}",
                        substitute_grafana_variables(target["expr"]),
                    )
                )
    return queries


def alert_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(PLAIN_RULES_FILE.read_text(encoding="utf-8"))["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def check_expressions_parse(expressions: list[str], workdir: Path) -> subprocess.CompletedProcess[str]:
    """promtool check rules on recording rules wrapping each expression: an offline PromQL parser."""
    rules = [{"record": f"aisec:check_{i}", "expr": expr} for i, expr in enumerate(expressions)]
    path = workdir / "expressions.yaml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "expressions", "rules": rules}]}), encoding="utf-8")
    return subprocess.run(
        [PROMTOOL, "check", "rules", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
