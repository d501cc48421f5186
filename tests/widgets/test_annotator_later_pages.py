"""A page opened later (reloaded while the kernel runs, another tab) makes the layers' models blank: the
annotator draws them again there, the annotations in one batch naming their canvas, the full image once.
The page the annotator was made for, which got every message, gets nothing again."""

from __future__ import annotations

import json

from canvas_messages import Sent, commands
from ipycanvas.canvas import COMMANDS

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator


def page_opens(annotator: Annotator) -> None:
    """What a page sends when it makes the layers' models: ipycanvas's client-ready, the image's ready."""
    for canvas in (annotator.drawing, annotator.highlight):
        canvas._handle_custom_msg({"event": "client_ready"}, [])
    annotator.image_layer._handle_custom_msg({"type": "ready"}, [])


def test_a_page_opened_later_gets_the_image_and_annotations_again(image_item: dw.Item, sent: Sent) -> None:
    annotator = Annotator(image_item)
    annotator.annotations = [dw.Box(left=10, top=10, right=60, bottom=50, label="car")]
    sent.clear()
    page_opens(annotator)  # the page it was made for
    assert sent == []
    page_opens(annotator)  # a later one
    images = [(c, b) for c, b in sent if isinstance(c, dict) and c.get("type") == "image"]
    drawings = [(c, b) for c, b in sent if (c, b) not in images]
    assert len(drawings) == 1, "the annotations are drawn again in one message"
    assert json.loads(drawings[0][1][0])[0][0] == COMMANDS["switchCanvas"], "the commands name their canvas"
    assert "strokeStyledRects" in [name for name, _ in commands(drawings)]
    assert [(c["stage"], c["width"], b) for c, b in images] == [
        ("full", image_item.width, [image_item.read()])
    ]


def test_a_page_opened_later_gets_the_hovered_objects_outline_again(image_item: dw.Item, sent: Sent) -> None:
    annotator = Annotator(image_item)
    annotator.annotations = [dw.Box(left=10, top=10, right=60, bottom=50, label="car")]
    page_opens(annotator)
    annotator._on_object_hovered(annotator.edits.keys()[0] if annotator.edits else None)
    sent.clear()
    for canvas in (annotator.drawing, annotator.highlight):
        canvas._handle_custom_msg({"event": "client_ready"}, [])
    drawn = [[name for name, _ in commands([message])] for message in sent]
    assert len(drawn) == 2, "each layer drawn again in one message"
    assert "strokeRect" in drawn[1], "the hovered box's outline on the highlight layer"
