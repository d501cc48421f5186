"""One key, one action: a key of the Annotator's table is never also a key of its review mode or of its
task queue, which are read first and would hide it (the `?` overlay would list the key twice)."""

from __future__ import annotations

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator
from dlwidgets.widgets.annotator.gestures import SHORTCUTS
from dlwidgets.widgets.annotator.queue import queue_shortcuts
from dlwidgets.widgets.annotator.review import ACCEPT_KEY, NEXT_KEY, REJECT_KEY


def plain(presses: tuple[str, ...]) -> set[str]:
    """The keys pressed without Ctrl, Shift or named keys (the letters and signs the other bars read)."""
    return {p.removeprefix("shift+") for p in presses if not p.startswith("ctrl+") and len(p) <= 7}


def test_no_key_acts_twice(task: dw.Task) -> None:
    table = set().union(*(plain(s.presses) for s in SHORTCUTS if s.act is not None))
    bar = Annotator(task).queue_bar
    assert bar is not None
    queue = {key.lower() for key, _does in queue_shortcuts(bar.queue)}
    review = {ACCEPT_KEY, REJECT_KEY, NEXT_KEY}
    assert not table & review, f"keys of both the table and review mode: {sorted(table & review)}"
    assert not table & queue, f"keys of both the table and the task queue: {sorted(table & queue)}"
    assert not review & queue, f"keys of both review mode and the task queue: {sorted(review & queue)}"
