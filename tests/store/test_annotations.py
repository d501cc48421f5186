"""The annotations handler at scale: a filtered delete of more annotations than SQLite binds variables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
    item.annotations.upload([*cars, {"type": "point", "label": "person", "coordinates": {"x": 1, "y": 2}}])

    cars_only = dw.Filters(resource=dw.FiltersResource.ANNOTATION, field="label", values="car")
    assert item.annotations.delete(filters=cars_only)

    assert [a.label for a in item.annotations.list()] == ["person"]
    assert dataset.items.get(item_id=item.id).annotations_count == 1
    client.close()
