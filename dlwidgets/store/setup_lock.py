"""Setting up a workspace's database once, whoever opens it first: a file lock around the setup, and
retries while SQLite says the database is locked.

Switching a new database to WAL mode needs SQLite's exclusive lock, and a connection that meets another
one half-way through that switch is told "database is locked" at once, without waiting. Processes of
dlwidgets take turns through ``workspace.lock``; the retries cover any other program holding the database.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

try:
    import fcntl
except ImportError:  # Windows: the retries alone
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
LOCK_FILE = "workspace.lock"
# How long a setup keeps trying while another connection holds the database, as SQLite's busy timeout.
RETRY_FOR_S = 60.0


@contextmanager
def setup_lock(home: Path) -> Iterator[None]:
    """Hold the workspace's setup lock (shared by every process that opens it) for the block."""
    fd = os.open(home / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


class NotYetWal(RuntimeError):
    """Raised when SQLite kept a database's old journal mode: it does so, without an error, while another
    connection holds the database (or for good, on a filesystem without WAL support)."""


def switch_to_wal(db: sqlite3.Connection, path: Path) -> None:
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode != "wal":
        raise NotYetWal(
            f"the database {path} stayed in journal mode {mode!r} for {RETRY_FOR_S:.0f} s instead of "
            "switching to 'wal': another program holds it, or its filesystem does not support WAL"
        )


def _is_busy(error: Exception) -> bool:
    return isinstance(error, NotYetWal) or "locked" in str(error) or "busy" in str(error)


def retry_while_locked(step: Callable[[], T], retry_for_s: float = RETRY_FOR_S) -> T:
    """``step()``, tried again with growing pauses while SQLite reports the database locked."""
    deadline = time.monotonic() + retry_for_s
    pause = 0.005
    while True:
        try:
            return step()
        except (sqlite3.OperationalError, NotYetWal) as e:
            if not _is_busy(e) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.25)
