"""Masks drawn at the canvas's resolution: each canvas pixel shows the image pixel under its centre, and a
12 MP mask seen whole costs rectangles by the canvas's rows, not the image's."""

from __future__ import annotations

import numpy as np
import pytest

from dlwidgets.api.entities.masks import mask_to_data_url
from dlwidgets.widgets.annotator.mask_drawing import mask_rects
from dlwidgets.widgets.models.viewport import Viewport


def shown(rects: np.ndarray, width: int, height: int) -> np.ndarray:
    canvas = np.zeros((height, width), dtype=bool)
    for x, y, w, h in rects.tolist():
        canvas[y : y + h, x : x + w] = True
    return canvas


def expected(mask: np.ndarray, view: Viewport) -> np.ndarray:
    """Each canvas pixel over the image shows the mask pixel under its centre."""
    ys, xs = np.mgrid[0 : view.canvas_height, 0 : view.canvas_width] + 0.5
    column = np.floor((xs - view.offset_x) / view.scale).astype(int)
    row = np.floor((ys - view.offset_y) / view.scale).astype(int)
    inside = (column >= 0) & (column < mask.shape[1]) & (row >= 0) & (row < mask.shape[0])
    return inside & mask[row.clip(0, mask.shape[0] - 1), column.clip(0, mask.shape[1] - 1)]


@pytest.mark.parametrize("zoom", [None, 3.0, 0.37])
def test_each_canvas_pixel_shows_the_mask_pixel_under_it(zoom: float | None) -> None:
    rng = np.random.default_rng(5)
    mask = np.zeros((300, 400), dtype=bool)
    for _ in range(30):
        x, y, r = rng.integers(0, 400), rng.integers(0, 300), rng.integers(3, 40)
        yy, xx = np.ogrid[:300, :400]
        mask ^= (xx - x) ** 2 + (yy - y) ** 2 < r * r
    view = Viewport(640, 480)
    view.fit(400, 300)
    if zoom is not None:
        view.zoom(zoom, 200.3, 150.7)
    rects = mask_rects({"type": "binary", "coordinates": mask_to_data_url(mask)}, view)
    assert rects.dtype == np.int16
    assert (shown(rects, 640, 480) == expected(mask, view)).all()


def test_a_12_mp_mask_seen_whole_is_bounded_by_the_canvas() -> None:
    mask = np.zeros((3000, 4000), dtype=bool)
    yy, xx = np.ogrid[:3000, :4000]
    mask |= (xx - 2000) ** 2 + (yy - 1500) ** 2 < 1400**2
    mask[::7] = False  # thin gaps on every seventh row: 3,000 image rows of runs
    view = Viewport(800, 600)
    view.fit(4000, 3000)
    rects = mask_rects({"type": "binary", "coordinates": {"data": mask_to_data_url(mask)}}, view)
    assert len(rects) <= 2 * 600
    assert (shown(rects, 800, 600) == expected(mask, view)).all()
