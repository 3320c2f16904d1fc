"""``aisec redact``: redact PII and secrets from text, a JSONL batch, or a live stream.

    aisec redact "text"            one text, JSON result
    aisec redact -                 stdin as one text
    aisec redact --batch FILE|-    JSONL {"id","text"} in, one JSON line out per row, in order
    some-llm-cli | aisec redact --stream   stdin to stdout as it arrives

Exit codes: 0 allowed, 1 output blocked by policy, 2 usage or connection error.
"""

from __future__ import annotations

import argparse
import codecs
import os
import sys
from collections.abc import Iterator
from typing import Any

from aisec.common.v1 import common_pb2
from aisec.guard.v1 import guard_pb2

from services.client.cli.common import (
    EXIT_DENIED,
    EXIT_OK,
    CliError,
    add_common_options,
    make_client,
    print_json,
    read_jsonl,
    read_text_arg,
    to_dict,
)

BATCH_SIZE = 64
STREAM_READ_BYTES = 4096
OPERATORS = {
    "redact": guard_pb2.OPERATOR_REDACT,
    "replace": guard_pb2.OPERATOR_REPLACE,
    "instance_replace": guard_pb2.OPERATOR_INSTANCE_REPLACE,
    "mask": guard_pb2.OPERATOR_MASK,
    "hash": guard_pb2.OPERATOR_HASH,
    "encrypt": guard_pb2.OPERATOR_ENCRYPT,
    "keep": guard_pb2.OPERATOR_KEEP,
    "block": guard_pb2.OPERATOR_BLOCK,
}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("redact", help="redact PII and secrets from model output")
    parser.add_argument("text", nargs="?", help="text to redact, or - for stdin")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--batch", metavar="FILE", help='JSONL file (or -) of {"id","text"} rows')
    mode.add_argument("--stream", action="store_true", help="redact stdin to stdout as it arrives")
    parser.add_argument("--policy", default="", help="named policy (default: the tenant's)")
    parser.add_argument("--entities", default="", help="comma-separated entity types to look for")
    parser.add_argument(
        "--operator",
        action="append",
        default=[],
        metavar="ENTITY=OP",
        help=f"operator override, e.g. CREDIT_CARD=mask or DEFAULT=redact ({', '.join(OPERATORS)})",
    )
    parser.add_argument("--request-id", default="", help="request id echoed in the result and audit")
    parser.add_argument("--conversation-id", default="", help="keeps instance tags stable across calls")
    add_common_options(parser)
    parser.set_defaults(func=run)


def _operators(values: list[str]) -> dict[str, guard_pb2.OperatorConfig]:
    operators = {}
    for value in values:
        entity, _, name = value.partition("=")
        if not entity or name not in OPERATORS:
            raise CliError(f"--operator {value!r}: expected ENTITY=OP with OP one of {', '.join(OPERATORS)}")
        operators[entity.strip().upper()] = guard_pb2.OperatorConfig(operator=OPERATORS[name])
    return operators


def _request(args: argparse.Namespace, text: str, request_id: str = "") -> guard_pb2.RedactRequest:
    return guard_pb2.RedactRequest(
        meta=common_pb2.RequestMeta(
            request_id=request_id or args.request_id, conversation_id=args.conversation_id
        ),
        text=text,
        policy=args.policy,
        entities=[e.strip() for e in args.entities.split(",") if e.strip()],
        operators=_operators(args.operator),
    )


def run(args: argparse.Namespace) -> int:
    if args.stream:
        return _run_stream(args)
    if args.batch:
        return _run_batch(args)
    if args.text is None:
        raise CliError("give TEXT, - for stdin, --batch FILE or --stream")
    with make_client(args, service="guard") as client:
        response = client.call(client.guard.Redact, _request(args, read_text_arg(args.text)))
    print_json(to_dict(response))
    return EXIT_OK if response.decision.allowed else EXIT_DENIED


def _batch_line(row_id: Any, response: guard_pb2.RedactResponse) -> dict[str, Any]:
    return {
        "id": row_id,
        "text": response.text,
        "findings": [
            {"entity_type": r.entity_type, "start": r.start, "end": r.end, "score": round(r.score, 4)}
            for r in response.redactions
        ]
        + [
            {"entity_type": f.rule_id.upper(), "start": f.start, "end": f.end, "score": round(f.score, 4)}
            for f in response.findings
        ],
        "allowed": response.decision.allowed,
    }


def _run_batch(args: argparse.Namespace) -> int:
    denied = False
    rows = (row for _, row in read_jsonl(args.batch))
    with make_client(args, service="guard") as client:
        while True:
            chunk = [row for _, row in zip(range(BATCH_SIZE), rows, strict=False)]
            if not chunk:
                break
            request = guard_pb2.RedactBatchRequest(
                items=[_request(args, str(row["text"]), str(row.get("id", ""))) for row in chunk],
                policy=args.policy,
            )
            response = client.call(client.guard.RedactBatch, request)
            for row, result in zip(chunk, response.results, strict=True):
                denied |= not result.decision.allowed
                print_json(_batch_line(row.get("id"), result))
    return EXIT_DENIED if denied else EXIT_OK


def _stream_requests(args: argparse.Namespace) -> Iterator[guard_pb2.RedactStreamRequest]:
    base = _request(args, "")
    yield guard_pb2.RedactStreamRequest(
        config=guard_pb2.RedactStreamConfig(
            meta=base.meta, policy=base.policy, entities=base.entities, operators=base.operators
        )
    )
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    fd = sys.stdin.fileno()
    while True:
        # os.read returns as soon as some bytes are available: tokens flow through.
        data = os.read(fd, STREAM_READ_BYTES)
        text = decoder.decode(data, final=not data)
        if text:
            yield guard_pb2.RedactStreamRequest(chunk=text)
        if not data:
            return


def _run_stream(args: argparse.Namespace) -> int:
    blocked = False
    with make_client(args, service="guard") as client:
        for response in client.stream(
            client.guard.RedactStream, _stream_requests(args), timeout_s=args.timeout
        ):
            if response.text:
                sys.stdout.write(response.text)
                sys.stdout.flush()
            if response.blocked:
                blocked = True
                print("\naisec: output blocked by policy", file=sys.stderr)
    return EXIT_DENIED if blocked else EXIT_OK
