"""Several processes opening one brand-new workspace at the same instant all succeed.

The first open switches the database to WAL mode and creates the tables; an open that meets another
one half-way through must wait for it, not fail with "database is locked". The race between real opens
is rare (a few in hundreds), so the second test makes its worst case certain: another connection holding
the new database's write lock while we open it.
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import traceback
from pathlib import Path

from dlwidgets.store import Workspace

PROCESSES = 8
ROUNDS = 25
# Another connection in the middle of setting up a new database: it holds the write lock for a moment.
SETTING_UP = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
time.sleep(1.0)
db.execute("COMMIT")
"""


def open_fresh_workspaces(root: str, barrier: multiprocessing.synchronize.Barrier) -> list[str]:
    """Open ``root/round-N`` once per round, all processes together; returns the failures."""
    failures = []
    for n in range(ROUNDS):
        barrier.wait(timeout=120)
        try:
            workspace = Workspace(Path(root) / f"round-{n}")
            workspace.db.execute("SELECT count(*) FROM items").fetchone()
            workspace.close()
        except Exception:
            failures.append(f"round {n}: {traceback.format_exc(limit=3)}")
    return failures


def _worker(root: str, barrier: multiprocessing.synchronize.Barrier, results: multiprocessing.Queue) -> None:
    results.put(open_fresh_workspaces(root, barrier))


def test_processes_opening_a_new_workspace_at_once_all_succeed(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(PROCESSES)
    results: multiprocessing.Queue = context.Queue()
    workers = [
        context.Process(target=_worker, args=(str(tmp_path), barrier, results)) for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    try:
        failures = [failure for _ in workers for failure in results.get(timeout=300)]
    finally:
        for worker in workers:
            worker.join(30)
            if worker.is_alive():
                worker.kill()
    assert not failures, f"{len(failures)} of {PROCESSES * ROUNDS} opens failed; the first:\n{failures[0]}"
    assert all(worker.exitcode == 0 for worker in workers)


def test_an_open_during_another_connections_setup_waits_for_it(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    home.mkdir()
    other = subprocess.Popen(
        [sys.executable, "-c", SETTING_UP, str(home / "workspace.sqlite")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout is not None and other.stdout.readline() == "holding\n"
        workspace = Workspace(home)
        assert workspace.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert workspace.db.execute("SELECT count(*) FROM items").fetchone()[0] == 0
        workspace.close()
    finally:
        assert other.wait(30) == 0
