"""New masks uploaded without and with ``color=``, on a label of the ontology ("cell") and on one outside it
("stray"), each named by its description, to the item whose id is in ``item_id.txt``."""

from pathlib import Path

import dtlpy as dl
import numpy as np

item = dl.items.get(item_id=Path("item_id.txt").read_text().strip())
mask = np.zeros((100, 150), dtype=np.uint8)
mask[10:40, 20:70] = 1

builder = item.annotations.builder()
for label in ("cell", "stray"):
    builder.add(annotation_definition=dl.Segmentation(geo=mask, label=label, description=f"{label} plain"))
    builder.add(
        annotation_definition=dl.Segmentation(
            geo=mask, label=label, color=(1, 2, 3), description=f"{label} given"
        )
    )
item.annotations.upload(annotations=builder)

result = {"uploaded": len(builder)}
