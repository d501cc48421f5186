"""One writer of test_annotation_saves.py: ``python save_worker.py HOME ITEM_ID TAG SAVES SIGNALS``.

Edits the item through one long-lived ``AnnotationEdits``, as an Annotator does, and saves ``SAVES``
times: each save adds two boxes, moves its oldest box and deletes its newest. On ``Conflict`` it checks
that its edits were kept and that the store still holds its boxes exactly as its last save left them,
then reloads. Waits for ``SIGNALS/go`` after writing ``SIGNALS/ready-TAG``; prints one JSON line: its
saves, its conflicts and its boxes (object id -> coordinates) as last saved.
"""

from __future__ import annotations

import copy
import json
import sys
import time
from pathlib import Path
from typing import Any

import dlwidgets as dw
from dlwidgets.api.repositories.items import get_item
from dlwidgets.widgets.models.annotation_edits import AnnotationEdits, Shape


def is_mine(shape: Shape, tag: str) -> bool:
    return str(shape["metadata"].get("system", {}).get("objectId", "")).startswith(tag)


def boxes(edits: AnnotationEdits, tag: str) -> dict[str, Any]:
    return {
        s["metadata"]["system"]["objectId"]: s["coordinates"] for _, s in edits.shapes() if is_mine(s, tag)
    }


def box(tag: str, i: int, which: int) -> Shape:
    x, y = (7 * i) % 500, 200 * which + (i % 150)
    coordinates = [{"x": x, "y": y, "z": 0}, {"x": x + 20, "y": y + 10, "z": 0}]
    return {
        "type": "box",
        "label": "car",
        "coordinates": coordinates,
        "metadata": {"system": {"objectId": f"{tag}{i}.{which}"}},
    }


def main() -> None:
    home, item_id, tag, saves, signals = sys.argv[1:]
    client = dw.connect(home=home)
    edits = AnnotationEdits(get_item(client, item_id), 640, 400)
    edits.load()
    last_saved = boxes(edits, tag)
    (Path(signals) / f"ready-{tag}").touch()
    while not (Path(signals) / "go").exists():
        time.sleep(0.005)
    saved = conflicts = 0
    for i in range(int(saves)):
        mine = [k for k, s in edits.shapes() if is_mine(s, tag)]
        edits.add_many([box(tag, i, 0), box(tag, i, 1)])
        if mine:
            edits.move(mine[0], 1, 0)
        if len(mine) > 1:
            edits.delete([mine[-1]])
        before = copy.deepcopy(edits.shapes())
        try:
            edits.save()
        except dw.exceptions.Conflict:
            conflicts += 1
            assert edits.is_dirty and edits.shapes() == before, "a Conflict lost the edits"
            edits.load()
            assert boxes(edits, tag) == last_saved, (
                f"save {i}: the store lost or half-applied this writer's boxes"
            )
            continue
        saved += 1
        last_saved = boxes(edits, tag)
    client.close()
    print(json.dumps({"saves": saved, "conflicts": conflicts, "boxes": last_saved}))


if __name__ == "__main__":
    main()
