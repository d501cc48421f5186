"""``stored_shapes``: an item's stored annotations as the platform's JSON, kept for the last few items read,
so that an item opened again unchanged (its cell run again, an item gone back to) is not listed again.

Each opening still reads the item's annotation version (one request): any change to its annotations, made
anywhere, moves it on, and a listing is kept with the version read just before it, so a kept one is used
only while nothing has changed since (a change landing between the reading of the version and the listing
gives the next opening a newer version: it lists again). A platform without versions lists every time.
The shapes are shared, not copied: an edit never changes a shape in place (see annotation_edits).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...api import Client, Item

Shape = dict[str, Any]

# How many items' annotations each client keeps, and how many shapes in all: the oldest read go first.
KEPT_ITEMS = 8
KEPT_SHAPES = 20_000

# Per client (a workspace or platform as one user sees it), by item id: the version and the shapes at it.
_KEPT: weakref.WeakKeyDictionary[Client, OrderedDict[str, tuple[int, list[Shape]]]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def stored_shapes(item: Item, version: int | None) -> list[Shape]:
    """``item``'s stored annotations (the platform's JSON, in id order) at ``version``, its annotation
    version read just now: those kept from a reading at that version, else listed now (and kept)."""
    client = item.client
    with _lock:
        kept = _KEPT.get(client)
        found = kept.get(item.id) if kept is not None else None
        if kept is not None and found is not None and version is not None and found[0] == version:
            kept.move_to_end(item.id)
            return list(found[1])
    shapes = [shape for page in item.annotations.pages_json() for shape in page]
    if version is not None:
        with _lock:
            kept = _KEPT.setdefault(client, OrderedDict())
            kept.pop(item.id, None)
            kept[item.id] = (version, shapes)
            while len(kept) > KEPT_ITEMS or (len(kept) > 1 and _count(kept) > KEPT_SHAPES):
                kept.popitem(last=False)
    return list(shapes)


def _count(kept: OrderedDict[str, tuple[int, list[Shape]]]) -> int:
    return sum(len(shapes) for _, shapes in kept.values())


def forget() -> None:
    """Drop every listing kept: the next opening of each item lists its annotations."""
    with _lock:
        _KEPT.clear()
