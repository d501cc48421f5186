"""The Annotator's layout and keyboard in a real browser, in JupyterLab 4 and Notebook 7.

At window widths 1100, 1400 and 1920, standalone and in the Studio's Annotate tab: every control lies
inside the window and inside whatever clips it, nothing scrolls sideways, and the canvas takes at least
60% of the width the cell gives it. In JupyterLab's dark theme (at 1400) the layout holds and every text
of the controls stands out from its background. Then the keyboard: the first Esc clears the selection
and the annotator keeps the keys (a digit picks a label, nothing reaches the notebook), the second gives
them back to the notebook; ``?`` shows the list of shortcuts.
"""

from __future__ import annotations

from typing import Any

import pytest

from dlwidgets.widgets.annotator.gestures import SHORTCUTS
from dlwidgets.widgets.annotator.review import ACCEPT_KEY, NEXT_KEY, REJECT_KEY

from .page import NotebookPage, OpenNotebook
from .test_annotator import WORKSPACE_CELL, _focus, _notebook_state, b_inserts_a_cell
from .test_studio_browser import low_contrast, use_dark_theme
from .views import AnnotatorView

WIDTHS = (1100, 1400, 1920)

ANNOTATOR_CELL = """\
annotator = dw.Annotator(item)
redraw = annotator.edits.on_change

def on_change():
    redraw()
    dump("annotations.json", {"annotations": [{"type": a.type, "label": a.label}
                                              for a in annotator.annotations]})

annotator.edits.on_change = on_change
annotator
"""

STUDIO_CELL = """\
import dlwidgets as dw
from dlwidgets.demo import create_demo

create_demo(dw.connect(home=str(OUT / "workspace")), images=2)
studio = dw.Studio()
studio.annotate_selection()
studio
"""

# For every control of the annotator: whether it sticks out of the window or out of an element that clips
# it. Also whether the annotator, anything in it or anything around it scrolls sideways.
_LAYOUT_JS = """root => {
  const controls = root.querySelectorAll(
    "button, input, select, textarea, canvas, label, .widget-html-content, .widget-readout");
  const faults = [];
  const inside = (r, box) => r.left >= box.left - 1 && r.right <= box.right + 1;
  for (const el of controls) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;  // not shown (e.g. an empty notice)
    const text = (el.textContent || "").trim().slice(0, 20);
    const name = `${el.tagName.toLowerCase()}.${el.className} "${text}"`;
    if (!inside(r, {left: 0, right: window.innerWidth})) faults.push(`${name} outside the window`);
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX !== "visible" && !inside(r, up.getBoundingClientRect())) {
        faults.push(`${name} clipped by ${up.tagName.toLowerCase()}.${up.className}`);
        break;
      }
    }
  }
  const scrolling = [];
  const around = [];  // the annotator's ancestors: the output area, the notebook, the page
  for (let up = root.parentElement; up; up = up.parentElement) around.push(up);
  for (const el of [document.scrollingElement, ...around, root, ...root.querySelectorAll("*")]) {
    if (!el || el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
    const overflow = getComputedStyle(el).overflowX;
    if (el === document.scrollingElement || overflow === "auto" || overflow === "scroll")
      scrolling.push(`${el.tagName.toLowerCase()}.${el.className}`);
  }
  const output = root.closest(".jp-OutputArea-output").getBoundingClientRect();
  const canvas = root.querySelector("canvas.dlw-gestures").getBoundingClientRect();
  return {faults, scrolling, share: canvas.width / output.width};
}"""


def check_layout(notebook: NotebookPage, selector: str) -> None:
    view = AnnotatorView(notebook, selector)
    view.root.scroll_into_view_if_needed()
    found: dict[str, Any] = view.root.evaluate(_LAYOUT_JS)
    assert found["faults"] == [], found["faults"]
    assert found["scrolling"] == [], f"these scroll sideways: {found['scrolling']}"
    assert found["share"] >= 0.6, f"the canvas takes {found['share']:.0%} of the cell's width"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_control_is_in_view_and_the_canvas_fills_the_cell(
    open_notebook: OpenNotebook, width: int
) -> None:
    notebook = open_notebook([WORKSPACE_CELL, ANNOTATOR_CELL], name="standalone")
    notebook.page.set_viewport_size({"width": width, "height": 900})
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    check_layout(notebook, ".dlw-annotator")
    studio = open_notebook([STUDIO_CELL], name="studio")
    studio.run_all()
    studio.wait_widget(".dlw-studio .dlw-annotator canvas.dlw-gestures")
    studio.wait_ready()
    check_layout(studio, ".dlw-studio .dlw-annotator")


def test_the_annotator_reads_in_the_dark_theme(open_notebook: OpenNotebook) -> None:
    """In JupyterLab's dark theme, at each window width, the layout holds and every text of the
    annotator's controls stands out from its background, as in the Studio's dark-theme test."""
    notebook = open_notebook([WORKSPACE_CELL, ANNOTATOR_CELL])
    notebook.page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    use_dark_theme(notebook.page)
    for width in WIDTHS:
        notebook.page.set_viewport_size({"width": width, "height": 900})
        notebook.page.wait_for_timeout(300)  # the theme's styles applied, the canvas resized
        check_layout(notebook, ".dlw-annotator")
        assert low_contrast(AnnotatorView(notebook).root) == [], f"at a {width} px window"


def test_esc_clears_the_selection_first_then_gives_the_keyboard_back(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([WORKSPACE_CELL, ANNOTATOR_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    view = AnnotatorView(notebook)
    page = notebook.page

    # `?` lists every shortcut over the canvas; Esc closes the list (and nothing else).
    view.click((20.0, 20.0))  # a click with the box tool: the keyboard, and no box
    overlay = view.root.locator(".dlw-shortcuts")
    assert overlay.locator("tr").count() == 0, "the list is built when first shown, not at start-up"
    page.keyboard.press("?")
    overlay.wait_for(state="visible", timeout=30_000)
    # The gestures' table, then the review mode's keys (listed whether or not review is on).
    assert overlay.locator("tr").count() == len(SHORTCUTS) + len((ACCEPT_KEY, REJECT_KEY, NEXT_KEY))
    assert "Esc" in overlay.inner_text()
    page.keyboard.press("Escape")
    overlay.wait_for(state="hidden", timeout=30_000)
    assert _focus(page) == "annotator"

    # A box, selected once drawn; the first Esc clears the selection, and the keys stay here: `2` picks
    # the second label for the next box (not relabelling the first), and `b` inserts no cell.
    before = _notebook_state(page)
    view.drag((100.0, 60.0), (300.0, 240.0))
    view.kernel_annotations(lambda a: a == [{"type": "box", "label": "car"}], "the first box")
    page.keyboard.press("Escape")
    page.keyboard.press("2")
    page.keyboard.press("b")
    assert _focus(page) == "annotator", "the first Esc gave the keyboard away"
    view.drag((400.0, 60.0), (600.0, 240.0))
    view.kernel_annotations(
        lambda a: a == [{"type": "box", "label": "car"}, {"type": "box", "label": "person"}],
        "the second box labelled 'person', the first still 'car'",
    )
    assert _notebook_state(page) == before, "a key meant for the annotator reached the notebook"

    # The second box is selected: one Esc clears that, the next hands the keyboard to the notebook.
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    b_inserts_a_cell(page, len(before["cells"]))


FIXED_CELL = """\
annotator = dw.Annotator(item, width=500, height=300)
annotator
"""


def test_a_fixed_width_keeps_the_layers_stacked_at_that_width(open_notebook: OpenNotebook) -> None:
    """``width=`` and ``height=`` fix the canvas's size in a wide cell: the image, drawing, highlight and
    gesture layers lie one over the other at that size."""
    notebook = open_notebook([WORKSPACE_CELL, FIXED_CELL])
    notebook.page.set_viewport_size({"width": 1400, "height": 900})
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    boxes: list[list[float]] = notebook.output(".dlw-annotator").evaluate(
        """root => [...root.querySelectorAll('.dlw-stage canvas')].map(c => {
             const r = c.getBoundingClientRect();
             return [r.left, r.top, r.width, r.height];
           })"""
    )
    assert len(boxes) == 4, boxes
    assert all(abs(a - b) <= 1 for box in boxes for a, b in zip(box, boxes[0], strict=True)), boxes
    assert abs(boxes[0][2] - 500) <= 1 and abs(boxes[0][3] - 300) <= 1, boxes
