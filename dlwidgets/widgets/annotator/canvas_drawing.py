"""Drawing on the annotator's ipycanvas layers: the annotations in one batch (the image has a layer of
its own, image_layer.py).

Boxes and points are drawn with ipycanvas's vectorised, styled calls (NumPy arrays), so a thousand boxes
are one command, not a thousand. Their coordinates go as whole canvas pixels in int16 (8 bytes a box,
instead of the 32 of float64), and shapes outside the view are not sent at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from ipycanvas import Canvas

from ..models.annotation_edits import Shape, box_angle, box_edges, handle_points
from ..models.viewport import Viewport
from .label_drawing import Label, draw_labels
from .shape_drawing import draw_outline, draw_selection, draw_shapes, is_drawn_here

UNKNOWN_COLOR = "#9e9e9e"
HANDLE_SIZE = 8
POINT_RADIUS = 5
# The outline of the object hovered in the objects list: bright on any image.
HIGHLIGHT_COLOR = "#ffeb3b"
# A box smaller than this on screen (canvas pixels) gets no label text: it would be bigger than the box
# and, with many such boxes, cover the image in unreadable text. Zooming in brings it back.
LABEL_MIN_BOX = (24, 16)
# How far outside the canvas a shape may reach once clamped: far enough that clamped edges stay unseen.
_OUTSIDE = 16


def rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _label_text(shape: Shape, colors: Mapping[str, str]) -> str:
    label = shape.get("label") or ""
    return label if label in colors else f"{label} (not in ontology)"


def draw_highlight(layer: Canvas, shape: Shape | None, viewport: Viewport) -> None:
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


def draw_annotations(
    layer: Canvas,
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

    def color_array(items: Sequence[tuple[int, Shape]]) -> np.ndarray[Any, Any]:
        return np.array(
            [rgb(colors.get(s.get("label") or "", UNKNOWN_COLOR)) for _, s in items], dtype=np.uint8
        ).reshape(-1, 3)

    def to_canvas(xs: np.ndarray[Any, Any], ys: np.ndarray[Any, Any]) -> tuple[Any, Any]:
        return xs * viewport.scale + viewport.offset_x, ys * viewport.scale + viewport.offset_y

    def pixels(values: np.ndarray[Any, Any], limit: int) -> np.ndarray[Any, Any]:
        """Whole canvas pixels (a 2 px outline on them is crisp), clamped just outside the canvas."""
        return np.clip(np.rint(values), -_OUTSIDE, limit + _OUTSIDE).astype(np.int16)

    draw_shapes(layer, shapes, viewport, colors, opacity)
    labelled: list[tuple[Shape, float, float, float]] = []  # shape, left, top, bottom in canvas pixels
    boxes = [(k, s) for k, s in shapes if s["type"] == "box" and not is_drawn_here(s)]
    if boxes:
        edges = np.array([box_edges(s) for _, s in boxes], dtype=np.float64).reshape(-1, 4)
        left, top = to_canvas(edges[:, 0], edges[:, 1])
        right, bottom = to_canvas(edges[:, 2], edges[:, 3])
        seen = (right >= 0) & (left <= width) & (bottom >= 0) & (top <= height)
        boxes = [b for b, s in zip(boxes, seen, strict=True) if s]
        x0, y0 = pixels(left[seen], width), pixels(top[seen], height)
        w, h = pixels(right[seen], width) - x0, pixels(bottom[seen], height) - y0
        if boxes:
            box_colors = color_array(boxes)
            layer.line_width = 2
            layer.fill_styled_rects(x0, y0, w, h, box_colors, alpha=0.15 * opacity)
            layer.stroke_styled_rects(x0, y0, w, h, box_colors, alpha=opacity)
        big = (right[seen] - left[seen] >= LABEL_MIN_BOX[0]) & (bottom[seen] - top[seen] >= LABEL_MIN_BOX[1])
        spans = zip(boxes, x0, y0, y0 + h, big, strict=True)
        labelled += [(s, x, y, y1) for (_, s), x, y, y1, b in spans if b]
    points = [(k, s) for k, s in shapes if s["type"] == "point"]
    if points:
        xy = np.array([[s["coordinates"]["x"], s["coordinates"]["y"]] for _, s in points], dtype=np.float64)
        px, py = to_canvas(xy[:, 0], xy[:, 1])
        seen = (px >= -POINT_RADIUS) & (px <= width + POINT_RADIUS)
        seen &= (py >= -POINT_RADIUS) & (py <= height + POINT_RADIUS)
        points = [p for p, s in zip(points, seen, strict=True) if s]
        if points:
            px, py = pixels(px[seen], width), pixels(py[seen], height)
            layer.fill_styled_circles(px, py, POINT_RADIUS, color_array(points), alpha=opacity)
            spots = zip(points, px, py, strict=True)
            labelled += [(s, x + POINT_RADIUS, y - POINT_RADIUS, y + POINT_RADIUS) for (_, s), x, y in spots]
    if show_labels and labelled:
        labels = [
            Label(_label_text(s, colors), colors.get(s.get("label") or "", UNKNOWN_COLOR), x, y, y1)
            for s, x, y, y1 in labelled
        ]
        draw_labels(layer, labels, viewport.scale, color_array([(0, s) for s, *_ in labelled]))
    if selected is not None:
        chosen = dict(shapes).get(selected)
        # A turned box's handles are turned with it (draw_selection draws them).
        if chosen is not None and chosen["type"] == "box" and not box_angle(chosen):
            handles = np.array(list(handle_points(chosen).values()), dtype=np.float64)
            hx = handles[:, 0] * viewport.scale + viewport.offset_x - HANDLE_SIZE / 2
            hy = handles[:, 1] * viewport.scale + viewport.offset_y - HANDLE_SIZE / 2
            layer.fill_style = "#ffffff"
            layer.fill_rects(hx, hy, HANDLE_SIZE)
            layer.stroke_style = "#000000"
            layer.line_width = 1
            layer.stroke_rects(hx, hy, HANDLE_SIZE)
        elif chosen is not None and chosen["type"] == "point":
            x, y = viewport.to_canvas(chosen["coordinates"]["x"], chosen["coordinates"]["y"])
            layer.stroke_style = "#ffffff"
            layer.line_width = 2
            layer.stroke_circle(x, y, POINT_RADIUS + 3)
        if chosen is not None:
            draw_selection(layer, chosen, viewport, colors.get(chosen.get("label") or "", UNKNOWN_COLOR))
