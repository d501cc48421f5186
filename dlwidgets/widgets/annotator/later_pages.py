"""Layers drawn again for a page that opens them later (the page reloaded while the kernel runs, a second
browser tab): the page's ipycanvas canvases and image layer start blank, as their drawing lives in
messages, not in the model.

Every page that makes a layer's model says so (ipycanvas's client-ready event, the image layer's "ready"
message). The first to say so is the page the layer was made for, which got every message: only later
ones need the layer drawn again.
"""

from __future__ import annotations

from collections.abc import Callable

from ipycanvas import Canvas
from ipycanvas.canvas import _CANVAS_MANAGER


def on_later_pages(redraw: Callable[[], None]) -> Callable[..., None]:
    """A handler for a layer's page-ready events that calls ``redraw`` for every page but the first."""
    pages = 0

    def ready(*_: object) -> None:
        nonlocal pages
        pages += 1
        if pages > 1:
            redraw()

    return ready


def redraw_on_later_pages(canvas: Canvas, redraw: Callable[[], None]) -> None:
    """Call ``redraw`` when a page opened later makes ``canvas``'s model. ipycanvas sends every canvas's
    commands through one manager, which names the canvas they draw on only when it changes: the later
    page's manager knows none yet, so the next commands name theirs again."""

    def for_page() -> None:
        _CANVAS_MANAGER._current_canvas = None
        redraw()

    canvas.on_client_ready(on_later_pages(for_page))
