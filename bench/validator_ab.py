"""What a validator feature costs on new 2 KB text, measured in one process: two engines, the same new texts in turn.

    .venv/bin/python -m bench.validator_ab [--off padding_view,caesar_tail] [--warm 300] [--rounds 1]

Two engines (each its own Sets and DFA caches) judge the same 2 KB docstring texts (``novel_benign_prompts``), each
text new to both, in alternating order; for engine B the features named by ``--off`` are switched off (their
functions replaced while it judges). A run on this 2-vCPU VM moves 10-40 % with the machine's phase, but the two
engines share the phase: the ratio of their times, text by text, is what to read. ``--off none`` switches nothing
off (an A/A run: the ratio's own bias, ~1.01). Prints medians and means of both and the ratios (median of the
per-text ratios, and of the sums).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench.validator_corpus import novel_benign_prompts
from services.validator import ciphers, layers
from services.validator.engine import ValidatorEngine
from services.validator.policy import PolicyStore
from services.validator.settings import DEFAULT_POLICY_FILE

# feature -> (module, function name, what it is replaced by when off)
FEATURES: dict[str, tuple[object, str, Callable[..., object]]] = {
    "padding_view": (layers, "collapse_padding", lambda text, encoded=None: None),
    "caesar_tail": (ciphers, "foreign_tail", lambda text: None),
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--off", default="padding_view,caesar_tail")
    parser.add_argument("--warm", type=int, default=300, help="texts judged by both engines before timing")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    off = [] if args.off == "none" else args.off.split(",")
    unknown = set(off) - set(FEATURES)
    if unknown:
        parser.error(f"unknown features {sorted(unknown)}; known: {sorted(FEATURES)}")
    real = {name: getattr(FEATURES[name][0], FEATURES[name][1]) for name in off}

    def switch(on: bool) -> None:
        for name in off:
            module, attr, replacement = FEATURES[name]
            setattr(module, attr, real[name] if on else replacement)

    policy = PolicyStore(DEFAULT_POLICY_FILE).current.resolve("", "")
    assert policy is not None
    texts = novel_benign_prompts(810)
    for round_ in range(args.rounds):
        engines = {True: ValidatorEngine(), False: ValidatorEngine()}
        for engine in engines.values():
            engine.warm_up()
        for text in texts[: args.warm]:
            for on, engine in engines.items():
                switch(on)
                engine.evaluate(text, "user", policy)
        times: dict[bool, list[float]] = {True: [], False: []}
        for index, text in enumerate(texts[args.warm :]):
            for on in (True, False) if index % 2 else (False, True):
                switch(on)
                start = time.perf_counter()
                engines[on].evaluate(text, "user", policy)
                times[on].append(time.perf_counter() - start)
        switch(True)
        a, b = times[True], times[False]
        ratios = [x / y for x, y in zip(a, b, strict=True)]
        print(
            f"round {round_ + 1}, off: {args.off}, {len(a)} new texts after {args.warm} | "
            f"A (as is) median {statistics.median(a) * 1e6:.1f} µs, mean {statistics.mean(a) * 1e6:.1f} | "
            f"B median {statistics.median(b) * 1e6:.1f}, mean {statistics.mean(b) * 1e6:.1f} | "
            f"A/B median of ratios {statistics.median(ratios):.3f}, of sums {sum(a) / sum(b):.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
