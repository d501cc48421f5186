"""Who may read a workspace on disk: only the account that owns it (folder 0700, database files 0600).

Blobs, thumbnails and the server secret are written through ``mkstemp``, which makes them 0600 already.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
# The database and the files SQLite keeps beside it.
DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def private_folder(path: Path) -> None:
    """Make ``path`` 0700 whatever the umask (missing parents get the usual mode); an existing folder
    keeps its mode: it may be one the user made on purpose."""
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)


def private_database(db_path: Path) -> None:
    """Create the database file 0600 before SQLite opens it (SQLite gives its ``-wal`` and ``-shm`` files
    the database's mode), and take group and other access from database files made before this rule."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    for suffix in DATABASE_SUFFIXES:
        path = db_path.with_name(db_path.name + suffix)
        try:
            status = path.stat()
        except FileNotFoundError:
            continue
        if status.st_mode & 0o077 and status.st_uid == os.getuid():
            os.chmod(path, stat.S_IMODE(status.st_mode) & PRIVATE_FILE)
