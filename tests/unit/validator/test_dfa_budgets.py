"""re2 memory budgets of the scanner: a spent budget costs time, never a verdict.

The DFA caches grow with the variety of traffic up to each program's budget (bench/validator_memory.py);
the budgets are sized so a pod's memory limit holds. These tests pin what the budgets must not do: make
a Set report fewer rules once its states have to be rebuilt, or make an exact rule give up its DFA.
"""

from __future__ import annotations

import random

import pytest
import re2

from bench.validator_memory import rule_vocabulary, word_soup
from services.validator.engine import ValidatorEngine
from services.validator.normalize import normalize
from services.validator.scanner import RULE_MAX_MEM, SET_MAX_MEM


@pytest.fixture(scope="module")
def engine() -> ValidatorEngine:
    return ValidatorEngine()


@pytest.fixture(scope="module")
def soups(engine: ValidatorEngine) -> list[str]:
    rng = random.Random(9)
    words = rule_vocabulary(engine)
    return [word_soup(words, 40_000, rng) for _ in range(4)]


def test_budgets_fit_a_pod() -> None:
    # Six Sets and the narrow-alphabet ones at SET_MAX_MEM, ~120 exact rules that each keep far less
    # than RULE_MAX_MEM in practice: the Sets alone must leave room under the chart's 512 MiB limit. (The
    # hint-only Sets, ``scanner._HINT_ONLY_SETS``, are a few DFA states each: they never come near a budget.)
    assert 8 * SET_MAX_MEM <= 256 << 20
    assert RULE_MAX_MEM <= SET_MAX_MEM


def test_set_results_do_not_depend_on_the_budget(engine: ValidatorEngine, soups: list[str]) -> None:
    """Each Set rebuilt with a budget 16x smaller (its DFA cache is then dropped and rebuilt many times
    per text) reports exactly the same entries on word soup as the shipped one."""
    scanner = engine._scanner
    texts = [normalize(soup).skeleton.encode() for soup in soups]
    for group_set, members in scanner._sets:
        options = re2.Options()
        options.max_mem = SET_MAX_MEM // 16
        small = re2.Set.SearchSet(options)
        for number in members:
            small.Add(scanner._entries[number])
        small.Compile()
        for text in texts:
            assert sorted(small.Match(text) or ()) == sorted(group_set.Match(text) or ())


def test_exact_rules_keep_their_dfa(engine: ValidatorEngine, soups: list[str], capfd: pytest.CaptureFixture[str]) -> None:
    """re2 logs "DFA out of memory" when a regex falls back to its (much slower) NFA: the exact rules'
    budget must not let word soup do that."""
    capfd.readouterr()
    for soup in soups:
        engine.find(soup)
    assert "DFA out of memory" not in capfd.readouterr().err
