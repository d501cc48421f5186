"""The Annotator's polygon and polyline tools driven through its gesture handlers, as the browser layer
drives them: the vertices clicked are collected in the browser and arrive in one ``vertices`` message, in
image pixels; what is drawn is stored in dtlpy's layout.

The item is 640 x 400 shown on an 800 x 520 canvas (scale 1.25, 10 px down), as in test_annotator.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from canvas_messages import Sent, batch_commands
from widgets.test_annotator import SCALE, canvas, key

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator


@pytest.fixture
def annotator(image_item: dw.Item) -> Annotator:
    return Annotator(image_item, width=800, height=520)


def draw(annotator: Annotator, tool: str, points: list[list[float]], gesture_id: int = 7) -> None:
    annotator._on_gesture({"type": "vertices", "id": gesture_id, "tool": tool, "points": points})


def ring(annotation: dw.Annotation) -> list[tuple[float, float]]:
    return [(p["x"], p["y"]) for p in annotation.coordinates[0]]


def test_a_polygon_and_a_polyline_drawn_are_stored_in_dtlpys_layout(
    annotator: Annotator, image_item: dw.Item
) -> None:
    key(annotator, "g")
    assert annotator.tool == "polygon" and annotator.stage.tool == "polygon"
    draw(annotator, "polygon", [[10, 10], [100, 12.5], [60, 90]])
    key(annotator, "l")
    assert annotator.stage.tool == "polyline"
    draw(annotator, "polyline", [[200, 200], [250, 220]])
    assert annotator.save()
    polyline, polygon = sorted(image_item.annotations.list(), key=lambda a: a.type)
    assert (polygon.type, polygon.label) == ("segment", "car")
    assert polygon.coordinates == [[{"x": 10, "y": 10}, {"x": 100, "y": 12.5}, {"x": 60, "y": 90}]]
    assert isinstance(polygon.annotation_definition, dw.Polygon)
    assert (polyline.type, ring(polyline)) == ("polyline", [(200, 200), (250, 220)])
    assert annotator.selected == annotator.edits.keys()[-1]  # the last drawn is selected


def test_the_browser_is_told_when_the_drawn_shape_is_drawn(annotator: Annotator, sent: Sent) -> None:
    draw(annotator, "polygon", [[10, 10], [100, 12.5], [60, 90]], gesture_id=41)
    assert ({"type": "committed", "id": 41}, []) in sent


def test_vertices_outside_the_image_are_clamped_and_repeats_dropped(
    annotator: Annotator, image_item: dw.Item
) -> None:
    draw(annotator, "polygon", [[-5, 10], [700, 10], [700, 10], [300, 450], [-5, 10]])
    assert annotator.save()
    (polygon,) = image_item.annotations.list()
    assert ring(polygon) == [(0, 10), (640, 10), (300, 400)]


@pytest.mark.parametrize(
    ("tool", "points"),
    [("polygon", [[10, 10], [20, 20]]), ("polygon", [[10, 10], [10, 10], [20, 20]]), ("polyline", [[5, 5]])],
)
def test_too_few_vertices_draw_nothing(annotator: Annotator, tool: str, points: list[list[float]]) -> None:
    draw(annotator, tool, points)
    assert annotator.annotations == [] and not annotator.is_dirty


@pytest.mark.parametrize(
    ("tool", "points", "named"),
    [
        ("circle", [[1, 2], [3, 4], [5, 6]], "'circle'"),
        ("polygon", [[1, 2], [3, "x"], [5, 6]], "[3, 'x']"),
        ("polygon", "1,2", "'1,2'"),
    ],
)
def test_a_malformed_message_is_shown_naming_the_bad_value(
    annotator: Annotator, sent: Sent, tool: str, points: Any, named: str
) -> None:
    draw(annotator, tool, points, gesture_id=3)
    assert named in html.unescape(annotator.status_line.value)
    assert annotator.annotations == []
    assert ({"type": "committed", "id": 3}, []) in sent  # the browser drops its preview all the same


def test_a_drawn_polygon_is_one_undo_step_and_keeps_its_attributes_and_object_id(
    annotator: Annotator, image_item: dw.Item
) -> None:
    draw(annotator, "polygon", [[10, 10], [100, 12.5], [60, 90]])
    shape_key = annotator.selected
    assert shape_key is not None
    annotator._on_object_id("7")
    key(annotator, "z", ctrl=True)
    assert annotator.edits is not None
    assert "objectId" not in annotator.edits.shape(shape_key)["metadata"]["system"]
    key(annotator, "z", ctrl=True)
    assert annotator.annotations == []
    key(annotator, "y", ctrl=True)
    key(annotator, "y", ctrl=True)
    assert annotator.save()
    (polygon,) = image_item.annotations.list()
    assert polygon.object_id == "7" and polygon.type == "segment"


def press(annotator: Annotator, at: tuple[float, float], gesture_id: int = 1, alt: bool = False) -> None:
    x, y = canvas(*at)
    annotator._on_gesture({"type": "down", "id": gesture_id, "x": x, "y": y, "button": 0, "alt": alt})


def release(
    annotator: Annotator, start: tuple[float, float], end: tuple[float, float], gesture_id: int = 1
) -> None:
    (x0, y0), (x1, y1) = canvas(*start), canvas(*end)
    annotator._on_gesture({"type": "up", "id": gesture_id, "x": x1, "y": y1, "x0": x0, "y0": y0})


def drag(annotator: Annotator, start: tuple[float, float], end: tuple[float, float]) -> None:
    press(annotator, start)
    release(annotator, start, end)


def outline(annotator: Annotator) -> list[tuple[float, float]]:
    """The selected polygon's or polyline's vertices, as the Annotator has them now."""
    assert annotator.edits is not None and annotator.selected is not None
    return [(p["x"], p["y"]) for p in annotator.edits.shape(annotator.selected)["coordinates"][0]]


TRIANGLE = [[100, 100], [300, 100], [200, 250]]


def test_drag_a_vertex_add_one_on_an_edge_delete_one_then_undo_each(
    annotator: Annotator, image_item: dw.Item, sent: Sent
) -> None:
    draw(annotator, "polygon", TRIANGLE)
    key(annotator, "v")
    drag(annotator, (300, 100), (320, 90))  # the second vertex
    assert outline(annotator) == [(100, 100), (320, 90), (200, 250)]
    grab = next(m for m, _ in reversed(sent) if m.get("type") == "grab")
    assert (grab["mode"], grab["kind"], grab["index"], grab["closed"]) == ("vertex", "path", 1, True)
    assert grab["points"][1] == pytest.approx(list(canvas(300, 100)))  # previewed from where it was
    drag(annotator, (150, 175), (140, 180))  # on the edge from the third vertex back to the first
    assert outline(annotator) == [(100, 100), (320, 90), (200, 250), (140, 180)]
    key(annotator, "Delete")  # the vertex last grabbed: the one just added
    assert outline(annotator) == [(100, 100), (320, 90), (200, 250)]
    key(annotator, "z", ctrl=True)
    press(annotator, (140, 180), alt=True)  # Alt+click deletes it again
    release(annotator, (140, 180), (140, 180))
    assert outline(annotator) == [(100, 100), (320, 90), (200, 250)]
    for _ in range(3):  # the deletion, the vertex added, the vertex dragged
        key(annotator, "z", ctrl=True)
    assert outline(annotator) == [(100, 100), (300, 100), (200, 250)]
    assert annotator.save()
    (stored,) = image_item.annotations.list()
    assert ring(stored) == [(100, 100), (300, 100), (200, 250)]


def test_the_fewest_vertices_stay_and_delete_with_no_vertex_grabbed_deletes_the_shape(
    annotator: Annotator,
) -> None:
    draw(annotator, "polygon", TRIANGLE)
    key(annotator, "v")
    drag(annotator, (100, 100), (100, 100))  # a click on a vertex grabs it
    key(annotator, "Delete")
    assert "keeps at least 3 vertices" in annotator.status_line.value
    assert len(outline(annotator)) == 3
    drag(annotator, (200, 150), (200, 150))  # inside: the shape, no vertex
    key(annotator, "Delete")
    assert annotator.annotations == []
    draw(annotator, "polyline", [[10, 10], [50, 10]])
    press(annotator, (50, 10), alt=True)
    assert "keeps at least 2 vertices" in annotator.status_line.value


def test_move_a_polygon_a_polyline_and_an_ellipse_whole_by_drag_and_by_arrow_keys(
    annotator: Annotator, image_item: dw.Item
) -> None:
    draw(annotator, "polygon", TRIANGLE)
    draw(annotator, "polyline", [[400, 300], [500, 350]])
    key(annotator, "o")
    drag(annotator, (520, 100), (560, 130))  # an ellipse from its centre: rx 40, ry 30
    key(annotator, "v")
    drag(annotator, (200, 150), (210, 170))  # inside the polygon
    drag(annotator, (450, 325), (440, 325))  # on the polyline
    drag(annotator, (530, 110), (530, 120))  # inside the ellipse
    key(annotator, "ArrowRight", shift=True)
    assert annotator.save()
    by_type = {a.type: a for a in image_item.annotations.list()}
    assert ring(by_type["segment"]) == [(110, 120), (310, 120), (210, 270)]
    assert ring(by_type["polyline"]) == [(390, 300), (490, 350)]
    assert by_type["ellipse"].coordinates == {
        "angle": 0,
        "center": {"x": 530, "y": 110, "z": 0},
        "rx": 40,
        "ry": 30,
    }


def test_a_shape_is_moved_no_further_than_the_image(annotator: Annotator) -> None:
    draw(annotator, "polygon", TRIANGLE)
    key(annotator, "v")
    drag(annotator, (200, 150), (-300, 150))
    assert outline(annotator) == [(0, 100), (200, 100), (100, 250)]


def turn_handle(annotator: Annotator, centre: tuple[float, float], above: float) -> tuple[float, float]:
    """Where the selected shape's rotation handle is, ``above`` image pixels over its centre (not turned)."""
    return centre[0], centre[1] - above - 24 / SCALE


def test_turn_a_box_and_an_ellipse_by_their_rotation_handles(
    annotator: Annotator, image_item: dw.Item
) -> None:
    key(annotator, "b")
    drag(annotator, (100, 100), (300, 200))  # a box, centre (200, 150), selected
    handle = turn_handle(annotator, (200, 150), 50)
    drag(annotator, handle, (200 + 100, 150))  # a quarter turn clockwise on screen
    key(annotator, "o")
    drag(annotator, (450, 200), (510, 240))  # an ellipse, rx 60, ry 40
    handle = turn_handle(annotator, (450, 200), 40)
    drag(annotator, handle, (450 - 50, 200 - 50))  # an eighth of a turn anticlockwise
    assert annotator.save()
    by_type = {a.type: a for a in image_item.annotations.list()}
    assert by_type["box"].coordinates == [{"x": 100, "y": 100, "z": 0}, {"x": 300, "y": 200, "z": 0}, 90]
    assert by_type["ellipse"].coordinates["angle"] == pytest.approx(-45)
    # A turned box keeps turning from where it is, and turned back to 0 it is stored without an angle.
    key(annotator, "v")
    drag(annotator, (200, 150), (200, 150))
    handle = (200 + 50 + 24 / SCALE, 150)  # the handle has turned with the box
    drag(annotator, handle, (200, 150 - 100))
    assert annotator.save()
    box = next(a for a in image_item.annotations.list() if a.type == "box")
    assert box.coordinates == [{"x": 100, "y": 100, "z": 0}, {"x": 300, "y": 200, "z": 0}]


def test_a_click_with_the_ellipse_tool_draws_nothing(annotator: Annotator) -> None:
    key(annotator, "o")
    drag(annotator, (100, 100), (100.5, 100.5))
    assert annotator.annotations == []


def test_the_objects_list_marks_a_type_the_annotator_cannot_edit_as_view_only(image_item: dw.Item) -> None:
    cube = {
        "type": "cube",
        "label": "car",
        "coordinates": [{"x": 1, "y": 2, "z": 0}, {"x": 11, "y": 12, "z": 0}],
    }
    image_item.annotations.upload([dw.Annotation.from_json({**cube, "metadata": {"system": {}}})])
    image_item.annotations.upload([dw.Polygon(geo=TRIANGLE, label="car"), dw.Ellipse(5, 5, 2, 1, 0, "car")])
    annotator = Annotator(image_item, width=800, height=520)
    rows = {row["shape"]: row["summary"] for row in annotator.side_panel.objects}
    assert rows == {"cube": "view only", "segment": "", "ellipse": ""}


def test_hovering_a_polygon_in_the_objects_list_outlines_it(annotator: Annotator) -> None:
    draw(annotator, "polygon", TRIANGLE)
    draw(annotator, "polyline", [[400, 300], [500, 350]])
    for row, command in zip(annotator.side_panel.objects, ("strokePolygon", "strokeLines"), strict=True):
        annotator.side_panel._on_message(annotator.side_panel, {"type": "hover", "key": row["key"]}, [])
        assert annotator._is_highlighted
        assert command in [name for name, _ in batch_commands(annotator.stage.highlight)]


def test_a_vertex_edit_racing_another_change_is_not_saved_and_is_kept(
    annotator: Annotator, image_item: dw.Item
) -> None:
    image_item.annotations.upload([dw.Polygon(geo=TRIANGLE, label="car")])
    annotator.discard()  # shows what is stored now: the polygon
    key(annotator, "v")
    drag(annotator, (200, 150), (200, 150))  # selected: its vertices are handles now
    drag(annotator, (300, 100), (320, 90))
    image_item.annotations.upload([dw.Point(x=1, y=1, label="person")])  # someone else, meanwhile
    assert not annotator.save()
    assert "changed elsewhere" in annotator.status
    assert annotator.is_dirty and outline(annotator) == [(100, 100), (320, 90), (200, 250)]
    (stored,) = [a for a in image_item.annotations.list() if a.type == "segment"]
    assert ring(stored) == [(100, 100), (300, 100), (200, 250)]  # nothing of the edit was written


def last_grab(sent: Sent) -> dict[str, Any]:
    return next(m for m, _ in reversed(sent) if m.get("type") == "grab")


def test_an_ellipses_radii_are_dragged_by_their_handles_kept_under_its_turn(
    annotator: Annotator, image_item: dw.Item, sent: Sent
) -> None:
    image_item.annotations.upload([dw.Ellipse(x=450, y=200, rx=60, ry=40, angle=90, label="car")])
    annotator.discard()  # shows what is stored now: the ellipse, turned a quarter clockwise
    key(annotator, "v")
    drag(annotator, (450, 200), (450, 200))  # selected: its radii's ends are handles now
    drag(annotator, (450, 260), (451, 280))  # the end of rx, turned to below the centre: rx 80
    grab = last_grab(sent)
    assert (grab["mode"], grab["kind"], grab["closed"]) == ("radius", "path", True)
    assert grab["axis"] == pytest.approx([0, 60 * SCALE], abs=1e-9)  # the end grabbed, from the centre
    assert grab["centre"] == pytest.approx(list(canvas(450, 200)))
    drag(annotator, (410, 200), (400, 205))  # the end of ry, turned to the left: ry 50
    shape = annotator.edits.shape(annotator.selected)
    assert shape["coordinates"] == {
        "angle": 90,
        "center": {"x": 450, "y": 200, "z": 0},
        "rx": pytest.approx(80),
        "ry": pytest.approx(50),
    }
    drag(annotator, (450, 120), (450, 200 - 0.2))  # the far end of rx, dragged over the centre: 1 px
    assert annotator.edits.shape(annotator.selected)["coordinates"]["rx"] == 1
    key(annotator, "z", ctrl=True)
    key(annotator, "z", ctrl=True)  # each drag one step: ry back to 40
    assert annotator.edits.shape(annotator.selected)["coordinates"]["ry"] == pytest.approx(40)
    key(annotator, "y", ctrl=True)
    assert annotator.save()
    (stored,) = image_item.annotations.list()
    assert stored.coordinates == {
        "angle": 90,
        "center": {"x": 450, "y": 200, "z": 0},
        "rx": pytest.approx(80),
        "ry": pytest.approx(50),
    }
    assert isinstance(stored.annotation_definition, dw.Ellipse)


def box_numbers(coordinates: list[Any]) -> list[float]:
    """A stored box's left, top, right, bottom and angle."""
    (p0, p1, *angle) = coordinates
    return [p0["x"], p0["y"], p1["x"], p1["y"], *angle]


def test_a_turned_box_is_resized_by_its_turned_handles_the_opposite_side_staying_put(
    annotator: Annotator, image_item: dw.Item, sent: Sent
) -> None:
    image_item.annotations.upload([dw.Box(left=100, top=100, right=300, bottom=200, angle=90, label="car")])
    annotator.discard()  # 200 x 100 about (200, 150), turned a quarter: its top-left corner at (250, 50)
    key(annotator, "v")
    drag(annotator, (200, 150), (200, 150))  # selected: its handles turned with it
    drag(annotator, (150, 250), (140, 270))  # its bottom-right corner, turned to the bottom-left
    grab = last_grab(sent)
    assert (grab["mode"], grab["kind"], len(grab["points"])) == ("se", "path", 4)
    shape = annotator.edits.shape(annotator.selected)
    assert box_numbers(shape["coordinates"]) == pytest.approx([85, 105, 305, 215, 90])
    key(annotator, "z", ctrl=True)
    assert box_numbers(annotator.edits.shape(annotator.selected)["coordinates"]) == [100, 100, 300, 200, 90]
    drag(annotator, (200, 250), (205, 230))  # its right edge's middle, turned to the bottom: 20 shorter
    assert box_numbers(annotator.edits.shape(annotator.selected)["coordinates"]) == pytest.approx(
        [110, 90, 290, 190, 90]  # the left edge (turned to the top, at y = 50) stays where it was
    )
    assert annotator.save()
    (stored,) = image_item.annotations.list()
    assert box_numbers(stored.coordinates) == pytest.approx([110, 90, 290, 190, 90])
    assert stored.annotation_definition.angle == 90


def test_a_polygons_hole_vertices_are_dragged_added_and_deleted_as_its_outlines(
    annotator: Annotator, image_item: dw.Item, sent: Sent
) -> None:
    outer = [(100, 100), (400, 100), (400, 350), (100, 350)]
    hole = [(200, 150), (300, 150), (250, 250)]
    polygon = {"type": "segment", "label": "car", "metadata": {"system": {}}}
    rings = [[{"x": x, "y": y} for x, y in contour] for contour in (outer, hole)]
    image_item.annotations.upload([dw.Annotation.from_json({**polygon, "coordinates": rings})])
    annotator.discard()
    key(annotator, "v")
    drag(annotator, (150, 300), (150, 300))  # selected: its outline's and its hole's vertices are handles
    drag(annotator, (300, 150), (310, 140))  # the hole's second vertex
    grab = last_grab(sent)
    assert (grab["mode"], grab["index"], grab["closed"]) == ("vertex", 1, True)
    assert grab["points"] == [pytest.approx(list(canvas(*p))) for p in hole]  # the hole, previewed
    drag(annotator, (225, 200), (215, 205))  # on the hole's edge from its third vertex back to its first

    def contours() -> list[list[tuple[float, float]]]:
        shape = annotator.edits.shape(annotator.selected)
        return [[(p["x"], p["y"]) for p in contour] for contour in shape["coordinates"]]

    assert contours() == [outer, [(200, 150), (310, 140), (250, 250), (215, 205)]]
    key(annotator, "Delete")  # the hole's vertex last grabbed: the one just added
    assert contours() == [outer, [(200, 150), (310, 140), (250, 250)]]
    press(annotator, (200, 150), alt=True)
    assert "keeps at least 3 vertices" in annotator.status_line.value
    drag(annotator, (400, 350), (420, 360))  # the outline's vertices are handles as before
    assert contours() == [
        [(100, 100), (400, 100), (420, 360), (100, 350)],
        [(200, 150), (310, 140), (250, 250)],
    ]
    key(annotator, "z", ctrl=True)
    assert annotator.save()
    (stored,) = image_item.annotations.list()
    assert stored.coordinates == [
        [{"x": x, "y": y} for x, y in outer],
        [{"x": x, "y": y} for x, y in [(200, 150), (310, 140), (250, 250)]],
    ]
