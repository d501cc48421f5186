"""``StageImage``: the item's image on the annotator's stage (``stage.Stage``, ``js/annotator_stage.js``),
its bottom canvas.

The image goes to the browser as stored, in a binary message of its own: first the workspace's small
thumbnail (drawn scaled up at once), then the full image, each decoded off the browser's main thread and
drawn once from the decoded bitmap (a JPEG shown at half its size or less first decoded at about that
size, which the JPEG decoder does in a fraction of the work, then in full for zoom); zoom, pan and resize
are only the stage's ``view`` trait changing. The messages are written down twice, alike: as the
TypedDicts here and as JSDoc typedefs in the ES module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypedDict


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


class StageImage:
    """The shown item's image, sent with ``send`` (the stage's custom messages): kept to be sent again to
    a page that opens later."""

    def __init__(self, send: Callable[..., None]) -> None:
        self._send = send
        self._seq = 0
        self._image: tuple[tuple[int, int], bytes, str] | None = None  # the full image shown, to resend

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
            self._send(first, buffers=[thumbnail])
        self._send_full()

    def _send_full(self) -> None:
        assert self._image is not None
        (width, height), image, mimetype = self._image
        full: ImageMessage = {
            "type": "image", "seq": self._seq, "stage": "full",
            "width": width, "height": height, "mimetype": mimetype,
        }  # fmt: skip
        self._send(full, buffers=[image])

    def resend(self) -> None:
        """A page opened later shows the image too (the full one: its thumbnail would only cost bytes)."""
        if self._image is not None:
            self._send_full()

    def clear(self) -> None:
        """Show no image (the item shown is not one)."""
        self._seq += 1
        self._image = None
        message: ClearImage = {"type": "clear", "seq": self._seq}
        self._send(message)
