"""``QueueBar``: the Annotator's bar for working a task or an assignment: the shown item's status and
notes, progress ("12 of 40 done"), Complete / Discard / Reopen / Next unfinished, and in a QA task
Approve / Reject with a note. Keys: C complete, D discard, N next unfinished, A approve, R reject."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, Protocol

import ipywidgets as w

from ...api import Item
from ..base import WidgetBase
from ..models.work_queue import REJECTED, WorkQueue


class Working(Protocol):
    """What the bar reads and calls on its Annotator."""

    @property
    def item(self) -> Item: ...
    @property
    def index(self) -> int: ...
    def save(self) -> bool: ...
    def go_to(self, index: int) -> None: ...


class QueueBar(WidgetBase):
    """The queue's controls over ``annotator``; each action saves the item's edits first."""

    def __init__(self, annotator: Working, queue: WorkQueue) -> None:
        super().__init__()
        self._annotator = annotator
        self.queue = queue
        self._title = w.HTML(f"<b class='dlw-queue-title'>{html.escape(queue.title)}</b>")
        self._progress = w.HTML()
        self._item_status = w.HTML()
        self._notes = w.HTML()
        self.note = w.Text(placeholder="what to fix (for Reject)", layout=w.Layout(width="260px"))
        if queue.is_qa:
            actions = [
                self.button("Approve", self.approve, "check", "Approve, then the next item (A)"),
                self.note,
                self.button("Reject", self.reject, "times", "Reject with the note, then the next item (R)"),
            ]
        else:
            self.own(self.note)
            actions = [
                self.button("Complete", self.complete, "check", "Save, complete, then the next item (C)"),
                self.button("Discard item", self.discard, "ban", "Mark the item discarded (D)"),
            ]
        actions += [
            self.button("Reopen", self.reopen, "undo", "Clear the item's status: it is to do again"),
            self.button("Next unfinished", self.next_unfinished, "step-forward", "Skip done items (N)"),
        ]
        # The queue's keys (without Ctrl): the key, what it does (listed with the annotator's shortcuts).
        keys: list[tuple[str, str, Callable[[], None]]] = [
            *(
                [
                    ("a", "approve, then the next item", self.approve),
                    ("r", "reject with the note", self.reject),
                ]
                if queue.is_qa
                else [
                    ("c", "save, complete, then the next item", self.complete),
                    ("d", "discard", self.discard),
                ]
            ),
            ("n", "next unfinished item", self.next_unfinished),
        ]
        self._keys = {key: action for key, _does, action in keys}
        self.shortcuts = [[key.upper(), does] for key, does, _action in keys]
        self.children = [
            w.HBox([self._title, self._progress, self._item_status]),
            w.HBox(actions),
            self._notes,
            self.status_line,
        ]
        self.add_class("dlw-queue")

    # -- actions ------------------------------------------------------------------------------------
    def complete(self) -> None:
        """Save the edits, mark the item completed, and show the next unfinished item."""
        self._finish(lambda item: self.queue.complete(item), "completed")

    def discard(self) -> None:
        self._finish(lambda item: self.queue.discard(item), "discarded")

    def approve(self) -> None:
        self._finish(lambda item: self.queue.approve(item), "approved")

    def reject(self) -> None:
        """Reject the item with the note typed beside the button (a note is required)."""
        note = self.note.value
        self._finish(lambda item: self.queue.reject(item, note), "rejected")
        if self.status_kind != "error":
            self.note.value = ""

    def reopen(self) -> None:
        """Clear the shown item's status (done by mistake): it is to do again."""
        self.attempt(lambda: self.queue.reopen(self._annotator.item))
        self.show(self._annotator.item)

    def next_unfinished(self) -> None:
        """Show the next item not done yet, skipping done ones."""
        index = self.queue.next_unfinished(self._annotator.index)
        if index is None:
            self.notice(_all_done(len(self.queue.items)), "dlw-queue-done")
        else:
            self._annotator.go_to(index)

    def handle_key(self, event: dict[str, Any]) -> bool:
        """Run the action of a queue key (C, D, N, A, R without Ctrl); True when the key was one."""
        key = str(event.get("key", "")).lower()
        action = self._keys.get(key) if not event.get("ctrl") else None
        if action is not None:
            action()
        return action is not None

    # -- showing ------------------------------------------------------------------------------------
    def show(self, item: Item) -> None:
        """Show ``item``'s status and open notes, and the queue's progress."""
        status = self.attempt(lambda: self.queue.status(item), clear=False)
        shown = status or "to do"
        progress = html.escape(self.queue.progress)
        self._progress.value = f"<span class='dlw-progress' style='margin:0 12px'>{progress}</span>"
        self._item_status.value = (
            f"<span class='dlw-item-status' data-status='{html.escape(shown)}'>"
            f"status: <b>{html.escape(shown)}</b></span>"
        )
        notes = self.queue.rejections(item) if status == REJECTED else []
        self._notes.value = "".join(
            f"<div class='dlw-queue-note'>rejected by {html.escape(r.creator or 'a reviewer')}: "
            f"{html.escape(r.text)}</div>"
            for r in notes
        )

    def _finish(self, mark: Callable[[Item], None], done: str) -> None:
        item = self._annotator.item
        if not self._annotator.save():
            return  # the Annotator shows why; the status is not set on unsaved work
        if self.attempt(lambda: mark(item)) is None and self.status_kind == "error":
            self.show(item)
            return
        self.show(item)
        index = self.queue.next_unfinished(self._annotator.index)
        if index is None:
            self.notice(f"{item.name} {done}; {_all_done(len(self.queue.items))}", "dlw-queue-done")
        else:
            self._annotator.go_to(index)
            self.notice(f"{item.name} {done}")


def _all_done(count: int) -> str:
    """What the queue says once every item of it is done."""
    return "the item is done" if count == 1 else f"all {count:,} items are done"
