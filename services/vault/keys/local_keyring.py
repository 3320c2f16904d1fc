"""Local keyring: versioned KEKs in a file that is itself encrypted with a master key.

The master key comes from a mounted secret file or an env setting (see ``VaultSettings``); for local
development a random one is created under ``state_dir`` (mode 0600). The keyring file is
AES-256-GCM(master_key, JSON) and is replaced atomically (temp file, fsync, rename) on rotation.
Wrapped data key = nonce (12) || AES-256-GCM(KEK_v, data_key, aad = key id || version || context).
"""

from __future__ import annotations

import base64
import json
import os
import struct
import threading
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.vault.crypto import DATA_KEY_SIZE, encode_context
from services.vault.keys.provider import (
    DataKey,
    KeyRetiredError,
    KeyStatus,
    KeyUnwrapError,
    VaultKeyError,
    WrappedKey,
)

_FILE_MAGIC = b"AISECKR1"
_NONCE_SIZE = 12


def atomic_write(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` so readers see the old or the new content, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def parse_master_key(raw: bytes) -> bytes:
    """A master key is 32 raw bytes or their base64 form (surrounding whitespace ignored)."""
    if len(raw) == DATA_KEY_SIZE:
        return raw
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except ValueError:
        raise VaultKeyError("master key is neither 32 raw bytes nor base64 of 32 bytes") from None
    if len(key) != DATA_KEY_SIZE:
        raise VaultKeyError("master key must be 32 bytes")
    return key


def load_or_create_dev_master_key(path: Path) -> bytes:
    """The development master key: created once (random, 0600) and reused."""
    if not path.exists():
        atomic_write(path, base64.b64encode(os.urandom(DATA_KEY_SIZE)) + b"\n")
    return parse_master_key(path.read_bytes())


class LocalKeyring:
    """``KeyProvider`` over an encrypted keyring file (the embedded default)."""

    name = "local"

    def __init__(self, path: Path, master_key: bytes, key_id: str = "local-keyring") -> None:
        if len(master_key) != DATA_KEY_SIZE:
            raise VaultKeyError("master key must be 32 bytes")
        self._path = path
        self._master = AESGCM(master_key)
        self._lock = threading.Lock()
        self._key_id = key_id
        self._keys: dict[int, bytes] = {}
        self._current = 0
        self._min_decryption = 1
        if path.exists():
            self._load()
        else:
            self._keys = {1: os.urandom(DATA_KEY_SIZE)}
            self._current = 1
            self._save()

    # --- keyring file ---------------------------------------------------------------
    def _load(self) -> None:
        blob = self._path.read_bytes()
        if not blob.startswith(_FILE_MAGIC):
            raise VaultKeyError(f"{self._path} is not a vault keyring")
        nonce = blob[len(_FILE_MAGIC) : len(_FILE_MAGIC) + _NONCE_SIZE]
        try:
            plain = self._master.decrypt(nonce, blob[len(_FILE_MAGIC) + _NONCE_SIZE :], _FILE_MAGIC)
        except InvalidTag:
            raise VaultKeyError(
                "keyring does not open with this master key (wrong key or altered file)"
            ) from None
        doc = json.loads(plain)
        self._key_id = doc["key_id"]
        self._current = int(doc["current_version"])
        self._min_decryption = int(doc["min_decryption_version"])
        self._keys = {int(v): base64.b64decode(k) for v, k in doc["versions"].items()}

    def _save(self) -> None:
        doc = {
            "key_id": self._key_id,
            "current_version": self._current,
            "min_decryption_version": self._min_decryption,
            "versions": {str(v): base64.b64encode(k).decode() for v, k in sorted(self._keys.items())},
        }
        nonce = os.urandom(_NONCE_SIZE)
        sealed = self._master.encrypt(nonce, json.dumps(doc).encode(), _FILE_MAGIC)
        atomic_write(self._path, _FILE_MAGIC + nonce + sealed)

    # --- KeyProvider ----------------------------------------------------------------
    def _aad(self, key_version: int, context: Mapping[str, str]) -> bytes:
        return self._key_id.encode() + struct.pack(">I", key_version) + encode_context(context)

    def status(self) -> KeyStatus:
        with self._lock:
            return KeyStatus(self._key_id, self._current, self._min_decryption)

    def _wrap(self, data_key: bytes, context: Mapping[str, str]) -> WrappedKey:
        version = self._current
        nonce = os.urandom(_NONCE_SIZE)
        sealed = AESGCM(self._keys[version]).encrypt(nonce, data_key, self._aad(version, context))
        return WrappedKey(nonce + sealed, self._key_id, version)

    def generate_data_key(self, context: Mapping[str, str]) -> DataKey:
        data_key = os.urandom(DATA_KEY_SIZE)
        with self._lock:
            wrapped = self._wrap(data_key, context)
        return DataKey(data_key, wrapped.wrapped, wrapped.key_id, wrapped.key_version)

    def unwrap(self, wrapped: bytes, key_version: int, context: Mapping[str, str]) -> bytes:
        with self._lock:
            if key_version < self._min_decryption:
                raise KeyRetiredError(key_version, self._min_decryption)
            kek = self._keys.get(key_version)
        if kek is None:
            raise KeyUnwrapError(f"unknown key version {key_version}")
        try:
            return AESGCM(kek).decrypt(
                wrapped[:_NONCE_SIZE], wrapped[_NONCE_SIZE:], self._aad(key_version, context)
            )
        except InvalidTag:
            raise KeyUnwrapError("wrapped data key does not open (wrong context or altered)") from None

    def rewrap(self, wrapped: bytes, key_version: int, context: Mapping[str, str]) -> WrappedKey:
        data_key = self.unwrap(wrapped, key_version, context)
        with self._lock:
            return self._wrap(data_key, context)

    def rotate(self, min_decryption_version: int = 0) -> KeyStatus:
        with self._lock:
            new_version = self._current + 1
            if min_decryption_version > new_version:
                raise ValueError(
                    f"min_decryption_version {min_decryption_version} is above the new version {new_version}"
                )
            if 0 < min_decryption_version < self._min_decryption:
                raise ValueError(f"min_decryption_version can only grow (now {self._min_decryption})")
            self._keys[new_version] = os.urandom(DATA_KEY_SIZE)
            self._current = new_version
            if min_decryption_version > 0:
                # Retired KEKs are kept in the file (retirement is a policy, not crypto-shredding),
                # but unwrap refuses them.
                self._min_decryption = min_decryption_version
            self._save()
            return KeyStatus(self._key_id, self._current, self._min_decryption)

    def close(self) -> None:
        return None
