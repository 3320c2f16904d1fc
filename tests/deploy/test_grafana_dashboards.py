"""Grafana dashboards: a datasource variable, RED per service, the security panels, and valid PromQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.deploy.promql import check_expressions_parse, dashboards, panel_queries, panels

DASHBOARDS = dashboards()
SECURITY_PANELS = {
    "Decisions by reason",
    "Top finding categories",
    "Redactions by entity type",
    "Rate-limited tenants",
    "Vault access denials",
    "Audit tree size",
    "Checkpoint age",
}
RED_PANELS = {"Rate by service", "Errors by service and code", "Latency p99 by service"}


def test_both_dashboards_exist() -> None:
    assert set(DASHBOARDS) == {"aisec-overview.json", "aisec-security.json"}


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_dashboard_uses_a_datasource_variable_everywhere(name: str) -> None:
    dashboard: dict[str, Any] = DASHBOARDS[name]
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    assert dashboard["uid"] and dashboard["title"].startswith("AISec")
    ids = [p["id"] for p in panels(dashboard)]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for panel in panels(dashboard):
        assert 0 <= panel["gridPos"]["x"] and panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
        assert panel["targets"], panel["title"]
        assert panel.get("description"), f"{panel['title']}: say what the panel shows"
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}"
            assert target["expr"].strip()


def test_overview_has_red_panels_per_service() -> None:
    titles = {p["title"]: p for p in panels(DASHBOARDS["aisec-overview.json"])}
    assert RED_PANELS <= set(titles)
    for title in RED_PANELS:
        assert "by (service" in titles[title]["targets"][0]["expr"]


def test_security_dashboard_has_the_security_panels() -> None:
    titles = {p["title"] for p in panels(DASHBOARDS["aisec-security.json"])}
    assert SECURITY_PANELS <= titles


def test_every_panel_query_is_valid_promql(tmp_path: Path) -> None:
    queries = panel_queries()
    assert len(queries) > 30
    result = check_expressions_parse([expr for _, expr in queries], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
