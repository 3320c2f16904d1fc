"""Shared fixtures of the validator unit tests: one engine (cold or warmed up) and the default policy per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.validator.engine import ValidatorEngine
from services.validator.policy import Policy, PolicyStore
from services.validator.settings import DEFAULT_POLICY_FILE


@pytest.fixture(scope="module")
def engine() -> ValidatorEngine:
    return ValidatorEngine()


@pytest.fixture(scope="module")
def warm_engine() -> ValidatorEngine:
    """An engine whose lazily built tables are built (as a server's are at start-up)."""
    engine = ValidatorEngine()
    engine.warm_up()
    return engine


@pytest.fixture(scope="module")
def policy() -> Policy:
    found = PolicyStore(Path(DEFAULT_POLICY_FILE)).current.resolve("", "")
    assert found is not None
    return found
