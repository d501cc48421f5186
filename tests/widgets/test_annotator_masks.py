"""The Annotator's brush and eraser, driven as the browser layer drives them: a stroke arrives as one
message when the pointer is released, is painted into the mask a user expects, is one step of undo, and is
saved as the platform's PNG, which the official SDK reads."""

from __future__ import annotations

import json

import numpy as np
import pytest
from brush_paths import covered_by
from dtlpy.entities.annotation_definitions.segmentation import Segmentation as SdkSegmentation
from test_annotator import key
from test_annotator_shape_tools import TRIANGLE, drag, draw

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator
from dlwidgets.widgets.annotator.mask_painting import DEFAULT_SIZE


@pytest.fixture
def annotator(image_item: dw.Item) -> Annotator:
    a = Annotator(image_item, width=800, height=520)
    replies: list[dict] = []
    send = a.stage.reply
    a.stage.reply = lambda message: (replies.append(message), send(message))  # type: ignore[method-assign]
    a.replies = replies  # type: ignore[attr-defined]
    return a


def paint(
    annotator: Annotator, tool: str, radius: float, *points: tuple[float, float], gesture: int = 1
) -> None:
    flat = [v for p in points for v in p]
    message = {"type": "stroke", "id": gesture, "tool": tool, "radius": radius, "points": flat}
    annotator._on_gesture(message)


def disc_or_capsule(points: list[tuple[float, float]], radius: float) -> np.ndarray:
    return covered_by(points, radius, 640, 400)


def mask_in(shape: dict) -> np.ndarray:
    return SdkSegmentation.from_json({"label": shape["label"], "coordinates": shape["coordinates"]}).geo > 0


def test_the_brush_size_box_shows_with_the_brush_tools_and_follows_the_size(annotator: Annotator) -> None:
    bar = annotator.toolbar
    assert bar.spec("brush_size")["tooltip"] == "brush and eraser size in image pixels (- and = step it)"
    assert not bar.is_shown("brush_size")  # the box tool
    bar.set("tool", "eraser")  # what a click on the Eraser sends
    assert annotator.tool == "eraser" and bar.is_shown("brush_size")
    key(annotator, "=")
    assert bar.value("brush_size") == 24
    bar.set("brush_size", 40)  # typed into the box
    assert annotator.mask_brush.size == 40 and annotator.stage.brush["radius"] == 20
    bar.set("brush_size", 0)
    assert "brush_size takes 1-" in annotator.status and annotator.mask_brush.size == 40
    bar.set("tool", "select")
    assert not bar.is_shown("brush_size")


def test_the_brush_tools_tell_the_browser_what_a_drag_paints(annotator: Annotator) -> None:
    assert annotator.stage.brush is None  # the box tool: a drag draws a box
    key(annotator, "m")
    assert annotator.tool == "brush"
    assert annotator.stage.brush == {"tool": "brush", "radius": DEFAULT_SIZE / 2, "color": "#ff0000"}
    key(annotator, "=")
    key(annotator, "=")
    assert annotator.mask_brush.size == 32 and annotator.stage.brush["radius"] == 16
    key(annotator, "-")
    assert annotator.mask_brush.size == 24
    key(annotator, "2")  # person
    assert annotator.stage.brush["color"] == "#00ff00"
    key(annotator, "e")
    assert annotator.stage.brush["tool"] == "eraser"
    annotator.mask_brush.size = 5
    assert annotator.stage.brush["radius"] == 2.5
    with pytest.raises(ValueError, match="brush size 0 "):
        annotator.mask_brush.size = 0
    key(annotator, "b")
    assert annotator.stage.brush is None
    rows = [keys for keys, _does in annotator.stage.shortcuts]
    assert {"M", "E", "- / ="} <= set(rows)


def test_strokes_paint_the_labels_mask_each_undone_alone_and_saved_as_the_sdk_reads_it(
    annotator: Annotator, image_item: dw.Item
) -> None:
    annotator.set_tool("brush")
    paint(annotator, "brush", 10, (100, 100), (200, 120), (210, 200), gesture=1)
    paint(annotator, "brush", 4, (300, 300), gesture=2)  # the same label: the same mask
    assert [s["type"] for _, s in annotator.edits.shapes()] == ["binary"]
    annotator.set_label("person")
    paint(annotator, "brush", 6, (500, 50), (520, 60), gesture=3)
    annotator.set_label("car")
    paint(annotator, "eraser", 5, (150, 110), (205, 160), gesture=4)
    assert [(r["type"], r["id"]) for r in annotator.replies] == [("committed", n) for n in (1, 2, 3, 4)]
    car, _person = (k for k, _ in annotator.edits.shapes())
    expected = disc_or_capsule([(100, 100), (200, 120), (210, 200)], 10) | disc_or_capsule([(300, 300)], 4)
    expected &= ~disc_or_capsule([(150, 110), (205, 160)], 5)
    assert (mask_in(annotator.edits.shape(car)) == expected).all()

    annotator.undo()  # the eraser's stroke, alone
    assert mask_in(annotator.edits.shape(car))[110, 150]
    annotator.redo()
    annotator._select(car)
    annotator._on_attribute("occluded", True)
    annotator._on_object_id("12")
    assert annotator.save(), annotator.status

    stored = {a.label: a for a in image_item.annotations.list()}
    assert {label: a.type for label, a in stored.items()} == {"car": "binary", "person": "binary"}
    assert (mask_in(stored["car"].to_json()) == expected).all()
    assert stored["car"].attributes == {"occluded": True} and stored["car"].object_id == "12"
    assert (mask_in(stored["person"].to_json()) == disc_or_capsule([(500, 50), (520, 60)], 6)).all()


def test_a_selected_mask_is_painted_whatever_the_label_and_a_locked_one_is_refused(
    annotator: Annotator,
) -> None:
    annotator.set_tool("brush")
    paint(annotator, "brush", 8, (100, 100))
    (car,) = annotator.edits.keys()
    annotator.label = "person"  # the label for new shapes (set_label would relabel a selected mask)
    annotator._select(car)
    assert annotator.stage.brush["color"] == "#ff0000"  # the preview in the selected mask's colour
    paint(annotator, "brush", 8, (300, 100), gesture=2)
    assert annotator.edits.keys() == [car]
    assert mask_in(annotator.edits.shape(car))[100, 300]
    annotator._on_object_action(car, "hide")  # and so no longer selected
    annotator.label = "car"
    paint(annotator, "brush", 8, (350, 100), gesture=3)
    assert annotator.edits.keys() == [car]
    assert car not in annotator.hidden  # shown again: painted where it can be seen
    annotator._on_object_action(car, "lock")
    paint(annotator, "eraser", 8, (300, 100), gesture=4)
    assert "locked" in annotator.status
    assert annotator.replies[-1] == {"type": "committed", "id": 4}
    assert mask_in(annotator.edits.shape(car))[100, 300]


def test_a_bad_stroke_is_shown_and_its_preview_dropped(annotator: Annotator) -> None:
    annotator._on_gesture({"type": "stroke", "id": 7, "tool": "brush", "radius": -1, "points": [1, 2]})
    assert "radius" in annotator.status and "-1" in annotator.status
    assert annotator.replies == [{"type": "committed", "id": 7}]
    paint(annotator, "eraser", 5, (10, 10), gesture=8)  # no mask to erase: nothing happens
    assert annotator.edits.keys() == []


def test_a_long_stroke_message_stays_small(annotator: Annotator) -> None:
    # Five seconds of painting at 120 moves a second, as the browser sends it (image points to 0.1 px).
    t = np.linspace(0, 1, 600)
    points = np.round(np.stack([50 + 540 * t, 200 + 150 * np.sin(12 * t)], axis=1), 1)
    message = {"type": "stroke", "id": 1, "tool": "brush", "radius": 12, "points": points.ravel().tolist()}
    assert len(json.dumps(message)) < 16 * 1024
    annotator._on_gesture(message)
    assert len(annotator.edits.keys()) == 1


def test_a_click_on_a_masks_pixels_selects_it_the_topmost_shape_winning(
    annotator: Annotator, image_item: dw.Item
) -> None:
    annotator.set_tool("brush")
    paint(annotator, "brush", 20, (100, 300), (250, 300))  # a band of car
    (mask,) = annotator.edits.keys()
    draw(annotator, "polygon", TRIANGLE)  # drawn after it: on top where they overlap
    key(annotator, "v")
    annotator._select(None)
    drag(annotator, (150, 305), (150, 305))  # on the mask's pixels, away from the polygon
    assert annotator.selected == mask
    before = annotator.edits.shape(mask)
    drag(annotator, (150, 310), (170, 300))  # a drag on a mask selects it and moves nothing
    assert annotator.selected == mask and annotator.edits.shape(mask) is before
    drag(annotator, (250, 340), (250, 340))  # beside the band: not its pixels
    assert annotator.selected is None
    paint(annotator, "brush", 30, (200, 200), gesture=2)  # car's mask again, now under the polygon too
    drag(annotator, (200, 200), (200, 200))  # both there: the polygon, drawn last, wins
    assert annotator.edits.shape(annotator.selected)["type"] == "segment"
    annotator._on_object_action(annotator.selected, "hide")
    drag(annotator, (200, 200), (200, 200))  # the polygon hidden: the mask under it
    assert annotator.selected == mask
    key(annotator, "Delete")
    assert [s["type"] for _, s in annotator.edits.shapes()] == ["segment"]


def png_color(shape: dict) -> tuple[int, ...]:
    """The colour of a stored mask's set pixels, as dtlpy reads it from the PNG."""
    definition = SdkSegmentation.from_json({"label": shape["label"], "coordinates": shape["coordinates"]})
    assert definition.geo.any()
    return tuple(int(c) for c in definition._color[:3])


def test_a_relabelled_masks_png_takes_the_new_labels_colour_in_one_step_of_undo(
    annotator: Annotator, image_item: dw.Item
) -> None:
    annotator.set_tool("brush")
    paint(annotator, "brush", 12, (100, 100), (200, 150))
    (mask,) = annotator.edits.keys()
    painted = mask_in(annotator.edits.shape(mask))
    assert png_color(annotator.edits.shape(mask)) == (255, 0, 0)  # car's red
    annotator._select(mask)
    annotator.set_label("person")
    shape = annotator.edits.shape(mask)
    assert (shape["label"], png_color(shape)) == ("person", (0, 255, 0))
    assert (mask_in(shape) == painted).all()
    annotator.undo()  # label and colour go back together
    shape = annotator.edits.shape(mask)
    assert (shape["label"], png_color(shape)) == ("car", (255, 0, 0))
    annotator.redo()
    assert annotator.save(), annotator.status
    (stored,) = image_item.annotations.list()
    assert (stored.label, png_color(stored.to_json())) == ("person", (0, 255, 0))
    assert (mask_in(stored.to_json()) == painted).all()


def test_a_mask_painted_into_is_saved_in_its_labels_colour(annotator: Annotator, image_item: dw.Item) -> None:
    geo = disc_or_capsule([(300, 200)], 30)
    image_item.annotations.upload([dw.Segmentation(geo=geo, label="car", color=(255, 255, 255))])
    annotator.discard()  # a car mask stored white
    annotator.set_tool("brush")
    paint(annotator, "brush", 10, (100, 100))  # into the car's mask
    assert annotator.save(), annotator.status
    (stored,) = image_item.annotations.list()
    assert png_color(stored.to_json()) == (255, 0, 0)  # as dtlpy writes a mask: in its label's colour
    assert (mask_in(stored.to_json()) == geo | disc_or_capsule([(100, 100)], 10)).all()
