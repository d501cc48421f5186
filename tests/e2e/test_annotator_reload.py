"""The annotator drawn again in a page opened later, in JupyterLab 4 and Notebook 7: the notebook is saved
and the page reloaded while the kernel keeps running. The new page's canvases start blank (ipycanvas keeps
no drawing in the model, the image layer only messages): the kernel draws them again, the image and the
annotations."""

from __future__ import annotations

from .page import OpenNotebook
from .pixels import is_red, wait_pixel
from .test_annotator import QUADRANTS, WORKSPACE_CELL
from .views import AnnotatorView

ANNOTATOR_CELL = """\
annotator = dw.Annotator(item, autosave=False)
annotator.annotations = [dw.Box(left=100, top=60, right=300, bottom=240, label="car")]
annotator
"""

_SAVE_JS = "() => window.jupyterapp.commands.execute('docmanager:save')"


def _check_drawn(view: AnnotatorView, when: str) -> None:
    view.wait_image_pixel(480, 300, (*QUADRANTS["bottom-right"], 255), f"the image {when}")
    cx, cy = view.canvas_xy(100, 105)
    wait_pixel(view.layers, int(cx), int(cy), is_red, what=f"the box's left edge {when}")


def test_reloaded_page_draws_image_and_annotations(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([WORKSPACE_CELL, ANNOTATOR_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    _check_drawn(AnnotatorView(notebook), "as first shown")
    notebook.page.evaluate(_SAVE_JS)
    notebook.open()  # the page loaded again: the kernel, and the annotator, still run
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    _check_drawn(AnnotatorView(notebook), "after the page was reloaded")
