"""Shared fixtures of the validator unit tests: one engine (cold or warmed up) and the default policy per module."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from services.validator import scanner
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


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[ThreadPoolExecutor]:
    """The scanner's worker thread even on a single CPU, so the split path (half the Sets on the worker) is
    what runs."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-scan")
    monkeypatch.setattr(scanner, "_pool", pool)
    yield pool
    pool.shutdown()
