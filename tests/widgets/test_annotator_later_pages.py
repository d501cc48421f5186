"""A page opened later (reloaded while the kernel runs, another tab) makes the stage's model from its state,
which holds the annotations and the hovered object's outline: drawn there with nothing sent again. The
image, which lives in messages, is sent again once, when that page asks for it."""

from __future__ import annotations

from canvas_messages import Sent, batch_commands, drawn

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator


def page_opens(annotator: Annotator) -> None:
    """What a page opened later sends when it makes the stage's model: its "ready"."""
    annotator.stage._handle_custom_msg({"type": "ready"}, [])


def test_a_page_opened_later_gets_the_image_again_and_draws_the_annotations_from_the_state(
    image_item: dw.Item, sent: Sent
) -> None:
    annotator = Annotator(image_item)
    annotator.annotations = [dw.Box(left=10, top=10, right=60, bottom=50, label="car")]
    sent.clear()
    state = annotator.stage.get_state()  # what the later page reads
    assert state["later_page"] is True, "which tells it to ask for the image"
    page_opens(annotator)
    assert [(c["type"], c["stage"], c["width"], b) for c, b in sent] == [
        ("image", "full", image_item.width, [image_item.read()])
    ], "only the image, once"
    assert "strokeStyledRects" in [name for name, _ in batch_commands(state["drawing"])]
    assert drawn(annotator.stage)[0] == "clear", "the drawing since the layer was last cleared"


def test_the_hovered_objects_outline_is_in_the_state_a_later_page_reads(image_item: dw.Item) -> None:
    annotator = Annotator(image_item)
    annotator.annotations = [dw.Box(left=10, top=10, right=60, bottom=50, label="car")]
    annotator._on_object_hovered(annotator.edits.keys()[0] if annotator.edits else None)
    outline = [name for name, _ in batch_commands(annotator.stage.get_state()["highlight"])]
    assert "strokeRect" in outline, "the hovered box's outline on the highlight layer"
