"""The alerting rules: one source for chart and plain Prometheus, mixin conventions, a runbook per alert,
and promtool unit tests in which every alert both fires and stays quiet."""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict

import yaml

from tests.deploy.paths import CHART_RULES_FILE, PLAIN_RULES_FILE, PROMTOOL, RULE_TESTS_DIR, RUNBOOKS_DIR
from tests.deploy.promql import alert_rules

# What issue 7 asks the alerts to cover, by alert name.
REQUIRED_ALERTS = {
    "AISecInputRejectionRatioHigh",  # high ratio of rejected inputs (attack in progress)
    "AISecInputRejectionRateHigh",  # high rate of rejected inputs
    "AISecRedactionSpike",  # spike of redactions (unusual model output)
    "AISecLeakDetected",  # leak detections (unusual model output)
    "AISecTenantRateLimited",  # one tenant persistently over its limit
    "AISecSensitiveEndpointDenied",  # permission-denied calls to vault or admin RPCs
    "AISecVaultAccessDenied",  # vault model access refused
    "AISecAuditAppendFailures",  # audit append failures
    "AISecAuditCheckpointStale",  # stale checkpoint
    "AISecErrorBudgetBurn",  # error-rate SLO burn
    "AISecLatencyBudgetBurn",  # latency SLO burn
    "AISecServiceDown",  # a service down
}
RUNBOOK_BASE = "https://github.com/aisec-suite/aisec/blob/main/docs/runbooks/"


def test_plain_rules_file_is_the_chart_rules_file() -> None:
    assert PLAIN_RULES_FILE.resolve() == CHART_RULES_FILE.resolve() or (
        PLAIN_RULES_FILE.read_bytes() == CHART_RULES_FILE.read_bytes()
    )


def test_promtool_check_rules() -> None:
    result = subprocess.run(
        [PROMTOOL, "check", "rules", str(PLAIN_RULES_FILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_promtool_unit_tests_pass() -> None:
    files = sorted(RULE_TESTS_DIR.glob("*.yaml"))
    assert files
    # One promtool per file, concurrently: each evaluates every rule at every step of its cases.
    runs = {
        path.name: subprocess.Popen(
            [PROMTOOL, "test", "rules", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for path in files
    }
    failures = {}
    for name, process in runs.items():
        output, _ = process.communicate(timeout=120)
        if process.returncode != 0:
            failures[name] = output
    assert not failures, failures


def test_alerts_follow_the_mixin_conventions() -> None:
    for rule in alert_rules():
        name = rule["alert"]
        assert re.fullmatch(r"AISec(?:[A-Z][a-z0-9]+)+", name), name
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, name
        assert set(rule["annotations"]) == {"summary", "description", "runbook_url"}, name
        assert "for" in rule, f"{name}: state the pending period, even 0m"
        assert "user" not in rule["expr"] and "subject" not in rule["expr"], "label by tenant, never by user"
        assert rule["annotations"]["runbook_url"] == f"{RUNBOOK_BASE}{name.lower()}.md"


def test_required_alerts_exist() -> None:
    assert REQUIRED_ALERTS <= {rule["alert"] for rule in alert_rules()}


def test_every_alert_has_a_runbook() -> None:
    for name in {rule["alert"] for rule in alert_rules()}:
        runbook = RUNBOOKS_DIR / f"{name.lower()}.md"
        assert runbook.is_file(), f"missing {runbook}"
        text = runbook.read_text(encoding="utf-8")
        assert text.startswith(f"# {name}"), runbook
        for section in ("## Meaning", "## Impact", "## Diagnosis", "## Mitigation"):
            assert section in text, f"{runbook} lacks {section}"


def test_every_alert_has_a_firing_and_a_quiet_unit_test() -> None:
    fired: dict[str, set[str]] = defaultdict(set)
    quiet: set[str] = set()
    for path in RULE_TESTS_DIR.glob("*.yaml"):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]:
            for check in case.get("alert_rule_test", []):
                if check["exp_alerts"]:
                    fired[check["alertname"]].update(a["exp_labels"]["severity"] for a in check["exp_alerts"])
                else:
                    quiet.add(check["alertname"])
    for rule in alert_rules():
        assert rule["labels"]["severity"] in fired[rule["alert"]], (
            f"{rule['alert']} never fires in a unit test"
        )
        assert rule["alert"] in quiet, f"{rule['alert']} has no quiet unit test"
