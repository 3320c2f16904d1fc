"""The ``KeyProvider`` interface: wraps and unwraps per-version data keys; never serves keys.

Each version of a model gets a fresh random 256-bit data key. A provider wraps it under its current
key-encryption key (KEK) version, binding an encryption context (tenant, model, version): unwrapping
with another context fails. KEK versions can be rotated (new current version) and retired (versions
below ``min_decryption_version`` no longer unwrap). Methods are blocking; async callers use a thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


class VaultKeyError(Exception):
    """Base class of key-provider failures."""


class KeyRetiredError(VaultKeyError):
    """The data key is wrapped under a KEK version that has been retired."""

    def __init__(self, key_version: int, min_decryption_version: int) -> None:
        super().__init__(
            f"key version {key_version} is retired (minimum decryption version is {min_decryption_version}); "
            "the version was not rewrapped before retirement"
        )
        self.key_version = key_version
        self.min_decryption_version = min_decryption_version


class KeyUnwrapError(VaultKeyError):
    """The wrapped key does not open: wrong context, wrong key, or altered."""


class KeyProviderUnavailable(VaultKeyError):
    """The provider's backend (e.g. KMS) cannot be reached."""


@dataclass(frozen=True)
class DataKey:
    """A fresh data key: the plaintext (only ever in memory) and its wrapped form."""

    plaintext: bytes
    wrapped: bytes
    key_id: str
    key_version: int


@dataclass(frozen=True)
class WrappedKey:
    wrapped: bytes
    key_id: str
    key_version: int


@dataclass(frozen=True)
class KeyStatus:
    key_id: str
    current_version: int
    min_decryption_version: int


class KeyProvider(Protocol):
    """Small interface every KEK backend implements."""

    name: str

    def status(self) -> KeyStatus: ...

    def generate_data_key(self, context: Mapping[str, str]) -> DataKey: ...

    def unwrap(self, wrapped: bytes, key_version: int, context: Mapping[str, str]) -> bytes: ...

    def rewrap(self, wrapped: bytes, key_version: int, context: Mapping[str, str]) -> WrappedKey:
        """Re-wrap under the current KEK version without exposing the payload."""
        ...

    def rotate(self, min_decryption_version: int = 0) -> KeyStatus:
        """Create a new current KEK version; when > 0, retire versions below ``min_decryption_version``."""
        ...

    def close(self) -> None: ...
