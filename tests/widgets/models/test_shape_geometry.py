"""The canvas geometry of every stored shape type, under a zoomed and panned viewport."""

from __future__ import annotations

import math

import numpy as np
import pytest

import dlwidgets as dw
from dlwidgets.api.entities.masks import mask_runs
from dlwidgets.widgets.models.shape_geometry import (
    Contours,
    EllipseGeometry,
    MaskGeometry,
    PointGeometry,
    batched,
    canvas_geometry,
)
from dlwidgets.widgets.models.viewport import Viewport

# canvas = image * 2 + (10, 20)
VIEW = Viewport(800, 600, 300, 200, scale=2.0, offset_x=10.0, offset_y=20.0)


def stored(definition: dw.Definition) -> dict:
    return dw.Annotation.from_definition(definition).to_json()


def test_a_polygon_with_a_hole_is_two_closed_contours() -> None:
    outline = [{"x": 0, "y": 0}, {"x": 100, "y": 0}, {"x": 100, "y": 50}]
    hole = [{"x": 10, "y": 5}, {"x": 20, "y": 5}, {"x": 20, "y": 10}, {"x": 10, "y": 10}]
    found = canvas_geometry({"type": "segment", "coordinates": [outline, hole]}, VIEW)
    assert isinstance(found, Contours) and found.closed
    assert [c.tolist() for c in found.contours] == [
        [[10, 20], [210, 20], [210, 120]],
        [[30, 30], [50, 30], [50, 40], [30, 40]],
    ]


def test_a_polyline_is_one_open_contour() -> None:
    found = canvas_geometry(stored(dw.Polyline(geo=[[0, 0], [5, 5], [10, 0]], label="a")), VIEW)
    assert isinstance(found, Contours) and not found.closed
    assert [c.tolist() for c in found.contours] == [[[10, 20], [20, 30], [30, 20]]]


def test_a_box_is_four_corners_turned_about_its_centre() -> None:
    plain = canvas_geometry(stored(dw.Box(left=10, top=10, right=50, bottom=30, label="a")), VIEW)
    assert isinstance(plain, Contours)
    assert plain.contours[0].tolist() == [[30, 40], [110, 40], [110, 80], [30, 80]]
    turned = canvas_geometry(stored(dw.Box(left=10, top=10, right=50, bottom=30, label="a", angle=90)), VIEW)
    assert isinstance(turned, Contours)
    # Centre (30, 20); a quarter turn clockwise on screen takes the top-left corner (-20, -10) to (10, -20).
    image = (turned.contours[0] - [10, 20]) / 2
    assert np.allclose(image, [[40, 0], [40, 40], [20, 40], [20, 0]])


def test_an_ellipse_is_centre_radii_and_rotation() -> None:
    found = canvas_geometry(stored(dw.Ellipse(x=50, y=40, rx=20, ry=10, angle=30, label="a")), VIEW)
    assert found == EllipseGeometry(110.0, 100.0, 40.0, 20.0, pytest.approx(math.radians(30)))


def test_a_point_and_a_classification() -> None:
    assert canvas_geometry(stored(dw.Point(x=1, y=2, label="a")), VIEW) == PointGeometry(12.0, 24.0)
    assert canvas_geometry(stored(dw.Classification(label="a")), VIEW) is None


def test_a_mask_is_its_runs_and_the_rectangles_covering_them() -> None:
    mask = np.zeros((200, 300), dtype=bool)
    mask[10:12, 5:9] = True
    mask[11, 20] = True
    found = canvas_geometry(stored(dw.Segmentation(geo=mask, label="a", color=(0, 255, 0))), VIEW)
    assert isinstance(found, MaskGeometry)
    assert found.runs.tolist() == mask_runs(mask).tolist() == [[10, 5, 9], [11, 5, 9], [11, 20, 21]]
    assert found.rects.tolist() == [[20, 40, 8, 2], [20, 42, 8, 2], [50, 42, 2, 2]]
    painted = np.zeros_like(mask)
    for row, start, stop in found.runs:
        painted[row, start:stop] = True
    assert np.array_equal(painted, mask)


def test_contours_batch_into_one_call_as_16_bit_pixels() -> None:
    points, counts = batched([np.array([[0.4, 1.6], [2, 3]]), np.array([[1e6, -1e6], [5, 5], [6, 6]])])
    assert points.dtype == np.int16 and counts.tolist() == [2, 3]
    assert points.tolist() == [[0, 2], [2, 3], [32767, -32768], [5, 5], [6, 6]]
