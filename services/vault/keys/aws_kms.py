"""AWS KMS key provider (boto3): ``GenerateDataKey`` / ``Decrypt`` / ``ReEncrypt``.

The encryption context {tenant, model, version} is bound into every wrapped key: KMS refuses to
decrypt under another context. KMS keeps old key material after rotation, so our KEK "version" is
a counter kept beside the vault state: rotation calls ``RotateKeyOnDemand`` and bumps the counter;
versions below the minimum decryption version are refused here before KMS is asked.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from services.vault.keys.local_keyring import atomic_write
from services.vault.keys.provider import (
    DataKey,
    KeyProviderUnavailable,
    KeyRetiredError,
    KeyStatus,
    KeyUnwrapError,
    VaultKeyError,
    WrappedKey,
)

_UNWRAP_ERRORS = {"InvalidCiphertextException", "IncorrectKeyException", "AccessDeniedException"}


class AwsKmsKeyProvider:
    """``KeyProvider`` backed by one KMS symmetric key."""

    name = "aws_kms"

    def __init__(
        self,
        key_id: str,
        state_file: Path,
        *,
        region: str = "us-east-1",
        endpoint_url: str | None = None,
        client: Any | None = None,
    ) -> None:
        self._key_id = key_id
        self._state_file = state_file
        self._lock = threading.Lock()
        self._client = client or boto3.client(
            "kms",
            region_name=region,
            endpoint_url=endpoint_url,
            config=Config(
                retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=30
            ),
        )
        self._current = 1
        self._min_decryption = 1
        if state_file.exists():
            doc = json.loads(state_file.read_text())
            self._current = int(doc["current_version"])
            self._min_decryption = int(doc["min_decryption_version"])

    def _save(self) -> None:
        doc = {
            "key_id": self._key_id,
            "current_version": self._current,
            "min_decryption_version": self._min_decryption,
        }
        atomic_write(self._state_file, json.dumps(doc).encode())

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            result: dict[str, Any] = getattr(self._client, operation)(**kwargs)
            return result
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in _UNWRAP_ERRORS:
                raise KeyUnwrapError(f"KMS refused {operation}: {code}") from None
            raise VaultKeyError(f"KMS {operation} failed: {code}") from None
        except BotoCoreError as exc:
            raise KeyProviderUnavailable(f"KMS unreachable: {type(exc).__name__}") from None

    def status(self) -> KeyStatus:
        with self._lock:
            return KeyStatus(self._key_id, self._current, self._min_decryption)

    def generate_data_key(self, context: Mapping[str, str]) -> DataKey:
        with self._lock:
            version = self._current
        result = self._call(
            "generate_data_key", KeyId=self._key_id, KeySpec="AES_256", EncryptionContext=dict(context)
        )
        return DataKey(result["Plaintext"], result["CiphertextBlob"], self._key_id, version)

    def _check_version(self, key_version: int) -> None:
        with self._lock:
            if key_version < self._min_decryption:
                raise KeyRetiredError(key_version, self._min_decryption)
            if key_version > self._current:
                raise KeyUnwrapError(f"unknown key version {key_version}")

    def unwrap(self, wrapped: bytes, key_version: int, context: Mapping[str, str]) -> bytes:
        self._check_version(key_version)
        result = self._call(
            "decrypt", CiphertextBlob=wrapped, KeyId=self._key_id, EncryptionContext=dict(context)
        )
        plaintext: bytes = result["Plaintext"]
        return plaintext

    def rewrap(self, wrapped: bytes, key_version: int, context: Mapping[str, str]) -> WrappedKey:
        # ReEncrypt never exposes the data key outside KMS.
        self._check_version(key_version)
        with self._lock:
            version = self._current
        result = self._call(
            "re_encrypt",
            CiphertextBlob=wrapped,
            SourceKeyId=self._key_id,
            SourceEncryptionContext=dict(context),
            DestinationKeyId=self._key_id,
            DestinationEncryptionContext=dict(context),
        )
        return WrappedKey(result["CiphertextBlob"], self._key_id, version)

    def rotate(self, min_decryption_version: int = 0) -> KeyStatus:
        with self._lock:
            new_version = self._current + 1
            if min_decryption_version > new_version:
                raise ValueError(
                    f"min_decryption_version {min_decryption_version} is above the new version {new_version}"
                )
            if 0 < min_decryption_version < self._min_decryption:
                raise ValueError(f"min_decryption_version can only grow (now {self._min_decryption})")
            self._call("rotate_key_on_demand", KeyId=self._key_id)
            self._current = new_version
            if min_decryption_version > 0:
                self._min_decryption = min_decryption_version
            self._save()
            return KeyStatus(self._key_id, self._current, self._min_decryption)

    def close(self) -> None:
        self._client.close()
