"""The labels beside boxes on the annotator's canvas, read back from the canvas commands sent: the font
follows the zoom within readable limits, each label sits on a plate, and neighbouring labels do not
overlap."""

from __future__ import annotations

import re
from typing import Any

from canvas_messages import batch_commands, texts_drawn

from dlwidgets.widgets.annotator.canvas_drawing import draw_annotations
from dlwidgets.widgets.annotator.canvas_recorder import CanvasRecorder
from dlwidgets.widgets.annotator.label_drawing import FONT_PX, PLATE_ALPHA
from dlwidgets.widgets.models.viewport import Viewport

COLORS = {"car": "#ff0000", "person": "#ffff00"}


def box(label: str, left: float, top: float, right: float, bottom: float) -> dict[str, Any]:
    return {"type": "box", "label": label, "coordinates": [{"x": left, "y": top}, {"x": right, "y": bottom}]}


def drawn(shapes: list[dict[str, Any]], scale: float) -> list[tuple[str, list[Any]]]:
    view = Viewport(canvas_width=800, canvas_height=600, image_width=400, image_height=300, scale=scale)
    layer = CanvasRecorder()
    draw_annotations(layer, list(enumerate(shapes)), view, COLORS)
    return batch_commands(layer.batch())


def font_size(found: list[tuple[str, list[Any]]]) -> int:
    fonts = [str(args) for name, args in found if name == "set" and "px sans-serif" in str(args)]
    return int(re.findall(r"(\d+)px", fonts[-1])[0])


def test_the_label_font_follows_the_zoom_within_readable_limits() -> None:
    shapes = [box("car", 10, 10, 390, 290)]  # big enough to be labelled even at 10%
    sizes = [font_size(drawn(shapes, scale)) for scale in (0.1, 0.5, 1.0, 1.25, 4.0)]
    assert sizes == sorted(sizes) and len(set(sizes)) >= 3
    assert sizes[0] == FONT_PX[0] and sizes[-1] == FONT_PX[1]


def test_two_boxes_with_the_same_top_left_get_labels_that_do_not_overlap() -> None:
    shapes = [box("car", 50, 50, 150, 120), box("person", 50, 50, 120, 200)]
    found = drawn(shapes, 1.0)
    (plates,) = [args for name, args in found if name == "fillStyledRects" and args[-1] == PLATE_ALPHA]
    x, y, w = (a.tolist() for a in plates[:3])
    h = plates[3]  # one line of text: every plate as tall
    assert x[0] < x[1] + w[1] and x[1] < x[0] + w[0]  # side by side on x ...
    assert y[0] + h <= y[1] or y[1] + h <= y[0]  # ... so apart on y
    texts = texts_drawn(found)
    assert [t[0] for t in texts] == ["car", "person"]
    assert [t.fill_style for t in texts] == ["#ffffff", "#000000"], "ink that reads on red, on yellow"
    for (_, tx, ty, *_style), px, py, pw in zip(texts, x, y, w, strict=True):
        assert px < tx < px + pw and py < ty < py + h  # each text on its own plate, inside its edge
