"""``StageImage``: the item's image on the annotator's stage (``stage.Stage``, ``js/annotator_stage.js``),
its bottom canvas.

The image goes to the browser as stored, in two parts. The workspace's small thumbnail travels in the stage's
state (its ``thumbnail`` trait, a binary buffer of the opening message for the first item): the page decodes
it as soon as the model exists and draws it scaled up, with the annotations, in the view's first frame; a
saved notebook shows it without a kernel. The first item's full image is a buffer of the stage's opening state
too (``OpeningImage``, not a trait: the page decodes it as soon as it makes the model, with no message of its
own, and drops it from its model once read, so a notebook saved with its widgets' state does not carry it)
unless it is big (``OPENING_IMAGE_BYTES``); a later item's, a big one, or the image for a page opened later,
is a binary message of its own. The full image is decoded once the thumbnail is (two decodings at once would
finish together) and drawn once from the decoded bitmap (a JPEG shown at half its size or less first decoded
at about that size, which the JPEG decoder does in a fraction of the work, then in full for zoom); zoom, pan
and resize are only the stage's ``view`` trait changing. The messages are written down twice, alike: as the
TypedDicts here and as JSDoc typedefs in the ES module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypedDict

# A full image of at most this many bytes goes in the stage's opening state; a bigger one in a message of
# its own right after it: the page makes the model (and decodes the thumbnail) once the whole opening
# message is in, and a 12 MP photo's 3 MB in it held the thumbnail back (benchmarks/peers.py, portrait).
OPENING_IMAGE_BYTES = 1_000_000


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


class OpeningImage(TypedDict):
    """The ``image`` of the stage's opening state (not a trait: the page drops it once read): the first
    item's full image as ``ImageMessage`` says, its encoded bytes in ``image`` (a buffer)."""

    seq: int
    width: int
    height: int
    mimetype: str
    image: bytes


class ClearImage(TypedDict):
    """Item ``seq`` has no image to show: the layer is emptied."""

    type: Literal["clear"]
    seq: int


class StageImage:
    """The shown item's image: its thumbnail set with ``set_thumbnail`` (the stage's trait), the full image
    in the stage's opening state (``opening``) or sent with ``send`` (the stage's custom messages), kept to
    be sent again to a page that opens later."""

    def __init__(self, send: Callable[..., None], set_thumbnail: Callable[[Thumbnail | None], None]) -> None:
        self._send = send
        self._set_thumbnail = set_thumbnail
        self._seq = 0
        self._image: tuple[tuple[int, int], bytes, str] | None = None  # the full image shown, to resend
        self._opened_with = 0  # the item whose full image the stage's opening state carried

    def show(
        self, size: tuple[int, int], image: bytes, mimetype: str, thumbnail: bytes | None = None
    ) -> None:
        """Show an item's image: ``thumbnail`` (a JPEG, or None: the full image alone) in the stage's state
        at once, then the full image, in a message (dropped while the stage's model is not open: its
        opening state carries the image, see ``opening``)."""
        self._seq += 1
        self._image = (size, image, mimetype)
        width, height = size
        small: Thumbnail | None = None
        if thumbnail:
            small = {"seq": self._seq, "width": width, "height": height, "image": thumbnail}
        self._set_thumbnail(small)
        self.resend()

    def opening(self) -> OpeningImage | None:
        """The full image shown, for the stage's opening state (None: no image, or one too big for it)."""
        if self._image is None or len(self._image[1]) > OPENING_IMAGE_BYTES:
            return None
        (width, height), image, mimetype = self._image
        self._opened_with = self._seq
        return {"seq": self._seq, "width": width, "height": height, "mimetype": mimetype, "image": image}

    def opened(self) -> None:
        """The stage's model is open: the full image follows unless its opening state carried it."""
        if self._opened_with != self._seq:
            self.resend()

    def resend(self) -> None:
        """Send the full image shown (again): once the stage's model opened, or to a page opened later
        (which has the thumbnail in the state it read)."""
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
