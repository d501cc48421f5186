"""Shapes the Annotator cannot edit yet (polygons, polylines, rotated boxes, ellipses, masks) come back
from a save exactly as they were stored, whatever else was edited; a rotated box keeps its angle when it
is moved, resized or added."""

from __future__ import annotations

from typing import Any

import numpy as np

import dlwidgets as dw
from dlwidgets.widgets.models.annotation_edits import AnnotationEdits


def view_only_shapes() -> list[dw.Definition]:
    mask = np.zeros((400, 640), dtype=bool)
    mask[100:150, 200:260] = True
    return [
        dw.Polygon(geo=[[10, 10], [100, 12.5], [60, 90]], label="car", attributes={"occluded": True}),
        dw.Polyline(geo=[[0, 0], [30, 20], [60, 5]], label="person"),
        dw.Box(left=300, top=50, right=400, bottom=120, label="car", angle=25),
        dw.Ellipse(x=500, y=300, rx=40, ry=20, angle=-10, label="person"),
        dw.Segmentation(geo=mask, label="car", color=(255, 0, 0)),
    ]


def as_stored(item: dw.Item) -> dict[str, dict[str, Any]]:
    return {a.id: a.to_json() for a in item.annotations.list() if a.id}


def test_shapes_it_cannot_edit_survive_a_save_untouched(image_item: dw.Item) -> None:
    image_item.annotations.upload(view_only_shapes())
    before = as_stored(image_item)
    edits = AnnotationEdits(image_item, 640, 400)
    edits.load()
    point = edits.add(dw.Point(x=5, y=5, label="person"))
    edits.move(point, 10, 10)
    classification = edits.add(dw.Classification(label="indoor"))
    edits.save()
    edits.delete([point, classification])
    edits.save()
    after = as_stored(image_item)
    assert after == before
    assert [s["type"] for _, s in edits.shapes()] == ["segment", "polyline", "box", "ellipse", "binary"]


def test_a_rotated_box_keeps_its_angle_through_edits(image_item: dw.Item) -> None:
    edits = AnnotationEdits(image_item, 640, 400)
    edits.load()
    box = edits.add(dw.Box(left=10, top=10, right=50, bottom=40, label="car", angle=30))
    edits.move(box, 5, 0)
    edits.resize(box, "se", 100, 80)
    edits.set_label(box, "person")
    edits.save()
    (stored,) = image_item.annotations.list()
    assert stored.coordinates == [{"x": 15, "y": 10, "z": 0}, {"x": 100, "y": 80, "z": 0}, 30]
    assert stored.label == "person"
