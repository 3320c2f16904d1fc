"""Durable appends/s on SQLite at 1, 16 and 128 concurrent appenders, beside a plain
SQLite insert loop with the same durability setting (WAL + synchronous=FULL), and
proof generation time and tree memory at 1M entries.

    .venv/bin/python -m bench.audit_append [--seconds 5] [--proof-entries 1000000] [--dir /tmp/x]

Appenders call AuditLog.append([event]) in a loop, each awaiting its receipt,
i.e. waiting until its event is durable (group commit), exactly what the Append
RPC handler does; the gRPC column adds the network stack (Append RPCs over
loopback, one process). Results are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random
import sqlite3
import tempfile
import time
from pathlib import Path

import grpc
from aisec.audit.v1 import audit_pb2, audit_pb2_grpc
from prometheus_client import CollectorRegistry

from services.audit import canonical, merkle
from services.audit.audit_log import TREE_MEMORY_LEVEL, AuditLog, new_entry
from services.audit.checkpoint import NoteSigner
from services.audit.metrics import AuditMetrics
from services.audit.service import build_audit_service
from services.audit.settings import AuditSettings
from services.audit.store.sqlite import SqliteLogStore
from services.common.server import serve
from services.common.settings import load_settings


def sample_event(i: int) -> audit_pb2.Event:
    event = audit_pb2.Event(
        service="validator", type=audit_pb2.EVENT_TYPE_VALIDATION, subject="svc-frontend", tenant="acme",
        model="llama", model_version="3", request_id=f"req-{i:012d}", method="/aisec.validator.v1.ValidatorService/Validate",
        action="deny", reason="PROMPT_INJECTION", finding_counts={"injection": 2, "secrets": 0}, latency_us=850,
        input_length=512, output_length=0, input_hmac=random.randbytes(32), hash_key_id="dev", status="OK",
    )
    event.time.GetCurrentTime()
    return event


def event_pool(size: int = 4096) -> list[audit_pb2.Event]:
    """Events built before timing starts (both the log and the plain loop use them)."""
    return [sample_event(i) for i in range(size)]


async def bench_log(directory: Path, concurrency: int, seconds: float) -> float:
    store = SqliteLogStore(directory / f"log-{concurrency}.db", synchronous="FULL")
    log = AuditLog(store, NoteSigner.generate("bench/audit"), AuditMetrics(CollectorRegistry()))
    await log.start()
    count = 0
    pool = event_pool()
    deadline = time.perf_counter() + seconds

    async def appender(worker: int) -> None:
        nonlocal count
        i = worker
        while time.perf_counter() < deadline:
            await log.append([pool[i % len(pool)]])
            i += 1
            count += 1

    started = time.perf_counter()
    await asyncio.gather(*(appender(w) for w in range(concurrency)))
    elapsed = time.perf_counter() - started
    await log.aclose()
    return count / elapsed


async def bench_grpc(directory: Path, concurrency: int, seconds: float, per_call: int = 1) -> float:
    settings = load_settings(
        AuditSettings, port=0, host="127.0.0.1", state_dir=directory / f"grpc-{concurrency}", auth_enabled=False,
        ratelimit_enabled=False, checkpoint_interval_s=3600,
    )
    registry = CollectorRegistry()
    definition = await build_audit_service(settings, registry)
    count = 0
    async with serve(settings, definition, registry=registry) as running, \
            grpc.aio.insecure_channel(running.target) as channel:
        api = audit_pb2_grpc.AuditServiceStub(channel)
        events = event_pool()
        pool = [audit_pb2.AppendRequest(event=e) for e in events]
        deadline = time.perf_counter() + seconds

        async def appender(worker: int) -> None:
            nonlocal count
            i = worker
            while time.perf_counter() < deadline:
                if per_call == 1:
                    await api.Append(pool[i % len(pool)])
                else:  # what the shared AuditEmitter does: one AppendStream per batch
                    start = (i * per_call) % (len(events) - per_call)
                    request = audit_pb2.AppendStreamRequest(events=events[start : start + per_call])
                    await api.AppendStream(iter([request]))
                i += 1
                count += per_call

        started = time.perf_counter()
        await asyncio.gather(*(appender(w) for w in range(concurrency)))
        elapsed = time.perf_counter() - started
    return count / elapsed


def bench_plain_sqlite(directory: Path, seconds: float) -> float:
    """The baseline: one INSERT + COMMIT per event, WAL + synchronous=FULL, same row shape."""
    db = sqlite3.connect(directory / "plain.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, leaf_hash BLOB, payload BLOB, time_ns INTEGER,"
               " service TEXT, event_type INTEGER, tenant TEXT, action TEXT)")
    count = 0
    pool = event_pool()
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        entry = new_entry(pool[count % len(pool)])
        db.execute("BEGIN")
        db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (count, canonical.leaf_hash(count, entry.payload), entry.payload, entry.time_ns, entry.service,
                    entry.event_type, entry.tenant, entry.action))
        db.execute("COMMIT")
        count += 1
    elapsed = time.perf_counter() - started
    db.close()
    return count / elapsed


def bench_proofs(entries: int, directory: Path) -> dict[str, float]:
    leaves = [merkle.hash_leaf(i.to_bytes(8, "big")) for i in range(entries)]
    started = time.perf_counter()
    tree = merkle.MerkleTree()
    tree.extend(b"".join(leaves))
    build_s = time.perf_counter() - started
    rng = random.Random(7)
    samples = 2000
    started = time.perf_counter()
    for _ in range(samples):
        tree.inclusion_proof(rng.randrange(entries), entries)
    inclusion_us = (time.perf_counter() - started) / samples * 1e6
    started = time.perf_counter()
    for _ in range(samples):
        first = rng.randrange(1, entries)
        tree.consistency_proof(first, entries)
    consistency_us = (time.perf_counter() - started) / samples * 1e6
    started = time.perf_counter()
    root_s = 0.0
    for size in (entries, entries - 1, entries // 3):
        t0 = time.perf_counter()
        tree.root(size)
        root_s = max(root_s, time.perf_counter() - t0)
    # Startup: load 1M leaf hashes from a SQLite log into the tree.
    store = SqliteLogStore(directory / "proofs.db")
    chunk = 20_000
    event_bytes = canonical.canonical_event_bytes(sample_event(0))
    from services.audit.store.base import NewEntry

    entry = NewEntry(event_bytes, 0, "validator", 1, "acme", "deny")
    fill_started = time.perf_counter()
    for _ in range(0, entries, chunk):
        store.append([entry] * chunk)
    fill_s = time.perf_counter() - fill_started
    started = time.perf_counter()
    loaded = merkle.MerkleTree()
    loaded.extend(store.leaf_hashes(0, store.size()))
    load_s = time.perf_counter() - started
    # As the service keeps it: levels from TREE_MEMORY_LEVEL up, proofs read a block back from SQLite.
    started = time.perf_counter()
    tiled = merkle.MerkleTree(store.leaf_hashes, memory_level=TREE_MEMORY_LEVEL)
    tiled.extend(store.leaf_hashes(0, store.size()))
    tiled_load_s = time.perf_counter() - started
    tiled_memory = tiled.memory_bytes
    started = time.perf_counter()
    for _ in range(samples // 4):  # random leaves: mostly blocks not in the small cache
        tiled.inclusion_proof(rng.randrange(entries), entries)
    tiled_inclusion_us = (time.perf_counter() - started) / (samples // 4) * 1e6
    started = time.perf_counter()
    for _ in range(samples // 4):
        tiled.consistency_proof(rng.randrange(1, entries), entries)
    tiled_consistency_us = (time.perf_counter() - started) / (samples // 4) * 1e6
    # Start-up of a log whose block hashes were stored: the blocks, a row count, the last block's leaves.
    store.save_tree_blocks(TREE_MEMORY_LEVEL, 0, tiled.block_hashes(0, tiled.complete_blocks))
    started = time.perf_counter()
    reloaded = merkle.MerkleTree(store.leaf_hashes, memory_level=TREE_MEMORY_LEVEL)
    blocks = store.tree_blocks(TREE_MEMORY_LEVEL, 0, entries >> TREE_MEMORY_LEVEL)
    covered = len(blocks) // 32 << TREE_MEMORY_LEVEL
    assert store.entry_count(covered) == covered
    reloaded.extend_blocks(blocks)
    reloaded.extend(store.leaf_hashes(covered, store.size()))
    stored_blocks_load_s = time.perf_counter() - started
    assert reloaded.root() == tiled.root()
    store.close()
    return {
        "build_s": build_s, "inclusion_us": inclusion_us, "consistency_us": consistency_us,
        "root_ms": root_s * 1e3, "store_fill_s": fill_s, "startup_load_s": load_s,
        "tree_mib": loaded.memory_bytes / 2**20, "tiled_tree_mib": tiled_memory / 2**20,
        "tiled_startup_load_s": tiled_load_s, "tiled_inclusion_us": tiled_inclusion_us,
        "tiled_consistency_us": tiled_consistency_us, "stored_blocks_load_s": stored_blocks_load_s,
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--proof-entries", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=None, help="where the databases go (default: a tmp dir)")
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.mkdtemp(prefix="audit-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}, "
          f"sqlite {sqlite3.sqlite_version}, dir {directory}")
    plain = bench_plain_sqlite(directory, args.seconds)
    print("\n| appenders | AuditLog.append, 1 event each (durable, group commit) | Append RPC over gRPC |"
          " AppendStream RPC, 100 events/call | plain SQLite loop, same durability |")
    print("|---:|---:|---:|---:|---:|")
    for concurrency in (1, 16, 128):
        in_process = await bench_log(directory, concurrency, args.seconds)
        over_grpc = await bench_grpc(directory, concurrency, args.seconds)
        streamed = await bench_grpc(directory / "stream", concurrency, args.seconds, per_call=100)
        print(f"| {concurrency} | {in_process:,.0f}/s | {over_grpc:,.0f}/s | {streamed:,.0f}/s | {plain:,.0f}/s |",
              flush=True)
    proofs = bench_proofs(args.proof_entries, directory)
    print(f"\nproofs at {args.proof_entries:,} entries: tree build {proofs['build_s']:.2f} s, "
          f"inclusion proof {proofs['inclusion_us']:.0f} µs, consistency proof {proofs['consistency_us']:.0f} µs, "
          f"root (any size) {proofs['root_ms']:.2f} ms; SQLite fill {proofs['store_fill_s']:.1f} s, "
          f"startup load of leaf hashes into the tree {proofs['startup_load_s']:.2f} s")
    print(f"tree memory: every level {proofs['tree_mib']:.1f} MiB; as the service keeps it (levels from "
          f"{TREE_MEMORY_LEVEL} up) {proofs['tiled_tree_mib'] * 1024:.0f} KiB, startup load "
          f"{proofs['tiled_startup_load_s']:.2f} s, inclusion proof {proofs['tiled_inclusion_us']:.0f} µs and "
          f"consistency proof {proofs['tiled_consistency_us']:.0f} µs reading a block back from SQLite; "
          f"startup load from stored block hashes {proofs['stored_blocks_load_s'] * 1e3:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
