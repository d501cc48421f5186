"""``MessageWidget``: an anywidget whose browser side sends each user action as one small custom message
(``{"type": ..., ...}``), handed to one handler in the kernel; tests send the same messages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import anywidget

from .base import AnyWidgetChrome


class MessageWidget(AnyWidgetChrome, anywidget.AnyWidget):
    """``on_message(content)`` gets every message from the browser that has a ``type``."""

    def __init__(self, on_message: Callable[[Any], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_message = on_message
        self.on_msg(self._receive)

    def _receive(self, _widget: Any, content: Any, _buffers: list[bytes]) -> None:
        if isinstance(content, dict) and isinstance(content.get("type"), str):
            self._on_message(content)

    def receive(self, message: Mapping[str, Any]) -> None:
        """Handle ``message`` as if the browser had sent it (what a click or a keystroke sends)."""
        self._receive(self, dict(message), [])
