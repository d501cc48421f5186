"""Drawing the shapes beyond plain boxes and points: polygons (with holes), polylines, ellipses, rotated
boxes and masks, each in its label colour, in a few vectorised ipycanvas calls; and the selected one's
own handles (vertices, rotation handle).

All closed shapes (polygons, rotated boxes, ellipses as many-sided polygons) are filled in one styled
call: a polygon's holes are joined to its outline by a bridge walked both ways and wound the other way,
so the browser's nonzero fill leaves them empty, as even-odd would. Their points travel as whole canvas
pixels in int16, so 1,000 polygons of 50 vertices cost about their raw vertex data and one message.
Rotated boxes and ellipses are outlined as well (few points); polylines are one styled stroke call;
masks are one styled call of rectangles, one per run of canvas pixels (see mask_drawing).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..models import shape_edits
from ..models.annotation_edits import Shape, box_angle
from ..models.shape_geometry import (
    Contours,
    EllipseGeometry,
    Geometry,
    batched,
    ellipse_ring,
    image_geometry,
)
from ..models.viewport import Viewport
from .canvas_recorder import CanvasRecorder
from .label_colors import label_rgbs
from .mask_drawing import mask_rects

VERTEX_SIZE = 8
ROTATION_HANDLE_RADIUS = 6
FILL_ALPHA = 0.35
MASK_ALPHA = 0.45


def split_shapes(
    shapes: Sequence[tuple[int, Shape]],
) -> tuple[list[tuple[int, Shape]], list[tuple[int, Shape]], list[tuple[int, Shape]]]:
    """(boxes not turned, points, the rest but classifications): the first two canvas_drawing draws, with
    their labels; the rest this module draws. One pass over thousands of shapes, one call a box."""
    boxes: list[tuple[int, Shape]] = []
    points: list[tuple[int, Shape]] = []
    others: list[tuple[int, Shape]] = []
    for entry in shapes:
        shape = entry[1]
        kind = shape["type"]
        if kind == "box":
            (others if box_angle(shape) else boxes).append(entry)
        elif kind == "point":
            points.append(entry)
        elif kind != "class":
            others.append(entry)
    return boxes, points, others


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2


def bridged(contours: Sequence[np.ndarray]) -> np.ndarray:
    """One polygon's outline and holes as a single ring a nonzero fill shows with its holes empty: each
    hole wound against the outline and reached from the outline's first point by a bridge there and back."""
    outline = contours[0]
    if len(contours) == 1:
        return outline
    sign = np.sign(_signed_area(outline)) or 1.0
    parts = [outline, outline[:1]]
    for hole in contours[1:]:
        if np.sign(_signed_area(hole)) == sign:
            hole = hole[::-1]
        parts += [hole, hole[:1], outline[:1]]
    return np.concatenate(parts)


# The image geometry of shapes drawn lately, by ``id``: an edit makes a new shape dict, so a shape still
# the same object (and its coordinates) has the same geometry, and a zoom or pan does not rebuild it.
_CACHE: OrderedDict[int, tuple[Shape, Any, Geometry | None, tuple[float, ...]]] = OrderedDict()
_CACHE_SIZE = 20_000


def _image_geometry(shape: Shape) -> tuple[Geometry | None, tuple[float, ...]]:
    """``image_geometry(shape)`` (an ellipse as its polygon) and its outline's bounds (left, top, right,
    bottom; none for a mask), remembered while the shape is unchanged."""
    cached = _CACHE.get(id(shape))
    if cached is not None and cached[0] is shape and cached[1] is shape.get("coordinates"):
        return cached[2], cached[3]
    geometry = image_geometry(shape)
    if isinstance(geometry, EllipseGeometry):
        geometry = Contours((ellipse_ring(geometry),), closed=True)
    bounds: tuple[float, ...] = ()
    if isinstance(geometry, Contours) and geometry.contours and len(geometry.contours[0]):
        outline = geometry.contours[0]
        bounds = (*outline.min(axis=0).tolist(), *outline.max(axis=0).tolist())
    _CACHE[id(shape)] = (shape, shape.get("coordinates"), geometry, bounds)
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return geometry, bounds


def outline_bounds(shape: Shape) -> tuple[float, ...]:
    """(left, top, right, bottom) of a shape's outline in image pixels (empty for a shape with none),
    remembered while the shape is unchanged: what a hit test checks before the outline itself."""
    return _image_geometry(shape)[1]


def _to_canvas(contours: list[np.ndarray], viewport: Viewport) -> tuple[np.ndarray, np.ndarray]:
    """Image contours as one drawing call takes them, moved where the viewport shows them."""
    offset = np.array([viewport.offset_x, viewport.offset_y])
    points, _ = batched([np.concatenate(contours) * viewport.scale + offset])
    return points, np.array([len(c) for c in contours])


def _colors(rgbs: Sequence[np.ndarray]) -> np.ndarray[Any, Any]:
    return np.array(rgbs, dtype=np.uint8).reshape(-1, 3)


def _counts(counts: np.ndarray) -> np.ndarray:
    """Points per polygon in the smallest integer type that holds them (fewer bytes on the wire)."""
    return counts.astype(np.int16 if not len(counts) or counts.max() < 2**15 else np.int32)


def draw_shapes(
    layer: CanvasRecorder,
    shapes: Sequence[tuple[int, Shape]],
    viewport: Viewport,
    colors: Mapping[str, str],
    opacity: float = 1.0,
) -> None:
    """Draw every shape of ``shapes`` this module draws (see ``split_shapes``) that is in view."""
    fills: list[np.ndarray] = []
    fill_colors: list[np.ndarray] = []
    outlines: list[np.ndarray] = []
    outline_colors: list[np.ndarray] = []
    lines: list[np.ndarray] = []
    line_colors: list[np.ndarray] = []
    rects: list[np.ndarray] = []
    rect_colors: list[np.ndarray] = []
    # The image rectangle the canvas shows: shapes wholly outside it are not sent.
    left, top = viewport.to_image(0, 0)
    right, bottom = viewport.to_image(viewport.canvas_width, viewport.canvas_height)
    others = split_shapes(shapes)[2]
    for (_key, shape), color in zip(others, label_rgbs(others, colors), strict=True):
        if shape.get("type") == "binary":  # sampled at the canvas's resolution (see mask_drawing)
            runs = mask_rects(shape, viewport)
            rects.append(runs)
            rect_colors += [color] * len(runs)
            continue
        geometry, bounds = _image_geometry(shape)
        if isinstance(geometry, Contours):
            contours = [c for c in geometry.contours if len(c) >= (3 if geometry.closed else 2)]
            if not contours or bounds[2] < left or bounds[3] < top or bounds[0] > right or bounds[1] > bottom:
                continue
            if not geometry.closed:
                lines += contours
                line_colors += [color] * len(contours)
                continue
            fills.append(bridged(contours))
            fill_colors.append(color)
            if shape["type"] != "segment":  # a rotated box or an ellipse: outlined like a box
                outlines += contours
                outline_colors += [color] * len(contours)
    if fills:
        points, counts = _to_canvas(fills, viewport)
        layer.fill_styled_polygons(points, _colors(fill_colors), FILL_ALPHA * opacity, _counts(counts))
    if outlines or lines:
        layer.line_width = 2
    if outlines:
        points, counts = _to_canvas(outlines, viewport)
        layer.stroke_styled_polygons(points, _colors(outline_colors), opacity, _counts(counts))
    if lines:
        points, counts = _to_canvas(lines, viewport)
        layer.stroke_styled_line_segments(points, _colors(line_colors), opacity, _counts(counts))
    if rect_colors:
        r = np.concatenate(rects)
        alpha = MASK_ALPHA * opacity
        layer.fill_styled_rects(r[:, 0], r[:, 1], r[:, 2], r[:, 3], _colors(rect_colors), alpha)


def draw_selection(layer: CanvasRecorder, shape: Shape, viewport: Viewport, color: str) -> None:
    """The selected shape's own handles: a polygon's or polyline's outline (and holes) in its label's
    ``color`` and their vertices (squares), a box's or ellipse's rotation handle (a circle on a stem above
    its top edge) and an ellipse's radii's ends or a box's corners and edges (squares)."""
    scale = viewport.scale
    kind = shape.get("type")
    if kind in shape_edits.VERTEX_TYPES:
        layer.stroke_style = color
        layer.line_width = 2
        draw_outline(layer, shape, viewport)
        rings = [shape_edits.vertices(shape, ring) for ring in range(shape_edits.ring_count(shape))]
        for hole in rings[1:]:
            layer.stroke_polygon((hole * scale + [viewport.offset_x, viewport.offset_y]).tolist())
        _draw_squares(layer, np.concatenate(rings), viewport)
    elif kind in shape_edits.TURNING_TYPES:
        if kind == "ellipse":  # an ellipse's outline shows it is the one selected
            layer.stroke_style = "#ffffff"
            layer.line_width = 1
            draw_outline(layer, shape, viewport)
        top = viewport.to_canvas(*shape_edits.rotation_handle(shape, 0.0))
        handle = viewport.to_canvas(
            *shape_edits.rotation_handle(shape, shape_edits.ROTATION_HANDLE_PX / scale)
        )
        layer.stroke_style = "#ffffff"
        layer.line_width = 2
        layer.stroke_line(*top, *handle)
        layer.fill_style = "#ffffff"
        layer.fill_circle(*handle, ROTATION_HANDLE_RADIUS)
        layer.stroke_style = "#000000"
        layer.line_width = 1
        layer.stroke_circle(*handle, ROTATION_HANDLE_RADIUS)
        if kind == "ellipse":
            _draw_squares(layer, np.array(shape_edits.radius_ends(shape)), viewport)
        else:  # a box's corners and edges, turned with it
            _draw_squares(layer, np.array(list(shape_edits.box_handles(shape).values())), viewport)


def _draw_squares(layer: CanvasRecorder, points: np.ndarray, viewport: Viewport) -> None:
    """White squares with a black edge centred on ``points`` (image pixels): handles to drag."""
    corners = points * viewport.scale + [viewport.offset_x, viewport.offset_y] - VERTEX_SIZE / 2
    layer.fill_style = "#ffffff"
    layer.fill_rects(corners[:, 0], corners[:, 1], VERTEX_SIZE)
    layer.stroke_style = "#000000"
    layer.line_width = 1
    layer.stroke_rects(corners[:, 0], corners[:, 1], VERTEX_SIZE)


def draw_outline(layer: CanvasRecorder, shape: Shape, viewport: Viewport) -> None:
    """Stroke a polygon's, polyline's, ellipse's or turned box's outline with the layer's current style
    (the objects list's highlight); other types draw nothing here."""
    if shape.get("type") not in shape_edits.AREA_TYPES | shape_edits.TURNING_TYPES:
        return
    points = (shape_edits.outline(shape) * viewport.scale + [viewport.offset_x, viewport.offset_y]).tolist()
    if shape["type"] == "polyline":
        layer.stroke_lines(points)
    else:
        layer.stroke_polygon(points)
