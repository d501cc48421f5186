"""``FilterColumn``: the Browser's folder tree and filter controls, and the ``Filters`` they stand for.

The folder tree and the type list come from the dataset's facets (its folders and mimetypes, counted);
the other filters are typed: a name or pattern, annotated or not, a user-metadata field and value, and
a task with its items' status in it (as the platform keeps it, in ``metadata.system.refs``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ...api import Dataset, Filters, FiltersOperations
from ...exceptions import NotFound
from ..base import WidgetBase

ANY = ""
TO_DO = "to do"  # in the task, with no status yet
STATUS_OPTIONS = [
    ("any status", ANY),
    ("to do", TO_DO),
    ("completed", "completed"),
    ("discarded", "discard"),
    ("approved", "approved"),
]
HAS_PREDICTIONS, UNREVIEWED = "predictions", "unreviewed"
PREDICTION_OPTIONS = [
    ("with predictions or not", ANY),
    ("has predictions", HAS_PREDICTIONS),
    ("has unreviewed predictions", UNREVIEWED),
]


class FilterColumn(w.VBox):
    """The Browser's left column. ``on_change()`` runs when the user changes a control or clears them
    all; writes the Browser makes under its ``quietly()`` call nothing."""

    def __init__(self, host: WidgetBase, on_change: Callable[[], None]) -> None:
        self._host = host
        self._on_change = on_change
        self._mimetypes: list[str] = []
        column = {"width": "196px"}
        make = host.shared.make
        self.folders = make(w.Select, options=[("/", "/")], value="/", rows=10, layout=column)
        self.name_filter = make(
            w.Text, placeholder="name or pattern (*.jpg)", continuous_update=False, layout=column
        )
        self.type_filter = make(w.Dropdown, options=[("any type", ANY)], value=ANY, layout=column)
        self.annotated_filter = make(
            w.Dropdown,
            options=[("annotated or not", ANY), ("annotated", "yes"), ("not annotated", "no")],
            value=ANY,
            layout=column,
        )
        self.field_filter = make(
            w.Text, placeholder="user metadata field", continuous_update=False, layout=column
        )
        self.value_filter = make(
            w.Text, placeholder="value (empty: has the field)", continuous_update=False, layout=column
        )
        self.task_filter = make(w.Dropdown, options=[("any task", ANY)], value=ANY, layout=column)
        self.status_filter = make(w.Dropdown, options=STATUS_OPTIONS, value=ANY, layout=column, disabled=True)
        self.prediction_filter = make(w.Dropdown, options=PREDICTION_OPTIONS, value=ANY, layout=column)
        for control in self._controls():
            control.observe(self._on_filter_changed, names="value")
        super().__init__(
            [
                make(w.HTML, value="<b>Folders</b>"),
                self.folders,
                make(w.HTML, value="<b>Filters</b>"),
                *self._controls()[1:],
                host.button("Clear filters", self.clear, "times"),
            ],
            layout=host.shared.layout(width="204px", flex="0 0 auto"),
        )

    def _controls(self) -> list[w.ValueWidget]:
        """The folder tree, then every filter control, in the order they are shown."""
        return [
            self.folders,
            self.name_filter,
            self.type_filter,
            self.annotated_filter,
            self.field_filter,
            self.value_filter,
            self.task_filter,
            self.status_filter,
            self.prediction_filter,
        ]

    def show_facets(self, dataset: Dataset, keep_filters: bool) -> dict[str, int]:
        """The folders and types of ``dataset``; the filters set are kept only when ``keep_filters``.
        Returns the folders with their item counts."""
        directories, mimetypes = _facets(dataset)
        with self._host.quietly():
            folder = self.folders.value if keep_filters else "/"
            self.folders.options = _folder_options(directories)
            self.folders.value = folder if folder in _values(self.folders) else "/"
            kind = self.type_filter.value if keep_filters else ANY
            self.type_filter.options = _type_options(mimetypes)
            self.type_filter.value = kind if kind in _values(self.type_filter) else ANY
            self._mimetypes = list(mimetypes)
            task = self.task_filter.value if keep_filters else ANY
            self.task_filter.options = [("any task", ANY)] + [(t.name, t.id) for t in dataset.tasks.list()]
            self.task_filter.value = task if task in _values(self.task_filter) else ANY
            if not keep_filters:
                for control in (self.name_filter, self.field_filter, self.value_filter):
                    control.value = ""
                self.annotated_filter.value = ANY
                self.status_filter.value = ANY
                self.prediction_filter.value = ANY
            self.status_filter.disabled = not self.task_filter.value
        return directories

    def filters(self, page_size: int) -> Filters:
        """The DQL of the folder and filter controls (the platform's defaults: visible files only)."""
        filters = Filters(page_size=page_size)
        folder = self.folders.value or "/"
        name = self.name_filter.value.strip()
        if name:
            pattern = name if "*" in name else f"*{name}*"
            prefix = folder.rstrip("/")
            # A name directly in the folder, or in any folder below it.
            globs = list(dict.fromkeys([f"{prefix}/{pattern}", f"{prefix}/*/{pattern}"]))
            filters.add(field="filename", values=globs, operator=FiltersOperations.IN)
        elif folder != "/":
            filters.add(field="filename", values=folder.rstrip("/") + "/**")  # everything under the folder
        kind = self.type_filter.value
        if kind.endswith("/*"):
            family = [m for m in self._mimetypes if m.startswith(kind[:-1])]
            filters.add(field="metadata.system.mimetype", values=family, operator=FiltersOperations.IN)
        elif kind:
            filters.add(field="metadata.system.mimetype", values=kind)
        if self.annotated_filter.value:
            filters.add(field="annotated", values=self.annotated_filter.value == "yes")
        field = self.field_filter.value.strip()
        if field:
            text = self.value_filter.value.strip()
            path = f"metadata.user.{field.removeprefix('metadata.').removeprefix('user.')}"
            if text:
                filters.add(field=path, values=_json_or_text(text))
            else:
                filters.add(field=path, values=True, operator=FiltersOperations.EXISTS)
        task_id = self.task_filter.value
        self.status_filter.disabled = not task_id
        if task_id:
            ref = _task_ref(task_id, self.status_filter.value)
            filters.add(field="metadata.system.refs", values=ref, operator=FiltersOperations.MATCH)
        if self.prediction_filter.value:
            _join_predictions(filters, unreviewed=self.prediction_filter.value == UNREVIEWED)
        return filters

    def clear(self) -> None:
        """Every folder, every item: the filters' defaults."""
        with self._host.quietly():
            self.folders.value = "/"
            for control in (self.name_filter, self.field_filter, self.value_filter):
                control.value = ""
            self.type_filter.value = ANY
            self.annotated_filter.value = ANY
            self.prediction_filter.value = ANY
            self.task_filter.value = self.status_filter.value = ANY
        self._on_change()

    def _on_filter_changed(self, _change: dict[str, Any]) -> None:
        if not self._host.is_quiet:
            self._host.attempt(self._on_change)


def folder_counts(dataset: Dataset) -> dict[str, int]:
    """The dataset's folders with their item counts (empty on a platform without the route)."""
    return _facets(dataset)[0]


def _facets(dataset: Dataset) -> tuple[dict[str, int], dict[str, int]]:
    """The dataset's folders and types with their counts. A platform without these two routes answers
    404: the Browser then offers the whole dataset and every type, and still lists, filters and pages."""
    try:
        return dataset.directories(), dataset.mimetypes()
    except NotFound:
        dataset.client.datasets.get(dataset_id=dataset.id)  # a dataset deleted meanwhile: say so
        return {}, {}


def _folder_options(directories: dict[str, int]) -> list[tuple[str, str]]:
    """The folder tree as Select options: each folder (ancestors included) indented under its parent,
    with the number of items in it and below it."""
    if not directories:
        return [("/ (all)", "/")]
    totals: dict[str, int] = defaultdict(int)
    for directory, count in directories.items():
        parts = [p for p in directory.split("/") if p]
        for depth in range(len(parts) + 1):
            totals["/" + "/".join(parts[:depth])] += count
    options = []
    for path in sorted(totals, key=lambda p: [s for s in p.split("/") if s]):
        parts = [s for s in path.split("/") if s]
        label = "/ (all)" if not parts else "  " * len(parts) + parts[-1]
        options.append((f"{label}  ({totals[path]:,})", path))
    return options


def _type_options(mimetypes: dict[str, int]) -> list[tuple[str, str]]:
    """'any type', then each family (``image/*``) with its mimetypes under it, with their counts."""
    families: dict[str, int] = defaultdict(int)
    for mimetype, count in mimetypes.items():
        families[mimetype.split("/")[0]] += count
    options = [("any type", ANY)]
    for family in sorted(families):
        options.append((f"{family}/*  ({families[family]:,})", f"{family}/*"))
        members = sorted(m for m in mimetypes if m.split("/")[0] == family)
        options += [(f"  {m}  ({mimetypes[m]:,})", m) for m in members]
    return options


def _task_ref(task_id: str, status: str) -> dict[str, Any]:
    """The ref an item of the task holds, with this status in it (``TO_DO``: none yet; ANY: any)."""
    ref: dict[str, Any] = {"id": task_id, "type": "task"}
    if status == TO_DO:
        ref["metadata"] = {"status": {"$exists": False}}
    elif status:
        ref["metadata"] = {"status": status}
    return ref


def _join_predictions(filters: Filters, unreviewed: bool) -> None:
    """Items with an annotation a model made (``metadata.user.model``, as dtlpy's ``model_info`` writes
    it); ``unreviewed``: one not accepted yet, still ``metadata.system.automated``."""
    filters.add_join(field="metadata.user.model", values=True, operator=FiltersOperations.EXISTS)
    if unreviewed:
        filters.add_join(field="metadata.system.automated", values=True)


def _json_or_text(text: str) -> Any:
    """A filter value as typed: JSON when it parses (3, true, "3"), else the text itself."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, (str, int, float, bool)) or value is None else text


def _values(picker: w.Dropdown | w.Select) -> list[Any]:
    return [value for _, value in picker.options]
