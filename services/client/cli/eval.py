"""`aisec eval FILE.jsonl`: detection quality against labelled rows.

Rows are `{"id","text","label": 1 attack | 0 benign, "source"?, "origin"?}`.
Prints TPR (recall), FPR, precision, F1 and the confusion matrix, overall and
per `origin`, as JSON. By default the rows go to the validator service
(ValidateBatch); `--local` runs the validator engine in this process instead.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from aisec.validator.v1 import validator_pb2

from services.client.cli.common import (
    EXIT_OK,
    CliError,
    add_common_options,
    make_client,
    print_json,
    read_jsonl,
)
from services.client.cli.validate import BATCH_SIZE, chunks, source_of


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("eval", help="measure detection quality on a labelled JSONL file")
    add_common_options(parser)
    parser.add_argument("file", help="JSONL file with text, label (1 attack, 0 benign), origin")
    parser.add_argument("--policy", default="", help="named policy to evaluate")
    parser.add_argument(
        "--local", action="store_true", help="run the validator engine in-process (no server)"
    )
    parser.add_argument("--policy-file", help="policy YAML for --local (default: the built-in one)")
    parser.add_argument("--errors", action="store_true", help="also list the ids of misclassified rows")
    parser.set_defaults(func=run)


@dataclass
class Confusion:
    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0

    def add(self, label: int, predicted: int) -> None:
        if label and predicted:
            self.tp += 1
        elif label:
            self.fn += 1
        elif predicted:
            self.fp += 1
        else:
            self.tn += 1

    def report(self) -> dict[str, Any]:
        def ratio(num: int, den: int) -> float | None:
            return round(num / den, 4) if den else None

        precision = ratio(self.tp, self.tp + self.fp)
        recall = ratio(self.tp, self.tp + self.fn)
        f1 = None
        if precision is not None and recall is not None and precision + recall > 0:
            f1 = round(2 * precision * recall / (precision + recall), 4)
        return {
            "rows": self.tp + self.fp + self.tn + self.fn,
            "tpr": recall,
            "fpr": ratio(self.fp, self.fp + self.tn),
            "precision": precision,
            "f1": f1,
            "confusion": {"tp": self.tp, "fn": self.fn, "fp": self.fp, "tn": self.tn},
        }


@dataclass
class Row:
    id: str
    text: str
    source: int
    label: int
    origin: str


def load_rows(path: str) -> list[Row]:
    rows = []
    for lineno, raw in read_jsonl(path):
        label = raw.get("label")
        if label not in (0, 1, True, False):
            raise CliError(f"{path}:{lineno}: label must be 0 or 1")
        rows.append(
            Row(
                id=str(raw.get("id", lineno)),
                text=str(raw["text"]),
                source=source_of(raw.get("source"), f"{path}:{lineno}"),
                label=int(label),
                origin=str(raw.get("origin", "unknown")),
            )
        )
    return rows


def remote_verdicts(args: argparse.Namespace, rows: list[Row]) -> Iterator[bool]:
    inputs = (validator_pb2.Input(id=r.id, text=r.text, source=r.source) for r in rows)  # type: ignore[arg-type]
    with make_client(args, "validator") as client:
        for chunk in chunks(inputs, BATCH_SIZE):
            request = validator_pb2.ValidateBatchRequest(inputs=chunk, policy=args.policy)
            for result in client.call(client.validator.ValidateBatch, request).results:
                yield not result.decision.allowed


def local_verdicts(args: argparse.Namespace, rows: list[Row]) -> Iterator[bool]:
    from pathlib import Path  # in-process mode only: keep the remote CLI light

    from services.validator.engine import ValidatorEngine
    from services.validator.policy import PolicyStore
    from services.validator.service import SOURCE_NAMES
    from services.validator.settings import DEFAULT_POLICY_FILE

    store = PolicyStore(Path(args.policy_file) if args.policy_file else DEFAULT_POLICY_FILE)
    policy = store.current.resolve(args.policy, "")
    if policy is None:
        raise CliError(f"unknown policy {args.policy!r}")
    engine = ValidatorEngine()
    for row in rows:
        yield not engine.evaluate(row.text, SOURCE_NAMES[row.source], policy).allowed


def run(args: argparse.Namespace) -> int:
    rows = load_rows(args.file)
    if not rows:
        raise CliError(f"{args.file}: no rows")
    verdicts = local_verdicts(args, rows) if args.local else remote_verdicts(args, rows)
    overall = Confusion()
    by_origin: dict[str, Confusion] = {}
    wrong: list[str] = []
    for row, denied in zip(rows, verdicts, strict=True):
        overall.add(row.label, int(denied))
        by_origin.setdefault(row.origin, Confusion()).add(row.label, int(denied))
        if bool(row.label) != denied:
            wrong.append(row.id)
    report: dict[str, Any] = {
        "file": args.file,
        "policy": args.policy or "default",
        "overall": overall.report(),
        "by_origin": {origin: c.report() for origin, c in sorted(by_origin.items())},
    }
    if args.errors:
        report["misclassified"] = wrong
    print_json(report, sys.stdout)
    return EXIT_OK
