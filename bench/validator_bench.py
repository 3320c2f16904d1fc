"""Validator benchmarks: in-process latency and gRPC throughput vs a no-op server.

    .venv/bin/python -m bench.validator_bench [--duration 5] [--concurrency 32] [--skip-grpc]

1. In-process median/p99 for a 2 KB benign prompt (engine.evaluate, default policy).
2. Worst case for 100 KB adversarial inputs (nested encodings, 50k zero-width characters, regex bait, ...).
3. gRPC: the validator (python -m services.validator) and a no-op ValidatorService on the same server
   stack, each in its own process, driven by the same closed-loop client with a 2 KB request; then the
   validator at 50% and 90% of its measured throughput (open loop) for p50/p99 latency.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import grpc
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc

from bench.validator_corpus import adversarial_inputs, benign_prompt
from services.validator.engine import ValidatorEngine
from services.validator.policy import PolicyStore
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
    for name, adversarial in adversarial_inputs(100_000).items():
        engine.evaluate(adversarial, "user", policy)
        runs = time_calls(lambda a=adversarial: engine.evaluate(a, "user", policy), 7)  # type: ignore[misc]
        verdict = engine.evaluate(adversarial, "user", policy)
        lines.append(
            f"| 100 KB {name} | {statistics.median(runs) * 1e3:.2f} ms | worst {max(runs) * 1e3:.2f} ms | "
            f"{'allowed' if verdict.allowed else verdict.reason} |"
        )
    return lines


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(cmd: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            channel = grpc.insecure_channel(f"127.0.0.1:{port}")
            grpc.channel_ready_future(channel).result(timeout=0.5)
            stub = validator_pb2_grpc.ValidatorServiceStub(channel)
            stub.Validate(validator_pb2.ValidateRequest(input=validator_pb2.Input(text="warm up")), timeout=5)
            channel.close()
            return process
        except (grpc.FutureTimeoutError, grpc.RpcError):
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server on port {port} did not start")


async def closed_loop(target: str, text: str, duration: float, concurrency: int) -> float:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = validator_pb2_grpc.ValidatorServiceStub(channel)
        request = validator_pb2.ValidateRequest(input=validator_pb2.Input(text=text))
        done = 0
        stop = time.perf_counter() + duration

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < stop:
                await stub.Validate(request)
                done += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return done / (time.perf_counter() - started)


async def open_loop(target: str, text: str, rate: float, duration: float) -> tuple[float, float, float]:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = validator_pb2_grpc.ValidatorServiceStub(channel)
        request = validator_pb2.ValidateRequest(input=validator_pb2.Input(text=text))
        latencies: list[float] = []

        async def one() -> None:
            start = time.perf_counter()
            await stub.Validate(request)
            latencies.append(time.perf_counter() - start)

        tasks = []
        interval = 1.0 / rate
        begin = time.perf_counter()
        count = int(rate * duration)
        for i in range(count):
            delay = begin + i * interval - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one()))
        await asyncio.gather(*tasks)
        achieved = len(latencies) / (time.perf_counter() - begin)
        return achieved, statistics.median(latencies), percentile(latencies, 0.99)


async def grpc_bench(duration: float, concurrency: int) -> list[str]:
    """One event loop for the whole run (grpc.aio keeps per-loop state)."""
    env = {
        **os.environ,
        "AISEC_AUTH_ENABLED": "false",
        "AISEC_RATELIMIT_ENABLED": "false",
        "AISEC_LOG_LEVEL": "WARNING",
        "AISEC_HOST": "127.0.0.1",
    }
    text = benign_prompt(2048)
    lines = []
    noop_port, validator_port = free_port(), free_port()
    noop = start([sys.executable, "-m", "bench.validator_noop_server", str(noop_port)], env, noop_port)
    validator = start(
        [sys.executable, "-m", "services.validator"],
        {**env, "AISEC_PORT": str(validator_port)},
        validator_port,
    )
    try:
        noop_target, target = f"127.0.0.1:{noop_port}", f"127.0.0.1:{validator_port}"
        await closed_loop(noop_target, text, 1.0, concurrency)
        await closed_loop(target, text, 1.0, concurrency)
        # Interleave the two measurements so background load on the machine hits both alike.
        noop_rates, validator_rates = [], []
        for _ in range(2):
            noop_rates.append(await closed_loop(noop_target, text, duration / 2, concurrency))
            validator_rates.append(await closed_loop(target, text, duration / 2, concurrency))
        noop_rate, validator_rate = statistics.mean(noop_rates), statistics.mean(validator_rates)
        lines.append(f"| no-op server (same stack, own process) | {noop_rate:.0f} calls/s | | |")
        lines.append(
            f"| validator (own process) | {validator_rate:.0f} calls/s | {validator_rate / noop_rate * 100:.0f}% of no-op | |"
        )
        for share in (0.5, 0.9):
            achieved, p50, p99 = await open_loop(target, text, validator_rate * share, duration)
            lines.append(
                f"| validator at {share:.0%} load ({achieved:.0f} calls/s) | p50 {p50 * 1e3:.2f} ms | "
                f"p99 {p99 * 1e3:.2f} ms | |"
            )
    finally:
        for process in (noop, validator):
            process.terminate()
            process.wait(10)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--skip-grpc", action="store_true")
    parser.add_argument("--skip-in-process", action="store_true")
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
        for line in asyncio.run(grpc_bench(args.duration, args.concurrency)):
            print(line, flush=True)


if __name__ == "__main__":
    main()
