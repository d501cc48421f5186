"""Drawing the annotations on the annotator's stage in one batch, in ipycanvas's vocabulary (recorded by
canvas_recorder, synced by the stage; the image is drawn by the page, image_layer.py).

Boxes and points are drawn with ipycanvas's vectorised, styled calls (NumPy arrays), so a thousand boxes
are one command, not a thousand. Their coordinates go as whole canvas pixels in int16 (8 bytes a box,
instead of the 32 of float64), and shapes outside the view are not sent at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..models.annotation_edits import Shape, box_edges
from ..models.viewport import Viewport
from .canvas_recorder import CanvasRecorder
from .label_colors import label_color, label_rgbs
from .label_drawing import Label, draw_labels
from .shape_drawing import draw_outline, draw_selection, draw_shapes, split_shapes

POINT_RADIUS = 5
# The outline of the object hovered in the objects list: bright on any image.
HIGHLIGHT_COLOR = "#ffeb3b"
# A box smaller than this on screen (canvas pixels) gets no label text: it would be bigger than the box
# and, with many such boxes, cover the image in unreadable text. Zooming in brings it back.
LABEL_MIN_BOX = (24, 16)
# How far outside the canvas a shape may reach once clamped: far enough that clamped edges stay unseen.
_OUTSIDE = 16


def _label_text(shape: Shape, colors: Mapping[str, str]) -> str:
    label = shape.get("label") or ""
    return label if label in colors else f"{label} (not in ontology)"


def draw_highlight(layer: CanvasRecorder, shape: Shape | None, viewport: Viewport) -> None:
    """Outline ``shape`` (None: nothing) on ``layer``, a layer of its own above the annotations, so that
    hovering the objects list redraws one shape, not all of them."""
    layer.clear()
    if shape is None:
        return
    layer.stroke_style = HIGHLIGHT_COLOR
    layer.line_width = 4
    if shape["type"] == "box":
        left, top, right, bottom = box_edges(shape)
        x0, y0 = viewport.to_canvas(left, top)
        x1, y1 = viewport.to_canvas(right, bottom)
        layer.stroke_rect(x0 - 3, y0 - 3, x1 - x0 + 6, y1 - y0 + 6)
    elif shape["type"] == "point":
        x, y = viewport.to_canvas(shape["coordinates"]["x"], shape["coordinates"]["y"])
        layer.stroke_circle(x, y, POINT_RADIUS + 5)
    else:
        draw_outline(layer, shape, viewport)


def _box_edges(boxes: Sequence[tuple[int, Shape]]) -> np.ndarray[Any, Any]:
    """(left, top, right, bottom) of each box, image pixels, N x 4 (``box_edges`` inlined: one row a box)."""
    corners = (s["coordinates"] for _, s in boxes)
    rows = [(c[0]["x"], c[0]["y"], c[1]["x"], c[1]["y"]) for c in corners]
    return np.array(rows, dtype=np.float64).reshape(-1, 4)


def draw_annotations(
    layer: CanvasRecorder,
    shapes: Sequence[tuple[int, Shape]],
    viewport: Viewport,
    colors: Mapping[str, str],
    selected: int | None = None,
    show_labels: bool = True,
    opacity: float = 1.0,
) -> None:
    """Redraw every box and point in view: one styled call for all box fills, one for their outlines, one
    for the points, then the labels (see label_drawing)."""
    layer.clear()
    width, height = viewport.canvas_width, viewport.canvas_height

    def to_canvas(xs: np.ndarray[Any, Any], ys: np.ndarray[Any, Any]) -> tuple[Any, Any]:
        return xs * viewport.scale + viewport.offset_x, ys * viewport.scale + viewport.offset_y

    def pixels(values: np.ndarray[Any, Any], limit: int) -> np.ndarray[Any, Any]:
        """Whole canvas pixels (a 2 px outline on them is crisp), clamped just outside the canvas."""
        return np.clip(np.rint(values), -_OUTSIDE, limit + _OUTSIDE).astype(np.int16)

    boxes, points, others = split_shapes(shapes)
    draw_shapes(layer, others, viewport, colors, opacity)
    # Labelled shapes: the shape, its colour row and its left, top and bottom in canvas pixels, as Python
    # numbers (placing the labels does arithmetic on each many times, slow on NumPy scalars).
    labelled: list[tuple[Shape, Any, float, float, float]] = []
    if boxes:
        edges = _box_edges(boxes)
        left, top = to_canvas(edges[:, 0], edges[:, 1])
        right, bottom = to_canvas(edges[:, 2], edges[:, 3])
        seen = (right >= 0) & (left <= width) & (bottom >= 0) & (top <= height)
        x0, y0 = pixels(left[seen], width), pixels(top[seen], height)
        w, h = pixels(right[seen], width) - x0, pixels(bottom[seen], height) - y0
        if len(x0):
            box_colors = label_rgbs(boxes, colors)[seen]
            layer.line_width = 2
            layer.fill_styled_rects(x0, y0, w, h, box_colors, alpha=0.15 * opacity)
            layer.stroke_styled_rects(x0, y0, w, h, box_colors, alpha=opacity)
            shown = np.flatnonzero(seen).tolist()  # each drawn box's place in ``boxes``
            big = (right[seen] - left[seen] >= LABEL_MIN_BOX[0]) & (
                bottom[seen] - top[seen] >= LABEL_MIN_BOX[1]
            )
            for i in np.flatnonzero(big).tolist():
                box_top = int(y0[i])
                labelled.append((boxes[shown[i]][1], box_colors[i], int(x0[i]), box_top, box_top + int(h[i])))
    if points:
        xy = np.array([[s["coordinates"]["x"], s["coordinates"]["y"]] for _, s in points], dtype=np.float64)
        px, py = to_canvas(xy[:, 0], xy[:, 1])
        seen = (px >= -POINT_RADIUS) & (px <= width + POINT_RADIUS)
        seen &= (py >= -POINT_RADIUS) & (py <= height + POINT_RADIUS)
        if seen.any():
            px, py = pixels(px[seen], width), pixels(py[seen], height)
            point_colors = label_rgbs(points, colors)[seen]
            layer.fill_styled_circles(px, py, POINT_RADIUS, point_colors, alpha=opacity)
            spots = zip(np.flatnonzero(seen).tolist(), point_colors, px.tolist(), py.tolist(), strict=True)
            radius = POINT_RADIUS
            labelled += [(points[i][1], row, x + radius, y - radius, y + radius) for i, row, x, y in spots]
    if show_labels and labelled:
        labels = [
            Label(_label_text(s, colors), label_color(s.get("label"), colors), x, y, y1)
            for s, _, x, y, y1 in labelled
        ]
        draw_labels(layer, labels, viewport.scale, np.array([row for _, row, *_ in labelled], dtype=np.uint8))
    if selected is not None:
        chosen = dict(shapes).get(selected)
        if chosen is not None and chosen["type"] == "point":
            x, y = viewport.to_canvas(chosen["coordinates"]["x"], chosen["coordinates"]["y"])
            layer.stroke_style = "#ffffff"
            layer.line_width = 2
            layer.stroke_circle(x, y, POINT_RADIUS + 3)
        if chosen is not None:
            draw_selection(layer, chosen, viewport, label_color(chosen.get("label"), colors))
