"""Add items to a task and take some out again, with new assignees and without."""

import datetime

import dtlpy as dl

project = dl.projects.create(project_name="task-changes")
dataset = project.datasets.create(dataset_name="photos")
items = [dataset.items.upload(local_path=f"photos/p{i}.png", remote_path="/photos") for i in range(3)]
notes = dataset.items.upload(local_path="notes.txt", remote_path="/docs")
task = dataset.tasks.create(
    task_name="grows",
    due_date=datetime.datetime(2030, 1, 1).timestamp(),
    assignee_ids=["ann.lee@example.com"],
    items=items[:1],
)
task = task.add_items(items=items[1:2])
in_docs = dl.Filters(field="dir", values="/docs")
task = task.add_items(filters=in_docs, assignee_ids=["bo.chen@example.com"])
after_adding = {a.annotator: sorted(i.name for i in a.get_items().all()) for a in task.assignments.list()}
task.remove_items(items=[items[0], notes])
task = dataset.tasks.get(task_id=task.id)

result = {
    "after_adding": after_adding,
    "after_removing": sorted(i.name for i in task.get_items().all()),
    "total_items": [a.total_items for a in sorted(task.assignments.list(), key=lambda a: a.annotator)],
    "refs_of_removed": dataset.items.get(item_id=items[0].id).metadata["system"]["refs"],
}
