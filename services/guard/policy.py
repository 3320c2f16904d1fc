"""Redaction policies: YAML files, validated, hot-reloaded.

Each ``<name>.yaml`` in the policy directory is one named policy. A file that
fails to parse or validate keeps its last good version in force; the failure
is counted and logged (without content). Deleting a file removes its policy,
except ``default``, which always stays.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from services.common.reload import FileSignature, file_signature, poll
from services.guard.leaks import DEFAULT_MIN_RUN_WORDS
from services.guard.operators import OperatorConfigError, OperatorKind, OperatorSpec
from services.guard.recognizers.registry import CANARY_ENTITY

log = logging.getLogger("aisec.guard.policy")

DEFAULT_POLICY = "default"
DEFAULT_KEY = "DEFAULT"


class OperatorModel(BaseModel):
    model_config = {"extra": "forbid"}

    operator: OperatorKind
    masking_char: str = "*"
    chars_to_keep: int = 4
    keep_from_start: bool = False


class LeaksModel(BaseModel):
    model_config = {"extra": "forbid"}

    canary_action: Literal["block", "redact", "report"] = "block"
    system_prompt_action: Literal["block", "report"] = "block"
    min_run_words: int = Field(DEFAULT_MIN_RUN_WORDS, ge=3, le=64)


class PolicyModel(BaseModel):
    model_config = {"extra": "forbid"}

    description: str = ""
    min_score: float = Field(0.5, ge=0.0, le=1.0)
    # Entities to look for; empty means every registered one.
    entities: list[str] = Field(default_factory=list)
    disabled_entities: list[str] = Field(default_factory=list)
    operators: dict[str, OperatorModel] = Field(default_factory=dict)
    leaks: LeaksModel = Field(default_factory=LeaksModel)

    @field_validator("operators")
    @classmethod
    def _default_present(cls, value: dict[str, OperatorModel]) -> dict[str, OperatorModel]:
        if DEFAULT_KEY not in value:
            value = {DEFAULT_KEY: OperatorModel(operator=OperatorKind.REPLACE), **value}
        return value


@dataclass(frozen=True)
class Policy:
    name: str
    min_score: float
    entities: frozenset[str]
    operators: dict[str, OperatorSpec]
    canary_action: str
    system_prompt_action: str
    min_run_words: int

    def operator_for(self, entity_type: str) -> OperatorSpec:
        return self.operators.get(entity_type) or self.operators[DEFAULT_KEY]


class PolicyError(ValueError):
    """A policy file is invalid; the message names the field, never file content."""


def parse_policy(name: str, text: str, entity_types: frozenset[str]) -> Policy:
    try:
        raw = yaml.safe_load(text) or {}
        model = PolicyModel.model_validate(raw)
    except yaml.YAMLError as exc:
        raise PolicyError(f"policy {name}: not valid YAML ({type(exc).__name__})") from None
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in err["loc"]) + f": {err['msg']}" for err in exc.errors())
        raise PolicyError(f"policy {name}: {fields}") from None
    known = entity_types | {CANARY_ENTITY}
    for field_name, names in (("entities", model.entities), ("disabled_entities", model.disabled_entities)):
        unknown = sorted(set(names) - entity_types)
        if unknown:
            raise PolicyError(f"policy {name}: {field_name}: unknown entity types {unknown}")
    operators: dict[str, OperatorSpec] = {}
    for entity_type, config in model.operators.items():
        if entity_type != DEFAULT_KEY and entity_type not in known:
            raise PolicyError(f"policy {name}: operators.{entity_type}: unknown entity type")
        try:
            operators[entity_type] = OperatorSpec(
                config.operator, config.masking_char, config.chars_to_keep, config.keep_from_start
            ).check(f"operators.{entity_type}")
        except OperatorConfigError as exc:
            raise PolicyError(f"policy {name}: {exc}") from None
    enabled = frozenset(model.entities or entity_types) - frozenset(model.disabled_entities)
    return Policy(
        name=name,
        min_score=model.min_score,
        entities=enabled,
        operators=operators,
        canary_action=model.leaks.canary_action,
        system_prompt_action=model.leaks.system_prompt_action,
        min_run_words=model.leaks.min_run_words,
    )


class PolicyStore:
    """Named policies from a directory, reloaded when files change."""

    def __init__(
        self,
        directory: Path,
        entity_types: frozenset[str],
        on_reload: Callable[[bool], None] = lambda ok: None,
    ) -> None:
        self._directory = directory
        self._entity_types = entity_types
        self._on_reload = on_reload
        self._policies: dict[str, Policy] = {}
        self._signatures: dict[Path, FileSignature] = {}
        self.reload()
        if DEFAULT_POLICY not in self._policies:
            raise PolicyError(f"no valid {DEFAULT_POLICY}.yaml in {directory}")

    def get(self, name: str) -> Policy | None:
        return self._policies.get(name)

    @property
    def names(self) -> list[str]:
        return sorted(self._policies)

    def reload(self) -> bool:
        """Load changed files; True when every file that changed was valid."""
        ok = True
        seen: set[Path] = set()
        for path in sorted(self._directory.glob("*.yaml")):
            seen.add(path)
            try:
                signature = file_signature(path)
                if self._signatures.get(path) == signature:
                    continue
                self._signatures[path] = signature
                self._policies[path.stem] = parse_policy(path.stem, path.read_text(), self._entity_types)
                log.info("policy loaded", extra={"policy": path.stem})
                self._on_reload(True)
            except (OSError, UnicodeDecodeError, PolicyError) as exc:
                ok = False
                log.error("policy reload failed, keeping last good version: %s", exc)
                self._on_reload(False)
        for path in set(self._signatures) - seen:
            del self._signatures[path]
            if path.stem != DEFAULT_POLICY:
                self._policies.pop(path.stem, None)
        return ok

    async def watch(self, interval_s: float) -> None:
        """Poll for changes until cancelled."""
        await poll(interval_s, self.reload)
