"""A model's prediction and a human box, uploaded to the item whose id is in ``item_id.txt``."""

from pathlib import Path

import dtlpy as dl

item = dl.items.get(item_id=Path("item_id.txt").read_text().strip())
builder = item.annotations.builder()
builder.add(
    annotation_definition=dl.Box(left=2, top=1, right=20, bottom=10, label="car"),
    model_info={"name": "yolo-v8", "confidence": 0.875, "model_id": "m-1"},
)
builder.add(annotation_definition=dl.Box(left=5, top=5, right=9, bottom=9, label="car"), automated=False)
item.annotations.upload(annotations=builder)

result = {"uploaded": len(builder)}
