"""`aisec token`: print a dev token signed with the local dev key."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from services.client.cli.common import EXIT_OK, CliError
from services.client.settings import DEV_KEY_FILE, ClientSettings, find_state_dir
from services.common.auth import mint_token, read_secret


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("token", help="print a dev token signed with the local dev key")
    parser.add_argument("--scope", action="append", dest="scopes", help="scope to grant (repeatable; default admin)")
    parser.add_argument("--subject", default="dev", help="token subject (default dev)")
    parser.add_argument("--tenant", default="default", help="tenant (default 'default')")
    parser.add_argument("--ttl", type=int, default=12 * 3600, help="lifetime in seconds (default 12h)")
    parser.add_argument("--key-file", type=Path, help="HS256 key (default .aisec/dev-jwt.key)")
    parser.add_argument("--issuer", default="aisec")
    parser.add_argument("--audience", default="aisec")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    key_file = args.key_file
    if key_file is None:
        state = ClientSettings().state_dir or find_state_dir()
        if state is None:
            raise CliError("no .aisec/ directory found: run `make run` once, or pass --key-file")
        key_file = Path(state) / DEV_KEY_FILE
    try:
        key = read_secret(key_file)
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read dev key: {exc}") from None
    if args.ttl <= 0:
        raise CliError("--ttl must be positive")
    token = mint_token(
        key,
        subject=args.subject,
        tenant=args.tenant,
        scopes=args.scopes or ["admin"],
        ttl_s=args.ttl,
        issuer=args.issuer,
        audience=args.audience,
    )
    sys.stdout.write(token + "\n")
    return EXIT_OK
