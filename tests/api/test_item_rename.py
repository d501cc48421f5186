"""Renaming and moving items (``item.name = ...; item.update()``, a new ``filename``, ``item.move``) on
both transports: the item keeps its id, bytes and annotations; a taken path or a bad name is refused."""

from __future__ import annotations

import pytest
from labelled import labelled_image

import dlwidgets as dw


def test_a_renamed_item_keeps_its_bytes_and_annotations(both: dw.Client) -> None:
    dataset, item = labelled_image(both, "rename", "pets", ["cat"])
    item.annotations.upload([dw.Classification(label="cat")])
    before = item.read()
    item.name = "cat.png"
    renamed = item.update()
    assert (renamed.id, renamed.filename, renamed.dir) == (item.id, "/cat.png", "/")
    renamed.filename = "/pets/cats/cat.png"
    moved = renamed.update()
    assert (moved.name, moved.dir) == ("cat.png", "/pets/cats")
    assert moved.read() == before
    assert [a.label for a in moved.annotations.list()] == ["cat"]
    assert dataset.directories() == {"/pets/cats": 1}
    dataset.items.upload(local_path=b"words", remote_path="/archive", remote_name="a.txt")
    assert moved.move("/archive").filename == "/archive/cat.png"  # a folder that holds items
    assert dataset.items.get(item_id=item.id).move("/cat").filename == "/cat"  # a path


def test_a_move_onto_another_item_is_a_conflict_naming_both(both: dw.Client) -> None:
    dataset, item = labelled_image(both, "rename", "pets", [])
    other = dataset.items.upload(local_path=b"words", remote_path="/notes", remote_name="a.txt")
    assert isinstance(other, dw.Item)
    item.filename = "/notes/a.txt"
    with pytest.raises(dw.exceptions.Conflict) as raised:
        item.update()
    assert "'/notes/a.txt'" in raised.value.message and other.id in raised.value.message
    assert dataset.items.get(item_id=item.id).filename == "/image.png"


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [("name", "a/b.png", "contains '/'"), ("name", 7, "7"), ("filename", "/x/../y.png", "'..'")],
)
def test_a_bad_new_name_is_refused_naming_it(both: dw.Client, field: str, value: object, named: str) -> None:
    _, item = labelled_image(both, "rename", "pets", [])
    response = both.http.patch(f"/items/{item.id}", json={field: value})
    assert response.status_code == 400, response.text
    assert named in response.json()["message"]
    assert both.http.get(f"/items/{item.id}").json()["filename"] == "/image.png"
