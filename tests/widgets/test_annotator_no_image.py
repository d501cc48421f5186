"""An item with no image to draw on (a text file): the stage's state says so (``has_image``), so a page
making its model knows at once that nothing will be drawn there, the page it was made for (the opening
state) and a page opened later alike; an item shown after the first says so with a "clear" message too,
which empties the layer. Nothing is sent to a stage whose model is not open yet."""

from __future__ import annotations

from typing import Any

from canvas_messages import Sent

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator


def upload_text(dataset: dw.Dataset) -> dw.Item:
    return dataset.items.upload(local_path=b"street scenes\n", remote_path="/docs", remote_name="note.txt")


def stage_state(opened: list[dict[str, Any]], annotator: Annotator) -> dict[str, Any]:
    (state,) = [state for state in opened if state.get("key") == annotator.stage.key]
    return state


def test_a_stage_opened_on_a_text_item_says_it_has_no_image_and_is_sent_nothing(
    dataset: dw.Dataset, opened: list[dict[str, Any]], sent: Sent
) -> None:
    annotator = Annotator(upload_text(dataset))
    assert stage_state(opened, annotator)["has_image"] is False
    assert sent == [], "no message before the stage's model opened (it would be dropped)"
    assert annotator.stage.get_state()["has_image"] is False, "a page opened later reads it too"
    assert "is not an image" in annotator.status


def test_an_image_items_stage_opens_without_saying_it(
    image_item: dw.Item, opened: list[dict[str, Any]]
) -> None:
    annotator = Annotator(image_item)
    assert "has_image" not in stage_state(opened, annotator), "the page reads it missing as true"
    assert annotator.stage.has_image is True


def test_moving_between_an_image_and_a_text_item_says_so_each_time(image_item: dw.Item, sent: Sent) -> None:
    annotator = Annotator([image_item, upload_text(image_item.dataset)])
    sent.clear()
    annotator.next()
    assert annotator.stage.has_image is False
    assert [c["type"] for c, _ in sent if c.get("type") in ("image", "clear")] == ["clear"]
    sent.clear()
    annotator.previous()
    assert annotator.stage.has_image is True
    assert [c["stage"] for c, _ in sent if c.get("type") == "image"] == ["full"]
