"""``Browser``: pick a project and a dataset, filter and page through its items as thumbnails, select some,
and read or edit one item's metadata.

``browser.selected_items`` is what the other widgets take: ``dw.Annotator(browser.selected_items)``.

The item grid is an anywidget (``ItemGrid``): selection with click, Ctrl-click and Shift-click happens in
the browser, and thumbnails travel as binary buffers. Pages are walked by keyset (each page starts after
the previous page's last id), so a page deep in a dataset of 100,000 items costs what the first one
does. Pickers, filters, the folder tree and the detail pane are plain ipywidgets. Every name is shown as
text: the grid sets it with ``textContent``, pickers as option text, and HTML panes escape it.
"""

from __future__ import annotations

import copy
import html
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import ipywidgets as w

from ..api import Client, Dataset, Filters, FiltersOperations, Item, Project, default
from ..exceptions import NotFound
from .base import NOTICE, WidgetBase, status_html
from .item_grid import ItemGrid, card, item_thumbnail

T = TypeVar("T")
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
ANY = ""
# Detail-pane fields of ``metadata.system``, in the order shown.
SYSTEM_FIELDS = ("mimetype", "size", "width", "height", "originalname", "encoding")


class Browser(WidgetBase):
    """``Browser(client=None)``: the projects, datasets and items of ``client`` (the default client, that
    ``dw.connect`` or ``dw.Login`` chose, when None)."""

    def __init__(self, client: Client | None = None, *, page_size: int = PAGE_SIZE) -> None:
        if not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}, got {page_size!r}")
        super().__init__()
        self.client = client if client is not None else default.client()
        self._page_size = page_size
        self._projects: dict[str, Project] = {}
        self._datasets: dict[str, Dataset] = {}
        self._pages: _KeysetPages | None = None
        self._page_items: dict[str, Item] = {}  # replaced, never mutated: thumbnail threads read it
        self._selected: dict[str, Item] = {}
        self._active: Item | None = None
        self._mimetypes: list[str] = []
        self._build()
        self.children = [
            self._pickers,
            self._new_project_form,
            self._new_dataset_form,
            w.HBox([self._filter_column, self._center, self._detail], layout=w.Layout(width="100%")),
            self.status_line,
        ]
        self.add_class("dlw-browser")
        self.attempt(self._load_projects)

    # -- public surface ---------------------------------------------------------------------------
    @property
    def project(self) -> Project | None:
        return self._projects.get(self._project_picker.value or "")

    @property
    def dataset(self) -> Dataset | None:
        return self._datasets.get(self._dataset_picker.value or "")

    @dataset.setter
    def dataset(self, dataset: Dataset) -> None:
        """Show ``dataset`` (choosing its project first)."""
        if dataset.project_id not in self._projects:
            self._load_projects(dataset.project_id, dataset.id)
        else:
            self._choose_project(dataset.project_id, dataset.id)

    @property
    def items(self) -> list[Item]:
        """The items of the page shown."""
        return list(self._pages.items) if self._pages else []

    @property
    def selected_items(self) -> list[Item]:
        """The selected items, in the order they were selected (across pages and filters)."""
        return [self._selected[i] for i in self.grid.selected_ids if i in self._selected]

    @property
    def filters(self) -> Filters:
        """The filters the grid shows, as a ``dw.Filters`` (e.g. for ``dw.Annotator(dataset, filters=)``)."""
        return self._filters()

    def on_select(self, callback: Callable[[list[Item]], None], remove: bool = False) -> None:
        """Call ``callback(selected_items)`` whenever the selection changes."""
        self.callbacks("on_select").register(callback, remove)

    def on_dataset(self, callback: Callable[[Dataset], None], remove: bool = False) -> None:
        """Call ``callback(dataset)`` whenever another dataset is shown."""
        self.callbacks("on_dataset").register(callback, remove)

    def select(self, items: Sequence[Item | str]) -> None:
        """Select these items (or ids), replacing the selection."""
        for entry in items:
            if isinstance(entry, Item):
                self._selected[entry.id] = entry
        ids = [entry.id if isinstance(entry, Item) else entry for entry in items]
        with self.grid.hold_sync():
            self.grid.selected_ids = ids
            self.grid.active_id = ids[-1] if ids else ""

    def next_page(self) -> None:
        self.attempt(lambda: self._page("next"))

    def previous_page(self) -> None:
        self.attempt(lambda: self._page("previous"))

    def refresh(self) -> None:
        """Read the dataset again: its folders, its types and the first page under the filters."""
        dataset = self.dataset
        if dataset is not None:
            self.attempt(lambda: self._show_dataset(dataset, keep_filters=True))

    def download(self, local_path: str | Path | None = None) -> list[str]:
        """Save the selected items' bytes in the folder ``local_path`` (the current one by default)."""
        folder = Path(local_path) if local_path is not None else Path.cwd()
        return [item.download(local_path=folder) for item in self.selected_items]

    # -- building the widgets -----------------------------------------------------------------------
    def _build(self) -> None:
        self._project_picker = w.Dropdown(description="project", layout=w.Layout(width="300px"))
        self._dataset_picker = w.Dropdown(description="dataset", layout=w.Layout(width="300px"))
        self._project_picker.observe(self._on_project_picked, names="value")
        self._dataset_picker.observe(self._on_dataset_picked, names="value")
        self._pickers = w.HBox(
            [
                self._project_picker,
                self.button("New project", lambda: self._toggle_form(self._new_project_form), "plus"),
                self._dataset_picker,
                self.button("New dataset", lambda: self._toggle_form(self._new_dataset_form), "plus"),
            ]
        )
        self._new_project_name = w.Text(placeholder="new project name", layout=w.Layout(width="260px"))
        self._new_project_form = _form(
            self._new_project_name, self.button("Create project", self._create_project, "check")
        )
        self._new_dataset_hint = w.HTML()
        self._new_dataset_name = w.Text(placeholder="new dataset name", layout=w.Layout(width="260px"))
        self._new_dataset_form = _form(
            self._new_dataset_name,
            self.button("Create dataset", self._create_dataset, "check"),
            self._new_dataset_hint,
        )

        column = w.Layout(width="196px")
        self._folders = w.Select(options=[("/", "/")], value="/", rows=10, layout=column)
        self._name_filter = w.Text(
            placeholder="name or pattern (*.jpg)", continuous_update=False, layout=column
        )
        self._type_filter = w.Dropdown(options=[("any type", ANY)], value=ANY, layout=column)
        self._annotated_filter = w.Dropdown(
            options=[("annotated or not", ANY), ("annotated", "yes"), ("not annotated", "no")],
            value=ANY,
            layout=column,
        )
        self._field_filter = w.Text(placeholder="user metadata field", continuous_update=False, layout=column)
        self._value_filter = w.Text(
            placeholder="value (empty: has the field)", continuous_update=False, layout=column
        )
        for control in self._filter_controls():
            control.observe(self._on_filter_changed, names="value")
        self._filter_column = w.VBox(
            [
                w.HTML("<b>Folders</b>"),
                self._folders,
                w.HTML("<b>Filters</b>"),
                self._name_filter,
                self._type_filter,
                self._annotated_filter,
                self._field_filter,
                self._value_filter,
                self.button("Clear filters", self._clear_filters, "times"),
            ],
            layout=w.Layout(width="204px", flex="0 0 auto"),
        )

        self.grid = ItemGrid(on_page=self._on_grid_page, fetch_thumbnail=self._thumbnail)
        self.grid.observe(self._on_selection, names="selected_ids")
        self.grid.observe(self._on_active, names="active_id")
        self._selection_info = w.HTML()
        self._center = w.VBox(
            [
                self.grid,
                w.HBox(
                    [
                        self._selection_info,
                        self.button("Clear selection", lambda: self.select([]), "times"),
                    ]
                ),
            ],
            layout=w.Layout(flex="1 1 auto", min_width="280px"),
        )

        self._detail_title = w.HTML("<i>select an item to see its metadata</i>")
        self._detail_system = w.HTML()
        self._user_metadata = w.Textarea(rows=7, layout=w.Layout(width="96%"), placeholder='{"key": "value"}')
        self._download_folder = w.Text(
            value=".",
            description="to folder",
            style={"description_width": "60px"},
            layout=w.Layout(width="96%"),
        )
        self._detail_status = w.HTML()
        self._detail_body = w.VBox(
            [
                self._detail_system,
                w.HTML("<b>User metadata</b> (JSON)"),
                self._user_metadata,
                self.button("Save metadata", self._save_metadata, "save"),
                self._download_folder,
                self.button("Download", self._download_active, "download"),
                self._detail_status,
            ]
        )
        self._detail = w.VBox(
            [self._detail_title, self._detail_body],
            layout=w.Layout(width="270px", flex="0 0 auto", padding="0 0 0 8px"),
        )
        self.status_line.layout.min_height = "24px"
        self._show_detail(None)

    def _filter_controls(self) -> list[w.ValueWidget]:
        return [
            self._folders,
            self._name_filter,
            self._type_filter,
            self._annotated_filter,
            self._field_filter,
            self._value_filter,
        ]

    # -- projects and datasets --------------------------------------------------------------------
    def _load_projects(self, project_id: str | None = None, dataset_id: str | None = None) -> None:
        projects = self.client.projects.list()
        self._projects = {p.id: p for p in projects}
        with self.quietly():
            self._project_picker.options = [(p.name, p.id) for p in projects]
            self._project_picker.value = None
        if not projects:
            self._clear_dataset("No projects yet: create one with “New project”.")
            self._show_datasets([])
            self._open_form(self._new_project_form)
            return
        self._choose_project(project_id or projects[0].id, dataset_id)

    def _choose_project(self, project_id: str, dataset_id: str | None = None) -> None:
        """Show the project's datasets and open ``dataset_id`` (the first one when None)."""
        if project_id not in self._projects:
            raise NotFound(f"Project not found: no project has id {project_id!r}")
        if self._project_picker.value == project_id and dataset_id in self._datasets:
            self._choose_dataset(dataset_id)
            return
        with self.quietly():
            self._project_picker.value = project_id
        self._show_datasets(list(self._projects[project_id].datasets.list()), choose=dataset_id)

    def _show_datasets(self, datasets: list[Dataset], choose: str | None = None) -> None:
        project = self.project
        if choose is not None and choose not in {d.id for d in datasets}:
            where = f"project {project.name!r}" if project else "this project"
            raise NotFound(f"Dataset not found: {where} has no dataset with id {choose!r}")
        self._datasets = {d.id: d for d in datasets}
        with self.quietly():
            self._dataset_picker.options = [(d.name, d.id) for d in datasets]
            self._dataset_picker.value = None
        self._dataset_picker.disabled = not datasets
        if not datasets:
            if project is not None:
                text = f"Project {project.name!r} has no datasets yet: create the first one."
                self._new_dataset_hint.value = f"<i>{html.escape(text)}</i>"
                self._clear_dataset(text)
                self._open_form(self._new_dataset_form)
            return
        self._new_dataset_hint.value = ""
        self._close_form(self._new_dataset_form)
        self._choose_dataset(choose or datasets[0].id)

    def _choose_dataset(self, dataset_id: str) -> None:
        if self._dataset_picker.value != dataset_id:
            with self.quietly():
                self._dataset_picker.value = dataset_id
        self._show_dataset(self._datasets[dataset_id])

    def _on_project_picked(self, change: dict[str, Any]) -> None:
        if not self.is_quiet and change["new"]:
            project = self._projects[change["new"]]
            self.attempt(lambda: self._show_datasets(list(project.datasets.list())))

    def _on_dataset_picked(self, change: dict[str, Any]) -> None:
        if not self.is_quiet and change["new"]:
            dataset = self._datasets[change["new"]]
            self.attempt(lambda: self._show_dataset(dataset))

    def _create_project(self) -> None:
        name = self._new_project_name.value.strip()
        if not name:
            raise ValueError("type a name for the new project")
        project = self.client.projects.create(project_name=name)
        self._new_project_name.value = ""
        self._close_form(self._new_project_form)
        self._load_projects(project.id)
        self.notice(f"created project {project.name!r}")

    def _create_dataset(self) -> None:
        project = self.project
        if project is None:
            raise ValueError("create or choose a project first")
        name = self._new_dataset_name.value.strip()
        if not name:
            raise ValueError("type a name for the new dataset")
        dataset = project.datasets.create(dataset_name=name)
        self._new_dataset_name.value = ""
        self._show_datasets(list(project.datasets.list()), choose=dataset.id)
        self.notice(f"created dataset {dataset.name!r}")

    # -- the dataset's items ----------------------------------------------------------------------
    def _show_dataset(self, dataset: Dataset, keep_filters: bool = False) -> None:
        """Folders and types of ``dataset``, then its first page; the selection is kept only on refresh."""
        directories, mimetypes = _facets(dataset)
        with self.quietly():
            folder = self._folders.value if keep_filters else "/"
            self._folders.options = _folder_options(directories)
            self._folders.value = folder if folder in _values(self._folders) else "/"
            kind = self._type_filter.value if keep_filters else ANY
            self._type_filter.options = _type_options(mimetypes)
            self._type_filter.value = kind if kind in _values(self._type_filter) else ANY
            self._mimetypes = list(mimetypes)
            if not keep_filters:
                for control in (self._name_filter, self._field_filter, self._value_filter):
                    control.value = ""
                self._annotated_filter.value = ANY
        if not keep_filters:
            self._selected = {}
            self.select([])
        self._load_pages()
        if not keep_filters:
            self.callbacks("on_dataset").fire(dataset)

    def _clear_dataset(self, message: str) -> None:
        self._pages = None
        self._page_items = {}
        self._selected = {}
        self.select([])
        with self.grid.hold_sync():
            self.grid.cards = []
            self.grid.page_label = ""
            self.grid.has_previous = self.grid.has_next = False
            self.grid.empty_text = message

    def _filters(self) -> Filters:
        """The DQL of the folder and filter controls (the platform's defaults: visible files only)."""
        filters = Filters(page_size=self._page_size)
        folder = self._folders.value or "/"
        name = self._name_filter.value.strip()
        if name:
            pattern = name if "*" in name else f"*{name}*"
            prefix = folder.rstrip("/")
            # A name directly in the folder, or in any folder below it.
            globs = list(dict.fromkeys([f"{prefix}/{pattern}", f"{prefix}/*/{pattern}"]))
            filters.add(field="filename", values=globs, operator=FiltersOperations.IN)
        elif folder != "/":
            filters.add(field="filename", values=folder.rstrip("/") + "/**")  # everything under the folder
        kind = self._type_filter.value
        if kind.endswith("/*"):
            family = [m for m in self._mimetypes if m.startswith(kind[:-1])]
            filters.add(field="metadata.system.mimetype", values=family, operator=FiltersOperations.IN)
        elif kind:
            filters.add(field="metadata.system.mimetype", values=kind)
        if self._annotated_filter.value:
            filters.add(field="annotated", values=self._annotated_filter.value == "yes")
        field = self._field_filter.value.strip()
        if field:
            text = self._value_filter.value.strip()
            path = f"metadata.user.{field.removeprefix('metadata.').removeprefix('user.')}"
            if text:
                filters.add(field=path, values=_json_or_text(text))
            else:
                filters.add(field=path, values=True, operator=FiltersOperations.EXISTS)
        return filters

    def _load_pages(self) -> None:
        dataset = self.dataset
        if dataset is None:
            return
        self._pages = _KeysetPages(dataset, self._filters(), self._page_size)
        self._show_page()

    def _show_page(self) -> None:
        pages = self._pages
        assert pages is not None
        self._page_items = {item.id: item for item in pages.items}
        start = pages.index * self._page_size
        if pages.total:
            label = f"{start + 1:,}-{start + len(pages.items):,} of {pages.total:,}"
        else:
            label = "no items"
        dataset = self.dataset
        if self._filters().prepare()["filter"] != Filters().prepare()["filter"]:
            empty = "No items match these filters."
        else:
            empty = f"Dataset {dataset.name if dataset else ''!r} has no items yet."
        with self.grid.hold_sync():
            self.grid.cards = [card(item) for item in pages.items]
            self.grid.page_label = label
            self.grid.has_previous = pages.index > 0
            self.grid.has_next = pages.has_next
            self.grid.empty_text = empty

    def _page(self, to: str) -> None:
        if self._pages is None:
            return
        moved = self._pages.next() if to == "next" else self._pages.previous()
        if moved:
            self._show_page()

    def _on_grid_page(self, to: str) -> None:
        self.attempt(lambda: self._page(to))

    def _on_filter_changed(self, _change: dict[str, Any]) -> None:
        if not self.is_quiet:
            self.attempt(self._load_pages)

    def _clear_filters(self) -> None:
        with self.quietly():
            self._folders.value = "/"
            for control in (self._name_filter, self._field_filter, self._value_filter):
                control.value = ""
            self._type_filter.value = ANY
            self._annotated_filter.value = ANY
        self._load_pages()

    def _thumbnail(self, item_id: str) -> bytes | None:
        """The thumbnail of an item of the page shown (called on the feed's worker threads)."""
        return item_thumbnail(self._page_items.get(item_id))

    # -- selection and the detail pane ------------------------------------------------------------
    def _on_selection(self, change: dict[str, Any]) -> None:
        def update() -> None:
            known = {**self._page_items, **self._selected}
            self._selected = {
                i: known[i] if i in known else self.client.items.get(item_id=i) for i in change["new"]
            }

        self.attempt(update)
        count = len(self._selected)
        self._selection_info.value = (
            f"<span class='dlw-selection'>{count:,} selected</span>" if count else "<i>nothing selected</i>"
        )
        self.callbacks("on_select").fire(self.selected_items)

    def _on_active(self, change: dict[str, Any]) -> None:
        item_id = change["new"]
        if not item_id:
            self._show_detail(None)
            return
        known = {**self._page_items, **self._selected}
        item = known.get(item_id) or self.attempt(lambda: self.client.items.get(item_id=item_id))
        self._show_detail(item)

    def _show_detail(self, item: Item | None) -> None:
        self._active = item
        self._detail_status.value = ""
        if item is None:
            self._detail_title.value = "<i>select an item to see its metadata</i>"
            self._detail_body.layout.display = "none"
            return
        self._detail_body.layout.display = ""
        self._detail_title.value = (
            f"<b class='dlw-detail-name'>{html.escape(item.name)}</b><br>"
            f"<span class='dlw-detail-path'>{html.escape(item.filename)}</span>"
        )
        self._detail_system.value = _system_table(item)
        user = item.metadata.get("user", {})
        self._user_metadata.value = json.dumps(user, indent=2, ensure_ascii=False) if user else "{}"

    def _save_metadata(self) -> None:
        item = self._active
        if item is None:
            raise ValueError("select an item first")
        text = self._user_metadata.value.strip() or "{}"
        try:
            user = json.loads(text)
        except ValueError as error:
            raise ValueError(f"the user metadata is not valid JSON ({error})") from None
        if not isinstance(user, dict):
            raise ValueError(
                f'user metadata must be a JSON object such as {{"quality": "good"}}, got {text!r}'
            )
        item.metadata["user"] = user
        saved = item.update()
        self._replace(saved)
        self._show_detail(saved)
        self._detail_status.value = status_html(NOTICE, "metadata saved")

    def _replace(self, item: Item) -> None:
        """Put a fresh copy of an item wherever the widget keeps it."""
        if self._pages is not None:
            self._pages.items = [item if i.id == item.id else i for i in self._pages.items]
            self._page_items = {i.id: i for i in self._pages.items}
        if item.id in self._selected:
            self._selected = {k: item if k == item.id else v for k, v in self._selected.items()}

    def _download_active(self) -> None:
        item = self._active
        if item is None:
            raise ValueError("select an item first")
        path = item.download(local_path=Path(self._download_folder.value.strip() or "."))
        self._detail_status.value = status_html(NOTICE, f"saved to {path}")

    # -- forms, errors and notices ------------------------------------------------------------------
    def _open_form(self, form: w.Box) -> None:
        form.layout.display = ""

    def _toggle_form(self, form: w.Box) -> None:
        form.layout.display = "" if form.layout.display == "none" else "none"

    def _close_form(self, form: w.Box) -> None:
        form.layout.display = "none"


class _KeysetPages:
    """A dataset's items under filters, a page at a time. Page n+1 is the items after page n's last id,
    so every page is an index range scan however deep it lies; the start of each page visited is kept
    for Previous."""

    def __init__(self, dataset: Dataset, filters: Filters, page_size: int) -> None:
        self._dataset = dataset
        self._filters = filters
        self._page_size = page_size
        first = dataset.items.list(filters=filters, page_size=page_size)
        self.total = first.items_count
        self.items: list[Item] = list(first.items)
        self.has_next = first.has_next_page
        self._starts: list[str | None] = [None]

    @property
    def index(self) -> int:
        return len(self._starts) - 1

    def next(self) -> bool:
        if not self.has_next or not self.items:
            return False
        after = self.items[-1].id
        self._load(after)
        self._starts.append(after)
        return True

    def previous(self) -> bool:
        if len(self._starts) < 2:
            return False
        self._load(self._starts[-2])
        self._starts.pop()
        return True

    def _load(self, after: str | None) -> None:
        filters = copy.deepcopy(self._filters)
        if after is not None:
            filters.add(field="id", values=after, operator=FiltersOperations.GREATER_THAN)
        page = self._dataset.items.list(filters=filters, page_size=self._page_size)
        self.items, self.has_next = list(page.items), page.has_next_page


def _facets(dataset: Dataset) -> tuple[dict[str, int], dict[str, int]]:
    """The dataset's folders and types with their counts. A platform without these two routes answers
    404: the Browser then offers the whole dataset and every type, and still lists, filters and pages."""
    try:
        return dataset.directories(), dataset.mimetypes()
    except NotFound:
        dataset.client.request("GET", f"/datasets/{dataset.id}")  # a dataset deleted meanwhile: say so
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


def _json_or_text(text: str) -> Any:
    """A filter value as typed: JSON when it parses (3, true, "3"), else the text itself."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, (str, int, float, bool)) or value is None else text


def _system_table(item: Item) -> str:
    system = item.system
    rows = [("id", item.id), ("annotations", str(item.annotations_count or 0))]
    rows += [(key, str(system[key])) for key in SYSTEM_FIELDS if key in system]
    rows += [("created", item.created_at or ""), ("creator", item.creator or "")]
    cell = "padding:1px 8px 1px 0;text-align:left;vertical-align:top;border:none"
    cells = "".join(
        f"<tr><td style='{cell};color:#666'>{html.escape(k)}</td>"
        f"<td style='{cell};word-break:break-all'>{html.escape(v)}</td></tr>"
        for k, v in rows
    )
    others = {k: v for k, v in item.metadata.items() if k not in ("system", "user")}
    extra = ""
    if others:
        extra = f"<pre class='dlw-other-metadata'>{html.escape(json.dumps(others, indent=2))}</pre>"
    table = "border-collapse:collapse;font-size:12px;line-height:1.4;margin:0"
    return f"<table class='dlw-system' style='{table}'>{cells}</table>{extra}"


def _values(picker: w.Dropdown | w.Select) -> list[Any]:
    return [value for _, value in picker.options]


def _form(name: w.Text, submit: w.Button, *above: w.Widget) -> w.VBox:
    form = w.VBox([*above, w.HBox([name, submit])])
    form.layout.display = "none"
    return form
