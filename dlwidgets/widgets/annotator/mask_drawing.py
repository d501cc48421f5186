"""Where a mask (``binary`` annotation) shows on the canvas: the rectangles, in canvas pixels, of the runs
of canvas pixels it covers.

The mask is sampled once per canvas pixel in view (the image pixel under each pixel's centre), so the
drawing costs what the canvas holds, not what the image holds: a 12 MP mask seen whole on an 800 px canvas
is a few hundred rows of runs. Its pixels come from the masks painted or decoded lately
(``models.mask_strokes.mask_of``): a mask just painted is drawn without decoding its PNG.
"""

from __future__ import annotations

import math

import numpy as np

from ..models.annotation_edits import Shape
from ..models.mask_strokes import mask_of, mask_url
from ..models.viewport import Viewport


def mask_covers(shape: Shape, x: float, y: float) -> bool:
    """Whether the mask of ``shape`` sets the image pixel under image point (x, y) (False for a PNG that
    cannot be read)."""
    try:
        mask = mask_of(mask_url(shape))
    except ValueError:
        return False
    column, row = math.floor(x), math.floor(y)
    if not (0 <= column < mask.width and 0 <= row < mask.height):
        return False
    return bool(mask.rows(np.array([row]))[0, column])


def _samples(count: int, offset: float, scale: float, size: int) -> tuple[int, np.ndarray]:
    """The first canvas pixel (along one axis) over the image, and the image pixel under the centre of it
    and each one after it that is still over the image (of ``size`` pixels), up to ``count`` pixels."""
    first = max(int(np.ceil(offset - 0.5)), 0)
    last = min(int(np.ceil(offset + size * scale - 0.5)), count)
    if last <= first:
        return first, np.zeros(0, dtype=np.intp)
    image = np.floor((np.arange(first, last) + 0.5 - offset) / scale).astype(np.intp)
    return first, np.clip(image, 0, size - 1)


def mask_rects(shape: Shape, viewport: Viewport) -> np.ndarray:
    """The mask of ``shape`` where the viewport shows it: an (n, 4) int16 array of (x, y, width, height)
    canvas rectangles, one per run of covered canvas pixels in a row of the image shown (none for a PNG
    that cannot be read: it is kept as stored, not drawn)."""
    try:
        mask = mask_of(mask_url(shape))
    except ValueError:
        return np.zeros((0, 4), dtype=np.int16)
    height, width = mask.height, mask.width
    x0, columns = _samples(viewport.canvas_width, viewport.offset_x, viewport.scale, width)
    y0, rows = _samples(viewport.canvas_height, viewport.offset_y, viewport.scale, height)
    if not len(columns) or not len(rows):
        return np.zeros((0, 4), dtype=np.int16)
    # Zoomed in, several canvas rows show one image row: its runs are measured once, as tall as those rows.
    shown, first, tall = np.unique(rows, return_index=True, return_counts=True)
    sampled = np.zeros((len(shown), len(columns) + 2), dtype=bool)
    sampled[:, 1:-1] = mask.rows(shown)[:, columns]
    # Where a row turns on or off: its runs' starts and stops, alternately.
    row, edge = np.nonzero(sampled[:, 1:] != sampled[:, :-1])
    row, start, stop = row[::2], edge[::2], edge[1::2]
    rects = np.stack([start + x0, first[row] + y0, stop - start, tall[row]], axis=1)
    return rects.astype(np.int16)
