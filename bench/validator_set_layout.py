"""Where to put new validator rules in the scanner's Set layout (``scanner._SET_GROUPS``).

    .venv/bin/python -m bench.validator_set_layout [--texts 600] [--warm 500]

Every rule and hint must be listed in ``_SET_GROUPS`` (a test checks it). This places the ones that are not,
one at a time, in the Set whose cost on new 2 KB text grows least, and prints each choice with the growth it
measured in every Set. Cost is one first pass over ``--texts`` texts after ``--warm`` others (a second pass over
the same texts would time cached DFA states only: ~5 µs per Set instead of ~10-25). The corpus is
whitespace-joined docstrings of the installed third-party packages, kept apart from the benchmark's
(standard-library docstrings, ``bench.validator_corpus.novel_benign_prompts``) so the layout is not fitted to
the figure it is judged by. Differences under ~1 µs are noise on a 2-vCPU VM: run it twice.
"""

from __future__ import annotations

import argparse
import random
import sysconfig
import time
from pathlib import Path

from bench.validator_corpus import docstrings
from services.validator.detectors.registry import DETECTORS
from services.validator.layers import PRECHECKS
from services.validator.normalize import normalize
from services.validator.scanner import _HINT_ONLY_SETS, _SET_GROUPS, PatternScanner


def package_docstrings(limit: int = 8000) -> list[str]:
    """Docstrings (whitespace-joined) of the installed third-party packages, shuffled with a fixed seed."""
    docs = docstrings(Path(sysconfig.get_paths()["purelib"]))
    random.Random(5).shuffle(docs)
    return docs[:limit]


def new_skeletons(size: int = 2048) -> list[bytes]:
    """The skeletons (UTF-8) of ``size``-character chunks of ``package_docstrings`` joined, in a fixed shuffled order:
    new text for a Set to read, each chunk once per measurement."""
    corpus = " ".join(package_docstrings())
    chunks = [corpus[i : i + size] for i in range(0, len(corpus) - size, size)]
    random.Random(6).shuffle(chunks)
    return [normalize(chunk).skeleton.encode() for chunk in chunks]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=int, default=600, help="new texts timed per measurement")
    parser.add_argument(
        "--warm", type=int, default=500, help="texts seen first (DFA states built before timing)"
    )
    args = parser.parse_args()
    scanner = PatternScanner(DETECTORS, PRECHECKS)
    names = [rule.rule_id for rule in scanner.rules] + list(scanner._hint_names)
    listed = {name for group in _SET_GROUPS for name in group}
    missing = [name for name in names if name not in listed]
    if not missing:
        print("every rule and hint is in _SET_GROUPS")
        return
    texts = new_skeletons()
    if len(texts) < args.warm + args.texts:
        raise SystemExit(f"only {len(texts)} texts in the corpus")
    warm, timed = texts[: args.warm], texts[args.warm : args.warm + args.texts]

    def cost(group: list[str]) -> float:
        """µs per new text of one Set of ``group`` (first pass over ``timed``, after ``warm``)."""
        compiled = scanner._compiled_set([names.index(name) for name in group])
        for text in warm:
            compiled.Match(text)
        start = time.perf_counter()
        for text in timed:
            compiled.Match(text)
        return (time.perf_counter() - start) / len(timed) * 1e6

    groups = [list(group) for group in _SET_GROUPS[: len(_SET_GROUPS) - _HINT_ONLY_SETS]]  # (rules never join those)
    costs = [cost(group) for group in groups]
    print(f"{len(texts)} chunks; Set costs (µs per new 2 KB text): " + " ".join(f"{c:.1f}" for c in costs))
    for name in missing:
        growth = [cost([*group, name]) - costs[i] for i, group in enumerate(groups)]
        best = min(range(len(groups)), key=growth.__getitem__)
        groups[best].append(name)
        costs[best] += growth[best]
        print(f"{name}: Set {best} (growth per Set: " + " ".join(f"{g:+.1f}" for g in growth) + ")")
    print("append to _SET_GROUPS:")
    for index, group in enumerate(groups):
        added = [name for name in group if name in missing]
        if added:
            print(f"  Set {index}: " + ", ".join(f'"{name}"' for name in added))


if __name__ == "__main__":
    main()
