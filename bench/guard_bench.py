"""Guard benchmark: in-process µs/KB, Presidio side by side, streaming throughput and holdback.

    .venv/bin/pip install -r bench/requirements-guard.txt
    .venv/bin/python bench/guard_bench.py [--repeat 7] [--no-presidio]

Texts: bench/guard_corpus.py (seeded). Medians over --repeat runs of CPU time (time.process_time):
the machine is shared, and CPU time is what contention distorts least. Every section runs once
untimed first: RE2 builds DFA states lazily, and a long-running server already has them.
Presidio: AnalyzerEngine with pattern recognizers only (NoOpNlpEngine), same texts.
"""

from __future__ import annotations

import argparse
import logging
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from guard_corpus import build_corpus, typical_output

from services.guard.analyzer import Analyzer, resolve_overlaps
from services.guard.operators import InstanceTagger, OperatorEngine, OperatorKind, OperatorSpec
from services.guard.recognizers.registry import ENTITY_TYPES, default_recognizers
from services.guard.redactor import RedactionPlan, Redactor
from services.guard.streaming import StreamRedactor

DOC_CHARS = 1024


def split_docs(text: str, size: int = DOC_CHARS) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64URL = _B64[:62] + "-_"
_ALNUM = _B64[:62]


def long_run_docs(seed: int = 5, count: int = 48) -> list[str]:
    """README-like markdown with long non-space runs: data-URL badges, long URLs, base64, tokens.

    Deterministic (seeded). Lengths sit around the recognizers' counted bounds
    (990-char URLs, 1000-char JWT segments, 251-char GitHub tokens, 64-char
    email local parts ...) and far past them.
    """
    rng = random.Random(seed)

    def run(alphabet: str, size: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(size))

    def size(*bounds: int) -> int:
        bound = rng.choice(bounds)
        return max(1, bound + rng.choice((-1, 0, 1, 0, rng.randint(2, 3 * bound))))

    prose = (
        "JsonCpp is a C++ library that allows manipulating JSON values, including serialization. "
        "See the docs for details; contact the maintainers. password: not-set token = none "
    )
    pieces = [
        lambda: (
            f"[![badge](https://img.shields.io/badge/conan.io-x%2F1.8.0-green.svg?logo=data:image/png;base64,"
            f"{run(_B64, size(600, 990, 1500))}=)](https://bintray.com/theirix/conan-repo/jsoncpp%3Atheirix)"
        ),
        lambda: f"![img](data:image/png;base64,{run(_B64, size(800, 3000))}==)",
        lambda: f"https://example.com/{run(_ALNUM + '/%&=?.-', size(990, 1000, 2000))}",
        lambda: f"see www.{run(_ALNUM, size(63))}.{run(_ALNUM + '/._', size(990))}",
        lambda: "=" * size(200, 1000, 5000),
        lambda: run(_B64, size(40, 1000, 4000)),
        lambda: f"eyJ{run(_B64URL, size(1000))}.eyJ{run(_B64URL, size(5, 1000))}.{run(_B64URL, size(1000))}",
        lambda: "eyJ-" * size(50, 300) + f".eyJ{run(_B64URL, 20)}.sig",
        lambda: (
            f"gh{rng.choice('pousr')}_{run(_ALNUM, size(36, 251))} github_pat_{run(_ALNUM + '_', size(251))}"
        ),
        lambda: f"sk-proj-{run(_B64URL, size(250))} xoxb-{run(_ALNUM + '-', size(250))}",
        lambda: f"sk_live_{run(_ALNUM, size(247))} whsec_{run(_ALNUM, size(64))}",
        lambda: f"api_key={run(_B64, size(200))} password: '{run(_B64, size(8, 200))}'",
        lambda: (
            f"postgres://{run(_ALNUM, size(128))}:{run(_ALNUM, size(256))}@{run(_ALNUM + '.', size(256))}"
            f"/{run(_ALNUM, size(256))}"
        ),
        lambda: (
            f"{run(_ALNUM + '._%+-', size(63, 200))}@{run(_ALNUM, size(61))}.{run(_ALNUM + '.-', size(20))}.com"
        ),
        lambda: ".".join(rng.choice(("ab", "c", "x1")) for _ in range(size(400))) + "@example.org",
        lambda: f"{run(_ALNUM, size(100))}é{run(_B64, size(1000))}",
    ]
    docs = []
    for _ in range(count):
        parts = [prose[: rng.randint(0, len(prose))]]
        for _ in range(rng.randint(1, 4)):
            parts.append(rng.choice(pieces)())
            parts.append(
                rng.choice((" ", "\n", ") ", " and ", "\n\n## Build\n")) + prose[: rng.randint(0, 80)]
            )
        docs.append("".join(parts))
    return docs


def adversarial_long_runs(size: int = 1 << 20, seed: int = 23) -> str:
    """About ``size`` characters of long runs: base64 blobs, long URLs, '=' runs, JWT/token/email-like runs."""
    rng = random.Random(seed)

    def run(alphabet: str, count: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(count))

    blocks = [
        lambda n: "![x](data:image/png;base64," + run(_B64, n) + ")",
        lambda n: "https://example.com/" + run(_ALNUM + "/%&=?.-", n),
        lambda n: "".join("https://x.io/" + run(_ALNUM, 1200) for _ in range(n // 1213)),
        lambda n: "=" * n,
        lambda n: run(_B64, n),
        lambda n: "eyJ" + run(_B64URL, n // 2) + ".eyJ" + run(_B64URL, n // 4) + "." + run(_B64URL, n // 4),
        lambda n: "eyJ-" * (n // 4) + ".eyJabcdefgh.sig",
        lambda n: "ghp_" + run(_ALNUM, n),
        lambda n: "password=" + run(_B64, n),
        lambda n: f"postgres://{run(_ALNUM, n // 3)}:{run(_ALNUM, n // 3)}@{run(_ALNUM + '.', n // 3)}",
        lambda n: "a." * (n // 2) + "@example.com",
        lambda n: "www." + run(_ALNUM, 40) + "." + run(_ALNUM + "/", n),
    ]
    parts: list[str] = []
    total = 0
    while total < size:
        part = blocks[len(parts) % len(blocks)](rng.randint(16 << 10, 48 << 10)) + rng.choice((" ", "\n"))
        parts.append(part)
        total += len(part)
    return "".join(parts)[:size]


def median_us_per_kb(run: object, docs: list[str], repeat: int) -> float:
    kb = sum(len(d.encode()) for d in docs) / 1024
    timings = []
    for _ in range(repeat):
        started = time.process_time()
        for doc in docs:
            run(doc)  # type: ignore[operator]
        timings.append((time.process_time() - started) * 1e6 / kb)
    return statistics.median(timings)


def presidio_engine() -> object | None:
    try:
        import tldextract
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NoOpNlpEngine
    except ImportError:
        return None
    # No network: use tldextract's bundled suffix list.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "noop"}])
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-presidio", action="store_true", help="guard only (quicker before/after runs)")
    args = parser.parse_args()
    analyzer = Analyzer(default_recognizers())
    redactor = Redactor(analyzer, OperatorEngine(b"h" * 32, b"e" * 64))
    plan = RedactionPlan(
        ENTITY_TYPES,
        {
            "EMAIL_ADDRESS": OperatorSpec(OperatorKind.INSTANCE_REPLACE),
            "CREDIT_CARD": OperatorSpec(OperatorKind.MASK),
        },
        OperatorSpec(OperatorKind.REPLACE),
        0.5,
    )
    typical = typical_output(size_kb=64)
    docs = split_docs(typical)
    corpus = build_corpus()
    dense_docs = [d.text for d in corpus]

    print(f"python {platform.python_version()}, {platform.machine()}, docs of {DOC_CHARS} chars\n")
    print("## Whole-text, in-process (median µs per KB)\n")
    print("| text | guard analyze | guard redact | presidio analyze | presidio / guard |")
    print("|---|---:|---:|---:|---:|")
    engine = None if args.no_presidio else presidio_engine()
    for text in docs + dense_docs:  # warm-up (RE2 DFA states are built lazily)
        redactor.redact(text, plan, InstanceTagger(b"k" * 32))

    def analyze_and_redact(texts: list[str]) -> tuple[float, float]:
        """Median µs per KB of analysis (scan + overlap resolution) and of the whole redaction."""
        analyze = median_us_per_kb(
            lambda t: resolve_overlaps(analyzer.scan(t, 0, ENTITY_TYPES, (), 0.5).candidates, 0.5),
            texts,
            args.repeat,
        )
        redact = median_us_per_kb(
            lambda t: redactor.redact(t, plan, InstanceTagger(b"k" * 32)), texts, args.repeat
        )
        return analyze, redact

    for label, texts in (
        ("typical model output (64 KB)", docs),
        (f"entity-dense corpus ({len(dense_docs)} docs)", dense_docs),
    ):
        ours, full = analyze_and_redact(texts)
        if engine is not None:
            theirs = median_us_per_kb(
                lambda t: engine.analyze(t, language="en"), texts, max(1, args.repeat // 2)
            )  # type: ignore[attr-defined]
            print(f"| {label} | {ours:.1f} | {full:.1f} | {theirs:.1f} | {theirs / ours:.1f}x |")
        else:
            print(f"| {label} | {ours:.1f} | {full:.1f} | not installed | – |")
    # README-like text with long non-space runs (data-URL badges, long URLs and
    # tokens): Presidio is not run on it. "first pass" is each text's first
    # redaction in this process (fresh text: RE2 builds DFA states for it).
    long_docs = long_run_docs()
    long_kb = sum(len(d.encode()) for d in long_docs) / 1024
    started = time.process_time()
    for text in long_docs:
        redactor.redact(text, plan, InstanceTagger(b"k" * 32))
    first_pass = (time.process_time() - started) * 1e6 / long_kb
    label = f"long runs, README-like ({len(long_docs)} docs, {long_kb:.0f} KB)"
    ours, full = analyze_and_redact(long_docs)
    print(f"| {label} | {ours:.1f} | {full:.1f} | not run | – |")
    print(f"\nLong runs, first pass (fresh texts): redact {first_pass:.1f} µs/KB")
    adversarial = adversarial_long_runs()
    adversarial_kb = len(adversarial.encode()) / 1024
    for attempt in ("first", "second"):
        started = time.process_time()
        redactor.redact(adversarial, plan, InstanceTagger(b"k" * 32))
        spent = time.process_time() - started
        print(
            f"1 MB of long runs (adversarial_long_runs), {attempt} redact: {spent * 1e3:.0f} ms"
            f" = {spent * 1e6 / adversarial_kb:.1f} µs/KB"
        )
    stream_docs = long_run_docs(seed=41, count=12)
    stream_kb = sum(len(d.encode()) for d in stream_docs) / 1024
    started = time.process_time()
    for text in stream_docs:
        streamer = StreamRedactor(redactor, plan, InstanceTagger(b"k" * 32))
        for index in range(0, len(text), 64):
            streamer.feed(text[index : index + 64])
        streamer.finish()
    spent = time.process_time() - started
    print(
        f"Streaming long runs ({len(stream_docs)} other docs, {stream_kb:.0f} KB, 64-char chunks, first pass):"
        f" {spent * 1e6 / stream_kb:.0f} µs/KB"
    )

    if engine is not None:
        print("\n## Entity-level agreement with Presidio on the corpus (exact type + span)\n")
        common = sorted(
            ENTITY_TYPES
            & {
                "CREDIT_CARD",
                "US_SSN",
                "EMAIL_ADDRESS",
                "PHONE_NUMBER",
                "IBAN_CODE",
                "IP_ADDRESS",
                "MAC_ADDRESS",
                "URL",
                "CRYPTO",
                "US_ITIN",
                "US_PASSPORT",
                "US_DRIVER_LICENSE",
            }
        )
        both: dict[str, int] = defaultdict(int)
        only_ours: dict[str, int] = defaultdict(int)
        only_theirs: dict[str, int] = defaultdict(int)
        gold_hits: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # presidio tp, fp, fn
        for document in corpus:
            ours = {
                (c.entity_type, c.start, c.end)
                for c in resolve_overlaps(
                    analyzer.scan(document.text, 0, ENTITY_TYPES, (), 0.5).candidates, 0.5
                )
                if c.entity_type in common
            }
            theirs = {
                (r.entity_type, r.start, r.end)
                for r in engine.analyze(document.text, language="en", entities=common, score_threshold=0.5)  # type: ignore[attr-defined]
            }
            gold = {g for g in document.gold if g[0] in common}
            for item in ours & theirs:
                both[item[0]] += 1
            for item in ours - theirs:
                only_ours[item[0]] += 1
            for item in theirs - ours:
                only_theirs[item[0]] += 1
            for item in theirs & gold:
                gold_hits[item[0]][0] += 1
            for item in theirs - gold:
                gold_hits[item[0]][1] += 1
            for item in gold - theirs:
                gold_hits[item[0]][2] += 1
        print(
            "| entity | both | guard only | presidio only | agreement (Jaccard) | presidio precision | presidio recall |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|")
        for entity in common:
            union = both[entity] + only_ours[entity] + only_theirs[entity]
            tp, fp, fn = gold_hits[entity]
            precision = tp / (tp + fp) if tp + fp else float("nan")
            recall = tp / (tp + fn) if tp + fn else float("nan")
            agreement = both[entity] / union if union else float("nan")
            print(
                f"| {entity} | {both[entity]} | {only_ours[entity]} | {only_theirs[entity]} | {agreement:.2f} "
                f"| {precision:.2f} | {recall:.2f} |"
            )

    print("\n## Streaming (typical output, 64 KB)\n")
    print("| chunk chars | throughput MB/s | µs per KB | held back p50 | p90 | p99 | max |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    whole = redactor.redact(typical, plan, InstanceTagger(b"k" * 32)).text
    # Warm-up: RE2 builds DFA states lazily; a long-running server has them.
    warm = StreamRedactor(redactor, plan, InstanceTagger(b"k" * 32))
    for index in range(0, len(typical), 16):
        warm.feed(typical[index : index + 16])
    warm.finish()
    for chunk in (1, 4, 16, 64, 256):
        timings = []
        held: list[int] = []
        for attempt in range(max(1, args.repeat // 2)):
            streamer = StreamRedactor(redactor, plan, InstanceTagger(b"k" * 32))
            out = []
            started = time.process_time()
            for index in range(0, len(typical), chunk):
                step = streamer.feed(typical[index : index + chunk])
                out.append(step.text)
                if attempt == 0:
                    held.append(step.held_back)
            out.append(streamer.finish().text)
            timings.append(time.process_time() - started)
            assert "".join(out) == whole, "stream output differs from whole-text redaction"
        seconds = statistics.median(timings)
        kb = len(typical.encode()) / 1024
        quantiles = statistics.quantiles(held, n=100)
        print(
            f"| {chunk} | {kb / 1024 / seconds:.2f} | {seconds * 1e6 / kb:.0f} | {statistics.median(held):.0f} "
            f"| {quantiles[89]:.0f} | {quantiles[98]:.0f} | {max(held)} |"
        )


if __name__ == "__main__":
    main()
