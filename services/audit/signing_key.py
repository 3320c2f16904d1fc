"""Load the checkpoint signing key, creating a dev key on first start."""

from __future__ import annotations

import os
from pathlib import Path

from services.audit.checkpoint import NoteError, NoteSigner


def verifier_key_path(signing_key_file: Path) -> Path:
    return signing_key_file.with_suffix(".vkey")


def load_or_create_signer(signing_key_file: Path, origin: str) -> NoteSigner:
    """The signer in ``signing_key_file``; a new key (0600, .vkey beside it) when the file is absent.

    The key name must equal the origin: verifiers find the log's key by it.
    """
    if signing_key_file.exists():
        try:
            signer = NoteSigner.from_signer_key(signing_key_file.read_text())
        except NoteError as exc:
            raise ValueError(f"signing key {signing_key_file}: {exc}") from exc
        if signer.name != origin:
            raise ValueError(
                f"signing key {signing_key_file} is named {signer.name!r} but log_origin is {origin!r}"
            )
    else:
        signer = NoteSigner.generate(origin)
        signing_key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(signing_key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(signer.signer_key() + "\n")
    verifier_key_path(signing_key_file).write_text(signer.verifier_key() + "\n")
    return signer
