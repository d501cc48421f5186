"""Workspace format versions: a workspace written by an older dlwidgets opens and is upgraded in place; one
written by a newer dlwidgets is refused with both versions named, never stamped back."""

from __future__ import annotations

import hashlib
import sqlite3
import tarfile
import threading
from contextlib import closing
from pathlib import Path

import pytest

import dlwidgets as dw
from dlwidgets.exceptions import WorkspaceTooNew
from dlwidgets.store import Workspace
from dlwidgets.store.migrations import LAYOUTS, SCHEMA_VERSION

# Made by make_v1.py beside it, with the dlwidgets of format version 1.
V1 = Path(__file__).with_name("workspaces") / "v1.tar.gz"
V1_PNG_SHA256 = "fe5947c81031982c393ae6c2963b7072d56f02debb518807b67a7e6f87184d76"


@pytest.fixture
def v1_home(tmp_path: Path) -> Path:
    home = tmp_path / "v1"
    with tarfile.open(V1) as tar:
        tar.extractall(home, filter="data")
    return home


def sql(home: Path, statement: str) -> list[tuple]:
    with closing(sqlite3.connect(home / "workspace.sqlite", isolation_level=None)) as db:
        return db.execute(statement).fetchall()


def test_a_version_1_workspace_opens_upgraded_with_its_data(v1_home: Path) -> None:
    assert sql(v1_home, "PRAGMA user_version") == [(1,)]
    client = dw.connect(home=v1_home)
    dataset = client.projects.get(project_name="upgraded").datasets.get(dataset_name="pets")
    assert [(label.tag, label.color) for label in dataset.labels] == [("cat", "#ff0000"), ("dog", "#00ff00")]
    image = dataset.items.get(filepath="/pets/cat.png")
    assert (image.width, image.height, image.metadata["user"]) == (12, 8, {"source": "v1"})
    assert hashlib.sha256(image.read()).hexdigest() == V1_PNG_SHA256
    thumbnail = v1_home / "blobs/thumbs/160px/fe" / f"{V1_PNG_SHA256}.jpg"
    assert image.thumbnail() == thumbnail.read_bytes()
    annotations = {a.type: a for a in image.annotations.list()}
    assert annotations["box"].coordinates == [{"x": 2, "y": 1, "z": 0}, {"x": 9, "y": 6, "z": 0}]
    assert (annotations["box"].attributes, annotations["box"].object_id) == ({"color": "white"}, "1")
    assert (annotations["point"].label, annotations["class"].label) == ("dog", "cat")
    assert image.annotations_count == 3
    (task,) = dataset.tasks.list()
    assert task.name == "check the cat"
    assert [a.annotator for a in task.assignments.list()] == ["ann.lee@example.com"]
    # It is written to as any workspace is.
    image.annotations.upload([dw.Point(x=1, y=1, label="cat")])
    assert dataset.items.get(item_id=image.id).annotations_count == 4
    client.close()

    assert sql(v1_home, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert dict(sql(v1_home, "SELECT name, version FROM layouts")) == LAYOUTS


def test_kernels_and_a_server_opening_a_version_1_workspace_at_once_all_see_it_upgraded(
    v1_home: Path,
) -> None:
    start, errors, opened = threading.Barrier(6), [], []

    def open_workspace() -> None:
        start.wait()
        try:
            workspace = Workspace(v1_home)
            opened.append(workspace.db.execute("SELECT COUNT(*) FROM annotations").fetchone()[0])
            workspace.close()
        except Exception as e:  # the test reports every failure below
            errors.append(e)

    threads = [threading.Thread(target=open_workspace) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert (errors, opened) == ([], [3] * 6)
    assert sql(v1_home, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_a_workspace_of_a_newer_format_is_refused_and_left_as_it_is(workspace_home: Path) -> None:
    Workspace(workspace_home).close()
    newer = SCHEMA_VERSION + 1
    sql(workspace_home, f"PRAGMA user_version = {newer}")
    with pytest.raises(WorkspaceTooNew) as refused:
        dw.connect(home=workspace_home)
    assert str(refused.value) == (
        f"the workspace at {workspace_home} is in format version {newer}, written by a newer dlwidgets; "
        f"this dlwidgets {dw.__version__} reads format versions up to {SCHEMA_VERSION}: "
        "upgrade dlwidgets (pip install -U dlwidgets) to open it"
    )
    assert sql(workspace_home, "PRAGMA user_version") == [(newer,)]


def test_a_newer_thumbnail_layout_is_refused_even_when_an_old_dlwidgets_stamped_the_version_back(
    workspace_home: Path,
) -> None:
    Workspace(workspace_home).close()
    newer = LAYOUTS["thumbnails"] + 1
    sql(workspace_home, f"UPDATE layouts SET version = {newer} WHERE name = 'thumbnails'")
    sql(workspace_home, "PRAGMA user_version = 1")  # what dlwidgets of format version 1 did on every open
    with pytest.raises(WorkspaceTooNew, match=f"thumbnails folder .* layout version {newer},"):
        Workspace(workspace_home)
