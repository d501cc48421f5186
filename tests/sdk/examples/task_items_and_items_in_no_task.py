"""The items of a task and of its assignments, and the items in no task, found by their task refs."""

import datetime

import dtlpy as dl

project = dl.projects.create(project_name="task-items")
dataset = project.datasets.create(dataset_name="photos")
items = [dataset.items.upload(local_path=f"photos/p{i}.png", remote_path="/photos") for i in range(3)]
task = dataset.tasks.create(
    task_name="first two",
    due_date=datetime.datetime(2030, 1, 1).timestamp(),
    assignee_ids=["ann.lee@example.com", "bo.chen@example.com"],
    items=items[:2],
)

in_no_task = dl.Filters()
in_no_task.add(field="metadata.system.refs", values=[])
refs = dataset.items.get(item_id=items[0].id).metadata["system"]["refs"]
owner = next(a for a in task.assignments.list() if items[0].id in [i.id for i in a.get_items().all()])

result = {
    "task": sorted(item.name for item in task.get_items().all()),
    "assignments": sorted(
        (assignment.annotator, [item.name for item in assignment.get_items().all()])
        for assignment in task.assignments.list()
    ),
    "in_no_task": sorted(item.name for item in dataset.items.list(filters=in_no_task).all()),
    "ref_types": sorted(ref["type"] for ref in refs),
    "refs_name_the_task_and_the_assignment": sorted(ref["id"] for ref in refs) == sorted([task.id, owner.id]),
}
