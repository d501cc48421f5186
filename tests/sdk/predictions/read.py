"""Each annotation's label, model info and automated flag on each item whose id is a line of
``item_ids.txt``."""

from pathlib import Path

import dtlpy as dl

found = {}
for item_id in Path("item_ids.txt").read_text().split():
    rows = []
    for annotation in dl.items.get(item_id=item_id).annotations.list():
        model = annotation.metadata.get("user", {}).get("model")
        rows.append([annotation.label, model, annotation.metadata["system"].get("automated")])
    found[item_id] = sorted(rows, key=str)

result = found
