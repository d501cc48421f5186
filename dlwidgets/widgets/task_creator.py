"""``TaskCreator``: make an annotation task for a dataset's items, split among assignees, and follow it.

Items come from a Browser selection or an explicit list (``creator.items = [...]``), or from a filter
(folder, annotated or not) with a live count. Every field is checked before anything is written, and a
refusal is shown beside its field; after a task is made the form is cleared for the next. The created
task's assignments list their items. Every task of the dataset is listed with its type, assignments, due
date and progress; "open" works an assignment's queue in an Annotator, shown below unless
``on_open_annotator`` callbacks take it, and "QA task" makes a review task of a labeling task.
"""

from __future__ import annotations

import datetime
import functools
import html
import re
from collections.abc import Callable, Sequence

import ipywidgets as w

from ..api import Assignment, Dataset, Filters, Item, Task
from .annotator import Annotator
from .base import ERROR, WidgetBase, counted, status_html
from .models.work_queue import progress_text

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ANY, YES, NO = "any", "annotated", "not annotated"
SELECTION, FILTER = "selected items", "items matching a filter"
NAMES_SHOWN = 10  # item names listed per assignment; the rest are counted
TASK_TYPES = {"annotation": "labeling", "qa": "QA"}


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


class TaskCreator(WidgetBase):
    """``TaskCreator(dataset, items=None)``: the task form, the created task's assignments, and the
    dataset's tasks with their progress."""

    def __init__(self, dataset: Dataset, items: Sequence[Item] | None = None) -> None:
        self.dataset = dataset
        self._items: list[Item] = list(items or [])
        self.last_task: Task | None = None
        self.annotator: Annotator | None = None
        layout = {"width": "420px"}
        make, shared = self.shared.make, self.shared
        self._name = make(w.Text, description="name", layout=layout, continuous_update=False)
        self._due = make(w.DatePicker, description="due date", value=_default_due())
        self._assignees = make(
            w.Textarea, description="assignees", placeholder="ann@example.com, bob@example.com", layout=layout
        )
        self._priority = make(
            w.Dropdown, description="priority", options=[("low", 1), ("medium", 2), ("high", 3)], value=2
        )
        self._source = make(
            w.ToggleButtons,
            options=[SELECTION, FILTER],
            value=SELECTION if self._items else FILTER,
            style={"button_width": "auto"},  # each label whole, not "items matching a…"
        )
        self._folder = make(w.Dropdown, description="folder", options=self._folders(), value="/")
        self._annotated = make(w.Dropdown, description="annotated", options=[ANY, YES, NO], value=ANY)
        self._count = shared.html()
        self._errors = {key: shared.html() for key in ("name", "due", "assignees", "items")}
        super().__init__()
        self._create = self.button("Create task", self.create, icon="tasks", button_style="primary")
        self._result = shared.vbox()
        self._annotate = shared.vbox()
        self._tasks = shared.vbox()
        self._reviewers = make(
            w.Text, description="reviewers", placeholder="rev@example.com (for QA tasks)", layout=layout
        )
        for control in (self._source, self._folder, self._annotated):
            control.observe(self.act(self._refresh_count), names="value")
        form = shared.vbox(
            shared.hbox(self._name, self._errors["name"]),
            shared.hbox(self._due, self._errors["due"]),
            shared.hbox(self._assignees, self._errors["assignees"]),
            self._priority,
            self._source,
            shared.hbox(self._folder, self._annotated),
            shared.hbox(self._count, self._errors["items"]),
            shared.hbox(self._create, self.status_line),
        )
        self.children = [
            shared.html(f"<b>New task in {html.escape(dataset.name)}</b>"),
            form,
            self._result,
            self._annotate,
            shared.hbox(
                shared.html("<b>Tasks</b>"), self.button("", self.refresh_tasks, "refresh", "Refresh")
            ),
            self._reviewers,
            self._tasks,
        ]
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

    def on_create(self, callback: Callable[[Task], None], remove: bool = False) -> None:
        """Call ``callback(task)`` after each task is created."""
        self.callbacks("on_create").register(callback, remove)

    def on_open_annotator(self, callback: Callable[[Assignment], object], remove: bool = False) -> None:
        """Call ``callback(assignment)`` when an assignment's "annotate" or "open" is pressed (to work its
        queue in an Annotator elsewhere); without one, ``Annotator(assignment)`` is shown in this widget."""
        self.callbacks("on_open_annotator").register(callback, remove)

    def create(self) -> Task | None:
        """Check every field; create the task only if all are right."""
        self.clear_status()
        errors = self._check()
        for key, widget in self._errors.items():
            widget.value = status_html(ERROR, errors.get(key, ""))
        if errors:
            return None
        emails, _ = parse_emails(self._assignees.value)
        due = datetime.datetime.combine(self._due.value, datetime.time(23, 59), tzinfo=datetime.timezone.utc)
        source = {"items": self._items} if self._source.value == SELECTION else {"filters": self._filters()}
        task = self.attempt(
            lambda: self.dataset.tasks.create(
                task_name=self._name.value.strip(),
                due_date=due.timestamp(),
                assignee_ids=emails,
                priority=self._priority.value,
                **source,
            )
        )
        if task is None:
            return None
        self.last_task = task
        self._show_assignments(task)
        self._reset_form()
        self.refresh_tasks()
        self.callbacks("on_create").fire(task)
        return task

    def create_qa_task(self, task: Task) -> Task | None:
        """A QA task reviewing ``task``'s done items, assigned to the reviewers typed above the list."""
        emails, malformed = parse_emails(self._reviewers.value)
        if malformed or not emails:
            shown = f"not email addresses: {', '.join(malformed)}" if malformed else "add a reviewer's email"
            self.error(f"QA task for {task.name!r}: {shown}")
            return None
        due = datetime.datetime.combine(_default_due(), datetime.time(23, 59), tzinfo=datetime.timezone.utc)
        qa = self.attempt(lambda: task.create_qa_task(assignee_ids=emails, due_date=due.timestamp()))
        if qa is not None:
            self.notice(f"created QA task {qa.name!r} over {counted(qa.total_items or 0, 'item')}")
            self.refresh_tasks()
        return qa

    def refresh_tasks(self) -> None:
        """List every task of the dataset: type, status, assignments with their progress, due date."""
        rows: list[w.Widget] = []
        for task in self.dataset.tasks.list():
            kind = TASK_TYPES.get(task.spec.get("type", "annotation"), task.spec.get("type"))
            due = _date(task.due_date)
            head: list[w.Widget] = [
                self.shared.html(
                    f"<span class='dlw-task'>{html.escape(task.name)}: {html.escape(str(kind))}, "
                    f"{html.escape(task.status or 'open')}, "
                    f"{counted(len(task.assignment_ids), 'assignment')}, due {due}, "
                    f"{counted(task.total_items or 0, 'item')}, progress {int(task.progress or 0)}%</span>"
                )
            ]
            if kind == "labeling":
                head.append(
                    self.button("QA task", functools.partial(self.create_qa_task, task), "check-square-o")
                )
            rows.append(self.shared.hbox(*head))
            for assignment in task.assignments.list():
                rows.append(
                    self.shared.hbox(
                        self.shared.html(
                            "<span class='dlw-task-assignment'>&emsp;"
                            f"{html.escape(assignment.annotator or '')}: "
                            f"{progress_text(assignment)}</span>"
                        ),
                        self.button("open", functools.partial(self._open, assignment), "pencil"),
                    )
                )
        self.replace_children(self._tasks, rows or [self.shared.html("<i>no tasks yet</i>")])

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
        self._count.value = f"<span class='dlw-count'>{counted(self._count_items(), 'item')}</span>"

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

    def _reset_form(self) -> None:
        """Ready for the next task: name, assignees and due date cleared, the refusals gone."""
        self._name.value = ""
        self._assignees.value = ""
        self._due.value = _default_due()
        for widget in self._errors.values():
            widget.value = ""

    def _show_assignments(self, task: Task) -> None:
        rows: list[w.Widget] = [self.shared.html(f"<b>Created {html.escape(task.name)}</b>")]
        self._close_annotator()
        for assignment in task.assignments.list():
            button = self.button("annotate", functools.partial(self._open, assignment), "pencil")
            rows.append(
                self.shared.hbox(
                    self.shared.html(
                        f"<span class='dlw-assignment'>{html.escape(assignment.annotator or '')}: "
                        f"{counted(assignment.total_items or 0, 'item')}</span> "
                        f"{_names(_first_items(assignment), assignment.total_items)}"
                    ),
                    button,
                )
            )
        self.replace_children(self._result, rows)

    def _open(self, assignment: Assignment) -> None:
        opened = self.callbacks("on_open_annotator")
        if len(opened):
            opened.fire(assignment)
            return
        self._close_annotator()
        self.annotator = Annotator(assignment)
        title = f"<b>Annotating the assignment of {html.escape(assignment.annotator or '')}</b>"
        self._annotate.children = [self.shared.html(title), self.annotator]

    def _close_annotator(self) -> None:
        self.annotator = None
        self.replace_children(self._annotate, [])


def _default_due() -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=7)


def _date(epoch_ms: float | None) -> str:
    """A due date (epoch milliseconds, as the platform keeps it) as YYYY-MM-DD, or "none"."""
    if not epoch_ms:
        return "none"
    return datetime.datetime.fromtimestamp(epoch_ms / 1000, datetime.timezone.utc).date().isoformat()


def _first_items(assignment: Assignment) -> list[Item]:
    """The first ``NAMES_SHOWN`` items of an assignment: one page of that size."""
    return assignment.get_items(filters=Filters(use_defaults=False, page_size=NAMES_SHOWN)).items


def _names(items: list[Item], total: int | None = None) -> str:
    """The first ``NAMES_SHOWN`` items' names, and how many more of ``total`` there are, as escaped HTML."""
    total = len(items) if total is None else total
    names = ", ".join(item.name for item in items[:NAMES_SHOWN])
    more = f" and {total - NAMES_SHOWN} more" if total > NAMES_SHOWN else ""
    return f"<span class='dlw-assignment-items'>({html.escape(names + more)})</span>"
