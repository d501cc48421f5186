"""The shapes on each item whose id is a line of ``item_ids.txt``, as the SDK's definitions give them."""

from pathlib import Path

import dtlpy as dl


def geometry(definition):
    """A JSON-able summary of one definition in image pixels."""
    if definition.type in ("segment", "polyline"):
        return definition.geo.tolist()
    if definition.type == "box":
        edges = [definition.left, definition.top, definition.right, definition.bottom]
        return [*(float(v) for v in edges), definition.angle]
    if definition.type == "ellipse":
        return [
            float(v) for v in (definition.x, definition.y, definition.rx, definition.ry, definition.angle)
        ]
    if definition.type == "point":
        return [float(definition.x), float(definition.y)]
    if definition.type == "binary":
        mask = definition.geo
        box = [definition.left, definition.top, definition.right, definition.bottom]
        return [list(mask.shape), int(mask.sum()), *(int(v) for v in box)]
    return []


shapes = {}
for item_id in Path("item_ids.txt").read_text().split():
    annotations = dl.items.get(item_id=item_id).annotations.list()
    found = [[a.type, a.label, geometry(a.annotation_definition)] for a in annotations]
    shapes[item_id] = sorted(found, key=str)

result = shapes
