"""Items in a task carry ``metadata.system.refs`` naming the task and the assignment, on both transports;
deleting the task takes its refs away and leaves refs of other kinds."""

from __future__ import annotations

from labelled import labelled_image

import dlwidgets as dw


def test_task_refs_come_and_go_with_the_task(both: dw.Client) -> None:
    dataset, item = labelled_image(both, "refs", "pets", [])
    item.metadata["system"]["refs"] = [{"type": "note", "id": "kept"}]
    item = item.update(system_metadata=True)
    task = dataset.tasks.create(task_name="t", assignee_ids=["ann@example.com"], items=[item])
    (assignment,) = task.assignments.list()
    refs = dataset.items.get(item_id=item.id).metadata["system"]["refs"]
    assert refs == [
        {"type": "note", "id": "kept"},
        {"type": "task", "id": task.id},
        {"type": "assignment", "id": assignment.id},
    ]
    assert [i.id for i in task.get_items().all()] == [item.id]
    assert [i.id for i in assignment.get_items().all()] == [item.id]
    assert task.delete() is True
    assert dataset.items.get(item_id=item.id).metadata["system"]["refs"] == [{"type": "note", "id": "kept"}]
