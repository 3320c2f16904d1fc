"""Background task: sign a checkpoint every interval (when the log grew) and keep the age metric fresh."""

from __future__ import annotations

import asyncio
import logging

from services.audit.audit_log import AuditLog

log = logging.getLogger("aisec.audit.checkpoints")


async def run_checkpoint_publisher(audit_log: AuditLog, interval_s: float) -> None:
    tick_s = min(interval_s, 1.0)
    since_publish_s = interval_s  # publish right away on start
    while True:
        if since_publish_s >= interval_s:
            since_publish_s = 0.0
            try:
                await audit_log.publish_checkpoint()
            except Exception:
                log.exception("checkpoint publication failed")
        age = audit_log.checkpoint_age_s()
        if age is not None:
            audit_log.metrics.checkpoint_age.set(age)
        await asyncio.sleep(tick_s)
        since_publish_s += tick_s
