"""The `aisec` command.

Exit codes (DESIGN.md): 0 success/allowed, 1 denied, 2 usage or connection error.
Each subcommand is a module with ``register(subparsers)`` that sets ``func``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

import grpc

from services.client.cli.common import EXIT_USAGE, CliError, describe_rpc_error

# Explicit registry of subcommand modules, in help order.
COMMANDS = ("health", "token", "validate", "eval", "redact", "vault", "audit")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aisec",
        description="AISec: validate prompts, redact output, store models, audit decisions.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"services.client.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"aisec: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except grpc.RpcError as exc:
        print(f"aisec: {describe_rpc_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
