"""``ObjectRows``, the objects list as the browser has it: with no view to tell (an Annotator just made),
taking an item's shapes makes no row until the list is asked for; what a view then gets, and the changes
after, are what rows made at once would give. The whole list goes in its short form: runs of keys, a
column alike in every row once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dlwidgets.widgets.annotator import object_rows
from dlwidgets.widgets.annotator.object_rows import ObjectRows, ObjectsList

REPO = Path(__file__).resolve().parents[2]


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
    assert (shown["keys"], shown["summaries"], shown["revision"]) == ([1, 3], ["parked", "", ""], 1)


def test_untold_then_told_changes_are_those_of_rows_made_at_once() -> None:
    at_once, untold = ObjectRows(), ObjectRows()
    at_once.update(SHAPES)
    untold.update(SHAPES, tell=False)
    assert untold.shown() == at_once.shown()
    edited = [(1, box("car", parked=False)), (3, SHAPES[2][1]), (4, box("bike"))]
    told, expected = untold.update(edited), at_once.update(edited)
    assert told is not None and expected is not None
    assert (told["rows"], told["removed"]) == (expected["rows"], expected["removed"])
    assert told["base"] == untold.revision - 1
    assert untold.rows() == at_once.rows()


def unpacked(listed: ObjectsList) -> list[tuple[int, str, str, str]]:
    """The rows of a list in its short form, as the page reads them (js/annotator_panel.js ``takeList``)."""
    runs = zip(listed["keys"][::2], listed["keys"][1::2], strict=True)
    keys = [k for first, run in runs for k in range(first, first + run)]

    def at(column: Any, row: int) -> Any:
        return column[row] if isinstance(column, list) else column

    def name(column: Any, row: int) -> str:
        return listed["names"][int(column[row], 36) if isinstance(column, str) else at(column, row)]

    return [
        (key, name(listed["shapes"], n), name(listed["labels"], n), at(listed["summaries"], n))
        for n, key in enumerate(keys)
    ]


def test_the_short_form_holds_every_row_and_is_shorter_where_rows_are_alike() -> None:
    rows = ObjectRows()
    boxes = [(key, box("car" if key % 2 else "person")) for key in range(50)]
    rows.update(boxes)
    listed = rows.listed()
    assert listed["keys"] == [0, 50] and listed["shapes"] == 0 and listed["summaries"] == ""
    assert listed["labels"] == "".join(
        str(listed["names"].index("car" if k % 2 else "person")) for k in range(50)
    )
    assert unpacked(listed) == [(r["key"], r["shape"], r["label"], r["summary"]) for r in rows.rows()]
    assert len(json.dumps(listed)) < 200
    mixed = [*boxes[:10], *boxes[11:40], (60, box("car", parked=True)), (61, SHAPES[2][1])]
    rows.update(mixed)
    listed = rows.listed()
    assert listed["keys"] == [0, 10, 11, 29, 60, 2] and listed["shapes"] == "0" * 40 + "3"
    assert listed["summaries"] == [*[""] * 39, "parked", ""]
    assert unpacked(listed) == [(r["key"], r["shape"], r["label"], r["summary"]) for r in rows.rows()]
    many = [(key, box(f"label-{key}")) for key in range(40)]  # more names than digits: a list
    rows.update(many)
    listed = rows.listed()
    assert listed["labels"] == list(range(1, 41)) and listed["shapes"] == 0
    assert unpacked(listed) == [(r["key"], r["shape"], r["label"], r["summary"]) for r in rows.rows()]
    rows.update([])
    assert unpacked(rows.listed()) == [] and rows.listed()["keys"] == []


# Reads lists in the short form (JSON, one a line) and writes each back as the page's model keeps it:
# read into a page's store (``takeList``), then written in the short form again (``listedForm``).
_PAGE_ROUND_TRIP = """
import { createInterface } from "node:readline";
import { listedForm, storeFor, takeList } from "./js/annotator_panel.js";
let n = 0;
for await (const line of createInterface({ input: process.stdin })) {
  const store = storeFor(`list-${n++}`);
  takeList(store, JSON.parse(line));
  console.log(JSON.stringify(listedForm(store)));
}
"""


def test_the_page_writes_the_short_form_as_the_kernel_does() -> None:
    """The page keeps its current list in its model's ``listed`` (what a saved notebook shows): for the
    same rows, its short form is the kernel's, byte for byte."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but node is missing: this test runs js/annotator_panel.js under node")
        pytest.skip("node not found (node >= 20 runs js/annotator_panel.js); set CI=1 to fail")
    cases = [
        [],
        SHAPES,
        [(key, box("car" if key % 2 else "person")) for key in range(50)],
        [(key, box("car", parked=key == 7)) for key in (0, 1, 2, 5, 7, 8, 30)],
        [(key, box(f"label-{key}")) for key in range(40)],  # more names than digits
        [(1, box("box")), (2, {"type": "point", "label": "box"})],  # a label named as a shape
    ]
    lists = []
    for revision, shapes in enumerate(cases):
        rows = ObjectRows()
        for _ in range(revision + 1):
            rows.update(shapes)
            rows.clear()
        rows.update(shapes)
        lists.append(rows.listed())
    result = subprocess.run(
        [node, "--input-type=module", "-e", _PAGE_ROUND_TRIP],
        input="".join(json.dumps(listed) + "\n" for listed in lists),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    written = [json.loads(line) for line in result.stdout.splitlines()]
    assert written == lists
