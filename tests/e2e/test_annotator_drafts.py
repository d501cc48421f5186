"""Leaving an item keeps its edits, in a real browser, in JupyterLab 4 and Notebook 7.

The annotator shows two items. With autosave on (the default) a box drawn, then `]` and `[`, is stored
and shown again, marked saved; a second box left alone is saved after the idle time. With autosave
turned off by its toggle, the same keys bring back the box as a draft marked unsaved, listed among the
unsaved drafts, and nothing is stored.
"""

from __future__ import annotations

import re

import dlwidgets as dw

from . import views
from .page import NotebookPage, OpenNotebook
from .pixels import RGBA, is_red, wait_pixel
from .polling import poll
from .test_annotator import WORKSPACE_CELL
from .views import AnnotatorView

ANNOTATOR_CELL = """\
import dataclasses
second = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="second.jpg")
annotator = dw.Annotator([item, second])
dump("viewport.json", dataclasses.asdict(annotator.viewport))
annotator
"""

BOX = ((100.0, 60.0), (300.0, 240.0))
OTHER_BOX = ((400.0, 260.0), (560.0, 360.0))


def open_annotator(open_notebook: OpenNotebook) -> AnnotatorView:
    return views.open_annotator(open_notebook, [WORKSPACE_CELL, ANNOTATOR_CELL])


def stored_boxes(notebook: NotebookPage) -> int:
    """How many boxes the workspace holds for the first item, read by this process."""
    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    try:
        item = (
            client.projects.get(project_name="e2e")
            .datasets.get(dataset_name="street")
            .items.get(filepath="/e2e/quadrants.jpg")
        )
        return sum(a.type == "box" for a in item.annotations.list())
    finally:
        client.close()


def left_edge(view: AnnotatorView, box: tuple[tuple[float, float], ...]) -> tuple[int, int]:
    """A canvas pixel on the box's left edge, a quarter down (clear of its handles and label)."""
    (left, top), (_, bottom) = box
    x, y = view.canvas_xy(left, top + (bottom - top) / 4)
    return int(x), int(y)


def not_red(pixel: RGBA) -> bool:
    return not is_red(pixel)


def leave_and_come_back(view: AnnotatorView) -> None:
    """`]` then `[`, each waited for on the page's item counter."""
    view.page.keyboard.press("]")
    view.wait_text(".dlw-counter", "2 of 2")
    wait_pixel(view.layers, *left_edge(view, BOX), not_red, what="the second item, without the box")
    view.page.keyboard.press("[")
    view.wait_text(".dlw-counter", "1 of 2")


def test_with_autosave_a_box_is_stored_on_leaving_and_after_an_idle_time(open_notebook: OpenNotebook) -> None:
    view = open_annotator(open_notebook)
    view.root.get_by_role("checkbox", name="autosave").wait_for(timeout=30_000)
    assert view.root.get_by_role("checkbox", name="autosave").is_checked()
    view.drag(*BOX)
    wait_pixel(view.layers, *left_edge(view, BOX), is_red, what="the drawn box")
    leave_and_come_back(view)
    wait_pixel(view.layers, *left_edge(view, BOX), is_red, what="the box, shown again")
    view.wait_text(".dlw-dirty", "saved")
    assert stored_boxes(view.notebook) == 1

    # A box left alone: saved after the idle time, with no key pressed.
    view.drag(*OTHER_BOX)
    wait_pixel(view.layers, *left_edge(view, OTHER_BOX), is_red, what="the second box")
    poll(lambda: stored_boxes(view.notebook) == 2 or None, timeout=30, what="the idle autosave")
    view.wait_text(".dlw-dirty", "saved")


def test_with_autosave_off_the_box_comes_back_as_an_unsaved_draft(open_notebook: OpenNotebook) -> None:
    view = open_annotator(open_notebook)
    view.root.get_by_role("checkbox", name="autosave").uncheck()
    view.drag(*BOX)
    wait_pixel(view.layers, *left_edge(view, BOX), is_red, what="the drawn box")
    view.wait_text(".dlw-dirty", "● unsaved")
    leave_and_come_back(view)
    wait_pixel(view.layers, *left_edge(view, BOX), is_red, what="the draft's box, shown again")
    view.wait_text(".dlw-dirty", "● unsaved")
    drafts = view.root.locator(".dlw-drafts")
    drafts.filter(has_text=re.compile(r"unsaved drafts \(1\): quadrants\.jpg")).wait_for(timeout=30_000)
    assert stored_boxes(view.notebook) == 0
