"""The Annotator's canvas takes the width the browser gives it and a height that follows the image's
shape (within limits, or as given); the zoom reads as a percentage, with Fit and 1:1; ``?`` lists every
shortcut, from the table the keys are handled by."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from canvas_messages import batch_commands

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator
from dlwidgets.widgets.annotator.annotator import TOOLS
from dlwidgets.widgets.annotator.gestures import SHORTCUTS
from dlwidgets.widgets.annotator.review import REVIEW_SHORTCUTS


def resize(annotator: Annotator, width: int, window_height: int = 900) -> None:
    annotator._on_gesture({"type": "resize", "width": width, "window_height": window_height})


def zoom_text(annotator: Annotator) -> str:
    zoom: str = annotator.toolbar.value("zoom")
    return zoom


def test_a_4000_by_3000_photo_opens_fitted_to_the_width_given(
    dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    item = dataset.items.upload(local_path=make_jpeg(4000, 3000), remote_path="/big", remote_name="photo.jpg")
    assert isinstance(item, dw.Item)
    annotator = Annotator(item)
    resize(annotator, 1200, window_height=1400)
    viewport = annotator.viewport
    assert (viewport.canvas_width, viewport.canvas_height) == (1200, 900)
    assert (annotator.stage.width, annotator.stage.height) == (1200, 900)
    assert viewport.scale == pytest.approx(0.3) and viewport.is_fitted
    assert zoom_text(annotator) == "30%"
    assert annotator.stage.view == [pytest.approx(0.3), 0.0, 0.0]


def test_the_height_stays_within_the_window_and_above_a_floor(image_item: dw.Item) -> None:
    annotator = Annotator(image_item)  # 640 x 400
    resize(annotator, 1600, window_height=800)
    assert annotator.viewport.canvas_height == 600  # 1000 wanted, three quarters of the window given
    resize(annotator, 300)
    assert annotator.viewport.canvas_height == 240  # 187 wanted, too low to work in
    assert annotator.viewport.is_fitted


def test_a_height_or_width_given_is_kept(image_item: dw.Item) -> None:
    annotator = Annotator(image_item, height=300)
    resize(annotator, 1000)
    assert (annotator.viewport.canvas_width, annotator.viewport.canvas_height) == (1000, 300)
    pinned = Annotator(image_item, width=700, height=500)
    resize(pinned, 1000)
    assert (pinned.viewport.canvas_width, pinned.viewport.canvas_height) == (700, 500)
    with pytest.raises(ValueError, match=r"height=-5 is not a size"):
        Annotator(image_item, height=-5)


def test_zoom_reads_as_a_percentage_with_fit_and_one_to_one(image_item: dw.Item) -> None:
    annotator = Annotator(image_item, width=800, height=520)
    assert zoom_text(annotator) == "125%"
    annotator.toolbar.press("actual_size")  # the toolbar's 1:1
    assert annotator.viewport.scale == 1 and zoom_text(annotator) == "100%"
    centre = annotator.viewport.to_image(400, 260)
    annotator.toolbar.press("zoom_in")
    assert zoom_text(annotator) == "125%"
    annotator.toolbar.press("zoom_out")
    assert zoom_text(annotator) == "100%"
    annotator.toolbar.press("fit")
    assert zoom_text(annotator) == "125%" and annotator.viewport.is_fitted
    annotator.actual_size()
    assert annotator.viewport.to_image(400, 260) == pytest.approx(centre)


def test_a_zoomed_view_keeps_its_centre_and_scale_when_the_width_changes(image_item: dw.Item) -> None:
    annotator = Annotator(image_item)
    resize(annotator, 800)
    annotator.zoom(2.0)
    viewport = annotator.viewport
    scale, centre = viewport.scale, viewport.to_image(viewport.canvas_width / 2, viewport.canvas_height / 2)
    resize(annotator, 1000)
    assert viewport.scale == scale
    assert viewport.to_image(viewport.canvas_width / 2, viewport.canvas_height / 2) == pytest.approx(centre)


def test_the_shortcuts_overlay_lists_the_table_the_keys_are_handled_by(image_item: dw.Item) -> None:
    annotator = Annotator(image_item)
    assert annotator.stage.shortcuts == [[s.keys, s.does] for s in SHORTCUTS] + [
        list(row) for row in REVIEW_SHORTCUTS
    ]
    assert any(s.keys == "Esc" for s in SHORTCUTS) and any(s.keys == "?" for s in SHORTCUTS)
    annotator.show_shortcuts()
    assert annotator.stage.help_shown
    annotator.show_shortcuts(False)
    assert not annotator.stage.help_shown
    for shortcut, tool in zip(SHORTCUTS[: len(TOOLS)], TOOLS, strict=True):  # a key for each tool
        annotator._on_gesture({"type": "key", "key": shortcut.keys.lower(), "ctrl": False, "shift": False})
        assert annotator.tool == tool


def test_a_drag_made_on_the_canvas_shown_before_a_resize_lands_where_it_was_drawn(
    image_item: dw.Item,
) -> None:
    annotator = Annotator(image_item, height=520)  # 800 x 520: scale 1.25, 10 px band above the image
    resize(annotator, 1000)  # the browser still shows the 800 px canvas when the drag below is made
    shown = [800, 520]
    annotator._on_gesture({"type": "down", "id": 1, "x": 125, "y": 135, "button": 0, "size": shown})
    annotator._on_gesture(
        {"type": "up", "id": 1, "x": 375, "y": 260, "x0": 125, "y0": 135, "size": shown, "shift": False}
    )
    (box,) = annotator.annotations
    assert box.coordinates == [{"x": 100, "y": 100, "z": 0}, {"x": 300, "y": 200, "z": 0}]


def test_the_stage_is_one_model_and_the_first_hover_outlines_on_its_highlight_layer(
    image_item: dw.Item,
) -> None:
    annotator = Annotator(image_item)
    annotator.annotations = [dw.Box(left=10, top=10, right=60, bottom=50, label="car")]
    assert annotator.children[0] is annotator.stage
    assert annotator.stage.highlight == [], "nothing outlined yet"
    key = annotator.edits.keys()[0] if annotator.edits else -1
    annotator.side_panel._on_message(annotator.side_panel, {"type": "hover", "key": key}, [])
    assert "strokeRect" in [name for name, _ in batch_commands(annotator.stage.highlight)]
    assert annotator._is_highlighted
