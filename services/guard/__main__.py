"""``python -m services.guard``: serve the guard until SIGTERM/SIGINT."""

from __future__ import annotations

import sys

from services.common.server import run_main
from services.guard.service import build_guard
from services.guard.settings import GuardSettings

if __name__ == "__main__":
    sys.exit(run_main("guard", GuardSettings, build_guard))
