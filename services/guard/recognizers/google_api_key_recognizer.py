"""GOOGLE_API_KEY: ``AIza`` followed by 35 URL-safe characters."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer


class GoogleApiKeyRecognizer(PatternRecognizer):
    ENTITY = "GOOGLE_API_KEY"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (Pattern("google_api_key", r"\bAIza[0-9A-Za-z_-]{35}", 0.9),)
    CONTEXT = frozenset({"google", "api", "key", "gcp", "firebase", "maps"})
    TAIL = r"[0-9A-Za-z_-]{1,39}"
    MAX_LEN = 39
