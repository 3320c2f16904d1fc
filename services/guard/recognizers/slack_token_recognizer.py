"""SLACK_TOKEN: xox[abposr]- tokens and incoming-webhook URLs."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer


class SlackTokenRecognizer(PatternRecognizer):
    ENTITY = "SLACK_TOKEN"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("slack_token", r"\bxox[abposr]-[0-9A-Za-z-]{10,250}", 1.0),
        Pattern(
            "slack_webhook",
            r"\bhttps://hooks\.slack\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{20,30}",
            1.0,
        ),
    )
    CONTEXT = frozenset({"slack", "token", "webhook"})
    TAIL = r"[0-9A-Za-z:/.-]{1,260}"
    MAX_LEN = 260
