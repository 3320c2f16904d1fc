"""`aisec validate TEXT|-` and `aisec validate --batch FILE|-`.

One input: prints the JSON result; exit 0 allowed, 1 denied. Batch: JSONL in
(`{"id","text","source"?}`), one JSON line out per input in order; exit 1 when
any input was denied.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from typing import Any

from aisec.common.v1 import common_pb2
from aisec.validator.v1 import validator_pb2

from services.client.cli.common import (
    EXIT_DENIED,
    EXIT_OK,
    CliError,
    add_common_options,
    make_client,
    print_json,
    read_jsonl,
    read_text_arg,
)

SOURCES = {
    "user": validator_pb2.SOURCE_USER,
    "document": validator_pb2.SOURCE_DOCUMENT,
    "tool_output": validator_pb2.SOURCE_TOOL_OUTPUT,
}
BATCH_SIZE = 128


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("validate", help="check text for prompt injection (exit 1 when denied)")
    add_common_options(parser)
    parser.add_argument("text", nargs="?", help="text to validate, or '-' for stdin")
    parser.add_argument("--batch", metavar="FILE", help='JSONL file (or \'-\') of {"id","text","source"?}')
    parser.add_argument("--source", choices=sorted(SOURCES), default="user", help="where the text came from")
    parser.add_argument("--policy", default="", help="named policy (default: the tenant's or 'default')")
    parser.add_argument("--dry-run", action="store_true", help="evaluate and report, but always allow")
    parser.set_defaults(func=run)


def source_of(value: Any, where: str) -> int:
    if value is None or value == "":
        return validator_pb2.SOURCE_USER
    if isinstance(value, str) and value.lower() in SOURCES:
        return SOURCES[value.lower()]
    raise CliError(f"{where}: source must be one of {sorted(SOURCES)}")


def result_dict(response: validator_pb2.ValidateResponse) -> dict[str, Any]:
    """The documented JSON shape of one result."""
    return {
        "id": response.input_id,
        "allowed": response.decision.allowed,
        "reason": response.decision.reason,
        "message": response.decision.message,
        "warnings": list(response.decision.warnings),
        "score": round(response.score, 4),
        "policy": response.policy,
        "policy_revision": response.policy_revision,
        "request_id": response.request_id,
        "dry_run": response.dry_run,
        "findings": [
            {
                "rule_id": f.rule_id,
                "category": f.category,
                "severity": common_pb2.Severity.Name(f.severity).removeprefix("SEVERITY_").lower(),
                "action": common_pb2.Action.Name(f.action).removeprefix("ACTION_").lower(),
                "start": f.start,
                "end": f.end,
                "score": round(f.score, 4),
                "decodings": list(f.decodings),
            }
            for f in response.findings
        ],
        "transformations": [
            {"kind": t.kind, "count": t.count, "start": t.start, "end": t.end}
            for t in response.transformations
        ],
    }


def chunks(rows: Iterable[validator_pb2.Input], size: int) -> Iterator[list[validator_pb2.Input]]:
    chunk: list[validator_pb2.Input] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def batch_inputs(path: str) -> Iterator[validator_pb2.Input]:
    for lineno, row in read_jsonl(path):
        yield validator_pb2.Input(
            id=str(row.get("id", lineno)),
            text=str(row["text"]),
            source=source_of(row.get("source"), f"{path}:{lineno}"),  # type: ignore[arg-type]
        )


def run(args: argparse.Namespace) -> int:
    if (args.text is None) == (args.batch is None):
        raise CliError("give TEXT (or '-') or --batch FILE, not both")
    with make_client(args, "validator") as client:
        if args.batch is None:
            request = validator_pb2.ValidateRequest(
                input=validator_pb2.Input(text=read_text_arg(args.text), source=SOURCES[args.source]),  # type: ignore[arg-type]
                policy=args.policy,
                dry_run=args.dry_run,
            )
            response = client.call(client.validator.Validate, request)
            print_json(result_dict(response))
            return EXIT_OK if response.decision.allowed else EXIT_DENIED
        denied = False
        for chunk in chunks(batch_inputs(args.batch), BATCH_SIZE):
            batch = validator_pb2.ValidateBatchRequest(inputs=chunk, policy=args.policy, dry_run=args.dry_run)
            for result in client.call(client.validator.ValidateBatch, batch).results:
                denied |= not result.decision.allowed
                print_json(result_dict(result))
        return EXIT_DENIED if denied else EXIT_OK
