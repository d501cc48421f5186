"""``StageImage``: the item's image on the annotator's stage (``stage.Stage``, ``js/annotator_stage.js``),
its bottom canvas.

The image goes to the browser as stored, in two parts. The workspace's small thumbnail travels in the stage's
state (its ``thumbnail`` trait, a binary buffer of the opening message for the first item): the page decodes
it as soon as the model exists and draws it scaled up, with the annotations, in the view's first frame; a
saved notebook shows it without a kernel. The full image is a binary message of its own, never state (a
notebook saved with its widgets' state does not carry it): the first item's once the cell that made the
stage is done (``after_cell``: the cell's display of the annotator then reaches the page ahead of the image's
bytes, and the thumbnail is drawn while they travel), a later item's right after its thumbnail, and again for
a page opened later. The full image is decoded once the thumbnail is (two decodings at once would finish
together) and drawn once from the decoded bitmap (a JPEG shown at half its size or less first decoded at
about that size, which the JPEG decoder does in a fraction of the work, then in full for zoom); zoom, pan
and resize are only the stage's ``view`` trait changing. The messages are written down twice, alike: as the
TypedDicts here and as JSDoc typedefs in the ES module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypedDict

from ..after_cell import after_cell


class Thumbnail(TypedDict):
    """The stage's ``thumbnail`` trait: item ``seq``'s small image, a JPEG (as the workspace makes them),
    in ``image`` (a buffer); ``width`` x ``height`` is the full image's size, which it is drawn stretched
    to."""

    seq: int
    width: int
    height: int
    image: bytes


class ImageMessage(TypedDict):
    """The full image of item ``seq`` (``width`` x ``height`` image pixels) in its one buffer, encoded as
    ``mimetype``: it replaces the thumbnail when decoded."""

    type: Literal["image"]
    seq: int
    stage: Literal["full"]
    width: int
    height: int
    mimetype: str


class ClearImage(TypedDict):
    """Item ``seq`` has no image to show: the layer is emptied."""

    type: Literal["clear"]
    seq: int


class StageImage:
    """The shown item's image: its thumbnail set with ``set_thumbnail`` (the stage's trait), the full image
    sent with ``send`` (the stage's custom messages), kept to be sent again to a page that opens later."""

    def __init__(self, send: Callable[..., None], set_thumbnail: Callable[[Thumbnail | None], None]) -> None:
        self._send = send
        self._set_thumbnail = set_thumbnail
        self._seq = 0
        self._image: tuple[tuple[int, int], bytes, str] | None = None  # the full image shown, to resend

    def show(
        self, size: tuple[int, int], image: bytes, mimetype: str, thumbnail: bytes | None = None
    ) -> None:
        """Show an item's image: ``thumbnail`` (a JPEG, or None: the full image alone) in the stage's state
        at once, then the full image, in a message (dropped while the stage's model is not open: see
        ``opened``)."""
        self._seq += 1
        self._image = (size, image, mimetype)
        width, height = size
        small: Thumbnail | None = None
        if thumbnail:
            small = {"seq": self._seq, "width": width, "height": height, "image": thumbnail}
        self._set_thumbnail(small)
        self.resend()

    def opened(self) -> None:
        """The stage's model is open: the full image shown follows once the running cell is done (at once
        outside a cell), unless another item's is shown by then (it went with it)."""
        seq = self._seq

        def follow() -> None:
            if self._seq == seq:
                self.resend()

        after_cell(follow)

    def resend(self) -> None:
        """Send the full image shown (again): the stage's model open, or to a page opened later (which has
        the thumbnail in the state it read)."""
        if self._image is None:
            return
        (width, height), image, mimetype = self._image
        full: ImageMessage = {
            "type": "image", "seq": self._seq, "stage": "full",
            "width": width, "height": height, "mimetype": mimetype,
        }  # fmt: skip
        self._send(full, buffers=[image])

    def clear(self) -> None:
        """Show no image (the item shown is not one)."""
        self._seq += 1
        self._image = None
        self._set_thumbnail(None)
        message: ClearImage = {"type": "clear", "seq": self._seq}
        self._send(message)
