"""The TaskCreator in a real browser, in JupyterLab 4 and Notebook 7, fed by a Browser selection.

The notebook makes an embedded workspace whose dataset holds five small JPEGs and shows ``dw.Browser()``
above ``dw.TaskCreator(dataset)``; the Browser's selection becomes the creator's items. The test selects
three cards (click, Ctrl-click, Ctrl-click), names the task, picks a due date with the date picker and a
priority, types two assignees, first with a malformed one (refused at the field, nothing written), and
creates the task. This process then reads the task and its assignments from the same workspace: three
items split between the two assignees. Last, "annotate" on an assignment opens its queue in an Annotator.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Locator

import dlwidgets as dw

from .page import OpenNotebook
from .views import BrowserView

TASK = "label the street"
ASSIGNEES = ["ann@example.com", "bob@example.com"]
SELECTED = ["img-1.jpg", "img-2.jpg", "img-3.jpg"]

TASK_CELL = """\
import io
import ipywidgets as widgets
from PIL import Image
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="street")
for index in range(5):
    jpeg = io.BytesIO()
    Image.new("RGB", (48, 36), (40 * index, 90, 200 - 30 * index)).save(jpeg, format="JPEG")
    dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/photos", remote_name=f"img-{index}.jpg")
browser = dw.Browser()
creator = dw.TaskCreator(dataset)

def on_select(items):
    creator.items = items
    dump("selected.json", [item.name for item in items])

browser.on_select(on_select)
creator.on_create(lambda task: dump("task.json", {"id": task.id, "name": task.name}))
widgets.VBox([browser, creator])
"""


def button(root: Locator, text: str) -> Locator:
    """The button reading exactly `text` (an icon's glyph is part of a button's accessible name)."""
    return root.locator("button", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def test_a_task_for_three_selected_items_and_two_assignees(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([TASK_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-browser .dlw-item-grid")
    creator = notebook.wait_widget(".dlw-task-creator")
    notebook.wait_ready()
    home = str(notebook.out_dir / "workspace")

    # Select three cards in the Browser: a click and two Ctrl-clicks.
    browser = BrowserView(notebook)
    browser.root.get_by_label("project", exact=True).select_option(label="e2e")
    browser.root.get_by_label("dataset", exact=True).select_option(label="street")
    browser.wait_label("1-5 of 5")
    browser.card(SELECTED[0]).click()
    for name in SELECTED[1:]:
        browser.card(name).click(modifiers=["Control"])
    assert notebook.wait_file("selected.json", until=lambda names: names == SELECTED) == SELECTED
    creator.locator(".dlw-count").filter(has_text="3 items").wait_for(timeout=30_000)

    # The form: a name, a due date from the date picker, a priority, and assignees with a typo first.
    name = creator.get_by_label("name", exact=True)
    name.fill(TASK)
    name.press("Enter")  # the name field syncs on Enter or blur (continuous_update=False)
    due = datetime.date.today() + datetime.timedelta(days=10)
    creator.get_by_label("due date", exact=True).fill(due.isoformat())
    creator.get_by_label("priority", exact=True).select_option(label="high")
    assignees = creator.get_by_label("assignees", exact=True)
    assignees.fill("ann@example.com, bob")
    button(creator, "Create task").click()
    creator.locator(".dlw-error").filter(has_text="not email addresses: bob").wait_for(timeout=30_000)
    client = dw.connect(home=home)
    dataset = client.projects.get(project_name="e2e").datasets.get(dataset_name="street")
    assert list(dataset.tasks.list()) == [], "a refused task was written"

    assignees.fill(", ".join(ASSIGNEES))
    button(creator, "Create task").click()
    created = notebook.wait_file("task.json")
    assert created["name"] == TASK
    rows = creator.locator(".dlw-assignment")
    rows.filter(has_text=f"{ASSIGNEES[1]}: ").wait_for(timeout=30_000)
    shown = sorted(text.split(": ") for text in rows.all_inner_texts())
    assert [who for who, _ in shown] == ASSIGNEES
    assert sorted(count for _, count in shown) == ["1 item", "2 items"]
    creator.locator(".dlw-task").filter(has_text=f"{TASK}: ").wait_for(timeout=30_000)
    assert creator.locator(".dlw-error").count() == 0

    # The store, read by this process: the task, and its assignments with the workload split evenly.
    (task,) = dataset.tasks.list()
    assert (task.id, task.name, task.total_items, task.priority) == (created["id"], TASK, 3, 3)
    due_at = datetime.datetime.combine(due, datetime.time(23, 59), tzinfo=datetime.timezone.utc)
    assert task.due_date == pytest.approx(due_at.timestamp() * 1000)
    assignments = task.assignments.list()
    assert sorted(a.annotator or "" for a in assignments) == ASSIGNEES
    assert sorted(a.total_items or 0 for a in assignments) == [1, 2]
    items = {a.annotator: [i.name for i in a.get_items().all()] for a in assignments}
    assert sorted(name for names in items.values() for name in names) == SELECTED

    # Each assignment lists its items; "annotate" opens them in an Annotator inside the creator.
    for annotator, names in items.items():
        row = creator.locator(".widget-hbox").filter(
            has=notebook.page.locator(".dlw-assignment", has_text=annotator)
        )
        row.locator(".dlw-assignment-items").filter(has_text=f"({', '.join(names)})").wait_for(timeout=30_000)
    ann_row = creator.locator(".widget-hbox").filter(
        has=notebook.page.locator(".dlw-assignment", has_text=ASSIGNEES[0])
    )
    button(ann_row, "annotate").click()
    creator.locator(".dlw-annotator canvas.dlw-gestures").wait_for(timeout=30_000)
    creator.get_by_text(f"Annotating the assignment of {ASSIGNEES[0]}").wait_for(timeout=30_000)
    queue = creator.locator(".dlw-annotator .dlw-progress")
    queue.filter(has_text=f"0 of {len(items[ASSIGNEES[0]])} done").wait_for(timeout=30_000)
    client.close()
