"""Task and assignment progress come from the items' statuses, per task, on both transports; a status
the task does not accept, or an item outside the task, is refused naming the value."""

from __future__ import annotations

import datetime

import pytest
from photos import photos

import dlwidgets as dw


def test_progress_and_status_follow_the_items_statuses(both: dw.Client) -> None:
    dataset, items = photos(both, 4)
    task = dataset.tasks.create(
        task_name="label", assignee_ids=["ann@example.com", "bo@example.com"], items=items
    )
    assert (task.progress, task.status, task.item_status, task.total_items) == (0, "open", {}, 4)
    first, second = task.assignments.list()
    mine = [i.id for i in first.get_items().all()]
    assert task.set_status(status="completed", operation="create", item_ids=mine) is True
    dataset.items.get(item_id=next(second.get_items().all()).id).update_status(
        status=dw.ItemStatus.DISCARDED, assignment_id=second.id
    )
    task = dataset.tasks.get(task_id=task.id)
    assert (task.progress, task.status, task.item_status) == (75, "open", {"completed": 2, "discard": 1})
    first, second = task.assignments.list()
    assert (first.progress, first.status, first.item_status) == (100, "completed", {"completed": 2})
    assert (second.progress, second.status, second.item_status) == (50, "open", {"discard": 1})
    rest = [i.id for i in second.get_items().all()]
    task.set_status(status="completed", operation="create", item_ids=rest[1:])
    task = dataset.tasks.get(task_id=task.id)
    assert (task.progress, task.status) == (100, "completed")
    task.set_status(status="completed", operation="delete", item_ids=rest[1:])
    assert dataset.tasks.get(task_id=task.id).status == "open"


def test_a_task_is_due_in_a_week_unless_told(both: dw.Client) -> None:
    dataset, items = photos(both, 1)
    task = dataset.tasks.create(task_name="label", assignee_ids=["ann@example.com"], items=items)
    week = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=7)).timestamp() * 1000
    assert task.due_date == pytest.approx(week, abs=60_000)


def test_statuses_are_per_task(both: dw.Client) -> None:
    dataset, items = photos(both, 2)
    first = dataset.tasks.create(task_name="first", assignee_ids=["ann@example.com"], items=items)
    second = dataset.tasks.create(task_name="second", assignee_ids=["ann@example.com"], items=items)
    first.set_status(status="completed", operation="create", item_ids=[items[0].id])
    assert dataset.tasks.get(task_id=first.id).progress == 50
    assert dataset.tasks.get(task_id=second.id).progress == 0
    item = dataset.items.get(item_id=items[0].id)
    assert (item.status(task_id=first.id), item.status(task_id=second.id)) == ("completed", None)


def test_an_unknown_status_is_refused_naming_it_and_the_accepted_ones(both: dw.Client) -> None:
    dataset, items = photos(both, 1)
    task = dataset.tasks.create(task_name="label", assignee_ids=["ann@example.com"], items=items)
    with pytest.raises(dw.exceptions.BadRequest) as refused:
        task.set_status(status="done", operation="create", item_ids=[items[0].id])
    assert "'done'" in str(refused.value)
    assert "['completed', 'approved', 'discard']" in str(refused.value)
    assert dataset.tasks.get(task_id=task.id).progress == 0


def test_an_item_outside_the_task_is_refused_naming_it(both: dw.Client) -> None:
    dataset, items = photos(both, 2)
    task = dataset.tasks.create(task_name="label", assignee_ids=["ann@example.com"], items=items[:1])
    with pytest.raises(dw.exceptions.NotFound) as refused:
        task.set_status(status="completed", operation="create", item_ids=[items[0].id, items[1].id])
    assert repr(items[1].id) in str(refused.value)
    assert "not in the task" in str(refused.value)
    # All or nothing: the item that is in the task got no status either.
    assert dataset.tasks.get(task_id=task.id).progress == 0


def test_a_stale_copy_of_an_item_saved_whole_keeps_the_statuses_set_since(both: dw.Client) -> None:
    """dtlpy's ``item.update(system_metadata=True)`` sends the item's whole metadata, refs included: a
    copy read before a status was set must not take the status away (nor a task's refs)."""
    dataset, items = photos(both, 1)
    task = dataset.tasks.create(task_name="label", assignee_ids=["ann@example.com"], items=items)
    stale = dataset.items.get(item_id=items[0].id)
    task.set_status(status="completed", operation="create", item_ids=[stale.id])
    metadata = {**stale.metadata, "user": {"checked": True}}
    metadata["system"]["refs"] = [*metadata["system"]["refs"][:1], {"type": "note", "id": "mine"}]
    with pytest.warns(UserWarning, match="task and assignment refs"):
        both.request("PATCH", f"/items/{stale.id}", params={"system": "true"}, json={"metadata": metadata})
    item = dataset.items.get(item_id=stale.id)
    assert item.status(task_id=task.id) == "completed"
    assert item.metadata["user"] == {"checked": True}
    assert sorted(r["type"] for r in item.metadata["system"]["refs"]) == ["assignment", "note", "task"]
    assert dataset.tasks.get(task_id=task.id).progress == 100
