"""Work a task: statuses in two assignments, a QA task that approves one item and leaves a note on
another. Leaves the ids for ``read.py``."""

import datetime

import dtlpy as dl

project = dl.projects.create(project_name="work")
dataset = project.datasets.create(dataset_name="photos")
items = [dataset.items.upload(local_path=f"photos/p{i}.png", remote_path="/photos") for i in range(3)]
due = datetime.datetime(2030, 1, 1).timestamp()
task = dataset.tasks.create(
    task_name="label", due_date=due, assignee_ids=["ann.lee@example.com", "bo.chen@example.com"], items=items
)
task.set_status(status="completed", operation="create", item_ids=[items[0].id])
dataset.items.get(item_id=items[2].id).update_status(status=dl.ItemStatus.DISCARDED, task_id=task.id)

qa = dataset.tasks.create_qa_task(task=task, due_date=due, assignee_ids=["rev@example.com"])
qa.set_status(status=dl.ItemStatus.APPROVED, operation="create", item_ids=[items[0].id])
rejected = dataset.items.get(item_id=items[2].id)
builder = rejected.annotations.builder()
builder.add(dl.Note(left=0, top=0, right=10, bottom=10, label="note", messages=["discarded by mistake?"]))
rejected.annotations.upload(builder)

result = {"task": task.id, "qa": qa.id, "items": [item.id for item in items]}
