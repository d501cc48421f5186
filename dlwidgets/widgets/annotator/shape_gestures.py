"""The gestures of the vector shapes: polygons and polylines drawn click by click in the browser (sent
once, finished, as a ``Vertices`` message); a selected polygon's or polyline's vertices dragged, added
(a click on an edge) and deleted (Delete, or Alt+click); a box or ellipse turned by its rotation handle;
an ellipse's radii and a turned box's sides dragged by their handles; any of them moved whole. The
geometry is ``models.shape_edits``'s; this module reads the gestures."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...api import Ellipse, Polygon, Polyline
from ..annotator_gestures import Grab
from ..models import shape_edits as edit
from ..models.annotation_edits import AnnotationEdits, box_angle
from .mask_drawing import mask_covers
from .shape_drawing import outline_bounds

if TYPE_CHECKING:
    from .annotating import Annotating

# The fewest vertices of each drawn type, and the tool that draws it.
MIN_DRAWN = {"polygon": 3, "polyline": 2}
# The drags of this module: a vertex dragged, one added on an edge, a box or ellipse turned, an ellipse's
# radius dragged by the end of its axis.
EDIT_MODES = frozenset({"vertex", "insert", "rotate", "radius"})


@dataclass(frozen=True)
class Handle:
    """What a press on a selected shape grabbed: ``mode`` (see ``EDIT_MODES``) and, for a vertex, its
    index, for an edge, the index of the vertex it starts at (both in contour ``ring``: a polygon's
    outline is 0, its holes 1, 2, ...), for a radius, the index of its end in ``shape_edits.radius_ends``."""

    mode: str
    index: int | None = None
    ring: int = 0


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


def _label(a: Annotating) -> str:
    if a.label is None:
        raise ValueError("the ontology has no labels yet: add one (ontology.add_label) before annotating")
    return a.label


def add_drawn_path(a: Annotating, tool: Any, points: Any) -> None:
    """A polygon or polyline finished in the browser: added with the current label (clamped to the image,
    repeated vertices dropped) and selected. Too few distinct vertices add nothing, as a click with the
    box tool draws no box."""
    if a.edits is None:
        return
    if tool not in MIN_DRAWN:
        raise ValueError(f"a shape drawn vertex by vertex is one of {sorted(MIN_DRAWN)}, got {tool!r:.40}")
    label = _label(a)
    width, height = a.edits.width, a.edits.height
    vertices: list[tuple[float, float]] = []
    for x, y in _finite_points(points):
        vertex = (min(max(x, 0.0), float(width)), min(max(y, 0.0), float(height)))
        if not vertices or vertex != vertices[-1]:
            vertices.append(vertex)
    if tool == "polygon" and len(vertices) > 1 and vertices[0] == vertices[-1]:
        vertices.pop()
    if len(vertices) < MIN_DRAWN[tool]:
        return
    kind = Polygon if tool == "polygon" else Polyline
    a._select(a.edits.add(kind(geo=vertices, label=label)))


def add_dragged_ellipse(a: Annotating, centre: tuple[float, float], corner: tuple[float, float]) -> int:
    """An ellipse dragged from its centre: the drag's width and height are its radii (not turned)."""
    assert a.edits is not None
    (x, y), (x1, y1) = centre, corner
    return a.edits.add(Ellipse(x=x, y=y, rx=abs(x1 - x), ry=abs(y1 - y), angle=0, label=_label(a)))


def handle_at(a: Annotating, x: float, y: float, tolerance: float) -> Handle | None:
    """The selected shape's own handle under image point (x, y): its rotation handle (a box or ellipse),
    the end of a radius (an ellipse), a corner or edge (a box), a vertex or an edge (a polygon or
    polyline). None for a hidden or locked shape."""
    key = a.selected
    if a.edits is None or key is None or key not in a.edits or key in a.hidden or key in a.locked:
        return None
    shape = a.edits.shape(key)
    if shape["type"] in edit.TURNING_TYPES:
        hx, hy = edit.rotation_handle(shape, edit.ROTATION_HANDLE_PX / a.viewport.scale)
        if math.hypot(x - hx, y - hy) <= tolerance:
            return Handle("rotate")
    if shape["type"] == "ellipse":
        for end, (ex, ey) in enumerate(edit.radius_ends(shape)):
            if abs(x - ex) <= tolerance and abs(y - ey) <= tolerance:
                return Handle("radius", end)
    if shape["type"] == "box":  # its corners and edges, turned with it: the squares draw_selection draws
        for name, (hx, hy) in edit.box_handles(shape).items():
            if abs(x - hx) <= tolerance and abs(y - hy) <= tolerance:
                return Handle(name)
    if shape["type"] in edit.VERTEX_TYPES:
        vertex = edit.vertex_at(shape, x, y, tolerance)
        if vertex is not None:
            return Handle("vertex", vertex[1], vertex[0])
        on_edge = edit.edge_at(shape, x, y, tolerance)
        if on_edge is not None:
            return Handle("insert", on_edge[1], on_edge[0])
    return None


def shape_at(a: Annotating, x: float, y: float, tolerance: float) -> int | None:
    """The topmost polygon, polyline, ellipse or mask (where its pixels are set) shown under image point
    (x, y). Only the shapes whose outline's bounds (remembered since they were drawn) hold the point are
    tested closely: a press on an item with a thousand polygons stays quick."""
    assert a.edits is not None
    for key in reversed(a.edits.keys()):
        shape = a.edits.shape(key)
        if key in a.hidden:
            continue
        if shape["type"] == "binary":
            if mask_covers(shape, x, y):
                return key
            continue
        if shape["type"] not in edit.AREA_TYPES:
            continue
        bounds = outline_bounds(shape)
        if not bounds or not (
            bounds[0] - tolerance <= x <= bounds[2] + tolerance
            and bounds[1] - tolerance <= y <= bounds[3] + tolerance
        ):
            continue
        if edit.contains(shape, x, y, tolerance):
            return key
    return None


def is_previewed_as_path(shape: dict[str, Any], mode: str) -> bool:
    """Whether the browser previews a drag of ``shape`` as its outline (not as a rectangle or a point)."""
    if shape["type"] == "point":
        return False
    return shape["type"] != "box" or mode in EDIT_MODES or bool(box_angle(shape))


def path_grab(a: Annotating, shape: dict[str, Any], handle: Handle | None, reply: Grab) -> None:
    """Fill ``reply`` with what the browser previews the drag with: the shape's outline in canvas pixels,
    the vertex or edge grabbed, the centre it turns about, the end of the radius grabbed."""
    viewport = a.viewport
    reply["kind"] = "path"
    # A drag of a hole's vertex previews the hole; any other drag, the outline.
    points = edit.vertices(shape, handle.ring) if handle is not None and handle.ring else edit.outline(shape)
    reply["points"] = [list(viewport.to_canvas(px, py)) for px, py in points.tolist()]
    reply["closed"] = shape["type"] != "polyline"
    if handle is not None and handle.index is not None:
        reply["index"] = handle.index
    if shape["type"] in edit.TURNING_TYPES:
        reply["centre"] = list(viewport.to_canvas(*edit.centre(shape)))
    if handle is not None and handle.mode == "radius" and handle.index is not None:
        (cx, cy), (ex, ey) = edit.centre(shape), edit.radius_ends(shape)[handle.index]
        reply["axis"] = [(ex - cx) * viewport.scale, (ey - cy) * viewport.scale]


def move_shape(edits: AnnotationEdits, key: int, dx: float, dy: float) -> None:
    """Move any shape by (dx, dy) image pixels, kept inside the image."""
    shape = edits.shape(key)
    if shape["type"] in edit.AREA_TYPES:
        edits.set_coordinates(key, edit.translated(shape, dx, dy, edits.width, edits.height))
    else:
        edits.move(key, dx, dy)


def finish_edit(
    edits: AnnotationEdits, key: int, handle: Handle, start: tuple[float, float], end: tuple[float, float]
) -> int | None:
    """The end of a drag of a handle from image point ``start`` to ``end``; returns the index of the vertex
    the shape now has where the drag ended, in the handle's contour (None for a rotation or a radius)."""
    shape = edits.shape(key)
    width, height = edits.width, edits.height
    if handle.mode == "rotate":
        if start != end:
            edits.set_coordinates(key, edit.turned(shape, start, end))
        return None
    assert handle.index is not None
    if handle.mode == "radius":
        if start != end:
            edits.set_coordinates(key, edit.with_radius(shape, handle.index, start, end))
        return None
    ring = handle.ring
    if handle.mode == "insert":
        edits.set_coordinates(key, edit.with_vertex_added(shape, handle.index, end, width, height, ring))
        return handle.index + 1
    vx, vy = edit.vertices(shape, ring)[handle.index]
    moved = (vx + end[0] - start[0], vy + end[1] - start[1])
    if start != end:
        edits.set_coordinates(key, edit.with_vertex_moved(shape, handle.index, moved, width, height, ring))
    return handle.index


def resize_box(edits: AnnotationEdits, key: int, handle: str, x: float, y: float) -> None:
    """Drag a box's corner or edge ``handle`` to image point (x, y): along the box's own axes if it is
    turned (the opposite side stays put in the image)."""
    shape = edits.shape(key)
    if box_angle(shape):
        edits.set_coordinates(key, edit.resized_box(shape, handle, (x, y), edits.width, edits.height))
    else:
        edits.resize(key, handle, x, y)


def delete_vertex(edits: AnnotationEdits, key: int, index: int, ring: int = 0) -> None:
    """Delete a polygon's (outline's or hole's) or polyline's vertex; ValueError, saying so, when its
    contour has the fewest it keeps."""
    shape = edits.shape(key)
    fewer = edit.with_vertex_deleted(shape, index, ring)
    if fewer is None:
        kind = "polygon's hole" if ring else "polygon" if shape["type"] == "segment" else shape["type"]
        raise ValueError(
            f"a {kind} keeps at least {edit.MIN_VERTICES[shape['type']]} vertices: this vertex stays "
            "(Delete with no vertex selected deletes the whole shape)"
        )
    edits.set_coordinates(key, fewer)
