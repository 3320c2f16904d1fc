"""Checks on events from callers: bounded sizes, no RETENTION forgeries.

The audit log never receives raw text; short bounded fields keep it that way
(an identifier fits, a prompt does not).
"""

from __future__ import annotations

from aisec.audit.v1 import audit_pb2

MAX_SHORT_FIELD = 256
MAX_FINDING_KEYS = 64
MAX_HMAC_BYTES = 64
_SHORT_FIELDS = (
    "service", "subject", "tenant", "model", "model_version", "request_id", "method", "action", "reason",
    "hash_key_id", "status",
)


def event_violations(event: audit_pb2.Event, prefix: str = "event") -> dict[str, str]:
    """Field path -> problem; empty when the event may be appended."""
    problems: dict[str, str] = {}
    if not event.service:
        problems[f"{prefix}.service"] = "required"
    if event.type == audit_pb2.EVENT_TYPE_UNSPECIFIED:
        problems[f"{prefix}.type"] = "required"
    elif event.type == audit_pb2.EVENT_TYPE_RETENTION or event.HasField("retention"):
        problems[f"{prefix}.type"] = "RETENTION events are written by the audit service only"
    elif event.type not in audit_pb2.EventType.values():
        problems[f"{prefix}.type"] = "unknown event type"
    for name in _SHORT_FIELDS:
        if len(getattr(event, name)) > MAX_SHORT_FIELD:
            problems[f"{prefix}.{name}"] = f"longer than {MAX_SHORT_FIELD} characters"
    if len(event.finding_counts) > MAX_FINDING_KEYS:
        problems[f"{prefix}.finding_counts"] = f"more than {MAX_FINDING_KEYS} categories"
    for key, count in event.finding_counts.items():
        if len(key) > MAX_SHORT_FIELD or count < 0:
            problems[f"{prefix}.finding_counts"] = "keys must be short and counts non-negative"
            break
    for name in ("input_hmac", "output_hmac"):
        if len(getattr(event, name)) > MAX_HMAC_BYTES:
            problems[f"{prefix}.{name}"] = f"longer than {MAX_HMAC_BYTES} bytes"
    for name in ("latency_us", "input_length", "output_length"):
        if getattr(event, name) < 0:
            problems[f"{prefix}.{name}"] = "must not be negative"
    if event.HasField("time") and not 0 <= event.time.seconds < 253402300800:
        problems[f"{prefix}.time"] = "out of range"
    return problems
