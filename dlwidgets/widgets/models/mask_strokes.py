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
from collections.abc import Mapping, Sequence
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
# Painted bands are compressed fast (a stroke waits for them); the empty band, made once, compactly.
PAINTED_LEVEL = 1
EMPTY_LEVEL = 9
PNG_DATA_URL = "data:image/png;base64,"
# A mask's colour when its label has none, as dtlpy paints it then.
WHITE = (255, 255, 255)


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
    image. A pixel is covered when its centre is within the radius of the path.

    Each segment of the path covers a capsule (a round-ended band), which meets each row's line of pixel
    centres in one interval: the intervals of all segments and rows are found at once and filled."""
    points, r = stroke.points, stroke.radius
    left = max(math.floor(points[:, 0].min() - r), 0)
    top = max(math.floor(points[:, 1].min() - r), 0)
    right = min(math.ceil(points[:, 0].max() + r), width)
    bottom = min(math.ceil(points[:, 1].max() + r), height)
    if right <= left or bottom <= top:
        return None
    a = points if len(points) == 1 else points[:-1]
    b = points if len(points) == 1 else points[1:]
    # One (segment, row) pair for each row of pixels a segment may reach.
    first = np.clip(np.floor(np.minimum(a[:, 1], b[:, 1]) - r), top, bottom).astype(np.intp)
    last = np.clip(np.ceil(np.maximum(a[:, 1], b[:, 1]) + r), top, bottom).astype(np.intp)
    counts = last - first
    segment = np.repeat(np.arange(len(a)), counts)
    row = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + first[segment]
    ax, ay, bx, by = a[segment, 0], a[segment, 1], b[segment, 0], b[segment, 1]
    y = row + 0.5
    low, high = _disc_span(ax, ay - y, r)
    low_b, high_b = _disc_span(bx, by - y, r)
    low, high = np.fmin(low, low_b), np.fmax(high, high_b)
    # The band between the ends: 0 <= (p - a).u <= length and |(p - a).n| <= r, for p = (x, y).
    length = np.hypot(bx - ax, by - ay)
    with np.errstate(divide="ignore", invalid="ignore"):
        ux, uy = (bx - ax) / length, (by - ay) / length
        along = _line_span(ux, (y - ay) * uy - ux * ax, 0.0, length)
        across = _line_span(-uy, (y - ay) * ux + uy * ax, -r, r)
    band_low, band_high = np.maximum(along[0], across[0]), np.minimum(along[1], across[1])  # NaN: none
    has_band = (length > 0) & (band_low <= band_high)
    low = np.where(has_band, np.fmin(low, band_low), low)
    high = np.where(has_band, np.fmax(high, band_high), high)
    # Pixel j is covered when its centre j + 0.5 lies in [low, high] (rows a segment misses: none).
    missed = np.isnan(low)
    low[missed], high[missed] = np.inf, -np.inf
    start = np.clip(np.ceil(low - 0.5), left, right).astype(np.intp)
    stop = np.clip(np.floor(high - 0.5) + 1, left, right).astype(np.intp)
    seen = start < stop
    # +1 where each interval starts and -1 past its end, summed along the rows: > 0 inside any of them.
    shape = (bottom - top, right - left + 1)
    offset = (row[seen] - top) * shape[1] - left
    size = shape[0] * shape[1]
    starts, stops = offset + start[seen], offset + stop[seen]
    edges = np.bincount(starts, minlength=size) - np.bincount(stops, minlength=size)
    return top, left, np.cumsum(edges.reshape(shape), axis=1)[:, :-1] > 0


def _disc_span(cx: np.ndarray, dy: np.ndarray, r: float) -> tuple[np.ndarray, np.ndarray]:
    """Where a line meets discs of radius ``r`` centred ``dy`` from it at x = ``cx`` (NaN: it misses)."""
    half = np.sqrt(np.where(dy * dy <= r * r, r * r - dy * dy, np.nan))
    return cx - half, cx + half


def _line_span(
    slope: np.ndarray, offset: np.ndarray, low: float, high: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """The x where ``low <= slope * x + offset <= high``: every x, none (NaN) or an interval."""
    x_low, x_high = (low - offset) / slope, (high - offset) / slope
    flat = slope == 0
    inside = (offset >= low) & (offset <= high)
    lo = np.where(flat, np.where(inside, -np.inf, np.nan), np.fmin(x_low, x_high))
    hi = np.where(flat, np.where(inside, np.inf, np.nan), np.fmax(x_low, x_high))
    return lo, hi


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


def band_rows(width: int) -> int:
    """How many rows of a ``width`` pixels wide mask make one band."""
    return max(1, BAND_BYTES // (4 * width + 1))


@dataclass(frozen=True)
class _Band:
    """One band of rows as the PNG holds them: deflated (ending on a sync flush), with the Adler-32 and
    the length of its raw bytes."""

    deflated: bytes
    adler: int
    length: int


_EMPTY_BANDS: dict[tuple[int, int], _Band] = {}


def _deflate(raw: bytes, level: int = PAINTED_LEVEL) -> _Band:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    deflated = compressor.compress(raw) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return _Band(deflated, zlib.adler32(raw), len(raw))


def _band(rows: np.ndarray, color: tuple[int, ...]) -> _Band:
    """A band of a mask's rows as its PNG holds them, in ``color``."""
    height, width = rows.shape
    if not rows.any():
        key = (width, height)
        if key not in _EMPTY_BANDS:
            _EMPTY_BANDS[key] = _deflate(bytes(height * (4 * width + 1)), EMPTY_LEVEL)
        return _EMPTY_BANDS[key]
    raw = np.zeros((height, 4 * width + 1), dtype=np.uint8)  # each row: filter 0, then RGBA
    raw[:, 1:].reshape(height, width, 4)[rows] = (*color, 255)
    return _deflate(raw.tobytes())


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class PaintedMask:
    """A mask and its PNG data URL in ``color``, kept in step: ``painted(stroke)`` returns a new one and
    leaves this one as it was (undo goes back to it). Its pixels are held in bands of rows, read-only, that
    a painted mask shares with the one it came from where the stroke did not reach."""

    def __init__(
        self,
        pixels: np.ndarray | list[np.ndarray],
        color: Sequence[int],
        bands: list[_Band] | None = None,
        url: str | None = None,
    ) -> None:
        """``pixels``: the (height, width) mask, or its bands of rows (as ``band_rows`` cuts them)."""
        if isinstance(pixels, np.ndarray):
            rows = band_rows(pixels.shape[1])
            pixels = [pixels[top : top + rows] for top in range(0, pixels.shape[0], rows)]
        for band in pixels:
            band.setflags(write=False)
        self._pixels = pixels
        self.width = pixels[0].shape[1]
        self.height = sum(len(band) for band in pixels)
        self._rows = band_rows(self.width)
        self.color = tuple(int(c) for c in color[:3])
        # A mask decoded from its PNG (``url``) is compressed in bands only when first painted.
        self._bands = bands
        self.url = url if url is not None else self._encode()

    @property
    def pixels(self) -> np.ndarray:
        """The whole (height, width) mask (a copy: ``rows`` reads a few rows without one)."""
        return np.concatenate(self._pixels)

    def rows(self, indices: np.ndarray) -> np.ndarray:
        """The rows ``indices`` of the mask, in that order (each (width,) bool)."""
        out = np.empty((len(indices), self.width), dtype=bool)
        bands = indices // self._rows
        for band in np.unique(bands).tolist():
            here = bands == band
            out[here] = self._pixels[band][indices[here] - band * self._rows]
        return out

    @property
    def bands(self) -> list[_Band]:
        if self._bands is None:
            self._bands = [_band(rows, self.color) for rows in self._pixels]
        return self._bands

    @classmethod
    def from_url(cls, url: str, color: Sequence[int]) -> PaintedMask:
        """A stored mask's PNG decoded; painted further in its own colour (``color`` if it is empty)."""
        rgba = data_url_image(url)
        pixels = rgba[:, :, 3] > 127
        first = np.argwhere(pixels)[:1]
        own = tuple(int(c) for c in rgba[first[0][0], first[0][1], :3]) if len(first) else tuple(color)
        return cls(pixels, own, url=url)

    def _encode(self) -> str:
        adler, deflated = 1, []
        for band in self.bands:
            adler = _adler32_combine(adler, band.adler, band.length)
            deflated.append(band.deflated)
        # zlib's header (deflate, 32 KB window), the bands, an empty final block, the Adler-32.
        stream = b"\x78\x9c" + b"".join(deflated) + b"\x03\x00" + struct.pack(">I", adler)
        png = (
            b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", self.width, self.height, 8, 6, 0, 0, 0))
            + _chunk(b"IDAT", stream)
            + _chunk(b"IEND", b"")
        )
        return PNG_DATA_URL + base64.b64encode(png).decode("ascii")

    def in_color(self, color: Sequence[int]) -> PaintedMask:
        """The same pixels in ``color`` (a new PNG); itself if it is that colour already."""
        if self.color == tuple(int(c) for c in color[:3]):
            return self
        return PaintedMask(self._pixels, color)

    def painted(self, stroke: Stroke) -> PaintedMask:
        """This mask with ``stroke`` applied (the brush sets pixels, the eraser clears them); itself if the
        stroke changes nothing. Only the bands of rows the stroke reaches are copied and compressed."""
        found = stroke_pixels(stroke, self.width, self.height)
        if found is None:
            return self
        top, left, covered = found
        right = left + covered.shape[1]
        pixels, bands, changed = list(self._pixels), list(self.bands), False
        for index in range(top // self._rows, (top + len(covered) - 1) // self._rows + 1):
            start = index * self._rows
            band = self._pixels[index]
            # The stroke's rows within this band, and the band's rows the stroke covers.
            first, last = max(top, start), min(top + len(covered), start + len(band))
            here = covered[first - top : last - top]
            region = band[first - start : last - start, left:right]
            flip = here & ~region if stroke.tool == "brush" else here & region
            if not flip.any():
                continue
            band = band.copy()
            band[first - start : last - start, left:right] ^= flip
            pixels[index], bands[index], changed = band, _band(band, self.color), True
        return PaintedMask(pixels, self.color, bands) if changed else self


# Masks painted or decoded lately, by their PNG data URL: the next stroke on one (or its undo) starts
# from its pixels and bands, not from decoding its PNG. Bounded by pixels held (12 MP masks are 12 MB).
_PAINTED: OrderedDict[str, PaintedMask] = OrderedDict()
_PAINTED_PIXELS = 120_000_000


def remember(mask: PaintedMask) -> PaintedMask:
    """Keep ``mask`` for ``mask_of``; the least recently used go when too many pixels are held."""
    _PAINTED[mask.url] = mask
    _PAINTED.move_to_end(mask.url)
    while len(_PAINTED) > 1 and sum(m.width * m.height for m in _PAINTED.values()) > _PAINTED_PIXELS:
        _PAINTED.popitem(last=False)
    return mask


def mask_url(shape: dict[str, Any]) -> str:
    """A ``binary`` shape's PNG data URL (stored as the string, or as ``{"data": url}``)."""
    coordinates = shape.get("coordinates")
    return str(coordinates.get("data") if isinstance(coordinates, dict) else coordinates)


def mask_of(url: str, color: Sequence[int] = WHITE) -> PaintedMask:
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
    edits: AnnotationEdits,
    stroke: Stroke,
    label: str,
    colors: Mapping[str, str],
    selected: int | None = None,
) -> int | None:
    """Paint ``stroke`` into ``target_mask``; a brush stroke with no mask to paint into starts a new mask
    of ``label``. The mask is painted in its label's colour of ``colors`` ({label: "#rrggbb"}), the whole
    of it, as dtlpy writes a mask; a mask whose label has none keeps its own colour (white for a new one).
    One step of undo. Returns the mask's key, or None if the stroke changed nothing (an eraser with no
    mask, a stroke outside the image)."""
    key = target_mask(edits, label, selected)
    mask_label = label if key is None else edits.shape(key).get("label")
    color = colors.get(mask_label or "")
    rgb = _rgb(color) if color is not None else None
    if key is None:
        if stroke.tool != "brush":
            return None
        before = empty_mask(edits.width, edits.height, rgb or WHITE)
    else:
        before = mask_of(mask_url(edits.shape(key)), rgb or WHITE)
        before = before if rgb is None else before.in_color(rgb)
    after = before.painted(stroke)
    if after is before:
        return None
    remember(after)
    if key is None:
        return edits.add(Segmentation.from_coordinates(after.url, label, {}))
    edits.set_coordinates(key, after.url)
    return key


def relabel(edits: AnnotationEdits, key: int, label: str, color: str | None) -> None:
    """Give shape ``key`` ``label``, one step of undo. A mask's PNG is painted anew in the label's colour
    ``color`` ("#rrggbb"), as dtlpy encodes a mask in its label's colour when it writes one; a mask whose
    label has no colour of that form keeps its own."""
    shape = edits.shape(key)
    rgb = _rgb(color) if color is not None else None
    if shape.get("type") != "binary" or rgb is None:
        edits.set_label(key, label)
        return
    try:
        before = mask_of(mask_url(shape), rgb)
    except ValueError:  # a PNG that cannot be read is kept as stored
        edits.set_label(key, label)
        return
    after = remember(before.in_color(rgb))
    edits.set_label(key, label, None if after is before else after.url)


def _rgb(color: str) -> tuple[int, int, int] | None:
    """``(r, g, b)`` of a "#rrggbb" colour; None for a colour written otherwise."""
    if len(color) != 7 or not color.startswith("#"):
        return None
    try:
        return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)
    except ValueError:
        return None
