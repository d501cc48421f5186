"""The Annotator on a task's or an assignment's queue: the item's status, Complete (saving first, then
the next unfinished item), Discard, Reopen, progress, and in a QA task Approve and Reject with a note."""

from __future__ import annotations

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator


def key(annotator: Annotator, name: str) -> None:
    annotator._on_gesture({"type": "key", "key": name, "ctrl": False, "shift": False})


def shown(annotator: Annotator) -> tuple[str, str]:
    bar = annotator.queue_bar
    assert bar is not None
    return bar.value("item_status"), bar.value("progress")


def test_complete_saves_then_shows_the_next_unfinished_item_and_the_task_reaches_100(task: dw.Task) -> None:
    assignment = task.assignments.list()[0]
    annotator = Annotator(assignment)
    assert "status: to do" in shown(annotator)[0] and "0 of 3 done" in shown(annotator)[1]
    listed = [keys for keys, _does in annotator.stage.shortcuts]  # what `?` shows
    assert {"C", "D", "N"} <= set(listed) and "Esc" in listed
    annotator.annotations = [dw.Box(left=1, top=2, right=30, bottom=20, label="car")]
    first = annotator.item
    key(annotator, "c")
    assert [a.label for a in first.annotations.list()] == ["car"]  # saved before completing
    assert annotator.index == 1 and "1 of 3 done" in shown(annotator)[1]
    key(annotator, "d")  # discarded
    assert annotator.index == 2
    annotator.queue_bar.complete()  # type: ignore[union-attr]
    assert "3 of 3 done" in shown(annotator)[1] and "all 3 items are done" in annotator.queue_bar.status  # type: ignore[union-attr]
    assert task.client.tasks.get(task_id=task.id).progress == 100
    assert task.assignments.list()[0].progress == 100


def test_next_unfinished_skips_done_items_and_reopen_clears_a_status(task: dw.Task) -> None:
    annotator = Annotator(task)
    bar = annotator.queue_bar
    assert bar is not None
    annotator.next()
    bar.complete()  # item 2 done: the next unfinished after it is item 3
    assert annotator.index == 2
    annotator.go_to(1)
    assert "status: completed" in shown(annotator)[0]
    bar.press("reopen")
    assert "status: to do" in shown(annotator)[0] and "0 of 3 done" in shown(annotator)[1]
    assert task.client.items.get(item_id=annotator.item.id).status(task_id=task.id) is None
    annotator.go_to(0)
    bar.complete()
    key(annotator, "n")  # from item 2, item 3 is the next unfinished
    assert annotator.index == 2


def test_a_qa_reviewer_rejects_with_a_note_and_the_annotator_sees_it(task: dw.Task) -> None:
    work = Annotator(task.assignments.list()[0])
    for _ in range(3):
        work.queue_bar.complete()  # type: ignore[union-attr]
    qa = task.create_qa_task(assignee_ids=["rev@example.com"])
    review = Annotator(qa)
    bar = review.queue_bar
    assert bar is not None and "Approve" in [c.get("text") for c in bar.controls]
    key(review, "a")
    assert review.index == 1
    key(review, "r")  # no note: refused, the item stays
    assert "needs a short note" in bar.status and review.index == 1
    assert bar.value("status") == bar.status and bar.tones["status"] == "error"  # shown in the bar
    rejected = review.item
    bar.set("note", "the box misses the tail")  # as typed into the note
    bar.press("reject")
    assert bar.value("note") == "" and review.index == 2 and "2 of 3 done" in shown(review)[1]
    mine = Annotator(task.assignments.list()[0])
    mine.go_to([i.id for i in mine.queue.items].index(rejected.id))  # type: ignore[union-attr]
    assert "status: rejected" in shown(mine)[0]
    assert "the box misses the tail" in mine.queue_bar.value("notes")  # type: ignore[union-attr]
    assert "2 of 3 done" in shown(mine)[1]
