"""``ImageLayer``: the back-end of ``js/annotator_image.js``, the bottom canvas of the annotator's stage,
which shows the item's image.

The image goes to the browser as stored, in a binary message of its own: first the workspace's small
thumbnail (drawn scaled up at once), then the full image, each decoded off the browser's main thread and
drawn once from the decoded bitmap (a JPEG shown at half its size or less first decoded at about that
size, which the JPEG decoder does in a fraction of the work, then in full for zoom); zoom, pan and resize
are only the ``view`` trait changing. The
messages are written down twice, alike: as the TypedDicts here and as JSDoc typedefs in the ES module.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal, TypedDict

import anywidget
import traitlets

from ..assets import asset
from ..base import AnyWidgetChrome
from .later_pages import ReadByLaterPages, on_later_pages


class ImageMessage(TypedDict):
    """The image of item ``seq`` (``width`` x ``height`` image pixels) in its one buffer, encoded as
    ``mimetype``; ``stage`` "thumbnail" is drawn stretched to that size until "full" replaces it."""

    type: Literal["image"]
    seq: int
    stage: Literal["thumbnail", "full"]
    width: int
    height: int
    mimetype: str


class ClearImage(TypedDict):
    """Item ``seq`` has no image to show: the layer is emptied."""

    type: Literal["clear"]
    seq: int


class PageReady(TypedDict):
    """Browser -> kernel: a page made this layer's model; one opened later gets the image again."""

    type: Literal["ready"]


class ImageLayer(ReadByLaterPages, AnyWidgetChrome, anywidget.AnyWidget):
    """The shown item's image on a canvas of ``width`` x ``height`` pixels, where ``view`` (scale,
    offset_x, offset_y) puts it. ``key`` names the layer's decoded images in the page."""

    _esm = asset("annotator_image.js")
    key = traitlets.Unicode("").tag(sync=True)
    width = traitlets.Int(800).tag(sync=True)
    height = traitlets.Int(520).tag(sync=True)
    view = traitlets.List(traitlets.Float(), [1.0, 0.0, 0.0]).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(key=uuid.uuid4().hex, **kwargs)
        self._seq = 0
        self._image: tuple[tuple[int, int], bytes, str] | None = None  # the full image shown, to resend
        resend = on_later_pages(self, self._resend)
        self.on_msg(lambda _widget, content, _buffers: resend() if content.get("type") == "ready" else None)

    def show(
        self, size: tuple[int, int], image: bytes, mimetype: str, thumbnail: bytes | None = None
    ) -> None:
        """Send an item's image (``thumbnail`` first, when given): each message starts its decoding."""
        self._seq += 1
        self._image = (size, image, mimetype)
        width, height = size
        if thumbnail:
            first: ImageMessage = {
                "type": "image", "seq": self._seq, "stage": "thumbnail",
                "width": width, "height": height, "mimetype": "image/jpeg",
            }  # fmt: skip
            self.send(first, buffers=[thumbnail])
        self._send_full()

    def _send_full(self) -> None:
        assert self._image is not None
        (width, height), image, mimetype = self._image
        full: ImageMessage = {
            "type": "image", "seq": self._seq, "stage": "full",
            "width": width, "height": height, "mimetype": mimetype,
        }  # fmt: skip
        self.send(full, buffers=[image])

    def _resend(self) -> None:
        """A page opened later shows the image too (the full one: its thumbnail would only cost bytes)."""
        if self._image is not None:
            self._send_full()

    def clear(self) -> None:
        """Show no image (the item shown is not one)."""
        self._seq += 1
        self._image = None
        message: ClearImage = {"type": "clear", "seq": self._seq}
        self.send(message)
