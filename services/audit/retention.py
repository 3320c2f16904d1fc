"""Retention: purge payloads older than their type's maximum age.

The leaf hash of a purged entry stays, so every checkpoint and proof still
verifies (the pattern of Trillian's extra_data and QLDB redaction). Each purge
batch is itself a RETENTION event, written in the same transaction, recording
the purged type, cutoff, count and a digest of the purged sequence numbers;
that is what lets a verifier tell a policy purge from a deleted payload.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from services.audit.audit_log import AuditLog, event_type_name

log = logging.getLogger("aisec.audit.retention")


async def purge_expired_once(audit_log: AuditLog, policy: Mapping[int, float], batch_limit: int) -> dict[str, int]:
    """Purge every type in ``policy`` once; returns purged counts by type name."""
    purged: dict[str, int] = {}
    for event_type, max_age_s in sorted(policy.items()):
        count = await audit_log.purge_expired(event_type, max_age_s, batch_limit)
        if count:
            purged[event_type_name(event_type)] = count
    if purged:
        log.info("retention purge", extra={"purged": purged})
    return purged


async def run_retention(
    audit_log: AuditLog, policy: Mapping[int, float], interval_s: float, batch_limit: int
) -> None:
    """Background task: purge now, then every ``interval_s``."""
    while True:
        try:
            await purge_expired_once(audit_log, policy, batch_limit)
        except Exception:
            log.exception("retention purge failed; will retry")
        await asyncio.sleep(interval_s)
