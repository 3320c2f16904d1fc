"""AWS_ACCESS_KEY: access key ids (AKIA..., ASIA..., and the other IAM prefixes)."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer


class AwsAccessKeyRecognizer(PatternRecognizer):
    ENTITY = "AWS_ACCESS_KEY"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "aws_access_key_id",
            r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z2-7]{16}\b",
            1.0,
        ),
    )
    CONTEXT = frozenset({"aws", "access", "key", "iam"})
    TAIL = r"[A-Z0-9]{1,20}"
    MAX_LEN = 20
