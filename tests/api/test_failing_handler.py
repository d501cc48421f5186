"""A route handler that fails unexpectedly answers the same 500 on both transports: the embedded
workspace and ``dlwidgets serve``. The failure here is real: a table the handler reads is gone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest

import dlwidgets as dw
from dlwidgets.api.transport import LocalTransport
from dlwidgets.store import Store


def drop_projects_table(home: Path) -> None:
    with sqlite3.connect(home / "workspace.sqlite") as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("DROP TABLE projects")


def test_a_failing_handler_is_one_internal_server_error(both: dw.Client, workspace_home: Path) -> None:
    both.projects.create(project_name="gulls")
    drop_projects_table(workspace_home)
    with pytest.raises(dw.exceptions.InternalServerError) as e:
        both.projects.list()
    assert e.value.message == (
        "internal error while serving GET /api/v1/projects: OperationalError: no such table: projects"
    )


def test_the_embedded_transport_can_raise_the_handlers_exception_for_debugging(workspace_home: Path) -> None:
    dw.connect(home=workspace_home).close()  # makes the workspace
    drop_projects_table(workspace_home)
    transport = LocalTransport(Store(workspace_home), "me@example.com", raise_app_exceptions=True)
    with (
        httpx.Client(base_url="http://local/api/v1", transport=transport) as http,
        pytest.raises(sqlite3.OperationalError, match="no such table: projects"),
    ):
        http.get("/projects")
