"""Fixtures for vault tests: a moto server (S3 + KMS) over real HTTP on a free loopback port."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from services.vault.storage.filesystem import FilesystemObjectStore
from services.vault.storage.object_store import ObjectStore
from services.vault.storage.s3 import S3ObjectStore


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()  # returns once the socket is bound and serving
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def _fake_aws_credentials() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        yield


def aws_client(service: str, endpoint: str) -> Any:
    return boto3.client(service, region_name="us-east-1", endpoint_url=endpoint)


@pytest.fixture
def s3_bucket(moto_endpoint: str) -> str:
    bucket = f"vault-{uuid.uuid4().hex[:12]}"
    aws_client("s3", moto_endpoint).create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture
def kms_key_id(moto_endpoint: str) -> str:
    return str(aws_client("kms", moto_endpoint).create_key(Description="vault test")["KeyMetadata"]["KeyId"])


@pytest.fixture(params=["filesystem", "s3"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], ObjectStore]]:
    """Opens a store instance over one shared backend; each call is another replica's view of it."""
    opened: list[ObjectStore] = []

    def open_one() -> ObjectStore:
        store: ObjectStore
        if request.param == "filesystem":
            store = FilesystemObjectStore(tmp_path / "objects")
        else:
            endpoint = request.getfixturevalue("moto_endpoint")
            bucket = request.getfixturevalue("s3_bucket")
            store = S3ObjectStore(bucket, prefix="vault/", endpoint_url=endpoint, part_size=5 * 1024 * 1024)
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture
def object_store(open_store: Callable[[], ObjectStore]) -> ObjectStore:
    return open_store()
