"""`aisec vault`: push, pull, list, describe, alias, delete, rotate-key, rewrap.

``pull`` streams into a temporary file beside DEST, checks size and SHA-256 against the manifest,
fsyncs, and only then renames it to DEST; on any failure the temporary file is removed and DEST is
left as it was. It works as a Kubernetes init container that fills a shared volume.
Exit codes: 0 ok, 1 permission denied, 2 usage, connection or integrity error.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
from aisec.common.v1 import common_pb2
from aisec.vault.v1 import vault_pb2

from services.client.cli.common import (
    EXIT_DENIED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    add_common_options,
    describe_rpc_error,
    make_client,
    print_json,
    to_dict,
)
from services.vault.storage.filesystem import fsync_dir

CHUNK_SIZE = 1024 * 1024


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("vault", help="store and fetch encrypted, versioned models")
    commands = parser.add_subparsers(dest="vault_command", metavar="VAULT_COMMAND", required=True)

    push = commands.add_parser("push", help="upload a file as a new model version")
    push.add_argument("model")
    push.add_argument("version")
    push.add_argument("path", type=Path)
    push.add_argument("--label", action="append", default=[], metavar="KEY=VALUE", help="label (repeatable)")
    push.set_defaults(func=run_push)

    pull = commands.add_parser("pull", help="download and verify a version (or alias) to DEST")
    pull.add_argument("model")
    pull.add_argument("ref", help="version or alias")
    pull.add_argument("dest", type=Path, help="file to write (a directory: DEST/MODEL)")
    pull.set_defaults(func=run_pull)

    listing = commands.add_parser("list", help="list models, or the versions of MODEL")
    listing.add_argument("model", nargs="?")
    listing.set_defaults(func=run_list)

    describe = commands.add_parser("describe", help="show the signed manifest of a version")
    describe.add_argument("model")
    describe.add_argument("ref")
    describe.set_defaults(func=run_describe)

    alias = commands.add_parser("alias", help="point ALIAS of MODEL at VERSION")
    alias.add_argument("model")
    alias.add_argument("alias")
    alias.add_argument("version")
    alias.set_defaults(func=run_alias)

    delete = commands.add_parser("delete", help="delete a version (needs vault:admin)")
    delete.add_argument("model")
    delete.add_argument("version")
    delete.set_defaults(func=run_delete)

    rotate = commands.add_parser("rotate-key", help="new key-encryption-key version (needs vault:admin)")
    rotate.add_argument(
        "--min-decryption-version", type=int, default=0, help="retire key versions below this one"
    )
    rotate.set_defaults(func=run_rotate)

    rewrap = commands.add_parser("rewrap", help="rewrap data keys under the current key (needs vault:admin)")
    rewrap.add_argument("--model", default="", help="only this model")
    rewrap.set_defaults(func=run_rewrap)

    for sub in (push, pull, listing, describe, alias, delete, rotate, rewrap):
        add_common_options(sub)


def _rpc_exit(exc: grpc.RpcError) -> int:
    print(f"aisec: {describe_rpc_error(exc)}", file=sys.stderr)
    return EXIT_DENIED if exc.code() == grpc.StatusCode.PERMISSION_DENIED else EXIT_USAGE


def _manifest_summary(manifest: vault_pb2.Manifest) -> dict[str, Any]:
    data = to_dict(manifest)
    # The wrapped key and signature are opaque bytes; keep output readable.
    data.pop("wrapped_key", None)
    data.pop("signature", None)
    data["sha256"] = manifest.sha256.hex()
    return data


# --- push -------------------------------------------------------------------------------------
def _push_requests(args: argparse.Namespace, size: int) -> Iterator[vault_pb2.PutModelRequest]:
    labels = {}
    for item in args.label:
        key, sep, value = item.partition("=")
        if not sep:
            raise CliError(f"--label needs KEY=VALUE, got {item!r}")
        labels[key] = value
    header = vault_pb2.PutModelHeader(
        meta=common_pb2.RequestMeta(request_id=secrets.token_hex(8)),
        model=args.model,
        version=args.version,
        size=size,
        labels=labels,
    )
    yield vault_pb2.PutModelRequest(header=header)
    digest = hashlib.sha256()
    sent = 0
    with open(args.path, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
            sent += len(chunk)
            yield vault_pb2.PutModelRequest(chunk=chunk)
    # The trailer marks the upload complete and lets the server check what it received end to end.
    yield vault_pb2.PutModelRequest(trailer=vault_pb2.PutModelTrailer(size=sent, sha256=digest.digest()))


def run_push(args: argparse.Namespace) -> int:
    path: Path = args.path
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    size = path.stat().st_size
    with make_client(args, "vault") as client:
        try:
            response = client.vault.PutModel(
                _push_requests(args, size), timeout=args.timeout, metadata=client.metadata()
            )
        except grpc.RpcError as exc:
            return _rpc_exit(exc)
    print_json(_manifest_summary(response.manifest))
    return EXIT_OK


# --- pull -------------------------------------------------------------------------------------
def run_pull(args: argparse.Namespace) -> int:
    dest: Path = args.dest
    if dest.is_dir():
        dest = dest / args.model
    if not dest.parent.is_dir():
        raise CliError(f"no such directory: {dest.parent}")
    tmp = dest.parent / f".{dest.name}.partial-{secrets.token_hex(6)}"
    request = vault_pb2.GetModelRequest(
        meta=common_pb2.RequestMeta(request_id=secrets.token_hex(8)), model=args.model, ref=args.ref
    )
    with make_client(args, "vault") as client:
        try:
            manifest = _download(client, request, args.timeout, tmp)
            os.replace(tmp, dest)
            fsync_dir(dest.parent)
        except grpc.RpcError as exc:
            return _rpc_exit(exc)
        finally:
            tmp.unlink(missing_ok=True)  # after a failure nothing is left; after success it is gone already
    print_json({"path": str(dest), **_manifest_summary(manifest)})
    return EXIT_OK


def _download(client: Any, request: vault_pb2.GetModelRequest, timeout: float | None, tmp: Path) -> Any:
    stream = client.vault.GetModel(request, timeout=timeout, metadata=client.metadata())
    manifest: vault_pb2.Manifest | None = None
    digest = hashlib.sha256()
    written = 0
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        for response in stream:
            if response.WhichOneof("payload") == "manifest":
                if manifest is not None:
                    raise CliError("server sent a second manifest")
                manifest = response.manifest
                continue
            if manifest is None:
                raise CliError("server sent data before the manifest")
            digest.update(response.chunk)
            handle.write(response.chunk)
            written += len(response.chunk)
        if manifest is None:
            raise CliError("server sent no manifest")
        # End-to-end check, independent of the server's own verification.
        if written != manifest.size or not hmac.compare_digest(digest.digest(), manifest.sha256):
            raise CliError("downloaded bytes do not match the manifest (size or SHA-256); nothing written")
        handle.flush()
        os.fsync(handle.fileno())
    return manifest


# --- the rest ---------------------------------------------------------------------------------
def _meta() -> common_pb2.RequestMeta:
    return common_pb2.RequestMeta(request_id=secrets.token_hex(8))


def run_list(args: argparse.Namespace) -> int:
    with make_client(args, "vault") as client:
        try:
            if args.model:
                token = ""
                while True:
                    versions = client.call(
                        client.vault.ListVersions,
                        vault_pb2.ListVersionsRequest(meta=_meta(), model=args.model, page_token=token),
                    )
                    aliases_of: dict[str, list[str]] = {}
                    for alias, version in versions.aliases.items():
                        aliases_of.setdefault(version, []).append(alias)
                    for manifest in versions.versions:
                        print_json(
                            {
                                **_manifest_summary(manifest),
                                "aliases": sorted(aliases_of.get(manifest.version, [])),
                            }
                        )
                    token = versions.next_page_token
                    if not token:
                        break
            else:
                token = ""
                while True:
                    models = client.call(
                        client.vault.ListModels, vault_pb2.ListModelsRequest(meta=_meta(), page_token=token)
                    )
                    for model in models.models:
                        print_json(to_dict(model))
                    token = models.next_page_token
                    if not token:
                        break
        except grpc.RpcError as exc:
            return _rpc_exit(exc)
    return EXIT_OK


def _unary(args: argparse.Namespace, method_name: str, request: Any) -> int:
    with make_client(args, "vault") as client:
        try:
            response = client.call(getattr(client.vault, method_name), request)
        except grpc.RpcError as exc:
            return _rpc_exit(exc)
    if isinstance(response, vault_pb2.GetVersionResponse):
        print_json({**_manifest_summary(response.manifest), "signature_valid": response.signature_valid})
    else:
        print_json(to_dict(response))
    return EXIT_OK


def run_describe(args: argparse.Namespace) -> int:
    return _unary(
        args, "GetVersion", vault_pb2.GetVersionRequest(meta=_meta(), model=args.model, ref=args.ref)
    )


def run_alias(args: argparse.Namespace) -> int:
    request = vault_pb2.SetAliasRequest(
        meta=_meta(), model=args.model, alias=args.alias, version=args.version
    )
    return _unary(args, "SetAlias", request)


def run_delete(args: argparse.Namespace) -> int:
    request = vault_pb2.DeleteVersionRequest(meta=_meta(), model=args.model, version=args.version)
    return _unary(args, "DeleteVersion", request)


def run_rotate(args: argparse.Namespace) -> int:
    request = vault_pb2.RotateKeyRequest(meta=_meta(), min_decryption_version=args.min_decryption_version)
    return _unary(args, "RotateKey", request)


def run_rewrap(args: argparse.Namespace) -> int:
    return _unary(args, "Rewrap", vault_pb2.RewrapRequest(meta=_meta(), model=args.model))
