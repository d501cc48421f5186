"""``GestureLayer``: the back-end of ``js/annotator_gestures.js``, the anywidget laid over the annotator's
canvas that reports coalesced gestures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

from .assets import asset
from .base import AnyWidgetChrome


class GestureLayer(AnyWidgetChrome, anywidget.AnyWidget):
    """Pointer, wheel and key gestures in canvas pixels; the preview of a drag is drawn in the browser."""

    _esm = asset("annotator_gestures.js")
    width = traitlets.Int(800).tag(sync=True)
    height = traitlets.Int(520).tag(sync=True)
    cursor = traitlets.Unicode("crosshair").tag(sync=True)

    def __init__(self, on_gesture: Callable[[dict[str, Any]], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_msg(lambda _widget, content, _buffers: on_gesture(content))

    def reply(self, message: dict[str, Any]) -> None:
        self.send(message)
