"""``WorkQueue``: the items of a task or of one assignment, with their statuses, as an annotator or a
reviewer works them: complete, discard, reopen; in a QA task approve, or reject with a note.

Statuses are the platform's (``item.update_status``, read from each item's ``metadata.system.refs``);
a rejection is a QA note on the item (``dw.Note``, open while its status is ``issue``), which the
annotator of the reviewed task reads in her own queue. No ipywidgets here: the Annotator's queue bar is a
view over this.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...api import Annotation, Assignment, Filters, FiltersResource, Item, ItemStatus, Note, Task

# What each status reads as in the queue.
STATUS_NAMES = {
    ItemStatus.COMPLETED.value: "completed",
    ItemStatus.DISCARDED.value: "discarded",
    ItemStatus.APPROVED.value: "approved",
}
REJECTED = "rejected"
OPEN_NOTE = "issue"  # a note's status while it is open (dtlpy's AnnotationStatus)
FIXED_NOTE = "review"  # fixed by the annotator, for the reviewer to look at again
NOTE_LABEL = "note"
# An item's notes: the annotations' default query leaves them out, as dtlpy's does.
_NOTES = Filters(field="type", values=Note.type, resource=FiltersResource.ANNOTATION)
_NOTES_PER_QUERY = 500  # items whose notes one query reads


def progress_text(assignment: Assignment) -> str:
    """An assignment's progress as the platform counts it: ``"12 of 40 done"`` (any status is done)."""
    done = sum((assignment.item_status or {}).values()) if isinstance(assignment.item_status, dict) else 0
    return f"{done} of {assignment.total_items or 0} done"


@dataclass(frozen=True)
class Rejection:
    """An open QA note on an item: who wrote it and what it says."""

    creator: str | None
    text: str


class WorkQueue:
    """``WorkQueue(task)`` or ``WorkQueue(assignment)``: its items in order, each with its status here."""

    def __init__(self, source: Task | Assignment) -> None:
        if isinstance(source, Assignment):
            if source.task_id is None:
                raise ValueError(f"assignment {source.id!r} does not say its task")
            self.assignment: Assignment | None = source
            self.task = source.client.tasks.get(task_id=source.task_id)
            pages = source.get_items()
        elif isinstance(source, Task):
            self.assignment = None
            self.task = source
            pages = source.get_items()
        else:
            raise TypeError(f"a work queue is made from a Task or an Assignment, got {source!r:.80}")
        self.items: list[Item] = list(pages.all())
        if not self.items:
            raise ValueError(f"{self.title} has no items; nothing to work")
        self._statuses = {item.id: item.status(task_id=self.task.id) for item in self.items}
        self._notes = self._read_open_notes()

    @property
    def is_qa(self) -> bool:
        """A QA task: its items are approved or rejected, not completed."""
        return self.task.spec.get("type") == "qa"

    @property
    def title(self) -> str:
        """The task's name, and the annotator for an assignment's queue."""
        who = f" ({self.assignment.annotator})" if self.assignment is not None else ""
        return f"task {self.task.name!r}{who}"

    def status(self, item: Item) -> str | None:
        """``"completed"``, ``"discarded"``, ``"approved"``, ``"rejected"`` (an open QA note on it, with
        no other status, or in a QA task), or None while it is to do."""
        stored = self._statuses.get(item.id)
        if self.rejections(item) and (stored is None or stored == ItemStatus.COMPLETED.value or self.is_qa):
            return REJECTED
        return STATUS_NAMES.get(stored or "", stored)

    def is_done(self, item: Item) -> bool:
        """Done in this queue: it has a status, and (outside QA) no open note asks for more work."""
        status = self.status(item)
        return status is not None and (self.is_qa or status != REJECTED)

    @property
    def done(self) -> int:
        return sum(self.is_done(item) for item in self.items)

    @property
    def progress(self) -> str:
        """``"12 of 40 done"``."""
        return f"{self.done} of {len(self.items)} done"

    def next_unfinished(self, after: int) -> int | None:
        """The index of the first item not done after ``after``, wrapping round; None when all others are."""
        count = len(self.items)
        for step in range(1, count):
            index = (after + step) % count
            if not self.is_done(self.items[index]):
                return index
        return None

    def rejections(self, item: Item) -> list[Rejection]:
        """The open QA notes on ``item``, as read when the queue opened (a rejection made here is added as
        it is made)."""
        return self._notes.setdefault(item.id, [])

    def _read_open_notes(self) -> dict[str, list[Rejection]]:
        """Every open QA note on the queue's items, read with one query per ``_NOTES_PER_QUERY`` items
        rather than one per item: the progress shown at once needs them all."""
        notes: dict[str, list[Rejection]] = {item.id: [] for item in self.items}
        annotations = self.items[0].dataset.annotations
        ids = list(notes)
        for start in range(0, len(ids), _NOTES_PER_QUERY):
            filters = Filters(field="type", values=Note.type, resource=FiltersResource.ANNOTATION)
            filters.add(field="itemId", values=ids[start : start + _NOTES_PER_QUERY], operator="in")
            filters.add(field="metadata.system.status", values=OPEN_NOTE)
            for page in annotations.list(filters=filters, page_size=1000):
                for annotation in page:
                    text = " ".join(m.body or "" for m in annotation.messages)
                    notes[str(annotation.item_id)].append(Rejection(annotation.creator, text))
        return notes

    def _open_notes(self, item: Item) -> list[Annotation]:
        return [
            annotation
            for annotation in item.annotations.list(filters=_NOTES)
            if annotation.metadata.get("system", {}).get("status") == OPEN_NOTE
        ]

    # -- actions ------------------------------------------------------------------------------------
    def complete(self, item: Item) -> None:
        """Mark the item completed; a rejected item's open notes go back to the reviewer (``review``)."""
        if self.rejections(item) and not self.is_qa:
            for annotation in self._open_notes(item):
                annotation.metadata.setdefault("system", {})["status"] = FIXED_NOTE
                annotation.update(system_metadata=True)
            self._notes[item.id] = []
        self._set(item, ItemStatus.COMPLETED)

    def discard(self, item: Item) -> None:
        self._set(item, ItemStatus.DISCARDED)

    def approve(self, item: Item) -> None:
        self._set(item, ItemStatus.APPROVED)

    def reopen(self, item: Item) -> None:
        """Clear the item's status (completed or discarded by mistake): it is to do again."""
        stored = self._statuses.get(item.id)
        if stored is not None:
            self._update(item, stored, clear=True)
            self._statuses[item.id] = None

    def reject(self, item: Item, note: str) -> None:
        """Leave ``note`` on the item as an open QA note over the whole image; an approval is withdrawn."""
        text = note.strip()
        if not text:
            raise ValueError("a rejection needs a short note saying what to fix")
        if self._statuses.get(item.id) == ItemStatus.APPROVED.value:
            self.reopen(item)
        width, height = item.width or 1, item.height or 1
        definition = Note(left=0, top=0, right=width, bottom=height, label=NOTE_LABEL, messages=[text])
        item.annotations.upload([definition])
        self.rejections(item).append(Rejection(definition.creator, text))

    def _set(self, item: Item, status: ItemStatus) -> None:
        stored = self._statuses.get(item.id)
        if stored == status.value:
            return
        if stored is not None:
            self._update(item, stored, clear=True)
        self._update(item, status.value)
        self._statuses[item.id] = status.value

    def _update(self, item: Item, status: str, clear: bool = False) -> None:
        """Through the item's assignment in this task, so that the assignment's progress counts it too."""
        assignment_id = self.assignment.id if self.assignment is not None else self._assignment_of(item)
        if assignment_id is not None:
            item.update_status(status=status, clear=clear, assignment_id=assignment_id)
        else:
            item.update_status(status=status, clear=clear, task_id=self.task.id)

    def _assignment_of(self, item: Item) -> str | None:
        ids = set(self.task.assignment_ids)
        refs = item.system.get("refs", [])
        return next((r["id"] for r in refs if r.get("type") == "assignment" and r.get("id") in ids), None)
