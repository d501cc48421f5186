"""Editing an item's annotations: every edit, undo and redo, clamping, saving and conflicts."""

from __future__ import annotations

import gc

import pytest

import dlwidgets as dw
from dlwidgets.widgets.models.annotation_edits import AnnotationEdits


@pytest.fixture
def edits(image_item: dw.Item) -> AnnotationEdits:
    e = AnnotationEdits(image_item, 640, 400)
    e.load()
    return e


def stored(item: dw.Item) -> list[dict]:
    return [
        {k: a.to_json().get(k) for k in ("type", "label", "coordinates")} | {"attributes": a.attributes}
        for a in item.annotations.list()
    ]


def test_draw_move_resize_delete_then_save_stores_platform_json(
    edits: AnnotationEdits, image_item: dw.Item
) -> None:
    box = edits.add(dw.Box(top=10, left=20, bottom=110, right=220, label="car"))
    point = edits.add(dw.Point(x=300, y=200, label="person"))
    edits.move(box, 5, 10)
    edits.resize(box, "se", 300, 150)
    edits.set_attribute(box, "occluded", True)
    edits.delete([point])
    assert edits.is_dirty
    edits.save()
    assert not edits.is_dirty
    assert stored(image_item) == [
        {
            "type": "box",
            "label": "car",
            "coordinates": [{"x": 25, "y": 20, "z": 0}, {"x": 300, "y": 150, "z": 0}],
            "attributes": {"occluded": True},
        }
    ]


def test_undo_and_redo_walk_every_edit(edits: AnnotationEdits) -> None:
    box = edits.add(dw.Box(top=10, left=10, bottom=50, right=50, label="car"))
    edits.move(box, 100, 0)
    edits.set_label(box, "person")
    assert edits.shape(box)["label"] == "person"
    assert edits.undo() and edits.shape(box)["label"] == "car"
    assert edits.undo() and edits.shape(box)["coordinates"][0]["x"] == 10
    assert edits.undo() and edits.keys() == []
    assert not edits.undo()
    assert edits.redo() and edits.redo() and edits.shape(box)["coordinates"][0]["x"] == 110
    assert edits.redo() and edits.shape(box)["label"] == "person"
    assert not edits.redo()


def test_shapes_are_clamped_to_the_image(edits: AnnotationEdits) -> None:
    box = edits.add(dw.Box(top=-20, left=600, bottom=500, right=700, label="car"))
    assert edits.shape(box)["coordinates"] == [{"x": 600, "y": 0, "z": 0}, {"x": 640, "y": 400, "z": 0}]
    edits.move(box, 100, 100)  # already at the edge: cannot go further
    assert edits.shape(box)["coordinates"][1] == {"x": 640, "y": 400, "z": 0}
    point = edits.add(dw.Point(x=-5, y=999, label="person"))
    assert edits.shape(point)["coordinates"] == {"x": 0, "y": 400, "z": 0}


def test_classifications_toggle_per_item(edits: AnnotationEdits, image_item: dw.Item) -> None:
    edits.toggle_classification("indoor")
    assert edits.classification_labels() == {"indoor"}
    edits.save()
    assert [(a.type, a.label) for a in image_item.annotations.list()] == [("class", "indoor")]
    edits.toggle_classification("indoor")
    edits.save()
    assert image_item.annotations.list() == []


def test_a_conflicting_save_says_so_and_keeps_the_edits(edits: AnnotationEdits, image_item: dw.Item) -> None:
    edits.add(dw.Box(top=1, left=1, bottom=9, right=9, label="car"))
    # Someone else annotates the item meanwhile.
    other = image_item.annotations.builder()
    other.add(dw.Point(x=5, y=5, label="person"))
    image_item.annotations.upload(other)
    with pytest.raises(dw.exceptions.Conflict, match="changed elsewhere"):
        edits.save()
    assert edits.is_dirty and len(edits.keys()) == 1
    assert [a.type for a in image_item.annotations.list()] == ["point"]


def test_stored_annotations_load_and_edits_after_save_update_them(
    edits: AnnotationEdits, image_item: dw.Item
) -> None:
    builder = image_item.annotations.builder()
    builder.add(dw.Box(top=10, left=10, bottom=20, right=20, label="car"), object_id=7)
    image_item.annotations.upload(builder)
    edits.load()
    (key,) = edits.keys()
    assert edits.shape(key)["metadata"]["system"]["objectId"] == "7"
    edits.set_object_id(key, "8")
    edits.move(key, 1, 1)
    edits.save()
    (annotation,) = image_item.annotations.list()
    assert annotation.object_id == "8"
    assert annotation.coordinates[0] == {"x": 11, "y": 11, "z": 0}


def test_clearing_an_attribute_and_an_object_id_is_saved(edits: AnnotationEdits, image_item: dw.Item) -> None:
    builder = image_item.annotations.builder()
    builder.add(dw.Box(top=10, left=10, bottom=20, right=20, label="car", attributes={"occluded": True}), 7)
    image_item.annotations.upload(builder)
    edits.load()
    (key,) = edits.keys()
    edits.set_attribute(key, "occluded", None)
    edits.set_object_id(key, None)
    edits.save()
    (annotation,) = image_item.annotations.list()
    assert (annotation.attributes, annotation.object_id) == ({}, None)


def test_hit_finds_the_topmost_shape(edits: AnnotationEdits) -> None:
    low = edits.add(dw.Box(top=0, left=0, bottom=100, right=100, label="car"))
    high = edits.add(dw.Box(top=50, left=50, bottom=150, right=150, label="car"))
    assert edits.hit(75, 75, 2) == (high, "move")
    assert edits.hit(10, 10, 2) == (low, "move")
    assert edits.hit(300, 300, 2) is None


def test_a_turned_box_is_hit_by_its_turned_area(edits: AnnotationEdits) -> None:
    # 200 wide and 20 tall about (300, 200), turned a quarter: 20 wide and 200 tall on screen.
    turned = edits.add(dw.Box(left=200, top=190, right=400, bottom=210, label="car", angle=90))
    assert edits.hit(300, 280, 2) == (turned, "move")  # outside the box as stored, inside it turned
    assert edits.hit(380, 200, 2) is None  # inside the box as stored, outside it turned


def test_loading_thousands_of_annotations_sets_off_no_cycle_collection(image_item: dw.Item) -> None:
    builder = image_item.annotations.builder()
    for n in range(3000):
        builder.add(dw.Box(left=n % 600, top=n % 400, right=n % 600 + 5, bottom=n % 400 + 5, label="car"))
    image_item.annotations.upload(annotations=builder)
    edits = AnnotationEdits(image_item, 640, 400)
    gc.collect()  # counts start afresh: the few objects made before loading set off nothing
    before = [generation["collections"] for generation in gc.get_stats()]
    edits.load()
    assert len(edits.keys()) == 3000
    after = [generation["collections"] for generation in gc.get_stats()]
    # An older generation's collection walks every object the process holds; the annotations read hold no
    # cycles. One young collection follows, once the collector is back, when the next object is made.
    assert after[1:] == before[1:] and after[0] - before[0] <= 1
    assert gc.isenabled()
    gc.disable()
    edits.load()
    assert not gc.isenabled()  # as it was before loading
    gc.enable()
