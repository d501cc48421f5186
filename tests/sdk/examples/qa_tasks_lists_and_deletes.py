"""A QA task over the done items of a task, tasks and assignments listed with the SDK's arguments, and a
task deleted: its items lose their refs to it."""

import datetime

import dtlpy as dl

project = dl.projects.create(project_name="review")
dataset = project.datasets.create(dataset_name="photos")
items = [dataset.items.upload(local_path=f"photos/p{i}.png", remote_path="/photos") for i in range(3)]
due = datetime.datetime(2030, 1, 1).timestamp()
task = dataset.tasks.create(
    task_name="label", due_date=due, assignee_ids=["ann.lee@example.com", "bo.chen@example.com"], items=items
)
task.set_status(status=dl.ItemStatus.COMPLETED, operation="create", item_ids=[i.id for i in items])
qa = dataset.tasks.create_qa_task(task=task, due_date=due, assignee_ids=["rev@example.com"])
picked = dataset.tasks.create(
    task_name="second look", due_date=due, assignee_ids=["rev@example.com"], items=[items[1]]
)
unfinished = dl.Filters()
unfinished.add(
    field="metadata.system.refs",
    values={"id": qa.id, "metadata": {"status": {"$exists": False}}},
    operator=dl.FiltersOperations.MATCH,
)
qa.set_status(status=dl.ItemStatus.APPROVED, operation="create", item_ids=[items[0].id])
todo = sorted(item.name for item in dataset.items.list(filters=unfinished).all())
deleted = picked.delete()

result = {
    "task": [dataset.tasks.get(task_id=task.id).status, dataset.tasks.get(task_id=task.id).progress],
    "qa": [qa.name, qa.total_items, qa.spec["type"]],
    "qa_todo": todo,
    "listed": sorted(t.name for t in dataset.tasks.list()),
    "completed": [t.name for t in dataset.tasks.list(status="completed")],
    "by_name": [t.name for t in dataset.tasks.list(task_name="label_qa")],
    "first_page": [t.name for t in dataset.tasks.list(pages_size=1, page_offset=0)],
    "in_project": sorted(t.name for t in dl.tasks.list(project_ids=project.id)),
    "assignments": sorted(
        (a.annotator, a.status) for a in dl.assignments.list(project_ids=[project.id], status="completed")
    ),
    "reviewer": [
        a.task_id == qa.id for a in dl.assignments.list(project_ids=project.id, assignee_id="rev@example.com")
    ],
    "deleted": deleted,
    "refs_left": sorted(len(dataset.items.get(item_id=i.id).metadata["system"]["refs"]) for i in items),
}
