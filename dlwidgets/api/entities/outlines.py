"""The outlines of a mask's parts as polygons, as dtlpy's ``Polygon.from_segmentation`` finds them with
OpenCV: each 8-connected part's outer boundary pixels (Moore-neighbour tracing), simplified by
Douglas-Peucker to within ``epsilon`` pixels. Holes are not traced."""

from __future__ import annotations

import math

import numpy as np

from .masks import part_starts

# The 8 neighbours clockwise on screen (y down), starting west.
_AROUND = ((-1, 0), (-1, -1), (0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1))
_INDEX = {offset: i for i, offset in enumerate(_AROUND)}


def trace_outline(on: np.ndarray, x: int, y: int) -> np.ndarray:
    """The boundary pixels (x, y) of the 8-connected part whose first pixel in raster order is (x, y),
    from it downwards first (anticlockwise on screen), as OpenCV orders an outer contour."""
    height, width = on.shape
    start = (x, y)
    outline = [start]
    current, back = start, 0  # the pixel west of the first one is out
    second = None
    while True:
        for turn in range(1, 9):
            d = (back + turn) % 8
            nx, ny = current[0] + _AROUND[d][0], current[1] + _AROUND[d][1]
            if 0 <= nx < width and 0 <= ny < height and on[ny, nx]:
                break
        else:
            return np.array(outline)  # a part of one pixel
        # The last neighbour found out is where the search around the next pixel starts.
        ox, oy = _AROUND[(d - 1) % 8]
        back = _INDEX[(current[0] + ox - nx, current[1] + oy - ny)]
        if current == start and (nx, ny) == second:
            ring = np.array(outline[:-1])
            return np.concatenate([ring[:1], ring[:0:-1]])
        second = second or (nx, ny)
        outline.append((nx, ny))
        current = (nx, ny)


def ring_area(ring: np.ndarray) -> float:
    """The area enclosed by a closed ring of points (0 for a line or a single pixel)."""
    x, y = ring[:, 0].astype(float), ring[:, 1].astype(float)
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2


def ring_length(ring: np.ndarray) -> float:
    """The perimeter of a closed ring of points."""
    steps = np.diff(np.concatenate([ring, ring[:1]]).astype(float), axis=0)
    return float(np.hypot(steps[:, 0], steps[:, 1]).sum())


def _simplify(points: np.ndarray, epsilon: float) -> np.ndarray:
    """Douglas-Peucker on an open chain; its ends stay."""
    if len(points) < 3:
        return points
    a, ab = points[0].astype(float), (points[-1] - points[0]).astype(float)
    rel = points[1:-1] - a
    length = math.hypot(ab[0], ab[1])
    if length:
        dist = np.abs(ab[0] * rel[:, 1] - ab[1] * rel[:, 0]) / length
    else:
        dist = np.hypot(rel[:, 0], rel[:, 1])
    i = int(np.argmax(dist))
    if dist[i] <= epsilon:
        return points[[0, -1]]
    return np.concatenate([_simplify(points[: i + 2], epsilon)[:-1], _simplify(points[i + 1 :], epsilon)])


def simplify_ring(ring: np.ndarray, epsilon: float) -> np.ndarray:
    """Douglas-Peucker on a closed ring, split at its first point and the point farthest from it."""
    if len(ring) < 3:
        return ring
    far = int(np.argmax(np.hypot(*(ring - ring[0]).T.astype(float))))
    there = _simplify(ring[: far + 1], epsilon)
    back = _simplify(np.concatenate([ring[far:], ring[:1]]), epsilon)
    return np.concatenate([there[:-1], back[:-1]])


def outlines(on: np.ndarray) -> list[np.ndarray]:
    """The boundary pixels of each 8-connected part of a boolean mask, in raster order of their parts."""
    return [trace_outline(on, x, y) for x, y in part_starts(on)]
