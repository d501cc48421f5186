"""Set, read and clear item statuses in a task: by task id, by assignment id, and with no id when the item
is in one task only."""

import datetime

import dtlpy as dl

project = dl.projects.create(project_name="statuses")
dataset = project.datasets.create(dataset_name="photos")
items = [dataset.items.upload(local_path=f"photos/p{i}.png", remote_path="/photos") for i in range(3)]
task = dataset.tasks.create(
    task_name="review",
    due_date=datetime.datetime(2030, 1, 1).timestamp(),
    assignee_ids=["ann.lee@example.com"],
    items=items,
)
assignment = task.assignments.list()[0]

first, second, third = (dataset.items.get(item_id=i.id) for i in items)
done = first.update_status(status=dl.ItemStatus.COMPLETED, task_id=task.id)
second.update_status(status=dl.ItemStatus.DISCARDED, assignment_id=assignment.id)
third.update_status(status=dl.ItemStatus.APPROVED)
first, second, third = (dataset.items.get(item_id=i.id) for i in items)
set_ = [
    first.status(task_id=task.id),
    second.status(assignment_id=assignment.id),
    third.status(task_id=task.id),
]

third.update_status(status=dl.ItemStatus.APPROVED, task_id=task.id, clear=True)
third = dataset.items.get(item_id=third.id)

result = {
    "returned": done,
    "set": set_,
    "cleared": third.status(task_id=task.id),
    "enum": [s.value for s in dl.ItemStatus],
}
