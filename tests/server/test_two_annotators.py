"""Two annotators, each in her own process, work the two assignments of one task at once over
``dlwidgets serve``: every status and every annotation is kept, and the task reads 100%."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from photos import photos
from serving import serve_process

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret

OWNER, ANNIE, ALEX = "ann@example.com", "annie@example.com", "alex@example.com"
WORKER = Path(__file__).with_name("work_an_assignment.py")
ITEMS = 24


def test_two_annotators_at_once_lose_no_status_and_no_annotation(tmp_path: Path) -> None:
    home = tmp_path / "served"
    secret = workspace_secret(home)
    with serve_process(home) as (url, _):
        owner = dw.connect(url, token=create_token(secret, OWNER))
        dataset, items = photos(owner, ITEMS)
        for email in (ANNIE, ALEX):
            owner.request(
                "POST", f"/projects/{dataset.project_id}/members/{email}", json={"role": "annotator"}
            )
        task = dataset.tasks.create(task_name="label", assignee_ids=[ANNIE, ALEX], items=items)
        go = tmp_path / "go"
        workers = [
            subprocess.Popen(
                [sys.executable, str(WORKER), url, create_token(secret, a.annotator), a.id, str(go)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for a in task.assignments.list()
        ]
        go.touch()
        answers = [w.communicate(timeout=300) for w in workers]
        assert [w.returncode for w in workers] == [0, 0], answers
        assert sorted(out.split() for out, _ in answers) == [["done", "12"], ["done", "12"]]

        task = dataset.tasks.get(task_id=task.id)
        assert (task.progress, task.status, task.item_status) == (100, "completed", {"completed": ITEMS})
        assert [(a.status, a.total_items) for a in task.assignments.list()] == [("completed", 12)] * 2
        for assignment in task.assignments.list():
            for item in assignment.get_items().all():
                assert item.status(task_id=task.id) == "completed"
                assert item.status(assignment_id=assignment.id) == "completed"
                assert [a.label for a in item.annotations.list()] == [f"by {assignment.annotator}"]
        owner.close()
