"""OPENAI_API_KEY: project, service-account, admin and legacy ``sk-`` keys."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer


class OpenAiApiKeyRecognizer(PatternRecognizer):
    ENTITY = "OPENAI_API_KEY"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("openai_scoped", r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,250}", 1.0),
        # Legacy keys embed base64("OpenAI") as T3BlbkFJ.
        Pattern("openai_legacy_marked", r"\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b", 1.0),
        Pattern("openai_legacy", r"\bsk-[A-Za-z0-9]{48}\b", 0.8),
    )
    CONTEXT = frozenset({"openai", "api", "key", "gpt", "chatgpt"})
    TAIL = r"[A-Za-z0-9_-]{1,270}"
    MAX_LEN = 270
