"""The Annotator on an item holding shapes it cannot edit yet: editing other shapes around them and saving
leaves them stored exactly as they were."""

from __future__ import annotations

import numpy as np
from test_annotator import click, drag, key

import dlwidgets as dw
from dlwidgets.widgets import Annotator


def test_saving_other_edits_keeps_polygons_rotated_boxes_and_masks(image_item: dw.Item) -> None:
    mask = np.zeros((400, 640), dtype=bool)
    mask[100:150, 200:260] = True
    image_item.annotations.upload(
        [
            dw.Polygon(geo=[[10, 10], [100, 12.5], [60, 90]], label="car"),
            dw.Polyline(geo=[[0, 0], [30, 20], [60, 5]], label="person"),
            dw.Box(left=300, top=50, right=400, bottom=120, label="car", angle=25),
            dw.Ellipse(x=500, y=300, rx=40, ry=20, angle=-10, label="person"),
            dw.Segmentation(geo=mask, label="car"),
        ]
    )
    before = {a.id: a.to_json() for a in image_item.annotations.list()}
    annotator = Annotator(image_item, width=800, height=520)
    click(annotator, (40, 40))  # inside the polygon, which is not picked
    key(annotator, "Delete")
    drag(annotator, (600, 400), (700, 480))
    assert annotator.save(), annotator.status
    after = {a.id: a.to_json() for a in image_item.annotations.list()}
    assert {i: after.get(i) for i in before} == before
    assert sorted(a["type"] for a in after.values()) == [
        "binary",
        "box",
        "box",
        "ellipse",
        "polyline",
        "segment",
    ]
