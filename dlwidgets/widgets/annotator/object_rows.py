"""``ObjectRows``: the Annotator's objects list (a row per annotation) and its labels' counts, kept as the
browser has them, so that an edit sends what it changed (``ObjectsChanged``) rather than every row again;
the page's model gets every row with its first state (``ObjectsList``), and a view that missed a change
asks for all of them (``ObjectsShown``).

The list goes in a short form: the keys as runs of consecutive keys, a column whose rows all hold one
value (every shape a box, no summary) as that value once, the labels as a digit a row. The page counts
each label's shapes itself.

The messages are written down twice, alike: as the TypedDicts here and as JSDoc typedefs in
``js/annotator_panel.js``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, Literal, TypedDict, TypeVar

from ..models.annotation_edits import Shape
from ..models.gc_pause import cyclic_gc_paused
from ..models.shape_geometry import is_view_only

T = TypeVar("T")
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"  # an index column's, while there are at most 36 names

# The longest attribute summary an object's row shows.
SUMMARY_CHARS = 40

# One row on the wire: the object's key (the Annotator's), its shape type, its label, its summary.
Row = tuple[int, str, str, str]


class ObjectsList(TypedDict):
    """Every object, in list order, as columns: ``keys`` as runs (the first key and how many follow it,
    one by one: ``[0, 50]`` is 0 to 49), ``shapes`` and ``labels`` index ``names`` (a base-36 digit a row
    while there are at most 36 names: "0a1"), and a column whose rows all hold one value is that value;
    ``revision`` numbers this state of the list."""

    revision: int
    keys: list[int]
    names: list[str]
    shapes: list[int] | int | str
    labels: list[int] | int | str
    summaries: list[str] | str


class _ObjectsShown(ObjectsList):
    type: Literal["objects"]


class ObjectsShown(_ObjectsShown, total=False):
    """Kernel -> browser: every object (an ``ObjectsList``), for a view that missed a change or a new
    item; a new item's list carries the panel's traits that changed with it (``state``): one message for
    both."""

    state: dict[str, Any]


class _ObjectsChanged(TypedDict):
    type: Literal["objects-changed"]
    base: int
    revision: int
    rows: list[Row]
    removed: list[int]


class ObjectsChanged(_ObjectsChanged, total=False):
    """Kernel -> browser: what one change did to the list at revision ``base``: the rows added or changed
    (``[key, shape, label, summary]``) and the keys removed; with the panel's traits that changed with it
    (``state``), as a new item's list."""

    state: dict[str, Any]


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
        ``tell`` false (the page's model has no list to keep), None, and the rows are made when next asked
        for: an Annotator opened on a crowded item makes no row before its page asks for the list."""
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
        self._rows, self.counts = rows, _counts(shapes)
        if not (changed or removed):
            return None
        self.revision += 1
        return ObjectsChanged(
            type="objects-changed",
            base=self.revision - 1,
            revision=self.revision,
            rows=changed,
            removed=removed,
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

    def listed(self) -> ObjectsList:
        """Every row, in the list's short form."""
        self._make_rows()
        names: dict[str, int] = {}
        columns: list[list[Any]] = [[], [], []]
        for _, (_key, shape, label, summary_) in self._rows.values():
            columns[0].append(names.setdefault(shape, len(names)))
            columns[1].append(names.setdefault(label, len(names)))
            columns[2].append(summary_)
        return ObjectsList(
            revision=self.revision,
            keys=_runs(self._rows),
            names=list(names),
            shapes=_indexes(columns[0], len(names)),
            labels=_indexes(columns[1], len(names)),
            summaries=_column(columns[2]),
        )

    def shown(self) -> ObjectsShown:
        """Every row, for a view that has none (or not all) of them."""
        return ObjectsShown(type="objects", **self.listed())

    def rows(self) -> list[ObjectRow]:
        """The list's rows, numbered, as the browser shows them."""
        self._make_rows()
        return [
            ObjectRow(key=key, number=n, shape=shape, label=label, summary=text)
            for n, (_, (key, shape, label, text)) in enumerate(self._rows.values(), start=1)
        ]


def _runs(keys: Iterable[int]) -> list[int]:
    """Ascending ``keys`` as runs: each run's first key and its length (``[0, 3, 7, 1]``: 0, 1, 2 and 7)."""
    runs: list[int] = []
    for key in keys:
        if runs and runs[-2] + runs[-1] == key:
            runs[-1] += 1
        else:
            runs += [key, 1]
    return runs


def _column(values: list[T]) -> list[T] | T:
    """A column whose rows all hold one value as that value; any other as it is (an empty one too)."""
    return values[0] if values and values.count(values[0]) == len(values) else values


def _indexes(values: list[int], names: int) -> list[int] | int | str:
    """A column of indexes into ``names``: as ``_column``, or a base-36 digit a row while there are at most
    36 names ("0a1": 0, 10, 1), a third of the bytes of a list."""
    alike = _column(values)
    if isinstance(alike, int) or names > len(DIGITS):
        return alike
    return "".join(DIGITS[index] for index in values)


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
