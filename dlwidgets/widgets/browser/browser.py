"""``Browser``: pick a project and a dataset, filter and page through its items as thumbnails, select some,
and read or edit one item's metadata.

``browser.selected_items`` is what the other widgets take: ``dw.Annotator(browser.selected_items)``.

The item grid is an anywidget (``ItemGrid``): selection with click, Ctrl-click, Shift-click and the arrow
keys happens in the browser, a double-click (or Enter) opens an item (``on_open``), and thumbnails
travel as binary buffers. Pages are walked by keyset (each page starts after the previous page's last
id), so a page deep in a dataset of 100,000 items costs what the first one does. Pickers, filters, the
folder tree and the detail pane are plain ipywidgets. Every name is shown as text: the grid sets it with
``textContent``, pickers as option text, and HTML panes escape it.

The Refresh button reads the dataset again; in IPython the Browser also does so after each cell run that
changed the dataset's folders or item counts (items uploaded in a later cell of the notebook).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ipywidgets as w

from ...api import Client, Dataset, Filters, Item, PagedEntities, Project, default
from ..base import WidgetBase
from ..item_grid import ItemGrid, card, item_thumbnail
from .detail import DetailPane
from .export import ExportForm
from .filters import FilterColumn, folder_counts
from .pickers import Pickers

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class Browser(WidgetBase):
    """``Browser(client=None)``: the projects, datasets and items of ``client`` (the default client, that
    ``dw.connect`` or ``dw.Login`` chose, when None)."""

    def __init__(self, client: Client | None = None, *, page_size: int = PAGE_SIZE) -> None:
        if not isinstance(page_size, int) or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be a whole number from 1 to {MAX_PAGE_SIZE}, got {page_size!r}")
        super().__init__()
        self.client = client if client is not None else default.client()
        self._page_size = page_size
        self._pages: PagedEntities[Item] | None = None
        self._page_items: dict[str, Item] = {}  # replaced, never mutated: thumbnail threads read it
        self._selected: dict[str, Item] = {}
        self._folders_shown: dict[str, int] | None = None  # the folder counts of the last reading
        self._unfollow_cells = _after_each_cell(self)
        self._build()
        self.children = [
            self._top_row,
            self._forms,
            self.shared.make(
                w.HBox,
                children=[self.filter_column, self._center, self.detail_pane],
                layout={"width": "100%"},
            ),
            self.status_line,
        ]
        self.add_class("dlw-browser")
        self.attempt(self.pickers.load_projects)

    # -- public surface ---------------------------------------------------------------------------
    @property
    def export_form(self) -> ExportForm:
        """The "Export" form, made (below the top row) when it is first opened or asked for."""
        form = self.__dict__.get("_export_form")
        if form is None:
            form = self._export_form = ExportForm(
                self, lambda: self.dataset, lambda: self.filters, lambda: self.selected_items
            )
            self._place_form(form)
        return form

    @property
    def project(self) -> Project | None:
        return self.pickers.project

    @property
    def dataset(self) -> Dataset | None:
        return self.pickers.dataset

    @dataset.setter
    def dataset(self, dataset: Dataset) -> None:
        """Show ``dataset`` (choosing its project first)."""
        self.pickers.choose(dataset)

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
        return self.filter_column.filters(self._page_size)

    def on_select(self, callback: Callable[[list[Item]], None], remove: bool = False) -> None:
        """Call ``callback(selected_items)`` whenever the selection changes."""
        self.callbacks("on_select").register(callback, remove)

    def on_open(self, callback: Callable[[Item], None], remove: bool = False) -> None:
        """Call ``callback(item)`` when an item is opened: a double-click on its card, or Enter."""
        self.callbacks("on_open").register(callback, remove)

    @property
    def folder(self) -> str:
        """The folder open in the folder tree ("/" for the whole dataset)."""
        return str(self.filter_column.folders.value or "/")

    def on_folder(self, callback: Callable[[str], None], remove: bool = False) -> None:
        """Call ``callback(folder)`` whenever another folder is opened."""
        self.callbacks("on_folder").register(callback, remove)

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

    def refresh_if_changed(self) -> None:
        """``refresh()`` when the dataset's folders or their item counts changed since the last reading."""
        dataset = self.dataset
        if dataset is None or self._folders_shown is None:
            return
        if self.attempt(lambda: folder_counts(dataset)) not in (None, self._folders_shown):
            self.refresh()

    def close(self) -> None:
        getattr(self, "_unfollow_cells", lambda: None)()  # None when __init__ refused its arguments
        super().close()

    def download(self, local_path: str | Path | None = None) -> list[str]:
        """Save the selected items' bytes in the folder ``local_path`` (the current one by default),
        replacing files of the same names there: a download gives the items as they are now."""
        folder = Path(local_path) if local_path is not None else Path.cwd()
        return [item.download(local_path=folder, overwrite=True) for item in self.selected_items]

    # -- building the widgets -----------------------------------------------------------------------
    def _build(self) -> None:
        self._forms = self.shared.vbox()  # the forms below the top row, each made when first opened
        self.pickers = Pickers(
            self, self.client, self._show_dataset, self._clear_dataset, place=self._place_form
        )
        self._top_row = self.shared.make(
            w.HBox,
            children=[
                *self.pickers.controls(),
                self.button("Refresh", self.refresh, "refresh", "read the dataset's folders and items again"),
                self.button(
                    "Export", lambda: self.export_form.toggle(), "download", "COCO, YOLO, VOC or JSON"
                ),
            ],
            layout={"flex_flow": "row wrap"},  # a narrow cell wraps the buttons, never cuts them short
        )
        self.filter_column = FilterColumn(self, on_change=self._load_pages)

        self.grid = ItemGrid(
            on_page=self._on_grid_page,
            fetch_thumbnail=self._thumbnail,
            on_open=self._open,
            layout=self.shared.layout(),
        )
        self.filter_column.folders.observe(self._on_folder, names="value")
        self.grid.observe(self._on_selection, names="selected_ids")
        self.grid.observe(self._on_active, names="active_id")
        self._selection_info = self.shared.make(w.HTML)
        self._center = self.shared.make(
            w.VBox,
            children=[
                self.grid,
                self.shared.make(
                    w.HBox,
                    children=[
                        self._selection_info,
                        self.button("Clear selection", lambda: self.select([]), "times"),
                    ],
                ),
            ],
            layout={"flex": "1 1 auto", "min_width": "280px"},
        )

        self.detail_pane = DetailPane(self, on_saved=self._replace)
        self.status_line.layout = self.shared.layout(min_height="24px")
        self.detail_pane.show(None)

    def _place_form(self, form: w.Widget) -> None:
        self._forms.children = [*self._forms.children, form]

    # -- the dataset's items ----------------------------------------------------------------------
    def _show_dataset(self, dataset: Dataset, keep_filters: bool = False) -> None:
        """Folders and types of ``dataset``, then its first page; the selection is kept only on refresh."""
        self._folders_shown = self.filter_column.show_facets(dataset, keep_filters)
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

    def _load_pages(self) -> None:
        dataset = self.dataset
        if dataset is None:
            return
        self._pages = dataset.items.list(filters=self.filters, page_size=self._page_size)
        self._show_page()

    def _show_page(self) -> None:
        pages = self._pages
        assert pages is not None
        self._page_items = {item.id: item for item in pages.items}
        start = pages.page_offset * self._page_size
        if pages.items_count:
            label = f"{start + 1:,}-{start + len(pages.items):,} of {pages.items_count:,}"
        else:
            label = "no items"
        dataset = self.dataset
        if self.filters.prepare()["filter"] != Filters().prepare()["filter"]:
            empty = "No items match these filters."
        else:
            empty = f"Dataset {dataset.name if dataset else ''!r} has no items yet."
        with self.grid.hold_sync():
            self.grid.cards = [card(item) for item in pages.items]
            self.grid.page_label = label
            self.grid.has_previous = pages.page_offset > 0
            self.grid.has_next = pages.has_next_page
            self.grid.empty_text = empty

    def _page(self, to: str) -> None:
        pages = self._pages
        if pages is None:
            return
        if to == "next" and pages.has_next_page and pages.items:
            pages.next_page()
        elif to != "next" and pages.page_offset > 0:
            pages.prev_page()
        else:
            return
        self._show_page()

    def _on_grid_page(self, to: str) -> None:
        self.attempt(lambda: self._page(to))

    def _open(self, item_id: str) -> None:
        item = self._page_items.get(item_id) or self.attempt(lambda: self.client.items.get(item_id=item_id))
        if item is not None:
            self.callbacks("on_open").fire(item)

    def _on_folder(self, change: dict[str, Any]) -> None:
        self.callbacks("on_folder").fire(str(change["new"] or "/"))

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
            self.detail_pane.show(None)
            return
        known = {**self._page_items, **self._selected}
        item = known.get(item_id) or self.attempt(lambda: self.client.items.get(item_id=item_id))
        self.detail_pane.show(item)

    def _replace(self, item: Item) -> None:
        """Put a fresh copy of an item wherever the widget keeps it."""
        if self._pages is not None:
            self._pages.items = [item if i.id == item.id else i for i in self._pages.items]
            self._page_items = {i.id: i for i in self._pages.items}
        if item.id in self._selected:
            self._selected = {k: item if k == item.id else v for k, v in self._selected.items()}


def _after_each_cell(browser: Browser) -> Callable[[], None]:
    """Have IPython call ``browser.refresh_if_changed()`` after each cell run (held weakly: a Browser
    nobody keeps is not kept alive by this); returns what stops it. Outside IPython, nothing."""
    try:
        from IPython import get_ipython
    except ImportError:
        return lambda: None
    shell = get_ipython()
    if shell is None:
        return lambda: None
    ref = weakref.ref(browser)

    def after_cell(*_: Any) -> None:
        alive = ref()
        if alive is not None:
            alive.refresh_if_changed()

    shell.events.register("post_run_cell", after_cell)

    def stop() -> None:
        if after_cell in shell.events.callbacks["post_run_cell"]:
            shell.events.unregister("post_run_cell", after_cell)

    return stop
