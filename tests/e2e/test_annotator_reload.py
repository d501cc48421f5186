"""The annotator shown again, in JupyterLab 4 and Notebook 7: in a page opened later (the notebook saved and
the page reloaded while the kernel keeps running), the stage draws its annotations from its model's state
and the kernel sends the image again (it lives in messages only): the image, a box and a mask, and the
side panel lists both. A second view in the same page draws the same."""

from __future__ import annotations

from .page import OpenNotebook
from .pixels import RGBA, is_red, wait_pixel
from .test_annotator import QUADRANTS, WORKSPACE_CELL
from .views import AnnotatorView

ANNOTATOR_CELL = """\
annotator = dw.Annotator(item, autosave=False)
mask = np.zeros((400, 640), dtype=bool)
mask[260:340, 420:540] = True
annotator.annotations = [
    dw.Box(left=100, top=60, right=300, bottom=240, label="car"),
    dw.Segmentation(geo=mask, label="person"),
]
annotator
"""

SECOND_VIEW_CELL = """\
import ipywidgets
display(ipywidgets.VBox([annotator]).add_class("e2e-second"))
"""

_SAVE_JS = "() => window.jupyterapp.commands.execute('docmanager:save')"


def _check_drawn(view: AnnotatorView, when: str) -> None:
    view.wait_image_pixel(600, 380, (*QUADRANTS["bottom-right"], 255), f"the image {when}")
    cx, cy = view.canvas_xy(100, 105)
    wait_pixel(view.layers, int(cx), int(cy), is_red, what=f"the box's left edge {when}")
    # The person mask (green) over the bottom-right quadrant (purple, little green).
    cx, cy = view.canvas_xy(480, 300)
    wait_pixel(view.layers, int(cx), int(cy), _greener, what=f"the mask {when}")


def _greener(pixel: RGBA) -> bool:
    return pixel[1] > QUADRANTS["bottom-right"][1] + 40


def test_reloaded_page_draws_image_and_annotations(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([WORKSPACE_CELL, ANNOTATOR_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    _check_drawn(AnnotatorView(notebook), "as first shown")
    notebook.page.evaluate(_SAVE_JS)
    notebook.open()  # the page loaded again: the kernel, and the annotator, still run
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    view = AnnotatorView(notebook)
    _check_drawn(view, "after the page was reloaded")
    # The objects list as the kernel has it now (the model's state, read again), not as it opened (none).
    view.wait_text(".dlw-section-title", "Objects (2)")
    labels = view.root.locator(".dlw-objects-list .dlw-object-row .dlw-object-label")
    assert labels.all_inner_texts() == ["car", "person"]


def test_a_second_view_in_the_page_shows_the_drawing(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([WORKSPACE_CELL, ANNOTATOR_CELL, SECOND_VIEW_CELL])
    notebook.run_all()
    notebook.wait_widget(".e2e-second .dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    _check_drawn(AnnotatorView(notebook, ".e2e-second .dlw-annotator"), "in the second view")
