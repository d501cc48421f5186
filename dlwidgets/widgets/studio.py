"""``Studio``: every widget in one app, sharing one selection (project, dataset, items), and "My work":
the signed-in user's assignments, each worked in the Annotator.

The dataset chosen in the Browser drives the ontology editor, the dropzone, the prompt composer and the
task creator; items selected in the Browser open in the Annotator, a new task or a prompt, and a card
double-clicked opens in the Annotator on that item. The Upload tab uploads into the folder open in the
Browser (or one typed there), and the Browser reads the dataset again after each upload and save.
Widgets for a dataset are made when it is first shown, not all at once. Every Annotator the Studio opens
shares one set of drafts, so opening another selection autosaves (or keeps as drafts) the edits of the
last one.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w

from ..api import Assignment, Client, Dataset, Item
from .annotator import Annotator
from .base import WidgetBase, close_tree
from .browser import Browser
from .dropzone import Dropzone
from .login import Login
from .models.annotation_drafts import AnnotationDrafts
from .my_work import MyWork
from .ontology_editor import OntologyEditor
from .prompt_composer import PromptComposer
from .task_creator import TaskCreator

TABS = ("Sign in", "Browse", "Ontology", "Upload", "Annotate", "Prompts", "Tasks", "My work")


class Studio(WidgetBase):
    """``Studio(client=None)``: sign in, browse, edit the ontology, upload, annotate, prompt, make tasks."""

    def __init__(self, client: Client | None = None) -> None:
        super().__init__()
        self.login = Login()
        self.browser = Browser(client)
        self.annotator: Annotator | None = None
        self._drafts = AnnotationDrafts()
        self.ontology_editor: OntologyEditor | None = None
        self.dropzone: Dropzone | None = None
        self.prompt_composer: PromptComposer | None = None
        self.task_creator: TaskCreator | None = None
        self._panes = {name: w.VBox([_note("choose a dataset in Browse first")]) for name in TABS[2:-1]}
        self.my_work = self._my_work(client)
        self._panes["My work"] = w.VBox([self.my_work])
        self.replace_children(self._panes["Annotate"], [_note("select items in Browse, then press Annotate")])
        self.tabs = w.Tab(children=[w.VBox([self.login]), w.VBox([self.browser]), *self._panes.values()])
        for index, title in enumerate(TABS):
            self.tabs.set_title(index, title)
        self.tabs.selected_index = 1
        # Progress changes as items are worked: "My work" is read again whenever it is shown.
        self.tabs.observe(self.act(self._refresh_my_work), names="selected_index")
        self._selection = w.HTML()
        self._actions = w.HBox(
            [
                self.button("Annotate", self.annotate_selection, "pencil"),
                self.button("New task", lambda: self._show("Tasks"), "tasks"),
                self.button("New prompt", lambda: self._show("Prompts"), "comment"),
                self._selection,
            ]
        )
        self.children = [self._actions, self.status_line, self.tabs]
        self.add_class("dlw-studio")
        self.login.on_login(self._signed_in)
        self._attach(self.browser)

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

    def close(self) -> None:
        """Close the Studio; with autosave the annotators' edits are saved, unsaved drafts are warned of."""
        self._drafts.close()  # first: an autosave's callbacks refresh the Browser
        super().close()

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

    def _my_work(self, client: Client | None) -> MyWork:
        my_work = MyWork(client)
        my_work.on_open(self.annotate_assignment)
        return my_work

    def _refresh_my_work(self) -> None:
        if self.tabs.selected_index == TABS.index("My work"):
            self.my_work.refresh()

    def _signed_in(self, client: Client) -> None:
        old = self.tabs.children[1]  # the last client's Browser, closed once the new one is shown
        self.my_work = self._my_work(client)
        self._replace("My work", [self.my_work])
        self._attach(Browser(client))
        self.tabs.children = [self.tabs.children[0], w.VBox([self.browser]), *self.tabs.children[2:]]
        close_tree(old)
        self._show("Browse")

    def _dataset_changed(self, dataset: Dataset | None) -> None:
        if dataset is None:
            return
        for pane in ("Ontology", "Upload", "Prompts", "Tasks"):  # the previous dataset's widgets
            self._replace(pane, [])
        self.ontology_editor = OntologyEditor(dataset)
        self.dropzone = Dropzone(dataset, remote_path=self.browser.folder)
        self.dropzone.on_upload(lambda _item: self.browser.refresh())
        self.prompt_composer = PromptComposer(dataset)
        self.prompt_composer.on_upload(lambda _item: self.browser.refresh())
        self.task_creator = TaskCreator(dataset, items=self.selected_items)
        self.task_creator.on_open_annotator(self.annotate_assignment)
        self._replace("Ontology", [self.ontology_editor])
        self._replace("Upload", [self.dropzone])
        self._replace("Prompts", [self.prompt_composer])
        self._replace("Tasks", [self.task_creator])

    def _replace(self, pane: str, widgets: list[w.Widget]) -> None:
        """Show ``widgets`` in ``pane`` and close what it showed before (unless it is shown again)."""
        self.replace_children(self._panes[pane], widgets)

    def _selected(self, items: list[Item]) -> None:
        self._selection.value = f"<span class='dlw-selection'>{len(items):,} selected</span>"
        if self.task_creator is not None:  # also when cleared: a task must not take a stale selection
            self.task_creator.items = items
        images = [i for i in items if (i.mimetype or "").startswith("image/")]
        if images and self.prompt_composer is not None:
            self.prompt_composer.images = images

    def annotate_assignment(self, assignment: Assignment) -> Annotator:
        """Work ``assignment``'s queue in the Annotate tab (from "My work" or the task list)."""
        return self._open_annotator(lambda: Annotator(assignment, drafts=self._drafts))

    def _folder_changed(self, folder: str) -> None:
        if self.dropzone is not None:
            self.dropzone.remote_path = folder

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

    def _show(self, tab: str) -> None:
        self.tabs.selected_index = TABS.index(tab)


def _note(text: str) -> w.HTML:
    return w.HTML(f"<i>{html.escape(text)}</i>")
