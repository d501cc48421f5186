"""Where each stored shape lies on the canvas, for the Annotator to draw and hit-test.

The geometries below hold image pixels (``image_geometry``) or canvas pixels (``canvas_geometry``).

From a shape's platform JSON (image pixels, in dtlpy's layouts) and a ``Viewport``: polygons and polylines
as contours (several contours of one polygon are its outline and holes, to be filled even-odd), a box as
its four corners turned about its centre by its angle, an ellipse as centre, radii and rotation, a point
as one point, a mask as runs of pixels and the canvas rectangles covering them. Angles turn the way the
canvas's ``rotate`` does: clockwise on screen, as y grows downwards.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np

from ...api import data_url_image, mask_runs
from .annotation_edits import Shape, box_angle
from .viewport import Viewport


@dataclass(frozen=True)
class Contours:
    """Closed polygons (``closed``) or open lines: each contour an (n, 2) float array of points."""

    contours: tuple[np.ndarray, ...]
    closed: bool


@dataclass(frozen=True)
class EllipseGeometry:
    """An ellipse's centre and radii, and its rotation in radians."""

    x: float
    y: float
    rx: float
    ry: float
    rotation: float


@dataclass(frozen=True)
class PointGeometry:
    x: float
    y: float


@dataclass(frozen=True)
class MaskGeometry:
    """A mask as runs of image pixels, (row, start, stop) each, and the rectangles (x, y, width, height)
    that cover them: one rectangle a run."""

    runs: np.ndarray
    rects: np.ndarray


Geometry = Contours | EllipseGeometry | PointGeometry | MaskGeometry

# An ellipse is drawn as a polygon of this many sides: smooth at any size the canvas shows.
ELLIPSE_SIDES = 48

# The types the Annotator edits; it shows the others "view only" and keeps them as stored on save.
EDITABLE_TYPES = frozenset({"box", "point", "class", "binary", "segment", "polyline", "ellipse"})


def is_view_only(shape: Shape) -> bool:
    """Whether the Annotator shows ``shape`` without editing it (masks, cuboids, ...)."""
    return shape.get("type") not in EDITABLE_TYPES


def box_corners(shape: Shape) -> np.ndarray:
    """A box's four corners in image pixels, top-left, top-right, bottom-right, bottom-left before
    turning, turned about the centre by its angle (``box_angle``)."""
    (p0, p1) = shape["coordinates"][:2]
    left, right = sorted((float(p0["x"]), float(p1["x"])))
    top, bottom = sorted((float(p0["y"]), float(p1["y"])))
    corners = np.array([[left, top], [right, top], [right, bottom], [left, bottom]])
    angle = box_angle(shape)
    if not angle:
        return corners
    centre = np.array([(left + right) / 2, (top + bottom) / 2])
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    turn = np.array([[c, -s], [s, c]])
    return (corners - centre) @ turn.T + centre


def ellipse_ring(ellipse: EllipseGeometry, sides: int = ELLIPSE_SIDES) -> np.ndarray:
    """An ellipse's outline as a polygon, turned by its rotation."""
    t = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    x, y = ellipse.rx * np.cos(t), ellipse.ry * np.sin(t)
    c, s = np.cos(ellipse.rotation), np.sin(ellipse.rotation)
    return np.stack([ellipse.x + x * c - y * s, ellipse.y + x * s + y * c], axis=1)


def _contours(coordinates: Any) -> list[np.ndarray]:
    """A stored polygon's or polyline's contours: ``[[{x, y}, ...], ...]`` or one flat ``[{x, y}, ...]``."""
    rings = coordinates if coordinates and isinstance(coordinates[0], list) else [coordinates]
    xy = itemgetter("x", "y")
    return [
        np.fromiter(chain.from_iterable(map(xy, ring)), dtype=float, count=2 * len(ring)).reshape(-1, 2)
        for ring in rings
        if ring
    ]


@lru_cache(maxsize=32)
def _runs_of(url: str) -> np.ndarray:
    """A stored mask's runs, decoded once per PNG (a redraw on every zoom or pan must not decode again)."""
    runs = mask_runs(data_url_image(url)[:, :, 3] > 127)
    runs.setflags(write=False)
    return runs


def image_geometry(shape: Shape) -> Geometry | None:
    """The shape in image pixels; None for a classification or a type with no geometry to draw."""
    kind = shape.get("type")
    coordinates: Any = shape.get("coordinates")
    if kind in ("segment", "polyline"):
        return Contours(tuple(_contours(coordinates)), closed=kind == "segment")
    if kind == "box":
        return Contours((box_corners(shape),), closed=True)
    if kind == "ellipse":
        centre = coordinates["center"]
        rotation = math.radians(coordinates["angle"])
        return EllipseGeometry(centre["x"], centre["y"], coordinates["rx"], coordinates["ry"], rotation)
    if kind == "point":
        return PointGeometry(coordinates["x"], coordinates["y"])
    if kind == "binary":
        url = coordinates.get("data") if isinstance(coordinates, dict) else coordinates
        runs = _runs_of(url)
        rects = np.stack([runs[:, 1], runs[:, 0], runs[:, 2] - runs[:, 1], np.ones(len(runs))], axis=1)
        return MaskGeometry(runs, rects.astype(float))
    return None


def canvas_geometry(shape: Shape, viewport: Viewport) -> Geometry | None:
    """The shape where the viewport shows it, in canvas pixels."""
    found = image_geometry(shape)
    scale, dx, dy = viewport.scale, viewport.offset_x, viewport.offset_y
    offset = np.array([dx, dy])
    if isinstance(found, Contours):
        return Contours(tuple(c * scale + offset for c in found.contours), found.closed)
    if isinstance(found, EllipseGeometry):
        x, y = viewport.to_canvas(found.x, found.y)
        return EllipseGeometry(x, y, found.rx * scale, found.ry * scale, found.rotation)
    if isinstance(found, PointGeometry):
        return PointGeometry(*viewport.to_canvas(found.x, found.y))
    if isinstance(found, MaskGeometry):
        return MaskGeometry(found.runs, found.rects * scale + np.array([dx, dy, 0, 0]))
    return None


def batched(contours: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Many contours as one drawing call takes them: all points as whole canvas pixels in int16, and the
    number of points of each contour (ipycanvas's ``points_per_polygon``)."""
    counts = np.array([len(c) for c in contours], dtype=np.int64)
    if not len(counts):
        return np.zeros((0, 2), dtype=np.int16), counts
    limit = np.iinfo(np.int16)
    points = np.clip(np.rint(np.concatenate(contours)), limit.min, limit.max).astype(np.int16)
    return points, counts
