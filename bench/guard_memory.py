"""Guard memory under diverse input: resident set size while one analyzer scans many different texts.

    .venv/bin/python -m bench.guard_memory [--texts 1500] [--size 100000] [--every 250]

The guard's re2 programs (its Set, 64 MiB budget, and the exact finders, 32 MiB each) build DFA states
lazily and keep them up to their budgets, so memory grows with the *variety* of the text scanned, not its
volume (see bench/validator_memory.py for the validator). This bench sends ``--texts`` different texts of
``--size`` characters made of what keeps the guard's patterns busy: digit runs with separators (cards,
SSNs, phones, IBANs), random identifier-like runs, secret-token prefixes followed by random tails, and the
words the context rules look for. It prints the process's RSS every ``--every`` texts; a guard pod's
memory limit (deploy/helm values, 512 MiB) must hold the plateau with room to spare.
"""

from __future__ import annotations

import argparse
import platform
import random
import string

from bench.validator_memory import rss_table
from services.guard.analyzer import Analyzer
from services.guard.recognizers.registry import ENTITY_TYPES, default_recognizers

_IDENTIFIER_CHARS = string.ascii_letters + string.digits + "@.-_:/+= \n"
_TOKEN_PREFIXES = ("AKIA", "ghp_", "glpat-", "sk-", "sk_live_", "xoxb-", "eyJ", "-----BEGIN ", "IBAN ", "GB", "DE")
_CONTEXT_WORDS = ("the", "account", "card", "email", "phone", "key", "token", "ssn", "number", "at", "is",
                  "password", "secret", "iban", "passport", "license", "born")  # fmt: skip


def pii_soup(size: int, rng: random.Random) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        kind = rng.random()
        if kind < 0.2:
            part = "".join(rng.choice(string.digits + "- ") for _ in range(rng.randint(3, 20)))
        elif kind < 0.4:
            part = "".join(rng.choice(_IDENTIFIER_CHARS) for _ in range(rng.randint(3, 40)))
        elif kind < 0.5:
            tail = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(rng.randint(4, 40)))
            part = rng.choice(_TOKEN_PREFIXES) + tail
        else:
            part = rng.choice(_CONTEXT_WORDS)
        parts.append(part)
        length += len(part) + 1
    return " ".join(parts)[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=1500)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--every", type=int, default=250)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    analyzer = Analyzer(default_recognizers())
    rng = random.Random(args.seed)
    print(f"# guard memory: {platform.machine()}, Python {platform.python_version()}, "
          f"{args.texts} texts of {args.size} characters")  # fmt: skip
    rss_table(args.texts, args.every, lambda: pii_soup(args.size, rng),
              lambda text: analyzer.scan(text, 0, ENTITY_TYPES, (), 0.5), "scanned")  # fmt: skip


if __name__ == "__main__":
    main()
