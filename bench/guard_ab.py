"""Before/after of the guard in ONE process, interleaved, so machine load hits both alike.

    cp -r services/guard /tmp/guard_before      # before changing the code
    .venv/bin/python bench/guard_ab.py --before /tmp/guard_before [--repeat 7]

The ``--before`` tree (a copy of ``services/guard``) is imported as a separate package; both run on
the same texts (bench/guard_corpus.py) after a warm-up, alternating order each repeat. Asserts that
both give the same redacted text and stream output. Prints median CPU µs per KB.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from guard_corpus import build_corpus, typical_output

Impl = tuple[Callable[[str], Any], Callable[[str], Any], Callable[[str, int], str]]


def load_before(tree: Path, workdir: Path) -> str:
    """Copy ``tree`` to ``workdir/guard_before`` with its ``services.guard`` imports renamed."""
    target = workdir / "guard_before"
    shutil.copytree(tree, target, ignore=shutil.ignore_patterns("__pycache__"))
    for path in target.rglob("*.py"):
        path.write_text(path.read_text().replace("services.guard", "guard_before"))
    sys.path.insert(0, str(workdir))
    return "guard_before"


def build(package: str) -> Impl:
    analyzer_mod = importlib.import_module(f"{package}.analyzer")
    operators = importlib.import_module(f"{package}.operators")
    registry = importlib.import_module(f"{package}.recognizers.registry")
    redactor_mod = importlib.import_module(f"{package}.redactor")
    streaming = importlib.import_module(f"{package}.streaming")
    analyzer = analyzer_mod.Analyzer(registry.default_recognizers())
    redactor = redactor_mod.Redactor(analyzer, operators.OperatorEngine(b"h" * 32, b"e" * 64))
    kind = operators.OperatorKind
    plan = redactor_mod.RedactionPlan(
        registry.ENTITY_TYPES,
        {
            "EMAIL_ADDRESS": operators.OperatorSpec(kind.INSTANCE_REPLACE),
            "CREDIT_CARD": operators.OperatorSpec(kind.MASK),
        },
        operators.OperatorSpec(kind.REPLACE),
        0.5,
    )
    entities = registry.ENTITY_TYPES

    def analyze(text: str) -> Any:
        return analyzer_mod.resolve_overlaps(analyzer.scan(text, 0, entities, (), 0.5).candidates, 0.5)

    def redact(text: str) -> Any:
        return redactor.redact(text, plan, operators.InstanceTagger(b"k" * 32))

    def stream(text: str, chunk: int) -> str:
        streamer = streaming.StreamRedactor(redactor, plan, operators.InstanceTagger(b"k" * 32))
        out = [streamer.feed(text[i : i + chunk]).text for i in range(0, len(text), chunk)]
        out.append(streamer.finish().text)
        return "".join(out)

    return analyze, redact, stream


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, required=True, help="copy of services/guard before the change")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--inner", type=int, default=5, help="runs of each case per timing (longer timings)")
    args = parser.parse_args()
    typical = typical_output(size_kb=64)
    docs = [typical[i : i + 1024] for i in range(0, len(typical), 1024)]
    dense = [document.text for document in build_corpus()]
    stream_text = typical[:16384]
    with tempfile.TemporaryDirectory() as workdir:
        impls = {"before": build(load_before(args.before, Path(workdir))), "after": build("services.guard")}
        for _, redact, stream in impls.values():  # warm-up: RE2 builds DFA states lazily
            for text in docs + dense:
                redact(text)
            stream(typical, 16)
        for text in docs + dense:
            before_found = [(c.entity_type, c.start, c.end, c.score) for c in impls["before"][0](text)]
            after_found = [(c.entity_type, c.start, c.end, c.score) for c in impls["after"][0](text)]
            assert before_found == after_found, "findings differ"
            assert impls["before"][1](text).text == impls["after"][1](text).text, "redacted texts differ"
        for chunk in (1, 16):
            assert impls["before"][2](stream_text, chunk) == impls["after"][2](stream_text, chunk)

        def kb(texts: list[str]) -> float:
            return sum(len(text.encode()) for text in texts) / 1024

        cases: list[tuple[str, Callable[[Impl], None], float]] = [
            ("typical analyze", lambda impl: [impl[0](t) for t in docs], kb(docs)),
            ("typical redact", lambda impl: [impl[1](t) for t in docs], kb(docs)),
            ("dense analyze", lambda impl: [impl[0](t) for t in dense], kb(dense)),
            ("dense redact", lambda impl: [impl[1](t) for t in dense], kb(dense)),
        ]
        for chunk in (1, 4, 16, 64, 256):
            cases.append(
                (
                    f"stream, {chunk}-char chunks",
                    lambda impl, chunk=chunk: impl[2](stream_text, chunk),  # type: ignore[misc]
                    kb([stream_text]),
                )
            )
        timings: dict[tuple[str, str], list[float]] = {}
        for repeat in range(args.repeat):
            order = ("before", "after") if repeat % 2 == 0 else ("after", "before")
            for label, run, size in cases:
                for name in order:
                    started = time.process_time()
                    for _ in range(args.inner):
                        run(impls[name])
                    elapsed = time.process_time() - started
                    timings.setdefault((label, name), []).append(elapsed * 1e6 / size / args.inner)
    print(
        f"| case (CPU µs per KB, median of {args.repeat} x {args.inner} runs) | before | after | after / before "
        "| min before | min after |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for label, _, _ in cases:
        before_us = statistics.median(timings[(label, "before")])
        after_us = statistics.median(timings[(label, "after")])
        print(
            f"| {label} | {before_us:.1f} | {after_us:.1f} | {after_us / before_us:.2f} "
            f"| {min(timings[(label, 'before')]):.1f} | {min(timings[(label, 'after')]):.1f} |"
        )


if __name__ == "__main__":
    main()
