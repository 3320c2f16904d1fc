"""Tampering with stored payloads or manifests: the pull fails and nothing is left at DEST."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import grpc
import pytest
from aisec.vault.v1 import vault_pb2, vault_pb2_grpc

from services.vault.crypto import HEADER_SIZE, TAG_SIZE
from tests.integration.vault.conftest import VaultServer

MiB = 1024 * 1024
SEALED = MiB + TAG_SIZE
SIZE = 3 * MiB + 500_000  # four segments, the last one short


def flip(offset: int) -> Callable[[bytes], bytes]:
    def edit(payload: bytes) -> bytes:
        changed = bytearray(payload)
        changed[offset] ^= 0x01
        return bytes(changed)

    return edit


def swap(first: int, second: int) -> Callable[[bytes], bytes]:
    def edit(payload: bytes) -> bytes:
        body = payload[HEADER_SIZE:]
        parts = [body[i : i + SEALED] for i in range(0, len(body), SEALED)]
        parts[first], parts[second] = parts[second], parts[first]
        return payload[:HEADER_SIZE] + b"".join(parts)

    return edit


PAYLOAD_EDITS: dict[str, tuple[Callable[[bytes], bytes], int]] = {
    # name: (edit, verified segments the server may deliver before DATA_LOSS)
    "flip_header": (flip(20), 0),
    "flip_segment_0": (flip(HEADER_SIZE + 5), 0),
    "flip_segment_1": (flip(HEADER_SIZE + SEALED + 1000), 1),
    "flip_segment_2_tag": (flip(HEADER_SIZE + 3 * SEALED - 1), 2),
    "flip_last_segment": (flip(-3), 3),
    "truncate_last_segment": (lambda p: p[: HEADER_SIZE + 3 * SEALED], 2),
    "truncate_mid_segment": (lambda p: p[: HEADER_SIZE + SEALED + 100], 1),
    "truncate_to_header": (lambda p: p[:HEADER_SIZE], 0),
    "swap_segments_0_1": (swap(0, 1), 0),
    "swap_segments_1_2": (swap(1, 2), 1),
    "append_segment": (lambda p: p + p[HEADER_SIZE : HEADER_SIZE + SEALED], 3),
}


async def pushed(vault_server: VaultServer, tmp_path: Path, model: str = "llama", version: str = "1") -> Path:
    source = tmp_path / "model.bin"
    if not source.exists():
        source.write_bytes(os.urandom(SIZE))
    assert await vault_server.cli("push", model, version, str(source)) == 0
    return vault_server.version_dir(model, version)


async def pull_fails_cleanly(vault_server: VaultServer, tmp_path: Path) -> None:
    dest_dir = tmp_path / "dest"
    dest_dir.mkdir(exist_ok=True)
    assert await vault_server.cli("pull", "llama", "1", str(dest_dir / "model.bin")) == 2
    assert list(dest_dir.iterdir()) == []  # neither DEST nor a temp file


async def raw_get(vault_server: VaultServer) -> tuple[int, int, grpc.StatusCode | None]:
    """(manifest messages, chunk bytes received, final code) from a direct GetModel."""
    manifests = received = 0
    code = None
    metadata = [("authorization", f"Bearer {vault_server.token()}")]
    async with grpc.aio.insecure_channel(vault_server.target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        try:
            async for response in stub.GetModel(
                vault_pb2.GetModelRequest(model="llama", ref="1"), metadata=metadata
            ):
                if response.WhichOneof("payload") == "manifest":
                    manifests += 1
                else:
                    received += len(response.chunk)
        except grpc.aio.AioRpcError as exc:
            code = exc.code()
    return manifests, received, code


@pytest.mark.parametrize("name", list(PAYLOAD_EDITS))
async def test_payload_tampering(vault_server: VaultServer, tmp_path: Path, name: str) -> None:
    edit, good_segments = PAYLOAD_EDITS[name]
    await pushed(vault_server, tmp_path)
    payload = vault_server.payload_file("llama", "1")
    payload.write_bytes(edit(payload.read_bytes()))
    await pull_fails_cleanly(vault_server, tmp_path)
    manifests, received, code = await raw_get(vault_server)
    assert code == grpc.StatusCode.DATA_LOSS
    assert manifests <= 1
    # Only segments that verified were delivered; nothing from the bad one.
    assert received <= good_segments * MiB
    assert vault_server.metric("aisec_vault_integrity_failures_total") == 2


def _edit_manifest(path: Path, change: Callable[[vault_pb2.Manifest], None]) -> None:
    manifest = vault_pb2.Manifest()
    manifest.ParseFromString(path.read_bytes())
    change(manifest)
    path.write_bytes(manifest.SerializeToString())


MANIFEST_EDITS: dict[str, Callable[[vault_pb2.Manifest], None]] = {
    "size": lambda m: setattr(m, "size", m.size - 1),
    "sha256": lambda m: setattr(m, "sha256", bytes(32)),
    "creator": lambda m: setattr(m, "creator", "someone-else"),
    "label": lambda m: m.labels.__setitem__("approved", "yes"),
    "key_version": lambda m: setattr(m, "key_version", 2),
    "signature": lambda m: setattr(m, "signature", bytes([m.signature[0] ^ 1]) + m.signature[1:]),
    "signing_key_id": lambda m: setattr(m, "signing_key_id", "0" * 16),
    "no_signature": lambda m: m.ClearField("signature"),
}


@pytest.mark.parametrize("name", list(MANIFEST_EDITS))
async def test_manifest_tampering_fails_before_any_byte(
    vault_server: VaultServer, tmp_path: Path, name: str
) -> None:
    version_dir = await pushed(vault_server, tmp_path)
    _edit_manifest(version_dir / "manifest.pb", MANIFEST_EDITS[name])
    await pull_fails_cleanly(vault_server, tmp_path)
    manifests, received, code = await raw_get(vault_server)
    assert (manifests, received, code) == (0, 0, grpc.StatusCode.DATA_LOSS)


async def test_garbage_manifest(vault_server: VaultServer, tmp_path: Path) -> None:
    version_dir = await pushed(vault_server, tmp_path)
    (version_dir / "manifest.pb").write_bytes(b"\xff\xff not a manifest")
    await pull_fails_cleanly(vault_server, tmp_path)


async def test_payload_of_another_version_swapped_in(vault_server: VaultServer, tmp_path: Path) -> None:
    await pushed(vault_server, tmp_path, version="1")
    await pushed(vault_server, tmp_path, version="2")  # same plaintext, other key and context
    one, two = vault_server.payload_file("llama", "1"), vault_server.payload_file("llama", "2")
    one.write_bytes(two.read_bytes())
    await pull_fails_cleanly(vault_server, tmp_path)


async def test_missing_payload(vault_server: VaultServer, tmp_path: Path) -> None:
    await pushed(vault_server, tmp_path)
    vault_server.payload_file("llama", "1").unlink()
    await pull_fails_cleanly(vault_server, tmp_path)


async def test_untouched_version_still_pulls(vault_server: VaultServer, tmp_path: Path) -> None:
    await pushed(vault_server, tmp_path)
    dest = tmp_path / "ok.bin"
    assert await vault_server.cli("pull", "llama", "1", str(dest)) == 0
    assert dest.read_bytes() == (tmp_path / "model.bin").read_bytes()
