"""AWS KMS key provider (boto3): ``GenerateDataKey`` / ``Decrypt`` / ``ReEncrypt``.

The encryption context {tenant, model, version} is bound into every wrapped key: KMS refuses to
decrypt under another context. KMS keeps old key material after rotation, so our KEK "version" is
a counter the vault keeps itself, in the object store shared by all replicas (``KeyStateLog``):
rotation calls ``RotateKeyOnDemand`` and publishes the next version; versions below the minimum
decryption version are refused here before KMS is asked, by every replica within ``refresh_s``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from services.vault.keys.provider import (
    DataKey,
    KeyProviderUnavailable,
    KeyRetiredError,
    KeyStatus,
    KeyUnwrapError,
    VaultKeyError,
    WrappedKey,
)
from services.vault.keys.state_log import KeyState, KeyStateLog

_UNWRAP_ERRORS = {"InvalidCiphertextException", "IncorrectKeyException", "AccessDeniedException"}


class AwsKmsKeyProvider:
    """``KeyProvider`` backed by one KMS symmetric key."""

    name = "aws_kms"

    def __init__(
        self,
        key_id: str,
        state: KeyStateLog,
        *,
        region: str = "us-east-1",
        endpoint_url: str | None = None,
        client: Any | None = None,
    ) -> None:
        self._key_id = key_id
        self._state = state
        self._client = client or boto3.client(
            "kms",
            region_name=region,
            endpoint_url=endpoint_url,
            config=Config(
                retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=30
            ),
        )
        self._state.current(refresh=True)

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
        state = self._state.current()
        return KeyStatus(self._key_id, state.current_version, state.min_decryption_version)

    def generate_data_key(self, context: Mapping[str, str]) -> DataKey:
        version = self._state.current().current_version
        result = self._call(
            "generate_data_key", KeyId=self._key_id, KeySpec="AES_256", EncryptionContext=dict(context)
        )
        return DataKey(result["Plaintext"], result["CiphertextBlob"], self._key_id, version)

    def _check_version(self, key_version: int) -> None:
        state = self._state.current()
        if key_version > state.current_version:  # rotated through another replica since our last read
            state = self._state.current(refresh=True)
        if key_version < state.min_decryption_version:
            raise KeyRetiredError(key_version, state.min_decryption_version)
        if key_version > state.current_version:
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
        version = self._state.current().current_version
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
        def rotated(state: KeyState) -> KeyState:
            new_version = state.current_version + 1
            if min_decryption_version > new_version:
                raise ValueError(
                    f"min_decryption_version {min_decryption_version} is above the new version {new_version}"
                )
            if 0 < min_decryption_version < state.min_decryption_version:
                raise ValueError(f"min_decryption_version can only grow (now {state.min_decryption_version})")
            return KeyState(new_version, max(min_decryption_version, state.min_decryption_version))

        rotated(self._state.current(refresh=True))  # refuse a bad request before touching KMS
        self._call("rotate_key_on_demand", KeyId=self._key_id)
        state = self._state.change(rotated)
        return KeyStatus(self._key_id, state.current_version, state.min_decryption_version)

    def close(self) -> None:
        self._client.close()
