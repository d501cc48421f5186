"""``ExportJob``: an export written in a background thread, so that the notebook's kernel stays free while it
runs; it reports progress, can be cancelled, and leaves no half-written export. It writes into a staging
folder beside the target and moves the files into the target only once the whole export is written; failed
or cancelled, the staging folder is removed and the target folder is as it was. No ipywidgets here."""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

# ``write(staging folder, progress)`` writes the export there, calling ``progress(items done)`` as it goes,
# and returns the path it wrote (a file or a folder inside the staging folder).
Writer = Callable[[Path, Callable[[int], None]], str]


class ExportCancelled(Exception):
    """Raised inside the export's thread at its next progress report after ``cancel()``."""


class ExportJob:
    """``ExportJob(write, folder, on_progress, on_end).start()``: ``on_progress(done)`` after each part,
    ``on_end(job)`` once it ended (``written``, ``error`` or ``cancelled`` says how), both in its thread."""

    def __init__(
        self,
        write: Writer,
        folder: Path,
        on_progress: Callable[[int], None],
        on_end: Callable[[ExportJob], None],
    ) -> None:
        self.folder = folder
        self._write, self._on_progress, self._on_end = write, on_progress, on_end
        self._staging = folder.parent / f".{folder.name}.partial-{uuid.uuid4().hex[:8]}"
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"export to {folder}", daemon=True)
        self.written = ""  # the path written in ``folder`` (a file or a folder), once it is complete
        self.error: Exception | None = None

    @property
    def is_running(self) -> bool:
        return self._thread.is_alive()

    @property
    def cancelled(self) -> bool:
        return isinstance(self.error, ExportCancelled)

    def start(self) -> ExportJob:
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Stop at the next progress report; nothing of the export is left."""
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until it ended (at most ``timeout`` seconds); True if it did."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _progress(self, done: int) -> None:
        self._on_progress(done)
        if self._cancel.is_set():
            raise ExportCancelled(f"the export to {self.folder} was cancelled; nothing was written")

    def _run(self) -> None:
        try:
            self._staging.mkdir(parents=True)
            written = Path(self._write(self._staging, self._progress))
            if self._cancel.is_set():
                raise ExportCancelled(f"the export to {self.folder} was cancelled; nothing was written")
            self._move_into_place()
            self.written = str(self.folder / written.relative_to(self._staging))
        except Exception as error:  # shown by on_end in the widget: a thread has no one else to tell
            self.error = error
        finally:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._on_end(self)

    def _move_into_place(self) -> None:
        """Each staged file (and folder) into the target folder, over an older export's of that name."""
        for path in sorted(self._staging.rglob("*")):
            target = self.folder / path.relative_to(self._staging)
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
