"""Several vault replicas over one store (shared directory here; the same code paths serve S3)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import grpc
from aisec.vault.v1 import vault_pb2, vault_pb2_grpc

from tests.integration.vault.conftest import running_vault
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


async def download(target: str, token: str) -> bytes:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        call = stub.GetModel(
            vault_pb2.GetModelRequest(model="m", ref="1"), metadata=[("authorization", f"Bearer {token}")]
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
