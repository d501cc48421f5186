"""Every shape the Annotator shows, uploaded to the item whose id is in ``item_id.txt``."""

from pathlib import Path

import dtlpy as dl
import numpy as np

item = dl.items.get(item_id=Path("item_id.txt").read_text().strip())
mask = np.zeros((100, 150), dtype=np.uint8)
mask[10:40, 20:70] = 1
mask[20:25, 30:40] = 0
mask[80:90, 120:149] = 1

builder = item.annotations.builder()
builder.add(annotation_definition=dl.Polygon(geo=np.array([[10, 10], [60.5, 12], [40, 50.25]]), label="cell"))
builder.add(
    annotation_definition=dl.Polyline(geo=np.array([[0, 0], [30, 20], [60, 5], [90, 40]]), label="cell")
)
builder.add(annotation_definition=dl.Box(left=20, top=30, right=80, bottom=70, label="cell", angle=35.5))
builder.add(annotation_definition=dl.Box(left=1, top=2, right=3, bottom=4, label="cell"))
builder.add(annotation_definition=dl.Ellipse(x=75, y=50, rx=30, ry=12.5, angle=-20, label="cell"))
builder.add(annotation_definition=dl.Segmentation(geo=mask, label="cell"))
builder.add(annotation_definition=dl.Point(x=140.5, y=95, label="cell"))
builder.add(annotation_definition=dl.Classification(label="cell"))
item.annotations.upload(annotations=builder)

result = {"uploaded": len(builder)}
