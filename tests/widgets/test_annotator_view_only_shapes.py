"""The Annotator on an item holding every shape type: editing other shapes around them and saving
leaves them stored exactly as they were."""

from __future__ import annotations

from every_shape import upload_every_type
from test_annotator import click, drag, key

import dlwidgets as dw
from dlwidgets.widgets import Annotator


def test_saving_other_edits_keeps_polygons_rotated_boxes_and_masks(image_item: dw.Item) -> None:
    upload_every_type(image_item)
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
