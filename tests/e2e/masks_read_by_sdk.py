"""Read with the official SDK: each mask on the item whose id is in ``item_id.txt``, saved as
``mask_<label>.npy`` (its pixels, as ``definition.geo`` gives them) and ``color_<label>.npy`` (the RGB the
SDK reads the PNG's pixels in); the result lists the labels and types."""

from pathlib import Path

import dtlpy as dl
import numpy as np

item = dl.items.get(item_id=Path("item_id.txt").read_text().strip())
found = []
for annotation in item.annotations.list():
    found.append([annotation.type, annotation.label])
    if annotation.type == "binary":
        definition = annotation.annotation_definition
        np.save(f"mask_{annotation.label}.npy", definition.geo > 0)
        np.save(f"color_{annotation.label}.npy", np.array(definition._color[:3]))
result = sorted(found)
