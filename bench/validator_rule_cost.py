"""What one rule, or one rule's anchored Set copy, costs the scanner's Set passes on new 2 KB text.

    .venv/bin/python -m bench.validator_rule_cost --drop RULE[,RULE...] [--rounds 3]
    .venv/bin/python -m bench.validator_rule_cost --unanchor RULE[,RULE...] | --unanchor anchored [--rounds 1]

Two scanners are built side by side: A, the rules as they are, and B, the same with the named rules left out
(``--drop``, all of them in one B: what they cost together) or with each named rule's ``anchors`` removed (its whole
regex in the Set instead of the tail; ``--unanchor``, one B per rule; ``anchored``: every anchored rule in turn). Both
read the same new texts (``bench.validator_set_layout.new_skeletons``: chunks of the installed third-party packages'
docstrings, kept apart from the benchmark's), after the same warm-up, in alternating order, and
the ratio A/B of their times is taken text by text. On a noisy 2-vCPU VM the absolute times move 10-40 % with the
machine's phase; both scanners share the phase, so the ratio is what to read (``--drop none``: an A/A run, ~1.00-1.02).
A ratio over 1 with ``--unanchor``: the anchored copy costs more than the whole rule (its start is common words).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from collections.abc import Sequence

from bench.validator_set_layout import new_skeletons
from services.validator.detectors.base import Detector
from services.validator.detectors.registry import DETECTORS
from services.validator.layers import PRECHECKS
from services.validator.scanner import PatternScanner

WARM = 300
TIMED = 600


def _variant(drop: set[str], unanchor: set[str]) -> list[Detector]:
    variant = []
    for detector in DETECTORS:
        patterns = tuple(
            dataclasses.replace(p, anchors=()) if f"{detector.id}.{p.name}" in unanchor else p
            for p in detector.patterns
            if f"{detector.id}.{p.name}" not in drop
        )
        variant.append(dataclasses.replace(detector, patterns=patterns))
    return variant


def ratio(texts: Sequence[bytes], b_detectors: Sequence[Detector]) -> tuple[float, float, float, float]:
    """(median µs A, median µs B, median per-text ratio A/B, ratio of sums) over fresh scanners."""
    a_sets = [s for s, _ in PatternScanner(DETECTORS, PRECHECKS)._sets]
    b_sets = [s for s, _ in PatternScanner(b_detectors, PRECHECKS)._sets]
    for text in texts[:WARM]:
        for compiled in (*a_sets, *b_sets):
            compiled.Match(text)
    a_times: list[float] = []
    b_times: list[float] = []
    for i, text in enumerate(texts[WARM : WARM + TIMED]):
        for sets, times in ((a_sets, a_times), (b_sets, b_times))[:: 1 if i % 2 else -1]:
            started = time.perf_counter()
            for compiled in sets:
                compiled.Match(text)
            times.append(time.perf_counter() - started)
    ratios = [a / b for a, b in zip(a_times, b_times, strict=True)]
    return (
        statistics.median(a_times) * 1e6,
        statistics.median(b_times) * 1e6,
        statistics.median(ratios),
        sum(a_times) / sum(b_times),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--drop", help="rules (detector.pattern) left out of B, together; 'none' for an A/A run")
    group.add_argument("--unanchor", help="rules whose anchors B removes, one B each; 'anchored' for all of them")
    parser.add_argument("--rounds", type=int, default=1, help="rounds per comparison (each on its own texts)")
    args = parser.parse_args()
    known = {f"{d.id}.{p.name}": p for d in DETECTORS for p in d.patterns}
    named = [] if (args.drop or args.unanchor) in ("none", "anchored") else (args.drop or args.unanchor).split(",")
    unknown = sorted(set(named) - set(known))
    if unknown:
        parser.error(f"unknown rules: {', '.join(unknown)}")
    if args.drop is not None:
        comparisons = [(f"without {len(named)} rule(s)", _variant(set(named), set()))]
    else:
        wanted = [name for name, p in known.items() if p.anchors] if args.unanchor == "anchored" else named
        comparisons = [(f"{name} unanchored", _variant(set(), {name})) for name in wanted]
    texts = new_skeletons()
    needed = WARM + TIMED
    print(f"{len(texts)} texts; A = the rules as they are; ratio A/B per text (median) and of sums")
    turn = 0
    for label, detectors in comparisons:
        for _ in range(args.rounds):
            start = (turn * needed) % max(1, len(texts) - needed)
            turn += 1
            a_us, b_us, median_ratio, sum_ratio = ratio(texts[start : start + needed], detectors)
            print(f"{label}: A {a_us:.1f} µs, B {b_us:.1f} µs, ratio {median_ratio:.3f} (sums {sum_ratio:.3f})")


if __name__ == "__main__":
    main()
