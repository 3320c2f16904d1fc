"""The chart configures services only through settings that exist: every AISEC_* variable and every key
of the rendered config.yaml must be a field of the service's settings class (they forbid extras)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
import yaml

from services.common.settings import ServiceSettings
from tests.deploy.chart_render import ci_value_files, env_of, manifests_for, named, workloads

CI_FILES = ci_value_files()


def settings_class(service: str) -> type[ServiceSettings]:
    """The service's settings class; ServiceSettings while services/<service>/settings.py is not written."""
    try:
        module = importlib.import_module(f"services.{service}.settings")
    except ModuleNotFoundError:
        return ServiceSettings
    classes = [
        cls
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, ServiceSettings)
        and cls is not ServiceSettings
        and cls.__module__ == module.__name__
    ]
    assert len(classes) == 1, f"expected one settings class in services.{service}.settings, found {classes}"
    return classes[0]


def service_specific(service: str, variable: str) -> bool:
    return variable.startswith(f"AISEC_{service.upper()}_")


@pytest.mark.parametrize("values_file", CI_FILES, ids=[p.stem for p in CI_FILES])
def test_every_env_variable_is_a_setting(values_file: Path) -> None:
    for workload in workloads(manifests_for(values_file)):
        service = workload["metadata"]["labels"]["app.kubernetes.io/component"]
        cls = settings_class(service)
        fields = set(cls.model_fields)
        for variable in env_of(workload):
            if not variable.startswith("AISEC_"):
                continue
            field = variable.removeprefix("AISEC_").lower()
            if cls is ServiceSettings and service_specific(service, variable):
                continue  # the service's own settings class is not written yet: checked once it exists
            assert field in fields, f"{service}: {variable} is not a setting of {cls.__name__}"


@pytest.mark.parametrize("values_file", CI_FILES, ids=[p.stem for p in CI_FILES])
def test_config_files_hold_only_settings(values_file: Path) -> None:
    manifests = manifests_for(values_file)
    for workload in workloads(manifests):
        service = workload["metadata"]["labels"]["app.kubernetes.io/component"]
        config_map = named(manifests, "ConfigMap", f"{workload['metadata']['name']}-config")
        config = yaml.safe_load(config_map["data"]["config.yaml"]) or {}
        unknown = set(config) - set(settings_class(service).model_fields)
        assert not unknown, f"{service}: unknown settings {unknown}"
