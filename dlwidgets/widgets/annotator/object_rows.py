"""``ObjectRows``: the Annotator's objects list (a row per annotation) and its labels' counts, kept as the
browser has them, so that an edit sends what it changed (``ObjectsChanged``) rather than every row again;
a view that has nothing yet, or missed a change, asks for all of them (``ObjectsShown``).

The messages are written down twice, alike: as the TypedDicts here and as JSDoc typedefs in
``js/annotator_panel.js``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal, TypedDict

from ..models.annotation_edits import Shape
from ..models.gc_pause import cyclic_gc_paused
from ..models.shape_geometry import is_view_only

# The longest attribute summary an object's row shows.
SUMMARY_CHARS = 40

# One row on the wire: the object's key (the Annotator's), its shape type, its label, its summary.
Row = tuple[int, str, str, str]


class _ObjectsShown(TypedDict):
    type: Literal["objects"]
    revision: int
    keys: list[int]
    names: list[str]
    shapes: list[int]
    labels: list[int]
    summaries: list[str]
    counts: dict[str, int]


class ObjectsShown(_ObjectsShown, total=False):
    """Kernel -> browser: every object, in list order, as columns (``shapes`` and ``labels`` index
    ``names``), and each label's count of shapes; ``revision`` numbers this state of the list. A new
    item's list carries the panel's traits that changed with it (``state``): one message for both."""

    state: dict[str, Any]


class ObjectsChanged(TypedDict):
    """Kernel -> browser: what one change did to the list at revision ``base``: the rows added or changed
    (``[key, shape, label, summary]``), the keys removed, the counts that changed (0: none left)."""

    type: Literal["objects-changed"]
    base: int
    revision: int
    rows: list[Row]
    removed: list[int]
    counts: dict[str, int]


class ObjectRow(TypedDict):
    """One object as the list shows it: ``number`` is its place in the list, from 1."""

    key: int
    number: int
    shape: str
    label: str
    summary: str


class ObjectRows:
    """The rows of one item's objects; ``update`` takes the item's shapes now and says what changed."""

    def __init__(self) -> None:
        # key -> (the shape the row was made from, the row): a shape never changes in place, so the same
        # shape object means the same row and only the shapes an edit replaced are made again.
        self._rows: dict[int, tuple[Shape, Row]] = {}
        # The shapes taken without telling what changed, their rows not made yet (see ``update``).
        self._untold: Sequence[tuple[int, Shape]] | None = None
        self.counts: dict[str, int] = {}
        self.revision = 0

    def __len__(self) -> int:
        return len(self._untold if self._untold is not None else self._rows)

    def update(self, shapes: Sequence[tuple[int, Shape]], tell: bool = True) -> ObjectsChanged | None:
        """Take ``shapes`` (key order) as the list now: what changed since the last update, or None. With
        ``tell`` false (no view keeps the list), None, and the rows are made when next asked for: an
        Annotator opened on a crowded item makes no row before its page asks for the list."""
        if not tell:
            self._untold = shapes
            self.counts = _counts(shapes)
            self.revision += 1  # a view that asks gets the whole list at this revision
            return None
        self._make_rows()
        old = self._rows
        rows = {key: _cached(old.get(key), key, shape) for key, shape in shapes}
        changed = [row for key, (_, row) in rows.items() if key not in old or old[key][1] is not row]
        removed = [key for key in old if key not in rows]
        counts = _counts(shapes)
        before = self.counts
        count_changes = {t: n for t in counts.keys() | before if (n := counts.get(t, 0)) != before.get(t, 0)}
        self._rows, self.counts = rows, counts
        if not (changed or removed or count_changes):
            return None
        self.revision += 1
        return ObjectsChanged(
            type="objects-changed",
            base=self.revision - 1,
            revision=self.revision,
            rows=changed,
            removed=removed,
            counts=count_changes,
        )

    def clear(self) -> None:
        """Forget the rows (another item is shown): the next update holds every row."""
        self._rows, self._untold, self.counts = {}, None, {}

    def _make_rows(self) -> None:
        """The rows of the shapes taken untold, made now (the rows of shapes seen before are kept)."""
        shapes, self._untold = self._untold, None
        if shapes is not None:
            old = self._rows
            with cyclic_gc_paused():  # a row per annotation: thousands of small objects, no cycles
                self._rows = {key: _cached(old.get(key), key, shape) for key, shape in shapes}

    def shown(self) -> ObjectsShown:
        """Every row, for a view that has none yet."""
        self._make_rows()
        names: dict[str, int] = {}
        columns: list[list[Any]] = [[], [], [], []]
        for _, (key, shape, label, summary_) in self._rows.values():
            columns[0].append(key)
            columns[1].append(names.setdefault(shape, len(names)))
            columns[2].append(names.setdefault(label, len(names)))
            columns[3].append(summary_)
        return ObjectsShown(
            type="objects",
            revision=self.revision,
            keys=columns[0],
            names=list(names),
            shapes=columns[1],
            labels=columns[2],
            summaries=columns[3],
            counts=dict(self.counts),
        )

    def rows(self) -> list[ObjectRow]:
        """The list's rows, numbered, as the browser shows them."""
        self._make_rows()
        return [
            ObjectRow(key=key, number=n, shape=shape, label=label, summary=text)
            for n, (_, (key, shape, label, text)) in enumerate(self._rows.values(), start=1)
        ]


def _counts(shapes: Sequence[tuple[int, Shape]]) -> dict[str, int]:
    """Each label's count of shapes (classifications are not shapes)."""
    return dict(Counter(s.get("label") or "" for _, s in shapes if s["type"] != "class"))


def _cached(cached: tuple[Shape, Row] | None, key: int, shape: Shape) -> tuple[Shape, Row]:
    if cached is not None and cached[0] is shape:
        return cached
    return shape, (key, shape["type"], shape.get("label") or "", summary(shape))


def summary(shape: Shape) -> str:
    """A short line of a shape's attributes (and object id), as its row in the objects list shows it."""
    system = shape.get("metadata", {}).get("system", {})
    parts = ["view only"] if is_view_only(shape) else []  # a type the Annotator shows but cannot edit
    parts += [f"#{system['objectId']}"] if system.get("objectId") else []
    for key, value in (system.get("attributes") or {}).items():
        if value is True:
            parts.append(key)
        elif value not in (False, None, "", []):
            shown = ",".join(map(str, value)) if isinstance(value, list) else value
            parts.append(f"{key}={shown}")
    text = " ".join(parts)
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"
