"""Validator false positives on benign text that shares words or structure with attacks.

    .venv/bin/python -m bench.validator_precision [--docs] [--show] [--out FILE.jsonl]

Two benign sets, each judged as a user prompt and as a DOCUMENT source with the default policy:

- ``bench/data/everyday_requests.txt``: ~230 everyday requests written to probe the rules' vocabulary ("delete
  the existing configuration", "write a sorting function in your programming language", "System: Windows 11"
  in a bug report, "how do I unlock developer mode on my Chromebook?", role-play set-ups, quoted attack
  phrases in security questions). Hand-written while looking at the rules: a regression set for false
  positives, not a sample of traffic. As documents, imperatives addressed to the reader ("Write a story
  about ...") are judged as instructions to the model, which is what the DOCUMENT source is for.
- ``--docs``: paragraphs (>= 40 characters) of the Markdown and reStructuredText documentation installed on
  this machine (``/usr/share/doc`` and the virtualenv's site-packages), so the count depends on the machine:
  record it with the figures.

``--show`` lists each denial with its rules; ``--out`` writes the rows as JSONL (label 0) for
``aisec eval FILE --local``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sysconfig
from collections.abc import Iterator
from pathlib import Path

from services.validator.engine import ValidatorEngine
from services.validator.policy import PolicyStore
from services.validator.settings import DEFAULT_POLICY_FILE

EVERYDAY = Path(__file__).parent / "data" / "everyday_requests.txt"
SOURCES = ("user", "document")


def everyday_requests(path: Path = EVERYDAY) -> list[str]:
    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            texts.append(line.replace("\\n", "\n"))
    return texts


def _doc_files() -> Iterator[Path]:
    site = Path(sysconfig.get_paths()["purelib"])
    for root, patterns in ((Path("/usr/share/doc"), ("*.md", "*.md.gz")), (site, ("*.md", "*.rst"))):
        if root.is_dir():
            for pattern in patterns:
                yield from sorted(root.rglob(pattern))


def doc_paragraphs() -> list[str]:
    """Distinct paragraphs of at least 40 characters of the documentation installed here."""
    paragraphs: dict[str, None] = {}
    for path in _doc_files():
        try:
            if path.suffix == ".gz":
                with gzip.open(path, "rt", encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
            else:
                text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for paragraph in text.split("\n\n"):
            if len(paragraph.strip()) >= 40:
                paragraphs[paragraph.strip()] = None
    return list(paragraphs)


def judge(
    engine: ValidatorEngine, texts: list[str], name: str, show: bool, policy_name: str = ""
) -> dict[str, int]:
    policy = PolicyStore(DEFAULT_POLICY_FILE).current.resolve(policy_name, "")
    if policy is None:
        raise SystemExit(f"unknown policy {policy_name!r}")
    denied = {}
    for source in SOURCES:
        count = 0
        for text in texts:
            verdict = engine.evaluate(text, source, policy)
            if not verdict.allowed:
                count += 1
                if show:
                    rules = sorted({f.rule_id for f in verdict.findings}) or [verdict.reason]
                    print(f"  {name} / {source}: {verdict.score:.2f} {rules} {text[:100]!r}")
        denied[source] = count
    return denied


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", action="store_true", help="also the installed documentation's paragraphs")
    parser.add_argument("--show", action="store_true", help="list each denial with its rules")
    parser.add_argument("--out", type=Path, help="write the rows as JSONL (label 0, both sources)")
    args = parser.parse_args()
    sets = {"everyday requests": everyday_requests()}
    if args.docs:
        sets["installed docs paragraphs"] = doc_paragraphs()
    if args.out:
        with args.out.open("w", encoding="utf-8") as out:
            for name, texts in sets.items():
                origin = name.replace(" ", "-")
                for n, text in enumerate(texts):
                    for source in SOURCES:
                        row = {"id": f"{origin}-{n}-{source}", "text": text, "label": 0, "source": source}
                        out.write(json.dumps({**row, "origin": origin}, ensure_ascii=False) + "\n")
    engine = ValidatorEngine()
    print("| benign set | texts | denied as user | denied as document |")
    print("|---|---|---|---|")
    for name, texts in sets.items():
        denied = judge(engine, texts, name, args.show)
        print(f"| {name} | {len(texts)} | {denied['user']} | {denied['document']} |", flush=True)


if __name__ == "__main__":
    main()
