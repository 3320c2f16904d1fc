"""End to end: the real services and a real Prometheus (Debian `prometheus`) scraping them every second
with the plain rules file loaded. After driving allowed, denied, invalid, forged and rate-limited calls,
every dashboard query and every alert expression goes through /api/v1/query: all parse, and every
panel whose metrics the traffic produced returns data, as do the alerts the traffic provokes."""

from __future__ import annotations

import re
import secrets
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from services.common.auth import mint_token
from tests.deploy.paths import PLAIN_RULES_FILE, SERVICE_NAMES
from tests.deploy.processes import (
    PrometheusServer,
    ServiceProcess,
    free_port,
    service_exists,
    start_prometheus,
    start_service,
    wait_until,
)
from tests.deploy.promql import alert_rules, panel_queries
from tests.deploy.traffic import DRIVERS, FLOOD_TENANT, Tokens, drive_abuse

RUNNING = [name for name in SERVICE_NAMES if service_exists(name)]
MISSING = [name for name in SERVICE_NAMES if name not in RUNNING]
# Selectors of AISec metrics, recorded series, `up` and `ALERTS` inside a PromQL expression.
SELECTOR = re.compile(r"\b(aisec_[a-z0-9_]+|aisec:[a-z0-9_:]+|up|ALERTS)(\{[^}]*\})?")
ABUSIVE_CALLS = 600  # per service: enough for rate(...[5m]) to cross the 0.5/s and 1/s alert thresholds


@dataclass
class Stack:
    services: dict[str, ServiceProcess]
    prometheus: PrometheusServer
    codes: dict[str, Counter[str]]


def _settings(workdir: Path, audit_target: str | None) -> dict[str, str]:
    key_file = workdir / "hs256.key"
    hash_file = workdir / "hash.key"
    token_file = workdir / "audit.token"
    settings = {
        "AISEC_AUTH_ENABLED": "true",
        "AISEC_JWT_HS256_KEY_FILE": str(key_file),
        "AISEC_HASH_KEY_FILE": str(hash_file),
        "AISEC_RATELIMIT_TENANTS": f'{{"{FLOOD_TENANT}": {{"rate": 1, "burst": 2}}}}',
        "AISEC_CHECKPOINT_INTERVAL_S": "1",
        "AISEC_HEALTH_CHECK_INTERVAL_S": "1",
        # The forged-token flood must reach the verifier so AISecAuthFailuresHigh sees it; the per-address
        # throttle that would refuse most of it unchecked is tested in tests/integration/common.
        "AISEC_AUTH_FAILURE_RATE": "0",
    }
    if audit_target is not None:
        settings["AISEC_AUDIT_TARGET"] = audit_target
        settings["AISEC_AUDIT_TOKEN_FILE"] = str(token_file)
    return settings


def _service_settings(name: str, common: dict[str, str]) -> dict[str, str]:
    settings = dict(common)
    if name == "audit":  # the audit service does not emit to itself; it has its own checkpoint setting
        for key in ("AISEC_AUDIT_TARGET", "AISEC_AUDIT_TOKEN_FILE", "AISEC_HASH_KEY_FILE"):
            settings.pop(key, None)
    else:
        settings.pop("AISEC_CHECKPOINT_INTERVAL_S")
    return settings


def _drive(
    stack_services: dict[str, ServiceProcess], tokens: Tokens, rounds: int, abusive: int
) -> dict[str, Counter[str]]:
    def run(name: str) -> tuple[str, Counter[str]]:
        service = stack_services[name]
        codes = DRIVERS[name](service.target, tokens, rounds)
        codes.update(drive_abuse(service.target, name, tokens, abusive))
        return name, codes

    with ThreadPoolExecutor(max_workers=len(stack_services)) as pool:
        return dict(pool.map(run, stack_services))


def _scalar(prometheus: PrometheusServer, expr: str) -> float:
    answer = prometheus.query(expr)
    result = answer["data"]["result"] if answer["status"] == "success" else []
    return float(result[0]["value"][1]) if result else 0.0


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    assert RUNNING, "no service exists yet"
    workdir = tmp_path_factory.mktemp("observability")
    key = secrets.token_hex(32).encode()  # key files are text: whitespace around them is stripped
    (workdir / "hs256.key").write_bytes(key)
    (workdir / "hash.key").write_text(secrets.token_hex(32))
    (workdir / "audit.token").write_text(mint_token(key, "svc-emitter", "system", ["audit:append"]))
    tokens = Tokens(
        admin=mint_token(key, "svc-test", "acme", ["admin"]),
        no_scope=mint_token(key, "intruder", "acme", ["validator:validate"]),
        flood=mint_token(key, "svc-flood", FLOOD_TENANT, ["admin"]),
        forged=mint_token(secrets.token_hex(32).encode(), "forger", "acme", ["admin"]),
    )
    services: dict[str, ServiceProcess] = {}
    prometheus: PrometheusServer | None = None
    try:
        if "audit" in RUNNING:  # first: the others deliver their audit events to it
            services["audit"] = start_service(
                "audit", workdir, _service_settings("audit", _settings(workdir, None))
            )
            wait_until(services["audit"].serving, 60, "audit SERVING")
        common = _settings(workdir, services["audit"].target if "audit" in services else None)
        for name in RUNNING:
            if name != "audit":
                services[name] = start_service(name, workdir, _service_settings(name, common))
        for service in services.values():
            wait_until(service.serving, 60, f"{service.name} SERVING")
        jobs = {f"aisec-{name}": [f"127.0.0.1:{s.metrics_port}"] for name, s in services.items()}
        for name in MISSING:  # not written yet: a target nobody listens on, so AISecServiceDown sees it down
            jobs[f"aisec-{name}"] = [f"127.0.0.1:{free_port()}"]
        prometheus = start_prometheus(workdir, jobs, [PLAIN_RULES_FILE])
        wait_until(prometheus.ready, 30, "prometheus ready")

        # Round 1 creates every series; round 2, after a scrape, makes counters increase between samples.
        codes = _drive(services, tokens, rounds=3, abusive=5)
        wait_until(
            lambda: (
                _scalar(prometheus, 'count(up{job=~"aisec-.*"} == 1)') >= len(services)
                and _scalar(prometheus, "sum(aisec_auth_failures_total)") > 0
            ),
            30,
            "first scrape",
        )
        for name, more in _drive(services, tokens, rounds=80, abusive=ABUSIVE_CALLS).items():
            codes[name].update(more)
        unauthenticated = sum(c["UNAUTHENTICATED"] for c in codes.values())
        wait_until(
            lambda: _scalar(prometheus, "sum(aisec_auth_failures_total)") >= unauthenticated,
            30,
            "Prometheus to scrape the traffic",
        )
        wait_until(
            lambda: _scalar(prometheus, "count(aisec:grpc_slow_requests:ratio_rate5m)") > 0,
            30,
            "the recording rules",
        )
        yield Stack(services, prometheus, codes)
    finally:
        if prometheus is not None:
            prometheus.stop()
        for service in services.values():
            service.stop()


def _has_data(prometheus: PrometheusServer, expr: str) -> bool:
    answer = prometheus.query(expr)
    assert answer["status"] == "success", f"{expr}: {answer.get('errorType')}: {answer.get('error')}"
    return bool(answer["data"]["result"])


def _fed(prometheus: PrometheusServer, expr: str) -> bool:
    """True when every metric selector in `expr` matches series: then the traffic feeds the query."""
    selectors = [name + (matchers or "") for name, matchers in SELECTOR.findall(expr)]
    assert selectors, f"no metric in {expr}"
    return all(_has_data(prometheus, f"count({selector})") for selector in selectors)


def test_traffic_reached_every_service_with_good_and_bad_calls(stack: Stack) -> None:
    for name, codes in stack.codes.items():
        assert codes["OK"] > 0, f"{name}: {codes}"
        assert codes["UNAUTHENTICATED"] >= ABUSIVE_CALLS, f"{name}: {codes}"
        assert codes["RESOURCE_EXHAUSTED"] >= ABUSIVE_CALLS - 10, f"{name}: {codes}"


def test_prometheus_scrapes_every_running_service(stack: Stack) -> None:
    targets = stack.prometheus.get("/api/v1/targets")["data"]["activeTargets"]
    health = {t["labels"]["job"]: t["health"] for t in targets}
    for name in RUNNING:
        assert health[f"aisec-{name}"] == "up", targets
    for name in MISSING:
        assert health[f"aisec-{name}"] == "down"


def test_rules_load_and_evaluate_without_errors(stack: Stack) -> None:
    groups = stack.prometheus.get("/api/v1/rules")["data"]["groups"]
    assert {g["name"] for g in groups} == {
        "aisec-slo.rules",
        "aisec-slo.alerts",
        "aisec-availability.alerts",
        "aisec-security.alerts",
        "aisec-audit.alerts",
    }
    for group in groups:
        for rule in group["rules"]:
            assert rule["health"] in ("ok", "unknown"), f"{rule['name']}: {rule.get('lastError')}"


def test_every_dashboard_query_parses_and_the_fed_ones_return_data(stack: Stack) -> None:
    fed_without_data = []
    unfed = []
    for where, expr in panel_queries():
        has_data = _has_data(stack.prometheus, expr)
        if not _fed(stack.prometheus, expr):
            unfed.append(where)
        elif not has_data:
            fed_without_data.append(where)
    assert not fed_without_data, fed_without_data
    fed = len(panel_queries()) - len(unfed)
    print(f"panel queries with traffic behind them: {fed}; without (need faults): {unfed}")
    assert fed >= 15, f"only {fed} panel queries had traffic behind them"


def test_the_security_panels_show_the_attack_traffic(stack: Stack) -> None:
    denied = _scalar(stack.prometheus, "sum(aisec_auth_failures_total)")
    limited = _scalar(stack.prometheus, f'sum(aisec_ratelimit_exceeded_total{{tenant="{FLOOD_TENANT}"}})')
    assert denied >= ABUSIVE_CALLS * len(RUNNING)
    assert limited >= (ABUSIVE_CALLS - 10) * len(RUNNING)
    if "vault" in RUNNING:
        assert _scalar(stack.prometheus, "sum(aisec_vault_access_denied_total)") > 0
    if "audit" in RUNNING:
        assert _scalar(stack.prometheus, "max(aisec_audit_tree_size)") > 0
        assert _has_data(stack.prometheus, "max(aisec_audit_checkpoint_age_seconds)")


def _expected_alerts() -> set[str]:
    expected = {"AISecAuthFailuresHigh", "AISecTenantRateLimited"}
    if MISSING:
        expected.add("AISecServiceDown")
    if "vault" in RUNNING:
        expected.add("AISecVaultAccessDenied")
    if "guard" in RUNNING:  # RegisterCanary without guard:admin; a registered canary echoed in output
        expected.update({"AISecSensitiveEndpointDenied", "AISecLeakDetected"})
    if "validator" in RUNNING:  # half of the inputs are injection attempts
        expected.add("AISecInputRejectionRatioHigh")
    return expected


def test_every_alert_expression_parses_and_the_provoked_ones_match(stack: Stack) -> None:
    matching = set()
    for rule in alert_rules():
        if _has_data(stack.prometheus, rule["expr"]):
            matching.add(rule["alert"])
    print(f"alert expressions true after the traffic: {sorted(matching)}")
    missing = _expected_alerts() - matching
    assert not missing, f"traffic should have made these alert expressions true: {missing}"
    assert "AISecErrorBudgetBurn" not in matching, "no server errors were caused"


def test_recording_rules_produce_series(stack: Stack) -> None:
    for window in ("5m", "30m", "1h", "6h"):
        assert _has_data(stack.prometheus, f"aisec:grpc_slow_requests:ratio_rate{window}")
