"""Signed-note / tlog-checkpoint known answers (golang.org/x/mod/sumdb/note vector) and checks."""

from __future__ import annotations

import pytest

from services.audit.checkpoint import (
    Checkpoint,
    NoteError,
    NoteSigner,
    NoteVerifier,
    open_checkpoint,
    parse_checkpoint,
    sign_checkpoint,
)

GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = (
    GO_TEXT
    + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_signing_reproduces_go_sumdb_note_vector() -> None:
    signer = NoteSigner.from_signer_key(GO_SKEY)
    assert signer.verifier_key() == GO_VKEY
    assert signer.signer_key() == GO_SKEY
    assert signer.sign(GO_TEXT) == GO_NOTE


def test_verifier_opens_go_note_and_rejects_edits() -> None:
    verifier = NoteVerifier.from_verifier_key(GO_VKEY)
    assert verifier.open(GO_NOTE) == GO_TEXT
    with pytest.raises(NoteError):
        verifier.open(GO_NOTE.replace("cryptography", "cryptographY"))


def test_checkpoint_round_trip() -> None:
    signer = NoteSigner.generate("aisec.local/audit")
    checkpoint = Checkpoint("aisec.local/audit", 42, bytes(range(32)))
    note = sign_checkpoint(signer, checkpoint)
    assert note.startswith("aisec.local/audit\n42\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n\u2014 aisec.local/audit ")
    verifier = NoteVerifier.from_verifier_key(signer.verifier_key())
    assert open_checkpoint(note, verifier, origin="aisec.local/audit") == checkpoint
    with pytest.raises(NoteError):
        open_checkpoint(note, verifier, origin="other.example/log")
    with pytest.raises(NoteError):
        open_checkpoint(note.replace("\n42\n", "\n43\n"), verifier)


def test_other_key_is_not_accepted() -> None:
    note = sign_checkpoint(NoteSigner.generate("log"), Checkpoint("log", 1, bytes(32)))
    other = NoteVerifier.from_verifier_key(NoteSigner.generate("log").verifier_key())
    with pytest.raises(NoteError):
        other.open(note)


@pytest.mark.parametrize(
    "body",
    ["", "origin\n1\n", "origin\n01\n" + "A" * 43 + "=\n", "origin\nx\n" + "A" * 43 + "=\n", "origin\n1\nnot-b64\n"],
)
def test_malformed_checkpoints_rejected(body: str) -> None:
    with pytest.raises(NoteError):
        parse_checkpoint(body)
