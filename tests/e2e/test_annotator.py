"""The annotator in a real browser, in JupyterLab 4 and Notebook 7, used as a person would use it.

The notebook makes an embedded workspace with a three-label ontology and a radio attribute, uploads a 640
x 400 JPEG of four flat coloured quadrants and shows ``dw.Annotator(item)``. Its canvas fills the cell's
width and the image is fitted to it (scaled, and centred), so every coordinate checked here also checks
the screen-to-image mapping. The test drags a box, clicks a point, sets a classification and an
attribute, undoes and redoes with the keyboard and saves with Ctrl+S. After each step it checks the
kernel's state (the notebook dumps the annotations on every edit); at the end, the stored annotations
(read by this process from the same workspace), the pixels the browser shows, and that the annotator's
keys never reach the notebook while Esc hands the keyboard back to it.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Locator, Page

import dlwidgets as dw

from .page import OpenNotebook
from .pixels import is_red, read_pixel, wait_pixel
from .polling import poll
from .views import Annotations, AnnotatorView

# The image: four flat quadrants, so a sampled pixel says which part of the image is drawn where.
QUADRANTS: dict[str, tuple[int, int, int]] = {
    "top-left": (30, 110, 220),
    "top-right": (250, 210, 30),
    "bottom-left": (40, 170, 70),
    "bottom-right": (150, 60, 190),
}

WORKSPACE_CELL = f"""\
import dataclasses, io
import numpy as np
from PIL import Image
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
project = dw.projects.create(project_name="e2e")
dataset = project.datasets.create(dataset_name="street")
ontology = dataset.recipes.list()[0].ontologies.list()[0]
for name, color in {{"car": "#ff0000", "person": "#00ff00", "indoor": "#0000ff"}}.items():
    ontology.add_label(label_name=name, color=color)
ontology.update_attributes(key="size", title="Size", attribute_type=dw.AttributesTypes.RADIO_BUTTON,
                           values=["small", "large"], scope=["car"])
pixels = np.zeros((400, 640, 3), dtype=np.uint8)
pixels[:200, :320], pixels[:200, 320:], pixels[200:, :320], pixels[200:, 320:] = {list(QUADRANTS.values())!r}
jpeg = io.BytesIO()
Image.fromarray(pixels).save(jpeg, format="JPEG", quality=90)
item = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="quadrants.jpg")
"""

# The kernel's side of the story, dumped for the test: the viewport once, the annotations after every
# change (edits, undo, redo, save), and each save as the on_save callback sees it.
ANNOTATOR_CELL = """\
annotator = dw.Annotator(item, autosave=False)  # saved by hand here: Ctrl+S
dump("viewport.json", dataclasses.asdict(annotator.viewport))

def shown():
    return [{"type": a.type, "label": a.label, "coordinates": a.coordinates, "attributes": a.attributes}
            for a in annotator.annotations]

changes = 0
redraw = annotator.edits.on_change

def on_change():
    global changes
    redraw()
    changes += 1
    dump("annotations.json", {"changes": changes, "annotations": shown()})

annotator.edits.on_change = on_change
annotator.on_save(lambda item, annotations: dump("saved.json", {"count": len(annotations)}))
annotator
"""

# The notebook as the page's model holds it: a key that reached the notebook would have added, cut,
# retyped or deleted a cell, or moved to another cell.
_NOTEBOOK_STATE_JS = """() => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  return {
    cells: notebook.widgets.map(c => [c.model.type, c.model.sharedModel.getSource()]),
    active: notebook.activeCellIndex,
  };
}"""

# Where the keyboard is: in the annotator, elsewhere in the notebook, or outside it.
_FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "body";
  if (el.closest(".dlw-annotator")) return "annotator";
  return el.closest(".jp-Notebook") ? "notebook" : el.tagName.toLowerCase();
}"""

# The page rectangles of the gesture layer and of the drawing under it, read in one go.
_LAYER_RECTS_JS = """root => [
  "canvas.dlw-gestures", "canvas.dlw-image", "canvas:not(.dlw-gestures):not(.dlw-image)"
].map(selector => {
  const r = root.querySelector(selector).getBoundingClientRect();
  return [r.x, r.y, r.width, r.height];
})"""

# Where the test draws, in image pixels: a box over the left quadrants, a point in the bottom-right one.
BOX = ((100.0, 60.0), (300.0, 240.0))
INSIDE_BOX = (200.0, 150.0)
POINT = (480.0, 300.0)


def test_annotate_draw_classify_edit_undo_save(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([WORKSPACE_CELL, ANNOTATOR_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_widget(".dlw-annotator canvas:not(.dlw-gestures)")
    notebook.wait_ready()
    view = AnnotatorView(notebook)

    # The 640 x 400 image fitted to the canvas the cell's width gives: whole, centred, as large as it goes
    # (once the kernel has answered the canvas's last resize: until then the view is the previous size's).
    def fit(v: dict[str, float]) -> float:
        return min(v["canvas_width"] / 640, v["canvas_height"] / 400)

    def fitted_view() -> dict[str, float] | None:
        v = view.shown_view()
        return v if v["scale"] == pytest.approx(fit(v)) else None

    viewport = poll(fitted_view, timeout=30, what="the image fitted to the resized canvas")
    fitted = fit(viewport)
    assert viewport["offset_x"] == pytest.approx((viewport["canvas_width"] - 640 * fitted) / 2)
    page = notebook.page

    # 1. The image is really drawn where the viewport puts it: each quadrant's colour at its centre, the
    # top-left colour just below the image's top edge, and nothing in the band above it.
    for (x, y), name in (
        ((160, 100), "top-left"),
        ((480, 100), "top-right"),
        ((160, 300), "bottom-left"),
        ((480, 300), "bottom-right"),
        ((4, 4), "top-left"),
    ):
        view.wait_image_pixel(x, y, (*QUADRANTS[name], 255), f"the image's {name} quadrant")
    if viewport["offset_y"] >= 4:  # a band above the image (the canvas's height has a floor)
        band = int(viewport["offset_y"] / 2)
        assert read_pixel(view.layers, 200, band)[3] == 0, "something is drawn in the band above the image"
    # The gesture layer lies exactly over the drawing, or every gesture would land off its mark.
    gestures, image, layers = view.root.evaluate(_LAYER_RECTS_JS)
    assert gestures == image == layers, f"gesture layer at {gestures}, image at {image}, drawing at {layers}"

    # 2. A box dragged with the mouse (the box tool is the default), then the point tool by its key.
    box_drag = view.drag(*BOX)
    # What the gestures meant, read while the page is as it was: later steps may scroll the notebook.
    box_meant = [view.image_xy(*screen) for screen in box_drag]
    (box,) = view.kernel_annotations(lambda a: len(a) == 1, "the dragged box")
    assert (box["type"], box["label"]) == ("box", "car")
    view.wait_text(".dlw-dirty", "● unsaved")
    assert _focus(page) == "annotator", "pressing the mouse on the annotator did not give it the keyboard"
    notebook_before = _notebook_state(page)  # the click made the annotator's cell the active one
    page.keyboard.press("p")
    view.wait_tool("Point")
    point_meant = view.image_xy(*view.click(POINT))
    view.kernel_annotations(lambda a: [s["type"] for s in a] == ["box", "point"], "the clicked point")

    # 3. A classification, from the box beside its label in the label list.
    view.root.get_by_role("checkbox", name="classify as indoor").check()
    view.kernel_annotations(lambda a: ("class", "indoor") in _kinds(a), "the 'indoor' classification")

    # 4. The Select tool from the toolbar, a click on the box, and its Size set to large.
    view.root.get_by_role("button", name="Select (V)").click()
    view.wait_tool("Select")
    view.click(INSIDE_BOX)
    view.wait_text(".dlw-selection-title", "box 1 car")  # the panel shows the box, not the point
    size = view.root.get_by_label("Size", exact=True)
    size.select_option("large")
    view.kernel_annotations(lambda a: _box_size(a) == "large", "the box's Size set to large")

    # 5. Undo and redo from the keyboard; the box was selected, so clicking it only gives it the keyboard.
    view.click(INSIDE_BOX)
    page.keyboard.press("Control+z")
    view.kernel_annotations(lambda a: _box_size(a) is None, "the Size undone by Ctrl+Z")
    _wait_value(size, "")
    page.keyboard.press("Control+Shift+z")
    view.kernel_annotations(lambda a: _box_size(a) == "large", "the Size redone by Ctrl+Shift+Z")
    _wait_value(size, "large")

    # 6. Save with Ctrl+S: the kernel's on_save callback sees it and the page says so.
    page.keyboard.press("Control+s")
    assert notebook.wait_file("saved.json") == {"count": 3}
    view.wait_text(".dlw-dirty", "saved")
    view.wait_text(".dlw-notice", "saved 3 annotations")
    assert _notebook_state(page) == notebook_before, "a key meant for the annotator reached the notebook"

    # What is stored, read from the same workspace by this process: image pixels, as the gestures meant.
    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    item = (
        client.projects.get(project_name="e2e")
        .datasets.get(dataset_name="street")
        .items.get(filepath="/e2e/quadrants.jpg")
    )
    stored = {a.type: a for a in item.annotations.list()}
    assert sorted(stored) == ["box", "class", "point"]
    corners = [(p["x"], p["y"]) for p in stored["box"].coordinates]
    assert corners == [pytest.approx(meant, abs=1) for meant in box_meant]
    assert (stored["box"].label, stored["box"].attributes) == ("car", {"size": "large"})
    point = stored["point"].coordinates
    assert (point["x"], point["y"]) == pytest.approx(point_meant, abs=1)
    assert stored["point"].label == "car"
    assert stored["class"].label == "indoor"

    # What the page shows there: the box's red outline (a quarter down its left edge, clear of the
    # handles and the label text) and the red point.
    (left, top), (_, bottom) = corners
    cx, cy = view.canvas_xy(left, top + (bottom - top) / 4)
    wait_pixel(view.layers, int(cx), int(cy), is_red, what="the box's left edge")
    cx, cy = view.canvas_xy(point["x"], point["y"])
    wait_pixel(view.layers, int(cx), int(cy), is_red, what="the point")

    # Keys the notebook binds in command mode (insert, cut, delete or retype a cell, move between cells)
    # stay in the annotator: only its own meanings happen (the arrows nudge the box, Delete deletes it).
    view.click(INSIDE_BOX)
    changes = view.kernel_state(lambda a: True, "its annotations")["changes"]
    for key in ("b", "a", "x", "d", "d", "1", "m", "ArrowDown", "ArrowUp", "Delete"):
        page.keyboard.press(key)
    assert _notebook_state(page) == notebook_before, "a key meant for the annotator reached the notebook"
    deleted = view.kernel_state(lambda a: "box" not in [s["type"] for s in a], "the box deleted by Delete")
    assert deleted["changes"] == changes + 3, "expected three edits: nudge down, nudge up, delete"

    # Esc hands the keyboard back to the notebook, where 'b' is the notebook's again: a new cell.
    page.keyboard.press("Escape")
    b_inserts_a_cell(page, len(notebook_before["cells"]))


def b_inserts_a_cell(page: Page, cells: int) -> None:
    """Once the notebook has the keyboard, `b` is the notebook's again: the `cells` become one more."""
    poll(lambda: _focus(page) == "notebook" or None, timeout=10, what="the notebook to get the keyboard")
    page.keyboard.press("b")
    poll(
        lambda: len(_notebook_state(page)["cells"]) == cells + 1 or None,
        timeout=10,
        what="'b' after Esc to insert a cell",
    )


def _kinds(annotations: Annotations) -> list[tuple[str, str]]:
    return [(a["type"], a["label"]) for a in annotations]


def _box_size(annotations: Annotations) -> Any:
    return next(a for a in annotations if a["type"] == "box")["attributes"].get("size")


def _wait_value(select: Locator, value: str) -> None:
    """Wait until a <select> (rebuilt by the kernel after every edit) shows `value`."""
    poll(
        lambda: select.input_value(timeout=30_000) == value or None,
        timeout=30,
        what=f"the Size dropdown to show {value!r}",
        explain=lambda: f"it shows {select.input_value()!r}",
    )


def _notebook_state(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(_NOTEBOOK_STATE_JS)
    return state


def _focus(page: Page) -> str:
    where: str = page.evaluate(_FOCUS_JS)
    return where
