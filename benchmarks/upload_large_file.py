"""Memory and speed of uploading one 1 GiB file: the process must not grow by more than 64 MiB.

Writes a 1 GiB file (a random 1 MiB block, repeated) into a temporary folder, then uploads it with
``dataset.items.upload(local_path=big_file)`` in a fresh child process, so nothing this script did
before counts. The child uploads a small file first (so imports and the database are warm), takes its
resident set size (VmRSS) as the baseline, resets the kernel's high-water mark (VmHWM, via
``/proc/self/clear_refs``), uploads the big file while a thread samples VmRSS every 5 ms, and reports
peak minus baseline: the growth of client, transport and store together. The bytes must come back
identical (size and sha256). Linux only. Goal: at most 64 MiB; the upload speed is reported too.

    .venv/bin/python benchmarks/upload_large_file.py [--mib 1024]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from _common import Figure, fresh_workspace, new_dataset, progress, report, scratch

GOAL_GROWTH_MIB = 64.0
BLOCK = 1 << 20


def status_kib(field: str) -> int:
    """A ``VmRSS``/``VmHWM``-style line of ``/proc/self/status``, in KiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def write_big_file(path: Path, mib: int) -> str:
    """``mib`` MiB of a repeated random block; returns the sha256."""
    block = os.urandom(BLOCK)
    digest = hashlib.sha256()
    with open(path, "wb") as f:
        for _ in range(mib):
            f.write(block)
            digest.update(block)
    return digest.hexdigest()


def child(big: Path, home: Path) -> None:
    """Upload ``big`` into a workspace at ``home`` and print the measurements as JSON."""
    with fresh_workspace(home):
        dataset = new_dataset()
        dataset.items.upload(local_path=b"warm-up", remote_name="warm-up.bin")
        baseline = status_kib("VmRSS")
        peak_sampled = baseline
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_sampled
            while not done.wait(0.005):
                peak_sampled = max(peak_sampled, status_kib("VmRSS"))

        sampler = threading.Thread(target=sample, daemon=True)
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # VmHWM := VmRSS
        sampler.start()
        start = time.perf_counter()
        item = dataset.items.upload(local_path=str(big), remote_path="/big")
        elapsed = time.perf_counter() - start
        done.set()
        sampler.join()
        hwm = status_kib("VmHWM")
        blob = next(p for p in (home / "workspace" / "blobs").glob("??/*") if p.stat().st_size > BLOCK)
        print(json.dumps({
            "baseline_kib": baseline, "hwm_kib": hwm, "sampled_kib": peak_sampled, "seconds": elapsed,
            "size": item.size, "blob": str(blob),  # type: ignore[union-attr]
        }))  # fmt: skip


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(BLOCK):
            digest.update(chunk)
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--child", nargs=2, metavar=("FILE", "HOME"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]))
        return 0
    with scratch("large") as tmp:
        big = tmp / "big.bin"
        progress(f"writing {args.mib:,} MiB ...")
        expected = write_big_file(big, args.mib)
        try:
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(big), str(tmp)],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            result = json.loads(out.strip().splitlines()[-1])
            assert result["size"] == args.mib * BLOCK, f"stored {result['size']} bytes"
            assert sha256_of(Path(result["blob"])) == expected, "the stored bytes differ from the file"
        finally:
            big.unlink(missing_ok=True)
    growth = (max(result["hwm_kib"], result["sampled_kib"]) - result["baseline_kib"]) / 1024
    return report(
        Figure(f"upload one {args.mib / 1024:g} GiB file: peak memory growth", growth, "MiB", GOAL_GROWTH_MIB,
               higher_is_better=False),
        Figure("  speed", args.mib * BLOCK / 1e6 / result["seconds"], "MB/s"),
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
