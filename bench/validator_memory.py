"""Validator memory under diverse input: resident set size while one engine judges many different texts.

    .venv/bin/python -m bench.validator_memory [--texts 3000] [--size 100000] [--every 500]

re2 builds its DFA states lazily and keeps them up to each program's memory budget. Text that keeps
many partial matches alive creates new states on every call, so the cache grows with the *variety* of
traffic, not its volume. The worst case is word soup drawn from the rules' own vocabulary (every word
starts or continues some rule), which is what this bench sends: ``--texts`` different texts of ``--size``
characters, printing the process's RSS every ``--every`` texts. A validator pod's memory limit
(deploy/helm values, 512 MiB) must hold the plateau with room to spare.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections.abc import Callable

from services.common.regex_tools import regex_words
from services.validator.engine import ValidatorEngine
from services.validator.policy import PolicyStore
from services.validator.settings import DEFAULT_POLICY_FILE

_SEPARATORS = (" ", " ", "  ", ". ", ", ", "\n", ": ", "'s ", "-")


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def rule_vocabulary(engine: ValidatorEngine) -> list[str]:
    """Lower-case words of three or more letters in the rules' regex sources."""
    return sorted(set().union(*(regex_words(p.regex) for d in engine.detectors for p in d.patterns)))


def word_soup(words: list[str], size: int, rng: random.Random) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        part = rng.choice(words) + rng.choice(_SEPARATORS)
        parts.append(part)
        length += len(part)
    return "".join(parts)[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=3000)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args()

    engine = ValidatorEngine()
    policy = PolicyStore(DEFAULT_POLICY_FILE).current.resolve("", "")
    assert policy is not None
    words = rule_vocabulary(engine)
    rng = random.Random(args.seed)
    print(f"# validator memory: {platform.machine()}, Python {platform.python_version()}, "
          f"{len(words)} rule words, {args.texts} texts of {args.size} characters")  # fmt: skip
    rss_table(args.texts, args.every, lambda: word_soup(words, args.size, rng),
              lambda text: engine.evaluate(text, "user", policy), "judged")  # fmt: skip


def rss_table(
    count: int, every: int, make_text: Callable[[], str], judge: Callable[[str], object], verb: str
) -> None:
    """Prints the RSS after start-up, then a table row every ``every`` of ``count`` texts: RSS and the
    median time ``judge`` took per text in the block (the texts are made outside the timing)."""
    print(f"\nRSS after start-up: {rss_mib():.0f} MiB\n")
    print(f"| texts {verb} | RSS MiB | median ms per text (this block) |")
    print("|---|---|---|")
    block: list[float] = []
    for number in range(1, count + 1):
        text = make_text()
        started = time.perf_counter()
        judge(text)
        block.append(time.perf_counter() - started)
        if number % every == 0 or number == count:
            print(f"| {number} | {rss_mib():.0f} | {statistics.median(block) * 1e3:.2f} |", flush=True)
            block = []


if __name__ == "__main__":
    main()
