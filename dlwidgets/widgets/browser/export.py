"""``ExportForm``: the Browser's "Export" action. The dataset, the items its filters show, or the selection,
written in COCO, YOLO, VOC or Dataloop JSON into a folder by ``dw.Converter``, in the background (the
notebook stays free) with a progress bar and a Cancel; refusals (no dataset, nothing selected, a folder
that is a file) and failures are shown in the Browser's status line, and a failed or cancelled export
leaves nothing in the folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from ...api import AnnotationFormat, Converter, Dataset, Filters, FiltersOperations, Item
from ..base import WidgetBase, describe
from ..models.export_job import ExportJob

PAGE_SIZE = 100  # items per page of the export: the progress bar moves once a page

DATASET, SHOWN, SELECTION = "dataset", "shown", "selection"
SCOPES = [
    ("the whole dataset", DATASET),
    ("the items shown (filters)", SHOWN),
    ("the selected items", SELECTION),
]
FORMATS = [("COCO", AnnotationFormat.COCO), ("YOLO", AnnotationFormat.YOLO), ("VOC", AnnotationFormat.VOC),
           ("Dataloop JSON", AnnotationFormat.DATALOOP)]  # fmt: skip


class ExportForm(w.VBox):
    """What to export, in which format, to which folder; ``export()`` does it (the Export button's action).
    ``dataset``, ``shown`` and ``selected`` read the Browser's state when the button is pressed."""

    def __init__(
        self,
        host: WidgetBase,
        dataset: Callable[[], Dataset | None],
        shown: Callable[[], Filters],
        selected: Callable[[], list[Item]],
    ) -> None:
        self._host = host
        self._dataset, self._shown, self._selected = dataset, shown, selected
        self.scope = w.Dropdown(options=SCOPES, value=DATASET, description="export")
        self.format = w.Dropdown(options=FORMATS, value=AnnotationFormat.COCO, description="format")
        self.folder = w.Text(value="export", description="folder", placeholder="a folder to write into")
        self.with_images = w.Checkbox(value=False, description="with the images", indent=False)
        self.progress = w.IntProgress(value=0, min=0, max=1, description="", layout=w.Layout(width="300px"))
        self.progress.layout.visibility = "hidden"
        self.written = ""  # the path the last export wrote (a file for COCO, else a folder)
        self.job: ExportJob | None = None  # the last export started
        self.page_size = PAGE_SIZE
        self._export_button = host.button("Export", self.export, "download", "write the annotations")
        self._cancel_button = host.button(  # a layout of its own: hidden while no export runs
            "Cancel", self.cancel, "times", "stop the export: nothing is left", layout=w.Layout(width="auto")
        )
        self._cancel_button.layout.display = "none"
        super().__init__(
            [
                w.HBox([self.scope, self.format]),
                w.HBox([self.folder, self.with_images]),
                w.HBox([self._export_button, self.progress, self._cancel_button]),
            ]
        )
        self.layout.display = "none"
        self.add_class("dlw-export")

    def export(self) -> ExportJob:
        """Start writing the chosen items' annotations in the background (the notebook stays free); the
        progress bar follows it, Cancel stops it, and the status line says where it was written or why
        not. Returns the running export (``wait()`` for it)."""
        if self.job is not None and self.job.is_running:
            raise ValueError("an export is running: wait for it, or cancel it first")
        dataset = self._dataset()
        if dataset is None:
            raise ValueError("choose a dataset to export first")
        folder = Path(self.folder.value.strip() or ".").expanduser().absolute()
        self.progress.layout.visibility = "visible"
        if folder.is_file():
            self.progress.bar_style = "danger"
            raise ValueError(f"the folder to export into is a file: {str(folder)!r}; give a folder")
        filters, count = self._filters()
        chosen = AnnotationFormat(self.format.value)
        with_images = bool(self.with_images.value)
        self.progress.max = max(count, 1)
        self.progress.value = 0
        self.progress.bar_style = ""
        self.progress.description = f"0 / {count:,}"
        self.written = ""

        def write(staging: Path, progress: Callable[[int], None]) -> str:
            return Converter().convert_dataset(
                dataset=dataset,
                to_format=chosen,
                local_path=staging,
                filters=filters,
                with_images=with_images,
                progress=progress,
            )

        def advance(done: int) -> None:
            self.progress.value = min(done, self.progress.max)
            self.progress.description = f"{done:,} / {count:,}"

        def ended(job: ExportJob) -> None:
            self._running(False)
            if job.error is None:
                self.written = job.written
                self.progress.value = self.progress.max
                self.progress.bar_style = "success"
                self._host.notice(
                    f"exported {count:,} items as {chosen.value.upper()} to {job.written}", "dlw-exported"
                )
            elif job.cancelled:
                self.progress.bar_style = "warning"
                self._host.notice(describe(job.error), "dlw-export-cancelled")
            else:
                self.progress.bar_style = "danger"
                self._host.error(
                    f"the export to {folder} failed, and nothing was written: {describe(job.error)}"
                )

        self.job = ExportJob(write, folder, advance, ended)
        self._running(True)
        self._host.notice(f"exporting {count:,} items as {chosen.value.upper()} to {folder}…")
        return self.job.start()

    def cancel(self) -> None:
        """Stop the running export; nothing of it is left in the folder."""
        if self.job is None or not self.job.is_running:
            raise ValueError("no export is running")
        self.job.cancel()

    def _running(self, running: bool) -> None:
        self._export_button.disabled = running
        self._cancel_button.layout.display = "" if running else "none"

    def _filters(self) -> tuple[Filters, int]:
        """The DQL of the chosen scope, and how many items it matches."""
        scope = self.scope.value
        if scope == SELECTION:
            ids = [item.id for item in self._selected()]
            if not ids:
                raise ValueError("nothing is selected: select items in the grid, or export the dataset")
            filters = Filters(page_size=self.page_size)
            filters.add(field="id", values=ids, operator=FiltersOperations.IN)
            return filters, len(ids)
        filters = self._shown() if scope == SHOWN else Filters()
        filters.page_size = self.page_size
        dataset = self._dataset()
        assert dataset is not None
        return filters, dataset.items.list(filters=filters).items_count

    def toggle(self, *_: Any) -> None:
        self.layout.display = "" if self.layout.display == "none" else "none"

    def close(self) -> None:
        """Close the form; an export still running is cancelled (nothing of it is left)."""
        if self.job is not None and self.job.is_running:
            self.job.cancel()
        super().close()
