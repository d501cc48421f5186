"""``ObjectRows``, the objects list as the browser has it: with no view to tell (an Annotator just made),
taking an item's shapes makes no row until the list is asked for; what a view then gets, and the changes
after, are what rows made at once would give."""

from __future__ import annotations

from typing import Any

import pytest

from dlwidgets.widgets.annotator import object_rows
from dlwidgets.widgets.annotator.object_rows import ObjectRows


def box(label: str, **attributes: Any) -> dict[str, Any]:
    return {
        "type": "box",
        "label": label,
        "coordinates": [{"x": 0, "y": 0}, {"x": 5, "y": 5}],
        "metadata": {"system": {"attributes": attributes}},
    }


SHAPES = [(1, box("car", parked=True)), (2, box("person")), (3, {"type": "class", "label": "day"})]


def test_shapes_taken_untold_make_no_row_until_the_list_is_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[dict[str, Any]] = []
    summary = object_rows.summary
    monkeypatch.setattr(object_rows, "summary", lambda shape: made.append(shape) or summary(shape))
    rows = ObjectRows()
    assert rows.update(SHAPES, tell=False) is None
    assert (made, len(rows), rows.counts) == ([], 3, {"car": 1, "person": 1})
    shown = rows.shown()
    assert len(made) == 3
    assert (shown["keys"], shown["summaries"], shown["revision"]) == ([1, 2, 3], ["parked", "", ""], 1)


def test_untold_then_told_changes_are_those_of_rows_made_at_once() -> None:
    at_once, untold = ObjectRows(), ObjectRows()
    at_once.update(SHAPES)
    untold.update(SHAPES, tell=False)
    assert untold.shown() == at_once.shown()
    edited = [(1, box("car", parked=False)), (3, SHAPES[2][1]), (4, box("bike"))]
    told, expected = untold.update(edited), at_once.update(edited)
    assert told is not None and expected is not None
    assert (told["rows"], told["removed"], told["counts"]) == (
        expected["rows"],
        expected["removed"],
        expected["counts"],
    )
    assert told["base"] == untold.revision - 1
    assert untold.rows() == at_once.rows()
