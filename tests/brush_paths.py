"""The pixels a brush stroke should cover, measured one by one (the tests' reference for strokes)."""

from __future__ import annotations

import itertools

import numpy as np


def covered_by(points: list[tuple[float, float]], radius: float, width: int, height: int) -> np.ndarray:
    """The (height, width) pixels whose centre is within ``radius`` of the path through ``points``."""
    ys, xs = np.mgrid[0:height, 0:width] + 0.5
    best = np.full((height, width), np.inf)
    pairs = list(itertools.pairwise(points)) or [(points[0], points[0])]
    for (ax, ay), (bx, by) in pairs:
        dx, dy = bx - ax, by - ay
        t = np.clip(((xs - ax) * dx + (ys - ay) * dy) / (dx * dx + dy * dy or 1), 0, 1)
        best = np.minimum(best, np.hypot(xs - ax - t * dx, ys - ay - t * dy))
    return best <= radius
