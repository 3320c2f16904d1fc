"""Operators: replace, instance tags, mask, keyed hash, AES-SIV round trip."""

from __future__ import annotations

import pytest

from services.guard.operators import (
    InstanceTagger,
    OperatorConfigError,
    OperatorEngine,
    OperatorKind,
    OperatorSpec,
)
from tests.unit.guard.engine import plan, redactor, tagger

ENGINE = OperatorEngine(b"h" * 32, b"e" * 64)


def apply(spec: OperatorSpec, value: str = "4111111111111111", tenant: str = "acme") -> str:
    return ENGINE.apply(spec, "CREDIT_CARD", value, InstanceTagger(b"k" * 32), tenant)


def test_simple_operators() -> None:
    assert apply(OperatorSpec(OperatorKind.REPLACE)) == "<CREDIT_CARD>"
    assert apply(OperatorSpec(OperatorKind.REDACT)) == ""
    assert apply(OperatorSpec(OperatorKind.KEEP)) == "4111111111111111"
    assert apply(OperatorSpec(OperatorKind.MASK)) == "************1111"
    assert apply(OperatorSpec(OperatorKind.MASK, "#", 6, True)) == "411111##########"


def test_hash_is_keyed_and_stable() -> None:
    first = apply(OperatorSpec(OperatorKind.HASH))
    assert first == apply(OperatorSpec(OperatorKind.HASH))
    other_key = OperatorEngine(b"x" * 32, b"e" * 64)
    assert first != other_key.apply(
        OperatorSpec(OperatorKind.HASH), "CREDIT_CARD", "4111111111111111", tagger(), ""
    )
    assert "4111" not in first


def test_encrypt_is_deterministic_and_reversible_only_for_the_same_tenant() -> None:
    token = apply(OperatorSpec(OperatorKind.ENCRYPT))
    assert token == apply(OperatorSpec(OperatorKind.ENCRYPT))
    text = f"card {token} end"
    assert ENGINE.deanonymize(text, "acme") == ("card 4111111111111111 end", 1)
    assert ENGINE.deanonymize(text, "globex") == (text, 0)
    tampered = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    assert ENGINE.deanonymize(tampered, "acme") == (tampered, 0)


def test_instance_tags_are_stable_per_value() -> None:
    instance = plan(default=OperatorKind.INSTANCE_REPLACE)
    text = "a@example.com b@example.com a@example.com (415) 555-2671"
    result = redactor().redact(text, instance, tagger())
    assert result.text == "<EMAIL_ADDRESS_1> <EMAIL_ADDRESS_2> <EMAIL_ADDRESS_1> <PHONE_NUMBER_1>"
    conversation = tagger()
    redactor().redact("b@example.com", instance, conversation)
    assert redactor().redact("x a@example.com b@example.com", instance, conversation).text == (
        "x <EMAIL_ADDRESS_2> <EMAIL_ADDRESS_1>"
    )


def test_output_spans_point_at_replacements() -> None:
    text = "mail a@example.com now"
    result = redactor().redact(text, plan(), tagger())
    (redaction,) = result.redactions
    assert text[redaction.start : redaction.end] == "a@example.com"
    assert result.text[redaction.output_start : redaction.output_end] == "<EMAIL_ADDRESS>"


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (OperatorSpec(OperatorKind.MASK, masking_char="**"), "x.masking_char"),
        (OperatorSpec(OperatorKind.MASK, masking_char=""), "x.masking_char"),
        (OperatorSpec(OperatorKind.MASK, chars_to_keep=-1), "x.chars_to_keep"),
    ],
)
def test_invalid_mask_settings(spec: OperatorSpec, field: str) -> None:
    with pytest.raises(OperatorConfigError) as raised:
        spec.check("x")
    assert raised.value.field == field
