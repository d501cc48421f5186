"""``TaskCreator``: make an annotation task for a dataset's items, split among assignees, and follow it.

Items come from a Browser selection or an explicit list (``creator.items = [...]``), or from a filter
(folder, annotated or not) with a live count. Every field is checked before anything is written, and a
refusal is shown beside its field. The created task's assignments list their items; "annotate" opens them
in an Annotator, shown below the assignments unless ``on_open_annotator`` callbacks take them.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable, Sequence

import ipywidgets as w

from ..api import Assignment, Dataset, Filters, Item, Task
from ..exceptions import PlatformError
from .annotator import Annotator

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ANY, YES, NO = "any", "annotated", "not annotated"
SELECTION, FILTER = "selected items", "items matching a filter"
NAMES_SHOWN = 10  # item names listed per assignment; the rest are counted


def parse_emails(text: str) -> tuple[list[str], list[str]]:
    """(valid emails, malformed entries) from a comma, space or newline separated list."""
    entries = [e for e in re.split(r"[,\s;]+", text.strip()) if e]
    return [e for e in entries if _EMAIL.match(e)], [e for e in entries if not _EMAIL.match(e)]


def task_filters(folder: str | None, annotated: str) -> Filters:
    """The items query for a folder (with everything under it) and an annotated state."""
    filters = Filters()
    if folder and folder != "/":
        filters.add(field="filename", values=folder.rstrip("/") + "/**")
    if annotated != ANY:
        filters.add(field="annotated", values=annotated == YES)
    return filters


class TaskCreator(w.VBox):
    """``TaskCreator(dataset, items=None)``: the task form, the created task's assignments, and the
    dataset's tasks with their progress."""

    def __init__(self, dataset: Dataset, items: Sequence[Item] | None = None) -> None:
        self.dataset = dataset
        self._items: list[Item] = list(items or [])
        self._on_create: list[Callable[[Task], None]] = []
        self._on_open: list[Callable[[list[Item]], None]] = []
        self.last_task: Task | None = None
        self.annotator: Annotator | None = None
        layout = w.Layout(width="420px")
        self._name = w.Text(description="name", layout=layout, continuous_update=False)
        self._due = w.DatePicker(
            description="due date", value=datetime.date.today() + datetime.timedelta(days=7)
        )
        self._assignees = w.Textarea(
            description="assignees", placeholder="ann@example.com, bob@example.com", layout=layout
        )
        self._priority = w.Dropdown(
            description="priority", options=[("low", 1), ("medium", 2), ("high", 3)], value=2
        )
        self._source = w.ToggleButtons(
            options=[SELECTION, FILTER], value=SELECTION if self._items else FILTER
        )
        self._folder = w.Dropdown(description="folder", options=self._folders(), value="/")
        self._annotated = w.Dropdown(description="annotated", options=[ANY, YES, NO], value=ANY)
        self._count = w.HTML()
        self._errors = {key: w.HTML() for key in ("name", "due", "assignees", "items", "create")}
        self._create = w.Button(description="Create task", button_style="primary", icon="tasks")
        self._result = w.VBox()
        self._annotate = w.VBox()
        self._tasks = w.VBox()
        for control in (self._source, self._folder, self._annotated):
            control.observe(lambda _: self._refresh_count(), names="value")
        self._create.on_click(lambda _: self.create())
        form = w.VBox(
            [
                w.HBox([self._name, self._errors["name"]]),
                w.HBox([self._due, self._errors["due"]]),
                w.HBox([self._assignees, self._errors["assignees"]]),
                self._priority,
                self._source,
                w.HBox([self._folder, self._annotated]),
                w.HBox([self._count, self._errors["items"]]),
                w.HBox([self._create, self._errors["create"]]),
            ]
        )
        super().__init__(
            [
                w.HTML(f"<b>New task in {html.escape(dataset.name)}</b>"),
                form,
                self._result,
                self._annotate,
                w.HTML("<b>Tasks</b>"),
                self._tasks,
            ]
        )
        self.add_class("dlw-task-creator")
        self._refresh_count()
        self.refresh_tasks()

    # -- public surface ---------------------------------------------------------------------------
    @property
    def items(self) -> list[Item]:
        """The items a task made from the selection would hold."""
        return list(self._items)

    @items.setter
    def items(self, value: Sequence[Item]) -> None:
        self._items = list(value)
        if self._items:
            self._source.value = SELECTION
        self._refresh_count()

    def on_create(self, callback: Callable[[Task], None]) -> None:
        """Call ``callback(task)`` after each task is created."""
        self._on_create.append(callback)

    def on_open_annotator(self, callback: Callable[[list[Item]], None]) -> None:
        """Call ``callback(items)`` when an assignment's "annotate" is pressed (to show an Annotator
        elsewhere); without one, the Annotator is shown in this widget."""
        self._on_open.append(callback)

    def create(self) -> Task | None:
        """Check every field; create the task only if all are right."""
        errors = self._check()
        for key, widget in self._errors.items():
            widget.value = _error(errors.get(key, ""))
        if errors:
            return None
        emails, _ = parse_emails(self._assignees.value)
        due = datetime.datetime.combine(self._due.value, datetime.time(23, 59), tzinfo=datetime.timezone.utc)
        source = {"items": self._items} if self._source.value == SELECTION else {"filters": self._filters()}
        try:
            task = self.dataset.tasks.create(
                task_name=self._name.value.strip(),
                due_date=due.timestamp(),
                assignee_ids=emails,
                priority=self._priority.value,
                **source,
            )
        except (ValueError, PlatformError) as error:
            self._errors["create"].value = _error(getattr(error, "message", str(error)))
            return None
        self.last_task = task
        self._show_assignments(task)
        self.refresh_tasks()
        for callback in self._on_create:
            callback(task)
        return task

    def refresh_tasks(self) -> None:
        """List the dataset's tasks with their status and progress."""
        rows = []
        for task in self.dataset.tasks.list():
            rows.append(
                w.HTML(
                    f"<span class='dlw-task'>{html.escape(task.name)}: {html.escape(task.status or 'open')}, "
                    f"{task.total_items or 0} items, progress {int(task.progress or 0)}%</span>"
                )
            )
        self._tasks.children = rows or [w.HTML("<i>no tasks yet</i>")]

    # -- internals ------------------------------------------------------------------------------------
    def _folders(self) -> list[str]:
        folders = set(self.dataset.directories())
        for folder in list(folders):  # parents of nested folders are folders too
            parts = folder.strip("/").split("/")
            folders.update("/" + "/".join(parts[:i]) for i in range(1, len(parts)))
        return sorted(folders | {"/"})

    def _filters(self) -> Filters:
        return task_filters(self._folder.value, self._annotated.value)

    def _count_items(self) -> int:
        if self._source.value == SELECTION:
            return len(self._items)
        return self.dataset.items.list(filters=self._filters(), page_size=1).items_count

    def _refresh_count(self) -> None:
        by_filter = self._source.value == FILTER
        self._folder.disabled = self._annotated.disabled = not by_filter
        self._count.value = f"<span class='dlw-count'>{self._count_items()} items</span>"

    def _check(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        name = self._name.value.strip()
        if not name:
            errors["name"] = "give the task a name"
        elif name in {t.name for t in self.dataset.tasks.list()}:
            errors["name"] = f"a task named {name!r} already exists in this dataset"
        if self._due.value is None:
            errors["due"] = "choose a due date"
        elif self._due.value < datetime.date.today():
            errors["due"] = f"{self._due.value} is in the past; choose today or later"
        emails, malformed = parse_emails(self._assignees.value)
        if malformed:
            errors["assignees"] = f"not email addresses: {', '.join(malformed)}"
        elif not emails:
            errors["assignees"] = "add at least one assignee's email"
        if self._count_items() == 0:
            errors["items"] = "the task would have no items: select some, or change the filter"
        return errors

    def _show_assignments(self, task: Task) -> None:
        rows: list[w.Widget] = [w.HTML(f"<b>Created {html.escape(task.name)}</b>")]
        self._close_annotator()
        for assignment in task.assignments.list():
            button = w.Button(description="annotate", icon="pencil", layout=w.Layout(width="auto"))
            button.on_click(lambda _, a=assignment: self._open(list(a.get_items().all())))
            rows.append(
                w.HBox(
                    [
                        w.HTML(
                            f"<span class='dlw-assignment'>{html.escape(assignment.annotator or '')}: "
                            f"{assignment.total_items} items</span> "
                            f"{_names(_first_items(assignment), assignment.total_items)}"
                        ),
                        button,
                    ]
                )
            )
        self._result.children = rows

    def _open(self, items: list[Item]) -> None:
        for callback in self._on_open:
            callback(items)
        if self._on_open:
            return
        self._close_annotator()
        if not items:
            self._annotate.children = [w.HTML(_error("this assignment has no items"))]
            return
        self.annotator = Annotator(items)
        self._annotate.children = [w.HTML(f"<b>Annotating {len(items)} items</b>"), self.annotator]

    def _close_annotator(self) -> None:
        if self.annotator is not None:
            self.annotator.close()
            self.annotator = None
        self._annotate.children = []


def _first_items(assignment: Assignment) -> list[Item]:
    """The first ``NAMES_SHOWN`` items of an assignment: one page of that size."""
    return assignment.get_items(filters=Filters(use_defaults=False, page_size=NAMES_SHOWN)).items


def _names(items: list[Item], total: int | None = None) -> str:
    """The first ``NAMES_SHOWN`` items' names, and how many more of ``total`` there are, as escaped HTML."""
    total = len(items) if total is None else total
    names = ", ".join(item.name for item in items[:NAMES_SHOWN])
    more = f" and {total - NAMES_SHOWN} more" if total > NAMES_SHOWN else ""
    return f"<span class='dlw-assignment-items'>({html.escape(names + more)})</span>"


def _error(message: str) -> str:
    return f"<span class='dlw-error' style='color:#c62828'>{html.escape(message)}</span>" if message else ""
