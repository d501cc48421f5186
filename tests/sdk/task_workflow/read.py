"""Read back a task worked elsewhere (its ids in ``DLW_INPUTS``): progress and statuses, per task and
assignment, the QA task and its note, and the SDK's own filters on item refs."""

import json
import os

import dtlpy as dl

ids = json.loads(os.environ["DLW_INPUTS"])
task = dl.tasks.get(task_id=ids["task"])
qa = dl.tasks.get(task_id=ids["qa"])
dataset = dl.datasets.get(dataset_id=task.dataset_id)
items = [dataset.items.get(item_id=item_id) for item_id in ids["items"]]

done = dl.Filters()
done.add(
    field="metadata.system.refs",
    values={"id": task.id, "type": "task", "metadata": {"status": {"$exists": True}}},
    operator=dl.FiltersOperations.MATCH,
)
in_qa = dl.Filters(field="metadata.system.refs.id", values=[qa.id], operator=dl.FiltersOperations.IN)
notes = dl.Filters(resource=dl.FiltersResource.ANNOTATION, field="type", values="note")

result = {
    "task": [task.name, task.status, task.progress, task.item_status, task.total_items, task.issues],
    "assignments": sorted(
        [a.annotator, a.status, a.item_status, a.total_items, a.issues] for a in task.assignments.list()
    ),
    "qa": [qa.name, qa.spec, qa.status, qa.progress, qa.item_status, qa.total_items, qa.issues],
    "qa_reviews_the_task": qa.spec["parentTaskId"] == task.id,
    "statuses": [[item.name, item.status(task_id=task.id), item.status(task_id=qa.id)] for item in items],
    "completed_tasks": sorted(t.name for t in dataset.tasks.list(status="completed")),
    "open_tasks": sorted(t.name for t in dataset.tasks.list(status="open")),
    "project_tasks": sorted(t.name for t in dl.tasks.list(project_ids=[task.project_id])),
    "reviewers": [
        a.annotator for a in dl.assignments.list(project_ids=[task.project_id], assignee_id="rev@example.com")
    ],
    "done_in_task": sorted(item.name for item in dataset.items.list(filters=done).all()),
    "in_qa": sorted(item.name for item in dataset.items.list(filters=in_qa).all()),
    "notes": [
        [item.name, [m.body for m in note.messages], note.metadata["system"]["status"]]
        for item in items
        for note in item.annotations.list(filters=notes)
    ],
}
