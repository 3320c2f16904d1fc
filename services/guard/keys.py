"""Operator keys: read from configured files, or generated once under the state directory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def load_or_create_key(configured: Path | None, default_path: Path, size: int) -> bytes:
    """Key bytes from ``configured`` (must exist), else from ``default_path`` (created 0600 when missing)."""
    if configured is not None:
        key = Path(configured).read_bytes()
        if len(key) != size:
            raise ValueError(f"key file {configured} must hold exactly {size} bytes")
        return key
    if default_path.is_file():
        return default_path.read_bytes()
    default_path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(size)
    descriptor = os.open(default_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key
