"""The validators' fast paths give what the plain definitions give, for any string."""

from __future__ import annotations

import ipaddress
import math
from collections import Counter

import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from services.guard.recognizers.registry import ENTITY_TYPES, default_recognizers
from services.guard.recognizers.validators.digits import digits_and_separators
from services.guard.recognizers.validators.entropy import char_classes, shannon_entropy
from services.guard.recognizers.validators.ipv4 import ipv4_valid
from services.guard.recognizers.validators.luhn import luhn_valid
from services.guard.recognizers.validators.mod97 import iban_valid
from tests.unit.guard.engine import analyzer
from tests.unit.guard.test_recognizer_cases import CASES
from tests.unit.guard.test_streaming import texts

# Strings built from the characters these validators care about, plus any text.
_SHAPED = st.one_of(
    st.text(alphabet="0123456789.", max_size=20),
    st.text(alphabet="0123456789abcdefABCDEF:.%", max_size=24),
    st.text(alphabet="0123456789 -", max_size=24),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=15, max_size=34).map(
        lambda s: "DE" + s
    ),
    st.text(alphabet="0123456789٣²é.", max_size=16),
    st.text(max_size=300),
)


def _ipv4_reference(value: str) -> bool:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def _entropy_reference(value: str) -> float:
    if not value:
        return 0.0
    length = len(value)
    return -sum(count / length * math.log2(count / length) for count in Counter(value).values())


def _char_classes_reference(value: str) -> int:
    return (
        any(c.islower() for c in value)
        + any(c.isupper() for c in value)
        + any(c.isdigit() for c in value)
        + any(not c.isalnum() for c in value)
    )


def _luhn_reference(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _iban_reference(compact: str) -> bool | str:
    from services.guard.recognizers.validators.mod97 import IBAN_LENGTHS

    if len(compact) != IBAN_LENGTHS.get(compact[:2], -1):
        return False
    rearranged = compact[4:] + compact[:4]
    try:
        number = "".join(str(int(char, 36)) for char in rearranged)
    except ValueError:
        return "error"
    return int(number) % 97 == 1


@settings(max_examples=1500, deadline=None)
@given(value=_SHAPED)
def test_fast_validators_equal_reference(value: str) -> None:
    assert ipv4_valid(value) == _ipv4_reference(value)
    assert shannon_entropy(value) == _entropy_reference(value)
    assert char_classes(value) == _char_classes_reference(value)
    assert luhn_valid(value) == _luhn_reference(value)
    digits, separators = digits_and_separators(value)
    assert digits == "".join(c for c in value if c.isdigit())
    assert separators == {c for c in value if not c.isdigit()}
    try:
        fast: bool | str = iban_valid(value)
    except ValueError:
        fast = "error"
    assert fast == _iban_reference(value)


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_scan_without_raw_spans_finds_the_same(text: str) -> None:
    engine = analyzer()
    with_spans = engine.scan(text, 0, ENTITY_TYPES, (), 0.5)
    without = engine.scan(text, 0, ENTITY_TYPES, (), 0.5, want_raw_spans=False)
    assert without.raw_spans == []
    assert without.candidates == with_spans.candidates


_VALUES = sorted({text for _, text, _ in CASES} | {expected for _, _, expected in CASES if expected})


@settings(max_examples=300, deadline=None)
@given(
    value=st.sampled_from(_VALUES),
    context=st.booleans(),
    negative=st.booleans(),
    min_score=st.sampled_from([0.0, 0.3, 0.45, 0.5, 0.6, 0.8, 0.9, 1.0]),
)
def test_judge_is_none_under_the_score_ceiling(
    value: str, context: bool, negative: bool, min_score: float
) -> None:
    """The analyzer skips judge under the ceiling: judge must say None there, and never more."""
    for recognizer in default_recognizers():
        tokens = sorted(recognizer.CONTEXT)[:1] if context else []
        near = sorted(recognizer.NEGATIVE_CONTEXT)[:1] if negative else []
        for pattern in recognizer.PATTERNS:
            match = re2.search(pattern.regex, value)
            if match is None:
                continue
            ceiling = recognizer.score_ceiling(pattern, bool(tokens), bool(near))
            score = recognizer.judge(match.group(pattern.group), pattern, tokens, near, min_score)
            if ceiling < min_score:
                assert score is None
            elif score is not None:
                assert score <= ceiling
