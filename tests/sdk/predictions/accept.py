"""Accept the predictions on the item whose id is in ``other_item_id.txt``, as the platform marks an
accepted one: ``automated`` (``metadata.system.automated``) turns false, saved as system metadata; the
model info stays."""

from pathlib import Path

import dtlpy as dl

accepted = 0
for annotation in dl.items.get(item_id=Path("other_item_id.txt").read_text().strip()).annotations.list():
    if annotation.metadata.get("user", {}).get("model") and annotation.automated:
        annotation.automated = False
        annotation.update(system_metadata=True)
        accepted += 1

result = {"accepted": accepted}
