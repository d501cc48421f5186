"""``dataset.tasks.create_qa_task``: a 'qa' task over the items done in the task it reviews, with its own
statuses; a QA task over a task of another dataset is refused naming both."""

from __future__ import annotations

import pytest
from photos import photos

import dlwidgets as dw


def test_a_qa_task_reviews_the_items_done_in_its_task(both: dw.Client) -> None:
    dataset, items = photos(both, 3)
    task = dataset.tasks.create(task_name="label", assignee_ids=["ann@example.com"], items=items)
    task.set_status(status="completed", operation="create", item_ids=[items[0].id, items[1].id])
    qa = dataset.tasks.create_qa_task(task=task, assignee_ids=["rev@example.com"], due_date=1_900_000_000)
    assert (qa.name, qa.spec, qa.total_items) == ("label_qa", {"type": "qa", "parentTaskId": task.id}, 2)
    assert qa.due_date == 1_900_000_000_000
    assert sorted(i.name for i in qa.get_items().all()) == ["p0.png", "p1.png"]
    (review,) = qa.assignments.list()
    assert review.annotator == "rev@example.com"
    qa.set_status(status=dw.ItemStatus.APPROVED, operation="create", item_ids=[items[0].id])
    qa, task = dataset.tasks.get(task_id=qa.id), dataset.tasks.get(task_id=task.id)
    assert (qa.progress, qa.item_status) == (50, {"approved": 1})
    assert (task.progress, task.item_status) == (67, {"completed": 2})
    # items= chooses the items itself; filters= narrows the done ones.
    qa.delete()
    by_items = dataset.tasks.create_qa_task(task=task, assignee_ids=["rev@example.com"], items=[items[2]])
    assert [i.name for i in by_items.get_items().all()] == ["p2.png"]
    by_items.delete()
    narrowed = dataset.tasks.create_qa_task(
        task=task, assignee_ids=["rev@example.com"], filters=dw.Filters(field="name", values="p1.png")
    )
    assert [i.name for i in narrowed.get_items().all()] == ["p1.png"]


def test_a_qa_task_over_a_task_of_another_dataset_is_refused(both: dw.Client) -> None:
    dataset, items = photos(both, 1)
    task = dataset.tasks.create(task_name="label", assignee_ids=["ann@example.com"], items=items)
    task.set_status(status="completed", operation="create", item_ids=[items[0].id])
    other = both.projects.get(project_id=dataset.project_id).datasets.create(dataset_name="other")
    with pytest.raises(dw.exceptions.BadRequest) as refused:
        other.tasks.create_qa_task(task=task, assignee_ids=["rev@example.com"])
    message = str(refused.value)
    assert (
        "'label'" in message and repr(task.id) in message and "'photos'" in message and "'other'" in message
    )
    assert other.tasks.list() == []
    with pytest.raises(TypeError, match=repr(task.id)):
        dataset.tasks.create_qa_task(task=task.id, assignee_ids=["rev@example.com"])  # type: ignore[arg-type]


def test_the_entities_say_it_as_dtlpy_does(both: dw.Client) -> None:
    """``assignment.set_status`` and ``task.create_qa_task``, dtlpy's entity methods."""
    dataset, items = photos(both, 2)
    task = dataset.tasks.create(task_name="label", assignee_ids=["ann@example.com"], items=items)
    (assignment,) = task.assignments.list()
    assert assignment.set_status(status="completed", operation="create", item_id=items[1].id) is True
    qa = task.create_qa_task(assignee_ids=["rev@example.com"])
    assert (qa.name, [i.name for i in qa.get_items().all()]) == ("label_qa", ["p1.png"])
    assignment.set_status(status="completed", operation="delete", item_id=items[1].id)
    assert dataset.items.get(item_id=items[1].id).status(assignment_id=assignment.id) is None


def test_a_qa_task_needs_done_items(both: dw.Client) -> None:
    dataset, items = photos(both, 2)
    task = dataset.tasks.create(task_name="label", assignee_ids=["ann@example.com"], items=items)
    with pytest.raises(dw.exceptions.BadRequest, match="'label_qa' would have no items"):
        dataset.tasks.create_qa_task(task=task, assignee_ids=["rev@example.com"])
