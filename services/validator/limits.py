"""Input size limits: over the limit is a denial (INPUT_TOO_LONG), never a silent truncation."""

from __future__ import annotations

from services.validator.policy import Policy


def utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def check_input(text: str, policy: Policy) -> str | None:
    """None when ``text`` fits the policy, else a message naming the exceeded limit."""
    if len(text) > policy.max_chars:
        return f"input has {len(text)} characters; policy {policy.name} allows {policy.max_chars}"
    if len(text) * 4 > policy.max_bytes and utf8_length(text) > policy.max_bytes:
        return f"input exceeds {policy.max_bytes} UTF-8 bytes allowed by policy {policy.name}"
    return None


def batch_overflow(lengths: list[int], policy: Policy) -> int:
    """Index of the first input that makes the batch exceed ``max_batch_chars`` (len if none)."""
    total = 0
    for index, length in enumerate(lengths):
        total += length
        if total > policy.max_batch_chars:
            return index
    return len(lengths)
