"""Where the validator's gRPC cost goes: no-op servers that each do one part of its work, against the validator.

    .venv/bin/python -m bench.validator_grpc_parts [--modes none,loop=30,sets,engine,validator] [--rounds 8]
                                                   [--seconds 1.5] [--concurrency 32]

Each mode is a server in its own process, driven by the same closed-loop client with a 2 KB prompt (one after
another, ``--rounds`` times, so background load hits all alike); calls/s are reported against the first mode's in
the same round (median and range), with each server's CPU time per call. Modes:

* ``none``: a plain grpc.aio ValidatorService whose Validate returns a fixed response (``bench.validator_noop_server``'s);
* ``loop=US``: the same, its handler first spending US µs in a pure-Python loop (what a handler of that cost gets);
* ``sets``: first the six Set passes of the validator's scanner over the request's text, nothing else;
* ``tiny``: six Set passes over five bytes (the GIL released and taken back as often, no scanning);
* ``engine``: first ``ValidatorEngine.evaluate`` of the request's text (the whole engine, none of the service);
* ``validator`` / ``validator-noauth``: ``python -m services.validator`` as deployed, auth on (HS256 token) / off.

Results and what they showed: bench/results/validator.md (fourteenth session).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import grpc
from aisec.common.v1 import common_pb2
from aisec.validator.v1 import validator_pb2, validator_pb2_grpc

from bench.validator_bench import closed_loop, cpu_seconds, free_port
from bench.validator_corpus import benign_prompt

ROOT = Path(__file__).resolve().parent.parent


def _work(mode: str) -> Callable[[str], object] | None:
    """What the experiment server's handler does with the request's text before answering."""
    if mode == "none":
        return None
    if mode.startswith("loop="):
        seconds = float(mode.partition("=")[2]) / 1e6

        def loop(_text: str) -> None:
            until = time.perf_counter() + seconds
            while time.perf_counter() < until:
                pass

        return loop
    from services.validator.engine import ValidatorEngine
    from services.validator.policy import PolicyStore
    from services.validator.settings import DEFAULT_POLICY_FILE

    engine = ValidatorEngine()
    engine.warm_up()
    if mode == "engine":
        policy = PolicyStore(DEFAULT_POLICY_FILE).current.resolve("", "")
        assert policy is not None
        return lambda text: engine.evaluate(text, "user", policy)
    sets = [compiled for compiled, _ in engine._scanner._sets]
    if mode == "sets":
        return lambda text: [compiled.Match(text.encode("utf-8")) for compiled in sets]
    if mode == "tiny":
        return lambda _text: [compiled.Match(b"hello") for compiled in sets]
    raise SystemExit(f"unknown mode {mode!r}")


class _Servicer(validator_pb2_grpc.ValidatorServiceServicer):
    def __init__(self, work: Callable[[str], object] | None) -> None:
        self._work = work

    async def Validate(
        self, request: validator_pb2.ValidateRequest, context: grpc.aio.ServicerContext
    ) -> validator_pb2.ValidateResponse:
        if self._work is not None:
            self._work(request.input.text)
        return validator_pb2.ValidateResponse(
            request_id=request.meta.request_id,
            decision=common_pb2.Decision(allowed=True, reason="ALLOWED", message="allowed"),
            policy="default",
        )


async def serve(port: int, mode: str) -> None:
    server = grpc.aio.server()
    validator_pb2_grpc.add_ValidatorServiceServicer_to_server(_Servicer(_work(mode)), server)
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await server.stop(1.0)


async def measure(modes: list[str], rounds: int, seconds: float, concurrency: int) -> list[str]:
    from services.common.auth import mint_token, new_secret

    key_dir = tempfile.TemporaryDirectory(prefix="aisec-parts-")
    key_file = Path(key_dir.name) / "jwt.key"
    key = new_secret()
    key_file.write_bytes(key)
    metadata = (("authorization", f"Bearer {mint_token(key, 'bench', scopes=('validator:validate',), ttl_s=3600)}"),)
    env = {**os.environ, "AISEC_JWT_HS256_KEY_FILE": str(key_file), "AISEC_RATELIMIT_ENABLED": "false",
           "AISEC_LOG_LEVEL": "WARNING", "AISEC_HOST": "127.0.0.1"}  # fmt: skip
    servers: list[tuple[str, subprocess.Popen[bytes], str]] = []
    texts = [benign_prompt(2048)]
    try:
        for mode in modes:
            port = free_port()
            if mode.startswith("validator"):
                command = [sys.executable, "-m", "services.validator"]
                server_env = {**env, "AISEC_PORT": str(port), "AISEC_AUTH_ENABLED": str(mode == "validator").lower()}
            else:
                command = [sys.executable, "-m", "bench.validator_grpc_parts", "serve", str(port), mode]
                server_env = env
            process = subprocess.Popen(command, env=server_env, cwd=ROOT, stdout=subprocess.DEVNULL)
            servers.append((mode, process, f"127.0.0.1:{port}"))
        for _, _, target in servers:  # started and warm (the engine's start-up takes a few seconds)
            for _ in range(60):
                try:
                    await closed_loop(target, texts, 1.0, concurrency, metadata)
                    break
                except grpc.aio.AioRpcError:
                    await asyncio.sleep(0.5)
        rates: dict[str, list[float]] = {mode: [] for mode in modes}
        costs: dict[str, list[float]] = {mode: [] for mode in modes}
        for _ in range(rounds):
            for mode, process, target in servers:
                before = cpu_seconds(process.pid)
                rate = await closed_loop(target, texts, seconds, concurrency, metadata)
                rates[mode].append(rate)
                costs[mode].append((cpu_seconds(process.pid) - before) / (rate * seconds) * 1e6)
    finally:
        for _, process, _ in servers:
            process.terminate()
            process.wait(10)
        key_dir.cleanup()
    base = rates[modes[0]]
    lines = ["| server | calls/s | of the first | server CPU per call |", "|---|---|---|---|"]
    for mode in modes:
        ratios = [rate / first for rate, first in zip(rates[mode], base, strict=True)]
        lines.append(
            f"| {mode} | {statistics.median(rates[mode]):.0f} | {statistics.median(ratios) * 100:.0f} % "
            f"({min(ratios) * 100:.0f}–{max(ratios) * 100:.0f}) | {statistics.median(costs[mode]):.0f} µs |"
        )
    return lines


def main() -> None:
    if sys.argv[1:2] == ["serve"]:
        asyncio.run(serve(int(sys.argv[2]), sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modes", default="none,loop=30,loop=60,tiny,sets,engine,validator-noauth,validator")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    for line in asyncio.run(measure(args.modes.split(","), args.rounds, args.seconds, args.concurrency)):
        print(line)


if __name__ == "__main__":
    main()
