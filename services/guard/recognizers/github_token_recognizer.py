"""GITHUB_TOKEN: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained (github_pat_) tokens."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer


class GithubTokenRecognizer(PatternRecognizer):
    ENTITY = "GITHUB_TOKEN"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("github_classic", r"\bgh[pousr]_[A-Za-z0-9]{36,251}\b", 1.0),
        Pattern("github_fine_grained", r"\bgithub_pat_[A-Za-z0-9_]{22,251}\b", 1.0),
    )
    CONTEXT = frozenset({"github", "token", "gh", "pat"})
    TAIL = r"[A-Za-z0-9_]{1,262}"
    MAX_LEN = 262
