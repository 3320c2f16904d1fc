"""``python -m services.audit``: run the audit service."""

from __future__ import annotations

import sys

from services.audit.service import build_audit_service
from services.audit.settings import AuditSettings
from services.common.server import run_main

if __name__ == "__main__":
    sys.exit(run_main("audit", AuditSettings, build_audit_service))
