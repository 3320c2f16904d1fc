"""End to end through the real gRPC server and the `aisec vault` CLI."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import grpc
import pytest
from aisec.vault.v1 import vault_pb2, vault_pb2_grpc

from services.common import errors
from tests.integration.vault.conftest import VaultServer

MiB = 1024 * 1024


def write_model(path: Path, size: int) -> bytes:
    data = os.urandom(size)
    path.write_bytes(data)
    return data


async def test_push_pull_round_trip_list_alias(vault_server: VaultServer, tmp_path: Path) -> None:
    data = write_model(tmp_path / "model.bin", 3 * MiB + 123)
    assert await vault_server.cli("push", "llama", "1", str(tmp_path / "model.bin")) == 0
    # Nothing in the store is plaintext.
    payload = vault_server.payload_file("llama", "1").read_bytes()
    assert data[:4096] not in payload and len(payload) > len(data)

    dest = tmp_path / "out" / "model.bin"
    dest.parent.mkdir()
    assert await vault_server.cli("pull", "llama", "1", str(dest)) == 0
    assert dest.read_bytes() == data
    assert list(dest.parent.iterdir()) == [dest]  # no temp file left

    assert await vault_server.cli("push", "llama", "2", str(tmp_path / "model.bin")) == 0
    assert await vault_server.cli("alias", "llama", "prod", "1") == 0
    assert await vault_server.cli("alias", "llama", "prod", "2") == 0  # aliases move
    by_alias = tmp_path / "out" / "by-alias.bin"
    assert await vault_server.cli("pull", "llama", "prod", str(by_alias)) == 0
    assert hashlib.sha256(by_alias.read_bytes()).digest() == hashlib.sha256(data).digest()
    # A directory DEST gets the model name (init-container use).
    assert await vault_server.cli("pull", "llama", "prod", str(tmp_path / "out")) == 0
    assert (tmp_path / "out" / "llama").read_bytes() == data
    assert await vault_server.cli("list") == 0
    assert await vault_server.cli("list", "llama") == 0
    assert await vault_server.cli("describe", "llama", "prod") == 0

    assert vault_server.metric("aisec_vault_bytes_total", {"direction": "in"}) == 2 * len(data)
    assert vault_server.metric("aisec_vault_bytes_total", {"direction": "out"}) == 3 * len(data)
    assert vault_server.metric("aisec_vault_operations_total", {"operation": "put", "result": "ok"}) == 2


async def test_grpc_api_listing_versions_and_already_exists(
    vault_server: VaultServer, tmp_path: Path
) -> None:
    write_model(tmp_path / "m.bin", 10)
    assert await vault_server.cli("push", "bert", "1", str(tmp_path / "m.bin")) == 0
    # Same version again -> ALREADY_EXISTS (CLI exit 2), the stored version is unchanged.
    write_model(tmp_path / "other.bin", 20)
    assert await vault_server.cli("push", "bert", "1", str(tmp_path / "other.bin")) == 2
    metadata = [("authorization", f"Bearer {vault_server.token()}")]
    async with grpc.aio.insecure_channel(vault_server.target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        header = vault_pb2.PutModelRequest(header=vault_pb2.PutModelHeader(model="bert", version="1"))
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.PutModel(iter([header, vault_pb2.PutModelRequest(chunk=b"x")]), metadata=metadata)
        # (ALREADY_EXISTS is decided on the header, before any byte is stored.)
        assert caught.value.code() == grpc.StatusCode.ALREADY_EXISTS
        described = await stub.GetVersion(
            vault_pb2.GetVersionRequest(model="bert", ref="1"), metadata=metadata
        )
        assert described.signature_valid and described.manifest.size == 10
        assert described.manifest.cipher == "AES-256-GCM-HKDF-SHA256-STREAM-1MiB"
        assert described.manifest.creator == "tester" and described.manifest.key_version == 1
        models = await stub.ListModels(vault_pb2.ListModelsRequest(), metadata=metadata)
        assert [(m.name, m.version_count, m.latest_version) for m in models.models] == [("bert", 1, "1")]
        # A wrong announced size is refused and leaves no version.
        bad = vault_pb2.PutModelRequest(header=vault_pb2.PutModelHeader(model="bert", version="2", size=99))
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.PutModel(iter([bad, vault_pb2.PutModelRequest(chunk=b"abc")]), metadata=metadata)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        # A bad model name is INVALID_ARGUMENT with the field named.
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.GetVersion(vault_pb2.GetVersionRequest(model="../etc", ref="1"), metadata=metadata)
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.GetVersion(vault_pb2.GetVersionRequest(model="bert", ref="9"), metadata=metadata)
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
        versions = await stub.ListVersions(vault_pb2.ListVersionsRequest(model="bert"), metadata=metadata)
        assert [v.version for v in versions.versions] == ["1"]
    assert not vault_server.version_dir("bert", "2").exists()


async def test_empty_model(vault_server: VaultServer, tmp_path: Path) -> None:
    (tmp_path / "empty").write_bytes(b"")
    assert await vault_server.cli("push", "tiny", "0", str(tmp_path / "empty")) == 0
    assert await vault_server.cli("pull", "tiny", "0", str(tmp_path / "got")) == 0
    assert (tmp_path / "got").read_bytes() == b""


async def test_delete_needs_admin_and_is_audited(vault_server: VaultServer, tmp_path: Path) -> None:
    write_model(tmp_path / "m.bin", 100)
    assert await vault_server.cli("push", "gpt", "1", str(tmp_path / "m.bin")) == 0
    assert await vault_server.cli("alias", "gpt", "prod", "1") == 0
    writer = vault_server.token(scopes=["vault:write:gpt", "vault:read:gpt"])
    assert await vault_server.cli("delete", "gpt", "1", token=writer) == 1
    assert vault_server.version_dir("gpt", "1").exists()
    admin = vault_server.token(scopes=["vault:admin"])
    assert await vault_server.cli("delete", "gpt", "1", token=admin) == 0
    assert not vault_server.version_dir("gpt", "1").exists()
    assert await vault_server.cli("pull", "gpt", "prod", str(tmp_path / "gone")) == 2
    deletes = [e for e in vault_server.emitter.recent if e.action == "delete"]
    assert [(e.status, e.model, e.model_version) for e in deletes] == [("OK", "gpt", "1")]


@pytest.mark.parametrize(
    ("scopes", "argv", "method"),
    [
        (["vault:read:llama"], ["push", "llama", "1", "{file}"], "PutModel"),
        (["vault:write:llama", "vault:read:other"], ["pull", "llama", "1", "{dest}"], "GetModel"),
        (["vault:read:*"], ["alias", "llama", "prod", "1"], "SetAlias"),
        (["vault:read:*", "vault:write:*"], ["rotate-key"], "RotateKey"),
        (["vault:read:*", "vault:write:*"], ["rewrap"], "Rewrap"),
        (["vault:read:other"], ["list", "llama"], "ListVersions"),
    ],
)
async def test_per_model_scopes(
    vault_server: VaultServer, tmp_path: Path, scopes: list[str], argv: list[str], method: str
) -> None:
    write_model(tmp_path / "m.bin", 10)
    assert await vault_server.cli("push", "llama", "1", str(tmp_path / "m.bin")) == 0
    args = [a.format(file=tmp_path / "m.bin", dest=tmp_path / "dest") for a in argv]
    token = vault_server.token(scopes=scopes, subject="mallory")
    assert await vault_server.cli(*args, token=token) == 1
    assert not (tmp_path / "dest").exists()
    assert vault_server.metric("aisec_vault_access_denied_total", {"method": method}) == 1
    denials = [e for e in vault_server.emitter.recent if e.status == "PERMISSION_DENIED"]
    assert len(denials) == 1
    event = denials[0]
    assert event.type == 3  # EVENT_TYPE_VAULT_ACCESS
    assert event.subject == "mallory" and event.method.endswith("/" + method)


async def test_scoped_reader_lists_only_readable_models(vault_server: VaultServer, tmp_path: Path) -> None:
    write_model(tmp_path / "m.bin", 10)
    for model in ("a", "b"):
        assert await vault_server.cli("push", model, "1", str(tmp_path / "m.bin")) == 0
    token = vault_server.token(scopes=["vault:read:b"])
    async with grpc.aio.insecure_channel(vault_server.target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        models = await stub.ListModels(
            vault_pb2.ListModelsRequest(), metadata=[("authorization", f"Bearer {token}")]
        )
    assert [m.name for m in models.models] == ["b"]


async def test_rotate_rewrap_retire(vault_server: VaultServer, tmp_path: Path) -> None:
    data = write_model(tmp_path / "m.bin", 2 * MiB + 1)
    assert await vault_server.cli("push", "m", "1", str(tmp_path / "m.bin")) == 0
    assert await vault_server.cli("rotate-key") == 0
    assert await vault_server.cli("push", "m", "2", str(tmp_path / "m.bin")) == 0
    payload_before = vault_server.payload_file("m", "1").read_bytes()
    assert await vault_server.cli("rewrap") == 0
    # Rewrap changes only the wrapped key in the manifest, never the payload.
    assert vault_server.payload_file("m", "1").read_bytes() == payload_before
    assert await vault_server.cli("rotate-key", "--min-decryption-version", "2") == 0
    assert await vault_server.cli("pull", "m", "1", str(tmp_path / "one")) == 0
    assert (tmp_path / "one").read_bytes() == data


async def test_retired_key_version_is_a_clear_failed_precondition(
    vault_server: VaultServer, tmp_path: Path
) -> None:
    write_model(tmp_path / "m.bin", 1000)
    assert await vault_server.cli("push", "m", "1", str(tmp_path / "m.bin")) == 0
    assert (
        await vault_server.cli("rotate-key", "--min-decryption-version", "2") == 0
    )  # retired without rewrap
    assert await vault_server.cli("pull", "m", "1", str(tmp_path / "dest")) == 2
    assert not (tmp_path / "dest").exists()
    metadata = [("authorization", f"Bearer {vault_server.token()}")]
    async with grpc.aio.insecure_channel(vault_server.target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            async for _ in stub.GetModel(vault_pb2.GetModelRequest(model="m", ref="1"), metadata=metadata):
                pass
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "key version 1 is retired" in (caught.value.details() or "")
    assert any(d.DESCRIPTOR.name == "PreconditionFailure" for d in errors.details_of(caught.value))


async def test_pagination_and_tenant_binding(vault_server: VaultServer, tmp_path: Path) -> None:
    write_model(tmp_path / "m.bin", 10)
    for model in ("a", "b", "c"):
        assert await vault_server.cli("push", model, "1", str(tmp_path / "m.bin")) == 0
    writer = vault_server.token(scopes=["vault:write:*", "vault:read:*"], tenant="acme")
    metadata = [("authorization", f"Bearer {writer}")]
    async with grpc.aio.insecure_channel(vault_server.target) as channel:
        stub = vault_pb2_grpc.VaultServiceStub(channel)
        names, token = [], ""
        while True:
            page = await stub.ListModels(
                vault_pb2.ListModelsRequest(page_size=2, page_token=token), metadata=metadata
            )
            names += [m.name for m in page.models]
            token = page.next_page_token
            if not token:
                break
        assert names == ["a", "b", "c"]
        # A version is bound to the caller's tenant; another tenant in the request is refused.
        header = vault_pb2.PutModelHeader(model="d", version="1", size=1)
        header.meta.tenant = "other"
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await stub.PutModel(iter([vault_pb2.PutModelRequest(header=header)]), metadata=metadata)
        assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
        header.meta.tenant = ""
        requests = [vault_pb2.PutModelRequest(header=header), vault_pb2.PutModelRequest(chunk=b"z")]
        response = await stub.PutModel(iter(requests), metadata=metadata)
        assert response.manifest.tenant == "acme"
    assert vault_server.metric("aisec_vault_access_denied_total", {"method": "PutModel"}) == 1
