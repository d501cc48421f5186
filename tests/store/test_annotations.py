"""The annotations handler at scale: a filtered delete of more annotations than SQLite binds variables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from labelled import labelled_image

import dlwidgets as dw
from dlwidgets.api.client import LOCAL_ENVIRONMENT, local_user
from dlwidgets.api.transport import LocalTransport
from dlwidgets.store import Store

# SQLite's limit on bound variables in upstream builds (some distributions raise it); the deletes below
# run with it, on this thread's connection, whatever the build.
VARIABLE_LIMIT = 32_766
MANY = 100_000


def test_one_filtered_call_deletes_a_hundred_thousand_annotations(
    workspace_home: Path, tmp_path: Path
) -> None:
    store = Store(workspace_home)
    store.workspace.db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, VARIABLE_LIMIT)
    client = dw.Client(LOCAL_ENVIRONMENT, transport=LocalTransport(store, local_user()))
    dataset, item = labelled_image(client, "bulk", "points", ["car", "person"], 100, 100)
    cars = [
        {"type": "point", "label": "car", "coordinates": {"x": i % 100, "y": i // 1000}} for i in range(MANY)
    ]
    # In uploads of 10,000: a JSON body is capped at 8 MiB.
    for start in range(0, MANY, 10_000):
        item.annotations.upload(cars[start : start + 10_000])
    item.annotations.upload([{"type": "point", "label": "person", "coordinates": {"x": 1, "y": 2}}])

    cars_only = dw.Filters(resource=dw.FiltersResource.ANNOTATION, field="label", values="car")
    assert item.annotations.delete(filters=cars_only)

    assert [a.label for a in item.annotations.list()] == ["person"]
    assert dataset.items.get(item_id=item.id).annotations_count == 1
    client.close()


def test_a_save_is_applied_whole_or_not_at_all(client: dw.Client) -> None:
    _, item = labelled_image(client, "saves", "pets", ["cat", "dog"])
    _, other = labelled_image(client, "elsewhere", "pets", ["cat"])
    (kept,) = item.annotations.upload([dw.Point(x=1, y=1, label="cat")])
    (foreign,) = other.annotations.upload([dw.Point(x=2, y=2, label="cat")])
    version = item.annotations.version()
    new = dw.Point(x=3, y=3, label="dog")

    # An id of another item's annotation, or a box drawn inside out: nothing of the save is stored.
    with pytest.raises(
        dw.exceptions.NotFound, match=f"item {item.id!r} has no annotation with id {foreign.id!r}"
    ):
        item.annotations.save_changes([new], [{"id": kept.id, "label": "dog"}], [foreign.id], version)
    inside_out = {"type": "box", "label": "cat", "coordinates": [{"x": 9, "y": 9}, {"x": 1, "y": 1}]}
    with pytest.raises(dw.exceptions.BadRequest, match="is left of or above"):
        item.annotations.save_changes([inside_out], [{"id": kept.id, "label": "dog"}], [], version)
    with pytest.raises(dw.exceptions.BadRequest, match="both updated and deleted"):
        item.annotations.save_changes([new], [{"id": kept.id, "label": "dog"}], [kept.id], version)
    assert [(a.id, a.label) for a in item.annotations.list()] == [(kept.id, "cat")]
    assert item.annotations.version() == version

    saved = item.annotations.save_changes([new], [{"id": kept.id, "label": "dog"}], [], version)
    assert [(a.label, a.coordinates) for a in saved.created] == [("dog", {"x": 3, "y": 3, "z": 0})]
    assert [(a.id, a.label) for a in saved.updated] == [(kept.id, "dog")]
    assert saved.version == item.annotations.version() != version

    # A save made with the version before that one is a Conflict, and changes nothing.
    with pytest.raises(dw.exceptions.Conflict, match=f"changed since version {version} "):
        item.annotations.save_changes([], [], [kept.id], version)
    assert sorted(a.id for a in item.annotations.list()) == sorted([kept.id, saved.created[0].id])
    assert other.annotations.list()[0].id == foreign.id
