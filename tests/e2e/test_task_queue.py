"""Working a task in a real browser, in JupyterLab 4 and Notebook 7.

An annotator works her assignment's queue with Complete (the C key, then the button) until every item
is done, and the TaskCreator's task list then shows the task at 100%. A reviewer works the QA task:
approves one item and rejects the next with a note; the annotator opens her assignment from the task
list, "Next unfinished" brings her to the rejected item, and the note is shown with it. This process
reads the statuses from the same workspace.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator

import dlwidgets as dw

from .page import NotebookPage, OpenNotebook
from .screenshots import save_screenshot

SETUP = """\
import io
import ipywidgets as widgets
from PIL import Image
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="street")
dataset.ontology().add_label(label_name="car", color="#ff0000")
items = []
for index in range(3):
    jpeg = io.BytesIO()
    Image.new("RGB", (96, 64), (60 * index, 120, 200 - 50 * index)).save(jpeg, format="JPEG")
    name = f"img-{index}.jpg"
    items.append(dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/", remote_name=name))
task = dataset.tasks.create(task_name="label", assignee_ids=["ann@example.com"], items=items)
assignment = task.assignments.list()[0]
"""

WORK_CELL = """\
annotator = dw.Annotator(assignment)
annotator.add_class("e2e-work")
creator = dw.TaskCreator(dataset)
widgets.VBox([annotator, creator])
"""

REVIEW_CELL = """\
for item in items:
    item.update_status(status=dw.ItemStatus.COMPLETED, assignment_id=assignment.id)
qa = task.create_qa_task(assignee_ids=["rev@example.com"])
review = dw.Annotator(qa)
review.add_class("e2e-review")
creator = dw.TaskCreator(dataset)
widgets.VBox([review, creator])
"""


def button(root: Locator, text: str) -> Locator:
    """The button reading exactly `text` (an icon's glyph is part of a button's accessible name)."""
    return root.locator("button", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).first


def open_queue(
    open_notebook: OpenNotebook, cell: str, annotator: str
) -> tuple[NotebookPage, Locator, Locator]:
    """The notebook run with ``cell`` after the setup: its queue's Annotator (at "0 of 3 done") and its
    TaskCreator."""
    notebook = open_notebook([SETUP, cell])
    notebook.run_all()
    queue = notebook.wait_widget(annotator)
    creator = notebook.wait_widget(".dlw-task-creator")
    notebook.wait_ready()
    queue.locator(".dlw-progress").filter(has_text="0 of 3 done").wait_for(timeout=30_000)
    return notebook, queue, creator


def read_task(notebook_home: str, name: str) -> dw.Task:
    client = dw.connect(home=notebook_home)
    dataset = client.projects.get(project_name="e2e").datasets.get(dataset_name="street")
    return dataset.tasks.get(task_name=name)


def test_complete_the_three_items_of_an_assignment_and_the_task_shows_100(
    open_notebook: OpenNotebook,
) -> None:
    notebook, work, creator = open_queue(open_notebook, WORK_CELL, ".e2e-work")
    progress = work.locator(".dlw-progress")
    assert work.locator(".dlw-item-status").inner_text() == "status: to do"
    work.locator("canvas.dlw-gestures").press("c")  # the hotkey, on the focused canvas
    progress.filter(has_text="1 of 3 done").wait_for(timeout=30_000)
    for done in (2, 3):
        button(work, "Complete").click()
        progress.filter(has_text=f"{done} of 3 done").wait_for(timeout=30_000)
    work.locator(".dlw-queue-status").filter(has_text="all 3 items are done").wait_for(timeout=30_000)
    assert work.locator(".dlw-item-status").inner_text() == "status: completed"
    creator.locator("button[title='Refresh']").click()
    creator.locator(".dlw-task").filter(has_text="progress 100%").wait_for(timeout=30_000)
    creator.locator(".dlw-task-assignment").filter(has_text="3 of 3 done").wait_for(timeout=30_000)
    save_screenshot(work, "AnnotatorQueue")

    task = read_task(str(notebook.out_dir / "workspace"), "label")
    assert (task.progress, task.status) == (100, "completed")
    assert {i.status(task_id=task.id) for i in task.get_items().all()} == {"completed"}


def test_a_qa_rejection_with_a_note_reaches_the_annotators_queue(open_notebook: OpenNotebook) -> None:
    notebook, review, creator = open_queue(open_notebook, REVIEW_CELL, ".e2e-review")
    progress = review.locator(".dlw-progress")
    button(review, "Approve").click()
    progress.filter(has_text="1 of 3 done").wait_for(timeout=30_000)
    button(review, "Reject").click()  # without a note: refused, nothing stored
    review.locator(".dlw-queue-status.dlw-cb-tone-error").filter(has_text="needs a short note").wait_for(
        timeout=30_000
    )
    review.locator("input[placeholder='what to fix (for Reject)']").fill("the box misses the tail")
    button(review, "Reject").click()
    progress.filter(has_text="2 of 3 done").wait_for(timeout=30_000)
    save_screenshot(review, "QAReview")

    # The annotator opens her assignment from the task list; the rejected item is the one left to do.
    mine_label = notebook.page.locator(".dlw-task-assignment", has_text="ann@")
    ann_row = creator.locator(".widget-hbox", has=mine_label)
    button(ann_row.last, "open").click()
    mine = creator.locator(".dlw-annotator")
    mine.locator(".dlw-progress").filter(has_text="2 of 3 done").wait_for(timeout=30_000)
    button(mine, "Next unfinished").click()
    mine.locator(".dlw-item-status").filter(has_text="rejected").wait_for(timeout=30_000)
    note = mine.locator(".dlw-queue-note")
    note.filter(has_text="the box misses the tail").wait_for(timeout=30_000)
    save_screenshot(mine, "RejectedInQueue")

    home = str(notebook.out_dir / "workspace")
    qa = read_task(home, "label_qa")
    statuses = sorted(str(i.status(task_id=qa.id)) for i in qa.get_items().all())
    assert statuses == ["None", "None", "approved"]
    rejected = next(i for i in qa.get_items().all() if i.name == "img-1.jpg")
    notes = rejected.annotations.list(
        filters=dw.Filters(field="type", values="note", resource=dw.FiltersResource.ANNOTATION)
    )
    assert [m.body for n in notes for m in n.messages] == ["the box misses the tail"]
