"""Run the API benchmarks one after another, each in its own process, and print their result lines.

    .venv/bin/python benchmarks/run_all.py

Exit status 1 if any goal was missed. The browser benchmarks (``kernel_latency.py``, ``annotator.py``)
are not included. ``list_items.py`` runs last: its setup writes 100,000 files, and removing them slows file
creation on some filesystems for a few minutes, which would show in ``upload_items.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPTS = ("upload_items.py", "upload_annotations.py", "upload_large_file.py", "list_items.py")


def main() -> int:
    here = Path(__file__).resolve().parent
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load}", flush=True)
    failed = [s for s in SCRIPTS if subprocess.run([sys.executable, str(here / s)]).returncode != 0]
    if failed:
        print(f"goal missed or error in: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
