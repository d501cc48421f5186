"""``ExportForm``: the Browser's "Export" action. The dataset, the items its filters show, or the selection,
written in COCO, YOLO, VOC or Dataloop JSON into a folder by ``dw.Converter``, with a progress bar; refusals
(no dataset, nothing selected, a folder that is a file) are shown in the Browser's status line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from ...api import AnnotationFormat, Converter, Dataset, Filters, FiltersOperations, Item
from ..base import WidgetBase

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
        super().__init__(
            [
                w.HBox([self.scope, self.format]),
                w.HBox([self.folder, self.with_images]),
                w.HBox(
                    [host.button("Export", self.export, "download", "write the annotations"), self.progress]
                ),
            ]
        )
        self.layout.display = "none"
        self.add_class("dlw-export")

    def export(self) -> str:
        """Write the chosen items' annotations; returns the path written (shown in the status line)."""
        dataset = self._dataset()
        if dataset is None:
            raise ValueError("choose a dataset to export first")
        folder = Path(self.folder.value.strip() or ".").expanduser()
        filters, count = self._filters()
        chosen = AnnotationFormat(self.format.value)
        self.progress.max = max(count, 1)
        self.progress.value = 0
        self.progress.bar_style = ""
        self.progress.layout.visibility = "visible"
        self.progress.description = f"0 / {count:,}"

        def advance(done: int) -> None:
            self.progress.value = min(done, self.progress.max)
            self.progress.description = f"{done:,} / {count:,}"

        try:
            self.written = Converter().convert_dataset(
                dataset=dataset,
                to_format=chosen,
                local_path=folder,
                filters=filters,
                with_images=bool(self.with_images.value),
                progress=advance,
            )
        except Exception:
            self.progress.bar_style = "danger"
            raise
        self.progress.value = self.progress.max
        self.progress.bar_style = "success"
        self._host.notice(
            f"exported {count:,} items as {chosen.value.upper()} to {self.written}", "dlw-exported"
        )
        return self.written

    def _filters(self) -> tuple[Filters, int]:
        """The DQL of the chosen scope, and how many items it matches."""
        scope = self.scope.value
        if scope == SELECTION:
            ids = [item.id for item in self._selected()]
            if not ids:
                raise ValueError("nothing is selected: select items in the grid, or export the dataset")
            filters = Filters(page_size=PAGE_SIZE)
            filters.add(field="id", values=ids, operator=FiltersOperations.IN)
            return filters, len(ids)
        filters = self._shown() if scope == SHOWN else Filters()
        filters.page_size = PAGE_SIZE
        dataset = self._dataset()
        assert dataset is not None
        return filters, dataset.items.list(filters=filters).items_count

    def toggle(self, *_: Any) -> None:
        self.layout.display = "" if self.layout.display == "none" else "none"
