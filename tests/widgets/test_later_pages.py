"""An Annotator made while no page was open: the first page to say it made the layers' models is not the
one they were made for (that page never existed), so it gets the image and annotations drawn. Such a page
reads every widget's whole state from the kernel first, as ipywidgets' ``request_state`` does here."""

from __future__ import annotations

import ipywidgets as w
from canvas_messages import Sent, commands

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator


def page_reads_state(widget: w.Widget) -> None:
    """What a page opening later asks of each widget before it makes its model: its whole state."""
    widget._handle_msg({"content": {"data": {"method": "request_state"}}})


def page_says_ready(annotator: Annotator) -> None:
    """What a page sends when it makes the layers' models: ipycanvas's client-ready, the image's ready."""
    for canvas in (annotator.drawing, annotator.highlight):
        canvas._handle_custom_msg({"event": "client_ready"}, [])
    annotator.image_layer._handle_custom_msg({"type": "ready"}, [])


def test_the_first_page_of_an_annotator_made_with_no_page_open_gets_its_drawing(
    image_item: dw.Item, sent: Sent
) -> None:
    annotator = Annotator(image_item)
    annotator.annotations = [dw.Box(left=10, top=10, right=60, bottom=50, label="car")]
    sent.clear()
    for layer in (annotator.drawing, annotator.highlight, annotator.image_layer):
        page_reads_state(layer)
    page_says_ready(annotator)
    images = [c for c, _ in sent if isinstance(c, dict) and c.get("type") == "image"]
    assert [c["stage"] for c in images] == ["full"], "the image, sent once"
    assert "strokeStyledRects" in [name for name, _ in commands([m for m in sent if m[0] not in images])]


def test_the_page_an_annotator_was_made_for_gets_nothing_again(image_item: dw.Item, sent: Sent) -> None:
    annotator = Annotator(image_item)
    annotator.annotations = [dw.Box(left=10, top=10, right=60, bottom=50, label="car")]
    sent.clear()
    page_says_ready(annotator)
    assert sent == []
