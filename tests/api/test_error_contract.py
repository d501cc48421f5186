"""One error family across the client's boundary, whichever transport carries the calls: the embedded
workspace in-process, or ``dlwidgets serve`` over HTTP. A server that is gone is ``ConnectionFailed`` (for a
call and for a download alike); a route handler that fails is ``InternalServerError`` (the embedded
transport re-raises the handler's own exception instead when asked to, for debugging). A download whose
connection breaks mid-body is ``ConnectionFailed`` too, and leaves no partial file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from faulty_proxy import faulty_proxy
from serving import serving

import dlwidgets as dw
from dlwidgets.api.client import LOCAL_ENVIRONMENT
from dlwidgets.api.transport import LocalTransport
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.store import Store

USER = "ann@example.com"
Stoppable = tuple[dw.Client, Callable[[], None]]


@pytest.fixture(params=["local", "http"])
def stoppable(request: pytest.FixtureRequest, workspace_home: Path) -> Iterator[Stoppable]:
    """A client on the test's workspace, and what stops its server: the embedded workspace closed, or
    ``dlwidgets serve`` shut down."""
    with ExitStack() as server:
        if request.param == "local":
            transport = LocalTransport(Store(workspace_home), USER)
            server.callback(transport.close)
            client = dw.Client(LOCAL_ENVIRONMENT, transport=transport, user_email=USER)
        else:
            url = server.enter_context(serving(workspace_home))
            client = dw.connect(url, token=create_token(workspace_secret(workspace_home), USER), backoff=0.01)
        with client:
            yield client, server.close


def an_item(client: dw.Client) -> dw.Item:
    dataset = client.projects.create(project_name="gulls").datasets.create(dataset_name="shore")
    item = dataset.items.upload(local_path=b"x" * 100_000, remote_name="gull.bin")
    assert isinstance(item, dw.Item)
    return item


def drop_projects_table(home: Path) -> None:
    with sqlite3.connect(home / "workspace.sqlite") as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("DROP TABLE projects")


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


def test_a_server_that_is_gone_is_connection_failed(stoppable: Stoppable, downloads: Path) -> None:
    client, stop = stoppable
    item = an_item(client)
    stop()
    with pytest.raises(dw.exceptions.ConnectionFailed, match="cannot reach") as e:
        client.projects.list()
    assert isinstance(e.value, dw.exceptions.PlatformError) and isinstance(e.value, ConnectionError)
    with pytest.raises(dw.exceptions.ConnectionFailed, match="cannot reach"):
        item.download(local_path=downloads / "gull.bin")
    assert list(downloads.iterdir()) == []


def test_a_failing_handler_is_one_internal_server_error(stoppable: Stoppable, workspace_home: Path) -> None:
    client, _ = stoppable
    client.projects.create(project_name="gulls")
    drop_projects_table(workspace_home)
    with pytest.raises(dw.exceptions.InternalServerError) as e:
        client.projects.list()
    assert e.value.message == (
        "internal error while serving GET /api/v1/projects: OperationalError: no such table: projects"
    )


def test_a_download_cut_mid_body_is_connection_failed(workspace_home: Path, downloads: Path) -> None:
    def cut_streams(method: str, path: str) -> str | None:
        return "cut" if method == "GET" and path.endswith("/stream") else None

    token = create_token(workspace_secret(workspace_home), USER)
    with (
        serving(workspace_home) as url,
        faulty_proxy(url.removesuffix("/api/v1"), cut_streams) as proxy,
        dw.connect(f"{proxy}/api/v1", token=token, backoff=0.01) as client,
    ):
        item = an_item(client)
        with pytest.raises(dw.exceptions.ConnectionFailed, match="RemoteProtocolError"):
            item.download(local_path=downloads / "gull.bin")
        assert list(downloads.iterdir()) == []
        with pytest.raises(dw.exceptions.ConnectionFailed, match="RemoteProtocolError"):
            item.read()


def test_the_embedded_transport_can_raise_the_handlers_exception_for_debugging(workspace_home: Path) -> None:
    dw.connect(home=workspace_home).close()  # makes the workspace
    drop_projects_table(workspace_home)
    transport = LocalTransport(Store(workspace_home), USER, raise_app_exceptions=True)
    with (
        httpx.Client(base_url="http://local/api/v1", transport=transport) as http,
        pytest.raises(sqlite3.OperationalError, match="no such table: projects"),
    ):
        http.get("/projects")
