"""``MyWork``: the signed-in user's assignments in every project, with their progress; "open" works an
assignment's queue (in the Studio, in its Annotator tab)."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable

import ipywidgets as w

from ..api import Assignment, Client, default
from .base import WidgetBase
from .models.work_queue import progress_text


class MyWork(WidgetBase):
    """``MyWork(client=None)``: one row per assignment of ``client.user_email``: task, "k of N done",
    and an "open" button that calls the ``on_open`` callbacks with the assignment."""

    def __init__(self, client: Client | None = None) -> None:
        super().__init__()
        self.client = client if client is not None else default.client()
        self._rows = self.shared.vbox()
        self.children = [
            self.shared.hbox(
                self.shared.html(f"<b>Assignments of {html.escape(self.client.user_email)}</b>"),
                self.button("", self.refresh, "refresh", "Refresh"),
            ),
            self._rows,
            self.status_line,
        ]
        self.add_class("dlw-my-work")
        self.assignments: list[Assignment] = []
        self.refresh()

    def on_open(self, callback: Callable[[Assignment], object], remove: bool = False) -> None:
        """Call ``callback(assignment)`` when an assignment's "open" is pressed."""
        self.callbacks("on_open").register(callback, remove)

    def refresh(self) -> None:
        """Read the user's assignments and their progress again."""
        project_ids = [p.id for p in self.client.projects.list()]
        listed = (
            self.client.assignments.list(project_ids=project_ids, assignee_id=self.client.user_email)
            if project_ids
            else []
        )
        self.assignments = list(listed)
        task_names: dict[str, str] = {}
        rows: list[w.Widget] = []
        for assignment in self.assignments:
            task_id = assignment.task_id or ""
            if task_id not in task_names:
                task_names[task_id] = self.client.tasks.get(task_id=task_id).name if task_id else "?"
            text = (
                f"<span class='dlw-my-assignment'>{html.escape(task_names[task_id])}: "
                f"{progress_text(assignment)}</span>"
            )
            opened = functools.partial(self.callbacks("on_open").fire, assignment)
            rows.append(self.shared.hbox(self.shared.html(text), self.button("open", opened, "pencil")))
        self.replace_children(self._rows, rows or [self.shared.html("<i>no assignments for you</i>")])
