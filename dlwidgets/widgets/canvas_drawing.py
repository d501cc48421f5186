"""Drawing on the annotator's ipycanvas layers: the image once per item, the annotations in one batch.

Image bytes go to the browser as they were stored (JPEG stays JPEG), in one binary buffer; boxes and
points are drawn with ipycanvas's vectorised, styled calls (NumPy arrays), so a thousand boxes are one
command, not a thousand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from ipycanvas import Canvas
from ipycanvas.canvas import COMMANDS

from .annotation_edits import Shape, box_edges, handle_points
from .viewport import Viewport

UNKNOWN_COLOR = "#9e9e9e"
HANDLE_SIZE = 8
POINT_RADIUS = 5


def put_encoded_image(canvas: Canvas, data: bytes) -> None:
    """Draw encoded image bytes (JPEG, PNG, ...) at (0, 0) of ``canvas``, sent untouched.

    ipycanvas's public ``put_image_data`` takes a pixel array and re-encodes it; its browser side decodes
    whatever encoded image arrives, so the stored bytes are sent as that command's buffer directly.
    """
    canvas._canvas_manager.send_draw_command(canvas, COMMANDS["putImageData"], [0, 0], [data])


def rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def draw_image(layer: Canvas, source: Canvas, viewport: Viewport) -> None:
    """Show ``source`` (the full-resolution image) on ``layer`` where the viewport puts it."""
    layer.clear()
    layer.draw_image(
        source,
        viewport.offset_x,
        viewport.offset_y,
        viewport.image_width * viewport.scale,
        viewport.image_height * viewport.scale,
    )


def draw_annotations(
    layer: Canvas,
    shapes: Sequence[tuple[int, Shape]],
    viewport: Viewport,
    colors: Mapping[str, str],
    selected: int | None = None,
    show_labels: bool = True,
    opacity: float = 1.0,
) -> None:
    """Redraw every box and point: one styled call for all box outlines, one for fills, one for points."""
    layer.clear()
    boxes = [(k, s) for k, s in shapes if s["type"] == "box"]
    points = [(k, s) for k, s in shapes if s["type"] == "point"]

    def color_array(items: Sequence[tuple[int, Shape]]) -> np.ndarray[Any, Any]:
        return np.array(
            [rgb(colors.get(s.get("label") or "", UNKNOWN_COLOR)) for _, s in items], dtype=np.uint8
        )

    if boxes:
        edges = np.array([box_edges(s) for _, s in boxes], dtype=np.float64)
        x0 = edges[:, 0] * viewport.scale + viewport.offset_x
        y0 = edges[:, 1] * viewport.scale + viewport.offset_y
        w = (edges[:, 2] - edges[:, 0]) * viewport.scale
        h = (edges[:, 3] - edges[:, 1]) * viewport.scale
        box_colors = color_array(boxes)
        layer.line_width = 2
        layer.fill_styled_rects(x0, y0, w, h, box_colors, alpha=0.15 * opacity)
        layer.stroke_styled_rects(x0, y0, w, h, box_colors, alpha=opacity)
    if points:
        xy = np.array([[s["coordinates"]["x"], s["coordinates"]["y"]] for _, s in points], dtype=np.float64)
        px = xy[:, 0] * viewport.scale + viewport.offset_x
        py = xy[:, 1] * viewport.scale + viewport.offset_y
        layer.fill_styled_circles(px, py, POINT_RADIUS, color_array(points), alpha=opacity)
    if show_labels:
        layer.font = "12px sans-serif"
        for _, shape in (*boxes, *points):
            label = shape.get("label") or ""
            known = label in colors
            layer.fill_style = colors.get(label, UNKNOWN_COLOR)
            x, y = _anchor(shape, viewport)
            layer.fill_text(label if known else f"{label} (not in ontology)", x, y - 4)
    if selected is not None:
        chosen = dict(shapes).get(selected)
        if chosen is not None and chosen["type"] == "box":
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


def _anchor(shape: Shape, viewport: Viewport) -> tuple[float, float]:
    if shape["type"] == "box":
        left, top, _, _ = box_edges(shape)
        return viewport.to_canvas(left, top)
    return viewport.to_canvas(shape["coordinates"]["x"], shape["coordinates"]["y"])
