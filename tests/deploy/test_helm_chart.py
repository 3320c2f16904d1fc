"""The Helm chart: `helm lint --strict`, rendering of the defaults and every ci/ value set, and the
properties the platform team relies on (restricted pods, gRPC probes, network isolation, secrets)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import helm_python as helm
import pytest
import yaml

from tests.deploy.chart_render import (
    NAMESPACE,
    RELEASE,
    by_kind,
    ci_value_files,
    env_of,
    load_values,
    manifests_for,
    named,
    notes_for,
    parse_manifests,
    render,
    workloads,
)
from tests.deploy.paths import CHART_DIR, CHART_RULES_FILE, CI_VALUES_DIR, DASHBOARDS_DIR, SERVICE_NAMES

CI_FILES = ci_value_files()
CI_IDS = [p.stem for p in CI_FILES]
STANDARD_LABELS = (
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/version",
    "app.kubernetes.io/managed-by",
    "app.kubernetes.io/part-of",
    "helm.sh/chart",
)


def test_ci_value_sets_cover_the_main_combinations() -> None:
    names = {p.stem for p in CI_FILES}
    assert {
        "default-values",
        "production-values",
        "minimal-values",
        "monitoring-values",
        "stateful-values",
    } <= names


@pytest.mark.parametrize("values_file", [None, *CI_FILES], ids=["chart-defaults", *CI_IDS])
def test_helm_lint_strict_passes(values_file: Path | None) -> None:
    values = load_values(values_file) if values_file else None
    report = helm.lint(CHART_DIR, values, strict=True, namespace=NAMESPACE, kube_version="v1.37.0")
    problems = [m for m in report["messages"] if m["severity"] >= 2]  # 2 warning, 3 error
    assert report["errors"] == [], report
    assert problems == [], problems
    assert report["total_charts_linted"] == 1


@pytest.mark.parametrize("values_file", CI_FILES, ids=CI_IDS)
def test_every_ci_value_set_passes_the_values_schema(values_file: Path) -> None:
    with helm.Chart.load(CHART_DIR) as chart:
        chart.validate_schema(load_values(values_file))


@pytest.mark.parametrize(
    "values",
    [
        {"validator": {"replicass": 2}},
        {"vault": {"store": "nfs"}},
        {"audit": {"store": "mysql"}},
        {"rateLimit": {"backend": "memcached"}},
        {"auth": {"mode": "none"}},
        {"guard": {"service": {"port": 70000}}},
        {"monitoring": {"prometheusRule": {"runbookBaseUrl": "not-a-url"}}},
        {"networkPolicy": {"egress": {"enabled": True, "redisPorts": [0]}}},
    ],
    ids=lambda v: next(iter(v)) + ("-egress" if "networkPolicy" in v else ""),
)
def test_schema_rejects_typos_and_invalid_choices(values: dict[str, Any]) -> None:
    with pytest.raises(helm.HelmError):
        render(values)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"rateLimit": {"backend": "redis"}}, "rateLimit.redisUrl"),
        ({"guard": {"canaryStore": "redis"}}, "guard.canaryStore=redis needs rateLimit.redisUrl"),
        ({"vault": {"store": "s3"}}, "vault.s3.bucket"),
        ({"vault": {"keyProvider": "aws_kms"}}, "vault.kms.keyId"),
        ({"audit": {"store": "postgres"}}, "audit.postgres.dsnSecret.name"),
        ({"tls": {"enabled": True}}, "tls.existingSecret"),
        ({"auth": {"mode": "jwks"}}, "auth.jwks"),
        ({"audit": {"autoscaling": {"enabled": True}}}, "stateless audit"),
        (
            {
                "vault": {
                    "store": "s3",
                    "s3": {"bucket": "b"},
                    "keyProvider": "aws_kms",
                    "kms": {"keyId": "k"},
                }
            },
            "vault.signingKey.existingSecret",
        ),
    ],
    ids=[
        "redis-url",
        "canary-redis-url",
        "s3-bucket",
        "kms-key",
        "postgres-dsn",
        "tls-secret",
        "jwks",
        "audit-hpa",
        "vault-signing",
    ],
)
def test_incomplete_backend_settings_fail_with_a_named_value(values: dict[str, Any], message: str) -> None:
    with pytest.raises(helm.HelmError, match=message.replace(".", r"\.")):
        render(values)


@pytest.mark.parametrize("values_file", CI_FILES, ids=CI_IDS)
def test_every_object_has_the_standard_labels_and_namespace(values_file: Path) -> None:
    for manifest in manifests_for(values_file):
        labels = manifest["metadata"].get("labels", {})
        missing = [label for label in STANDARD_LABELS if label not in labels]
        assert not missing, f"{manifest['kind']} {manifest['metadata']['name']} lacks {missing}"
        assert labels["app.kubernetes.io/instance"] == RELEASE
        if manifest["kind"] != "ConfigMap" or "dashboard" not in manifest["metadata"]["name"]:
            assert manifest["metadata"]["namespace"] == NAMESPACE


@pytest.mark.parametrize("values_file", CI_FILES, ids=CI_IDS)
def test_pods_are_restricted(values_file: Path) -> None:
    for workload in workloads(manifests_for(values_file)):
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["automountServiceAccountToken"] is False
        for container in pod["containers"]:
            sc = container["securityContext"]
            assert sc["runAsNonRoot"] is True
            assert sc["readOnlyRootFilesystem"] is True
            assert sc["allowPrivilegeEscalation"] is False
            assert sc["capabilities"] == {"drop": ["ALL"]}
            assert sc["seccompProfile"] == {"type": "RuntimeDefault"}
            assert "limits" in container["resources"] and "requests" in container["resources"]
            assert not container["image"].endswith(":latest")


@pytest.mark.parametrize("values_file", CI_FILES, ids=CI_IDS)
def test_probes_are_native_grpc_on_the_plaintext_health_port(values_file: Path) -> None:
    for workload in workloads(manifests_for(values_file)):
        container = workload["spec"]["template"]["spec"]["containers"][0]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        health_port = ports["health"]
        assert env_of(workload)["AISEC_HEALTH_PORT"] == str(health_port)
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert container[probe]["grpc"]["port"] == health_port, probe
        svc = workload["metadata"]["labels"]["app.kubernetes.io/component"]
        assert container["readinessProbe"]["grpc"]["service"] == f"aisec.{svc}.v1.{svc.title()}Service"
        assert container["args"] == ["-m", f"services.{svc}"]


@pytest.mark.parametrize("values_file", CI_FILES, ids=CI_IDS)
def test_workloads_spread_over_topology_unless_disabled(values_file: Path) -> None:
    values = load_values(values_file)
    spread_off = values.get("defaultTopologySpread", {}).get("enabled") is False
    for workload in workloads(manifests_for(values_file)):
        constraints = workload["spec"]["template"]["spec"].get("topologySpreadConstraints")
        assert bool(constraints) != spread_off, workload["metadata"]["name"]


def test_defaults_render_all_four_services_with_embedded_state() -> None:
    manifests = manifests_for(CI_VALUES_DIR / "default-values.yaml")
    kinds = {m["metadata"]["name"]: m["kind"] for m in workloads(manifests)}
    assert kinds == {
        f"{RELEASE}-aisec-validator": "Deployment",
        f"{RELEASE}-aisec-guard": "Deployment",
        f"{RELEASE}-aisec-vault": "StatefulSet",
        f"{RELEASE}-aisec-audit": "StatefulSet",
    }
    audit = named(manifests, "StatefulSet", f"{RELEASE}-aisec-audit")
    assert audit["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "state"
    assert env_of(audit)["AISEC_LOG_STORE"] == "sqlite"
    secrets = {m["metadata"]["name"] for m in by_kind(manifests, "Secret")}
    assert secrets == {
        f"{RELEASE}-aisec-jwt",
        f"{RELEASE}-aisec-hash-key",
        f"{RELEASE}-aisec-vault-master-key",
        f"{RELEASE}-aisec-guard-keys",
    }
    assert not by_kind(manifests, "ServiceMonitor") and not by_kind(manifests, "PrometheusRule")


def test_defaults_warn_that_audit_delivery_needs_a_token() -> None:
    notes = notes_for(CI_VALUES_DIR / "default-values.yaml")
    assert "audit delivery is OFF" in notes
    # Two guard replicas keeping canaries in memory: registrations would reach one pod only.
    assert "canaryStore=memory" in notes
    guard = named(
        manifests_for(CI_VALUES_DIR / "default-values.yaml"), "Deployment", f"{RELEASE}-aisec-guard"
    )
    assert env_of(guard)["AISEC_CANARY_STORE"] == "memory"
    assert "canaryStore=memory" not in notes_for(CI_VALUES_DIR / "production-values.yaml")
    validator = named(
        manifests_for(CI_VALUES_DIR / "default-values.yaml"), "Deployment", f"{RELEASE}-aisec-validator"
    )
    assert "AISEC_AUDIT_TARGET" not in env_of(validator)


def test_production_is_stateless_with_external_backends() -> None:
    manifests = manifests_for(CI_VALUES_DIR / "production-values.yaml")
    assert not by_kind(manifests, "StatefulSet")
    assert not by_kind(manifests, "Secret"), "production references existing Secrets only"
    env = {w["metadata"]["labels"]["app.kubernetes.io/component"]: env_of(w) for w in workloads(manifests)}
    for svc in SERVICE_NAMES:
        assert env[svc]["AISEC_JWT_JWKS_FILE"] == "/etc/aisec/jwt/jwks.json"
        # Failed authentications are budgeted per client address (chart default = service default).
        assert (env[svc]["AISEC_AUTH_FAILURE_RATE"], env[svc]["AISEC_AUTH_FAILURE_BURST"]) == ("1", "20")
        assert env[svc]["AISEC_TLS_CLIENT_CA_FILE"] == "/etc/aisec/tls/ca.crt"
        assert env[svc]["AISEC_RATELIMIT_REDIS_URL"] == {
            "secretKeyRef": {"name": "aisec-redis", "key": "url"}
        }
    for svc in ("validator", "guard", "vault"):
        assert env[svc]["AISEC_AUDIT_TARGET"] == f"{RELEASE}-aisec-audit:50054"
        assert env[svc]["AISEC_AUDIT_TOKEN_FILE"] == "/etc/aisec/audit-client/token"
    assert env["vault"]["AISEC_VAULT_STORE"] == "s3" and env["vault"]["AISEC_VAULT_KEY_PROVIDER"] == "aws_kms"
    # Guard replicas share canary registrations through the same Redis.
    assert env["guard"]["AISEC_CANARY_STORE"] == "redis"
    assert env["guard"]["AISEC_CANARY_REDIS_URL"] == {"secretKeyRef": {"name": "aisec-redis", "key": "url"}}
    assert env["audit"]["AISEC_POSTGRES_DSN"] == {
        "secretKeyRef": {"name": "aisec-audit-postgres", "key": "dsn"}
    }
    hpas = {h["spec"]["scaleTargetRef"]["name"] for h in by_kind(manifests, "HorizontalPodAutoscaler")}
    assert hpas == {f"{RELEASE}-aisec-{svc}" for svc in SERVICE_NAMES}
    assert all("replicas" not in w["spec"] for w in workloads(manifests)), "the HPA owns replicas"
    config = yaml.safe_load(
        named(manifests, "ConfigMap", f"{RELEASE}-aisec-guard-config")["data"]["config.yaml"]
    )
    assert config["ratelimit_tenants"]["acme"] == {"rate": 50, "burst": 100}
    assert config["max_message_bytes"] == 8388608


def test_policies_are_mounted_as_directories_so_edits_hot_reload() -> None:
    manifests = manifests_for(CI_VALUES_DIR / "minimal-values.yaml")
    validator = named(manifests, "Deployment", f"{RELEASE}-aisec-validator")
    container = validator["spec"]["template"]["spec"]["containers"][0]
    mount = next(m for m in container["volumeMounts"] if m["name"] == "policy")
    assert "subPath" not in mount, "subPath mounts never receive ConfigMap updates"
    assert env_of(validator)["AISEC_POLICY_FILE"] == mount["mountPath"] + "/policy.yaml"
    policy = named(manifests, "ConfigMap", f"{RELEASE}-aisec-validator-policy")
    assert "default_action: enforce" in policy["data"]["policy.yaml"]
    assert "checksum/config" in validator["spec"]["template"]["metadata"]["annotations"]


def test_network_policies_isolate_the_suite() -> None:
    manifests = manifests_for(CI_VALUES_DIR / "production-values.yaml")
    suite_peer = {
        "podSelector": {
            "matchLabels": {"app.kubernetes.io/name": "aisec", "app.kubernetes.io/instance": RELEASE}
        }
    }
    inference_peer = load_values(CI_VALUES_DIR / "production-values.yaml")["networkPolicy"][
        "inferenceClients"
    ][0]
    for svc in SERVICE_NAMES:
        policy = named(manifests, "NetworkPolicy", f"{RELEASE}-aisec-{svc}")
        assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
        grpc_rule = next(
            r for r in policy["spec"]["ingress"] if r["ports"] == [{"port": "grpc", "protocol": "TCP"}]
        )
        if svc in ("validator", "guard"):
            assert grpc_rule["from"] == [suite_peer, inference_peer]
        elif svc == "audit":
            assert grpc_rule["from"] == [suite_peer], "only the suite may reach audit"
        open_rules = [r for r in policy["spec"]["ingress"] if "from" not in r]
        assert open_rules == [{"ports": [{"port": "health", "protocol": "TCP"}]}], (
            "only health is open to all"
        )
    assert not by_kind(manifests_for(CI_VALUES_DIR / "minimal-values.yaml"), "NetworkPolicy")


DNS_ANYWHERE = {"ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}


def egress_of(manifests: list[dict[str, Any]], svc: str) -> list[dict[str, Any]]:
    policy = named(manifests, "NetworkPolicy", f"{RELEASE}-aisec-{svc}")
    assert "Egress" in policy["spec"]["policyTypes"]
    rules: list[dict[str, Any]] = policy["spec"]["egress"]
    return rules


def tcp(*ports: int) -> list[dict[str, Any]]:
    return [{"port": port, "protocol": "TCP"} for port in ports]


def test_egress_allows_only_dns_audit_and_the_backends_each_service_uses() -> None:
    manifests = manifests_for(CI_VALUES_DIR / "production-values.yaml")
    to_audit = {
        "to": [
            {
                "podSelector": {
                    "matchLabels": {
                        "app.kubernetes.io/name": "aisec",
                        "app.kubernetes.io/instance": RELEASE,
                        "app.kubernetes.io/component": "audit",
                    }
                }
            }
        ],
        "ports": tcp(50054),
    }
    redis = {"ports": tcp(6379)}
    assert egress_of(manifests, "validator") == [DNS_ANYWHERE, to_audit, redis]
    assert egress_of(manifests, "guard") == [DNS_ANYWHERE, to_audit, redis]
    assert egress_of(manifests, "vault") == [DNS_ANYWHERE, to_audit, redis, {"ports": tcp(443)}]
    assert egress_of(manifests, "audit") == [DNS_ANYWHERE, redis, {"ports": tcp(5432)}], "audit emits nothing"


def test_egress_by_default_is_dns_only_without_a_delivery_token() -> None:
    manifests = parse_manifests(render())
    for svc in SERVICE_NAMES:
        assert egress_of(manifests, svc) == [DNS_ANYWHERE], svc


def test_egress_peers_ports_from_urls_and_extra_rules() -> None:
    peer = {"ipBlock": {"cidr": "10.0.0.0/8"}}
    extra = {"to": [{"ipBlock": {"cidr": "10.9.0.0/16"}}], "ports": tcp(4317)}
    manifests = parse_manifests(
        render(
            {
                "auth": {"enabled": False},
                "rateLimit": {"backend": "redis", "redisUrl": "redis://cache.db:6380/0"},
                "vault": {
                    "store": "s3",
                    "s3": {"bucket": "b", "endpointUrl": "http://minio.storage:9000"},
                    "keyProvider": "aws_kms",
                    "kms": {"keyId": "k", "endpointUrl": "https://kms.internal"},
                    "signingKey": {"existingSecret": "s"},
                },
                "networkPolicy": {
                    "egress": {"enabled": True, "redisPeers": [peer], "awsPeers": [peer], "extraRules": [extra]}
                },
            }
        )
    )
    vault = egress_of(manifests, "vault")
    assert {"to": [peer], "ports": tcp(6379, 6380)} in vault
    assert {"to": [peer], "ports": tcp(443, 9000)} in vault, "443 given, 9000 from the S3 URL, https KMS = 443"
    assert vault[-1] == extra
    assert egress_of(manifests, "audit")[-1] == extra
    assert any(rule.get("ports") == tcp(50054) for rule in egress_of(manifests, "guard")), "auth off: delivery on"


def test_egress_can_be_left_open() -> None:
    manifests = parse_manifests(render({"networkPolicy": {"egress": {"enabled": False}}}))
    for policy in by_kind(manifests, "NetworkPolicy"):
        assert policy["spec"]["policyTypes"] == ["Ingress"]
        assert "egress" not in policy["spec"]


def test_monitoring_objects_carry_the_configured_release_label() -> None:
    manifests = manifests_for(CI_VALUES_DIR / "monitoring-values.yaml")
    (monitor,) = by_kind(manifests, "ServiceMonitor")
    (rule,) = by_kind(manifests, "PrometheusRule")
    assert monitor["metadata"]["labels"]["release"] == "monitoring"
    assert monitor["metadata"]["labels"]["team"] == "platform"
    assert rule["metadata"]["labels"]["release"] == "monitoring"
    assert monitor["spec"]["jobLabel"] == "aisec.io/job"
    for service in by_kind(manifests, "Service"):
        if not service["metadata"]["name"].endswith("-headless"):
            component = service["metadata"]["labels"]["app.kubernetes.io/component"]
            assert service["metadata"]["labels"]["aisec.io/job"] == f"aisec-{component}"


def test_prometheus_rule_is_generated_from_the_single_rules_file() -> None:
    source = yaml.safe_load(CHART_RULES_FILE.read_text(encoding="utf-8"))
    (rule,) = by_kind(manifests_for(CI_VALUES_DIR / "monitoring-values.yaml"), "PrometheusRule")
    assert rule["spec"]["groups"] == source["groups"]
    (custom,) = by_kind(manifests_for(CI_VALUES_DIR / "production-values.yaml"), "PrometheusRule")
    urls = [
        r["annotations"]["runbook_url"] for g in custom["spec"]["groups"] for r in g["rules"] if "alert" in r
    ]
    assert urls and all(u.startswith("https://wiki.example.com/aisec/runbooks/aisec") for u in urls)


@pytest.mark.parametrize("values_file", ["default-values.yaml", "monitoring-values.yaml"])
def test_dashboards_ship_as_labelled_config_maps(values_file: str) -> None:
    manifests = manifests_for(CI_VALUES_DIR / values_file)
    maps = [
        m for m in by_kind(manifests, "ConfigMap") if m["metadata"]["labels"].get("grafana_dashboard") == "1"
    ]
    shipped = {key: text for m in maps for key, text in m["data"].items()}
    expected = {p.name: p.read_text(encoding="utf-8").rstrip("\n") for p in DASHBOARDS_DIR.glob("*.json")}
    assert shipped == expected
    if values_file == "monitoring-values.yaml":
        assert {m["metadata"]["namespace"] for m in maps} == {"grafana"}


def test_generated_secrets_are_random_per_install() -> None:
    first = {m["metadata"]["name"]: m["data"] for m in by_kind(parse_manifests(render()), "Secret")}
    second = {m["metadata"]["name"]: m["data"] for m in by_kind(parse_manifests(render()), "Secret")}
    assert first.keys() == second.keys()
    assert all(first[name] != second[name] for name in first)
