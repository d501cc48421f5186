"""The Annotator's vector tools in a real browser, in JupyterLab 4 and Notebook 7, used as a person would:
a polygon clicked vertex by vertex and closed on its first vertex, a polyline finished with Enter. The
vertices are collected in the browser; the kernel gets each shape once, finished, where it was clicked
(within an image pixel)."""

from __future__ import annotations

from typing import Any

from .page import OpenNotebook
from .test_annotator import ANNOTATOR_CELL, WORKSPACE_CELL
from .views import Annotations, open_annotator

# Where the test draws, in image pixels (the 640 x 400 image of test_annotator).
POLYGON = [(60.0, 60.0), (260.0, 80.0), (160.0, 220.0)]
POLYLINE = [(360.0, 260.0), (460.0, 300.0), (560.0, 250.0)]


def _ring(annotation: dict[str, Any]) -> list[tuple[float, float]]:
    return [(p["x"], p["y"]) for p in annotation["coordinates"][0]]


def _of_type(annotations: Annotations, kind: str) -> list[dict[str, Any]]:
    return [a for a in annotations if a["type"] == kind]


def _near(points: list[tuple[float, float]], meant: list[tuple[float, float]]) -> bool:
    return len(points) == len(meant) and all(
        abs(x - mx) <= 1 and abs(y - my) <= 1 for (x, y), (mx, my) in zip(points, meant, strict=True)
    )


def test_draw_a_polygon_and_a_polyline_click_by_click(open_notebook: OpenNotebook) -> None:
    view = open_annotator(open_notebook, [WORKSPACE_CELL, ANNOTATOR_CELL])
    page = view.page

    view.click((320, 380))  # gives the annotator the keyboard (a click with the box tool draws nothing)
    page.keyboard.press("g")
    view.wait_tool("Polygon")
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
