"""Policy files: validation, hot reload, broken files keep the last good policy."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from services.guard.operators import OperatorKind
from services.guard.policy import PolicyError, PolicyStore, parse_policy
from services.guard.recognizers.registry import ENTITY_TYPES

DEFAULT_FILE = Path("services/guard/policies/default.yaml")


def test_shipped_default_policy_is_valid() -> None:
    policy = parse_policy("default", DEFAULT_FILE.read_text(), ENTITY_TYPES)
    assert policy.entities == ENTITY_TYPES
    assert policy.operator_for("CREDIT_CARD").kind == OperatorKind.MASK
    assert policy.operator_for("AWS_ACCESS_KEY").kind == OperatorKind.REPLACE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entities: [NOT_AN_ENTITY]", "unknown entity"),
        ("operators: {FOO: {operator: replace}}", "unknown entity"),
        ("operators: {CREDIT_CARD: {operator: shred}}", "operator"),
        ("operators: {CREDIT_CARD: {operator: mask, masking_char: '##'}}", "masking_char"),
        ("min_score: 3", "min_score"),
        ("surprise: 1", "surprise"),
        ("{unclosed", "YAML"),
    ],
)
def test_invalid_policies_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        parse_policy("p", text, ENTITY_TYPES)


def _write(path: Path, text: str, bump: int) -> None:
    path.write_text(text)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + bump * 1_000_000_000))


def test_reload_picks_up_changes_and_keeps_last_good(tmp_path: Path) -> None:
    outcomes: list[bool] = []
    _write(tmp_path / "default.yaml", "operators: {DEFAULT: {operator: replace}}", 0)
    store = PolicyStore(tmp_path, ENTITY_TYPES, outcomes.append)
    default = store.get("default")
    assert default is not None and default.operator_for("US_SSN").kind == OperatorKind.REPLACE

    _write(tmp_path / "default.yaml", "operators: {DEFAULT: {operator: redact}}", 1)
    assert store.reload()
    default = store.get("default")
    assert default is not None and default.operator_for("US_SSN").kind == OperatorKind.REDACT

    _write(tmp_path / "default.yaml", "operators: {DEFAULT: {operator: nonsense}}", 2)
    assert not store.reload()
    default = store.get("default")
    assert default is not None and default.operator_for("US_SSN").kind == OperatorKind.REDACT
    assert outcomes == [True, True, False]

    _write(tmp_path / "strict.yaml", "min_score: 0.9", 3)
    store.reload()
    assert store.names == ["default", "strict"]
    (tmp_path / "strict.yaml").unlink()
    store.reload()
    assert store.names == ["default"]


def test_store_refuses_to_start_without_a_valid_default(tmp_path: Path) -> None:
    (tmp_path / "default.yaml").write_text("entities: [BOGUS]")
    with pytest.raises(PolicyError):
        PolicyStore(tmp_path, ENTITY_TYPES)
