"""The Annotator driven through its gesture and key handlers, as the browser layer would drive it.

The item is 640 x 400 shown on an 800 x 520 canvas, so the view is scaled (1.25) and offset (10 px
down): every assertion on stored coordinates checks the canvas-to-image mapping too.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator

SCALE, OFFSET_Y = 1.25, 10.0


def canvas(x: float, y: float) -> tuple[float, float]:
    return x * SCALE, y * SCALE + OFFSET_Y


def drag(annotator: Annotator, start: tuple[float, float], end: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = canvas(*start), canvas(*end)
    annotator._on_gesture({"type": "down", "x": x0, "y": y0, "button": 0})
    annotator._on_gesture({"type": "up", "x": x1, "y": y1, "x0": x0, "y0": y0})


def click(annotator: Annotator, at: tuple[float, float]) -> None:
    drag(annotator, at, at)


def key(annotator: Annotator, name: str, ctrl: bool = False, shift: bool = False) -> None:
    annotator._on_gesture({"type": "key", "key": name, "ctrl": ctrl, "shift": shift})


def stored(item: dw.Item) -> list[tuple[str, str, object, dict]]:
    return [(a.type, a.label, a.coordinates, a.attributes) for a in item.annotations.list()]


@pytest.fixture
def annotator(image_item: dw.Item) -> Annotator:
    a = Annotator(image_item, width=800, height=520)
    assert a.viewport.scale == SCALE and a.viewport.offset_y == OFFSET_Y
    return a


def test_draw_a_box_and_a_point_then_save_stores_image_pixels(
    annotator: Annotator, image_item: dw.Item
) -> None:
    drag(annotator, (100, 50), (300, 200))
    key(annotator, "2")  # label hotkey: 'person'; relabels the selected box
    key(annotator, "1")
    key(annotator, "p")
    click(annotator, (400, 300))
    assert annotator.is_dirty
    assert annotator.save()
    assert not annotator.is_dirty
    assert stored(image_item) == [
        ("box", "car", [{"x": 100, "y": 50, "z": 0}, {"x": 300, "y": 200, "z": 0}], {}),
        ("point", "car", {"x": 400, "y": 300, "z": 0}, {}),
    ]


def test_a_click_with_the_box_tool_makes_no_box(annotator: Annotator) -> None:
    click(annotator, (100, 100))
    assert annotator.annotations == []


def test_select_move_resize_delete_undo_redo(annotator: Annotator, image_item: dw.Item) -> None:
    drag(annotator, (100, 100), (200, 200))
    assert len(annotator.annotations) == 1
    key(annotator, "v")
    drag(annotator, (150, 150), (170, 140))  # move by (20, -10)
    drag(annotator, (220, 190), (260, 230))  # the se handle of the moved box
    assert annotator.annotations[0].coordinates == [{"x": 120, "y": 90, "z": 0}, {"x": 260, "y": 230, "z": 0}]
    key(annotator, "ArrowRight", shift=True)
    assert annotator.annotations[0].coordinates[0]["x"] == 130
    key(annotator, "Delete")
    assert annotator.annotations == []
    key(annotator, "z", ctrl=True)
    assert annotator.annotations[0].coordinates[0]["x"] == 130
    key(annotator, "z", ctrl=True)
    key(annotator, "z", ctrl=True)
    assert annotator.annotations[0].coordinates[1] == {"x": 220, "y": 190, "z": 0}
    key(annotator, "z", ctrl=True, shift=True)
    assert annotator.annotations[0].coordinates[1] == {"x": 260, "y": 230, "z": 0}
    key(annotator, "s", ctrl=True)
    assert stored(image_item)[0][2] == [{"x": 120, "y": 90, "z": 0}, {"x": 260, "y": 230, "z": 0}]


def test_shapes_dragged_outside_the_image_are_clamped(annotator: Annotator) -> None:
    drag(annotator, (600, 350), (900, 600))
    assert annotator.annotations[0].coordinates == [
        {"x": 600, "y": 350, "z": 0},
        {"x": 640, "y": 400, "z": 0},
    ]


def panel(annotator: Annotator, message: dict) -> None:
    """A message from the side panel in the browser (a ``PanelRequest``)."""
    annotator.side_panel._on_message(annotator.side_panel, message, [])


def test_attributes_object_id_and_classifications_from_the_panels(
    annotator: Annotator, image_item: dw.Item
) -> None:
    drag(annotator, (10, 10), (60, 60))
    form = annotator.side_panel.selection
    assert (form["shape"], form["label"]) == ("box", "car")
    assert [f["title"] for f in form["fields"]] == ["Occluded?"]
    panel(annotator, {"type": "object_id", "value": "42"})
    panel(annotator, {"type": "attribute", "key": "occluded", "value": True})
    panel(annotator, {"type": "classify", "label": "indoor", "on": True})
    assert annotator.side_panel.selection["object_id"] == "42"
    assert annotator.side_panel.selection["fields"][0]["value"] is True
    assert annotator.side_panel.classifications == ["indoor"]
    assert annotator.side_panel.objects[0]["summary"] == "#42 occluded"
    annotator.save()
    box, classification = image_item.annotations.list()
    assert (box.object_id, box.attributes) == ("42", {"occluded": True})
    assert (classification.type, classification.label) == ("class", "indoor")


def test_zoom_and_pan_never_change_stored_coordinates(annotator: Annotator) -> None:
    annotator.zoom(2.0, (0, 0))
    annotator._on_gesture({"type": "pan", "dx": 30, "dy": -20})
    s, ox, oy = annotator.viewport.scale, annotator.viewport.offset_x, annotator.viewport.offset_y
    annotator._on_gesture({"type": "down", "x": 100 * s + ox, "y": 100 * s + oy, "button": 0})
    annotator._on_gesture(
        {"type": "up", "x": 200 * s + ox, "y": 150 * s + oy, "x0": 100 * s + ox, "y0": 100 * s + oy}
    )
    coordinates = annotator.annotations[0].coordinates
    assert [round(coordinates[0]["x"], 6), round(coordinates[1]["y"], 6)] == [100, 150]


def test_pre_annotations_from_python_then_corrected_by_hand(
    annotator: Annotator, image_item: dw.Item
) -> None:
    annotator.annotations = [
        dw.Box(top=0, left=0, bottom=40, right=40, label="car"),
        dw.Point(x=5, y=5, label="person"),
    ]
    key(annotator, "v")
    drag(annotator, (20, 20), (30, 30))
    annotator.save()
    box, point = image_item.annotations.list()
    assert box.coordinates[0] == {"x": 10, "y": 10, "z": 0}
    assert point.coordinates == {"x": 5, "y": 5, "z": 0}


def test_a_conflicting_save_is_shown_and_keeps_the_edits(annotator: Annotator, image_item: dw.Item) -> None:
    drag(annotator, (10, 10), (60, 60))
    builder = image_item.annotations.builder()
    builder.add(dw.Point(x=1, y=1, label="person"))
    image_item.annotations.upload(builder)
    assert not annotator.save()
    assert "changed elsewhere" in annotator.status
    assert annotator.is_dirty and len(annotator.annotations) == 1


def test_unknown_labels_are_kept_and_flagged(annotator: Annotator, image_item: dw.Item) -> None:
    drag(annotator, (10, 10), (60, 60))
    annotator.edits.set_label(annotator.selected, "bicycle")
    assert annotator.side_panel.selection["known"] is False
    assert annotator.annotations[0].label == "bicycle"


def test_navigation_with_autosave_and_on_save(
    dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        dataset.items.upload(local_path=make_jpeg(320, 200), remote_path="/nav", remote_name=name)
    annotator = Annotator(dataset, filters=dw.Filters(field="dir", values="/nav"), autosave=True)
    saved = []
    annotator.on_save(lambda item, annotations: saved.append((item.name, len(annotations))))
    assert annotator.toolbar.value("counter") == "1 of 3"
    annotator._on_gesture({"type": "down", "x": 100, "y": 100, "button": 0})
    annotator._on_gesture({"type": "up", "x": 200, "y": 200, "x0": 100, "y0": 100})
    annotator.toolbar.press("next")
    assert saved == [("a.jpg", 1)] and annotator.item.name == "b.jpg"
    assert annotator.toolbar.value("counter") == "2 of 3"
    annotator.toolbar.press("save_next")
    assert annotator.item.name == "c.jpg"
    annotator.next()
    assert annotator.item.name == "c.jpg"
    annotator.toolbar.press("previous")
    assert annotator.item.name == "b.jpg" and annotator.toolbar.value("item") == 2


def test_a_dataset_is_read_a_page_at_a_time_as_navigation_reaches_it(
    dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    for name in ("a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"):
        dataset.items.upload(local_path=make_jpeg(32, 20), remote_path="/paged", remote_name=name)
    annotator = Annotator(dataset, filters=dw.Filters(field="dir", values="/paged", page_size=2))
    assert len(annotator._items) == 2 and annotator.toolbar.value("counter") == "1 of 5"
    seen = [annotator.item.name]
    for _ in range(5):
        annotator.next()
        seen.append(annotator.item.name)
    assert seen == ["a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "e.jpg"]
    assert [item.name for item in annotator._items] == seen[:5]


def test_items_that_are_not_images_show_a_message(dataset: dw.Dataset) -> None:
    text = dataset.items.upload(local_path=b"hello", remote_path="/docs", remote_name="note.txt")
    annotator = Annotator(text)
    assert "is not an image" in annotator.status
    with pytest.warns(UserWarning, match="not a readable image"):
        broken = dataset.items.upload(
            local_path=b"not a jpeg", remote_path="/images", remote_name="broken.jpg"
        )
    assert "could not be decoded" in Annotator(broken).status


def test_the_panel_is_one_widget_whatever_the_selection(annotator: Annotator) -> None:
    panel_model = annotator.side_panel.model_id
    drag(annotator, (10, 10), (60, 60))  # a 'car' box: its form has the car-only attribute
    assert [f["key"] for f in annotator.side_panel.selection["fields"]] == ["occluded"]
    key(annotator, "2")  # relabelled 'person': a form without that attribute
    assert annotator.side_panel.selection["fields"] == []
    assert annotator.side_panel.model_id == panel_model


def test_replies_name_their_gesture_and_a_late_grab_still_pans(annotator: Annotator) -> None:
    """The browser may begin a gesture before the kernel has answered the last one: every reply carries
    the id of the gesture it answers."""
    replies: list[dict] = []
    send = annotator.stage.reply
    annotator.stage.reply = lambda message: (replies.append(message), send(message))  # type: ignore[method-assign]
    for gesture_id, (start, end) in enumerate((((10, 10), (60, 60)), ((100, 100), (150, 150))), start=1):
        (x0, y0), (x1, y1) = canvas(*start), canvas(*end)
        annotator._on_gesture({"type": "down", "id": gesture_id, "x": x0, "y": y0, "button": 0})
        annotator._on_gesture({"type": "up", "id": gesture_id, "x": x1, "y": y1, "x0": x0, "y0": y0})
    assert [(r["type"], r["id"]) for r in replies] == [
        ("grab", 1),
        ("committed", 1),
        ("grab", 2),
        ("committed", 2),
    ]
    assert len(annotator.annotations) == 2
    # A pan whose drag ended before its grab reached the browser: the end carries the whole movement.
    offset_x = annotator.viewport.offset_x
    annotator._on_gesture({"type": "down", "id": 3, "x": 5, "y": 5, "button": 1})
    annotator._on_gesture({"type": "up", "id": 3, "x": 45, "y": 5, "x0": 5, "y0": 5, "px": 5, "py": 5})
    assert annotator.viewport.offset_x == offset_x + 40
    assert len(annotator.annotations) == 2


@pytest.fixture
def three_items(dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]) -> list[dw.Item]:
    return [
        dataset.items.upload(local_path=make_jpeg(320, 200), remote_path="/nav", remote_name=name)
        for name in ("a.jpg", "b.jpg", "c.jpg")
    ]


def draw_box(annotator: Annotator) -> None:
    annotator._on_gesture({"type": "down", "x": 100, "y": 100, "button": 0})
    annotator._on_gesture({"type": "up", "x": 200, "y": 200, "x0": 100, "y0": 100})


def test_autosave_is_on_by_default_so_leaving_an_item_keeps_its_box(three_items: list[dw.Item]) -> None:
    annotator = Annotator(three_items)
    assert annotator.autosave and annotator.toolbar.value("autosave") is True
    draw_box(annotator)
    assert annotator.save_state == "unsaved" and annotator.toolbar.value("save_state") == "● unsaved"
    assert annotator.toolbar.tones["save_state"] == "error" and annotator.toolbar.is_enabled("discard")
    key(annotator, "]")
    key(annotator, "[")
    assert annotator.item.name == "a.jpg" and len(annotator.annotations) == 1
    assert annotator.save_state == "saved" and not annotator.is_dirty
    assert len(three_items[0].annotations.list()) == 1
    annotator.toolbar.set("item", 3)  # the item number
    assert annotator.item.name == "c.jpg" and annotator.toolbar.value("counter") == "3 of 3"
    annotator.toolbar.set("item", 4)  # not an item: refused, and nothing moves
    assert annotator.status == "item takes 1-3, not 4" and annotator.item.name == "c.jpg"


def test_with_autosave_off_a_visited_item_keeps_its_draft(three_items: list[dw.Item]) -> None:
    annotator = Annotator(three_items, autosave=False)
    draw_box(annotator)
    key(annotator, "]")
    assert [i.name for i in annotator.drafts] == ["a.jpg"]
    assert "a.jpg" in annotator._drafts_line.value
    key(annotator, "[")
    assert len(annotator.annotations) == 1 and annotator.is_dirty
    assert annotator.toolbar.value("save_state") == "● unsaved"
    assert three_items[0].annotations.list() == []
    key(annotator, "z", ctrl=True)  # the draft kept its history
    assert annotator.annotations == []
    key(annotator, "z", ctrl=True, shift=True)
    annotator.go_to(2)
    annotator.discard(three_items[0])
    assert annotator.drafts == [] and annotator._drafts_line.value == ""
    annotator.previous()
    annotator.previous()
    assert annotator.item.name == "a.jpg" and annotator.annotations == []


def test_the_autosave_toggle_turns_it_off_and_on(three_items: list[dw.Item]) -> None:
    annotator = Annotator(three_items)
    annotator.toolbar.set("autosave", False)  # what unticking the box sends
    assert not annotator.autosave
    draw_box(annotator)
    annotator.next()
    assert three_items[0].annotations.list() == []
    annotator.autosave = True  # turned on: the drafts are saved at once
    assert annotator.toolbar.value("autosave") is True and annotator.drafts == []
    assert len(three_items[0].annotations.list()) == 1


def test_close_with_unsaved_drafts_warns_and_writes_nothing(
    three_items: list[dw.Item], caplog: pytest.LogCaptureFixture
) -> None:
    annotator = Annotator(three_items, autosave=False)
    draw_box(annotator)
    annotator.next()
    with pytest.warns(UserWarning, match=r"unsaved annotation edits of 1 item\(s\): '/nav/a.jpg'"):
        annotator.close()
    assert "/nav/a.jpg" in caplog.text
    assert three_items[0].annotations.list() == []
    saved = Annotator(three_items)
    draw_box(saved)
    saved.close()  # autosave: saved on close, no warning
    assert len(three_items[0].annotations.list()) == 1


def test_a_failed_save_on_leaving_keeps_the_draft_and_says_so(three_items: list[dw.Item]) -> None:
    annotator = Annotator(three_items)
    draw_box(annotator)
    builder = three_items[0].annotations.builder()
    builder.add(dw.Point(x=1, y=1, label="person"))
    three_items[0].annotations.upload(builder)  # another writer, meanwhile
    annotator.next()
    assert annotator.item.name == "b.jpg"
    assert "a.jpg" in annotator.status and "kept as a draft" in annotator.status
    assert [i.name for i in annotator.drafts] == ["a.jpg"]
    annotator.previous()
    assert annotator.save_state == "failed" and annotator.toolbar.value("save_state") == "✖ save failed"
    assert len(annotator.annotations) == 1
