"""A workspace on disk: one SQLite database in WAL mode and the blob folder beside it.

Opening one brings an older format up to date, or refuses a newer one (``migrations.py``); several
processes opening a new one at once take turns through its setup (``setup_lock.py``).

Several kernels and a server may open the same workspace at once: SQLite's WAL mode lets readers run
beside one writer, every write happens in a ``BEGIN IMMEDIATE`` transaction, and each thread gets its
own connection, closed once the thread has ended.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .blobs import BlobStore
from .migrations import SCHEMA_VERSION, check_layouts, format_version, upgrade
from .permissions import private_database, private_folder
from .setup_lock import retry_while_locked, setup_lock, switch_to_wal

# Uploads still in flight in another process are younger than this; anything older was interrupted.
ABANDONED_AFTER_S = 3600.0
SWEEP_EVERY_S = 3600.0


def default_home() -> Path:
    """``$DLWIDGETS_HOME``, else ``~/.dlwidgets``."""
    return Path(os.environ.get("DLWIDGETS_HOME") or Path.home() / ".dlwidgets").expanduser()


class Workspace:
    """The embedded platform's state: open it once per process and share it between threads."""

    def __init__(self, home: str | os.PathLike[str] | None = None) -> None:
        self.home = Path(home).expanduser() if home is not None else default_home()
        private_folder(self.home)
        self.db_path = self.home / "workspace.sqlite"
        private_database(self.db_path)
        self.blobs = BlobStore(self.home / "blobs")
        self._local = threading.local()
        # Each thread's connection, by thread: those of threads that have ended are closed.
        self._connections: dict[threading.Thread, sqlite3.Connection] = {}
        self._connections_lock = threading.Lock()
        with setup_lock(self.home):
            retry_while_locked(self._set_up)
        check_layouts(self.db, self.home)
        self.blobs.sweep_dead_owners()
        self._sweep()

    def __repr__(self) -> str:
        return f"Workspace({str(self.home)!r})"

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection (autocommit mode; writes go through ``transaction()``)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.db_path, timeout=60.0, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            # NORMAL is durable across application crashes in WAL mode; only a power cut may lose the
            # last commits, never corrupt the database.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 60000")
            self._local.conn = conn
            with self._connections_lock:
                self._close_ended()
                self._connections[threading.current_thread()] = conn
        return conn

    def _close_ended(self) -> None:
        """Close the connections of threads that have ended, such as the idle workers a server's thread
        pool retires; each holds three open files (the database, its WAL and its shared memory)."""
        for thread in [t for t in self._connections if not t.is_alive()]:
            self._connections.pop(thread).close()

    def _set_up(self) -> None:
        """Switch the database to WAL mode, which the file keeps for every later connection, and bring
        its format up to date; a workspace at this version is opened without taking the write lock."""
        switch_to_wal(self.db, self.db_path)
        if format_version(self.db) != SCHEMA_VERSION:
            # A step may rebuild a table, which SQLite allows only with foreign keys off (else dropping
            # the old table deletes the rows that point at it); the pragma works only outside a transaction.
            self.db.execute("PRAGMA foreign_keys = OFF")
            try:
                with self.transaction() as db:
                    upgrade(db, self.home)
            finally:
                self.db.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that holds the write lock from its start, so read-then-write is safe. Opened
        inside another one on this thread (an embedded client's ``atomic()``), it is a savepoint: undone
        alone when it fails, and kept only if the outer transaction commits."""
        db = self.db
        if db.in_transaction:
            with _savepoint(db):
                yield db
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            first_write = getattr(self._local, "first_write", None)
            if first_write is not None:
                self._local.first_write = None
                first_write(db)
            yield db
        except BaseException:
            # SQLite has already rolled back after some failures (a full disk above all).
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        try:
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def before_next_write(self, action: Callable[[sqlite3.Connection], None] | None) -> None:
        """Run ``action`` at the start of this thread's next write transaction, inside it (None: no
        longer); the idempotency keys use it to be claimed in the transaction of the write itself."""
        self._local.first_write = action

    def close(self) -> None:
        with self._connections_lock:
            for conn in self._connections.values():
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def drop_unreferenced_blobs(self, db: sqlite3.Connection, digests: Iterable[str]) -> None:
        """Inside a write transaction: delete those blobs of ``digests`` that no item references any more.
        The write lock is held, so no concurrent upload can start sharing a blob while it is removed."""
        for digest in set(digests):
            if db.execute("SELECT 1 FROM items WHERE blob = ? LIMIT 1", (digest,)).fetchone() is None:
                self.blobs.remove(digest)

    def _sweep(self) -> None:
        """Remove what interrupted uploads left: temporary files and blobs that no item row references.

        Done at most once per ``SWEEP_EVERY_S`` per workspace, whoever opens it, and the write lock is held
        only to delete, so opening a large workspace stays quick and never stalls another process's writes.
        """
        marker = self.blobs.root / ".swept"
        if marker.exists() and time.time() - marker.stat().st_mtime < SWEEP_EVERY_S:
            return
        marker.touch()
        self.blobs.sweep_tmp(ABANDONED_AFTER_S)
        referenced = {row[0] for row in self.db.execute("SELECT DISTINCT blob FROM items")}
        orphans = [d for d in self.blobs.stored_digests(ABANDONED_AFTER_S) if d not in referenced]
        if orphans:
            with self.transaction() as db:
                self.drop_unreferenced_blobs(db, orphans)


@contextmanager
def _savepoint(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("SAVEPOINT nested")
    try:
        yield
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK TO nested")
            db.execute("RELEASE nested")
        raise
    db.execute("RELEASE nested")
