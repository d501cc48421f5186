"""Boxes drawn back to back in a real browser, in JupyterLab 4 and Notebook 7: every one is stored.

A person who draws quickly starts the next drag before the kernel has answered the previous one; with a
model running in the same kernel, the answer takes seconds. Twenty boxes are dragged with no pause
between them, once with an idle kernel and once while a thread keeps it busy (holding the GIL in short
bursts); Ctrl+S then saves, and the workspace must hold all twenty, where they were drawn. Boxes drawn
while a cell blocks the kernel are shown as previews until the kernel, free again, stores them.
"""

from __future__ import annotations

import pytest

import dlwidgets as dw

from .page import OpenNotebook
from .polling import poll
from .test_annotator import WORKSPACE_CELL
from .views import AnnotatorView

ANNOTATOR_CELL = """\
import dataclasses
annotator = dw.Annotator(item)
dump("viewport.json", dataclasses.asdict(annotator.viewport))
annotator.on_save(lambda item, annotations: dump("saved.json", {"count": len(annotations)}))
annotator
"""

# A model at work in the same kernel: bursts of ~20 ms holding the GIL (one C call), short sleeps between.
BUSY_CELL = """\
import threading, time

def keep_busy(seconds=90):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sum(range(1_000_000))
        time.sleep(0.005)

threading.Thread(target=keep_busy, daemon=True).start()
"""

COLUMNS, ROWS = 5, 4
CELL_W, CELL_H = 640 / COLUMNS, 400 / ROWS


def grid_boxes() -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Twenty boxes apart from each other (a drag starting on the selected box would move it instead)."""
    return [
        ((c * CELL_W + 20, r * CELL_H + 20), ((c + 1) * CELL_W - 20, (r + 1) * CELL_H - 20))
        for r in range(ROWS)
        for c in range(COLUMNS)
    ]


@pytest.mark.parametrize("busy", [False, True], ids=["idle-kernel", "busy-kernel"])
def test_twenty_boxes_dragged_without_a_pause_are_all_stored(open_notebook: OpenNotebook, busy: bool) -> None:
    cells = [WORKSPACE_CELL, ANNOTATOR_CELL, *([BUSY_CELL] if busy else [])]
    notebook = open_notebook(cells)
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    view = AnnotatorView(notebook)

    drawn = [view.drag(*box) for box in grid_boxes()]
    notebook.page.keyboard.press("Control+s")
    saved = notebook.wait_file("saved.json", until=lambda s: s["count"] >= len(drawn), timeout=90)
    assert saved == {"count": len(drawn)}

    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    item = (
        client.projects.get(project_name="e2e")
        .datasets.get(dataset_name="street")
        .items.get(filepath="/e2e/quadrants.jpg")
    )
    stored = sorted(
        [(p["x"], p["y"]) for p in a.coordinates] for a in item.annotations.list() if a.type == "box"
    )
    meant = sorted([view.image_xy(*screen) for screen in drag] for drag in drawn)
    assert len(stored) == len(meant)
    for corners, expected in zip(stored, meant, strict=True):
        assert corners == [pytest.approx(point, abs=1) for point in expected]
    client.close()


# A cell that keeps the kernel from handling any widget message for a while, started after the annotator.
BLOCKING_CELL = """\
import time
dump("blocking.json", True)
time.sleep(12)
"""

# Whether anything is drawn on the gesture layer along a vertical strip (a dashed preview outline).
_STRIP_DRAWN_JS = """(canvas, [x, y0, y1]) => {
  const data = canvas.getContext('2d').getImageData(x - 1, y0, 3, y1 - y0).data;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true;
  return false;
}"""


def test_boxes_drawn_while_a_cell_runs_are_previewed_then_stored(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([WORKSPACE_CELL, ANNOTATOR_CELL, BLOCKING_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_file("blocking.json")
    # The kernel is blocked: the canvas may still have the size it was made with, stretched to the cell.
    view = AnnotatorView(notebook, settled=False)
    boxes = grid_boxes()[:3]
    for box in boxes:
        view.drag(*box)
    assert not (notebook.out_dir / "ready.json").exists(), "the kernel was free before the drags ended"
    for (left, top), (_, bottom) in boxes:
        x, y0 = view.canvas_xy(left, top)
        _, y1 = view.canvas_xy(left, bottom)
        assert view.gestures.evaluate(_STRIP_DRAWN_JS, [int(x), int(y0) + 4, int(y1) - 4]), (
            f"no preview of the pending box at x={left}"
        )
    notebook.wait_ready()
    # Autosave (on by default) stores them after the idle time; the previews go once they are drawn.
    saved = notebook.wait_file("saved.json", until=lambda s: s["count"] >= len(boxes), timeout=60)
    assert saved == {"count": len(boxes)}
    (left, top), (_, bottom) = boxes[0]
    x, y0 = view.canvas_xy(left, top)
    _, y1 = view.canvas_xy(left, bottom)
    poll(
        lambda: not view.gestures.evaluate(_STRIP_DRAWN_JS, [int(x), int(y0) + 4, int(y1) - 4]) or None,
        timeout=30,
        what="the preview of a stored box to go",
    )
