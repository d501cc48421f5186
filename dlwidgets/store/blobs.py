"""Content-addressed item bytes: one file per distinct content, named by its sha256.

Bytes are streamed into a temporary file in ``tmp/`` while they are hashed, so memory stays flat for any
size; the workspace moves the file into place only inside the transaction that writes the item row. A
temporary file's name carries its writer's pid, so one left by a killed process goes at the next open.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 1 << 20


# Temporary files are named ``<kind>-<pid>-<host>-<random>`` after the process writing them, so that the
# next process to open the workspace can remove those whose writer has died (see ``sweep_dead_owners``).
_OWNED = re.compile(r"^[a-z]+-(\d+)-([0-9a-f]{8})-")


def _host_tag() -> str:
    """This machine, in short: a pid means something only on the machine whose process it is."""
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def temp_prefix(kind: str) -> str:
    """The name prefix of a temporary file this process writes (``kind`` says what for)."""
    return f"{kind}-{os.getpid()}-{_host_tag()}-"


def _owner_is_running(name: str) -> bool | None:
    """Whether the process that writes the temporary file ``name`` is running; None when that cannot be
    told (a name without an owner, or a process of another machine)."""
    owner = _OWNED.match(name)
    if owner is None or owner.group(2) != _host_tag():
        return None
    try:
        os.kill(int(owner.group(1)), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another account's process
        return True
    return True


class BlobWriter:
    """A temporary file being filled with one upload's bytes, hashed on the way in."""

    def __init__(self, tmp_dir: Path) -> None:
        fd, name = tempfile.mkstemp(dir=tmp_dir, prefix=temp_prefix("upload"))
        self.path = Path(name)
        self._file: BinaryIO = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self._file.write(data)
        self._hash.update(data)
        self.size += len(data)

    def close(self) -> str:
        """Flush and close the file; returns the sha256 hex digest of its bytes."""
        self._file.close()
        return self._hash.hexdigest()

    def discard(self) -> None:
        """Remove the temporary file: the upload did not complete."""
        self._file.close()
        self.path.unlink(missing_ok=True)


class BlobReader:
    """The bytes of an open blob from ``start``, ``length`` of them (all by default), in chunks; the file
    is closed once they are all read or the reader is closed."""

    def __init__(self, file: BinaryIO, start: int = 0, length: int | None = None) -> None:
        self._file = file
        self._remaining = length
        file.seek(start)

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        remaining = self._remaining
        size = CHUNK_SIZE if remaining is None else min(CHUNK_SIZE, remaining)
        chunk = self._file.read(size) if size and not self._file.closed else b""
        if not chunk:
            self.close()
            raise StopIteration
        if remaining is not None:
            self._remaining = remaining - len(chunk)
        return chunk

    def close(self) -> None:
        self._file.close()


class BlobStore:
    """The blob folder of a workspace: ``<root>/<aa>/<sha256>`` plus a ``tmp/`` for uploads in flight."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp_dir = root / "tmp"
        self.tmp_dir.mkdir(parents=True, exist_ok=True)

    def path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest

    def writer(self) -> BlobWriter:
        return BlobWriter(self.tmp_dir)

    def put(self, writer_path: Path, digest: str) -> bool:
        """Move a finished temporary file into place; returns False if the content was already stored."""
        final = self.path(digest)
        if final.exists():
            writer_path.unlink(missing_ok=True)
            return False
        final.parent.mkdir(exist_ok=True)
        os.replace(writer_path, final)
        return True

    def remove(self, digest: str) -> None:
        self.path(digest).unlink(missing_ok=True)

    def open(self, digest: str) -> BinaryIO:
        """The stored bytes, opened now: an open file keeps its bytes even if the blob is removed while it
        is read (a reader holds the version it opened). Raises FileNotFoundError if it is gone already."""
        return open(self.path(digest), "rb")

    def stored_digests(self, older_than_s: float) -> Iterator[str]:
        """Digests of blobs written more than ``older_than_s`` seconds ago (for the orphan sweep)."""
        cutoff = time.time() - older_than_s
        for sub in self.root.iterdir():
            if sub.is_dir() and len(sub.name) == 2:
                for blob in sub.iterdir():
                    if blob.stat().st_mtime < cutoff:
                        yield blob.name

    def sweep_dead_owners(self) -> None:
        """Delete the temporary files of processes on this machine that have ended: an upload killed
        half-way leaves a file as big as the part it received."""
        for leftover in self.tmp_dir.iterdir():
            if _owner_is_running(leftover.name) is False:
                leftover.unlink(missing_ok=True)

    def sweep_tmp(self, older_than_s: float) -> None:
        """Delete temporary files that an interrupted process left behind: those not written to for
        ``older_than_s`` seconds, unless their process is still running."""
        cutoff = time.time() - older_than_s
        for leftover in self.tmp_dir.iterdir():
            try:
                stale = leftover.stat().st_mtime < cutoff
            except FileNotFoundError:  # its upload finished, or another process swept it, meanwhile
                continue
            if stale and not _owner_is_running(leftover.name):
                leftover.unlink(missing_ok=True)
