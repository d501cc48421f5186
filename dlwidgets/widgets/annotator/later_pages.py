"""Layers drawn again for a page that opens them later (the page reloaded while the kernel runs, a second
browser tab): the page's ipycanvas canvases and image layer start blank, as their drawing lives in
messages, not in the model.

Every page that makes a layer's model says so (ipycanvas's client-ready event, the image layer's "ready"
message). The first to say so is the page the layer was made for, which got every message, unless no page
was open then (the layer made from a console, or with the tab closed): a page that opens later reads every
widget's whole state from the kernel before it makes their models, so a layer read so knows that its next
page got none of its drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w
from ipycanvas import Canvas
from ipycanvas.canvas import _CANVAS_MANAGER


class ReadByLaterPages(w.Widget):
    """A layer that notes when its whole state is read after its model was opened: a page opening later
    asks for it (ipywidgets' ``request_states``, or ``request_state`` per widget); the page the layer was
    made for got it in the opening message instead."""

    _is_read_by_later_page = False

    def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict[str, Any]:
        if key is None and self.comm is not None:
            self._is_read_by_later_page = True
        state: dict[str, Any] = super().get_state(key=key, drop_defaults=drop_defaults)
        return state


class LayerCanvas(ReadByLaterPages, Canvas):
    """An ipycanvas ``Canvas`` that knows whether a page opened after it was made has read it."""


def on_later_pages(layer: ReadByLaterPages, redraw: Callable[[], None]) -> Callable[..., None]:
    """A handler for ``layer``'s page-ready events that calls ``redraw`` for every page but the one the
    layer was made for: the first, unless a page opened later read the layer before it said so."""
    pages = 0

    def ready(*_: object) -> None:
        nonlocal pages
        pages += 1
        if pages > 1 or layer._is_read_by_later_page:
            redraw()

    return ready


def redraw_on_later_pages(canvas: LayerCanvas, redraw: Callable[[], None]) -> None:
    """Call ``redraw`` when a page opened later makes ``canvas``'s model. ipycanvas sends every canvas's
    commands through one manager, which names the canvas they draw on only when it changes: the later
    page's manager knows none yet, so the next commands name theirs again."""

    def for_page() -> None:
        _CANVAS_MANAGER._current_canvas = None
        redraw()

    canvas.on_client_ready(on_later_pages(canvas, for_page))
