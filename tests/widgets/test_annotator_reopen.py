"""An item opened again: its annotations are listed again only when they changed since they were last
read (stored_annotations), whoever changed them; what one annotator edits and has not saved is not what
another opens."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from test_annotator import drag

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator


@pytest.fixture
def listings(client: dw.Client) -> Iterator[list[str]]:
    """The annotation listings (dataset queries) the client sends meanwhile."""
    sent: list[str] = []

    def record(request: httpx.Request) -> None:
        if request.url.path.endswith("/query") and b'"annotations"' in request.content:
            sent.append(request.url.path)

    client.http.event_hooks["request"].append(record)
    yield sent
    client.http.event_hooks["request"].remove(record)


def boxes(annotator: Annotator) -> list[tuple[str, float]]:
    return [(a.label, a.coordinates[0]["x"]) for a in annotator.annotations]


def test_an_item_opened_again_unchanged_is_not_listed_again(image_item: dw.Item, listings: list[str]) -> None:
    image_item.annotations.upload(annotations=[dw.Box(left=10, top=10, right=50, bottom=50, label="car")])
    first = Annotator(image_item)
    assert len(listings) == 1
    again = Annotator(image_item)
    assert len(listings) == 1 and boxes(again) == boxes(first) == [("car", 10)]


def test_a_change_made_elsewhere_is_in_the_next_opening(dataset: dw.Dataset, image_item: dw.Item) -> None:
    image_item.annotations.upload(annotations=[dw.Box(left=10, top=10, right=50, bottom=50, label="car")])
    assert boxes(Annotator(image_item)) == [("car", 10)]
    image_item.annotations.upload(annotations=[dw.Box(left=60, top=10, right=90, bottom=50, label="person")])
    assert boxes(Annotator(image_item)) == [("car", 10), ("person", 60)]
    stored = dataset.items.get(item_id=image_item.id).annotations.list()
    stored[0].label = "person"
    stored[0].update()
    assert boxes(Annotator(image_item)) == [("person", 10), ("person", 60)]
    stored[1].delete()
    assert boxes(Annotator(image_item)) == [("person", 10)]


def test_edits_not_saved_are_not_in_another_annotators_opening(image_item: dw.Item) -> None:
    image_item.annotations.upload(annotations=[dw.Box(left=10, top=10, right=50, bottom=50, label="car")])
    editing = Annotator(image_item, width=800, height=520, autosave=False)
    editing.set_tool("select")
    drag(editing, (30, 30), (130, 30))  # the box moved 100 px right, and selected
    editing.set_label("person")  # and relabelled
    assert boxes(editing) == [("person", 110)]
    assert boxes(Annotator(image_item)) == [("car", 10)]
    editing.discard()
    assert boxes(editing) == [("car", 10)]
