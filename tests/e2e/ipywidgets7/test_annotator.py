"""The annotator in both ipywidgets 7 frontends (see conftest.py): a box dragged with the mouse on the
ipycanvas layers (the gestures come from the anywidget laid over them) reaches the kernel, Ctrl+S saves
it, and the stored annotation, read by this process from the same workspace, has the image pixels the
drag meant, and the side panel lists it; a polygon clicked vertex by vertex reaches the kernel and is
drawn."""

from __future__ import annotations

import pytest

import dlwidgets as dw

from ..page import OpenNotebook
from ..pixels import is_red, wait_pixel
from ..test_annotator import ANNOTATOR_CELL, BOX, WORKSPACE_CELL
from ..test_annotator_shape_tools import POLYGON
from ..views import AnnotatorView, open_annotator


def test_draw_a_box_and_save_it(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([WORKSPACE_CELL, ANNOTATOR_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    view = AnnotatorView(notebook)

    drag = view.drag(*BOX)
    (box,) = view.kernel_annotations(lambda a: len(a) == 1, "the dragged box")
    assert (box["type"], box["label"]) == ("box", "car")
    # The side panel's list (opened with its model, empty) shows the change the kernel sent.
    view.wait_text(".dlw-section-title", "Objects (1)")
    view.wait_text(".dlw-objects-list .dlw-object-label", "car")
    view.wait_text(".dlw-dirty", "● unsaved")
    notebook.page.keyboard.press("Control+s")
    assert notebook.wait_file("saved.json") == {"count": 1}
    view.wait_text(".dlw-notice", "saved 1 annotation")

    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    try:
        item = (
            client.projects.get(project_name="e2e")
            .datasets.get(dataset_name="street")
            .items.get(filepath="/e2e/quadrants.jpg")
        )
        (stored,) = item.annotations.list()
    finally:
        client.close()
    assert (stored.type, stored.label) == ("box", "car")
    corners = [(p["x"], p["y"]) for p in stored.coordinates]
    assert corners == [pytest.approx(view.image_xy(*screen), abs=1) for screen in drag]

    # The page draws the saved box: its red outline a quarter down its left edge.
    (left, top), (_, bottom) = corners
    x, y = view.canvas_xy(left, top + (bottom - top) / 4)
    wait_pixel(view.layers, int(x), int(y), is_red, what="the box's left edge")


def test_click_a_polygon(open_notebook: OpenNotebook) -> None:
    view = open_annotator(open_notebook, [WORKSPACE_CELL, ANNOTATOR_CELL])
    view.click((320, 380))  # gives the annotator the keyboard (a click with the box tool draws nothing)
    view.page.keyboard.press("g")
    view.wait_tool("Polygon")
    meant = [view.image_xy(*view.click(vertex)) for vertex in POLYGON]
    view.click(POLYGON[0])  # on the first vertex: closed

    (polygon,) = view.kernel_annotations(lambda a: len(a) == 1, "the clicked polygon")
    assert (polygon["type"], polygon["label"]) == ("segment", "car")
    ring = [(p["x"], p["y"]) for p in polygon["coordinates"][0]]
    assert ring == [pytest.approx(point, abs=1) for point in meant]

    # The page draws it: its red outline halfway along its first edge.
    (x0, y0), (x1, y1) = ring[:2]
    x, y = view.canvas_xy((x0 + x1) / 2, (y0 + y1) / 2)
    wait_pixel(view.layers, int(x), int(y), is_red, what="the polygon's first edge")
