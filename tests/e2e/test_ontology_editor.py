"""The ontology editor in a real browser (JupyterLab 4 and Notebook 7), then the annotator using its work.

The first notebook makes the annotator test's workspace (labels car, person, indoor; a radio attribute
on car; one JPEG item) and shows ``dw.OntologyEditor(dataset)``. The test adds a label "truck" with a
colour and a radio attribute "Load" scoped to it, and saves; the ontology is read back in this process
as the tutorial reads it. A second notebook on the same workspace opens ``dw.Annotator(item)``: its
label picker offers truck under hotkey 4, and a box drawn with that label shows the Load dropdown, whose
value is saved on the annotation.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator

import dlwidgets as dw

from .page import OpenNotebook
from .polling import poll
from .screenshots import save_screenshot
from .test_annotator import WORKSPACE_CELL
from .views import AnnotatorView

EDITOR_CELL = """\
editor = dw.OntologyEditor(dataset)
editor.on_save(lambda o: dump("saved.json", {"tags": o.tags(), "attributes": [a.key for a in o.attributes]}))
editor
"""

# The attribute form made from a cell; then a button whose click keeps the kernel's main thread busy, having
# changed the form's "Add attribute" button first: ipykernel 7 sends a comm's messages from the page to the
# thread its last message out came from, here the fields' to the main thread and that button's to the
# page's subshell.
BUSY_CELL = """\
import time
import ipywidgets

editor.lists.receive({"type": "new-attribute"})

def keep_busy(_):
    editor._form_apply.tooltip = "add the attribute"
    time.sleep(3)

busy = ipywidgets.Button(description="Keep the kernel busy")
busy.on_click(keep_busy)
busy
"""

ANNOTATOR_CELLS = [
    """\
import dataclasses
import dlwidgets as dw

dw.connect(home={home!r})
item = dw.projects.get(project_name="e2e").datasets.get(dataset_name="street").items.get(
    filepath="/e2e/quadrants.jpg"
)
annotator = dw.Annotator(item)
dump("viewport.json", dataclasses.asdict(annotator.viewport))
annotator.on_save(lambda item, annotations: dump("saved.json", {{"count": len(annotations)}}))
annotator
"""
]


def test_add_a_label_and_attribute_then_annotate_with_them(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([WORKSPACE_CELL, EDITOR_CELL])
    notebook.run_all()
    root = notebook.wait_widget(".dlw-ontology-editor")
    notebook.wait_ready()

    # A label with a colour from the picker.
    new_label = root.locator(".dlw-new-label")
    new_label.get_by_placeholder("new label (a child: parent.child)").fill("truck")
    new_label.locator("input[type=color]").fill("#123456")
    new_label.get_by_role("button", name="Add label").click()
    truck_row = root.locator(".dlw-label-row", has=notebook.page.locator(".dlw-hotkey", has_text="4"))
    truck_row.wait_for(timeout=30_000)
    assert truck_row.locator("input.dlw-label-name").input_value() == "truck"

    # A radio attribute scoped to it.
    root.get_by_role("button", name="New attribute").click()
    form = root.locator(".dlw-attribute-form")
    form.wait_for(timeout=30_000)
    form.get_by_label("type", exact=True).select_option(label="radio")
    form.get_by_label("title", exact=True).fill("Load")
    form.get_by_label("values", exact=True).fill("empty\nfull")
    form.get_by_text("chosen labels", exact=True).click()
    form.get_by_label("labels", exact=True).select_option(["truck"])
    form.get_by_role("button", name="Add attribute").click()
    changes = root.locator(".dlw-changes")
    changes.get_by_text("add attribute 'load' (radio: empty, full; optional; labels truck)").wait_for(
        timeout=30_000
    )
    assert changes.get_by_text("add label 'truck' (#123456)").is_visible()
    save_screenshot(root, "OntologyEditor")

    root.locator("button.dlw-save").click()
    saved = notebook.wait_file("saved.json")
    assert saved == {"tags": ["car", "person", "indoor", "truck"], "attributes": ["size", "load"]}
    root.locator(".dlw-notice", has_text="saved 2 changes").wait_for(timeout=30_000)

    # Read back as the tutorial reads an ontology.
    home = str(notebook.out_dir / "workspace")
    client = dw.connect(home=home)
    dataset = client.projects.get(project_name="e2e").datasets.get(dataset_name="street")
    ontology = dataset.recipes.list()[0].ontologies.list()[0]
    truck = next(label for label in ontology.labels if label.tag == "truck")
    assert truck.color == "#123456"
    load = next(a for a in ontology.attributes if a.key == "load")
    assert (load.title, load.type, load.multi, load.values, load.scope) == (
        "Load",
        "options",
        False,
        ["empty", "full"],
        ["truck"],
    )
    client.close()

    # The annotator, in a second notebook on the same workspace, offers both.
    annotating = open_notebook([ANNOTATOR_CELLS[0].format(home=home)], name="annotator")
    annotating.run_all()
    annotating.wait_widget(".dlw-annotator canvas.dlw-gestures")
    annotating.wait_ready()
    view = AnnotatorView(annotating)
    truck = view.root.locator('.dlw-label-list .dlw-label-row[data-label="truck"]')
    truck.click()
    view.root.locator('.dlw-label-row.dlw-current[data-label="truck"]').wait_for(timeout=30_000)
    view.drag((100.0, 60.0), (300.0, 240.0))
    view.wait_text(".dlw-selection-title", "box 1 truck")
    load_picker = view.root.get_by_label("Load", exact=True)
    assert load_picker.locator("option").all_inner_texts() == ["", "empty", "full"]
    load_picker.select_option("full")
    view.root.locator("button", has_text=re.compile(r"^\s*Save\s*$")).click()
    assert annotating.wait_file("saved.json") == {"count": 1}

    client = dw.connect(home=home)
    item = (
        client.projects.get(project_name="e2e")
        .datasets.get(dataset_name="street")
        .items.get(filepath="/e2e/quadrants.jpg")
    )
    (box,) = item.annotations.list()
    assert (box.type, box.label, box.attributes) == ("box", "truck", {"load": "full"})
    client.close()


BIG_EDITOR_CELLS = [
    """\
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="big")
ontology = dataset.ontology()
ontology.add_labels(label_list=[f"label-{n:04d}" for n in range(1000)])
for n in range(50):
    ontology.update_attributes(key=f"attr-{n:02d}", title=f"Attribute {n}", attribute_type="boolean")
""",
    """\
editor = dw.OntologyEditor(dataset)
editor.on_save(lambda o: dump("saved.json", {"tags": o.tags()}))
editor
""",
]


def test_a_thousand_labels_find_rename_add_a_child_save(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook(BIG_EDITOR_CELLS)
    notebook.run_all()
    root = notebook.wait_widget(".dlw-ontology-editor")
    notebook.wait_ready()
    rows = root.locator(".dlw-label-row")
    rows.first.wait_for(timeout=30_000)
    assert rows.count() < 60, "only the rows in view are drawn"

    # Move labels with the keys (Alt+Down in a row) and by drag (a row dropped onto a sibling's place).
    search = root.locator("input.dlw-label-search")
    search.fill("label-000")
    root.locator(".dlw-found", has_text="10 of 1000").wait_for(timeout=10_000)
    names = root.locator("input.dlw-label-name")
    names.nth(1).press("Alt+ArrowDown")
    root.locator(".dlw-changes", has_text="reorder the top labels").wait_for(timeout=30_000)
    poll(lambda: names.nth(2).input_value() == "label-0001" or None, timeout=10, what="label-0001 moved down")
    rows.nth(5).locator(".dlw-handle").drag_to(rows.nth(3).locator(".dlw-handle"))
    poll(lambda: names.nth(3).input_value() == "label-0005" or None, timeout=10, what="label-0005 dragged up")

    # Nest: a row dropped onto another's right half goes under it; Alt+Right puts a label under the
    # sibling above it, Alt+Left takes it out again.
    def row_of(tag: str) -> Locator:
        name = notebook.page.locator(f"input.dlw-label-name[title='{tag}']")
        return root.locator(".dlw-label-row", has=name)

    target = row_of("label-0008")
    box = target.bounding_box()
    assert box is not None
    row_of("label-0009").locator(".dlw-handle").drag_to(
        target, target_position={"x": box["width"] * 0.8, "y": box["height"] / 2}
    )
    changes = root.locator(".dlw-changes")
    changes.filter(has_text="rename label 'label-0009' to 'label-0008.label-0009'").wait_for(timeout=30_000)
    row_of("label-0007").locator("input.dlw-label-name").press("Alt+ArrowRight")
    nested = "rename label 'label-0007' to 'label-0006.label-0007'"
    changes.filter(has_text=nested).wait_for(timeout=30_000)
    row_of("label-0006.label-0007").locator("input.dlw-label-name").press("Alt+ArrowLeft")
    poll(lambda: nested not in changes.inner_text() or None, timeout=30, what="label-0007 back at the top")

    # Find a label far down the list by search: the list shrinks to it, in the browser alone.
    search.fill("label-0777")
    root.locator(".dlw-found", has_text="1 of 1000").wait_for(timeout=10_000)
    assert rows.count() == 1
    name = rows.first.locator("input.dlw-label-name")
    assert name.input_value() == "label-0777"

    # Rename it in place (Enter commits), then start a child from its row and add it.
    name.fill("forklift")
    name.press("Enter")
    search.fill("forklift")
    root.locator(".dlw-changes", has_text="rename label 'label-0777' to 'forklift'").wait_for(timeout=30_000)
    rows.first.locator("button.dlw-add-child").click()
    new_name = root.locator("input.dlw-new-label-name")
    assert new_name.input_value() == "forklift."
    new_name.press("End")
    new_name.press_sequentially("fork")
    root.get_by_role("button", name="Add label").click()
    root.locator(".dlw-changes", has_text="add label 'forklift.fork'").wait_for(timeout=30_000)
    child = root.locator(
        ".dlw-label-row", has=notebook.page.locator("input.dlw-label-name[title='forklift.fork']")
    )
    child.wait_for(timeout=10_000)
    assert rows.count() == 2  # the search shows the parent and its new child
    save_screenshot(root, "OntologyEditor-1000-labels")

    root.locator("button.dlw-save").click()
    saved = notebook.wait_file("saved.json")
    tags = saved["tags"]
    assert len(tags) == 1001 and tags[777:779] == ["forklift", "forklift.fork"]
    assert tags[:6] == ["label-0000", "label-0002", "label-0001", "label-0005", "label-0003", "label-0004"]
    assert tags[6:10] == ["label-0006", "label-0007", "label-0008", "label-0008.label-0009"]
    assert "label-0777" not in tags

    # Read back as the tutorial reads an ontology.
    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    ontology = client.projects.get(project_name="e2e").datasets.get(dataset_name="big").ontology()
    assert ontology.tags()[777:779] == ["forklift", "forklift.fork"] and len(ontology.tags()) == 1001
    assert len(ontology.attributes) == 50
    client.close()
    root.locator(".dlw-notice", has_text="saved 4 changes").wait_for(timeout=30_000)


def test_values_typed_then_add_attribute_clicked_are_in_the_attribute_whichever_thread_is_busy(
    open_notebook: OpenNotebook,
) -> None:
    """JupyterLab 4.4+ and Notebook 7 send widget messages to a kernel subshell, and ipykernel 7 handles a
    comm's on the main thread or the subshell's as that comm's last message out went: values typed while the
    main thread was busy, then "Add attribute" handled on the other thread, made an attribute without them
    (seen under load as a radio attribute refused "with no values")."""
    notebook = open_notebook([WORKSPACE_CELL, EDITOR_CELL, BUSY_CELL])
    notebook.run_all()
    root = notebook.wait_widget(".dlw-ontology-editor")
    notebook.wait_ready()
    form = root.locator(".dlw-attribute-form")
    form.wait_for(timeout=30_000)
    form.get_by_label("type", exact=True).select_option(label="radio")
    form.get_by_label("title", exact=True).fill("Load")
    poll(
        lambda: form.get_by_label("key", exact=True).input_value() == "load" or None,
        timeout=30,
        what="the key",
    )
    values = form.get_by_label("values", exact=True)
    values.wait_for(timeout=30_000)

    notebook.page.get_by_role("button", name="Keep the kernel busy").click()
    values.fill("empty\nfull")
    form.get_by_role("button", name="Add attribute").click()
    changes = root.locator(".dlw-changes")
    changes.get_by_text("add attribute 'load' (radio: empty, full; optional; all labels)").wait_for(
        timeout=30_000
    )
