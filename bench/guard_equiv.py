"""Old vs new guard outputs on the bench corpora: one digest over everything a change must not alter.

    cp -r services/guard /work/tmp/guard_before      # before changing the code
    .venv/bin/python bench/guard_equiv.py --before /work/tmp/guard_before

Covers redact results (text, blocked, every redaction field, leaks) at five min-scores with
canaries and every operator kind, raw spans and candidates at min-score 0 and 0.5, resolved
findings, ``pending_start``, and every stream step for five chunk sizes x two min-advance settings.
Texts: typical output, the quality corpus (two seeds), mixes with non-ASCII characters and canaries,
context words at every distance before numbers, and README-like text with long non-space runs
(``guard_bench.long_run_docs``).
Prints both digests and IDENTICAL or DIFFERENT (exit 1).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from guard_ab import load_before
from guard_bench import long_run_docs
from guard_corpus import build_corpus, typical_output

CANARIES = ("CANARY-7f3a", "zebra-canary-42")


def fields(item: Any) -> tuple[Any, ...]:
    return tuple(vars(item).values())


def digest(
    package: str, texts: list[str], stream_texts: list[str], long_stream_texts: list[str]
) -> tuple[str, int]:
    analyzer_mod = importlib.import_module(f"{package}.analyzer")
    operators = importlib.import_module(f"{package}.operators")
    registry = importlib.import_module(f"{package}.recognizers.registry")
    redactor_mod = importlib.import_module(f"{package}.redactor")
    streaming = importlib.import_module(f"{package}.streaming")
    analyzer = analyzer_mod.Analyzer(registry.default_recognizers())
    redactor = redactor_mod.Redactor(analyzer, operators.OperatorEngine(b"h" * 32, b"e" * 64))
    kind = operators.OperatorKind
    specs = {
        "EMAIL_ADDRESS": kind.INSTANCE_REPLACE,
        "CREDIT_CARD": kind.MASK,
        "US_SSN": kind.HASH,
        "IBAN_CODE": kind.ENCRYPT,
        "URL": kind.KEEP,
        "PHONE_NUMBER": kind.INSTANCE_REPLACE,
        "IP_ADDRESS": kind.REDACT,
        "CANARY": kind.REPLACE,
    }
    ops = {entity: operators.OperatorSpec(operator) for entity, operator in specs.items()}
    hasher = hashlib.sha256()
    count = 0

    def put(value: object) -> None:
        nonlocal count
        count += 1
        hasher.update(repr(value).encode("utf-8", "surrogatepass"))

    def tagger() -> Any:
        return operators.InstanceTagger(b"k" * 32)

    entities = registry.ENTITY_TYPES
    for min_score in (0.0, 0.3, 0.5, 0.8, 0.9):
        plan = redactor_mod.RedactionPlan(
            entities, ops, operators.OperatorSpec(kind.REPLACE), min_score, CANARIES
        )
        for text in texts:
            result = redactor.redact(text, plan, tagger())
            put((result.text, result.blocked, result.block_reason))
            put(([fields(r) for r in result.redactions], [fields(leak) for leak in result.leaks]))
    for text in texts:
        for pos in (0, min(7, len(text))):
            scan = analyzer.scan(text, pos, entities, CANARIES, 0.0)
            put(sorted(scan.raw_spans))
            put(sorted((c.entity_type, c.start, c.end, c.score, c.recognizer) for c in scan.candidates))
            scan = analyzer.scan(text, pos, entities, CANARIES, 0.5)
            put(sorted(scan.raw_spans))
            put([fields(c) for c in analyzer_mod.resolve_overlaps(scan.candidates, 0.5)])
        put(analyzer.pending_start(text, 0, CANARIES))
    plan = redactor_mod.RedactionPlan(entities, ops, operators.OperatorSpec(kind.REPLACE), 0.5, CANARIES)
    streamed = [(text, (1, 3, 16, 64, 256)) for text in stream_texts]
    # Long runs: the old code needs ~40 ms per KB scanned there, so fewer chunk sizes.
    streamed += [(text, (7, 64, 256)) for text in long_stream_texts]
    for text, chunks in streamed:
        for chunk in chunks:
            for min_advance in (1, 16):
                streamer = streaming.StreamRedactor(redactor, plan, tagger(), min_advance)
                steps = [streamer.feed(text[i : i + chunk]) for i in range(0, len(text), chunk)]
                steps.append(streamer.finish())
                for step in steps:
                    put((step.text, step.held_back, step.blocked, [fields(r) for r in step.redactions]))
                    put([fields(leak) for leak in step.leaks])
    return hasher.hexdigest(), count


def corpora() -> tuple[list[str], list[str]]:
    typical = typical_output(size_kb=64)
    docs = [typical[i : i + 1024] for i in range(0, len(typical), 1024)]
    dense = [document.text for document in build_corpus()]
    other_seed = [document.text for document in build_corpus(seed=99)][:100]
    rng = random.Random(7)
    inserts = ["é", "€ ", "日本 ", "\u212a", "İP ", "CANARY-7f3a", " zebra-canary-42 ", "\n"]
    mixes = []
    for _ in range(300):
        first, second = rng.choice(dense), rng.choice(docs)
        mixes.append(
            first[: rng.randint(0, len(first))] + rng.choice(inserts) + second[: rng.randint(0, 400)]
        )
    # Context words at every distance before phone numbers, IPs and lookalikes
    # (whole-text redaction searches some patterns only near a context word).
    words = ["call", "Phone", "TEXT", "fax", "ip", "host", "from", "order", "ref", "version", "dob"]
    values = ["4155552671", "(212) 555-0123", "+1 415 555 2671", "10.127.114.12", "1234567890", "123456789"]
    near = []
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 4)):
            parts.append(rng.choice(["", "smart", "x "]) + rng.choice(words))
            parts.append(rng.choice([" ", "é", "日", "-", "\u212a"]) * rng.randint(0, 56))
            parts.append(rng.choice(values))
        near.append("".join(parts))
    # Long non-space runs (data-URL badges, URLs over 990 chars, base64, JWT- and
    # token-like runs around and past their counted bounds, long email local parts).
    long_runs = long_run_docs() + long_run_docs(seed=11, count=24)
    short_long_runs = [text for text in long_runs if len(text) < 2500][:8]
    return (
        docs + dense + other_seed + mixes + near + long_runs,
        docs[:20] + dense[:60] + mixes[:41],
        short_long_runs,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, required=True, help="copy of services/guard before the change")
    args = parser.parse_args()
    texts, stream_texts, long_stream_texts = corpora()
    with tempfile.TemporaryDirectory() as workdir:
        before = digest(load_before(args.before, Path(workdir)), texts, stream_texts, long_stream_texts)
        after = digest("services.guard", texts, stream_texts, long_stream_texts)
    print(f"before {before[0]} ({before[1]} observations)")
    print(f"after  {after[0]} ({after[1]} observations)")
    print(f"texts {len(texts)}, streamed {len(stream_texts)} + {len(long_stream_texts)} with long runs")
    print("IDENTICAL" if before == after else "DIFFERENT")
    return 0 if before == after else 1


if __name__ == "__main__":
    sys.exit(main())
