"""Property tests: any input gets a decision within bounds, never a crash."""

from __future__ import annotations

import base64
import codecs

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.validator.engine import ValidatorEngine
from services.validator.policy import PolicyStore
from services.validator.settings import DEFAULT_POLICY_FILE

ENGINE = ValidatorEngine()
POLICY = PolicyStore(DEFAULT_POLICY_FILE).current.resolve("", "")
assert POLICY is not None

SPECIAL = st.sampled_from(
    [
        "\u200b",
        "\u200d",
        "\u202e",
        "\ufe0f",
        "\U000e0041",
        "\U000e0100",
        "\u0301",
        "ﬁ",
        "ı",
        "İ",
        "🅐",
        "𝐚",
        "%",
        "&#",
        "\\u",
        "=",
        "\x00",
        "\ud800",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), SPECIAL), max_size=40).map("".join)


def check(text: str, source: str = "user") -> None:
    assert POLICY is not None
    verdict = ENGINE.evaluate(text, source, POLICY)
    assert 0.0 <= verdict.score <= 1.0
    assert verdict.reason
    for finding in verdict.findings:
        assert 0 <= finding.start <= finding.end <= len(text)
        assert 0.0 <= finding.score <= 1.0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["user", "document", "tool_output"]))
def test_any_unicode_gets_a_decision(text: str, source: str) -> None:
    check(text, source)


@settings(max_examples=60, deadline=None)
@given(TEXT, st.lists(st.sampled_from(["b64", "rot13", "hex", "url", "rev", "b32"]), max_size=8))
def test_deep_encodings_get_a_decision(text: str, layers: list[str]) -> None:
    for layer in layers:
        raw = text.encode("utf-8", "surrogatepass")
        if layer == "b64":
            text = base64.b64encode(raw).decode()
        elif layer == "b32":
            text = base64.b32encode(raw).decode()
        elif layer == "hex":
            text = raw.hex()
        elif layer == "url":
            text = "".join(f"%{b:02X}" for b in raw)
        elif layer == "rot13":
            text = codecs.encode(text, "rot13")
        else:
            text = text[::-1]
    check(text)


@settings(max_examples=10, deadline=None)
@given(
    st.sampled_from(["\u200b", "a ", "A", "&#105;", "%41", "\U000e0041", "ignore ", "=41", "\\x41", "é"]),
    st.integers(1000, 30000),
)
def test_huge_repetitive_inputs(unit: str, repeat: int) -> None:
    check((unit * repeat)[:100_000])


def test_over_the_limit_is_denied_not_truncated() -> None:
    assert POLICY is not None
    verdict = ENGINE.evaluate("a" * (POLICY.max_chars + 1), "user", POLICY)
    assert not verdict.allowed and verdict.reason == "INPUT_TOO_LONG"
