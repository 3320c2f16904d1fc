"""Named validation policies from a YAML file, reloaded when the file changes.

A policy sets the score threshold, the enabled detectors, input limits, an
action per category (enforce / warn / dry_run / off) and per-source overrides.
Tenants map to policy names. A file that fails to parse or validate never
replaces the last good one: the failure is logged and counted.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from services.common.reload import file_signature, poll
from services.validator.detectors.base import DRY_RUN, ENFORCE, SOURCES, WARN, Action
from services.validator.detectors.registry import BY_ID, CATEGORIES

log = logging.getLogger(__name__)

BUILTIN_POLICY_FILE = Path(__file__).parent / "policies" / "default.yaml"

ActionName = Literal["enforce", "warn", "dry_run", "off"]
SourceName = Literal["user", "document", "tool_output"]
ACTION_OFF = -1
_ACTIONS: dict[str, int] = {"enforce": ENFORCE, "warn": WARN, "dry_run": DRY_RUN, "off": ACTION_OFF}


class SourceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    threshold: float | None = Field(None, ge=0, le=1, description="Threshold for this source.")
    actions: dict[str, ActionName] = Field(default_factory=dict, description="Category -> action overrides.")


class PolicySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    threshold: float = Field(
        0.5, ge=0, le=1, description="Deny when the enforced findings score at least this."
    )
    max_chars: int = Field(100_000, gt=0, description="Longest input, in characters.")
    max_bytes: int = Field(400_000, gt=0, description="Longest input, in UTF-8 bytes.")
    max_batch_inputs: int = Field(256, gt=0, description="Most inputs in one ValidateBatch call.")
    max_batch_chars: int = Field(1_000_000, gt=0, description="Most characters over one batch.")
    detectors: list[str] = Field(
        default_factory=lambda: ["*"], description="Enabled detector ids; '*' = all."
    )
    actions: dict[str, ActionName] = Field(default_factory=dict, description="Category -> action.")
    sources: dict[SourceName, SourceSpec] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_names(self) -> PolicySpec:
        unknown = [d for d in self.detectors if d != "*" and d not in BY_ID]
        if unknown:
            raise ValueError(f"unknown detectors: {unknown}")
        categories = set(self.actions) | {c for s in self.sources.values() for c in s.actions}
        bad = sorted(categories - set(CATEGORIES))
        if bad:
            raise ValueError(f"unknown categories: {bad} (known: {list(CATEGORIES)})")
        return self


class PolicyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: Literal[1] = 1
    default_policy: str = "default"
    tenants: dict[str, str] = Field(default_factory=dict, description="Tenant -> policy name.")
    policies: dict[str, PolicySpec]

    @model_validator(mode="after")
    def _references(self) -> PolicyFile:
        if self.default_policy not in self.policies:
            raise ValueError(f"default_policy {self.default_policy!r} is not defined")
        missing = {t: p for t, p in self.tenants.items() if p not in self.policies}
        if missing:
            raise ValueError(f"tenants refer to undefined policies: {missing}")
        return self


@dataclass(frozen=True)
class Policy:
    """A compiled policy: everything the engine needs, resolved per source."""

    name: str
    revision: str
    threshold: float
    max_chars: int
    max_bytes: int
    max_batch_inputs: int
    max_batch_chars: int
    detectors: frozenset[str]
    # source -> category -> action (ACTION_OFF = finding dropped); source -> threshold
    actions: Mapping[str, Mapping[str, int]]
    thresholds: Mapping[str, float]

    def action_for(self, source: str, category: str, default: Action) -> int:
        return self.actions[source].get(category, default)


def compile_policy(name: str, spec: PolicySpec, revision: str) -> Policy:
    detectors = frozenset(BY_ID) if "*" in spec.detectors else frozenset(spec.detectors)
    actions: dict[str, dict[str, int]] = {}
    thresholds: dict[str, float] = {}
    for source in SOURCES:
        override = spec.sources.get(source)  # type: ignore[call-overload]
        merged = {category: _ACTIONS[a] for category, a in spec.actions.items()}
        if override is not None:
            merged.update({category: _ACTIONS[a] for category, a in override.actions.items()})
        actions[source] = merged
        thresholds[source] = (
            spec.threshold if override is None or override.threshold is None else override.threshold
        )
    return Policy(
        name=name,
        revision=revision,
        threshold=spec.threshold,
        max_chars=spec.max_chars,
        max_bytes=spec.max_bytes,
        max_batch_inputs=spec.max_batch_inputs,
        max_batch_chars=spec.max_batch_chars,
        detectors=detectors,
        actions=actions,
        thresholds=thresholds,
    )


class PolicyError(ValueError):
    """The policy file cannot be used; the message says why."""


@dataclass(frozen=True)
class PolicySet:
    policies: Mapping[str, Policy]
    tenants: Mapping[str, str]
    default_policy: str
    revision: str

    def resolve(self, name: str, tenant: str) -> Policy | None:
        """The named policy, else the tenant's, else the default. None if ``name`` is unknown."""
        if name:
            return self.policies.get(name)
        return self.policies[self.tenants.get(tenant, self.default_policy)]


def parse_policy_file(content: bytes) -> PolicySet:
    revision = hashlib.sha256(content).hexdigest()[:12]
    try:
        raw = yaml.safe_load(content)
        parsed = PolicyFile.model_validate(raw)
    except yaml.YAMLError as exc:
        raise PolicyError(f"policy file is not valid YAML: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise PolicyError(f"invalid policy file: {problems}") from None
    policies = {name: compile_policy(name, spec, revision) for name, spec in parsed.policies.items()}
    return PolicySet(policies, dict(parsed.tenants), parsed.default_policy, revision)


ReloadListener = Callable[[bool], None]  # called with True on success, False on failure


class PolicyStore:
    """Holds the current policy set; reloads it from ``path`` when the file changes."""

    def __init__(self, path: Path, on_reload: ReloadListener | None = None) -> None:
        self._path = path
        self._on_reload = on_reload
        self._stamp: tuple[int, int] | None = None
        self._current = self._load()  # a broken file at start-up is a start-up error

    @property
    def current(self) -> PolicySet:
        return self._current

    def _load(self) -> PolicySet:
        try:
            stamp = file_signature(self._path)
            content = self._path.read_bytes()
        except OSError as exc:
            raise PolicyError(f"cannot read policy file {self._path}: {exc.strerror}") from None
        if not content.strip():
            # An empty file (e.g. a Helm ConfigMap with no content) means the built-in policies.
            content = BUILTIN_POLICY_FILE.read_bytes()
        policy_set = parse_policy_file(content)
        self._stamp = stamp
        return policy_set

    def reload_if_changed(self) -> bool:
        """Reload when the file changed. Returns True when a new policy set is active."""
        try:
            stamp = file_signature(self._path)
        except OSError:
            stamp = None
        if stamp is not None and stamp == self._stamp:
            return False
        try:
            new = self._load()
        except PolicyError as exc:
            self._stamp = stamp  # do not retry the same broken content every tick
            log.warning("policy reload failed; keeping revision %s: %s", self._current.revision, exc)
            if self._on_reload is not None:
                self._on_reload(False)
            return False
        changed = new.revision != self._current.revision
        self._current = new
        if changed:
            log.info("policy reloaded: revision %s", new.revision)
        if self._on_reload is not None:
            self._on_reload(True)
        return changed

    async def watch(self, interval_s: float) -> None:
        """Poll the file until cancelled."""
        await poll(interval_s, self.reload_if_changed)
