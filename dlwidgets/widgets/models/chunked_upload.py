"""The kernel's side of a chunked upload: one file's chunks written into a temporary file as they arrive.

`ChunkedFile` checks every chunk against the size and chunk size announced at the start (index in
range, offset = index x chunk size, exact length) and writes it in place, so chunks may arrive in any
order and a duplicate is harmless. `finish(chunks)` checks that the browser sent as many chunks as the
size needs and that none is missing; `discard()` removes the temporary file. Anything wrong raises
`TransferError`, whose message says what arrived and what was expected.
"""

from __future__ import annotations

import mimetypes
import tempfile
from pathlib import Path, PurePosixPath

# The Jupyter server closes the websocket on a browser-to-kernel message over 10 MiB.
MAX_CHUNK = 8 << 20


class TransferError(ValueError):
    """Raised when a chunk or the end of a file does not match what the browser announced."""


class ChunkedFile:
    """A file of `size` bytes arriving in chunks of `chunk_size` bytes (the last one shorter)."""

    def __init__(self, size: int, chunk_size: int, directory: Path) -> None:
        if size < 0:
            raise TransferError(f"a file cannot have {size} bytes")
        if not 0 < chunk_size <= MAX_CHUNK:
            raise TransferError(f"chunk size {chunk_size} is not between 1 and {MAX_CHUNK} bytes")
        self.size = size
        self.chunk_size = chunk_size
        self.chunks = -(-size // chunk_size)
        self.received = 0
        self._indexes: set[int] = set()
        self._file = tempfile.NamedTemporaryFile(dir=directory, prefix="upload-", delete=False)  # noqa: SIM115
        self.path = Path(self._file.name)

    def write(self, index: int, offset: int, data: bytes | memoryview) -> bool:
        """Write chunk `index`; False if it had arrived already (it is then ignored)."""
        if not 0 <= index < self.chunks:
            raise TransferError(
                f"chunk {index} is outside the {self.chunks} chunks of a {self.size}-byte file"
            )
        if offset != index * self.chunk_size:
            raise TransferError(f"chunk {index} starts at byte {offset}, expected {index * self.chunk_size}")
        length = memoryview(data).nbytes
        expected = min(self.chunk_size, self.size - offset)
        if length != expected:
            raise TransferError(
                f"chunk {index} has {length} bytes, expected {expected} of a {self.size}-byte file: "
                "the file changed while it was read, or its size was announced wrong"
            )
        if index in self._indexes:
            return False
        self._file.seek(offset)
        self._file.write(data)
        self._indexes.add(index)
        self.received += length
        return True

    def finish(self, chunks: int) -> Path:
        """The complete file's path, once the browser says it sent `chunks` chunks and all are here."""
        if chunks != self.chunks:
            raise TransferError(
                f"the browser sent {chunks} chunks; a {self.size}-byte file in {self.chunk_size}-byte "
                f"chunks has {self.chunks}"
            )
        missing = sorted(set(range(self.chunks)) - self._indexes)
        if missing:
            shown = ", ".join(map(str, missing[:10])) + (" ..." if len(missing) > 10 else "")
            raise TransferError(f"{len(missing)} of {self.chunks} chunks never arrived: {shown}")
        self._file.close()
        if self.path.stat().st_size != self.size:
            raise TransferError(f"{self.path.stat().st_size} bytes were written, expected {self.size}")
        return self.path

    def discard(self) -> None:
        """Close and remove the temporary file (after an upload, a cancel or a failure)."""
        self._file.close()
        self.path.unlink(missing_ok=True)


def split_relative_path(path: str) -> tuple[str, str]:
    """``'photos/2024/a b.jpg'`` -> ``('photos/2024', 'a b.jpg')``; refuses ``..`` folders, NUL and ``\\``."""
    if "\x00" in path or "\\" in path:
        raise TransferError(f"the path {path!r} contains a NUL or a backslash")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts:
        raise TransferError(f"the path {path!r} names no file")
    if ".." in parts:
        raise TransferError(f"the path {path!r} has '..' as a folder; folders keep their own names only")
    return "/".join(parts[:-1]), parts[-1]


def is_accepted(name: str, mimetype: str, accept: str) -> bool:
    """Whether a file matches an HTML ``accept`` list (``'image/*,.pdf'``); an empty list accepts all."""
    patterns = [p.strip().lower() for p in accept.split(",") if p.strip()]
    if not patterns:
        return True
    suffix = PurePosixPath(name).suffix.lower()
    types = {t for t in (mimetype.lower(), (mimetypes.guess_type(name)[0] or "").lower()) if t}
    for pattern in patterns:
        if pattern.startswith("."):
            if suffix == pattern:
                return True
        elif pattern.endswith("/*"):
            if any(t.startswith(pattern[:-1]) for t in types):
                return True
        elif pattern in types:
            return True
    return False
