"""The gestures of the vector shapes the Annotator draws beyond boxes and points: polygons and polylines
drawn click by click in the browser (sent once, finished, as a ``Vertices`` message)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ...api import Polygon, Polyline

if TYPE_CHECKING:
    from .gestures import Annotating

# The fewest vertices of each drawn type, and the tool that draws it.
MIN_VERTICES = {"polygon": 3, "polyline": 2}


def _finite_points(points: Any) -> list[tuple[float, float]]:
    """The points of a message from the browser as (x, y) floats; ValueError naming the first bad one."""
    if not isinstance(points, list):
        raise ValueError(f"the vertices of a drawn shape are a list of [x, y], got {points!r:.80}")
    found = []
    for point in points:
        if (
            not isinstance(point, list)
            or len(point) != 2
            or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in point)
        ):
            raise ValueError(f"a drawn vertex is [x, y] in image pixels (finite numbers), got {point!r:.80}")
        found.append((float(point[0]), float(point[1])))
    return found


def add_drawn_path(a: Annotating, tool: Any, points: Any) -> None:
    """A polygon or polyline finished in the browser: added with the current label (clamped to the image,
    repeated vertices dropped) and selected. Too few distinct vertices add nothing, as a click with the
    box tool draws no box."""
    if a.edits is None:
        return
    if tool not in MIN_VERTICES:
        raise ValueError(f"a shape drawn vertex by vertex is one of {sorted(MIN_VERTICES)}, got {tool!r:.40}")
    if a.label is None:
        raise ValueError("the ontology has no labels yet: add one (ontology.add_label) before annotating")
    width, height = a.edits.width, a.edits.height
    vertices: list[tuple[float, float]] = []
    for x, y in _finite_points(points):
        vertex = (min(max(x, 0.0), float(width)), min(max(y, 0.0), float(height)))
        if not vertices or vertex != vertices[-1]:
            vertices.append(vertex)
    if tool == "polygon" and len(vertices) > 1 and vertices[0] == vertices[-1]:
        vertices.pop()
    if len(vertices) < MIN_VERTICES[tool]:
        return
    kind = Polygon if tool == "polygon" else Polyline
    a._select(a.edits.add(kind(geo=vertices, label=a.label)))
