"""C2SP tlog-checkpoint bodies in C2SP signed notes, signed with Ed25519.

Checkpoint body (https://c2sp.org/tlog-checkpoint)::

    <origin>\\n<tree size, decimal>\\n<base64 root hash>\\n

Signed note (https://c2sp.org/signed-note): the body, a blank line, then one
line per signature ``— <key name> <base64(key hash (4 bytes) || signature)>``.
For Ed25519 the key hash is the first 4 bytes of
SHA-256(key name || 0x0A || 0x01 || 32-byte public key). Verifier keys are
written ``<name>+<hex key hash>+<base64(0x01 || public key)>`` and signer keys
``PRIVATE+KEY+<name>+<hex key hash>+<base64(0x01 || seed)>`` as in Go's
golang.org/x/mod/sumdb/note, so Go tooling and witnesses read them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ALG_ED25519 = 0x01
_SIG_PREFIX = "\u2014 "  # em dash + space


class NoteError(ValueError):
    """A malformed note, key or checkpoint, or a signature that does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    tree_size: int
    root_hash: bytes

    def body(self) -> str:
        return f"{self.origin}\n{self.tree_size}\n{base64.b64encode(self.root_hash).decode()}\n"


def parse_checkpoint(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("checkpoint needs origin, size and root hash lines")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if not origin:
        raise NoteError("empty checkpoint origin")
    if not size_text.isdigit() or (size_text.startswith("0") and size_text != "0"):
        raise NoteError(f"bad tree size {size_text!r}")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error as exc:
        raise NoteError("root hash is not base64") from exc
    if len(root) != 32:
        raise NoteError("root hash is not 32 bytes")
    return Checkpoint(origin, int(size_text), root)


def _check_key_name(name: str) -> None:
    if not name or "+" in name or any(ch.isspace() for ch in name):
        raise NoteError(f"invalid key name {name!r}")


def key_hash(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + public_key).digest()[:4]


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


class NoteSigner:
    """Signs notes as ``name`` with an Ed25519 key."""

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        _check_key_name(name)
        self.name = name
        self._key = private_key
        self.public_key = _raw_public(private_key.public_key())
        self.key_hash = key_hash(name, self.public_key)

    @classmethod
    def generate(cls, name: str) -> NoteSigner:
        return cls(name, Ed25519PrivateKey.generate())

    @classmethod
    def from_signer_key(cls, skey: str) -> NoteSigner:
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[0] != "PRIVATE" or parts[1] != "KEY":
            raise NoteError("signer key must look like PRIVATE+KEY+<name>+<hash>+<key>")
        name, hash_hex, material = parts[2], parts[3], parts[4]
        try:
            raw = base64.b64decode(material, validate=True)
        except binascii.Error as exc:
            raise NoteError("signer key material is not base64") from exc
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise NoteError("signer key is not an Ed25519 key")
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(raw[1:]))
        if signer.key_hash.hex() != hash_hex:
            raise NoteError("signer key hash does not match its key")
        return signer

    def signer_key(self) -> str:
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        seed = self._key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        material = base64.b64encode(bytes([ALG_ED25519]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_hash.hex()}+{material}"

    def verifier_key(self) -> str:
        material = base64.b64encode(bytes([ALG_ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_hash.hex()}+{material}"

    def sign(self, text: str) -> str:
        """The signed note: ``text`` (ending in a newline), a blank line, our signature line."""
        _check_text(text)
        signature = self._key.sign(text.encode())
        blob = base64.b64encode(self.key_hash + signature).decode()
        return f"{text}\n{_SIG_PREFIX}{self.name} {blob}\n"


class NoteVerifier:
    """Verifies signatures by one named Ed25519 key."""

    def __init__(self, name: str, public_key: bytes) -> None:
        _check_key_name(name)
        if len(public_key) != 32:
            raise NoteError("Ed25519 public key must be 32 bytes")
        self.name = name
        self.public_key = public_key
        self.key_hash = key_hash(name, public_key)
        self._key = Ed25519PublicKey.from_public_bytes(public_key)

    @classmethod
    def from_verifier_key(cls, vkey: str) -> NoteVerifier:
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3:
            raise NoteError("verifier key must look like <name>+<hash>+<key>")
        name, hash_hex, material = parts
        try:
            raw = base64.b64decode(material, validate=True)
        except binascii.Error as exc:
            raise NoteError("verifier key material is not base64") from exc
        if len(raw) != 33 or raw[0] != ALG_ED25519:
            raise NoteError("verifier key is not an Ed25519 key")
        verifier = cls(name, raw[1:])
        if verifier.key_hash.hex() != hash_hex:
            raise NoteError("verifier key hash does not match its key")
        return verifier

    def open(self, note: str) -> str:
        """The note's text if one of its signatures is ours and verifies; NoteError otherwise."""
        text, signature_lines = split_note(note)
        for line in signature_lines:
            name, blob = _parse_signature_line(line)
            if name != self.name or len(blob) < 4 or blob[:4] != self.key_hash:
                continue  # someone else's signature (e.g. a witness cosignature)
            try:
                self._key.verify(blob[4:], text.encode())
            except InvalidSignature as exc:
                raise NoteError(f"signature by {name} does not verify") from exc
            return text
        raise NoteError(f"note carries no signature by {self.name}")


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    if "\n\n" in text:
        raise NoteError("note text must not contain a blank line")


def split_note(note: str) -> tuple[str, list[str]]:
    """(text, signature lines) of a signed note."""
    split_at = note.rfind("\n\n")
    if split_at < 0 or not note.endswith("\n"):
        raise NoteError("malformed note: no signature block")
    text = note[: split_at + 1]
    lines = note[split_at + 2 :].split("\n")[:-1]
    if not lines:
        raise NoteError("note has no signatures")
    _check_text(text)
    return text, lines


def _parse_signature_line(line: str) -> tuple[str, bytes]:
    if not line.startswith(_SIG_PREFIX):
        raise NoteError("malformed signature line")
    name, _, blob_text = line[len(_SIG_PREFIX) :].partition(" ")
    try:
        blob = base64.b64decode(blob_text, validate=True)
    except binascii.Error as exc:
        raise NoteError("signature is not base64") from exc
    return name, blob


def sign_checkpoint(signer: NoteSigner, checkpoint: Checkpoint) -> str:
    return signer.sign(checkpoint.body())


def open_checkpoint(note: str, verifier: NoteVerifier, origin: str | None = None) -> Checkpoint:
    """Verify the note's signature and parse the checkpoint; NoteError when anything is off."""
    checkpoint = parse_checkpoint(verifier.open(note))
    if origin is not None and checkpoint.origin != origin:
        raise NoteError(f"checkpoint origin {checkpoint.origin!r}, want {origin!r}")
    return checkpoint
