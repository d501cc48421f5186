"""Polygons, polylines, ellipses, rotated boxes and masks go to the browser as a few vectorised canvas
commands, in their label colours, where the zoom and pan put them; read back from the messages sent."""

from __future__ import annotations

from typing import Any

import numpy as np
from canvas_messages import Sent, batch_commands, commands
from every_shape import upload_every_type
from ipycanvas import Canvas, hold_canvas

import dlwidgets as dw
from dlwidgets.api.entities.masks import mask_to_data_url
from dlwidgets.widgets import Annotator
from dlwidgets.widgets.annotator.shape_drawing import draw_shapes
from dlwidgets.widgets.models.shape_geometry import is_view_only
from dlwidgets.widgets.models.viewport import Viewport

COLORS = {"car": "#ff0000", "person": "#00ff00"}


def only(found: list[tuple[str, list[Any]]], name: str) -> list[Any]:
    """The one command ``name`` among ``found``: its arguments, polygon points as (n, 2) rows."""
    (args,) = [a for n, a in found if n == name]
    if name.endswith(("Polygons", "LineSegments")):
        args[1] = args[1].reshape(-1, 2)
    return args


def ring(*points: tuple[float, float]) -> list[dict[str, float]]:
    return [{"x": x, "y": y} for x, y in points]


VIEW = Viewport(canvas_width=800, canvas_height=600, image_width=400, image_height=300, scale=2.0)
VIEW.offset_x, VIEW.offset_y = 10.0, 20.0


def test_a_polygon_with_a_hole_is_one_filled_ring_with_the_hole_wound_the_other_way(sent: Sent) -> None:
    outline = ring((10, 10), (110, 10), (110, 110), (10, 110))
    hole = ring((40, 40), (80, 40), (80, 80), (40, 80))  # wound the same way as the outline
    shapes = [(0, {"type": "segment", "label": "car", "coordinates": [outline, hole]})]
    canvas = Canvas(width=800, height=600)
    with hold_canvas():
        draw_shapes(canvas, shapes, VIEW, COLORS)
    n, points, counts, color, alpha = only(commands(sent), "fillStyledPolygons")
    assert n == 1 and points.dtype == np.int16
    assert counts.tolist() == [4 + 1 + 4 + 1 + 1]
    assert points[:4].tolist() == [[30, 40], [230, 40], [230, 240], [30, 240]]  # image * 2 + (10, 20)
    assert points[5:9].tolist() == [[90, 180], [170, 180], [170, 100], [90, 100]]  # reversed
    assert points[-1].tolist() == [30, 40]  # the bridge back to the outline
    assert color.tolist() == [255, 0, 0] and 0 < alpha < 1


def test_every_type_is_drawn_in_its_label_colour_under_zoom_and_pan(sent: Sent) -> None:
    mask_rows = [{"type": "binary", "label": "person", "coordinates": _mask_url()}]
    shapes = [
        (0, {"type": "segment", "label": "car", "coordinates": [ring((0, 0), (10, 0), (0, 10))]}),
        (1, {"type": "polyline", "label": "person", "coordinates": [ring((0, 0), (20, 5), (40, 0))]}),
        (2, {"type": "box", "label": "car", "coordinates": [*ring((100, 100), (140, 120)), 90]}),
        (3, {"type": "ellipse", "label": "person", "coordinates": _ellipse(200, 150, 30, 10, 0)}),
        (4, mask_rows[0]),
        (5, {"type": "box", "label": "car", "coordinates": ring((0, 0), (5, 5))}),  # not drawn here
    ]
    canvas = Canvas(width=800, height=600)
    with hold_canvas():
        draw_shapes(canvas, shapes, VIEW, COLORS)
    found = commands(sent)
    n, points, counts, colors, _alpha = only(found, "fillStyledPolygons")
    assert n == 3 and counts.tolist() == [3, 4, 48]
    assert colors.reshape(-1, 3).tolist() == [[255, 0, 0], [255, 0, 0], [0, 255, 0]]
    assert points[:3].tolist() == [[10, 20], [30, 20], [10, 40]]
    # The box 40 x 20 turned by 90 degrees about its centre (120, 110): 20 wide and 40 tall.
    box = points[3:7].astype(float)
    assert sorted(set(box[:, 0].tolist())) == [10 + 2 * 110, 10 + 2 * 130]
    assert sorted(set(box[:, 1].tolist())) == [20 + 2 * 90, 20 + 2 * 130]
    ellipse = points[7:].astype(float)
    assert (ellipse.min(axis=0).tolist(), ellipse.max(axis=0).tolist()) == ([350, 300], [470, 340])
    _n, line, line_counts, line_colors, _ = only(found, "strokeStyledLineSegments")
    assert line.tolist() == [[10, 20], [50, 30], [90, 20]] and line_counts.tolist() == [3]
    assert line_colors.tolist() == [0, 255, 0]
    x, y, width, height, rect_colors, _ = only(found, "fillStyledRects")
    # Mask rows 2 and 3, columns 4 to 7, as two runs one image pixel tall: 2 canvas pixels.
    assert x.tolist() == [18, 18] and y.tolist() == [24, 26]
    assert width.tolist() == [8, 8] and height.tolist() == [2, 2]
    assert rect_colors.reshape(-1, 3).tolist() == [[0, 255, 0]] * 2
    _n, outline, outline_counts, _c, _a = only(found, "strokeStyledPolygons")
    assert outline_counts.tolist() == [4, 48] and outline[:4].tolist() == box.astype(int).tolist()


def test_shapes_out_of_view_are_not_sent(sent: Sent) -> None:
    far = [
        (0, {"type": "segment", "label": "car", "coordinates": [ring((900, 900), (950, 900), (900, 950))]})
    ]
    canvas = Canvas(width=800, height=600)
    with hold_canvas():
        draw_shapes(canvas, far, VIEW, COLORS)
    assert [n for n, _ in commands(sent) if "Polygons" in n] == []


def test_a_thousand_polygons_are_one_message_near_their_raw_vertex_bytes(sent: Sent) -> None:
    rng = np.random.default_rng(0)
    angles = np.linspace(0, 2 * np.pi, 50, endpoint=False)
    shapes = []
    for k in range(1000):
        cx, cy = rng.uniform(20, 380), rng.uniform(20, 280)
        points = zip(cx + 15 * np.cos(angles), cy + 15 * np.sin(angles), strict=True)
        shapes.append((k, {"type": "segment", "label": "car", "coordinates": [ring(*points)]}))
    canvas = Canvas(width=800, height=600)
    with hold_canvas():
        draw_shapes(canvas, shapes, VIEW, COLORS)
    assert len(sent) == 1
    raw = 1000 * 50 * 2 * 2  # x and y as 16-bit integers
    assert sum(len(b) for b in sent[0]) <= 1.2 * raw
    assert [n for n, _ in commands(sent)] == ["fillStyledPolygons"]


def drawn_by(annotator: Annotator) -> list[tuple[str, list[Any]]]:
    return batch_commands(annotator.stage.drawing)


def test_the_annotator_draws_an_item_holding_every_type(image_item: dw.Item) -> None:
    upload_every_type(image_item)
    annotator = Annotator(image_item, width=800, height=520)
    annotator.fit()
    names = [n for n, _ in drawn_by(annotator)]
    for name in ("fillStyledPolygons", "strokeStyledPolygons", "strokeStyledLineSegments", "fillStyledRects"):
        assert name in names
    (_n, _points, counts, _colors, _alpha) = only(drawn_by(annotator), "fillStyledPolygons")
    assert counts.tolist() == [3, 4, 48]  # the polygon, the rotated box, the ellipse; the mask: rects
    annotator.zoom(2.0, at=(0.0, 0.0))  # the ellipse goes out of view
    (_n, points, counts, _colors, _alpha) = only(drawn_by(annotator), "fillStyledPolygons")
    scale, top = annotator.viewport.scale, annotator.viewport.offset_y
    assert counts.tolist() == [3, 4] and points[1].tolist() == [round(100 * scale), round(12.5 * scale + top)]


def _ellipse(x: float, y: float, rx: float, ry: float, angle: float) -> dict[str, Any]:
    return {"center": {"x": x, "y": y}, "rx": rx, "ry": ry, "angle": angle}


def _mask_url() -> str:
    mask = np.zeros((6, 10), dtype=bool)
    mask[2:4, 4:8] = True
    return mask_to_data_url(mask)


def test_types_the_annotator_cannot_edit_are_view_only() -> None:
    kinds = ["box", "point", "class", "segment", "polyline", "ellipse", "binary", "note"]
    assert [k for k in kinds if is_view_only({"type": k})] == ["note"]


def test_a_label_colour_written_short_or_unreadable_is_drawn_not_raised(sent: Sent) -> None:
    """A platform may store a colour as CSS's three-digit hex, or in a form no parser here reads: the shape
    is drawn, in that colour where it can be read, else in the unknown label's grey."""
    shapes = [
        (0, {"type": "segment", "label": "short", "coordinates": [ring((0, 0), (10, 0), (0, 10))]}),
        (1, {"type": "segment", "label": "odd", "coordinates": [ring((0, 0), (10, 0), (0, 10))]}),
    ]
    canvas = Canvas(width=800, height=600)
    with hold_canvas():
        draw_shapes(canvas, shapes, VIEW, {"short": "#f80", "odd": "hsl(10, 50%, 50%)"})
    _n, _points, _counts, colors, _alpha = only(commands(sent), "fillStyledPolygons")
    assert colors.reshape(-1, 3).tolist() == [[255, 136, 0], [158, 158, 158]]
