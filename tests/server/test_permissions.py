"""A workspace is readable by its owner only: the folder 0700, the database and its -wal and -shm 0600,
whatever the umask, for workspaces made by the client, the server or `dlwidgets token create`."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from serving import serving

import dlwidgets as dw
from dlwidgets.cli import main
from dlwidgets.server import create_token, workspace_secret


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o002, 0o000], ids=lambda u: f"umask-{u:03o}")
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    before = os.umask(request.param)
    yield request.param
    os.umask(before)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _assert_private(home: Path) -> None:
    assert _mode(home) == 0o700, oct(_mode(home))
    database = [home / f"workspace.sqlite{suffix}" for suffix in ("", "-wal", "-shm")]
    assert all(p.exists() for p in database), sorted(p.name for p in home.iterdir())
    for path in [*database, home / "server-secret"]:
        if path.exists():
            assert _mode(path) == 0o600, (path.name, oct(_mode(path)))
    readable = [p for p in home.rglob("*") if p.is_file() and _mode(p) & 0o077 and p.stat().st_size]
    assert readable == [], [(str(p.relative_to(home)), oct(_mode(p))) for p in readable]


def test_a_workspace_made_by_the_client_is_private(workspace_home: Path, umask: int) -> None:
    client = dw.connect(home=workspace_home)
    dataset = client.projects.create(project_name="p").datasets.create(dataset_name="d")
    item = dataset.items.upload(local_path=_png(), remote_name="a.png")
    assert isinstance(item, dw.Item) and item.thumbnail()
    _assert_private(workspace_home)
    client.close()


def test_a_workspace_made_by_the_server_is_private(workspace_home: Path, umask: int) -> None:
    assert main(["token", "create", "--email", "ann@example.com", "--home", str(workspace_home)]) == 0
    assert _mode(workspace_home) == 0o700
    with serving(workspace_home) as url:
        token = create_token(workspace_secret(workspace_home), "ann@example.com")
        answer = httpx.post(
            f"{url}/projects", json={"name": "p"}, headers={"authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200, answer.text
        _assert_private(workspace_home)


def test_an_older_workspace_readable_by_all_is_made_private_when_opened(workspace_home: Path) -> None:
    dw.connect(home=workspace_home).close()
    for path in workspace_home.glob("workspace.sqlite*"):
        path.chmod(0o644)
    client = dw.connect(home=workspace_home)
    client.projects.create(project_name="p")
    for path in workspace_home.glob("workspace.sqlite*"):
        assert _mode(path) == 0o600, path.name
    client.close()
