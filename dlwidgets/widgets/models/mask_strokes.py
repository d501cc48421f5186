"""Brush and eraser strokes on a mask, and the mask kept as the platform's PNG while it is painted.

A stroke arrives once, when the pointer is released: its path (image pixels) and its radius. It covers the
pixels whose centre lies within the radius of the path (a round brush, as the browser paints it). A mask
(annotation type ``binary``) is stored as an RGBA PNG data URL (see ``dlwidgets.api`` ``Segmentation``);
encoding a 12 MP mask anew for every stroke takes most of a second, so ``PaintedMask`` keeps the PNG's
compressed data in bands of rows, each compressed on its own, and a stroke compresses again only the bands
it touched. The bands are joined into one zlib stream (each ends on a byte boundary, as a sync flush
leaves it), which any PNG reader decodes as usual.
"""

from __future__ import annotations

import base64
import math
import struct
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

import numpy as np

from ...api import Segmentation, data_url_image
from .annotation_edits import AnnotationEdits

TOOLS = ("brush", "eraser")
MAX_RADIUS = 1000.0
# A stroke's path may hold at most this many points (a minute of drawing at 120 moves a second is 7,200).
MAX_POINTS = 50_000
# Rows are compressed in bands of about this many bytes of raw RGBA (a stroke recompresses the bands it
# touches: smaller bands, less work per stroke, a little more overhead per band).
BAND_BYTES = 1 << 19
COMPRESS_LEVEL = 6
PNG_DATA_URL = "data:image/png;base64,"


@dataclass(frozen=True)
class Stroke:
    """One stroke of the brush (sets pixels) or the eraser (clears them): a path of (x, y) image points
    and the brush's radius in image pixels."""

    tool: str
    points: np.ndarray
    radius: float

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> Stroke:
        """The stroke a browser message describes: ``tool``, ``radius`` and ``points``, a flat list
        ``[x0, y0, x1, y1, ...]``. Raises ``ValueError`` naming the offending value."""
        tool = message.get("tool")
        if tool not in TOOLS:
            raise ValueError(f"a stroke's tool is one of {TOOLS}, got {tool!r}")
        radius = message.get("radius")
        if not _is_number(radius) or not 0 < radius <= MAX_RADIUS:
            raise ValueError(
                f"a stroke's radius is a number of image pixels in (0, {MAX_RADIUS:g}], got {radius!r}"
            )
        points = message.get("points")
        if (
            not isinstance(points, list)
            or not points
            or len(points) % 2
            or len(points) > 2 * MAX_POINTS
            or not all(_is_number(v) for v in points)
        ):
            raise ValueError(
                f"a stroke's points are a flat list [x0, y0, x1, y1, ...] of 1 to {MAX_POINTS} finite "
                f"(x, y) image points, got {_short(points)}"
            )
        return cls(tool, np.array(points, dtype=float).reshape(-1, 2), float(radius))


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def stroke_pixels(stroke: Stroke, width: int, height: int) -> tuple[int, int, np.ndarray] | None:
    """The pixels a stroke covers on a ``width`` x ``height`` image: (top, left, covered), ``covered`` a
    bool array of the rows and columns from (top, left) that the stroke reaches; None if it misses the
    image. A pixel is covered when its centre is within the radius of the path."""
    points, r = stroke.points, stroke.radius
    left = max(math.floor(points[:, 0].min() - r), 0)
    top = max(math.floor(points[:, 1].min() - r), 0)
    right = min(math.ceil(points[:, 0].max() + r), width)
    bottom = min(math.ceil(points[:, 1].max() + r), height)
    if right <= left or bottom <= top:
        return None
    covered = np.zeros((bottom - top, right - left), dtype=bool)
    starts = points if len(points) == 1 else points[:-1]
    ends = points if len(points) == 1 else points[1:]
    for (ax, ay), (bx, by) in zip(starts.tolist(), ends.tolist(), strict=True):
        # Only the pixels around this segment are measured against it.
        x0 = max(math.floor(min(ax, bx) - r), left)
        x1 = min(math.ceil(max(ax, bx) + r), right)
        y0 = max(math.floor(min(ay, by) - r), top)
        y1 = min(math.ceil(max(ay, by) + r), bottom)
        if x1 <= x0 or y1 <= y0:
            continue
        px = np.arange(x0, x1, dtype=float)[None, :] + 0.5 - ax
        py = np.arange(y0, y1, dtype=float)[:, None] + 0.5 - ay
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = np.clip((px * dx + py * dy) / length2, 0.0, 1.0) if length2 else 0.0
        near = (px - t * dx) ** 2 + (py - t * dy) ** 2 <= r * r
        covered[y0 - top : y1 - top, x0 - left : x1 - left] |= near
    return top, left, covered


def _adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings joined, from each one's Adler-32 and the second's length."""
    base = 65521
    rem = second_length % base
    sum1 = first & 0xFFFF
    sum2 = (rem * sum1) % base
    sum1 += (second & 0xFFFF) + base - 1
    sum2 += ((first >> 16) & 0xFFFF) + ((second >> 16) & 0xFFFF) + base - rem
    sum1 = sum1 - base if sum1 >= base else sum1
    sum1 = sum1 - base if sum1 >= base else sum1
    sum2 = sum2 - 2 * base if sum2 >= 2 * base else sum2
    sum2 = sum2 - base if sum2 >= base else sum2
    return sum1 | (sum2 << 16)


@dataclass(frozen=True)
class _Band:
    """One band of rows as the PNG holds them: deflated (ending on a sync flush), with the Adler-32 and
    the length of its raw bytes."""

    deflated: bytes
    adler: int
    length: int


_EMPTY_BANDS: dict[tuple[int, int], _Band] = {}


def _deflate(raw: bytes) -> _Band:
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    deflated = compressor.compress(raw) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return _Band(deflated, zlib.adler32(raw), len(raw))


def _band(pixels: np.ndarray, rows: int, index: int, color: tuple[int, ...]) -> _Band:
    """Band ``index`` (of ``rows`` rows each) of a mask's PNG in ``color``."""
    width = pixels.shape[1]
    band = pixels[index * rows : (index + 1) * rows]
    if not band.any():
        key = (width, len(band))
        if key not in _EMPTY_BANDS:
            _EMPTY_BANDS[key] = _deflate(bytes(len(band) * (4 * width + 1)))
        return _EMPTY_BANDS[key]
    raw = np.zeros((len(band), 4 * width + 1), dtype=np.uint8)  # each row: filter 0, then RGBA
    raw[:, 1:].reshape(len(band), width, 4)[band] = (*color, 255)
    return _deflate(raw.tobytes())


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class PaintedMask:
    """A mask (a (height, width) bool array, read-only) and its PNG data URL in ``color``, kept in step:
    ``painted(stroke)`` returns a new one and leaves this one as it was (undo goes back to it)."""

    def __init__(self, pixels: np.ndarray, color: Sequence[int], bands: list[_Band] | None = None) -> None:
        self.pixels = pixels
        self.pixels.setflags(write=False)
        self.color = tuple(int(c) for c in color[:3])
        height, width = pixels.shape
        self._rows = max(1, BAND_BYTES // (4 * width + 1))
        count = -(-height // self._rows)
        self._bands = bands or [_band(pixels, self._rows, k, self.color) for k in range(count)]
        self.url = self._encode()

    @classmethod
    def from_url(cls, url: str, color: Sequence[int]) -> PaintedMask:
        """A stored mask's PNG decoded; painted further in its own colour (``color`` if it is empty)."""
        rgba = data_url_image(url)
        pixels = rgba[:, :, 3] > 127
        first = np.argwhere(pixels)[:1]
        own = tuple(int(c) for c in rgba[first[0][0], first[0][1], :3]) if len(first) else tuple(color)
        return cls(pixels, own)

    def _encode(self) -> str:
        height, width = self.pixels.shape
        adler, deflated = 1, []
        for band in self._bands:
            adler = _adler32_combine(adler, band.adler, band.length)
            deflated.append(band.deflated)
        # zlib's header (deflate, 32 KB window), the bands, an empty final block, the Adler-32.
        stream = b"\x78\x9c" + b"".join(deflated) + b"\x03\x00" + struct.pack(">I", adler)
        png = (
            b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + _chunk(b"IDAT", stream)
            + _chunk(b"IEND", b"")
        )
        return PNG_DATA_URL + base64.b64encode(png).decode("ascii")

    def painted(self, stroke: Stroke) -> PaintedMask:
        """This mask with ``stroke`` applied (the brush sets pixels, the eraser clears them); itself if the
        stroke changes nothing."""
        height, width = self.pixels.shape
        found = stroke_pixels(stroke, width, height)
        if found is None:
            return self
        top, left, covered = found
        region = self.pixels[top : top + covered.shape[0], left : left + covered.shape[1]]
        changed = covered & ~region if stroke.tool == "brush" else covered & region
        if not changed.any():
            return self
        pixels = self.pixels.copy()
        pixels[top : top + covered.shape[0], left : left + covered.shape[1]] ^= changed
        touched = np.nonzero(changed.any(axis=1))[0]
        first, last = (top + int(touched[0])) // self._rows, (top + int(touched[-1])) // self._rows
        bands = list(self._bands)
        for index in range(first, last + 1):
            bands[index] = _band(pixels, self._rows, index, self.color)
        return PaintedMask(pixels, self.color, bands)


# Masks painted or decoded lately, by their PNG data URL: the next stroke on one (or its undo) starts
# from its pixels and bands, not from decoding its PNG. Bounded by pixels held (12 MP masks are 12 MB).
_PAINTED: OrderedDict[str, PaintedMask] = OrderedDict()
_PAINTED_PIXELS = 120_000_000


def remember(mask: PaintedMask) -> PaintedMask:
    """Keep ``mask`` for ``mask_of``; the least recently used go when too many pixels are held."""
    _PAINTED[mask.url] = mask
    _PAINTED.move_to_end(mask.url)
    while len(_PAINTED) > 1 and sum(m.pixels.size for m in _PAINTED.values()) > _PAINTED_PIXELS:
        _PAINTED.popitem(last=False)
    return mask


def mask_of(url: str, color: Sequence[int] = (255, 255, 255)) -> PaintedMask:
    """The mask whose PNG data URL is ``url``: as painted lately, or decoded now (and remembered)."""
    found = _PAINTED.get(url)
    if found is not None:
        _PAINTED.move_to_end(url)
        return found
    return remember(PaintedMask.from_url(url, color))


def empty_mask(width: int, height: int, color: Sequence[int]) -> PaintedMask:
    """An empty ``width`` x ``height`` mask to paint in ``color``."""
    return PaintedMask(np.zeros((height, width), dtype=bool), color)


def target_mask(edits: AnnotationEdits, label: str | None, selected: int | None = None) -> int | None:
    """The mask a stroke paints into, as a user expects: the selected mask, else the topmost mask of
    ``label`` on the item; None if there is neither."""
    if selected is not None and selected in edits and edits.shape(selected).get("type") == "binary":
        return selected
    for key in reversed(edits.keys()):
        shape = edits.shape(key)
        if shape.get("type") == "binary" and shape.get("label") == label:
            return key
    return None


def apply_stroke(
    edits: AnnotationEdits, stroke: Stroke, label: str, color: str, selected: int | None = None
) -> int | None:
    """Paint ``stroke`` into ``target_mask``; a brush stroke with no mask to paint into starts a new mask
    of ``label`` painted in ``color`` ("#rrggbb"). One step of undo. Returns the mask's key, or None if
    the stroke changed nothing (an eraser with no mask, a stroke outside the image)."""
    key = target_mask(edits, label, selected)
    rgb = tuple(int(color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    if key is None:
        if stroke.tool != "brush":
            return None
        before = empty_mask(edits.width, edits.height, rgb)
    else:
        coordinates = edits.shape(key)["coordinates"]
        url = coordinates.get("data") if isinstance(coordinates, dict) else coordinates
        before = mask_of(str(url), rgb)
    after = before.painted(stroke)
    if after is before:
        return None
    remember(after)
    if key is None:
        return edits.add(Segmentation.from_coordinates(after.url, label, {}))
    edits.set_coordinates(key, after.url)
    return key
