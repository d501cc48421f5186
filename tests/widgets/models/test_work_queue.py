"""The work queue of a task or an assignment: statuses as the platform keeps them, progress, next
unfinished, reopening, and QA approvals and rejections with a note that the annotator reads."""

from __future__ import annotations

import pytest

import dlwidgets as dw
from dlwidgets.widgets.models.work_queue import WorkQueue


def test_completing_the_items_of_an_assignment_makes_the_task_100_percent(task: dw.Task) -> None:
    queue = WorkQueue(task.assignments.list()[0])
    assert queue.progress == "0 of 3 done" and not queue.is_qa
    queue.complete(queue.items[0])
    queue.discard(queue.items[2])
    assert queue.progress == "2 of 3 done"
    assert queue.next_unfinished(0) == 1 and queue.next_unfinished(1) is None
    queue.complete(queue.items[1])
    stored = task.client.tasks.get(task_id=task.id)
    assert stored.progress == 100 and task.assignments.list()[0].progress == 100
    again = WorkQueue(task)  # the statuses are read back from the platform
    assert [again.status(i) for i in again.items] == ["completed", "completed", "discarded"]


def test_an_item_completed_by_mistake_is_reopened(task: dw.Task) -> None:
    queue = WorkQueue(task)
    item = queue.items[0]
    queue.complete(item)
    queue.reopen(item)
    assert queue.status(item) is None and queue.progress == "0 of 3 done"
    fetched = task.client.items.get(item_id=item.id)
    assert fetched.status(task_id=task.id) is None
    assert task.client.tasks.get(task_id=task.id).progress == 0


def test_a_rejected_item_shows_its_note_in_the_annotators_queue(task: dw.Task) -> None:
    work = WorkQueue(task)
    for item in work.items:
        work.complete(item)
    qa_task = task.create_qa_task(assignee_ids=["rev@example.com"])
    review = WorkQueue(qa_task)
    assert review.is_qa and review.progress == "0 of 3 done"
    review.approve(review.items[0])
    with pytest.raises(ValueError, match="note"):
        review.reject(review.items[1], "  ")
    review.reject(review.items[1], "the box misses the tail")
    assert review.status(review.items[1]) == "rejected" and review.progress == "2 of 3 done"
    mine = WorkQueue(task.assignments.list()[0])
    rejected = next(i for i in mine.items if i.id == review.items[1].id)
    assert mine.status(rejected) == "rejected"
    assert [r.text for r in mine.rejections(rejected)] == ["the box misses the tail"]
    assert mine.progress == "2 of 3 done"
    assert mine.next_unfinished(0) == mine.items.index(rejected) or mine.items.index(rejected) == 0
    mine.complete(rejected)  # fixed: done again, its note back with the reviewer
    assert mine.status(rejected) == "completed" and mine.progress == "3 of 3 done"
    again = WorkQueue(task.assignments.list()[0])
    assert again.status(rejected) == "completed" and again.rejections(rejected) == []


def test_a_queue_is_made_from_a_task_or_an_assignment_only(dataset: dw.Dataset) -> None:
    with pytest.raises(TypeError, match="Task or an Assignment"):
        WorkQueue(dataset)  # type: ignore[arg-type]
