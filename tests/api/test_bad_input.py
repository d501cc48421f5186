"""Bad input through the user-level API: each is refused with an error naming the entity and the value,
and leaves nothing behind in the workspace.

Runs on the ``client`` fixture (``dw.connect()`` on a fresh workspace); raw requests go through
``client.http``, the same ``httpx.Client`` the repositories use.
"""

from __future__ import annotations

import io
import json
import math
import os
import random
import re
import shutil
import sqlite3
import struct
import subprocess
import warnings
import zlib
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret

# ---------------------------------------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture
def dataset(client: dw.Client) -> dw.Dataset:
    """A dataset whose ontology has the labels ``cat`` and ``dog``."""
    project = dw.projects.create(project_name="bad-input")
    created = project.datasets.create(dataset_name="animals")
    created.add_label(label_name="cat", color="#ff0000")
    created.add_label(label_name="dog", color="#00ff00")
    return created


@pytest.fixture
def image_file(tmp_path: Path) -> Path:
    path = tmp_path / "photo.png"
    pixels = np.random.default_rng(1).integers(0, 256, (10, 12, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path)
    return path


@pytest.fixture
def item(dataset: dw.Dataset, image_file: Path) -> dw.Item:
    uploaded = dataset.items.upload(local_path=image_file, remote_path="/images")
    assert isinstance(uploaded, dw.Item)
    return uploaded


def rows(home: Path, table: str) -> int:
    """How many rows a workspace table holds, read straight from its database."""
    with closing(sqlite3.connect(f"file:{home / 'workspace.sqlite'}?mode=ro", uri=True)) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def blob_files(home: Path) -> list[Path]:
    """Every stored blob (``blobs/<aa>/<sha256>``)."""
    return sorted(p for p in (home / "blobs").glob("??/*"))


def tmp_files(home: Path) -> list[Path]:
    return sorted((home / "blobs" / "tmp").iterdir())


def error(response: httpx.Response, status: int = 400) -> str:
    """An error answer: this status and a JSON ``{"status", "message"}`` body; returns the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status
    assert isinstance(body["message"], str) and body["message"]
    return str(body["message"])


def post_json(client: dw.Client, path: str, raw: str | bytes, method: str = "POST") -> httpx.Response:
    content = raw.encode() if isinstance(raw, str) else raw
    return client.http.request(method, path, content=content, headers={"content-type": "application/json"})


# ---------------------------------------------------------------------------------------------------------
# Annotations


@pytest.mark.parametrize(
    ("coordinates", "named"),
    [
        ({"top": 0, "left": 50, "bottom": 10, "right": 10}, ["right=10", "left=50"]),
        ({"top": 40, "left": 0, "bottom": 10, "right": 10}, ["bottom=10", "top=40"]),
        ({"top": math.nan, "left": 0, "bottom": 10, "right": 10}, ["top=nan"]),
        ({"top": 0, "left": math.inf, "bottom": 10, "right": 10}, ["left=inf"]),
        ({"top": 0, "left": 0, "bottom": -math.inf, "right": 10}, ["bottom=-inf"]),
        ({"top": 0, "left": 0, "bottom": 10, "right": "10"}, ["right='10'"]),
        ({"top": 0, "left": 0, "bottom": 10, "right": None}, ["right=None"]),
    ],
)
def test_bad_box_is_a_value_error_naming_the_value(coordinates: dict[str, Any], named: list[str]) -> None:
    with pytest.raises(ValueError) as raised:
        dw.Box(label="cat", **coordinates)
    message = str(raised.value)
    assert "box" in message
    for value in named:
        assert value in message


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda: dw.Point(x=math.nan, y=1, label="cat"), "x=nan"),
        (lambda: dw.Point(x=1, y=math.inf, label="cat"), "y=inf"),
        (lambda: dw.Polygon(geo=[[0, 0], [1, math.nan], [2, 2]], label="cat"), "y=nan"),
        (lambda: dw.Polyline(geo=[[0, 0], [math.inf, 1]], label="cat"), "x=inf"),
        (lambda: dw.Polygon(geo=[[0, 0]], label="cat"), "got 1"),
        (lambda: dw.Classification(label=""), "''"),
    ],
)
def test_other_bad_geometries_are_value_errors(make: Any, named: str) -> None:
    with pytest.raises(ValueError, match=re.escape(named)):
        make()


@pytest.mark.parametrize(
    ("coordinates", "named"),
    [
        ('[{"x": 50, "y": 0, "z": 0}, {"x": 10, "y": 10, "z": 0}]', ["(10, 10)", "(50, 0)"]),
        ('[{"x": 0, "y": 0, "z": 0}, {"x": "1", "y": 10, "z": 0}]', ["x='1'"]),
        ('[{"x": 0, "y": 0, "z": 0}]', ["two corner points"]),
        ('{"x": 0, "y": 0}', ["two corner points"]),
    ],
)
def test_bad_box_as_raw_json_is_a_400_naming_the_value(
    client: dw.Client, item: dw.Item, workspace_home: Path, coordinates: str, named: list[str]
) -> None:
    # NaN and infinities never get this far: see test_non_finite_numbers_are_a_400_naming_the_field.
    raw = f'[{{"type": "box", "label": "cat", "coordinates": {coordinates}}}]'
    message = error(post_json(client, f"/items/{item.id}/annotations", raw))
    assert "box" in message and "'cat'" in message
    for value in named:
        assert value in message
    with pytest.raises(dw.exceptions.BadRequest, match="box"):
        client.request(
            "POST", f"/items/{item.id}/annotations", content=raw, headers={"content-type": "application/json"}
        )
    assert rows(workspace_home, "annotations") == 0


def test_bad_point_and_polygon_as_raw_json(client: dw.Client, item: dw.Item) -> None:
    point = '[{"type": "point", "label": "dog", "coordinates": {"x": NaN, "y": 2}}]'
    assert "NaN at [0].coordinates.x;" in error(post_json(client, f"/items/{item.id}/annotations", point))
    flat = '[{"type": "point", "label": "dog", "coordinates": [{"x": 1, "y": 2}]}]'
    assert "[{'x': 1, 'y': 2}]" in error(post_json(client, f"/items/{item.id}/annotations", flat))
    polygon = '[{"type": "segment", "label": "dog", "coordinates": [[{"x": 1, "y": 2}, {"x": 1}]]}]'
    assert "{'x': 1}" in error(post_json(client, f"/items/{item.id}/annotations", polygon))
    no_coordinates = '{"type": "box", "label": "dog"}'
    assert "no coordinates" in error(post_json(client, f"/items/{item.id}/annotations", no_coordinates))
    unknown_type = '{"type": "blob", "label": "dog"}'
    assert "'blob'" in error(post_json(client, f"/items/{item.id}/annotations", unknown_type))


# ---------------------------------------------------------------------------------------------------------
# Uploads


@pytest.mark.parametrize(
    ("remote_path", "remote_name", "stored_path"),
    [
        ("/../etc", None, "/../etc/photo.png"),
        ("/images/../..", None, "/images/../../photo.png"),
        ("/a/./b", None, "/a/./b/photo.png"),
        ("/images", "../photo.png", "/images/../photo.png"),
        ("/images", "..", "/images/.."),
        ("/a\x00b", None, "/a\x00b/photo.png"),
        ("/images", "photo\x00.png", "/images/photo\x00.png"),
        ("\\windows\\system32", None, "/\\windows\\system32/photo.png"),
        ("/images", "sub\\photo.png", "/images/sub\\photo.png"),
    ],
)
def test_unsafe_remote_paths_are_refused_and_nothing_is_stored(
    dataset: dw.Dataset,
    image_file: Path,
    workspace_home: Path,
    remote_path: str,
    remote_name: str | None,
    stored_path: str,
) -> None:
    with pytest.raises(dw.exceptions.BadRequest) as raised:
        dataset.items.upload(local_path=image_file, remote_path=remote_path, remote_name=remote_name)
    assert repr(stored_path) in raised.value.message
    assert rows(workspace_home, "items") == 0
    assert blob_files(workspace_home) == [] and tmp_files(workspace_home) == []


@pytest.mark.parametrize("path", ["/a/../b.txt", "/a\x00.txt", "c:\\b.txt", "/", "/dir/"])
def test_unsafe_path_fields_in_a_raw_upload_are_a_400(
    client: dw.Client, dataset: dw.Dataset, workspace_home: Path, path: str
) -> None:
    response = client.http.post(
        f"/datasets/{dataset.id}/items",
        params={"mode": "overwrite"},
        data={"type": "file", "path": path},
        files={"file": ("b.txt", b"hello", "text/plain")},
    )
    assert repr(path) in error(response)
    assert rows(workspace_home, "items") == 0
    assert blob_files(workspace_home) == [] and tmp_files(workspace_home) == []


def test_upload_of_a_missing_file_names_it(dataset: dw.Dataset, tmp_path: Path, workspace_home: Path) -> None:
    missing = tmp_path / "nowhere" / "ghost.jpg"
    with pytest.raises(FileNotFoundError) as raised:
        dataset.items.upload(local_path=missing, remote_path="/images")
    assert str(missing) in str(raised.value)
    with pytest.raises(FileNotFoundError, match=r"ghost\.jpg"):
        dataset.items.upload(local_path=str(missing))
    assert rows(workspace_home, "items") == 0


def test_upload_of_an_unsupported_object_names_its_type(dataset: dw.Dataset) -> None:
    with pytest.raises(TypeError, match="dict"):
        dataset.items.upload(local_path={"not": "a file"})


def test_a_corrupt_image_is_stored_without_dimensions_and_warns(dataset: dw.Dataset, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 these bytes only claim to be a JPEG")
    with pytest.warns(UserWarning, match=r"broken\.jpg"):
        item = dataset.items.upload(local_path=broken, remote_path="/images")
    assert isinstance(item, dw.Item)
    assert (item.mimetype, item.size) == ("image/jpeg", broken.stat().st_size)
    assert item.width is None and item.height is None
    assert "width" not in item.system and "height" not in item.system
    assert item.read() == broken.read_bytes()
    assert dataset.items.get(filepath="/images/broken.jpg").id == item.id


def test_a_truncated_png_is_stored_without_crashing(dataset: dw.Dataset, image_file: Path) -> None:
    data = image_file.read_bytes()
    with pytest.warns(UserWarning, match=r"half\.png"):
        item = dataset.items.upload(local_path=data[:20], remote_path="/images", remote_name="half.png")
    assert isinstance(item, dw.Item)
    assert item.size == 20 and item.width is None
    assert item.read() == data[:20]


def test_interrupted_upload_leaves_nothing_behind(dataset: dw.Dataset, workspace_home: Path) -> None:
    with pytest.raises(OSError, match="the disk went away"):
        dataset.items.upload(local_path=FailingFile(os.urandom(400_000), fail_at=150_000), remote_path="/big")
    assert rows(workspace_home, "items") == 0
    assert dataset.items.list().items_count == 0
    assert tmp_files(workspace_home) == []
    assert blob_files(workspace_home) == []

    # The workspace is unharmed: the same upload, whole, works.
    item = dataset.items.upload(local_path=b"complete", remote_path="/big", remote_name="big.bin")
    assert isinstance(item, dw.Item) and item.read() == b"complete"


def test_interrupted_overwrite_keeps_the_stored_item(dataset: dw.Dataset, workspace_home: Path) -> None:
    first = dataset.items.upload(local_path=b"original bytes", remote_path="/big", remote_name="big.bin")
    assert isinstance(first, dw.Item)
    (original_blob,) = blob_files(workspace_home)
    with pytest.raises(OSError, match="the disk went away"):
        dataset.items.upload(
            local_path=FailingFile(os.urandom(400_000), fail_at=150_000), remote_path="/big", overwrite=True
        )
    again = dataset.items.get(filepath="/big/big.bin")
    assert again.id == first.id and again.size == len(b"original bytes")
    assert again.read() == b"original bytes"
    assert blob_files(workspace_home) == [original_blob]
    assert tmp_files(workspace_home) == []
    assert rows(workspace_home, "items") == 1


class FailingFile(io.BytesIO):
    """A file whose ``read()`` fails once ``fail_at`` bytes have been read, as a dying disk would."""

    name = "big.bin"

    def __init__(self, data: bytes, fail_at: int) -> None:
        super().__init__(data)
        self.fail_at = fail_at

    def read(self, size: int | None = -1) -> bytes:
        if self.tell() >= self.fail_at:
            raise OSError("the disk went away")
        return super().read(size)


class DeletingFile(io.BytesIO):
    """A file whose first ``read()`` deletes the dataset it is being uploaded to."""

    name = "late.bin"

    def __init__(self, data: bytes, project: dw.Project, dataset_id: str) -> None:
        super().__init__(data)
        self.delete = lambda: project.datasets.delete(dataset_id=dataset_id)
        self.deleted = False

    def read(self, size: int | None = -1) -> bytes:
        if not self.deleted:
            self.deleted = True
            self.delete()
        return super().read(size)


def test_deleting_the_dataset_during_an_upload_is_not_found(either: dw.Client, workspace_home: Path) -> None:
    project = either.projects.create(project_name="vanishing")
    dataset = project.datasets.create(dataset_name="gone")
    source = DeletingFile(os.urandom(300_000), project, dataset.id)
    with pytest.raises(dw.exceptions.NotFound, match=dataset.id):
        dataset.items.upload(local_path=source, remote_path="/late")
    assert source.deleted
    assert rows(workspace_home, "datasets") == rows(workspace_home, "items") == 0
    assert blob_files(workspace_home) == [] and tmp_files(workspace_home) == []


def test_invalid_utf8_in_multipart_fields_is_a_400(
    client: dw.Client, dataset: dw.Dataset, workspace_home: Path
) -> None:
    boundary = "BOUNDARY"

    def body(path: bytes, filename: bytes) -> bytes:
        return (
            b'--BOUNDARY\r\nContent-Disposition: form-data; name="path"\r\n\r\n' + path + b"\r\n"
            b'--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
            b"Content-Type: text/plain\r\n\r\nhello\r\n--BOUNDARY--\r\n"
        )

    for path, filename, named in [
        (b"/bad\xff.txt", b"ok.txt", "bad\\xff.txt"),
        (b"/ok.txt", b"bad\xfe.txt", "bad\\xfe.txt"),
    ]:
        response = client.http.post(
            f"/datasets/{dataset.id}/items",
            content=body(path, filename),
            headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        )
        message = error(response)
        assert named in message and "UTF-8" in message
    assert rows(workspace_home, "items") == 0
    assert blob_files(workspace_home) == [] and tmp_files(workspace_home) == []


# ---------------------------------------------------------------------------------------------------------
# Names


def test_duplicate_names_are_conflicts(client: dw.Client, workspace_home: Path) -> None:
    project = dw.projects.create(project_name="twice")
    with pytest.raises(dw.exceptions.Conflict) as raised:
        dw.projects.create(project_name="twice")
    assert "'twice'" in raised.value.message
    assert [p.name for p in dw.projects.list()] == ["twice"]

    project.datasets.create(dataset_name="data")
    with pytest.raises(dw.exceptions.Conflict) as raised:
        project.datasets.create(dataset_name="data")
    assert "'data'" in raised.value.message and "'twice'" in raised.value.message
    assert rows(workspace_home, "datasets") == 1
    # The failed dataset left no default recipe or ontology behind.
    assert (rows(workspace_home, "recipes"), rows(workspace_home, "ontologies")) == (1, 1)


def test_missing_names_are_not_found(client: dw.Client) -> None:
    with pytest.raises(dw.exceptions.NotFound, match="'nobody'"):
        dw.projects.get(project_name="nobody")
    project = dw.projects.create(project_name="somebody")
    with pytest.raises(dw.exceptions.NotFound, match="'nothing'"):
        project.datasets.get(dataset_name="nothing")


# ---------------------------------------------------------------------------------------------------------
# Malformed request bodies

_JSON_ROUTES = [
    ("POST", "/datasets"),
    ("POST", "/datasets/query"),
    ("PATCH", "/datasets/{dataset}"),
    ("POST", "/datasets/{dataset}/query"),
    ("PATCH", "/items/{item}"),
    ("POST", "/items/{item}/annotations"),
    ("POST", "/recipes"),
    ("POST", "/ontologies"),
    ("PUT", "/ontologies/{ontology}"),
    ("PATCH", "/ontologies/{ontology}/labels"),
    ("PATCH", "/ontologies/{ontology}/attributes"),
    ("POST", "/annotationtasks"),
    ("POST", "/projects"),
]


@pytest.fixture
def paths(dataset: dw.Dataset, item: dw.Item) -> dict[str, str]:
    return {"dataset": dataset.id, "item": item.id, "ontology": dataset.ontology().id}


@pytest.mark.parametrize(("method", "template"), _JSON_ROUTES)
@pytest.mark.parametrize(
    ("raw", "named"),
    [
        (b'{"name": ', "not valid JSON"),
        (b"{'single': 'quotes'}", "not valid JSON"),
        (b'{"a": 1} trailing', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b'{"name": "\\ud800"}', "'\\ud800'"),
        (b'{"name": "x", "tag": "\\udfff"}', "'\\udfff'"),
    ],
)
def test_malformed_json_bodies_are_a_400_with_a_json_message(
    client: dw.Client,
    paths: dict[str, str],
    workspace_home: Path,
    method: str,
    template: str,
    raw: bytes,
    named: str,
) -> None:
    before = {t: rows(workspace_home, t) for t in ("projects", "datasets", "items", "annotations", "tasks")}
    path = template.format(**paths)
    message = error(post_json(client, path, raw, method=method))
    assert f"{method} {path}" in message
    assert named in message
    after = {t: rows(workspace_home, t) for t in before}
    assert after == before


@pytest.mark.parametrize(("method", "template"), [r for r in _JSON_ROUTES if r[1] != "/projects"])
@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "42", "null", ""])
def test_bodies_that_are_not_objects_are_a_400(
    client: dw.Client, paths: dict[str, str], method: str, template: str, raw: str
) -> None:
    path = template.format(**paths)
    if template == "/items/{item}/annotations" and raw == "[1, 2]":
        assert "annotation #0" in error(post_json(client, path, raw, method=method))
        return
    message = error(post_json(client, path, raw, method=method))
    assert repr(json.loads(raw or "null")) in message


def test_malformed_project_bodies(client: dw.Client, workspace_home: Path) -> None:
    form = {"content-type": "application/x-www-form-urlencoded"}
    assert "UTF-8" in error(client.http.post("/projects", content=b"name=\xff\xfe", headers=form))
    assert "POST /projects" in error(post_json(client, "/projects", b'{"name": '))
    assert "'name'" in error(client.http.post("/projects", content=b"title=x", headers=form))
    assert rows(workspace_home, "projects") == 0


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"context": "everything"}, "'everything'"),
        ({"context": {"projects": "p1"}}, "'p1'"),
        ({"page": -1}, "-1"),
        ({"pageSize": 0}, "0"),
        ({"pageSize": 5000}, "5000"),
        ({"filter": "all"}, '"all"'),
    ],
)
def test_malformed_dataset_queries(client: dw.Client, body: dict[str, Any], named: str) -> None:
    assert named in error(client.http.post("/datasets/query", json=body))


def test_malformed_ontology_bodies(client: dw.Client, paths: dict[str, str]) -> None:
    metadata = error(client.http.post("/ontologies", json={"roots": [], "metadata": "labels"}))
    assert "'labels'" in metadata
    system = error(client.http.post("/ontologies", json={"roots": [], "metadata": {"system": 3}}))
    assert "'system': 3" in system
    ontology = paths["ontology"]
    colour = error(
        client.http.patch(f"/ontologies/{ontology}/labels", json={"labelsNode": [{"tag": "x", "color": 5}]})
    )
    assert "'x'" in colour and "5" in colour
    children = {"roots": [{"value": {"tag": "a"}, "children": "many"}]}
    assert "'many'" in error(client.http.put(f"/ontologies/{ontology}", json=children))


# ---------------------------------------------------------------------------------------------------------
# DQL


def test_unknown_dql_field_names_it_and_lists_the_known_ones(dataset: dw.Dataset, item: dw.Item) -> None:
    with pytest.raises(dw.exceptions.BadRequest) as raised:
        dataset.items.list(filters=dw.Filters(field="colour", values="red"))
    message = raised.value.message
    assert '"colour"' in message and "dir" in message and "filename" in message

    annotations = dw.Filters(resource=dw.FiltersResource.ANNOTATION, field="shape", values="round")
    with pytest.raises(dw.exceptions.BadRequest, match='"shape"'):
        item.annotations.list(filters=annotations)


def test_unknown_dql_operator_names_it(client: dw.Client, dataset: dw.Dataset) -> None:
    with pytest.raises(ValueError, match="'regex'"):
        dw.Filters(field="dir", values="/a.*", operator="regex")

    filters = dw.Filters(field="dir", values="/images")
    filters.and_filters.append({"filename": {"$regex": "^/images"}})
    with pytest.raises(dw.exceptions.BadRequest) as raised:
        dataset.items.list(filters=filters)
    assert '"$regex"' in raised.value.message and '"filename"' in raised.value.message
    assert "$in" in raised.value.message

    top_level = {"filter": {"$nor": [{"dir": "/a"}]}, "resource": "items"}
    assert '"$nor"' in error(client.http.post(f"/datasets/{dataset.id}/query", json=top_level))


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"sort": {"colour": "ascending"}}, '"colour"'),
        ({"sort": {"id": "upwards"}}, '"upwards"'),
        ({"filter": {"$and": {"dir": "/a"}}}, '{"dir": "/a"}'),
        ({"filter": {"dir": {"$in": "/a"}}}, '"/a"'),
        ({"filter": {"dir": {"$exists": "yes"}}}, '"yes"'),
        ({"filter": {"hidden": "no"}}, '"no"'),
        ({"filter": {"metadata.user.a\\b": 1}}, "a\\\\b"),
        ({"resource": "recipes"}, "'recipes'"),
        ({"page": "first"}, "'first'"),
    ],
)
def test_malformed_item_queries_name_the_value(
    client: dw.Client, dataset: dw.Dataset, body: dict[str, Any], named: str
) -> None:
    query = {"filter": {}, "resource": "items", **body}
    assert named in error(client.http.post(f"/datasets/{dataset.id}/query", json=query))


# ---------------------------------------------------------------------------------------------------------
# Tasks


def _nothing_written(home: Path) -> None:
    for table in ("tasks", "assignments", "assignment_items", "commands"):
        assert rows(home, table) == 0, table


def test_a_task_without_items_is_refused(dataset: dw.Dataset, item: dw.Item, workspace_home: Path) -> None:
    with pytest.raises(dw.exceptions.BadRequest) as raised:
        dataset.tasks.create(task_name="empty", assignee_ids=["ann@example.com"], items=[])
    assert "'empty'" in raised.value.message and "no items" in raised.value.message
    nothing = dw.Filters(field="dir", values="/nowhere")
    with pytest.raises(dw.exceptions.BadRequest, match="'unmatched'"):
        dataset.tasks.create(task_name="unmatched", assignee_ids=["ann@example.com"], filters=nothing)
    assert dataset.tasks.list() == []
    _nothing_written(workspace_home)


@pytest.mark.parametrize(
    ("assignee_ids", "named"),
    [
        ([], "[]"),
        (None, "None"),
        (["not-an-email"], "'not-an-email'"),
        (["ann@example.com", "two words@example.com"], "'two words@example.com'"),
        (["ann@example.com", 42], "42"),
    ],
)
def test_a_task_without_valid_assignees_is_refused(
    dataset: dw.Dataset, item: dw.Item, workspace_home: Path, assignee_ids: Any, named: str
) -> None:
    with pytest.raises(ValueError) as raised:
        dataset.tasks.create(task_name="review", assignee_ids=assignee_ids, items=[item])
    assert "'review'" in str(raised.value) and named in str(raised.value)
    _nothing_written(workspace_home)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"workload": []}, "[]"),
        ({"workload": None}, "None"),
        ({"workload": [{"assigneeId": "bob", "load": 100}]}, "'bob'"),
        ({"workload": [{"assigneeId": "a@example.com", "load": -5}]}, "-5"),
        ({"workload": ["a@example.com"]}, "None"),
        ({"query": "{not json"}, "not valid JSON"),
        ({"query": json.dumps({"filter": {"colour": "red"}})}, '"colour"'),
        ({"dueDate": "tomorrow"}, "'tomorrow'"),
        ({"name": ""}, "''"),
        ({"datasetId": "ffffffffffffffffffffffff"}, "'ffffffffffffffffffffffff'"),
    ],
)
def test_malformed_task_bodies_write_nothing(
    client: dw.Client,
    dataset: dw.Dataset,
    item: dw.Item,
    workspace_home: Path,
    change: dict[str, Any],
    named: str,
) -> None:
    body = {
        "name": "review",
        "query": json.dumps({"filter": {"$and": [{"id": {"$in": [item.id]}}]}, "resource": "items"}),
        "datasetId": dataset.id,
        "projectId": dataset.project_id,
        "workload": [{"assigneeId": "a@example.com", "load": 100}],
        **change,
    }
    response = client.http.post("/annotationtasks", json=body)
    message = error(response, 404 if "datasetId" in change else 400)
    assert named in message
    if "workload" in change:
        assert "'review'" in message
    _nothing_written(workspace_home)


# ---------------------------------------------------------------------------------------------------------
# Deep and non-finite JSON, on both transports


@pytest.fixture(params=["local", "http"])
def either(request: pytest.FixtureRequest, workspace_home: Path) -> Iterator[dw.Client]:
    """A client on a fresh workspace: embedded (``dw.connect()``) or over ``dlwidgets serve``."""
    if request.param == "local":
        with dw.connect() as local:
            yield local
        return
    with serving(workspace_home) as url:
        token = create_token(workspace_secret(workspace_home), os.environ["DLWIDGETS_EMAIL"])
        with dw.connect(url, token=token) as remote:
            yield remote


@pytest.fixture
def either_paths(either: dw.Client) -> dict[str, str]:
    """Ids of a project, dataset (labels ``cat``, ``dog``), item and ontology made through ``either``."""
    project = either.projects.create(project_name="deep")
    dataset = project.datasets.create(dataset_name="data")
    dataset.add_label(label_name="cat")
    item = dataset.items.upload(local_path=b"hello", remote_path="/", remote_name="a.txt")
    assert isinstance(item, dw.Item)
    return {"project": project.id, "dataset": dataset.id, "item": item.id, "ontology": dataset.ontology().id}


def _task_body(paths: dict[str, str], **change: Any) -> dict[str, Any]:
    query = {"filter": {"$and": [{"id": {"$in": [paths["item"]]}}]}, "resource": "items"}
    return {
        "name": "review",
        "query": json.dumps(query),
        "datasetId": paths["dataset"],
        "projectId": paths["project"],
        "workload": [{"assigneeId": "a@example.com", "load": 100}],
        **change,
    }


def _upload_with_metadata(either: dw.Client, paths: dict[str, str], metadata: str) -> httpx.Response:
    return either.http.post(
        f"/datasets/{paths['dataset']}/items",
        data={"path": "/m.txt", "metadata": metadata},
        files={"file": ("m.txt", b"x", "text/plain")},
    )


@pytest.mark.parametrize("depth", [101, 100_000])
def test_deeply_nested_json_is_a_400_naming_the_limit(
    either: dw.Client, either_paths: dict[str, str], workspace_home: Path, depth: int
) -> None:
    deep = "[" * depth + "]" * depth
    before = {t: rows(workspace_home, t) for t in ("projects", "datasets", "items", "annotations", "tasks")}
    for method, template in _JSON_ROUTES:
        path = template.format(**either_paths)
        message = error(post_json(either, path, '{"name": "x", "metadata": ' + deep + "}", method=method))
        assert f"{method} {path}" in message and "at most 100" in message, message
    upload = error(_upload_with_metadata(either, either_paths, '{"a": ' + deep + "}"))
    assert "'metadata'" in upload and "at most 100" in upload
    task = error(either.http.post("/annotationtasks", json=_task_body(either_paths, query=deep)))
    assert "'query'" in task and "at most 100" in task
    # The same through the client's own call: the exception family, not a RecursionError.
    with pytest.raises(dw.exceptions.BadRequest, match="at most 100"):
        either.request("POST", "/projects", content=deep, headers={"content-type": "application/json"})
    assert {t: rows(workspace_home, t) for t in before} == before


def test_deep_json_to_the_token_route_is_a_400(workspace_home: Path) -> None:
    with serving(workspace_home) as url:
        gate = url.removesuffix("/api/v1")
        deep = "[" * 30_000 + "]" * 30_000
        answer = httpx.post(
            f"{gate}/token?default", content=deep, headers={"content-type": "application/json"}
        )
        assert "at most 100" in error(answer)


def test_json_at_the_depth_limit_is_accepted(either: dw.Client, either_paths: dict[str, str]) -> None:
    nested: Any = "bottom"
    for _ in range(98):  # the body and 'metadata' are two levels more
        nested = {"down": nested}
    item = either.json("PATCH", f"/items/{either_paths['item']}", json={"metadata": {"user": nested}})
    assert item["metadata"]["user"]["down"]["down"]


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "-1e400"])
def test_non_finite_numbers_are_a_400_naming_the_field(
    either: dw.Client, either_paths: dict[str, str], workspace_home: Path, number: str
) -> None:
    item = either_paths["item"]
    cases = [
        ("PATCH", f"/items/{item}", '{"metadata": {"user": {"score": %s}}}', "metadata.user.score"),
        (
            "POST",
            f"/items/{item}/annotations",
            '[{"type": "class", "label": "cat", "metadata": {"user": {"p": [1, %s]}}}]',
            "[0].metadata.user.p[1]",
        ),
        (
            "POST",
            f"/items/{item}/annotations",
            '[{"type": "cube", "label": "cat", "coordinates": '
            '[{"x": 0, "y": 0}, {"x": 5, "y": 5}, {"x": %s, "y": 1}]}]',
            "[0].coordinates[2].x",
        ),
        (
            "POST",
            "/annotationtasks",
            json.dumps(_task_body(either_paths))[:-1] + ', "dueDate": %s}',
            "dueDate",
        ),
        (
            "POST",
            f"/datasets/{either_paths['dataset']}/query",
            '{"filter": {"metadata.user.a": %s}}',
            "filter.metadata.user.a",
        ),
    ]
    for method, path, template, field in cases:
        message = error(post_json(either, path, template % number, method=method))
        assert f"{number} at {field};" in message and "finite" in message, message
    upload = error(_upload_with_metadata(either, either_paths, '{"user": {"w": ' + number + "}}"))
    assert "'metadata'" in upload and "at user.w;" in upload
    assert rows(workspace_home, "annotations") == rows(workspace_home, "tasks") == 0
    assert rows(workspace_home, "items") == 1

    # Nothing non-finite was stored, so metadata filters and listings keep working for everyone.
    dataset = either.projects.get(project_id=either_paths["project"]).datasets.get(
        dataset_id=either_paths["dataset"]
    )
    assert dataset.items.list(filters=dw.Filters(field="metadata.user.score", values=1)).items_count == 0
    assert b"NaN" not in either.http.post(f"/datasets/{dataset.id}/query", json={}).content


def test_non_finite_numbers_stored_before_go_out_as_null(
    either: dw.Client, either_paths: dict[str, str], workspace_home: Path
) -> None:
    # A workspace written before they were refused: the number went into the item's metadata as NaN.
    with closing(sqlite3.connect(workspace_home / "workspace.sqlite")) as db, db:
        db.execute(
            "UPDATE items SET metadata = json_set(metadata, '$.user', json('{\"a\": 1}')) WHERE id = ?",
            (either_paths["item"],),
        )
        db.execute("UPDATE items SET metadata = replace(metadata, '\"a\":1', '\"a\":NaN')")
    raw = either.http.post(f"/datasets/{either_paths['dataset']}/query", json={}).content
    assert b"NaN" not in raw
    assert json.loads(raw, parse_constant=lambda name: pytest.fail(f"{name} in the answer"))
    assert either.json("GET", f"/items/{either_paths['item']}")["metadata"]["user"] == {"a": None}


def test_non_finite_annotation_numbers_stored_before_go_out_as_null(
    either: dw.Client, either_paths: dict[str, str], workspace_home: Path
) -> None:
    # Annotation listings are spliced from the stored JSON text: an old NaN there must not leak either.
    item = either.items.get(item_id=either_paths["item"])
    item.annotations.upload([dw.Point(x=1, y=2, label="cat")])
    with closing(sqlite3.connect(workspace_home / "workspace.sqlite")) as db, db:
        db.execute(
            """UPDATE annotations SET coordinates = '{"x":NaN,"y":2,"z":0}',"""
            """ metadata = '{"system":{"attributes":{"score":-Infinity}}}'"""
        )
    query = {"resource": "annotations", "filter": {}}
    raw = either.http.post(f"/datasets/{either_paths['dataset']}/query", json=query).content
    assert b"NaN" not in raw and b"Infinity" not in raw
    (stored,) = json.loads(raw, parse_constant=lambda name: pytest.fail(f"{name} in the answer"))["items"]
    assert stored["coordinates"]["x"] is None and stored["coordinates"]["y"] == 2
    assert stored["metadata"]["system"]["attributes"] == {"score": None}


def test_non_finite_numbers_from_the_client_are_refused(
    either: dw.Client, either_paths: dict[str, str]
) -> None:
    project = either.projects.get(project_id=either_paths["project"])
    item = project.datasets.get(dataset_id=either_paths["dataset"]).items.get(item_id=either_paths["item"])
    item.metadata["user"] = {"score": math.nan}
    with pytest.raises(ValueError, match=r"NaN or infinite number at metadata\.user\.score"):
        item.update()


# ---------------------------------------------------------------------------------------------------------
# Long names and store-owned system fields


def test_an_item_with_a_251_character_name_downloads(either: dw.Client, tmp_path: Path) -> None:
    dataset = either.projects.create(project_name="long").datasets.create(dataset_name="names")
    name = "n" * 247 + ".bin"
    item = dataset.items.upload(local_path=b"long-named bytes", remote_path="/", remote_name=name)
    assert isinstance(item, dw.Item) and item.name == name
    saved = Path(item.download(local_path=tmp_path / "out"))
    assert saved.name == name and saved.read_bytes() == b"long-named bytes"
    assert [p.name for p in (tmp_path / "out").iterdir()] == [name]


def test_system_fields_the_store_writes_cannot_be_patched(either: dw.Client, image_file: Path) -> None:
    dataset = either.projects.create(project_name="sizes").datasets.create(dataset_name="data")
    item = dataset.items.upload(local_path=image_file, remote_path="/")
    assert isinstance(item, dw.Item) and (item.width, item.height) == (12, 10)
    item.system.update(size=1, width=999, checksum="0" * 64, mimetype="text/html", note="kept")
    with pytest.warns(UserWarning, match="size, checksum, mimetype, width are written by the store"):
        updated = item.update(system_metadata=True)
    for fresh in (updated, dataset.items.get(item_id=item.id)):
        assert (fresh.size, fresh.width, fresh.height) == (image_file.stat().st_size, 12, 10)
        assert fresh.mimetype == "image/png" and "checksum" not in fresh.system
        assert fresh.system["note"] == "kept"
    assert dataset.items.get(item_id=item.id).read() == image_file.read_bytes()

    # Deleting the whole system block keeps what the store wrote too.
    with pytest.warns(UserWarning, match="size, mimetype, isBinary, width, height are written"):
        either.request(
            "PATCH", f"/items/{item.id}", params={"system": "true"}, json={"metadata": {"system": None}}
        )
    assert dataset.items.get(item_id=item.id).size == image_file.stat().st_size
    with pytest.raises(dw.exceptions.BadRequest, match=r"metadata\.system must be a JSON object"):
        either.request(
            "PATCH", f"/items/{item.id}", params={"system": "true"}, json={"metadata": {"system": 5}}
        )


# ---------------------------------------------------------------------------------------------------------
# Odd values in names, types and served files


@pytest.mark.parametrize("name", [None, 42, ["a"], {"n": 1}, True])
def test_a_name_that_is_not_a_string_is_refused(
    either: dw.Client, workspace_home: Path, name: object
) -> None:
    message = error(either.http.post("/projects", json={"name": name}))
    assert "'name'" in message and "must be a string" in message and repr(name) in message
    project = either.projects.create(project_name="real")
    for body in ({"name": name, "projects": [project.id]}, {"name": name}):
        assert repr(name) in error(either.http.post("/datasets", json=body))
    assert rows(workspace_home, "projects") == 1 and rows(workspace_home, "datasets") == 0


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("two\r\nlines", "U+000D"),
        ("tab\there", "U+0009"),
        ("evil\u202egnp.exe", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("iso\u2066late", "U+2066"),
        ("zero\u200bwidth", "U+200B (ZERO WIDTH SPACE)"),
        ("bom\ufeff", "U+FEFF"),
        ("del\x7f", "U+007F"),
    ],
)
def test_names_with_hidden_characters_are_refused_naming_the_character(
    either: dw.Client, workspace_home: Path, name: str, named: str
) -> None:
    with pytest.raises(dw.exceptions.BadRequest, match=re.escape(named)):
        either.projects.create(project_name=name)
    project = either.projects.create(project_name="plain")
    with pytest.raises(dw.exceptions.BadRequest, match=re.escape(named)):
        project.datasets.create(dataset_name=name)
    dataset = project.datasets.create(dataset_name="data")
    with pytest.raises(dw.exceptions.BadRequest, match=re.escape(named)):
        dataset.items.upload(local_path=b"x", remote_path="/", remote_name=name + ".txt")
    with pytest.raises(dw.exceptions.BadRequest, match=re.escape(named)):
        dataset.items.upload(local_path=b"x", remote_path=f"/{name}", remote_name="a.txt")
    item = dataset.items.upload(local_path=b"x", remote_path="/", remote_name="a.txt")
    assert isinstance(item, dw.Item)
    with pytest.raises(dw.exceptions.BadRequest, match=re.escape(named)):
        either.request("PATCH", f"/datasets/{dataset.id}", json={"name": name})
    with pytest.raises(dw.exceptions.BadRequest, match=re.escape(named)):
        dataset.tasks.create(task_name=name, assignee_ids=["ann@example.com"], items=[item])
    assert [p.name for p in either.projects.list()] == ["plain"]
    assert [d.name for d in project.datasets.list()] == ["data"]
    assert [i.filename for i in dataset.items.list().all()] == ["/a.txt"]


def test_names_are_stored_in_nfc(either: dw.Client) -> None:
    decomposed = "cafe\u0301"  # 'e' and a combining acute accent
    project = either.projects.create(project_name=decomposed)
    assert project.name == "caf\u00e9"
    assert either.projects.get(project_name="caf\u00e9").id == project.id
    dataset = project.datasets.create(dataset_name=decomposed)
    assert dataset.name == "caf\u00e9"
    item = dataset.items.upload(
        local_path=b"x", remote_path=f"/{decomposed}", remote_name=f"{decomposed}.txt"
    )
    assert isinstance(item, dw.Item) and item.filename == "/caf\u00e9/caf\u00e9.txt"
    # Joiners that scripts and emoji need are kept.
    joined = project.datasets.create(
        dataset_name="\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001f469\u200d\U0001f4bb"
    )
    assert "\u200c" in joined.name and "\u200d" in joined.name


def test_junk_between_multipart_parts_never_reaches_the_item_path(
    either: dw.Client, workspace_home: Path
) -> None:
    dataset = either.projects.create(project_name="mp").datasets.create(dataset_name="data")
    path = b'--B\r\nContent-Disposition: form-data; name="path"\r\n\r\n/a.txt'
    file = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nhello\r\n--B--\r\n"
    )
    for junk in (b"\r\nJUNK\r\n", b"\r\n--BJUNK\r\n", b"\r\n\r\n"):
        response = either.http.post(
            f"/datasets/{dataset.id}/items",
            content=path + junk + file,
            headers={"content-type": "multipart/form-data; boundary=B"},
        )
        assert "U+000D" in error(response)
    assert rows(workspace_home, "items") == 0


@pytest.mark.parametrize(
    ("declared", "named"),
    [("text/plain\x01", "U+0001"), ("image/png\x00", "U+0000"), ("text/plain\x1b[31m", "U+001B")],
)
def test_control_characters_in_a_declared_mimetype_are_refused(
    either: dw.Client, workspace_home: Path, declared: str, named: str
) -> None:
    dataset = either.projects.create(project_name="types").datasets.create(dataset_name="data")
    response = either.http.post(
        f"/datasets/{dataset.id}/items",
        data={"path": "/a.txt"},
        files={"file": ("a.txt", b"hello", declared)},
    )
    message = error(response)
    assert "Content-Type" in message and named in message
    assert rows(workspace_home, "items") == 0


def test_stored_files_are_served_as_attachments_never_sniffed(either: dw.Client) -> None:
    dataset = either.projects.create(project_name="served").datasets.create(dataset_name="data")
    page = b"<html><script>alert(document.cookie)</script></html>"
    response = either.http.post(
        f"/datasets/{dataset.id}/items",
        data={"path": '/pages/r\u00e9sum\u00e9 "1".html'},
        files={"file": ("x.html", page, "text/html")},
    )
    assert response.status_code == 200, response.text
    item_id = response.json()["id"]
    for headers in ({}, {"range": "bytes=0-5"}):
        served = either.http.get(f"/items/{item_id}/stream", headers=headers)
        assert served.status_code in (200, 206)
        assert served.headers["x-content-type-options"] == "nosniff"
        disposition = served.headers["content-disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=UTF-8''r%C3%A9sum%C3%A9%20%221%22.html" in disposition
    assert either.http.get(f"/items/{item_id}/stream").content == page


# ---------------------------------------------------------------------------------------------------------
# Images: any size, any damage


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width: int, height: int) -> bytes:
    """The start of a black-and-white PNG of that size, up to its pixel data."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)


def one_bit_png(width: int, height: int) -> bytes:
    """A real black-and-white PNG of that size, built row by row: a few KB however many pixels."""
    rows = zlib.compressobj(9)
    row = b"\0" + b"\x55" * ((width + 7) // 8)
    data = b"".join(rows.compress(row) for _ in range(height)) + rows.flush()
    return png_header(width, height) + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")


def fuzzed_images() -> list[tuple[str, bytes]]:
    """(name, bytes): small images in a dozen formats, each whole and with a few header bytes changed or
    cut short, plus a DDS in a pixel format no decoder implements and a header claiming 10^10 pixels."""
    rng = random.Random(23)
    pixels = Image.fromarray(np.random.default_rng(2).integers(0, 256, (24, 32, 3), dtype=np.uint8))
    corpus = []
    for fmt in ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP", "ICO", "DDS", "TGA", "PCX", "SGI", "QOI"):
        buffer = io.BytesIO()
        (pixels.convert("RGBA") if fmt == "DDS" else pixels).save(buffer, format=fmt)
        whole = buffer.getvalue()
        corpus.append((f"{fmt.lower()}-whole.png", whole))
        for n in range(3):
            damaged = bytearray(whole)
            for _ in range(rng.randint(1, 4)):
                damaged[rng.randrange(min(len(whole), 96))] = rng.randrange(256)
            if n == 2:
                damaged = damaged[: rng.randrange(8, len(damaged))]
            corpus.append((f"{fmt.lower()}-{n}.png", bytes(damaged)))
    dds = bytearray(dict(corpus)["dds-whole.png"])
    dds[80:84] = bytes(4)  # pixel format flags that name no format: NotImplementedError in Pillow
    corpus.append(("dds-unknown-format.png", bytes(dds)))
    corpus.append(("claims-10-gigapixels.png", png_header(100_000, 100_000) + _png_chunk(b"IDAT", bytes(64))))
    return corpus


def test_a_20000_by_10000_png_is_stored_and_gets_a_thumbnail(either: dw.Client) -> None:
    dataset = either.projects.create(project_name="big").datasets.create(dataset_name="scans")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # stored as a readable image: no warning
        item = dataset.items.upload(
            local_path=one_bit_png(20_000, 10_000), remote_path="/", remote_name="scan.png"
        )
    assert isinstance(item, dw.Item) and (item.width, item.height) == (20_000, 10_000)
    thumbnail = Image.open(io.BytesIO(item.thumbnail()))
    assert thumbnail.format == "JPEG" and thumbnail.size == (160, 80)


def test_images_no_decoder_can_read_are_stored_and_get_the_type_icon(
    either: dw.Client, workspace_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    dataset = either.projects.create(project_name="fuzz").datasets.create(dataset_name="images")
    corpus = fuzzed_images()
    unreadable = 0
    for name, data in corpus:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            item = dataset.items.upload(local_path=data, remote_path="/", remote_name=name)
        assert isinstance(item, dw.Item) and item.read() == data, name
        if item.width is None:
            assert any(name in str(w.message) for w in warned), name
        answers = []
        for _ in range(2):
            try:
                answers.append(Image.open(io.BytesIO(item.thumbnail())).format)
            except dw.exceptions.NotFound as e:
                assert "cannot be decoded" in e.message, (name, e.message)
                answers.append(e.message)
        assert answers[0] == answers[1], name
        unreadable += answers[0] != "JPEG"
    # Whole images of every format get a thumbnail; the damaged ones that do not are written down once
    # each, with the decoder's reason.
    assert {n for n, _ in corpus if n.endswith("-whole.png")} <= {
        i.name for i in dataset.items.list().all() if i.width is not None
    }
    markers = sorted((workspace_home / "blobs" / "thumbs").glob("*/*/*.broken"))
    assert len(markers) == unreadable >= 2
    reasons = [m.read_text() for m in markers]
    assert all(reasons) and not any(str(workspace_home) in r for r in reasons)
    assert any("NotImplementedError" in r for r in reasons) and any("100000 x 100000" in r for r in reasons)
    logged = [r for r in caplog.records if "no thumbnail" in r.getMessage()]
    assert len(logged) == unreadable


# ---------------------------------------------------------------------------------------------------------
# A full disk


@pytest.fixture
def small_disk(workspace_home: Path) -> Iterator[Path]:
    """The workspace on a real 3 MiB filesystem (a tmpfs): mounting one needs root."""
    workspace_home.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(workspace_home)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill (needs root): {mounted.stderr.strip()}")
    try:
        yield workspace_home
    finally:
        subprocess.run(["umount", "-l", str(workspace_home)], check=True)


def _fill(disk: Path, leave: int) -> Path:
    """A file that takes all the free space of ``disk`` but ``leave`` bytes."""
    filler = disk / "filler"
    with open(filler, "wb") as f:
        free = shutil.disk_usage(disk).free
        f.write(b"\0" * max(free - leave, 0))
    return filler


def test_a_full_disk_is_storage_full_saying_how_much_was_needed(small_disk: Path, either: dw.Client) -> None:
    dataset = either.projects.create(project_name="full").datasets.create(dataset_name="data")
    big = os.urandom(4 << 20)
    with pytest.raises(dw.exceptions.StorageFull) as raised:
        dataset.items.upload(local_path=big, remote_path="/", remote_name="big.bin")
    assert raised.value.status_code == 507
    needed = [int(n) for n in re.findall(r"(\d+) bytes", raised.value.message)]
    assert needed and needed[0] >= len(big), raised.value.message
    assert "free" in raised.value.message
    assert dataset.items.list().items_count == 0
    assert tmp_files(small_disk) == [] and blob_files(small_disk) == []

    # The database itself runs out of space: the write is refused the same way, nothing half-written.
    item = dataset.items.upload(local_path=b"small", remote_path="/", remote_name="small.txt")
    assert isinstance(item, dw.Item)
    filler = _fill(small_disk, leave=32 << 10)
    item.metadata["user"] = {"notes": ["x" * 1000 for _ in range(400)]}
    with pytest.raises(dw.exceptions.StorageFull, match=r"needed about \d+ bytes"):
        item.update()
    assert dataset.items.get(item_id=item.id).metadata.get("user") is None

    # Once there is room again, the same calls work.
    filler.unlink()
    assert item.update().metadata["user"]["notes"][0] == "x" * 1000
    assert (
        dataset.items.upload(local_path=big[: 1 << 20], remote_path="/", remote_name="ok.bin").size == 1 << 20
    )


# ---------------------------------------------------------------------------------------------------------
# Unknown ids through the user-level API


def test_unknown_ids_are_not_found_naming_the_id(client: dw.Client, dataset: dw.Dataset) -> None:
    missing = "ffffffffffffffffffffffff"
    for call in (
        lambda: dw.projects.get(project_id=missing),
        lambda: dataset.items.get(item_id=missing),
        lambda: dataset.recipes.get(missing),
        lambda: dataset.tasks.get(task_id=missing),
    ):
        with pytest.raises(dw.exceptions.NotFound, match=missing):
            call()


@pytest.fixture(autouse=True)
def _no_stray_files(workspace_home: Path) -> Iterator[None]:
    """Whatever a test did, no upload may leave a temporary file in the workspace."""
    yield
    if (workspace_home / "blobs" / "tmp").exists():
        assert tmp_files(workspace_home) == []
