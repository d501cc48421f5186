"""Editing the vector shapes' stored coordinates (image pixels, in dtlpy's layouts): a polygon's or
polyline's vertices dragged, added and deleted, any shape moved, a box or ellipse turned, an ellipse's
radii dragged, a turned box resized; and finding which of a selected shape's handles, or which shape, lies
under a point.

Each edit returns new coordinates for ``AnnotationEdits.set_coordinates``; nothing here changes a shape in
place. A polygon's contours are its outline (``ring`` 0) and its holes (1, 2, ...): the vertices of each
are edited alike. Angles are degrees, turning clockwise on screen (y grows downwards), as dtlpy stores
them and the canvas draws them.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .annotation_edits import Shape, box_angle, box_edges, handle_points
from .shape_geometry import EllipseGeometry, box_corners, ellipse_ring, image_geometry

# The fewest vertices a polygon and a polyline keep when one is deleted.
MIN_VERTICES = {"segment": 3, "polyline": 2}
VERTEX_TYPES = frozenset(MIN_VERTICES)
# The shapes with a rotation handle, this many canvas pixels above their top edge.
TURNING_TYPES = frozenset({"box", "ellipse"})
ROTATION_HANDLE_PX = 24.0
# The smallest radius an ellipse's radius handle leaves it, in image pixels.
MIN_RADIUS = 1.0
# The shapes found by ``contains`` (boxes and points are found by ``AnnotationEdits.hit``).
AREA_TYPES = VERTEX_TYPES | {"ellipse"}

Point = tuple[float, float]


def _rings(shape: Shape) -> list[list[dict[str, Any]]]:
    coordinates = shape["coordinates"]
    return coordinates if coordinates and isinstance(coordinates[0], list) else [coordinates]


def vertices(shape: Shape, ring: int = 0) -> np.ndarray:
    """A polygon's outline (or its hole ``ring``) or a polyline's points, an (n, 2) array."""
    contour = _rings(shape)[ring]
    return np.array([[p["x"], p["y"]] for p in contour], dtype=float).reshape(-1, 2)


def ring_count(shape: Shape) -> int:
    """How many contours a polygon has (its outline and its holes); a polyline has one."""
    return len(_rings(shape)) if shape["type"] == "segment" else 1


def _with_ring(shape: Shape, ring: int, points: list[Point]) -> list[list[dict[str, float]]]:
    """The shape's coordinates with contour ``ring`` replaced by ``points``; the others kept."""
    rings = copy.deepcopy(_rings(shape))
    rings[ring] = [{"x": float(x), "y": float(y)} for x, y in points]
    return rings


def _clamped(point: Point, width: float, height: float) -> Point:
    return min(max(point[0], 0.0), width), min(max(point[1], 0.0), height)


def _points(shape: Shape, ring: int) -> list[Point]:
    return [(float(x), float(y)) for x, y in vertices(shape, ring)]


def with_vertex_moved(shape: Shape, index: int, to: Point, width: float, height: float, ring: int = 0) -> Any:
    """Vertex ``index`` of contour ``ring`` moved to image point ``to`` (kept inside the image)."""
    points = _points(shape, ring)
    points[index] = _clamped(to, width, height)
    return _with_ring(shape, ring, points)


def with_vertex_added(shape: Shape, after: int, at: Point, width: float, height: float, ring: int = 0) -> Any:
    """A new vertex at image point ``at``, on contour ``ring``'s edge from vertex ``after`` to the next."""
    points = _points(shape, ring)
    points.insert(after + 1, _clamped(at, width, height))
    return _with_ring(shape, ring, points)


def with_vertex_deleted(shape: Shape, index: int, ring: int = 0) -> Any | None:
    """Vertex ``index`` of contour ``ring`` removed; None when the contour would be left with too few (3
    for a polygon or a hole, 2 for a polyline)."""
    points = _points(shape, ring)
    if len(points) <= MIN_VERTICES[shape["type"]]:
        return None
    del points[index]
    return _with_ring(shape, ring, points)


def bounds(shape: Shape) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a polygon, polyline or ellipse, in image pixels."""
    if shape["type"] == "ellipse":
        c = shape["coordinates"]
        rad = math.radians(c["angle"])
        half_x = math.hypot(c["rx"] * math.cos(rad), c["ry"] * math.sin(rad))
        half_y = math.hypot(c["rx"] * math.sin(rad), c["ry"] * math.cos(rad))
        x, y = c["center"]["x"], c["center"]["y"]
        return x - half_x, y - half_y, x + half_x, y + half_y
    points = np.concatenate([vertices({"coordinates": [ring]}) for ring in _rings(shape)])
    return (*points.min(axis=0).tolist(), *points.max(axis=0).tolist())


def translated(shape: Shape, dx: float, dy: float, width: float, height: float) -> Any:
    """A polygon, polyline or ellipse moved by (``dx``, ``dy``), no further than keeps it inside the image
    (as far as it was inside to begin with)."""
    left, top, right, bottom = bounds(shape)
    dx = min(max(dx, min(-left, 0.0)), max(width - right, 0.0))
    dy = min(max(dy, min(-top, 0.0)), max(height - bottom, 0.0))
    coordinates = copy.deepcopy(shape["coordinates"])
    if shape["type"] == "ellipse":
        centre = coordinates["center"]
        centre["x"], centre["y"] = centre["x"] + dx, centre["y"] + dy
        return coordinates
    for ring in coordinates if coordinates and isinstance(coordinates[0], list) else [coordinates]:
        for p in ring:
            p["x"], p["y"] = p["x"] + dx, p["y"] + dy
    return coordinates


def centre(shape: Shape) -> Point:
    """The centre a box or ellipse turns about."""
    if shape["type"] == "ellipse":
        c = shape["coordinates"]["center"]
        return float(c["x"]), float(c["y"])
    left, top, right, bottom = box_edges(shape)
    return (left + right) / 2, (top + bottom) / 2


def angle_of(shape: Shape) -> float:
    """A box's or ellipse's angle in degrees."""
    return float(shape["coordinates"]["angle"]) if shape["type"] == "ellipse" else box_angle(shape)


def _turned(point: Point, about: Point, degrees: float) -> Point:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    x, y = point[0] - about[0], point[1] - about[1]
    return about[0] + x * c - y * s, about[1] + x * s + y * c


def rotation_handle(shape: Shape, distance: float) -> Point:
    """Where a box's or ellipse's rotation handle is: ``distance`` image pixels above its top edge's
    middle, turned with it."""
    cx, cy = centre(shape)
    if shape["type"] == "ellipse":
        half_height = float(shape["coordinates"]["ry"])
    else:
        _, top, _, bottom = box_edges(shape)
        half_height = (bottom - top) / 2
    return _turned((cx, cy - half_height - distance), (cx, cy), angle_of(shape))


def _axes(degrees: float) -> tuple[Point, Point]:
    """The unit vectors of a shape's own x and y axes, turned by ``degrees``."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (c, s), (-s, c)


def radius_ends(shape: Shape) -> list[Point]:
    """The ends of an ellipse's radii, its handles: rx's, ry's, then their opposite ends, turned with it."""
    c = shape["coordinates"]
    (ux, uy), (vx, vy) = _axes(angle_of(shape))
    x, y, rx, ry = float(c["center"]["x"]), float(c["center"]["y"]), float(c["rx"]), float(c["ry"])
    return [
        (x + rx * ux, y + rx * uy),
        (x + ry * vx, y + ry * vy),
        (x - rx * ux, y - rx * uy),
        (x - ry * vx, y - ry * vy),
    ]


def with_radius(shape: Shape, end: int, start: Point, to: Point) -> Any:
    """An ellipse's coordinates with the end ``end`` of ``radius_ends`` dragged from image point ``start``
    to ``to``: its radius grows by the drag along its axis (at least ``MIN_RADIUS``); the centre and the
    angle stay."""
    ux, uy = _axes(angle_of(shape))[end % 2]
    outwards = 1.0 if end < 2 else -1.0
    along = outwards * ((to[0] - start[0]) * ux + (to[1] - start[1]) * uy)
    name = "ry" if end % 2 else "rx"
    coordinates = copy.deepcopy(shape["coordinates"])
    coordinates[name] = max(abs(float(coordinates[name]) + along), MIN_RADIUS)
    return coordinates


def box_handles(shape: Shape) -> dict[str, Point]:
    """A box's eight resize handles (``annotation_edits.HANDLES``) in image pixels, turned with it."""
    about, angle = centre(shape), box_angle(shape)
    return {name: _turned(point, about, angle) for name, point in handle_points(shape).items()}


def resized_box(shape: Shape, handle: str, to: Point, width: float, height: float) -> Any:
    """A turned box's coordinates with its corner or edge ``handle`` dragged to image point ``to`` (kept
    inside the image), along the box's own axes: the opposite corner or edge stays where it is in the
    image, the angle stays, and the box is stored about its new centre as dtlpy stores a turned box."""
    left, top, right, bottom = box_edges(shape)
    cx, cy = centre(shape)
    (ux, uy), (vx, vy) = _axes(box_angle(shape))
    x, y = _clamped(to, width, height)
    # The box's extent from its centre along its own axes, with the dragged sides moved to the point.
    along, across = (x - cx) * ux + (y - cy) * uy, (x - cx) * vx + (y - cy) * vy
    s0, s1 = (along if "w" in handle else left - cx), (along if "e" in handle else right - cx)
    t0, t1 = (across if "n" in handle else top - cy), (across if "s" in handle else bottom - cy)
    s0, s1 = sorted((s0, s1))
    t0, t1 = sorted((t0, t1))
    ms, mt = (s0 + s1) / 2, (t0 + t1) / 2
    nx, ny = cx + ms * ux + mt * vx, cy + ms * uy + mt * vy
    half_w, half_h = (s1 - s0) / 2, (t1 - t0) / 2
    corners = [{"x": nx - half_w, "y": ny - half_h, "z": 0}, {"x": nx + half_w, "y": ny + half_h, "z": 0}]
    return [*corners, *shape["coordinates"][2:]]


def _normal(degrees: float) -> float:
    """An angle in (-180, 180]."""
    turned = math.fmod(degrees, 360.0)
    if turned > 180:
        turned -= 360
    elif turned <= -180:
        turned += 360
    return turned


def turned(shape: Shape, start: Point, end: Point) -> Any:
    """A box's or ellipse's coordinates turned about its centre by the angle a drag from image point
    ``start`` to ``end`` sweeps there. A box turned back to 0 is stored without an angle, as dtlpy does."""
    cx, cy = centre(shape)
    swept = math.degrees(math.atan2(end[1] - cy, end[0] - cx) - math.atan2(start[1] - cy, start[0] - cx))
    angle = round(_normal(angle_of(shape) + swept), 6)
    coordinates = copy.deepcopy(shape["coordinates"])
    if shape["type"] == "ellipse":
        coordinates["angle"] = angle
        return coordinates
    return [*coordinates[:2], *([angle] if angle else [])]


def outline(shape: Shape) -> np.ndarray:
    """The points the browser previews a drag of the shape with: a polygon's outline, a polyline's
    points, a box's four (turned) corners, an ellipse's outline as a 48-sided polygon."""
    kind = shape["type"]
    if kind in VERTEX_TYPES:
        return vertices(shape)
    if kind == "box":
        return box_corners(shape)
    ellipse = image_geometry(shape)
    assert isinstance(ellipse, EllipseGeometry), f"no outline for a {kind}"
    return ellipse_ring(ellipse)


# -- finding what is under a point --------------------------------------------------------------------
def _nearest(
    shape: Shape, fewest: int, distances: Callable[[np.ndarray], np.ndarray], tolerance: float
) -> tuple[int, int] | None:
    """The (ring, index) whose ``distances`` (measured on each contour of at least ``fewest`` vertices)
    is least, if it is within ``tolerance``."""
    found: tuple[float, int, int] | None = None
    for ring in range(ring_count(shape)):
        points = vertices(shape, ring)
        if len(points) < fewest:
            continue
        measured = distances(points)
        index = int(measured.argmin())
        if measured[index] <= tolerance and (found is None or measured[index] < found[0]):
            found = (float(measured[index]), ring, index)
    return None if found is None else found[1:]


def vertex_at(shape: Shape, x: float, y: float, tolerance: float) -> tuple[int, int] | None:
    """The (ring, index) of the polygon's (outline's or hole's) or polyline's vertex within ``tolerance``
    of (x, y), the nearest."""
    return _nearest(shape, 1, lambda p: np.hypot(p[:, 0] - x, p[:, 1] - y), tolerance)


def _segment_distances(points: np.ndarray, closed: bool, x: float, y: float) -> np.ndarray:
    """The distance from (x, y) to each edge (from vertex i to i + 1)."""
    a = points
    b = np.roll(points, -1, axis=0)
    if not closed:
        a, b = a[:-1], b[:-1]
    ab = b - a
    length2 = np.maximum((ab**2).sum(axis=1), 1e-12)
    t = np.clip(((x - a[:, 0]) * ab[:, 0] + (y - a[:, 1]) * ab[:, 1]) / length2, 0.0, 1.0)
    return np.hypot(a[:, 0] + t * ab[:, 0] - x, a[:, 1] + t * ab[:, 1] - y)


def edge_at(shape: Shape, x: float, y: float, tolerance: float) -> tuple[int, int] | None:
    """The edge of a polygon (of its outline or a hole) or polyline within ``tolerance`` of (x, y), the
    nearest, as (ring, index of its first vertex)."""
    closed = shape["type"] == "segment"
    return _nearest(shape, 2, lambda p: _segment_distances(p, closed, x, y), tolerance)


def _inside_rings(rings: list[np.ndarray], x: float, y: float) -> bool:
    """Even-odd: inside an outline and not in one of its holes."""
    crossings = 0
    for ring in rings:
        a, b = ring, np.roll(ring, -1, axis=0)
        spans = (a[:, 1] > y) != (b[:, 1] > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = a[:, 0] + (y - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])
        crossings += int(np.count_nonzero(spans & (x < at)))
    return crossings % 2 == 1


def contains(shape: Shape, x: float, y: float, tolerance: float) -> bool:
    """Whether (x, y) is on a polygon (inside it, or near its outline or a hole's), near a polyline, or in
    an ellipse."""
    kind = shape["type"]
    if kind == "ellipse":
        c = shape["coordinates"]
        ux, uy = _turned((x, y), (c["center"]["x"], c["center"]["y"]), -float(c["angle"]))
        rx, ry = max(float(c["rx"]), 1e-9) + tolerance, max(float(c["ry"]), 1e-9) + tolerance
        return ((ux - c["center"]["x"]) / rx) ** 2 + ((uy - c["center"]["y"]) / ry) ** 2 <= 1
    if kind not in VERTEX_TYPES or len(vertices(shape)) < 2:
        return False
    if edge_at(shape, x, y, tolerance) is not None:
        return True
    rings = [vertices({"coordinates": [ring]}) for ring in _rings(shape)]
    return kind == "segment" and _inside_rings([r for r in rings if len(r) >= 3], x, y)
