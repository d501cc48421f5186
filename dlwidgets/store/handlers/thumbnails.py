"""``/items/{id}/thumbnail``: a small JPEG of an image item, made once from its blob and cached on disk.

Thumbnails are content-addressed like the blobs they come from (``blobs/thumbs/<side>px/<aa>/<sha256>.jpg``),
so items sharing bytes share one thumbnail, and an overwritten item gets a new one. Each is written to a
temporary file and renamed into place, so a reader never sees half a thumbnail and two processes making
the same one at once both succeed. An image that cannot be decoded, for any reason its decoder gives,
leaves a ``.broken`` marker holding that reason, logged once: it is tried once, not on every page that
shows it, and the item's card shows its type icon instead.

Uploads store images of any size (only their header is read). Thumbnails are made for images up to
``THUMBNAIL_MAX_PIXELS``: JPEGs decode at 1/8 scale; PNGs too big for the memory budget a strip at a time;
other images whole (up to 4 bytes a pixel, held from the budget), then shrink.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import tempfile
import threading
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from ...exceptions import NotFound
from ..blobs import temp_prefix
from ..budget import memory
from ..media import open_image
from ..png_strips import STRIP_BYTES, WORKING_SET_FACTOR, reduced_png
from ..routing import Request, Response, router
from ..workspace import Workspace

logger = logging.getLogger(__name__)

# Longest side in pixels, and JPEG quality: about 5-10 KB for a photo, well under the 20 KB budget.
THUMBNAIL_SIDE = 160
THUMBNAIL_QUALITY = 70
# The largest image, in pixels, that gets a thumbnail: 20000 x 12500. Above it, the type icon.
THUMBNAIL_MAX_PIXELS = 250_000_000
# Thumbnails made at once, whatever their size: decoding is CPU-bound.
_MAKING = threading.BoundedSemaphore(4)


def thumbnail_path(ws: Workspace, digest: str) -> Path:
    return ws.blobs.root / "thumbs" / f"{THUMBNAIL_SIDE}px" / digest[:2] / f"{digest}.jpg"


class Undecodable(ValueError):
    """The bytes are not an image this store can make a thumbnail of; the message says why."""


def make_thumbnail(
    source: Path, side: int = THUMBNAIL_SIDE, quality: int = THUMBNAIL_QUALITY
) -> bytes | None:
    """A JPEG of the image at ``source``, at most ``side`` px on its longest side and upright as its EXIF
    orientation says; None when the file is not a decodable image. Raises FileNotFoundError if it is gone."""
    try:
        return render_thumbnail(source, side, quality)
    except Undecodable:
        return None


def render_thumbnail(source: Path, side: int = THUMBNAIL_SIDE, quality: int = THUMBNAIL_QUALITY) -> bytes:
    """``make_thumbnail``, raising ``Undecodable`` with the decoder's reason instead of returning None."""
    try:
        with open_image(source) as image:
            width, height = image.size
            if width * height > THUMBNAIL_MAX_PIXELS:
                raise Undecodable(
                    f"{width} x {height} pixels is over the {THUMBNAIL_MAX_PIXELS} that get a thumbnail"
                )
            # JPEG decodes straight at 1/2, 1/4 or 1/8 scale: a 12 MP photo costs a fraction of a full decode.
            image.draft("RGB", (side, side))
            strips = None
            if image.format == "PNG" and _decoded_bytes(image) > memory.limit:
                # A PNG too big to decode whole within the memory budget is decoded a strip at a time,
                # each shrunk at once (to twice the final size): slower, in a few MB.
                with _MAKING, memory.hold(STRIP_BYTES * WORKING_SET_FACTOR):
                    strips = reduced_png(source, max(1, max(width, height) // (2 * side)))
            if strips is not None:
                strips.thumbnail((side, side))
                small = _eight_bit_rgb(strips)
            else:
                # Other formats decode whole, then shrink by whole factors (reduce) before resampling; the
                # decoded image is held from the memory budget, and few are made at once.
                with _MAKING, memory.hold(_decoded_bytes(image)):
                    image.thumbnail((side, side), reducing_gap=2.0)
                small = _eight_bit_rgb(ImageOps.exif_transpose(image))
            buffer = io.BytesIO()
            small.save(buffer, format="JPEG", quality=quality, optimize=True)
    except (FileNotFoundError, Undecodable, MemoryError):
        raise
    except Exception as e:  # decoders of damaged files raise anything: NotImplementedError, TypeError...
        raise Undecodable(f"{type(e).__name__}: {e}") from None
    return buffer.getvalue()


def _decoded_bytes(image: Image.Image) -> int:
    """The memory the image takes once decoded at its (drafted) size: Pillow keeps a pixel in one byte
    for 8-bit single-band modes, two for 16-bit grey, and four for everything else (RGB included)."""
    width, height = image.size
    depth = 1 if image.mode in ("1", "L", "P") else 2 if image.mode.startswith("I;16") else 4
    return width * height * depth


def _eight_bit_rgb(image: Image.Image) -> Image.Image:
    """What JPEG can hold: 8-bit grey or RGB; transparency over white, deep greys stretched to 8 bits."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        values = np.asarray(image, dtype=np.float64)
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) * (255.0 / (high - low)) if high > low else np.zeros_like(values)
        return Image.fromarray(scaled.astype(np.uint8), mode="L")
    if "A" in image.mode or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _write_atomically(ws: Workspace, target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=ws.blobs.tmp_dir, prefix=temp_prefix("thumb"))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


@router.route("GET", "/items/{item_id}/thumbnail")
def get_thumbnail(ws: Workspace, req: Request, item_id: str) -> Response:
    gone = None
    while True:
        row = ws.db.execute("SELECT filename, mimetype, blob FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise NotFound(f"Item not found: no item has id {item_id!r}")
        filename, mimetype, digest = row["filename"], row["mimetype"], row["blob"]
        if not mimetype.startswith("image/"):
            raise NotFound(f"item {filename!r} is {mimetype}, not an image, so it has no thumbnail")
        path = thumbnail_path(ws, digest)
        broken = path.with_suffix(".broken")
        try:
            data: bytes | str = path.read_bytes()
            break
        except FileNotFoundError:
            pass
        try:
            data = _reason(broken) if broken.exists() else _make(ws, digest, path, broken, filename)
            break
        except FileNotFoundError:
            # Overwritten while we looked: the row, read again, names the new picture's blob.
            if digest == gone:
                raise NotFound(f"item {filename!r} no longer has its bytes; it was deleted") from None
            gone = digest
    if isinstance(data, str):
        raise NotFound(
            f"item {filename!r} ({mimetype}) cannot be decoded as an image ({data}), so it has no thumbnail"
        )
    headers = {"content-type": "image/jpeg", "content-length": str(len(data))}
    return Response(stream=iter([data]), headers=headers)


def _reason(broken: Path) -> str:
    return broken.read_text("utf-8", "replace") or "no reason recorded"


def _make(ws: Workspace, digest: str, path: Path, broken: Path, filename: str) -> bytes | str:
    """The thumbnail made and cached, or why it cannot be, written down in the ``.broken`` marker;
    FileNotFoundError when the blob went meanwhile (nothing is marked broken then)."""
    try:
        data = render_thumbnail(ws.blobs.path(digest))
    except Undecodable as e:
        reason = str(e)[:500]
        logger.warning("item %r: no thumbnail, its image cannot be decoded: %s", filename, reason)
        _write_atomically(ws, broken, reason.encode())
        return reason
    _write_atomically(ws, path, data)
    return data
