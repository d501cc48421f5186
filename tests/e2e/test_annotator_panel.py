"""The Annotator's side panel in a real browser, in JupyterLab 4 and Notebook 7: a label found by typing in
the search box of a 300-label ontology draws the next box; the objects list selects, outlines the hovered
one, hides, locks and deletes the item's annotations. After each step the kernel's state (dumped on every
edit) and the page (the canvas's pixels, the rows the kernel marked) are checked.
"""

from __future__ import annotations

from typing import Any

from .page import OpenNotebook
from .pixels import is_red, wait_pixel
from .views import AnnotatorView

WORKSPACE_CELL = """\
import io
import numpy as np
from PIL import Image
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="crowd")
labels = [{"label_name": "car", "color": "#ff0000"}]
labels += [{"label_name": f"label-{n:03d}", "color": "#00%02x80" % (n % 200)} for n in range(298)]
labels += [{"label_name": "zebra", "color": "#0000ff"}]
dataset.ontology().add_labels(label_list=labels)
jpeg = io.BytesIO()
Image.fromarray(np.full((400, 640, 3), 128, dtype=np.uint8)).save(jpeg, format="JPEG", quality=90)
item = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="grey.jpg")
builder = item.annotations.builder()
builder.add(dw.Box(left=40, top=40, right=200, bottom=200, label="car"))
builder.add(dw.Box(left=400, top=40, right=560, bottom=200, label="car"))
item.annotations.upload(annotations=builder)
annotator = dw.Annotator(item, autosave=False)
redraw = annotator.edits.on_change

def on_change():
    redraw()
    dump("annotations.json", {"annotations": [
        {"type": a.type, "label": a.label, "coordinates": a.coordinates} for a in annotator.annotations]})

annotator.edits.on_change = on_change
annotator
"""


def test_search_a_label_draw_with_it_then_select_hide_lock_delete_from_the_list(
    open_notebook: OpenNotebook,
) -> None:
    notebook = open_notebook([WORKSPACE_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator .dlw-annotator-panel .dlw-object-row")
    notebook.wait_ready()
    view = AnnotatorView(notebook)
    panel = view.root.locator(".dlw-annotator-panel")
    view.wait_text(".dlw-item-name", "grey.jpg")
    assert "1 of 1" in panel.locator(".dlw-item-meta").inner_text()
    # 300 labels, but only the rows in view are in the page.
    assert 0 < panel.locator(".dlw-label-row").count() < 40

    # 1. Find 'zebra' by typing, pick it with Enter, draw a box: it is a zebra.
    search = panel.locator("input.dlw-label-search")
    cells = notebook.page.locator(".jp-Cell").count()
    search.click()
    search.press_sequentially("zeb")  # 'b' in the notebook's command mode would insert a cell
    rows = panel.locator(".dlw-label-list .dlw-label-row")
    rows.filter(has_text="zebra").wait_for(timeout=10_000)
    assert rows.count() == 1
    assert notebook.page.locator(".jp-Cell").count() == cells, "typing in the search reached the notebook"
    search.press("Enter")
    panel.locator('.dlw-label-row.dlw-current[data-label="zebra"]').wait_for(timeout=30_000)
    view.drag((250, 250), (350, 350))
    annotations = view.kernel_annotations(lambda a: len(a) == 3, "the box drawn")
    assert (annotations[2]["type"], annotations[2]["label"]) == ("box", "zebra")
    view.wait_text(".dlw-selection-title", "box 3 zebra")

    # 2. A click on the first object in the list selects it on the canvas.
    objects = panel.locator(".dlw-objects-list .dlw-object-row")
    first = objects.nth(0)
    first.locator(".dlw-object-label").click()
    view.wait_text(".dlw-selection-title", "box 1 car")
    panel.locator(".dlw-object-row.dlw-selected", has_text="box 1").wait_for(timeout=30_000)
    # The pointer over its row: the box is outlined on the highlight layer, made on this first hover.
    x, y = (int(v) for v in view.canvas_xy(40, 80))
    wait_pixel(view.layers, x - 3, y, _is_yellow, what="the hovered box's outline, left of its edge")

    # 3. Hidden from the list: its red outline leaves the canvas; shown again, it is back.
    edge = [int(v) for v in view.canvas_xy(40, 80)]  # clear of its handles
    wait_pixel(view.layers, *edge, is_red, what="the first box's left edge")
    first.locator("button.dlw-hide").click()
    panel.locator(".dlw-object-row.dlw-hidden").wait_for(timeout=30_000)
    wait_pixel(view.layers, *edge, lambda p: not is_red(p), what="the hidden box gone from the canvas")
    panel.locator(".dlw-object-row.dlw-hidden button.dlw-hide").click()
    wait_pixel(view.layers, *edge, is_red, what="the box shown again")

    # 4. Locked, the second object cannot be deleted; unlocked, it can.
    second = objects.nth(1)
    second.locator("button.dlw-lock").click()
    locked = panel.locator(".dlw-object-row.dlw-locked")
    locked.wait_for(timeout=30_000)
    assert locked.locator("button.dlw-delete").is_disabled()
    locked.locator("button.dlw-lock").click()
    panel.locator(".dlw-object-row.dlw-locked").wait_for(state="detached", timeout=30_000)
    second.locator("button.dlw-delete").click()
    remaining = view.kernel_annotations(lambda a: len(a) == 2, "the second box deleted")
    assert [_corner(a) for a in remaining] == [(40, 40), (250, 250)]
    objects.nth(1).filter(has_text="zebra").wait_for(timeout=30_000)


def _corner(annotation: dict[str, Any]) -> tuple[int, int]:
    corner = annotation["coordinates"][0]
    return round(corner["x"] / 10) * 10, round(corner["y"] / 10) * 10


def _is_yellow(pixel: tuple[int, int, int, int]) -> bool:
    r, g, b, _a = pixel
    return r > 200 and g > 200 and b < 100
