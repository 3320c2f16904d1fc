"""An upload whose client dies midway leaves no visible version and no temp data."""

from __future__ import annotations

import asyncio
import signal
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from aisec.vault.v1 import vault_pb2, vault_pb2_grpc

from services.vault.app import build_repository
from tests.integration.vault.conftest import VaultServer

# A client that sends the header and 5 MiB, then is SIGKILLed in the middle of the stream.
DYING_CLIENT = textwrap.dedent(
    """
    import os, signal, sys
    import grpc
    from aisec.vault.v1 import vault_pb2, vault_pb2_grpc

    target, token = sys.argv[1], sys.argv[2]

    def requests():
        yield vault_pb2.PutModelRequest(header=vault_pb2.PutModelHeader(model="big", version="1"))
        for _ in range(5):
            yield vault_pb2.PutModelRequest(chunk=os.urandom(1024 * 1024))
        print("sent", flush=True)
        sys.stdin.readline()  # the test kills us while we wait here, mid-stream
        yield vault_pb2.PutModelRequest(chunk=b"never")

    with grpc.insecure_channel(target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        stub.PutModel(requests(), metadata=[("authorization", "Bearer " + token)])
    """
)


async def wait_until(predicate: object, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


def temp_files(server: VaultServer) -> list[Path]:
    return list((server.objects / ".tmp").iterdir())


async def no_version(server: VaultServer) -> None:
    metadata = [("authorization", f"Bearer {server.token()}")]
    async with grpc.aio.insecure_channel(server.target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.GetVersion(vault_pb2.GetVersionRequest(model="big", ref="1"), metadata=metadata)
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
        models = await stub.ListModels(vault_pb2.ListModelsRequest(), metadata=metadata)
        assert list(models.models) == []


async def test_client_killed_midway(vault_server: VaultServer) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        DYING_CLIENT,
        vault_server.target,
        vault_server.token(),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    assert (await asyncio.wait_for(process.stdout.readline(), 30)) == b"sent\n"
    await wait_until(lambda: len(temp_files(vault_server)) == 1)  # the upload is in progress
    process.send_signal(signal.SIGKILL)
    await process.wait()
    # The server sees the stream end abnormally and aborts: temp data goes, nothing becomes visible.
    await wait_until(lambda: temp_files(vault_server) == [])
    await no_version(vault_server)
    assert not (vault_server.objects / "models").exists() or not any(
        (vault_server.objects / "models").rglob("*")
    )
    # The same version can then be uploaded for real.
    metadata = [("authorization", f"Bearer {vault_server.token()}")]
    async with grpc.aio.insecure_channel(vault_server.target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        requests = [
            vault_pb2.PutModelRequest(header=vault_pb2.PutModelHeader(model="big", version="1")),
            vault_pb2.PutModelRequest(chunk=b"whole"),
            vault_pb2.PutModelRequest(trailer=vault_pb2.PutModelTrailer(size=5)),
        ]
        response = await stub.PutModel(iter(requests), metadata=metadata)
    assert response.manifest.size == 5


async def test_cancelled_call(vault_server: VaultServer) -> None:
    metadata = [("authorization", f"Bearer {vault_server.token()}")]
    proceed = asyncio.Event()

    async def requests():  # type: ignore[no-untyped-def]
        yield vault_pb2.PutModelRequest(header=vault_pb2.PutModelHeader(model="big", version="1"))
        yield vault_pb2.PutModelRequest(chunk=b"x" * 3_000_000)
        await proceed.wait()
        yield vault_pb2.PutModelRequest(chunk=b"never sent")

    async with grpc.aio.insecure_channel(vault_server.target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        call = stub.PutModel(requests(), metadata=metadata)
        await wait_until(lambda: len(temp_files(vault_server)) == 1)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
    await wait_until(lambda: temp_files(vault_server) == [])
    await no_version(vault_server)


def test_restart_removes_leftovers_of_a_crash(tmp_path: Path) -> None:
    """A crash between payload and manifest (or mid-write) leaves data that start-up removes."""
    from tests.integration.vault.conftest import vault_settings

    settings = vault_settings(tmp_path / "state", tmp_path / "unused.key")
    repository = build_repository(settings)
    upload = repository.begin_upload(model="m", version="1", tenant="t", creator="c")
    upload.write(b"data")
    # Simulate the crash after the payload commit but before the manifest.
    for piece in upload._writer.finalize():
        upload._object.write(piece)
    upload._object.commit()
    stale = repository.store.open_writer("models/m/versions/2/payload-0.enc")
    stale.write(b"partial")
    assert repository.models() == []  # not visible
    assert repository.cleanup(grace_s=3600) == 0  # as far as it knows, another replica's upload
    time.sleep(0.01)
    assert repository.cleanup(grace_s=0) == 2
    assert list(repository.store.list_keys("")) == []
    assert repository.store.pending_temp_files() == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("header_size", "trailer", "accepted"),
    [
        (0, None, False),  # a stream that just stops proves nothing: never committed
        (6, None, True),  # the announced size, received in full
        (0, vault_pb2.PutModelTrailer(size=6), True),
        (0, vault_pb2.PutModelTrailer(size=5), False),
        (0, vault_pb2.PutModelTrailer(size=6, sha256=bytes(32)), False),
    ],
)
async def test_end_of_upload_must_be_explicit(
    vault_server: VaultServer, header_size: int, trailer: vault_pb2.PutModelTrailer | None, accepted: bool
) -> None:
    requests = [
        vault_pb2.PutModelRequest(
            header=vault_pb2.PutModelHeader(model="big", version="1", size=header_size)
        ),
        vault_pb2.PutModelRequest(chunk=b"sixsix"),
    ]
    if trailer is not None:
        requests.append(vault_pb2.PutModelRequest(trailer=trailer))
    metadata = [("authorization", f"Bearer {vault_server.token()}")]
    async with grpc.aio.insecure_channel(vault_server.target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        if accepted:
            assert (await stub.PutModel(iter(requests), metadata=metadata)).manifest.size == 6
            return
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.PutModel(iter(requests), metadata=metadata)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert temp_files(vault_server) == []
    await no_version(vault_server)


async def test_download_abandoned_midway(vault_server: VaultServer, tmp_path: Path) -> None:
    (tmp_path / "m.bin").write_bytes(b"x" * (5 * 1024 * 1024))
    assert await vault_server.cli("push", "big", "1", str(tmp_path / "m.bin")) == 0
    metadata = [("authorization", f"Bearer {vault_server.token()}")]
    async with grpc.aio.insecure_channel(vault_server.target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        call = stub.GetModel(vault_pb2.GetModelRequest(model="big", ref="1"), metadata=metadata)
        received = 0
        async for response in call:
            received += len(response.chunk)
            if received >= 1024 * 1024:
                call.cancel()
                break
    # The server is unaffected: the next full download works and is audited with its outcome.
    assert await vault_server.cli("pull", "big", "1", str(tmp_path / "out.bin")) == 0
    assert (tmp_path / "out.bin").read_bytes() == (tmp_path / "m.bin").read_bytes()
    await wait_until(lambda: any(e.status == "CANCELLED" for e in vault_server.emitter.recent))


@pytest.mark.parametrize("abandon", ["close", "cancel", "cancel_while_reading"])
async def test_abandoned_download_is_audited_cancelled(
    tmp_path: Path, abandon: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether the client leaves while the handler waits at a yield (grpc later closes the generator:
    GeneratorExit) or while it awaits (the task is cancelled), the outcome recorded is CANCELLED; a
    read in a worker thread at that moment finishes before the payload is closed."""
    import threading

    from prometheus_client import CollectorRegistry

    from services.common.emitter import AuditEmitter
    from services.vault.metrics import VaultMetrics
    from services.vault.service import VaultService
    from tests.integration.vault.conftest import vault_settings

    gate = threading.Event()
    settings = vault_settings(tmp_path / "state", tmp_path / "unused.key")
    repository = build_repository(settings)
    if abandon == "cancel_while_reading":
        read = repository.store.iter_read

        def slow_read(key: str, chunk_size: int) -> Iterator[bytes]:
            for number, chunk in enumerate(read(key, chunk_size)):
                if number >= 1:  # the worker thread waits inside the read until the gate opens
                    gate.wait(10)
                yield chunk

        monkeypatch.setattr(repository.store, "iter_read", slow_read)
    upload = repository.begin_upload(model="big", version="1", tenant="t", creator="c")
    upload.write(b"x" * (3 * 1024 * 1024))
    upload.commit(trailer_size=3 * 1024 * 1024)
    registry = CollectorRegistry()
    emitter = AuditEmitter.disabled(registry, service="vault")
    service = VaultService(repository, VaultMetrics(registry), emitter)

    download = service.GetModel(vault_pb2.GetModelRequest(model="big", ref="1"), None)  # type: ignore[arg-type]
    assert (await download.__anext__()).HasField("manifest")
    assert len((await download.__anext__()).chunk) > 0
    if abandon == "close":
        await download.aclose()
    else:
        task = asyncio.ensure_future(download.__anext__())
        await asyncio.sleep(0)
        task.cancel()
        asyncio.get_running_loop().call_later(0.2, gate.set)  # the blocked read ends after the cancel
        with pytest.raises(asyncio.CancelledError):
            await task
    assert [(event.method, event.status) for event in emitter.recent] == [
        ("/aisec.vault.v1.VaultService/GetModel", "CANCELLED")
    ]
    assert registry.get_sample_value("aisec_vault_bytes_total", {"direction": "out"}) == 1024 * 1024
