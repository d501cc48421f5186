"""The Annotator's toolbar (one ControlBar) in a real browser, in JupyterLab 4 and Notebook 7, clicked as
a person would: a tool chosen, the zoom in and back out, a box saved with the Save button, the next item
with its button and back with the item number typed in, the shortcuts listed. Each click's effect is
seen where the kernel shows it (the chosen tool, the zoom readout, the save state, the counter, the
stored annotations), and the canvas never moves while the readouts change."""

from __future__ import annotations

from playwright.sync_api import Locator

from . import views
from .page import OpenNotebook
from .pixels import is_red, wait_pixel
from .polling import poll
from .test_annotator import WORKSPACE_CELL
from .test_annotator_drafts import BOX, left_edge, stored_boxes
from .views import AnnotatorView

ANNOTATOR_CELL = """\
second = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="second.jpg")
annotator = dw.Annotator([item, second], autosave=False)
annotator
"""


def button(view: AnnotatorView, name: str) -> Locator:
    """The toolbar's button named ``name`` (its text, or its tooltip when it shows only an icon)."""
    return view.root.locator(".dlw-toolbar").get_by_role("button", name=name, exact=True)


def canvas_top(view: AnnotatorView) -> float:
    """The canvas's top, from the annotator's (the page may scroll meanwhile)."""
    top: float = view.gestures.evaluate(
        "c => c.getBoundingClientRect().top - c.closest('.dlw-annotator').getBoundingClientRect().top"
    )
    return top


def test_the_toolbars_buttons_choose_the_tool_zoom_save_and_move_between_items(
    open_notebook: OpenNotebook,
) -> None:
    view = views.open_annotator(open_notebook, [WORKSPACE_CELL, ANNOTATOR_CELL])
    top = canvas_top(view)
    zoom = view.root.locator(".dlw-zoom")
    fitted = zoom.inner_text()

    # A tool: the kernel's choice shows as the active toggle; the brush's size box shows with the brush.
    size_box = view.root.locator(".dlw-brush-size")
    assert not size_box.is_visible()
    button(view, "Brush (M)").click()
    view.wait_tool("Brush")
    size_box.wait_for(state="visible", timeout=30_000)
    button(view, "Box (B)").click()
    view.wait_tool("Box")

    # Zoom in, then Fit: the readout says what the kernel did.
    button(view, "Zoom in").click()
    poll(lambda: zoom.inner_text() != fitted or None, timeout=30, what="the zoom readout after Zoom in")
    # The readouts are rounded percentages: 132% x 1.25 may read 165% or 166%.
    assert abs(int(zoom.inner_text().rstrip("%")) - int(fitted.rstrip("%")) * 1.25) <= 1
    button(view, "Fit").click()
    view.wait_text(".dlw-zoom", fitted)

    # A box, saved with the Save button.
    view.drag(*BOX)
    wait_pixel(view.layers, *left_edge(view, BOX), is_red, what="the drawn box")
    view.wait_text(".dlw-dirty", "● unsaved")
    button(view, "Save").click()
    view.wait_text(".dlw-dirty", "saved")
    assert stored_boxes(view.notebook) == 1

    # The next item with its button, then the first again by its number.
    button(view, "Next item (])").click()
    view.wait_text(".dlw-counter", "2 of 2")
    number = view.root.locator(".dlw-item-number input")
    assert number.input_value() == "2"
    number.fill("1")
    number.press("Enter")
    view.wait_text(".dlw-counter", "1 of 2")
    wait_pixel(view.layers, *left_edge(view, BOX), is_red, what="the saved box, on the first item again")

    # The shortcuts, listed over the canvas.
    button(view, "Keyboard shortcuts (?)").click()
    view.root.locator(".dlw-shortcuts").wait_for(state="visible", timeout=30_000)
    assert canvas_top(view) == top, "the toolbar's readouts moved the canvas"
