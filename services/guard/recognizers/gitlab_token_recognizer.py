"""GITLAB_TOKEN: personal, deploy, runner, CI/CD and other prefixed tokens."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer


class GitlabTokenRecognizer(PatternRecognizer):
    ENTITY = "GITLAB_TOKEN"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("gitlab_token", r"\bgl(?:pat|dt|rt|ptt|cbt|imt|oas|ft)-[0-9A-Za-z_-]{20,64}", 1.0),
    )
    CONTEXT = frozenset({"gitlab", "token"})
    TAIL = r"[0-9A-Za-z_-]{1,75}"
    MAX_LEN = 75
