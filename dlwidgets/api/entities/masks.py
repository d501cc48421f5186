"""Binary masks as the platform stores them, and the few operations on them that need no OpenCV.

The platform keeps a mask (annotation type ``binary``) as an RGBA PNG in a ``data:image/png;base64,`` URL:
the label colour where the mask is set, alpha 255 there and 0 elsewhere; a pixel belongs to the mask
where alpha > 127. Runs (row, start, stop) describe a mask compactly, for drawing and for finding its
connected parts.
"""

from __future__ import annotations

import base64
import binascii
import io

import numpy as np
from PIL import Image, ImageDraw

PNG_DATA_URL = "data:image/png;base64,"


def mask_to_data_url(mask: np.ndarray, color: tuple[int, int, int] = (255, 255, 255)) -> str:
    """The PNG data URL of ``mask`` (values 0..1, or 0..max scaled to 0..1) painted in ``color``."""
    values = np.asarray(mask)
    on = values > 0
    top = values.max() if values.size else 0
    if values.dtype == bool or (top >= 1 and bool((values[on] == top).all())):
        # Each pixel is in or out: PIL's lookup tables paint it without a float image per channel.
        alpha = Image.fromarray(on.view(np.uint8) * np.uint8(255))
        channels = [alpha.point([v * c // 255 for v in range(256)]) for c in color[:3]]
        image = Image.merge("RGBA", [*channels, alpha])
    else:
        scale = values.astype(float) / (top if top > 1 else 1)
        rgba = np.stack([c * scale for c in (*color[:3], 255)], axis=2).astype(np.uint8)
        image = Image.fromarray(rgba, mode="RGBA")
    png = io.BytesIO()
    image.save(png, format="PNG")
    return PNG_DATA_URL + base64.b64encode(png.getvalue()).decode("ascii")


def data_url_image(coordinates: object) -> np.ndarray:
    """The pixels (H x W x channels) of a stored mask: a PNG data URL, or ``{"data": url}``."""
    url = coordinates.get("data") if isinstance(coordinates, dict) else coordinates
    if not isinstance(url, str) or not url.startswith(PNG_DATA_URL):
        raise ValueError(
            f"a binary mask is a {PNG_DATA_URL!r}... string (or {{'data': ...}}), got {coordinates!r:.80}"
        )
    try:
        with Image.open(io.BytesIO(base64.b64decode(url[len(PNG_DATA_URL) :], validate=True))) as png:
            return np.asarray(png.convert("RGBA"))
    except (binascii.Error, OSError, ValueError) as error:
        raise ValueError(f"the binary mask {url[:60]!r}... is not a base64 PNG: {error}") from None


def mask_of_image(rgba: np.ndarray) -> np.ndarray:
    """The mask (0./1. floats, as dtlpy gives it) of a stored mask's pixels: alpha above 127."""
    return (rgba[:, :, 3] > 127).astype(float)


def mask_runs(mask: np.ndarray) -> np.ndarray:
    """The set pixels of a 2-D mask as runs: an (n, 3) int array of (row, start column, stop column),
    row by row, left to right; ``stop`` is one past the last set pixel."""
    on = np.asarray(mask) > 0
    padded = np.zeros((on.shape[0], on.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = on
    rows, starts = np.nonzero(np.diff(padded, axis=1) == 1)
    _, stops = np.nonzero(np.diff(padded, axis=1) == -1)
    return np.stack([rows, starts, stops], axis=1).astype(np.int64)


def part_starts(mask: np.ndarray) -> list[tuple[int, int]]:
    """The first pixel (x, y), in raster order, of each 8-connected part of a mask."""
    runs = mask_runs(mask)
    parent = list(range(len(runs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_row: dict[int, list[int]] = {}
    for i, row in enumerate(runs[:, 0].tolist()):
        by_row.setdefault(row, []).append(i)
    for row, here in by_row.items():
        above = by_row.get(row - 1, [])
        j = 0
        for i in here:
            start, stop = runs[i, 1], runs[i, 2]
            # Runs in the row above that touch this one, diagonals included.
            while j < len(above) and runs[above[j], 2] < start:
                j += 1
            k = j
            while k < len(above) and runs[above[k], 1] <= stop:
                a, b = root(above[k]), root(i)
                parent[max(a, b)] = min(a, b)  # a part's root is its first run
                k += 1
    return [(int(runs[i, 1]), int(runs[i, 0])) for i in range(len(runs)) if root(i) == i]


def polygon_mask(geo: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A (height, width) uint8 mask with the polygon of (x, y) points ``geo`` filled with 1, its outline
    included, corners rounded down to whole pixels as dtlpy's ``Segmentation.from_polygon`` does."""
    canvas = Image.new("L", (int(shape[1]), int(shape[0])), 0)
    points = [(int(x), int(y)) for x, y in np.asarray(geo, dtype=float).astype(int).tolist()]
    if points:
        ImageDraw.Draw(canvas).polygon(points, fill=1, outline=1)
    return np.asarray(canvas, dtype=np.uint8)
