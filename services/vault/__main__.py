"""``python -m services.vault``: serve the vault until SIGTERM/SIGINT."""

from __future__ import annotations

import sys

from services.common.server import run_main
from services.vault.app import build_vault
from services.vault.settings import VaultSettings

if __name__ == "__main__":
    sys.exit(run_main("vault", VaultSettings, build_vault))
