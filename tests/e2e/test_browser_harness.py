"""The browser harness itself: events travel both ways between a real page and the kernel, for an
ipycanvas canvas and an anywidget, in JupyterLab 4 and Notebook 7; and a view that never renders makes
the test fail fast with an explanation."""

from __future__ import annotations

import time

import pytest

import dlwidgets as dw

from .page import OpenNotebook
from .pixels import RGBA, is_red, wait_pixel
from .polling import poll
from .test_annotator import WORKSPACE_CELL
from .test_annotator_gestures import ANNOTATOR_CELL as GESTURES_CELL
from .views import AnnotatorView

CANVAS_CELL = """\
import numpy as np
from ipycanvas import Canvas, hold_canvas

canvas = Canvas(width=400, height=300, layout=dict(width="400px", height="300px"))
canvas.add_class("e2e-canvas")
gradient = np.zeros((300, 400, 3), dtype=np.uint8)
gradient[..., 0] = np.linspace(0, 255, 400, dtype=np.uint8)[None, :]
gradient[..., 1] = np.linspace(0, 255, 300, dtype=np.uint8)[:, None]
gradient[..., 2] = 128
with hold_canvas(canvas):
    canvas.put_image_data(gradient, 0, 0)
    canvas.fill_style = "white"
    canvas.fill_text("drag here", 10, 20)

boxes = []
start = {}

def on_down(x, y):
    start.update(x=x, y=y)

def on_up(x, y):
    box = {"x0": start["x"], "y0": start["y"], "x1": x, "y1": y}
    boxes.append(box)
    canvas.stroke_style = "red"
    canvas.line_width = 3
    canvas.stroke_rect(box["x0"], box["y0"], x - box["x0"], y - box["y0"])
    dump("canvas_boxes.json", boxes)

canvas.on_mouse_down(on_down)
canvas.on_mouse_up(on_up)
canvas
"""

COUNTER_CELL = '''\
import anywidget
import traitlets

class Counter(anywidget.AnyWidget):
    _esm = """
    export default {
      render({ model, el }) {
        el.classList.add("e2e-counter");
        const button = document.createElement("button");
        button.className = "e2e-counter-button";
        const echo = document.createElement("span");
        echo.className = "e2e-counter-echo";
        const update = () => {
          button.textContent = `count is ${model.get("value")}`;
          echo.textContent = model.get("kernel_echo");
        };
        button.addEventListener("click", () => {
          model.set("value", model.get("value") + 1);
          model.save_changes();
        });
        model.on("change:value", update);
        model.on("change:kernel_echo", update);
        update();
        el.append(button, echo);
        return () => {
          model.off("change:value", update);
          model.off("change:kernel_echo", update);
        };
      },
    };
    """
    value = traitlets.Int(0).tag(sync=True)
    kernel_echo = traitlets.Unicode("").tag(sync=True)

counter = Counter()

def on_value(change):
    dump("counter.json", {"value": change["new"]})
    counter.kernel_echo = f"kernel saw {change['new']}"

counter.observe(on_value, names="value")
counter
'''

# An anywidget whose front-end code throws: the kernel side is fine, the view never appears.
BROKEN_CELL = '''\
import anywidget

class Broken(anywidget.AnyWidget):
    _esm = """
    export default { render({ el }) { throw new Error("e2e: this view is broken on purpose"); } };
    """

Broken()
'''


def test_canvas_drag_reaches_kernel_and_reply_is_drawn(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([CANVAS_CELL])
    notebook.run_all()
    canvas = notebook.wait_widget("canvas.e2e-canvas")
    notebook.wait_ready()
    # The gradient pixel proves the image data arrived, not just an empty <canvas>.
    gradient = (191, 170, 128, 255)
    wait_pixel(canvas, 300, 200, lambda p: _close(p, gradient), what="the kernel's gradient")

    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    mouse = notebook.page.mouse
    mouse.move(box["x"] + 60, box["y"] + 70)
    mouse.down()
    mouse.move(box["x"] + 260, box["y"] + 190, steps=12)
    mouse.up()

    (received,) = notebook.wait_file("canvas_boxes.json")
    assert received == pytest.approx({"x0": 60, "y0": 70, "x1": 260, "y1": 190}, abs=1)
    wait_pixel(canvas, 60, 130, is_red, what="the kernel's red box edge")


def _close(pixel: RGBA, expected: RGBA, tolerance: int = 2) -> bool:
    """Equal up to the browser's colour rounding."""
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def test_anywidget_click_reaches_kernel_and_echo_is_shown(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([COUNTER_CELL])
    notebook.run_all()
    button = notebook.wait_widget(".e2e-counter button.e2e-counter-button")
    notebook.wait_ready()

    button.click()

    assert notebook.wait_file("counter.json", until=lambda c: c["value"] >= 1) == {"value": 1}
    echo = notebook.page.locator(".e2e-counter .e2e-counter-echo")
    echo.filter(has_text="kernel saw 1").wait_for(timeout=30_000)
    assert button.inner_text() == "count is 1"


def test_missing_view_fails_clearly(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([BROKEN_CELL])
    notebook.run_all()
    started = time.monotonic()

    with pytest.raises(AssertionError) as failure:
        notebook.wait_widget(".e2e-broken", grace=5)

    message = str(failure.value)
    assert time.monotonic() - started < 30, "the harness took the slow path instead of failing fast"
    assert "no widget view matching '.e2e-broken' rendered" in message
    assert "this view is broken on purpose" in message  # what the page showed instead


# The page changes under the annotator: an output appears above it, and the window gets narrower and
# shorter, so that the kernel gives the canvas another shape and the image another place on it.
_OUTPUT_ABOVE_JS = """root => {
  const above = document.createElement("div");
  above.style.height = "150px";
  root.before(above);
}"""


def test_annotator_gestures_follow_the_page_reflowing_after_the_view_was_read(
    open_notebook: OpenNotebook,
) -> None:
    notebook = open_notebook([WORKSPACE_CELL, GESTURES_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    view = AnnotatorView(notebook)
    before = (view.shown_view(), view.gestures.bounding_box())
    notebook.page.set_viewport_size({"width": 1000, "height": 380})
    view.root.evaluate(_OUTPUT_ABOVE_JS)
    view.gestures.wait_for()
    # The kernel follows the new width; only then is the view the one gestures meet.
    poll(lambda: view.shown_view() != before[0] or None, timeout=30, what="the canvas resized")
    assert view.gestures.bounding_box() != before[1]

    corners = ((100.0, 60.0), (300.0, 240.0))
    view.drag(*corners)
    view.click((500.0, 320.0))  # a click off the box, with the box tool: nothing drawn
    notebook.page.keyboard.press("Control+s")
    notebook.wait_file("saved.json", until=lambda s: s["count"] >= 1, timeout=60)
    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    try:
        dataset = client.projects.get(project_name="e2e").datasets.get(dataset_name="street")
        (box,) = dataset.items.get(filepath="/e2e/quadrants.jpg").annotations.list()
    finally:
        client.close()
    pixel = 1 / view.shown_view()["scale"]  # image pixels per screen pixel
    assert [(p["x"], p["y"]) for p in box.coordinates] == [
        pytest.approx(point, abs=1.5 * pixel) for point in corners
    ]
