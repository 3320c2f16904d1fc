"""Precision and recall per entity type on the seeded corpus (bench/guard_corpus.py).

    .venv/bin/python bench/guard_quality.py [--seed N] [--size N]

Strict matching: a finding counts only with the gold entity type and exact span.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from guard_corpus import build_corpus

from services.guard.analyzer import Analyzer, resolve_overlaps
from services.guard.recognizers.registry import ENTITY_TYPES, default_recognizers


def evaluate(seed: int, size: int) -> tuple[dict[str, tuple[int, int, int]], int]:
    analyzer = Analyzer(default_recognizers())
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    corpus = build_corpus(seed, size)
    for document in corpus:
        found = {
            (c.entity_type, c.start, c.end)
            for c in resolve_overlaps(analyzer.scan(document.text, 0, ENTITY_TYPES, (), 0.5).candidates, 0.5)
        }
        gold = set(document.gold)
        for entity, *_ in found & gold:
            tp[entity] += 1
        for entity, *_ in found - gold:
            fp[entity] += 1
        for entity, *_ in gold - found:
            fn[entity] += 1
    entities = sorted(set(tp) | set(fp) | set(fn))
    return {e: (tp[e], fp[e], fn[e]) for e in entities}, len(corpus)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--size", type=int, default=300)
    args = parser.parse_args()
    table, documents = evaluate(args.seed, args.size)
    print(f"corpus: {documents} documents, seed {args.seed}\n")
    print("| entity | gold | TP | FP | FN | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    totals = [0, 0, 0]
    for entity, (tp, fp, fn) in table.items():
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"| {entity} | {tp + fn} | {tp} | {fp} | {fn} | {precision:.3f} | {recall:.3f} |")
    tp, fp, fn = totals
    print(f"| **all** | {tp + fn} | {tp} | {fp} | {fn} | {tp / (tp + fp):.3f} | {tp / (tp + fn):.3f} |")


if __name__ == "__main__":
    main()
