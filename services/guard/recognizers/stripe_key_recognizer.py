"""STRIPE_KEY: secret and restricted API keys, webhook signing secrets (not publishable keys)."""

from typing import ClassVar

from services.guard.recognizers.base import Pattern, PatternRecognizer


class StripeKeyRecognizer(PatternRecognizer):
    ENTITY = "STRIPE_KEY"
    PATTERNS: ClassVar[tuple[Pattern, ...]] = (
        Pattern("stripe_secret", r"\b[sr]k_(?:live|test)_[0-9A-Za-z]{16,247}\b", 1.0),
        Pattern("stripe_webhook_secret", r"\bwhsec_[0-9A-Za-z]{32,64}\b", 0.9),
    )
    CONTEXT = frozenset({"stripe", "key", "secret"})
    TAIL = r"[0-9A-Za-z_]{1,260}"
    MAX_LEN = 260
