"""``Studio``: every widget in one app, sharing one selection (project, dataset, items), and "My work":
the signed-in user's assignments, each worked in the Annotator.

The dataset chosen in the Browser drives the ontology editor, the dropzone, the prompt composer and the
task creator; items selected in the Browser open in the Annotator, a new task or a prompt, and a card
double-clicked opens in the Annotator on that item. The Upload tab uploads into the folder open in the
Browser (or one typed there), and the Browser reads the dataset again after each upload and save.
A tab's widget is made when the tab is first shown (or the widget first asked for), not all at once: each
is a tree of widget models, in the kernel and in the browser, that an unopened tab need not cost. A new
dataset closes the widgets made for the last one; they are made again when shown. Every Annotator the
Studio opens shares one set of drafts, so opening another selection autosaves (or keeps as drafts) the
edits of the last one.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TypeVar, cast

import ipywidgets as w

from ..api import Assignment, Client, Dataset, Item
from .annotator import Annotator
from .base import WidgetBase
from .browser import Browser
from .dropzone import Dropzone
from .login import Login
from .models.annotation_drafts import AnnotationDrafts
from .my_work import MyWork
from .ontology_editor import OntologyEditor
from .prompt_composer import PromptComposer
from .task_creator import TaskCreator

TABS = ("Sign in", "Browse", "Ontology", "Upload", "Annotate", "Prompts", "Tasks", "My work")
DATASET_TABS = ("Ontology", "Upload", "Prompts", "Tasks")  # their widgets are made for the Browser's dataset
W = TypeVar("W", bound=w.Widget)


class Studio(WidgetBase):
    """``Studio(client=None)``: sign in, browse, edit the ontology, upload, annotate, prompt, make tasks."""

    def __init__(self, client: Client | None = None) -> None:
        super().__init__()
        self._client = client
        self.browser = Browser(client)
        self.annotator: Annotator | None = None
        self._drafts = AnnotationDrafts()
        self._made: dict[str, w.Widget] = {}  # a tab's widget, once made
        self._panes = {name: self.shared.make(w.VBox) for name in TABS}
        self._replace("Browse", [self.browser])
        self.tabs = self.shared.make(w.Tab, children=list(self._panes.values()))
        for index, title in enumerate(TABS):
            self.tabs.set_title(index, title)
        self.tabs.selected_index = TABS.index("Browse")
        self.tabs.observe(self.act(self._tab_shown), names="selected_index")
        self._selection = self.shared.make(w.HTML)
        self._actions = self.shared.make(
            w.HBox,
            children=[
                self.button("Annotate", self.annotate_selection, "pencil"),
                self.button("New task", lambda: self._show("Tasks"), "tasks"),
                self.button("New prompt", lambda: self._show("Prompts"), "comment"),
                self._selection,
            ],
        )
        self.children = [self._actions, self.status_line, self.tabs]
        self.add_class("dlw-studio")
        self._attach(self.browser)

    # -- the tabs' widgets, made on first use -------------------------------------------------------
    @property
    def login(self) -> Login:
        return self._made_for("Sign in", self._make_login)

    @property
    def my_work(self) -> MyWork:
        """The signed-in user's assignments (read again whenever the tab is shown)."""
        return self._made_for("My work", self._make_my_work)

    @property
    def ontology_editor(self) -> OntologyEditor | None:
        """The ontology editor of the Browser's dataset (None while none is chosen)."""
        return self._for_dataset("Ontology", OntologyEditor)

    @property
    def dropzone(self) -> Dropzone | None:
        return self._for_dataset("Upload", self._make_dropzone)

    @property
    def prompt_composer(self) -> PromptComposer | None:
        return self._for_dataset("Prompts", self._make_prompt_composer)

    @property
    def task_creator(self) -> TaskCreator | None:
        return self._for_dataset("Tasks", self._make_task_creator)

    @property
    def dataset(self) -> Dataset | None:
        return self.browser.dataset

    @property
    def selected_items(self) -> list[Item]:
        return self.browser.selected_items

    def annotate_selection(self) -> Annotator | None:
        """Open the selected items (or, with none selected, the dataset's filtered items) in the Annotator."""
        dataset = self.dataset
        if dataset is None:
            return None
        items = self.selected_items
        filters = self.browser.filters
        if items:
            return self._open_annotator(lambda: Annotator(items, drafts=self._drafts))
        return self._open_annotator(lambda: Annotator(dataset, filters=filters, drafts=self._drafts))

    def annotate_assignment(self, assignment: Assignment) -> Annotator:
        """Work ``assignment``'s queue in the Annotate tab (from "My work" or the task list)."""
        return self._open_annotator(lambda: Annotator(assignment, drafts=self._drafts))

    def close(self) -> None:
        """Close the Studio; with autosave the annotators' edits are saved, unsaved drafts are warned of."""
        self._drafts.close()  # first: an autosave's callbacks refresh the Browser
        super().close()

    # -- making and dropping the tabs' widgets ------------------------------------------------------
    def _made_for(self, tab: str, make: Callable[[], W]) -> W:
        """The widget of ``tab``, made and shown there if it is not yet."""
        if tab not in self._made:
            self._made[tab] = widget = make()
            self._replace(tab, [widget])
        return cast(W, self._made[tab])

    def _for_dataset(self, tab: str, make: Callable[[Dataset], W]) -> W | None:
        """``tab``'s widget for the Browser's dataset (None while none is chosen)."""
        dataset = self.dataset
        return None if dataset is None else self._made_for(tab, lambda: make(dataset))

    def _drop(self, tab: str) -> None:
        """Close ``tab``'s widget; it is made again when the tab is next shown."""
        self._made.pop(tab, None)
        self._replace(tab, [])
        if self._is_shown(tab):
            self._tab_shown()

    def _tab_shown(self) -> None:
        """Make the shown tab's widget, or say why it can't be made yet."""
        tab = TABS[self.tabs.selected_index or 0]
        if tab == "Browse":
            return
        if tab == "My work" and tab in self._made:
            self.my_work.refresh()  # progress changes as items are worked: read again whenever shown
        made = getattr(self, _PROPERTIES[tab]) if tab in _PROPERTIES else self.annotator
        if made is None and not self._panes[tab].children:
            self._replace(tab, [self.shared.make(w.HTML, value=f"<i>{html.escape(_NOTES[tab])}</i>")])

    def _make_login(self) -> Login:
        login = Login()
        login.on_login(self._signed_in)
        return login

    def _make_my_work(self) -> MyWork:
        my_work = MyWork(self._client)
        my_work.on_open(self.annotate_assignment)
        return my_work

    def _make_dropzone(self, dataset: Dataset) -> Dropzone:
        dropzone = Dropzone(dataset, remote_path=self.browser.folder)
        # Once per drop, not per file: a drop of hundreds of files reads the dataset again once.
        dropzone.on_batch(lambda items: self.browser.refresh() if items else None)
        return dropzone

    def _make_prompt_composer(self, dataset: Dataset) -> PromptComposer:
        composer = PromptComposer(dataset)
        composer.on_upload(lambda _item: self.browser.refresh())
        images = _images(self.selected_items)
        if images:
            composer.images = images
        return composer

    def _make_task_creator(self, dataset: Dataset) -> TaskCreator:
        creator = TaskCreator(dataset, items=self.selected_items)
        creator.on_open_annotator(self.annotate_assignment)
        return creator

    # -- wiring ------------------------------------------------------------------------------------
    def _attach(self, browser: Browser) -> None:
        """Follow ``browser``'s dataset and selection."""
        self.browser = browser
        browser.on_select(self._selected)
        browser.on_dataset(self._dataset_changed)
        browser.on_open(self._open_item)
        browser.on_folder(self._folder_changed)
        self._dataset_changed(browser.dataset)
        self._selected(browser.selected_items)

    def _signed_in(self, client: Client) -> None:
        self._client = client
        self._drop("My work")
        self._attach(Browser(client))
        self._replace("Browse", [self.browser])  # the last client's Browser is closed
        self._show("Browse")

    def _dataset_changed(self, dataset: Dataset | None) -> None:
        if dataset is None:
            return
        for tab in DATASET_TABS:  # the previous dataset's widgets
            self._drop(tab)

    def _replace(self, pane: str, widgets: list[w.Widget]) -> None:
        """Show ``widgets`` in ``pane`` and close what it showed before (unless it is shown again)."""
        self.replace_children(self._panes[pane], widgets)

    def _selected(self, items: list[Item]) -> None:
        self._selection.value = f"<span class='dlw-selection'>{len(items):,} selected</span>"
        creator = self._made.get("Tasks")
        if isinstance(creator, TaskCreator):  # also when cleared: a task must not take a stale selection
            creator.items = items
        composer = self._made.get("Prompts")
        images = _images(items)
        if images and isinstance(composer, PromptComposer):
            composer.images = images

    def _folder_changed(self, folder: str) -> None:
        dropzone = self._made.get("Upload")
        if isinstance(dropzone, Dropzone):
            dropzone.remote_path = folder

    def _open_item(self, item: Item) -> None:
        """The Annotator on ``item``, among the selection when it is in it, else among the page shown."""
        selected = self.selected_items
        items = selected if item.id in {i.id for i in selected} else self.browser.items
        ids = [i.id for i in items]
        if item.id not in ids:
            items, ids = [item], [item.id]
        annotator = self._open_annotator(lambda: Annotator(items, drafts=self._drafts))
        annotator.go_to(ids.index(item.id))

    def _open_annotator(self, make: Callable[[], Annotator]) -> Annotator:
        """Close the Annotate tab's annotator, which leaves its item (autosaved, or kept as a draft), then
        show a new one: it may show the same item, whose edits must be left before they are opened."""
        self._replace("Annotate", [])
        self.annotator = annotator = make()
        annotator.on_save(lambda *_: self.browser.refresh())
        self._replace("Annotate", [annotator])
        self._show("Annotate")
        return annotator

    def _is_shown(self, tab: str) -> bool:
        return self.tabs.selected_index == TABS.index(tab)

    def _show(self, tab: str) -> None:
        if self._is_shown(tab):
            self._tab_shown()
        self.tabs.selected_index = TABS.index(tab)


# Each tab's widget by the property that makes it, and what the tab says while it cannot be made.
_PROPERTIES = {
    "Sign in": "login",
    "Ontology": "ontology_editor",
    "Upload": "dropzone",
    "Prompts": "prompt_composer",
    "Tasks": "task_creator",
    "My work": "my_work",
}
_NOTES = {
    **dict.fromkeys(DATASET_TABS, "choose a dataset in Browse first"),
    "Annotate": "select items in Browse, then press Annotate",
}


def _images(items: list[Item]) -> list[Item]:
    return [i for i in items if (i.mimetype or "").startswith("image/")]
