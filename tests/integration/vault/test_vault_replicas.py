"""Several vault replicas over one store (shared directory here; the same code paths serve S3)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import grpc
import pytest
from aisec.vault.v1 import vault_pb2, vault_pb2_grpc

from services.client.cli import main as cli_main
from services.vault.storage.filesystem import FilesystemObjectStore
from services.vault.storage.object_store import READ_CHUNK_SIZE
from tests.integration.vault.conftest import VaultServer, running_vault
from tests.integration.vault.test_vault_interrupted import wait_until


def temp_files(state_dir: Path) -> list[Path]:
    return list((state_dir / "vault" / "objects" / ".tmp").iterdir())


class HeldUpload:
    """A PutModel that sends its header and a chunk, then waits for ``finish`` before the trailer."""

    def __init__(self, target: str, token: str, data: bytes) -> None:
        self.finish = asyncio.Event()
        self._data = data
        self._channel = grpc.aio.insecure_channel(target)
        stub = vault_pb2_grpc.VaultServiceStub(self._channel)
        self.call = stub.PutModel(self._requests(), metadata=[("authorization", f"Bearer {token}")])

    async def _requests(self) -> AsyncIterator[vault_pb2.PutModelRequest]:
        yield vault_pb2.PutModelRequest(header=vault_pb2.PutModelHeader(model="m", version="1"))
        yield vault_pb2.PutModelRequest(chunk=self._data)
        await self.finish.wait()
        yield vault_pb2.PutModelRequest(trailer=vault_pb2.PutModelTrailer(size=len(self._data)))

    async def outcome(self) -> grpc.StatusCode:
        try:
            await self.call
        except grpc.aio.AioRpcError as exc:
            return exc.code()
        finally:
            await self._channel.close()
        return grpc.StatusCode.OK


async def download(target: str, token: str, ref: str = "1") -> bytes:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        call = stub.GetModel(
            vault_pb2.GetModelRequest(model="m", ref=ref), metadata=[("authorization", f"Bearer {token}")]
        )
        return b"".join([response.chunk async for response in call])


async def test_two_replicas_uploading_one_version_have_one_winner(
    tmp_path: Path, dev_key_file: Path, make_token: Callable[..., str]
) -> None:
    state = tmp_path / "state"
    token = make_token()
    async with (
        running_vault(state, dev_key_file, make_token) as one,
        running_vault(state, dev_key_file, make_token) as two,
    ):
        first, second = one.target, two.target
        data = {first: os.urandom(300_000), second: os.urandom(200_000)}
        uploads = {target: HeldUpload(target, token, data[target]) for target in (first, second)}
        await wait_until(lambda: len(temp_files(state)) == 2)  # both are streaming the same version
        for upload in uploads.values():
            upload.finish.set()
        codes = {target: await upload.outcome() for target, upload in uploads.items()}
        assert sorted(code.name for code in codes.values()) == ["ALREADY_EXISTS", "OK"]
        (winner,) = [target for target, code in codes.items() if code == grpc.StatusCode.OK]
        # Both replicas serve the winner's bytes; the loser left nothing behind.
        assert await download(first, token) == data[winner]
        assert await download(second, token) == data[winner]
        version_dir = state / "vault" / "objects" / "models" / "m" / "versions" / "1"
        assert len(list(version_dir.glob("payload-*.enc"))) == 1
        assert temp_files(state) == []


async def test_a_replica_starting_up_spares_uploads_in_progress_elsewhere(
    tmp_path: Path, dev_key_file: Path, make_token: Callable[..., str]
) -> None:
    state = tmp_path / "state"
    token = make_token()
    async with running_vault(state, dev_key_file, make_token) as one:
        first = one.target
        upload = HeldUpload(first, token, b"model bytes" * 1000)
        await wait_until(lambda: len(temp_files(state)) == 1)
        # Another replica starts (its start-up cleanup runs) while the upload is streaming.
        async with running_vault(state, dev_key_file, make_token):
            pass
        assert len(temp_files(state)) == 1
        upload.finish.set()
        assert await upload.outcome() == grpc.StatusCode.OK
        assert await download(first, token) == b"model bytes" * 1000


async def get_model_status(target: str, token: str, ref: str) -> grpc.StatusCode:
    try:
        await download(target, token, ref)
    except grpc.aio.AioRpcError as exc:
        return exc.code()
    return grpc.StatusCode.OK


@contextlib.asynccontextmanager
async def two_replicas(
    tmp_path: Path, dev_key_file: Path, make_token: Callable[..., str]
) -> AsyncIterator[tuple[VaultServer, VaultServer, Path]]:
    """Two vault servers sharing one state directory (and so one object store), and a 100 KB model file."""
    model = tmp_path / "m.bin"
    model.write_bytes(os.urandom(100_000))
    state = tmp_path / "state"
    async with (
        running_vault(state, dev_key_file, make_token) as one,
        running_vault(state, dev_key_file, make_token) as two,
    ):
        yield one, two, model


def delete_through(server: VaultServer, token: str, model: str, version: str) -> int:
    """`aisec vault delete` against another replica, blocking: run from inside a store call."""
    return cli_main(["vault", "delete", "--target", server.target, "--token", token, model, version])


async def test_a_version_deleted_on_one_replica_during_a_rewrap_on_another_stays_deleted(
    tmp_path: Path, dev_key_file: Path, make_token: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = make_token()
    async with two_replicas(tmp_path, dev_key_file, make_token) as (one, two, model):
        for version in ("1", "2"):
            assert await one.cli("push", "m", version, str(model)) == 0
        assert await one.cli("alias", "m", "prod", "1") == 0
        assert await one.cli("rotate-key") == 0
        # The delete lands between the rewrap's read of manifest 1 and its write.
        swap = FilesystemObjectStore.put_bytes_if_match
        deletes: list[int] = []

        def delete_first(store: FilesystemObjectStore, key: str, data: bytes, etag: str) -> bool:
            if not deletes:
                deletes.append(delete_through(two, token, "m", "1"))
            return swap(store, key, data, etag)

        monkeypatch.setattr(FilesystemObjectStore, "put_bytes_if_match", delete_first)
        async with grpc.aio.insecure_channel(one.target) as channel:
            stub = vault_pb2_grpc.VaultServiceStub(channel)
            response = await stub.Rewrap(
                vault_pb2.RewrapRequest(), metadata=[("authorization", f"Bearer {token}")]
            )
        assert deletes == [0]
        assert (response.rewrapped, response.already_current, response.key_version) == (1, 0, 2)
        assert not one.version_dir("m", "1").exists()
        for replica in (one, two):
            assert await get_model_status(replica.target, token, "1") == grpc.StatusCode.NOT_FOUND
            assert await get_model_status(replica.target, token, "prod") == grpc.StatusCode.NOT_FOUND
            assert replica.metric("aisec_vault_integrity_failures_total") == 0
        # (Only the replica that rotated knows key version 2: the local keyring is per replica.)
        assert await download(one.target, token, "2") == model.read_bytes()
        assert one.metric("aisec_vault_operations_total", {"operation": "rewrap", "result": "ok"}) == 1


async def test_a_download_racing_a_delete_on_another_replica_is_not_found(
    tmp_path: Path, dev_key_file: Path, make_token: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    token = make_token()
    async with two_replicas(tmp_path, dev_key_file, make_token) as (one, two, model):
        assert await one.cli("push", "m", "1", str(model)) == 0
        # The delete lands between the download's read of the manifest and the opening of its payload.
        read = FilesystemObjectStore.iter_read
        deletes: list[int] = []

        def delete_first(store: FilesystemObjectStore, key: str, chunk_size: int = READ_CHUNK_SIZE) -> Any:
            if "/payload-" in key and not deletes:
                deletes.append(delete_through(two, token, "m", "1"))
            return read(store, key, chunk_size)

        monkeypatch.setattr(FilesystemObjectStore, "iter_read", delete_first)
        assert await get_model_status(one.target, token, "1") == grpc.StatusCode.NOT_FOUND
        assert deletes == [0]
        assert one.metric("aisec_vault_integrity_failures_total") == 0
