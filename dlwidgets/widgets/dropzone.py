"""``Dropzone``: drop files or folders (or pick them) in the notebook and watch them arrive as items.

The browser reads each file a slice at a time (``file.slice()``) and sends the slices as custom messages
with one binary buffer each; the kernel writes them into a temporary file and, once the file is
complete, uploads it with ``dataset.items.upload(local_path=...)``. Neither side ever holds a whole
file, and a file that does not complete leaves nothing in the workspace.

The messages are the TypedDicts below (``DropzoneRequest`` from the browser, ``DropzoneReply`` back),
and the same JSDoc typedefs in ``js/dropzone.js``; ``id`` is the browser's name for one file.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import shutil
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypedDict, cast

import anywidget
import traitlets

from ..api import Dataset, Item, remote_dir
from ..exceptions import NotFound, PlatformError
from .assets import asset
from .base import AnyWidgetChrome, Notice
from .models.chunked_upload import ChunkedFile, TransferError, is_accepted, split_relative_path

MIB = 1 << 20
# Colab's frontend fails on messages near 1 MB; elsewhere the Jupyter server allows up to 10 MiB.
COLAB_CHUNK = 1 * MIB
DEFAULT_CHUNK = 4 * MIB


class Begin(TypedDict):
    """A file (``path`` relative, with its folders) is coming in chunks of ``chunk`` bytes. Answered with a
    ``Status``: "uploading" (only then do chunks follow), "skipped" (the item exists) or "failed"."""

    type: Literal["begin"]
    id: str
    path: str
    size: int
    chunk: int
    mimetype: str


class Chunk(TypedDict):
    """Chunk ``index``, at byte ``offset``, is the message's one buffer. Answered with an ``Ack``, or a
    "failed" ``Status``."""

    type: Literal["chunk"]
    id: str
    index: int
    offset: int


class End(TypedDict):
    """Every chunk was sent. Answered with the final ``Status``: "done", "skipped" or "failed"."""

    type: Literal["end"]
    id: str
    chunks: int


class _Cancel(TypedDict):
    type: Literal["cancel"]
    id: str


class Cancel(_Cancel, total=False):
    """Forget the file. Answered "cancelled", or "failed" with the browser's ``reason`` (the file changed
    while it was read)."""

    reason: str


class Finished(TypedDict):
    """The page has no file left to send: the drop is over, however its files ended. Not answered; the
    ``on_batch`` callbacks get the items it made."""

    type: Literal["finished"]


DropzoneRequest = Begin | Chunk | End | Cancel | Finished


class StoredItem(TypedDict):
    """The item a file became."""

    id: str
    filename: str
    size: int | None


class _Status(TypedDict):
    type: Literal["status"]
    id: str
    status: Literal["uploading", "skipped", "done", "failed", "cancelled"]


class Status(_Status, total=False):
    """Where a file is: ``path`` is its item's remote path, ``reason`` why it failed, ``item`` what it
    became ("done")."""

    path: str
    reason: str
    item: StoredItem


class Ack(TypedDict):
    """Chunk ``index`` is written."""

    type: Literal["ack"]
    id: str
    index: int


DropzoneReply = Status | Ack | Notice


def running_on_colab() -> bool:
    """True when ``google.colab`` is importable in this kernel (conservative: any doubt means Colab)."""
    try:
        return importlib.util.find_spec("google.colab") is not None
    except (ImportError, ValueError):
        return False


@dataclasses.dataclass(frozen=True)
class UploadFailure:
    """A file that did not become an item: its remote path (or the dropped name) and why."""

    path: str
    reason: str


@dataclasses.dataclass
class _Incoming:
    file: ChunkedFile
    directory: str  # the remote folder, '/images/sub/'
    name: str

    @property
    def filename(self) -> str:
        return self.directory + self.name


class Dropzone(AnyWidgetChrome, anywidget.AnyWidget):
    """``Dropzone(dataset, remote_path="/images")``: files and folders dropped or picked become items."""

    _esm = asset("dropzone.js")
    _css = asset("dropzone.css")
    remote_path = traitlets.Unicode("/").tag(sync=True)
    overwrite = traitlets.Bool(False).tag(sync=True)
    accept = traitlets.Unicode("").tag(sync=True)
    max_files = traitlets.Int(10_000).tag(sync=True)
    max_file_size = traitlets.Int(0).tag(sync=True)  # bytes; 0: no limit
    max_chunk = traitlets.Int(DEFAULT_CHUNK).tag(sync=True)
    window = traitlets.Int(4).tag(sync=True)  # chunks in flight, unacknowledged
    ack_timeout = traitlets.Float(60.0).tag(sync=True)  # seconds without an answer before giving up

    def __init__(
        self,
        dataset: Dataset,
        remote_path: str = "/",
        *,
        overwrite: bool = False,
        accept: str = "",
        max_files: int = 10_000,
        max_file_size: int = 0,
        max_chunk: int | None = None,
        window: int = 4,
    ) -> None:
        if not isinstance(dataset, Dataset):
            raise TypeError(f"Dropzone needs a Dataset, got {dataset!r}")
        if max_chunk is None:
            max_chunk = COLAB_CHUNK if running_on_colab() else DEFAULT_CHUNK
        super().__init__(
            remote_path=remote_path,
            overwrite=overwrite,
            accept=accept,
            max_files=max_files,
            max_file_size=max_file_size,
            max_chunk=max_chunk,
            window=window,
        )
        self.dataset = dataset
        self.items: list[Item] = []
        self.errors: list[UploadFailure] = []
        self._batch: list[Item] | None = None  # the items of the drop under way, from its first file
        self._incoming: dict[str, _Incoming] = {}
        self._scratch = Path(tempfile.mkdtemp(prefix="dlwidgets-dropzone-"))
        # Half-received files go when the widget does, or when the kernel exits.
        self._cleanup = weakref.finalize(self, shutil.rmtree, self._scratch, True)
        self.on_msg(lambda _widget, content, buffers: self.handle_message(content, buffers))

    def on_upload(self, callback: Callable[[Item], Any], remove: bool = False) -> None:
        """Call ``callback(item)`` after each file becomes an item; a failing callback is shown beside
        the widget and the upload stands."""
        self.callbacks("on_upload").register(callback, remove)

    def on_batch(self, callback: Callable[[list[Item]], Any], remove: bool = False) -> None:
        """Call ``callback(items)`` once a drop is over, with the items it made (maybe fewer than its files,
        or none: some failed or were skipped), so that a view of the dataset is read once per drop."""
        self.callbacks("on_batch").register(callback, remove)

    def close(self) -> None:
        # Also reached from __del__ of a Dropzone whose __init__ raised, before these attributes existed.
        for incoming in getattr(self, "_incoming", {}).values():
            incoming.file.discard()
        if hasattr(self, "_cleanup"):
            self._incoming.clear()
            self._cleanup()
        super().close()

    # -- the protocol ------------------------------------------------------------------------------
    def handle_message(self, content: dict[str, Any], buffers: list[Any] | None = None) -> None:
        """One ``DropzoneRequest`` from the browser; the answer is sent back. Its fields are checked as
        they are read: a malformed message fails its file."""
        kind, file_id = content.get("type"), str(content.get("id"))
        try:
            if kind == "begin":
                self._begin(file_id, cast(Begin, content))
            elif kind == "chunk":
                self._chunk(file_id, cast(Chunk, content), buffers or [])
            elif kind == "end":
                self._end(file_id, int(cast(End, content).get("chunks", -1)))
            elif kind == "cancel":
                self._cancel(file_id, cast(Cancel, content).get("reason"))
            elif kind == "finished":
                self._finished()
        except (TransferError, PlatformError, OSError) as error:
            self._fail(file_id, str(error), content.get("path"))

    def _reply(self, message: DropzoneReply) -> None:
        self.send(message)

    def _begin(self, file_id: str, content: Begin) -> None:
        if self._batch is None:
            self._batch = []
        folder, name = split_relative_path(str(content.get("path", "")))
        directory = remote_dir(self.remote_path.rstrip("/") + "/" + folder)
        size = int(content.get("size", -1))
        if not is_accepted(name, str(content.get("mimetype") or ""), self.accept):
            raise TransferError(f"{name!r} is not of an accepted type ({self.accept})")
        if self.max_file_size and size > self.max_file_size:
            raise TransferError(f"{name!r} has {size:,} bytes; the limit is {self.max_file_size:,}")
        if not self.overwrite and self._exists(directory + name):
            self._reply({"type": "status", "id": file_id, "status": "skipped", "path": directory + name})
            return
        self._discard(file_id)
        chunked = ChunkedFile(size, int(content.get("chunk", 0)), self._scratch)
        self._incoming[file_id] = _Incoming(chunked, directory, name)
        self._reply({"type": "status", "id": file_id, "status": "uploading", "path": directory + name})

    def _chunk(self, file_id: str, content: Chunk, buffers: list[Any]) -> None:
        incoming = self._incoming.get(file_id)
        if incoming is None:
            return  # cancelled or failed already: the browser has stopped caring about it
        if len(buffers) != 1:
            raise TransferError(f"a chunk message carries one buffer, this one {len(buffers)}")
        incoming.file.write(int(content["index"]), int(content["offset"]), buffers[0])
        self._reply({"type": "ack", "id": file_id, "index": content["index"]})

    def _end(self, file_id: str, chunks: int) -> None:
        incoming = self._incoming.get(file_id)
        if incoming is None:
            return
        try:
            path = incoming.file.finish(chunks)
            if not self.overwrite and self._exists(incoming.filename):
                # Another file of the same drop, or another user, got there first.
                self._reply({"type": "status", "id": file_id, "status": "skipped", "path": incoming.filename})
                return
            item = self.dataset.items.upload(
                local_path=str(path),
                remote_path=incoming.directory,
                remote_name=incoming.name,
                overwrite=self.overwrite,
            )
        except (TransferError, PlatformError, OSError) as error:
            self._fail(file_id, str(error), incoming.filename)
            return
        finally:
            self._discard(file_id)
        assert isinstance(item, Item)
        self.items.append(item)
        if self._batch is not None:
            self._batch.append(item)
        self._reply({
            "type": "status", "id": file_id, "status": "done", "path": item.filename,
            "item": {"id": item.id, "filename": item.filename, "size": item.size},
        })  # fmt: skip
        self.callbacks("on_upload").fire(item)

    def _finished(self) -> None:
        batch, self._batch = self._batch, None
        if batch is not None:
            self.callbacks("on_batch").fire(batch)

    def _cancel(self, file_id: str, reason: str | None) -> None:
        incoming = self._incoming.get(file_id)
        self._discard(file_id)
        if reason:
            self._fail(file_id, str(reason), incoming.filename if incoming else None)
        else:
            self._reply({"type": "status", "id": file_id, "status": "cancelled"})

    def _fail(self, file_id: str, reason: str, path: str | None) -> None:
        incoming = self._incoming.get(file_id)
        self._discard(file_id)
        shown = incoming.filename if incoming else str(path or file_id)
        self.errors.append(UploadFailure(shown, reason))
        self._reply({"type": "status", "id": file_id, "status": "failed", "reason": reason, "path": shown})

    def _discard(self, file_id: str) -> None:
        incoming = self._incoming.pop(file_id, None)
        if incoming is not None:
            incoming.file.discard()

    def _exists(self, filename: str) -> bool:
        try:
            self.dataset.items.get(filepath=filename)
        except NotFound:
            return False
        return True
