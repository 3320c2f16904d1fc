"""Ed25519-signed manifests.

The signature covers a canonical JSON encoding of every manifest field but the signature itself
(sorted keys, no whitespace, bytes as base64, timestamp as RFC 3339 UTC with nanoseconds), so it does
not depend on protobuf serialization details. The signing key is created once under ``state_dir``
(PEM, 0600); its id is the first 16 hex digits of SHA-256 of the raw public key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path

from aisec.vault.v1 import vault_pb2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from services.vault.keys.local_keyring import atomic_write


def canonical_manifest_bytes(manifest: vault_pb2.Manifest) -> bytes:
    created = manifest.created_at
    doc = {
        "cipher": manifest.cipher,
        "created_at": f"{created.seconds}.{created.nanos:09d}",
        "creator": manifest.creator,
        "key_id": manifest.key_id,
        "key_version": manifest.key_version,
        "labels": dict(sorted(manifest.labels.items())),
        "model": manifest.model,
        "segment_count": manifest.segment_count,
        "segment_size": manifest.segment_size,
        "sha256": base64.b64encode(manifest.sha256).decode(),
        "signing_key_id": manifest.signing_key_id,
        "size": manifest.size,
        "tenant": manifest.tenant,
        "version": manifest.version,
        "wrapped_key": base64.b64encode(manifest.wrapped_key).decode(),
    }
    if manifest.payload_object:  # absent from manifests written before the field existed
        doc["payload_object"] = manifest.payload_object
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class ManifestSigner:
    """Signs and verifies manifests with the vault's Ed25519 key."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private_key = private_key
        self.public_key = private_key.public_key()
        self.key_id = _key_id(self.public_key)

    @classmethod
    def load_or_create(cls, path: Path) -> ManifestSigner:
        if not path.exists():
            key = Ed25519PrivateKey.generate()
            pem = key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            atomic_write(path, pem)
            return cls(key)
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
        return cls(loaded)

    @classmethod
    def ephemeral(cls) -> ManifestSigner:
        return cls(Ed25519PrivateKey.from_private_bytes(os.urandom(32)))

    def public_key_pem(self) -> bytes:
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def sign(self, manifest: vault_pb2.Manifest) -> None:
        """Set ``signing_key_id`` and ``signature`` in place."""
        manifest.signing_key_id = self.key_id
        manifest.signature = self._private_key.sign(canonical_manifest_bytes(manifest))

    def verify(self, manifest: vault_pb2.Manifest) -> bool:
        if manifest.signing_key_id != self.key_id or len(manifest.signature) != 64:
            return False
        try:
            self.public_key.verify(manifest.signature, canonical_manifest_bytes(manifest))
        except InvalidSignature:
            return False
        return True
