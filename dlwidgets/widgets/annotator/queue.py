"""``QueueBar``: the Annotator's bar for working a task or an assignment: the shown item's status and
notes, progress ("12 of 40 done"), Complete / Discard / Reopen / Next unfinished, and in a QA task
Approve / Reject with a note. Keys: C complete, D discard, N next unfinished, A approve, R reject."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ...api import Item
from .. import control_bar as cb
from ..base import ERROR
from ..control_bar import ControlBar
from ..models.work_queue import REJECTED, WorkQueue


class Working(Protocol):
    """What the bar reads and calls on its Annotator."""

    @property
    def item(self) -> Item: ...
    @property
    def index(self) -> int: ...
    def save(self) -> bool: ...
    def go_to(self, index: int) -> None: ...


# The queue's keys (without Ctrl): the key, what it does (listed with the annotator's shortcuts), the bar's
# method that does it.
QA_KEYS = (("a", "approve, then the next item", "approve"), ("r", "reject with the note", "reject"))
WORK_KEYS = (("c", "save, complete, then the next item", "complete"), ("d", "discard", "discard"))
NEXT_KEY = ("n", "next unfinished item", "next_unfinished")


def queue_keys(queue: WorkQueue) -> tuple[tuple[str, str, str], ...]:
    """The keys of the bar over ``queue``: a QA task's, or a labelling one's."""
    return (*(QA_KEYS if queue.is_qa else WORK_KEYS), NEXT_KEY)


def queue_shortcuts(queue: WorkQueue) -> list[list[str]]:
    """The rows the shortcuts overlay lists for the bar over ``queue``: known before the bar is made."""
    return [[key.upper(), does] for key, does, _action in queue_keys(queue)]


class QueueBar(ControlBar):
    """The queue's controls over ``annotator``, one ``ControlBar`` with its own status; each action saves
    the item's edits first."""

    def __init__(self, annotator: Working, queue: WorkQueue, **traits: Any) -> None:
        self._annotator = annotator
        self.queue = queue
        if queue.is_qa:
            actions: list[tuple[cb.Control, Callable[[], None]]] = [
                (cb.button("approve", "Approve", "check", "Approve, then the next item (A)"), self.approve),
                (cb.field("note", placeholder="what to fix (for Reject)", width="260px"), self._noted),
                (
                    cb.button("reject", "Reject", "times", "Reject with the note, then the next item (R)"),
                    self.reject,
                ),
            ]
        else:
            actions = [
                (
                    cb.button("complete", "Complete", "check", "Save, complete, then the next item (C)"),
                    self.complete,
                ),
                (cb.button("discard", "Discard item", "ban", "Mark the item discarded (D)"), self.discard),
            ]
        actions += [
            (
                cb.button("reopen", "Reopen", "undo", "Clear the item's status: it is to do again"),
                self.reopen,
            ),
            (
                cb.button("next_unfinished", "Next unfinished", "step-forward", "Skip done items (N)"),
                self.next_unfinished,
            ),
        ]
        controls = [
            cb.text("title", css_class="dlw-queue-title"),
            cb.text("progress", css_class="dlw-progress"),
            cb.text("item_status", css_class="dlw-item-status"),
            cb.row_break("actions"),
            *(control for control, _action in actions),
            cb.row_break("notes_row"),
            cb.text("notes", css_class="dlw-queue-note dlw-cb-wrap"),
            cb.text("status", css_class="dlw-queue-status dlw-cb-wrap"),
        ]
        handlers = {control["id"]: action for control, action in actions}
        traits.setdefault("_dom_classes", ["dlw-queue"])
        super().__init__(controls, handlers, {"title": queue.title}, **traits)
        self._keys = {key: getattr(self, action) for key, _does, action in queue_keys(queue)}

    def _noted(self, _note: str = "") -> None:
        """The note as typed is the field's value (read by ``reject``)."""

    def _show_status(self, kind: str, message: str, css_class: str) -> None:
        """The bar's status stays in the bar, as a readout (an error in the error colour)."""
        with self.hold_sync():
            self.update({"status": message})
            self.tone("status", "error" if kind == ERROR else "")

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
        note = self.value("note") or ""
        self._finish(lambda item: self.queue.reject(item, note), "rejected")
        if self.status_kind != "error":
            self.update({"note": ""})

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
        notes = self.queue.rejections(item) if status == REJECTED else []
        self.update(
            {
                "progress": self.queue.progress,
                "item_status": f"status: {shown}",
                "notes": "  ·  ".join(f"rejected by {r.creator or 'a reviewer'}: {r.text}" for r in notes),
            }
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
