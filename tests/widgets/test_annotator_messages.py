"""What the annotator sends to the browser, recorded where every widget message leaves the kernel: a
drag is answered with one drawing, then the browser is told it is committed, then one update of the side
panel, showing an item sends its JPEG untouched in a few messages, and a thousand boxes are one small
drawing message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
import numpy as np
import pytest
from canvas_messages import batch_commands

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator

Sent = list[tuple[Any, str, list[bytes], Any]]  # (widget, "open" / "update" / "custom", buffers, content)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Sent:
    log: Sent = []
    send, open_comm = w.Widget._send, w.Widget.open

    def recorded_send(self: w.Widget, msg: dict[str, Any], buffers: Any = None) -> None:
        log.append((self, msg["method"], [bytes(b) for b in buffers or ()], msg.get("content")))
        send(self, msg, buffers)

    def recorded_open(self: w.Widget) -> None:
        if self.comm is None:
            log.append((self, "open", [], None))
        open_comm(self)

    monkeypatch.setattr(w.Widget, "_send", recorded_send)
    monkeypatch.setattr(w.Widget, "open", recorded_open)
    return log


def during(sent: Sent, action: Callable[[], Any]) -> Sent:
    sent.clear()
    action()
    return list(sent)


def size(message: tuple[Any, str, list[bytes], Any]) -> int:
    return sum(len(b) for b in message[2])


def drag(annotator: Annotator, x0: float, y0: float, x1: float, y1: float) -> None:
    annotator._on_gesture({"type": "down", "x": x0, "y": y0, "button": 0})
    annotator._on_gesture({"type": "up", "x": x1, "y": y1, "x0": x0, "y0": y0})


def test_a_box_drag_is_one_drawing_then_committed(image_item: dw.Item, sent: Sent) -> None:
    annotator = Annotator(image_item)
    drag(annotator, 100, 100, 200, 200)  # the first selection builds the Selected panel
    messages = during(sent, lambda: drag(annotator, 300, 100, 400, 200))
    assert [(m[0], m[1]) for m in messages] == [
        (annotator.stage, "custom"),  # grab
        (annotator.stage, "update"),  # the annotation layer, redrawn once (the stage's drawing)
        (annotator.stage, "custom"),  # committed: the browser drops its preview
        (annotator.side_panel, "custom"),  # then the side panel once: the object added, the selected form
    ]
    assert len(annotator.annotations) == 2


def test_showing_an_item_sends_its_jpeg_untouched(
    dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes], sent: Sent
) -> None:
    jpegs = [make_jpeg(400, 300), make_jpeg(400, 300)]
    items = []
    for i, jpeg in enumerate(jpegs):
        item = dataset.items.upload(local_path=jpeg, remote_path="/show", remote_name=f"{i}.jpg")
        assert isinstance(item, dw.Item)
        items.append(item)
    annotator = Annotator(items)
    messages = during(sent, lambda: annotator._show(1))
    assert len(messages) <= 5
    assert jpegs[1] in messages[0][2]  # first (a small image goes without its thumbnail), and as stored
    assert sum(size(m) for m in messages) <= len(jpegs[1]) + 64 * 1024


def test_a_thousand_boxes_are_one_message_of_int16_coordinates(image_item: dw.Item, sent: Sent) -> None:
    annotator = Annotator(image_item)
    rng = np.random.default_rng(0)
    corners = rng.uniform(0, 600, (1000, 2))
    # Boxes too small on screen for their label text (15 x 12.5 canvas pixels), as in a crowded image.
    annotator.annotations = [
        dw.Box(left=x, top=y, right=x + 12, bottom=y + 10, label="car") for x, y in corners
    ]
    (message,) = during(sent, annotator._redraw)
    assert message[:2] == (annotator.stage, "update")
    assert size(message) <= 33 * 1024
    (boxes,) = [args for name, args in batch_commands(message[2]) if name == "fillStyledRects"]
    # One int16 per box for each of x, y, width, height.
    assert [(a.dtype, a.shape) for a in boxes[:4]] == [(np.dtype(np.int16), (1000,))] * 4


def test_a_new_width_redraws_the_layers_without_sending_the_image_again(
    image_item: dw.Item, sent: Sent
) -> None:
    annotator = Annotator(image_item)
    messages = during(
        sent, lambda: annotator._on_gesture({"type": "resize", "width": 1000, "window_height": 900})
    )
    assert (annotator.stage.width, annotator.stage.height) == (1000, 625)
    assert max(size(m) for m in messages) < 2048, "something as big as the image was sent"
    # The new size and view with the drawing, in one message (the page draws the image again itself);
    # the toolbar's zoom readout follows.
    assert [(m[0], m[1]) for m in messages if m[0] is not annotator.toolbar] == [(annotator.stage, "update")]
    assert during(sent, lambda: annotator._on_gesture({"type": "resize", "width": 1000})) == []


def test_esc_clears_the_selection_then_gives_the_keyboard_back(image_item: dw.Item, sent: Sent) -> None:
    annotator = Annotator(image_item, width=800, height=520)
    escape = {"type": "key", "key": "Escape", "ctrl": False, "shift": False}
    drag(annotator, 100, 100, 200, 200)
    assert annotator.selected is not None
    released = {"type": "release"}
    assert released not in replies(during(sent, lambda: annotator._on_gesture(escape)))
    assert annotator.selected is None
    assert released in replies(during(sent, lambda: annotator._on_gesture(escape)))
    # A drag in progress (the browser dropped its preview on Esc) is cancelled first: nothing is drawn.
    annotator._on_gesture({"type": "down", "id": 7, "x": 300, "y": 100, "button": 0})
    assert released not in replies(during(sent, lambda: annotator._on_gesture(escape)))
    annotator._on_gesture({"type": "up", "id": 7, "x": 400, "y": 200, "x0": 300, "y0": 100})
    assert len(annotator.annotations) == 1


def replies(messages: Sent) -> list[Any]:
    """The custom messages the gesture layer sent, as the browser gets them."""
    return [content for _widget, method, _buffers, content in messages if method == "custom"]
