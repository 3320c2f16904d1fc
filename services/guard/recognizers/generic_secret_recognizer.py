"""GENERIC_SECRET: a high-entropy value right after a key word (``password=``, ``api_key:`` ...)."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer
from services.guard.recognizers.validators.entropy import char_classes, shannon_entropy

_PLACEHOLDER_MARKERS = (
    "${",
    "{{",
    "<",
    "***",
    "xxx",
    "your",
    "example",
    "changeme",
    "placeholder",
    "redacted",
    "...",
)
MIN_ENTROPY_BITS = 3.0


class GenericSecretRecognizer(PatternRecognizer):
    ENTITY = "GENERIC_SECRET"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern(
            "keyword_assignment",
            r"(?i)(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token)"
            r"[A-Za-z0-9_-]{0,30}[\"']?\s{0,3}[:=]\s{0,3}[\"']?([^\s\"'<>,;`]{8,200})",
            0.75,
            group=1,
        ),
    )
    TAIL = r"[A-Za-z][A-Za-z0-9_-]{0,50}[\"']?\s{0,3}(?:[:=]\s{0,3}[\"']?[^\s\"'<>,;`]{0,200})?"
    MAX_LEN = 260

    def validate_result(self, value: str) -> bool | None:
        lowered = value.lower()
        if any(marker in lowered for marker in _PLACEHOLDER_MARKERS):
            return False
        if char_classes(value) < 2 or shannon_entropy(value) < MIN_ENTROPY_BITS:
            return False
        return None
