"""AWS_SECRET_KEY: 40-character base64 secrets, only next to an AWS/secret context word.

Git SHA-1s are 40 characters too: they are hex-only and fail the mixed-case and
entropy checks.
"""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer
from services.guard.recognizers.validators.entropy import char_classes, shannon_entropy


class AwsSecretKeyRecognizer(PatternRecognizer):
    ENTITY = "AWS_SECRET_KEY"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("aws_secret_access_key", r"\b[A-Za-z0-9/+]{40}\b", 0.6),
    )
    CONTEXT = frozenset({"aws", "secret", "secretaccesskey", "credentials"})
    CONTEXT_REQUIRED = True
    TAIL = r"[A-Za-z0-9/+]{1,40}"
    MAX_LEN = 40

    def validate_result(self, value: str) -> bool | None:
        if char_classes(value) < 3 or shannon_entropy(value) < 4.0:
            return False
        return None
