"""Showing the next item in a real browser, in JupyterLab 4 and Notebook 7: the side panel's objects list
and its header, which go to the page in one message, both show the new item (its name, place and count,
its objects and its labels' counts), and the canvas shows its boxes."""

from __future__ import annotations

from .page import OpenNotebook
from .pixels import wait_pixel
from .views import open_annotator

WORKSPACE_CELL = """\
import io
import numpy as np
from PIL import Image
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="next")
dataset.ontology().add_labels(label_list=[
    {"label_name": "car", "color": "#ff0000"}, {"label_name": "bus", "color": "#0000ff"}])
items = []
for name, label, count in (("first.jpg", "car", 2), ("second.jpg", "bus", 3)):
    jpeg = io.BytesIO()
    Image.fromarray(np.full((400, 640, 3), 128, dtype=np.uint8)).save(jpeg, format="JPEG", quality=90)
    item = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name=name)
    builder = item.annotations.builder()
    for k in range(count):
        builder.add(dw.Box(left=40 + 180 * k, top=40, right=160 + 180 * k, bottom=160, label=label))
    item.annotations.upload(annotations=builder)
    items.append(item)
annotator = dw.Annotator(items)
annotator
"""


def test_the_next_item_shows_its_objects_and_header_in_the_panel(open_notebook: OpenNotebook) -> None:
    view = open_annotator(open_notebook, [WORKSPACE_CELL])
    panel = view.root.locator(".dlw-annotator-panel")
    view.wait_text(".dlw-item-name", "first.jpg")
    view.wait_text(".dlw-section-title", "Objects (2)")

    view.gestures.click(position={"x": 5, "y": 5})  # the keys go to the gesture layer
    view.page.keyboard.press("]")
    view.wait_text(".dlw-item-name", "second.jpg")
    view.wait_text(".dlw-section-title", "Objects (3)")
    meta = panel.locator(".dlw-item-meta").inner_text()
    assert "2 of 2" in meta and "3 annotations" in meta, meta
    rows = panel.locator(".dlw-objects-list .dlw-object-row .dlw-object-label")
    assert rows.all_inner_texts() == ["bus", "bus", "bus"]
    assert panel.locator('.dlw-label-row[data-label="bus"] .dlw-count').inner_text() == "3"
    assert panel.locator('.dlw-label-row[data-label="car"] .dlw-count').inner_text() == ""
    x, y = view.canvas_xy(400, 100)  # the third box's left edge, a bus only the second item has
    wait_pixel(view.layers, int(x), int(y), lambda p: p[2] > 200 and p[0] < 60, what="the bus box's edge")
