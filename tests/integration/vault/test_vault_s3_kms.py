"""The real server on the S3 store and the AWS KMS key provider (moto over HTTP)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.integration.vault.conftest import VaultServer
from tests.unit.vault.conftest import aws_client

MiB = 1024 * 1024


@pytest.fixture
def vault_backends(moto_endpoint: str, s3_bucket: str, kms_key_id: str) -> dict[str, object]:
    return {
        "vault_store": "s3",
        "vault_s3_bucket": s3_bucket,
        "vault_s3_endpoint_url": moto_endpoint,
        "vault_s3_sse_kms_key_id": kms_key_id,
        "vault_s3_part_size": 5 * MiB,
        "vault_key_provider": "aws_kms",
        "vault_kms_key_id": kms_key_id,
        "vault_kms_endpoint_url": moto_endpoint,
    }


async def test_push_pull_rotate_rewrap_tamper_on_s3_and_kms(
    vault_server: VaultServer, tmp_path: Path, moto_endpoint: str, s3_bucket: str
) -> None:
    data = os.urandom(11 * MiB + 3)  # three multipart parts
    (tmp_path / "m.bin").write_bytes(data)
    assert await vault_server.cli("push", "llama", "1", str(tmp_path / "m.bin")) == 0
    assert await vault_server.cli("pull", "llama", "1", str(tmp_path / "out.bin")) == 0
    assert (tmp_path / "out.bin").read_bytes() == data

    assert await vault_server.cli("rotate-key") == 0
    assert await vault_server.cli("rewrap") == 0
    assert await vault_server.cli("rotate-key", "--min-decryption-version", "2") == 0
    assert await vault_server.cli("pull", "llama", "1", str(tmp_path / "again.bin")) == 0
    assert (tmp_path / "again.bin").read_bytes() == data

    s3 = aws_client("s3", moto_endpoint)
    (key,) = [
        item["Key"]
        for item in s3.list_objects_v2(Bucket=s3_bucket, Prefix="vault/models/llama/versions/1/")["Contents"]
        if item["Key"].endswith(".enc")
    ]
    assert s3.head_object(Bucket=s3_bucket, Key=key)["ServerSideEncryption"] == "aws:kms"
    payload = bytearray(s3.get_object(Bucket=s3_bucket, Key=key)["Body"].read())
    assert data[:4096] not in payload
    payload[2 * MiB] ^= 1
    s3.put_object(Bucket=s3_bucket, Key=key, Body=bytes(payload))
    dest = tmp_path / "dest"
    dest.mkdir()
    assert await vault_server.cli("pull", "llama", "1", str(dest / "x.bin")) == 2
    assert list(dest.iterdir()) == []
