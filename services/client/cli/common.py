"""Options and helpers every subcommand shares."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import grpc
from google.protobuf import json_format

from services.client.client import AisecClient, TlsConfig
from services.client.settings import DEV_TOKEN_FILE, ClientSettings, find_state_dir

EXIT_OK = 0
EXIT_DENIED = 1
EXIT_USAGE = 2


class CliError(Exception):
    """Usage or connection problem: printed, exit code 2."""


def add_common_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument("--target", help="host:port of the service (default: local dev port)")
    group.add_argument("--token", help="bearer token (default: AISEC_TOKEN, --token-file, or .aisec/dev-token)")
    group.add_argument("--token-file", type=Path, help="file holding the bearer token")
    group.add_argument("--timeout", type=float, help="deadline per call in seconds (default 10)")
    group.add_argument("--tls-ca", type=Path, help="CA bundle to verify the server (enables TLS)")
    group.add_argument("--tls-cert", type=Path, help="client certificate for mTLS")
    group.add_argument("--tls-key", type=Path, help="client key for mTLS")
    group.add_argument("--tls-server-name", help="expected server name in its certificate")


def resolve_token(args: argparse.Namespace, settings: ClientSettings) -> str | None:
    if getattr(args, "token", None):
        return str(args.token)
    token_file = getattr(args, "token_file", None) or settings.token_file
    if token_file:
        return Path(token_file).read_text().strip()
    if settings.token:
        return settings.token
    state = settings.state_dir or find_state_dir()
    if state is not None and (Path(state) / DEV_TOKEN_FILE).is_file():
        return (Path(state) / DEV_TOKEN_FILE).read_text().strip()
    return None


def make_client(args: argparse.Namespace, service: str) -> AisecClient:
    settings = ClientSettings()
    target = getattr(args, "target", None) or settings.target_for(service)
    ca = getattr(args, "tls_ca", None) or settings.tls_ca_file
    tls = None
    if ca is not None:
        tls = TlsConfig(
            ca_file=ca,
            cert_file=getattr(args, "tls_cert", None) or settings.tls_cert_file,
            key_file=getattr(args, "tls_key", None) or settings.tls_key_file,
            server_name=getattr(args, "tls_server_name", None),
        )
    timeout = getattr(args, "timeout", None) or settings.timeout_s
    try:
        token = resolve_token(args, settings)
    except OSError as exc:
        raise CliError(f"cannot read token: {exc}") from None
    return AisecClient(target, token, tls=tls, timeout_s=timeout)


def to_dict(message: Any) -> dict[str, Any]:
    return json_format.MessageToDict(message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)


def print_json(data: Any, out: TextIO | None = None) -> None:
    # sys.stdout is looked up per call, so redirection (tests, capture) works.
    stream = out if out is not None else sys.stdout
    stream.write(json.dumps(data, ensure_ascii=False) + "\n")
    stream.flush()


def read_text_arg(value: str) -> str:
    """TEXT or '-' for standard input."""
    return sys.stdin.read() if value == "-" else value


def iter_json_objects(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """JSON objects, one per line, of a file or '-' (stdin); CliError names the bad line."""
    try:
        stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc}") from None
    try:
        for lineno, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CliError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise CliError(f"{path}:{lineno}: expected a JSON object")
            yield lineno, row
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc}") from None
    finally:
        if stream is not sys.stdin:
            stream.close()


def read_jsonl(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows of a JSONL file or '-' (stdin), each with a "text" field."""
    for lineno, row in iter_json_objects(path):
        if "text" not in row:
            raise CliError(f"{path}:{lineno}: each line needs an object with a \"text\" field")
        yield lineno, row


def describe_rpc_error(exc: grpc.RpcError) -> str:
    code = exc.code() if hasattr(exc, "code") else None
    details = exc.details() if hasattr(exc, "details") else str(exc)
    return f"{code.name if code else 'ERROR'}: {details}"
