"""Vault throughput and memory benchmark (filesystem store, loopback, auth off).

1. Throughput: push and pull of one file (default 1 GiB) through the vault, using the CLI code
   (`aisec vault push/pull`: 1 MiB chunks, client-side SHA-256, temp file + rename), beside two
   baselines measured in the same run: the same bytes through a no-op gRPC VaultService (same
   proto and chunking; the client still reads/writes the file), and SHA-256 of the file.
2. Memory: peak RSS (VmHWM from /proc/PID/status) of a fresh vault process after a push and a
   pull of each model size (default 256 MiB and 2 GiB).

All big files live in a temp dir that is removed at the end (the disk is shared).
Usage: .venv/bin/python bench/vault_bench.py [--size-mib 1024] [--rss-sizes-mib 256 2048] [--out FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
from aisec.vault.v1 import vault_pb2, vault_pb2_grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services.client.cli import vault as vault_cli

ROOT = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024
CHUNK = MiB


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_file(path: Path, size: int) -> None:
    block = os.urandom(16 * MiB)
    with open(path, "wb") as handle:
        left = size
        while left:
            piece = block[: min(left, len(block))]
            handle.write(piece)
            left -= len(piece)


def wait_serving(target: str, process: subprocess.Popen[bytes], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    with grpc.insecure_channel(target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}")
            try:
                status = stub.Check(health_pb2.HealthCheckRequest(), timeout=1.0).status
                if status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("server did not become ready")
            time.sleep(0.05)


def start_vault(state_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "AISEC_PORT": str(port),
        "AISEC_HOST": "127.0.0.1",
        "AISEC_STATE_DIR": str(state_dir),
        "AISEC_AUTH_ENABLED": "false",
        "AISEC_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen([sys.executable, "-m", "services.vault"], cwd=ROOT, env=env)
    target = f"127.0.0.1:{port}"
    wait_serving(target, process)
    return process, target


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def cli_args(target: str, **fields: object) -> argparse.Namespace:
    return argparse.Namespace(
        target=target, token=None, token_file=None, timeout=None, tls_ca=None, label=[], **fields
    )


def vault_push(target: str, model: str, version: str, path: Path) -> float:
    start = time.perf_counter()
    code = vault_cli.run_push(cli_args(target, model=model, version=version, path=path))
    elapsed = time.perf_counter() - start
    if code != 0:
        raise RuntimeError("push failed")
    return elapsed


def vault_pull(target: str, model: str, ref: str, dest: Path) -> float:
    start = time.perf_counter()
    code = vault_cli.run_pull(cli_args(target, model=model, ref=ref, dest=dest))
    elapsed = time.perf_counter() - start
    if code != 0:
        raise RuntimeError("pull failed")
    return elapsed


def noop_requests(path: Path) -> Iterator[vault_pb2.PutModelRequest]:
    yield vault_pb2.PutModelRequest(header=vault_pb2.PutModelHeader(model="noop", version="1"))
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield vault_pb2.PutModelRequest(chunk=chunk)


def noop_round_trip(path: Path, dest: Path) -> tuple[float, float]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "vault_noop_server.py"), str(port), str(path)]
    )
    target = f"127.0.0.1:{port}"
    try:
        options = [("grpc.max_receive_message_length", 16 << 20), ("grpc.max_send_message_length", 16 << 20)]
        with grpc.insecure_channel(target, options=options) as channel:
            grpc.channel_ready_future(channel).result(timeout=30)
            stub = vault_pb2_grpc.VaultServiceStub(channel)
            start = time.perf_counter()
            stub.PutModel(noop_requests(path))
            push = time.perf_counter() - start
            start = time.perf_counter()
            with open(dest, "wb") as handle:
                for response in stub.GetModel(vault_pb2.GetModelRequest(model="noop", ref="1")):
                    handle.write(response.chunk)
                handle.flush()
                os.fsync(handle.fileno())
            pull = time.perf_counter() - start
    finally:
        stop(process)
    return push, pull


def sha256_seconds(path: Path) -> float:
    start = time.perf_counter()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return time.perf_counter() - start


def mbps(size: int, seconds: float) -> str:
    return f"{size / seconds / 1e6:,.0f}"


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem_gib:.0f} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mib", type=int, default=1024, help="throughput file size")
    parser.add_argument(
        "--rss-sizes-mib", type=int, nargs="+", default=[256, 2048], help="model sizes for peak RSS"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="where the temp dir goes (default /tmp)")
    parser.add_argument("--out", type=Path, default=None, help="also write the markdown table here")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="vault-bench-", dir=args.workdir))
    lines: list[str] = []
    try:
        size = args.size_mib * MiB
        source = work / "model.bin"
        make_file(source, size)
        sha_s = sha256_seconds(source)
        noop_push_s, noop_pull_s = noop_round_trip(source, work / "noop.out")
        (work / "noop.out").unlink()
        process, target = start_vault(work / "state")
        try:
            push_s = vault_push(target, "bench", "1", source)
            pull_s = vault_pull(target, "bench", "1", work / "pulled.bin")
        finally:
            stop(process)
        (work / "pulled.bin").unlink()
        shutil.rmtree(work / "state")
        source.unlink()
        lines += [
            f"Throughput, {args.size_mib} MiB file, loopback, filesystem store (MB/s = 10^6 bytes/s):",
            "",
            "| what | push MB/s | pull MB/s |",
            "|---|---:|---:|",
            f"| vault (AES-256-GCM stream, SHA-256 server + client, fsync, signed manifest) | {mbps(size, push_s)} | {mbps(size, pull_s)} |",
            f"| no-op gRPC VaultService, same bytes and chunks | {mbps(size, noop_push_s)} | {mbps(size, noop_pull_s)} |",
            f"| SHA-256 of the file (one core, hashlib) | {mbps(size, sha_s)} | |",
            "",
            "Peak RSS of the vault process (VmHWM, fresh process, after one push and one pull):",
            "",
            "| model size | peak RSS MB |",
            "|---:|---:|",
        ]
        for size_mib in args.rss_sizes_mib:
            model = work / f"rss-{size_mib}.bin"
            make_file(model, size_mib * MiB)
            process, target = start_vault(work / f"state-{size_mib}")
            try:
                vault_push(target, "rss", "1", model)
                vault_pull(target, "rss", "1", work / "rss.out")
                peak = vm_hwm_mb(process.pid)
            finally:
                stop(process)
            model.unlink()
            (work / "rss.out").unlink()
            shutil.rmtree(work / f"state-{size_mib}")
            lines.append(f"| {size_mib} MiB | {peak:.0f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        header = (
            f"Machine: {machine()}\n\nLoad average when done (1, 5, 15 min): {load}\n\nCommand: `.venv/bin/python bench/vault_bench.py "
            f"--size-mib {args.size_mib} --rss-sizes-mib {' '.join(map(str, args.rss_sizes_mib))}`\n\n"
        )
        args.out.write_text("# Vault benchmark\n\n" + header + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
