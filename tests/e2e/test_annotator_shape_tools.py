"""The Annotator's vector tools in a real browser, in JupyterLab 4 and Notebook 7, used as a person would:
a polygon clicked vertex by vertex and closed on its first vertex, a polyline finished with Enter, an
ellipse dragged from its centre, a box turned by its rotation handle, a polygon's vertex dragged; then
Ctrl+S, and the official dtlpy SDK reads every shape back over ``dlwidgets serve``, where it was drawn
(within an image pixel). A turned ellipse's radius, a turned box's corner and a polygon's hole's vertex are
dragged by their handles too."""

from __future__ import annotations

import math
from typing import Any

import pytest
from official_sdk import run_dtlpy
from serving import serving

from dlwidgets.server import create_token, workspace_secret

from .page import OpenNotebook
from .test_annotator import ANNOTATOR_CELL, WORKSPACE_CELL
from .views import Annotations, AnnotatorView, open_annotator

USER_CELL = 'dump("user.json", dw.info()["user_email"])'

# Where the test draws, in image pixels (the 640 x 400 image of test_annotator).
POLYGON = [(60.0, 60.0), (260.0, 80.0), (160.0, 220.0)]
POLYLINE = [(360.0, 260.0), (460.0, 300.0), (560.0, 250.0)]
ELLIPSE = ((480.0, 100.0), (560.0, 140.0))  # from its centre: radii 80 and 40
BOX = ((80.0, 280.0), (240.0, 360.0))
VERTEX_DRAG = (POLYGON[1], (280.0, 100.0))


def _ring(annotation: dict[str, Any]) -> list[tuple[float, float]]:
    return [(p["x"], p["y"]) for p in annotation["coordinates"][0]]


def _of_type(annotations: Annotations, kind: str) -> list[dict[str, Any]]:
    return [a for a in annotations if a["type"] == kind]


def _near(points: list[tuple[float, float]], meant: list[tuple[float, float]]) -> bool:
    return len(points) == len(meant) and all(
        abs(x - mx) <= 1 and abs(y - my) <= 1 for (x, y), (mx, my) in zip(points, meant, strict=True)
    )


def annotator_with_tool(open_notebook: OpenNotebook, key: str, tool: str) -> AnnotatorView:
    """An Annotator on the test item, given the keyboard (a click with the box tool draws nothing), with
    the tool of ``key`` (named ``tool`` on its button) chosen."""
    view = open_annotator(open_notebook, [WORKSPACE_CELL, USER_CELL, ANNOTATOR_CELL])
    view.click((320, 380))
    view.page.keyboard.press(key)
    view.wait_tool(tool)
    return view


def test_draw_a_polygon_and_a_polyline_click_by_click(open_notebook: OpenNotebook) -> None:
    view = annotator_with_tool(open_notebook, "g", "Polygon")
    page = view.page
    polygon_meant = [view.image_xy(*view.click(vertex)) for vertex in POLYGON]
    view.click(POLYGON[0])  # on the first vertex: closed
    annotations = view.kernel_annotations(lambda a: bool(_of_type(a, "segment")), "the polygon")
    (polygon,) = _of_type(annotations, "segment")
    assert polygon["label"] == "car"
    assert _near(_ring(polygon), polygon_meant), (_ring(polygon), polygon_meant)

    page.keyboard.press("l")
    view.wait_tool("Polyline")
    polyline_meant = [view.image_xy(*view.click(vertex)) for vertex in POLYLINE]
    view.click((500, 150))
    page.keyboard.press("Backspace")  # the last vertex clicked goes
    page.keyboard.press("Enter")
    annotations = view.kernel_annotations(lambda a: bool(_of_type(a, "polyline")), "the polyline")
    (polyline,) = _of_type(annotations, "polyline")
    assert _near(_ring(polyline), polyline_meant), (_ring(polyline), polyline_meant)
    assert len(annotations) == 2

    # An ellipse dragged from its centre, a box turned a quarter by its rotation handle (the box is
    # selected once drawn; the handle is 24 canvas pixels above its top edge).
    page.keyboard.press("o")
    view.wait_tool("Ellipse")
    (cx, cy), (ex, ey) = (view.image_xy(*p) for p in view.drag(*ELLIPSE))
    ellipse_meant = {"x": cx, "y": cy, "rx": abs(ex - cx), "ry": abs(ey - cy), "angle": 0.0}
    page.keyboard.press("b")
    view.wait_tool("Box")
    (left, top), (right, bottom) = (view.image_xy(*p) for p in view.drag(*BOX))
    view.kernel_annotations(lambda a: bool(_of_type(a, "box")), "the box")
    angle = turn_quarter(view, ((left + right) / 2, (top + bottom) / 2), (bottom - top) / 2)
    box_meant = {"left": left, "top": top, "right": right, "bottom": bottom, "angle": angle}
    view.kernel_annotations(lambda a: any(len(b["coordinates"]) == 3 for b in _of_type(a, "box")), "the turn")

    # The polygon selected with the select tool, and its second vertex dragged.
    page.keyboard.press("v")
    view.wait_tool("Select")
    view.click((160.0, 120.0))
    (x0, y0), (x1, y1) = (view.image_xy(*p) for p in view.drag(*VERTEX_DRAG))
    polygon_meant[1] = (polygon_meant[1][0] + x1 - x0, polygon_meant[1][1] + y1 - y0)
    view.kernel_annotations(
        lambda a: _near(_ring(_of_type(a, "segment")[0]), polygon_meant), "the vertex dragged"
    )

    page.keyboard.press("Control+s")
    view.notebook.wait_file("saved.json", until=lambda s: s["count"] == 4)
    by_type = read_back(view)
    assert sorted(by_type) == ["box", "ellipse", "polyline", "segment"]
    assert _near([tuple(p) for p in by_type["segment"]["points"]], polygon_meant)
    assert _near([tuple(p) for p in by_type["polyline"]["points"]], polyline_meant)
    for kind, meant in (("ellipse", ellipse_meant), ("box", box_meant)):
        assert {k: by_type[kind][k] for k in meant} == {k: pytest.approx(v, abs=1) for k, v in meant.items()}


def read_back(view: AnnotatorView) -> dict[str, dict[str, Any]]:
    """The shapes saved, as the official dtlpy reads them over ``dlwidgets serve``, by type."""
    home = view.notebook.out_dir / "workspace"
    user = view.notebook.wait_file("user.json")  # the notebook's user, who made it all
    token = create_token(workspace_secret(home), user)
    inputs = {"project": "e2e", "dataset": "street", "filepath": "/e2e/quadrants.jpg"}
    with serving(home) as url:
        read = run_dtlpy("read-geometries", url, token, view.notebook.out_dir / "dtlpy", inputs)
    return {r["type"]: r for r in read}


def turn_quarter(view: AnnotatorView, centre: tuple[float, float], half_height: float) -> float:
    """Drag the selected shape's rotation handle (24 canvas pixels over its top edge) a quarter turn
    clockwise about ``centre``; returns the angle the drag swept, in degrees."""
    handle = (centre[0], centre[1] - half_height - 24 / view.viewport["scale"])
    start, end = (view.image_xy(*p) for p in view.drag(handle, (centre[0] + 100, centre[1])))
    swept = math.atan2(end[1] - centre[1], end[0] - centre[0]) - math.atan2(
        start[1] - centre[1], start[0] - centre[0]
    )
    return math.degrees(swept)


def test_an_ellipses_radius_dragged_under_its_turn(open_notebook: OpenNotebook) -> None:
    view = annotator_with_tool(open_notebook, "o", "Ellipse")
    page = view.page
    (cx, cy), (ex, ey) = (view.image_xy(*p) for p in view.drag(*ELLIPSE))
    rx, ry = abs(ex - cx), abs(ey - cy)
    view.kernel_annotations(lambda a: bool(_of_type(a, "ellipse")), "the ellipse")
    angle = turn_quarter(view, (cx, cy), ry)  # drawn, it is selected: turned a quarter clockwise
    view.kernel_annotations(lambda a: _of_type(a, "ellipse")[0]["coordinates"]["angle"] > 45, "the turn")
    # The end of rx, turned with it (below the centre), dragged 30 pixels further out along its axis.
    turn = math.radians(angle)
    end = (cx + rx * math.cos(turn), cy + rx * math.sin(turn))
    (x0, y0), (x1, y1) = (view.image_xy(*p) for p in view.drag(end, (end[0], end[1] + 30)))
    rx += (x1 - x0) * math.cos(turn) + (y1 - y0) * math.sin(turn)
    view.kernel_annotations(
        lambda a: abs(_of_type(a, "ellipse")[0]["coordinates"]["rx"] - rx) <= 1, "the radius dragged"
    )

    page.keyboard.press("Control+s")
    view.notebook.wait_file("saved.json", until=lambda s: s["count"] == 1)
    meant = {"x": cx, "y": cy, "rx": rx, "ry": ry, "angle": angle}
    ellipse = read_back(view)["ellipse"]
    assert {k: ellipse[k] for k in meant} == {k: pytest.approx(v, abs=1) for k, v in meant.items()}


def corner(box: dict[str, float], sx: int, sy: int) -> tuple[float, float]:
    """Where a box (left, top, right, bottom, angle) has its corner ``sx``, ``sy`` (-1 or 1: left or right,
    top or bottom, before it was turned) in the image."""
    cx, cy = (box["left"] + box["right"]) / 2, (box["top"] + box["bottom"]) / 2
    x, y = sx * (box["right"] - box["left"]) / 2, sy * (box["bottom"] - box["top"]) / 2
    c, s = math.cos(math.radians(box["angle"])), math.sin(math.radians(box["angle"]))
    return cx + x * c - y * s, cy + x * s + y * c


def test_a_turned_box_resized_by_its_corner(open_notebook: OpenNotebook) -> None:
    view = annotator_with_tool(open_notebook, "b", "Box")
    (left, top), (right, bottom) = (view.image_xy(*p) for p in view.drag(*BOX))
    view.kernel_annotations(lambda a: bool(_of_type(a, "box")), "the box")
    angle = turn_quarter(view, ((left + right) / 2, (top + bottom) / 2), (bottom - top) / 2)
    (box,) = _of_type(view.kernel_annotations(lambda a: len(a[0]["coordinates"]) == 3, "the turn"), "box")
    turned = {"left": left, "top": top, "right": right, "bottom": bottom, "angle": angle}
    # Its top-left corner (turned to the top-right) dragged; the bottom-right one stays where it is.
    fixed, dragged = corner(turned, 1, 1), corner(turned, -1, -1)
    _, drop = (view.image_xy(*p) for p in view.drag(dragged, (dragged[0] + 30, dragged[1] - 20)))
    view.kernel_annotations(
        lambda a: a[0]["coordinates"][:2] != box["coordinates"][:2], "the turned box resized"
    )

    view.page.keyboard.press("Control+s")
    view.notebook.wait_file("saved.json", until=lambda s: s["count"] == 1)
    read = read_back(view)["box"]
    assert read["angle"] == pytest.approx(box["coordinates"][2], abs=1e-6)  # as it was turned
    assert corner(read, 1, 1) == pytest.approx(fixed, abs=1)
    assert corner(read, -1, -1) == pytest.approx(drop, abs=1)


# A polygon with a hole, stored before the Annotator opens: a square ring with a triangular hole.
OUTER = [(100.0, 100.0), (400.0, 100.0), (400.0, 300.0), (100.0, 300.0)]
HOLE = [(200.0, 150.0), (300.0, 150.0), (250.0, 250.0)]
HOLE_CELL = f"""\
rings = [[{{"x": x, "y": y}} for x, y in ring] for ring in ({OUTER!r}, {HOLE!r})]
item.annotations.upload([dw.Annotation.from_json(
    {{"type": "segment", "label": "car", "coordinates": rings, "metadata": {{"system": {{}}}}}}
)])
"""


def test_a_holes_vertex_dragged(open_notebook: OpenNotebook) -> None:
    view = open_annotator(open_notebook, [WORKSPACE_CELL, USER_CELL, HOLE_CELL, ANNOTATOR_CELL])
    view.click((320, 380))  # gives the annotator the keyboard (a click with the box tool draws nothing)
    view.page.keyboard.press("v")
    view.wait_tool("Select")
    view.click((150, 250))  # inside the polygon, off its hole: selected, its holes' vertices are handles
    (x0, y0), (x1, y1) = (view.image_xy(*p) for p in view.drag(HOLE[1], (320.0, 130.0)))
    moved = (HOLE[1][0] + x1 - x0, HOLE[1][1] + y1 - y0)
    meant = [OUTER, [HOLE[0], moved, HOLE[2]]]

    def edited(annotations: Annotations) -> bool:
        rings = [[(p["x"], p["y"]) for p in ring] for ring in annotations[0]["coordinates"]]
        return len(rings) == 2 and all(_near(ring, m) for ring, m in zip(rings, meant, strict=True))

    view.kernel_annotations(edited, "the hole's vertex dragged")
