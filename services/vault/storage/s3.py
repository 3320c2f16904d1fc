"""S3 object store (boto3; any S3-compatible endpoint via ``endpoint_url``).

Streamed writes use a multipart upload: each part carries its SHA-256 checksum, which S3 verifies,
and the object appears only on ``CompleteMultipartUpload``; ``abort`` calls ``AbortMultipartUpload``.
``put_bytes_if_absent`` is a conditional ``PutObject`` (``If-None-Match: *``), the create-once
primitive that lets several replicas share one bucket; ``put_bytes_if_match`` one with
``If-Match: <ETag>``, a compare-and-swap S3 evaluates atomically with the write.
At most one part (``part_size``, default 8 MiB) is buffered. SSE-KMS can be layered on top of the
vault's own encryption. ``cleanup_incomplete`` aborts multipart uploads left by a crash.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Iterator
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from services.vault.storage.object_store import (
    READ_CHUNK_SIZE,
    ObjectNotFound,
    ObjectStoreError,
    validate_key,
)

_NOT_FOUND = {"NoSuchKey", "404", "NotFound", "NoSuchUpload"}
_PRECONDITION_FAILED = {"PreconditionFailed", "412"}
_CONFLICT = {"ConditionalRequestConflict", "409"}
_CONFLICT_RETRIES = 5


def _b64_sha256(data: bytes | bytearray) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


class S3ObjectWriter:
    def __init__(self, store: S3ObjectStore, key: str) -> None:
        self._store = store
        self._key = store.full_key(key)
        self._buffer = bytearray()
        self._parts: list[dict[str, Any]] = []
        result = store.call(
            "create_multipart_upload",
            Bucket=store.bucket,
            Key=self._key,
            ChecksumAlgorithm="SHA256",
            **store.sse_args(),
        )
        self._upload_id: str | None = result["UploadId"]

    def _upload_part(self) -> None:
        body = bytes(self._buffer)
        self._buffer = bytearray()
        number = len(self._parts) + 1
        checksum = _b64_sha256(body)
        result = self._store.call(
            "upload_part",
            Bucket=self._store.bucket,
            Key=self._key,
            UploadId=self._upload_id,
            PartNumber=number,
            Body=body,
            ChecksumAlgorithm="SHA256",
            ChecksumSHA256=checksum,
        )
        self._parts.append({"ETag": result["ETag"], "PartNumber": number, "ChecksumSHA256": checksum})

    def write(self, data: bytes) -> None:
        assert self._upload_id is not None, "writer closed"
        self._buffer += data
        if len(self._buffer) >= self._store.part_size:
            self._upload_part()

    def commit(self) -> None:
        assert self._upload_id is not None, "writer closed"
        try:
            if self._buffer or not self._parts:
                self._upload_part()
            self._store.call(
                "complete_multipart_upload",
                Bucket=self._store.bucket,
                Key=self._key,
                UploadId=self._upload_id,
                MultipartUpload={"Parts": self._parts},
            )
            self._upload_id = None
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        if self._upload_id is None:
            return
        upload_id, self._upload_id = self._upload_id, None
        self._buffer = bytearray()
        try:
            self._store.call(
                "abort_multipart_upload", Bucket=self._store.bucket, Key=self._key, UploadId=upload_id
            )
        except (ObjectStoreError, ObjectNotFound):
            pass  # gone already, or cleanup_incomplete retries at the next start-up


class S3ObjectStore:
    name = "s3"

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        region: str = "us-east-1",
        endpoint_url: str | None = None,
        sse_kms_key_id: str | None = None,
        part_size: int = 8 * 1024 * 1024,
        client: Any | None = None,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self.part_size = part_size
        self._sse_kms_key_id = sse_kms_key_id
        self._client = client or boto3.client(
            "s3",
            region_name=region,
            endpoint_url=endpoint_url,
            config=Config(
                retries={"max_attempts": 5, "mode": "standard"},
                connect_timeout=5,
                read_timeout=60,
                s3={"addressing_style": "path"},
            ),
        )

    def full_key(self, key: str) -> str:
        return self.prefix + validate_key(key)

    def sse_args(self) -> dict[str, str]:
        if self._sse_kms_key_id is None:
            return {}
        return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": self._sse_kms_key_id}

    def call(self, operation: str, **kwargs: Any) -> Any:
        try:
            return getattr(self._client, operation)(**kwargs)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _NOT_FOUND:
                raise ObjectNotFound(kwargs.get("Key", "")) from None
            raise ObjectStoreError(f"S3 {operation} failed: {code}") from None
        except BotoCoreError as exc:
            raise ObjectStoreError(f"S3 {operation} failed: {type(exc).__name__}") from None

    def open_writer(self, key: str) -> S3ObjectWriter:
        return S3ObjectWriter(self, key)

    def iter_read(self, key: str, chunk_size: int = READ_CHUNK_SIZE) -> Iterator[bytes]:
        result = self.call("get_object", Bucket=self.bucket, Key=self.full_key(key))
        return self._chunks(result["Body"], chunk_size)

    @staticmethod
    def _chunks(body: Any, chunk_size: int) -> Iterator[bytes]:
        try:
            yield from body.iter_chunks(chunk_size)
        except BotoCoreError as exc:
            raise ObjectStoreError(f"S3 read failed: {type(exc).__name__}") from None
        finally:
            body.close()

    def put_bytes(self, key: str, data: bytes) -> None:
        self.call(
            "put_object",
            Bucket=self.bucket,
            Key=self.full_key(key),
            Body=data,
            ChecksumSHA256=_b64_sha256(data),
            **self.sse_args(),
        )

    def put_bytes_if_absent(self, key: str, data: bytes) -> bool:
        # S3 conditional write: If-None-Match "*" fails with 412 when the key exists. A 409 means
        # another conditional write to the key was in flight: retry, and the loser then gets 412.
        for attempt in range(_CONFLICT_RETRIES):
            try:
                self._client.put_object(
                    Bucket=self.bucket,
                    Key=self.full_key(key),
                    Body=data,
                    ChecksumSHA256=_b64_sha256(data),
                    IfNoneMatch="*",
                    **self.sse_args(),
                )
                return True
            except ClientError as exc:
                code = str(exc.response.get("Error", {}).get("Code", ""))
                if code in _PRECONDITION_FAILED:
                    return False
                if code not in _CONFLICT:
                    raise ObjectStoreError(f"S3 put_object failed: {code}") from None
                time.sleep(0.05 * (attempt + 1))
            except BotoCoreError as exc:
                raise ObjectStoreError(f"S3 put_object failed: {type(exc).__name__}") from None
        raise ObjectStoreError("S3 put_object failed: conditional write conflict persisted")

    def put_bytes_if_match(self, key: str, data: bytes, etag: str) -> bool:
        # 412: the ETag differs; 404: the object is gone; 409: another conditional write to the key
        # was in flight, so the object may have changed: the caller reads it again.
        return self._conditional(
            "put_object",
            Bucket=self.bucket,
            Key=self.full_key(key),
            Body=data,
            ChecksumSHA256=_b64_sha256(data),
            IfMatch=etag,
            **self.sse_args(),
        )

    def _conditional(self, operation: str, **kwargs: Any) -> bool:
        """Run a conditional request: False when its condition failed (412), the object is gone (404) or
        another conditional write to the key was in flight (409): the caller reads it again."""
        try:
            getattr(self._client, operation)(**kwargs)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _PRECONDITION_FAILED | _NOT_FOUND | _CONFLICT:
                return False
            raise ObjectStoreError(f"S3 {operation} failed: {code}") from None
        except BotoCoreError as exc:
            raise ObjectStoreError(f"S3 {operation} failed: {type(exc).__name__}") from None
        return True

    def get_bytes(self, key: str) -> bytes:
        return self.get_bytes_and_etag(key)[0]

    def get_bytes_and_etag(self, key: str) -> tuple[bytes, str]:
        result = self.call("get_object", Bucket=self.bucket, Key=self.full_key(key))
        with result["Body"] as body:
            data: bytes = body.read()
            return data, str(result["ETag"])

    def exists(self, key: str) -> bool:
        try:
            self.call("head_object", Bucket=self.bucket, Key=self.full_key(key))
        except ObjectNotFound:
            return False
        return True

    def size(self, key: str) -> int:
        result = self.call("head_object", Bucket=self.bucket, Key=self.full_key(key))
        return int(result["ContentLength"])

    def modified_at(self, key: str) -> float:
        result = self.call("head_object", Bucket=self.bucket, Key=self.full_key(key))
        return float(result["LastModified"].timestamp())

    def delete(self, key: str) -> None:
        self.call("delete_object", Bucket=self.bucket, Key=self.full_key(key))

    def delete_if_match(self, key: str, etag: str) -> bool:
        return self._conditional("delete_object", Bucket=self.bucket, Key=self.full_key(key), IfMatch=etag)

    def list_keys(self, prefix: str = "") -> Iterator[str]:
        keys: list[str] = []
        paginator = self._client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
                keys.extend(item["Key"][len(self.prefix) :] for item in page.get("Contents", []))
        except (ClientError, BotoCoreError) as exc:
            raise ObjectStoreError(f"S3 list failed: {type(exc).__name__}") from None
        return iter(sorted(keys))

    def _multipart_uploads(self) -> Iterator[dict[str, Any]]:
        markers: dict[str, str] = {}
        while True:
            result = self.call("list_multipart_uploads", Bucket=self.bucket, Prefix=self.prefix, **markers)
            yield from result.get("Uploads", [])
            if not result.get("IsTruncated"):
                return
            markers = {"KeyMarker": result["NextKeyMarker"], "UploadIdMarker": result["NextUploadIdMarker"]}

    def _last_activity(self, upload: dict[str, Any]) -> float:
        """When the upload was started or last received a part (a live writer sends parts)."""
        latest = float(upload["Initiated"].timestamp())
        parts = self.call("list_parts", Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"])
        for part in parts.get("Parts", []):
            latest = max(latest, float(part["LastModified"].timestamp()))
        return latest

    def cleanup_incomplete(self, older_than_s: float) -> int:
        cutoff = time.time() - older_than_s
        removed = 0
        for upload in list(self._multipart_uploads()):
            try:
                if self._last_activity(upload) > cutoff:
                    continue
                self.call(
                    "abort_multipart_upload",
                    Bucket=self.bucket,
                    Key=upload["Key"],
                    UploadId=upload["UploadId"],
                )
            except ObjectNotFound:
                continue  # completed or aborted meanwhile
            removed += 1
        return removed

    def pending_temp_files(self) -> int:
        return sum(1 for _ in self._multipart_uploads())

    def check(self) -> bool:
        try:
            self.call("head_bucket", Bucket=self.bucket)
        except (ObjectStoreError, ObjectNotFound):
            return False
        return True

    def close(self) -> None:
        self._client.close()
