"""An Annotator made while no page was open: its first page reads the stage's state later (as ipywidgets'
``request_state`` does here), which tells it to ask for the image; the annotations it draws from that state.
The page the Annotator was made for reads the opening message, which tells it nothing of the kind: it sends
nothing."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
from canvas_messages import Sent, batch_commands

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator


def page_reads_state(widget: w.Widget) -> dict:
    """What a page opening later asks of each widget before it makes its model: its whole state."""
    widget._handle_msg({"content": {"data": {"method": "request_state"}}})
    return widget.get_state()


def page_says_ready(annotator: Annotator) -> None:
    """What a page sends when it makes the stage's model: its "ready"."""
    annotator.stage._handle_custom_msg({"type": "ready"}, [])


def test_the_first_page_of_an_annotator_made_with_no_page_open_gets_its_image(
    image_item: dw.Item, sent: Sent
) -> None:
    annotator = Annotator(image_item)
    annotator.annotations = [dw.Box(left=10, top=10, right=60, bottom=50, label="car")]
    sent.clear()
    state = page_reads_state(annotator.stage)
    assert state["later_page"] is True, "the page is told to ask for the image"
    page_says_ready(annotator)
    images = [c for c, _ in sent if isinstance(c, dict) and c.get("type") == "image"]
    assert [c["stage"] for c in images] == ["full"], "the image, sent once"
    assert "strokeStyledRects" in [name for name, _ in batch_commands(state["drawing"])]


def test_the_page_an_annotator_was_made_for_is_not_told_to_ask_for_the_image(
    image_item: dw.Item, opened: list[dict[str, Any]]
) -> None:
    annotator = Annotator(image_item)
    stages = [state for state in opened if state.get("key") == annotator.stage.key]
    assert len(stages) == 1 and "later_page" not in stages[0], "the opening state says nothing of it"
    assert annotator.stage.later_page is False
