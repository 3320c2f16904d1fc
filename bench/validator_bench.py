"""Validator benchmarks: in-process latency and gRPC throughput vs a no-op server.

    .venv/bin/python -m bench.validator_bench [--duration 5] [--concurrency 32] [--skip-grpc] [--loop uvloop]
                                              [--audit-sink] [--novel] [--rounds 6] [--work 40,150,sets,engine]

1. In-process median/p99 for a 2 KB benign prompt (engine.evaluate, default policy), the same
   prompt repeated (warm regex caches) and 2 KB benign texts each evaluated once (as real traffic).
2. Worst case for 100 KB adversarial inputs (nested encodings, 50k zero-width characters, regex bait, ...),
   each timed repeated, and 100 KB of rule-vocabulary word soup, a new text every call.
3. gRPC: the validator as deployed (python -m services.validator, auth on: HS256 bearer token checked
   on every call) and a no-op ValidatorService built the plain way (grpc.aio.server, no interceptors),
   each in its own process, driven by the same closed-loop client (same channel options, same token
   metadata on every call) with a 2 KB request; then the validator at 50% and 90% of its measured
   throughput (open loop) for p50/p99 latency. ``--loop uvloop`` runs both servers and the client on
   uvloop (uvloop must be installed; the services themselves run on asyncio's loop as deployed).
   ``--audit-sink`` also delivers the validator's audit events (as deployed), to a no-op AuditService
   in a third process on the same machine. ``--novel`` sends 320 different 2 KB texts in turn (the
   in-process "each new" corpus) to both servers instead of one prompt. ``--work 40,150`` also measures
   no-op servers whose handler first spends 40 / 150 µs holding the GIL (calibration: the ratio a
   handler of that cost gets on this machine, in the same rounds); ``--work sets,engine,tiny`` no-op
   servers whose handler first does one part of the validator's work on the request's text (its six Set
   passes, the whole engine, six Set passes over five bytes: where its cost goes inside a server).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import grpc
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc

from bench.validator_corpus import adversarial_inputs, benign_prompt, novel_benign_prompts, script_texts
from bench.validator_memory import rule_vocabulary, word_soup
from bench.validator_noop_server import PARTS
from services.common.auth import mint_token, new_secret
from services.validator.engine import ValidatorEngine
from services.validator.policy import Policy, PolicyStore
from services.validator.settings import DEFAULT_POLICY_FILE

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def time_calls(fn: Callable[[], object], calls: int) -> list[float]:
    out = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


NOVEL_TEXTS = 160
STEADY_AFTER = 500
STEADY_TEXTS = 300
SOUP_WARM = 20
SOUP_TEXTS = 20
# Standard-library sources judged as documents (the longest ones with in-place markers in their code).
SOURCE_FILES = ("tarfile", "zipfile", "imaplib", "xml.etree.ElementTree", "pickle")


def _large_row(engine: ValidatorEngine, policy: Policy, label: str, text: str, source: str = "user") -> str:
    """A table row for one large text judged 7 times after a first call (median, worst, decision)."""
    engine.evaluate(text, source, policy)
    runs = time_calls(lambda: engine.evaluate(text, source, policy), 7)
    verdict = engine.evaluate(text, source, policy)
    decision = "allowed" if verdict.allowed else verdict.reason
    return (
        f"| {label} | {statistics.median(runs) * 1e3:.2f} ms | worst {max(runs) * 1e3:.2f} ms | {decision} |"
    )


def in_process() -> list[str]:
    engine = ValidatorEngine()
    policy = PolicyStore(DEFAULT_POLICY_FILE).current.resolve("", "")
    assert policy is not None
    lines = []
    text = benign_prompt(2048)
    time_calls(lambda: engine.evaluate(text, "user", policy), 500)  # warm the DFA caches
    samples = time_calls(lambda: engine.evaluate(text, "user", policy), 20000)
    lines.append(
        f"| 2 KB benign prompt | {statistics.median(samples) * 1e6:.1f} µs | {percentile(samples, 0.99) * 1e6:.1f} µs | "
        f"{'allowed' if engine.evaluate(text, 'user', policy).allowed else 'DENIED'} |"
    )
    # Real traffic is not one text repeated: each prompt is new to the regex engine, whose DFA states
    # are built lazily and kept, so the cost of new text falls as a process serves more of it. Time
    # new texts twice: after 160 others (a process just started) and after 500 (one that has served a
    # while; the fall flattens out past a few hundred texts, see bench/results/validator.md).
    novel = novel_benign_prompts(STEADY_AFTER + STEADY_TEXTS)
    seen = 0
    for after, timed in ((NOVEL_TEXTS, NOVEL_TEXTS), (STEADY_AFTER, STEADY_TEXTS)):
        for warm in novel[seen:after]:
            engine.evaluate(warm, "user", policy)
        fresh: list[float] = []
        denied = 0
        for novel_text in novel[after : after + timed]:
            start = time.perf_counter()
            verdict = engine.evaluate(novel_text, "user", policy)
            fresh.append(time.perf_counter() - start)
            denied += not verdict.allowed
        seen = after + timed
        lines.append(
            f"| 2 KB benign texts, each new ({timed} stdlib docstring chunks after {after} others) | "
            f"{statistics.median(fresh) * 1e6:.1f} µs | {percentile(fresh, 0.99) * 1e6:.1f} µs (mean "
            f"{statistics.mean(fresh) * 1e6:.1f} µs) | {denied} denied |"
        )
    for name, adversarial in adversarial_inputs(100_000).items():
        lines.append(_large_row(engine, policy, f"100 KB {name}", adversarial))
    # Ordinary text in other scripts (retrieved documents, not attacks), and the same with an attack at
    # the end: normalization and the offset map work hardest on non-ASCII text.
    for name, script_text in script_texts(100_000).items():
        lines.append(_large_row(engine, policy, f"100 KB {name} text", script_text))
    # Real documents: the standard library's longest sources (code is full of in-place markers: ``x=10``,
    # ``"\x00"``, ``%2F``, ``&amp;``), judged as retrieved documents.
    for module in SOURCE_FILES:
        path = Path(inspect.getfile(importlib.import_module(module)))
        source_text = path.read_text(encoding="utf-8")[:100_000]
        label = f"{len(source_text) // 1000} KB source file {module} (document)"
        lines.append(_large_row(engine, policy, label, source_text, "document"))
    # The strongest regex bait: 100 KB of words from the rules' own vocabulary, a new text every call
    # (each keeps many partial matches alive, so re2 builds DFA states on every call; the same text
    # repeated, as the shapes above are timed, would hide that).
    words = rule_vocabulary(engine)
    rng = random.Random(3)
    for _ in range(SOUP_WARM):
        engine.evaluate(word_soup(words, 100_000, rng), "user", policy)
    soups = [word_soup(words, 100_000, rng) for _ in range(SOUP_TEXTS)]
    runs = []
    denied = 0
    for soup in soups:
        start = time.perf_counter()
        verdict = engine.evaluate(soup, "user", policy)
        runs.append(time.perf_counter() - start)
        denied += not verdict.allowed
    lines.append(
        f"| 100 KB rule-word soup, each new ({SOUP_TEXTS} after {SOUP_WARM} others) | "
        f"{statistics.median(runs) * 1e3:.2f} ms | worst {max(runs) * 1e3:.2f} ms | {denied} denied |"
    )
    return lines


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0.0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


Metadata = tuple[tuple[str, str], ...]


def start(cmd: list[str], env: dict[str, str], port: int, metadata: Metadata) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            channel = grpc.insecure_channel(f"127.0.0.1:{port}")
            grpc.channel_ready_future(channel).result(timeout=0.5)
            stub = validator_pb2_grpc.ValidatorServiceStub(channel)
            stub.Validate(
                validator_pb2.ValidateRequest(input=validator_pb2.Input(text="warm up")),
                timeout=5,
                metadata=metadata,
            )
            channel.close()
            return process
        except (grpc.FutureTimeoutError, grpc.RpcError):
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server on port {port} did not start")


def requests_for(texts: list[str]) -> list[validator_pb2.ValidateRequest]:
    return [validator_pb2.ValidateRequest(input=validator_pb2.Input(text=text)) for text in texts]


async def closed_loop(
    target: str, texts: list[str], duration: float, concurrency: int, metadata: Metadata
) -> float:
    """Calls/s with ``concurrency`` calls in flight, cycling through ``texts`` (one text: the same
    request every time)."""
    async with grpc.aio.insecure_channel(target) as channel:
        stub = validator_pb2_grpc.ValidatorServiceStub(channel)
        requests = requests_for(texts)
        done = 0
        stop = time.perf_counter() + duration

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < stop:
                await stub.Validate(requests[done % len(requests)], metadata=metadata)
                done += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return done / (time.perf_counter() - started)


async def open_loop(
    target: str, texts: list[str], rate: float, duration: float, metadata: Metadata
) -> tuple[float, float, float, int]:
    """(achieved calls/s, p50, p99, failed calls). Past the server's capacity, queued calls can fail
    (CANCELLED): they are counted rather than aborting the run."""
    async with grpc.aio.insecure_channel(target) as channel:
        stub = validator_pb2_grpc.ValidatorServiceStub(channel)
        requests = requests_for(texts)
        latencies: list[float] = []
        failed = 0

        async def one(request: validator_pb2.ValidateRequest) -> None:
            nonlocal failed
            start = time.perf_counter()
            try:
                await stub.Validate(request, metadata=metadata)
            except grpc.aio.AioRpcError:
                failed += 1
                return
            latencies.append(time.perf_counter() - start)

        tasks = []
        interval = 1.0 / rate
        begin = time.perf_counter()
        count = int(rate * duration)
        for i in range(count):
            delay = begin + i * interval - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(requests[i % len(requests)])))
        await asyncio.gather(*tasks)
        achieved = len(latencies) / (time.perf_counter() - begin)
        if not latencies:
            return achieved, float("nan"), float("nan"), failed
        return achieved, statistics.median(latencies), percentile(latencies, 0.99), failed


# The validator exactly as ``python -m services.validator`` runs it, on uvloop's event loop.
_VALIDATOR_ON_UVLOOP = (
    "import runpy, uvloop; uvloop.install(); "
    "runpy.run_module('services.validator', run_name='__main__', alter_sys=True)"
)


def _work_label(item: str) -> str:
    """The no-op server's argument for a ``--work`` item: a number of µs, or a part of the validator's work."""
    if item in PARTS:
        return f"part={item}"
    return f"work={float(item):g}"


async def grpc_bench(
    duration: float,
    concurrency: int,
    loop: str = "asyncio",
    audit_sink: bool = False,
    novel: bool = False,
    rounds: int = 6,
    work: tuple[str, ...] = (),
) -> list[str]:
    """One event loop for the whole run (grpc.aio keeps per-loop state). Each server is measured for
    ``duration`` seconds in all, in ``rounds`` alternating samples."""
    key_dir = tempfile.TemporaryDirectory(prefix="aisec-bench-")
    key_file = Path(key_dir.name) / "jwt.key"
    key = new_secret()
    key_file.write_bytes(key)
    token = mint_token(key, "bench", scopes=("validator:validate",), ttl_s=3600)
    metadata: Metadata = (("authorization", f"Bearer {token}"),)  # sent to both servers: same client
    env = {
        **os.environ,
        "AISEC_AUTH_ENABLED": "true",
        "AISEC_JWT_HS256_KEY_FILE": str(key_file),
        "AISEC_RATELIMIT_ENABLED": "false",
        "AISEC_LOG_LEVEL": "WARNING",
        "AISEC_HOST": "127.0.0.1",
    }
    # Both servers get the same requests: one 2 KB prompt repeated, or (--novel) 2 KB texts cycled
    # through in order, so that the validator meets text it has not seen for most of the run.
    texts = novel_benign_prompts(2 * NOVEL_TEXTS) if novel else [benign_prompt(2048)]
    lines = []
    noop_port, validator_port = free_port(), free_port()
    on_uvloop = loop == "uvloop"
    sink: subprocess.Popen[bytes] | None = None
    validator_env = {**env, "AISEC_PORT": str(validator_port)}
    if audit_sink:
        sink_port = free_port()
        sink = subprocess.Popen(
            [sys.executable, "-m", "bench.validator_noop_server", str(sink_port), "audit"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        validator_env["AISEC_AUDIT_TARGET"] = f"127.0.0.1:{sink_port}"
    noop = start(
        [
            sys.executable,
            "-m",
            "bench.validator_noop_server",
            str(noop_port),
            *(["uvloop"] if on_uvloop else []),
        ],
        env,
        noop_port,
        metadata,
    )
    validator = start(
        [sys.executable, "-c", _VALIDATOR_ON_UVLOOP]
        if on_uvloop
        else [sys.executable, "-m", "services.validator"],
        validator_env,
        validator_port,
        metadata,
    )
    # Calibration (--work): no-op servers whose handler first spends a fixed time holding the GIL, to
    # read the validator's ratio against (what a handler of that cost gets on this machine), or first does
    # one part of the validator's work (``bench.validator_noop_server``'s ``part=``: where its cost goes).
    calibrations = [
        (
            label,
            start(
                [
                    sys.executable,
                    "-m",
                    "bench.validator_noop_server",
                    str(port),
                    label,
                    *(["uvloop"] if on_uvloop else []),
                ],
                env,
                port,
                metadata,
            ),
            port,
        )
        for label, port in ((_work_label(item), free_port()) for item in work)
    ]
    try:
        noop_target, target = f"127.0.0.1:{noop_port}", f"127.0.0.1:{validator_port}"
        servers = [
            ("noop", noop.pid, noop_target),
            ("validator", validator.pid, target),
            *((label, process.pid, f"127.0.0.1:{port}") for label, process, port in calibrations),
        ]
        for _, _, server_target in servers:
            await closed_loop(server_target, texts, 1.0, concurrency, metadata)
        # Interleave the measurements, ``rounds`` short samples each, so background load on the machine
        # hits all servers alike; the ratio is taken per round (the samples of a round are seconds apart)
        # and reported as the median with its range. Besides calls/s, record each server's CPU time per
        # call (from /proc): on a shared machine the throughput ratio swings with other load, the CPU
        # cost per call much less.
        rates: dict[str, list[float]] = {label: [] for label, _, _ in servers}
        costs: dict[str, list[float]] = {label: [] for label, _, _ in servers}
        ratios: dict[str, list[float]] = {label: [] for label, _, _ in servers[1:]}
        for _ in range(rounds):
            for label, pid, server_target in servers:
                before = cpu_seconds(pid)
                rate = await closed_loop(server_target, texts, duration / rounds, concurrency, metadata)
                rates[label].append(rate)
                costs[label].append((cpu_seconds(pid) - before) / (rate * duration / rounds) * 1e6)
            for label, samples in ratios.items():
                samples.append(rates[label][-1] / rates["noop"][-1])
        noop_us = statistics.median(costs["noop"])
        lines.append(
            f"| no-op server (plain grpc.aio, own process, {loop} loop) | {statistics.median(rates['noop']):.0f} "
            f"calls/s | server CPU {noop_us:.0f} µs/call | median of {rounds} |"
        )
        for label, _, _ in servers[1:]:
            server_us = statistics.median(costs[label])
            if label == "validator":
                name = (
                    f"validator (auth on, own process, {loop} loop{', audit delivery on' if audit_sink else ''}"
                    f"{', cycling through new texts' if novel else ''})"
                )
            elif label.startswith("work="):
                name = f"calibration: no-op whose handler first spends {label[5:]} µs holding the GIL"
            else:
                name = f"part: no-op whose handler first runs {PARTS[label[5:]][0]}"
            lines.append(
                f"| {name} | {statistics.median(rates[label]):.0f} calls/s | "
                f"{statistics.median(ratios[label]) * 100:.0f}% of no-op (rounds {min(ratios[label]) * 100:.0f}–"
                f"{max(ratios[label]) * 100:.0f}%) | server CPU {server_us:.0f} µs/call "
                f"(CPU-bound ratio {noop_us / server_us * 100 if server_us else float('nan'):.0f}%) |"
            )
        validator_rate = statistics.median(rates["validator"])
        for share in (0.5, 0.9):
            achieved, p50, p99, failed = await open_loop(
                target, texts, validator_rate * share, duration, metadata
            )
            lines.append(
                f"| validator at {share:.0%} load ({achieved:.0f} calls/s) | p50 {p50 * 1e3:.2f} ms | "
                f"p99 {p99 * 1e3:.2f} ms | {failed} failed |"
            )
    finally:
        for process in (
            noop,
            validator,
            *([sink] if sink is not None else []),
            *(process for _, process, _ in calibrations),
        ):
            process.terminate()
            process.wait(10)
        key_dir.cleanup()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--rounds", type=int, default=6, help="gRPC: alternating samples per server (of duration/rounds s)"
    )
    parser.add_argument("--skip-grpc", action="store_true")
    parser.add_argument("--skip-in-process", action="store_true")
    parser.add_argument(
        "--loop",
        choices=("asyncio", "uvloop"),
        default="asyncio",
        help="event loop of both servers and the client",
    )
    parser.add_argument(
        "--audit-sink", action="store_true", help="validator delivers audit events (to a no-op AuditService)"
    )
    parser.add_argument(
        "--novel", action="store_true", help="gRPC: cycle through different 2 KB texts instead of one prompt"
    )
    parser.add_argument(
        "--work",
        default="",
        metavar="US,PART",
        help="gRPC: also measure no-op servers whose handler first spends these µs holding the GIL (calibration), "
        f"or first does a part of the validator's work ({', '.join(PARTS)})",
    )
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} cpus={os.cpu_count()} python={platform.python_version()}"
    )
    print("| case | median | p99 / worst | decision |")
    print("|---|---|---|---|")
    if not args.skip_in_process:
        for line in in_process():
            print(line, flush=True)
    if not args.skip_grpc:
        if args.loop == "uvloop":
            import uvloop

            uvloop.install()
        for line in asyncio.run(
            grpc_bench(
                args.duration,
                args.concurrency,
                args.loop,
                args.audit_sink,
                args.novel,
                args.rounds,
                tuple(item for item in args.work.split(",") if item),
            )
        ):
            print(line, flush=True)


if __name__ == "__main__":
    main()
