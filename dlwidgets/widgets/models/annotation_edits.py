"""``AnnotationEdits``: the annotations of one item while a user edits them, with undo, redo and saving.

Shapes are kept as the platform's annotation JSON, in image pixels, each under a local key (new shapes
have no id yet). Every public edit is one step of history, so a whole drag is undone at once. A save sends
all its changes and the item's annotation version they were loaded at in one request, which the store
applies whole or not at all: if someone else changed them since, the save raises ``Conflict``, nothing is
written, and the user's edits stay as they are.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Container, Iterable
from typing import Any

from ...api import Annotation, Definition, Item, SavedAnnotations, metadata_diff
from ...exceptions import Conflict
from .gc_pause import cyclic_gc_paused
from .stored_annotations import stored_shapes

Shape = dict[str, Any]
Changes = dict[int, "Shape | None"]

HANDLES = ("nw", "n", "ne", "e", "se", "s", "sw", "w")


def box_edges(shape: Shape) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a box shape."""
    p0, p1 = shape["coordinates"][:2]
    return p0["x"], p0["y"], p1["x"], p1["y"]


def box_angle(shape: Shape) -> float:
    """A box's angle in degrees as stored after its two corners (0 for a box stored without one: a box of
    two corners is not turned). Asked of every box on every redraw, so read without a copy."""
    coordinates = shape["coordinates"]
    if len(coordinates) < 3:
        return 0.0
    angle = coordinates[2]
    return float(angle) if isinstance(angle, (int, float)) else 0.0


def _unturned(shape: Shape, x: float, y: float) -> tuple[float, float]:
    """Image point (``x``, ``y``) turned back about a box's centre by its angle: where it lies in the box
    as if the box were not turned."""
    angle = math.radians(box_angle(shape))
    if not angle:
        return x, y
    left, top, right, bottom = box_edges(shape)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    c, s = math.cos(angle), math.sin(angle)
    return cx + (x - cx) * c + (y - cy) * s, cy - (x - cx) * s + (y - cy) * c


def _set_box(shape: Shape, left: float, top: float, right: float, bottom: float) -> None:
    left, right = sorted((left, right))
    top, bottom = sorted((top, bottom))
    # What follows the two corners (a rotated box's angle) is kept.
    rest = shape["coordinates"][2:]
    shape["coordinates"] = [{"x": left, "y": top, "z": 0}, {"x": right, "y": bottom, "z": 0}, *rest]


def _system(shape: Shape) -> dict[str, Any]:
    return shape.setdefault("metadata", {}).setdefault("system", {})


class AnnotationEdits:
    """The editable annotations of one item (``width`` x ``height`` image pixels)."""

    def __init__(self, item: Item, width: int, height: int) -> None:
        self.item = item
        self.width, self.height = width, height
        self._shapes: dict[int, Shape] = {}
        self._next_key = 0
        self._undo: list[tuple[Changes, Changes]] = []
        self._redo: list[tuple[Changes, Changes]] = []
        self._saved_at = 0
        # The annotations as stored (by id), and the item's annotation version they were read or saved at.
        # They share their dicts with ``_shapes``: a shape there is never changed in place (an edit puts a
        # changed copy in its place), so no copy of thousands of shapes is made on loading.
        self._stored: dict[str, Shape] = {}
        self._version: int | None = None
        self.on_change: Callable[[], None] | None = None

    # -- reading ---------------------------------------------------------------------------------
    def keys(self) -> list[int]:
        """Shape keys in drawing order (oldest first, so the newest is on top)."""
        return sorted(self._shapes)

    def __contains__(self, key: object) -> bool:
        return key in self._shapes

    def shape(self, key: int) -> Shape:
        """The shape itself, not a copy: read it, never change it (edits put a changed copy in its place)."""
        return self._shapes[key]

    def shapes(self) -> list[tuple[int, Shape]]:
        return [(k, self._shapes[k]) for k in self.keys()]

    @property
    def annotations(self) -> list[Annotation]:
        """The current annotations as entities (a fresh list on every call)."""
        return [Annotation.from_json(copy.deepcopy(s), self.item._client) for _, s in self.shapes()]

    @property
    def is_dirty(self) -> bool:
        return len(self._undo) != self._saved_at

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def classification_labels(self) -> set[str]:
        return {s["label"] for s in self._shapes.values() if s["type"] == "class"}

    # -- loading and saving ----------------------------------------------------------------------
    def load(self) -> None:
        """Replace everything with what is stored now; history starts afresh."""
        # The version is read before the list: a change that lands between the two makes the next save a
        # Conflict, never an overwrite of a change these shapes do not show.
        with cyclic_gc_paused():
            self._version = self.item.annotations.version()
            # The platform's JSON as it comes (what ``annotations.list()`` would hold as entities, in the
            # same order): building an entity per annotation, only to turn it back into JSON, was most
            # of the time it took to open a crowded item. Not listed again while unchanged since last read.
            shapes = stored_shapes(self.item, self._version)
            self._shapes = dict(enumerate(shapes, start=1))  # keys 1..n, as _new_key gives them
            self._next_key = len(shapes)
            self._stored = {s["id"]: s for s in self._shapes.values() if s.get("id")}
            self._undo, self._redo, self._saved_at = [], [], 0
        self._changed()

    def save(self) -> None:
        """Write the edits (new, changed and deleted annotations) in one request that is stored whole or
        not at all. ``Conflict`` if the stored ones changed since they were loaded; the edits are kept."""
        current = {s["id"]: s for s in self._shapes.values() if s.get("id")}
        new = [(k, s) for k, s in self.shapes() if not s.get("id")]
        updated = [{"id": i, **p} for i, s in current.items() if (p := _patch(self._stored[i], s))]
        deleted = [i for i in self._stored if i not in current]
        if new or updated or deleted:
            try:
                saved = self.item.annotations.save_changes(
                    [s for _, s in new], updated, deleted, expected_version=self._version
                )
            except Conflict:
                raise Conflict(
                    f"the annotations of item {self.item.filename!r} were changed elsewhere since they were "
                    "loaded; nothing was saved and your edits are kept: reload to see the stored ones"
                ) from None
            self._learn(new, saved)
        self._saved_at = len(self._undo)
        self._changed()

    def _learn(self, new: list[tuple[int, Shape]], saved: SavedAnnotations) -> None:
        """Take the stored form of what a save wrote: ids of new shapes, the item's new version."""
        for (key, _), annotation in zip(new, saved.created, strict=True):
            self._shapes[key] = annotation.to_json()
        keys = {s["id"]: k for k, s in self._shapes.items() if s.get("id")}
        for annotation in saved.updated:
            self._shapes[keys[annotation.id]] = annotation.to_json()
        # Ids learned on save are not edits: record them in history so undo keeps them.
        for before, after in (*self._undo, *self._redo):
            for changes in (before, after):
                for key, recorded in changes.items():
                    if (
                        recorded is not None
                        and not recorded.get("id")
                        and self._shapes.get(key, {}).get("id")
                    ):
                        recorded["id"] = self._shapes[key]["id"]
        self._stored = {s["id"]: s for s in self._shapes.values() if s.get("id")}
        self._version = saved.version

    # -- edits -----------------------------------------------------------------------------------
    def _new_key(self) -> int:
        self._next_key += 1
        return self._next_key

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def _commit(self, after: Changes) -> None:
        before: Changes = {k: copy.deepcopy(self._shapes.get(k)) for k in after}
        if all(before[k] == after[k] for k in after):
            return
        self._apply(after)
        if self._saved_at > len(self._undo):
            self._saved_at = -1  # the saved state can no longer be reached by redo
        self._undo.append((before, copy.deepcopy(after)))
        self._redo.clear()
        self._changed()

    def _apply(self, changes: Changes) -> None:
        for key, shape in changes.items():
            if shape is None:
                self._shapes.pop(key, None)
            else:
                self._shapes[key] = copy.deepcopy(shape)

    def undo(self) -> bool:
        if not self._undo:
            return False
        before, after = self._undo.pop()
        self._apply(before)
        self._redo.append((before, after))
        self._changed()
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        before, after = self._redo.pop()
        self._apply(after)
        self._undo.append((before, after))
        self._changed()
        return True

    def add(self, definition: Definition | Annotation | Shape, object_id: str | int | None = None) -> int:
        """Add one annotation (clamped to the image); returns its key."""
        return self.add_many([definition], object_id)[0]

    def add_many(
        self, annotations: Iterable[Definition | Annotation | Shape], object_id: str | int | None = None
    ) -> list[int]:
        """Add several annotations as one step (model pre-annotations, for example)."""
        after: Changes = {}
        for a in annotations:
            if isinstance(a, Definition):
                shape = Annotation.from_definition(
                    a, self.item, object_id=object_id, automated=False
                ).to_json()
            elif isinstance(a, Annotation):
                shape = a.to_json()
            else:
                shape = copy.deepcopy(a)
            shape.pop("id", None)
            shape.update(itemId=self.item.id, datasetId=self.item.dataset_id)
            self._clamp(shape)
            after[self._new_key()] = shape
        self._commit(after)
        return list(after)

    def delete(self, keys: Iterable[int]) -> None:
        self._commit({k: None for k in keys if k in self._shapes})

    def move(self, key: int, dx: float, dy: float) -> None:
        """Shift a box or point by (``dx``, ``dy``) image pixels, kept inside the image."""
        shape = copy.deepcopy(self._shapes[key])
        if shape["type"] == "box":
            left, top, right, bottom = box_edges(shape)
            dx = min(max(dx, -left), self.width - right)
            dy = min(max(dy, -top), self.height - bottom)
            _set_box(shape, left + dx, top + dy, right + dx, bottom + dy)
        elif shape["type"] == "point":
            c = shape["coordinates"]
            shape["coordinates"] = {"x": c["x"] + dx, "y": c["y"] + dy, "z": 0}
            self._clamp(shape)
        self._commit({key: shape})

    def resize(self, key: int, handle: str, x: float, y: float) -> None:
        """Drag a box's corner or edge ``handle`` to the image point (``x``, ``y``)."""
        if handle not in HANDLES:
            raise ValueError(f"handle {handle!r} is not one of {HANDLES}")
        shape = copy.deepcopy(self._shapes[key])
        left, top, right, bottom = box_edges(shape)
        x, y = min(max(x, 0.0), self.width), min(max(y, 0.0), self.height)
        if "w" in handle:
            left = x
        if "e" in handle:
            right = x
        if "n" in handle:
            top = y
        if "s" in handle:
            bottom = y
        _set_box(shape, left, top, right, bottom)
        self._commit({key: shape})

    def set_label(self, key: int, label: str, coordinates: Any = None) -> None:
        """Relabel a shape; with ``coordinates``, give it those too in the same step (a mask's PNG painted
        anew in its new label's colour)."""
        shape = copy.deepcopy(self._shapes[key])
        shape["label"] = label
        if coordinates is not None:
            shape["coordinates"] = coordinates
        self._commit({key: shape})

    def set_coordinates(self, key: int, coordinates: Any) -> None:
        """Give a shape new coordinates as the platform stores them (a mask's new PNG, for example)."""
        shape = copy.deepcopy(self._shapes[key])
        shape["coordinates"] = coordinates
        self._commit({key: shape})

    def set_attribute(self, key: int, attribute: str, value: Any) -> None:
        shape = copy.deepcopy(self._shapes[key])
        attributes = _system(shape).setdefault("attributes", {})
        if value is None:
            attributes.pop(attribute, None)
        else:
            attributes[attribute] = value
        self._commit({key: shape})

    def set_automated(self, keys: Iterable[int], value: bool) -> None:
        """Mark shapes as a program's (True) or a person's (False: accepted predictions), in one step."""
        after: Changes = {}
        for key in keys:
            shape = copy.deepcopy(self._shapes[key])
            _system(shape)["automated"] = value
            after[key] = shape
        if after:
            self._commit(after)

    def set_object_id(self, key: int, object_id: str | None) -> None:
        shape = copy.deepcopy(self._shapes[key])
        if object_id:
            _system(shape)["objectId"] = str(object_id)
        else:
            _system(shape).pop("objectId", None)
        self._commit({key: shape})

    def toggle_classification(self, label: str) -> None:
        """Add the item-level classification ``label``, or remove it if present."""
        existing = [k for k, s in self._shapes.items() if s["type"] == "class" and s["label"] == label]
        if existing:
            self.delete(existing)
        else:
            self.add({"type": "class", "label": label, "metadata": {"system": {"attributes": {}}}})

    # -- geometry ---------------------------------------------------------------------------------
    def _clamp(self, shape: Shape) -> None:
        """Keep a shape's coordinates inside the image."""

        def cx(v: float) -> float:
            return min(max(float(v), 0.0), float(self.width))

        def cy(v: float) -> float:
            return min(max(float(v), 0.0), float(self.height))

        if shape["type"] == "box":
            left, top, right, bottom = box_edges(shape)
            _set_box(shape, cx(left), cy(top), cx(right), cy(bottom))
        elif shape["type"] == "point":
            c = shape["coordinates"]
            shape["coordinates"] = {"x": cx(c["x"]), "y": cy(c["y"]), "z": 0}

    def hit(self, x: float, y: float, tolerance: float, skip: Container[int] = ()) -> tuple[int, str] | None:
        """The topmost box or point under the image point (``x``, ``y``), to move (``'move'``), a turned box
        by its turned area; the shapes in ``skip`` (hidden ones) are not there. (The selected box's
        handles are found first, by ``shape_gestures.handle_at``.)"""
        for key in reversed(self.keys()):
            if key in skip:
                continue
            shape = self._shapes[key]
            if shape["type"] == "point":
                c = shape["coordinates"]
                if math.hypot(x - c["x"], y - c["y"]) <= tolerance:
                    return key, "move"
            elif shape["type"] == "box":
                left, top, right, bottom = box_edges(shape)
                bx, by = _unturned(shape, x, y)
                if (
                    left - tolerance <= bx <= right + tolerance
                    and top - tolerance <= by <= bottom + tolerance
                ):
                    return key, "move"
        return None


def handle_points(shape: Shape) -> dict[str, tuple[float, float]]:
    """The eight resize handles of a box, in image pixels."""
    left, top, right, bottom = box_edges(shape)
    mx, my = (left + right) / 2, (top + bottom) / 2
    return {
        "nw": (left, top),
        "n": (mx, top),
        "ne": (right, top),
        "e": (right, my),
        "se": (right, bottom),
        "s": (mx, bottom),
        "sw": (left, bottom),
        "w": (left, my),
    }


def _patch(stored: Shape, shape: Shape) -> Shape:
    """The update that turns ``stored`` into ``shape``: the changed fields a user edits (type, label,
    coordinates) whole, and the metadata as a merge patch (a removed attribute is sent as ``None``)."""
    patch = {k: shape.get(k) for k in ("type", "label", "coordinates") if shape.get(k) != stored.get(k)}
    metadata = metadata_diff(stored.get("metadata") or {}, shape.get("metadata") or {})
    return {**patch, "metadata": metadata} if metadata else patch
