"""The Annotator's polygon and polyline tools driven through its gesture handlers, as the browser layer
drives them: the vertices clicked are collected in the browser and arrive in one ``vertices`` message, in
image pixels; what is drawn is stored in dtlpy's layout.

The item is 640 x 400 shown on an 800 x 520 canvas (scale 1.25, 10 px down), as in test_annotator.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from canvas_messages import Sent
from widgets.test_annotator import key

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator


@pytest.fixture
def annotator(image_item: dw.Item) -> Annotator:
    return Annotator(image_item, width=800, height=520)


def draw(annotator: Annotator, tool: str, points: list[list[float]], gesture_id: int = 7) -> None:
    annotator._on_gesture({"type": "vertices", "id": gesture_id, "tool": tool, "points": points})


def ring(annotation: dw.Annotation) -> list[tuple[float, float]]:
    return [(p["x"], p["y"]) for p in annotation.coordinates[0]]


def test_a_polygon_and_a_polyline_drawn_are_stored_in_dtlpys_layout(
    annotator: Annotator, image_item: dw.Item
) -> None:
    key(annotator, "g")
    assert annotator.tool == "polygon" and annotator.gestures.tool == "polygon"
    draw(annotator, "polygon", [[10, 10], [100, 12.5], [60, 90]])
    key(annotator, "l")
    assert annotator.gestures.tool == "polyline"
    draw(annotator, "polyline", [[200, 200], [250, 220]])
    assert annotator.save()
    polyline, polygon = sorted(image_item.annotations.list(), key=lambda a: a.type)
    assert (polygon.type, polygon.label) == ("segment", "car")
    assert polygon.coordinates == [[{"x": 10, "y": 10}, {"x": 100, "y": 12.5}, {"x": 60, "y": 90}]]
    assert isinstance(polygon.annotation_definition, dw.Polygon)
    assert (polyline.type, ring(polyline)) == ("polyline", [(200, 200), (250, 220)])
    assert annotator.selected == annotator.edits.keys()[-1]  # the last drawn is selected


def test_the_browser_is_told_when_the_drawn_shape_is_drawn(annotator: Annotator, sent: Sent) -> None:
    draw(annotator, "polygon", [[10, 10], [100, 12.5], [60, 90]], gesture_id=41)
    assert ({"type": "committed", "id": 41}, []) in sent


def test_vertices_outside_the_image_are_clamped_and_repeats_dropped(
    annotator: Annotator, image_item: dw.Item
) -> None:
    draw(annotator, "polygon", [[-5, 10], [700, 10], [700, 10], [300, 450], [-5, 10]])
    assert annotator.save()
    (polygon,) = image_item.annotations.list()
    assert ring(polygon) == [(0, 10), (640, 10), (300, 400)]


@pytest.mark.parametrize(
    ("tool", "points"),
    [("polygon", [[10, 10], [20, 20]]), ("polygon", [[10, 10], [10, 10], [20, 20]]), ("polyline", [[5, 5]])],
)
def test_too_few_vertices_draw_nothing(annotator: Annotator, tool: str, points: list[list[float]]) -> None:
    draw(annotator, tool, points)
    assert annotator.annotations == [] and not annotator.is_dirty


@pytest.mark.parametrize(
    ("tool", "points", "named"),
    [
        ("circle", [[1, 2], [3, 4], [5, 6]], "'circle'"),
        ("polygon", [[1, 2], [3, "x"], [5, 6]], "[3, 'x']"),
        ("polygon", "1,2", "'1,2'"),
    ],
)
def test_a_malformed_message_is_shown_naming_the_bad_value(
    annotator: Annotator, sent: Sent, tool: str, points: Any, named: str
) -> None:
    draw(annotator, tool, points, gesture_id=3)
    assert named in html.unescape(annotator.status_line.value)
    assert annotator.annotations == []
    assert ({"type": "committed", "id": 3}, []) in sent  # the browser drops its preview all the same


def test_a_drawn_polygon_is_one_undo_step_and_keeps_its_attributes_and_object_id(
    annotator: Annotator, image_item: dw.Item
) -> None:
    draw(annotator, "polygon", [[10, 10], [100, 12.5], [60, 90]])
    shape_key = annotator.selected
    assert shape_key is not None
    annotator._on_object_id("7")
    key(annotator, "z", ctrl=True)
    assert annotator.edits is not None
    assert "objectId" not in annotator.edits.shape(shape_key)["metadata"]["system"]
    key(annotator, "z", ctrl=True)
    assert annotator.annotations == []
    key(annotator, "y", ctrl=True)
    key(annotator, "y", ctrl=True)
    assert annotator.save()
    (polygon,) = image_item.annotations.list()
    assert polygon.object_id == "7" and polygon.type == "segment"
