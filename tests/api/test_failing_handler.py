"""The embedded transport re-raises a failing route handler's own exception when asked to, for debugging
(``test_error_contract.py`` shows the 500 both transports answer otherwise). The failure here is real: a
table the handler reads is gone."""

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


def test_the_embedded_transport_can_raise_the_handlers_exception_for_debugging(workspace_home: Path) -> None:
    dw.connect(home=workspace_home).close()  # makes the workspace
    drop_projects_table(workspace_home)
    transport = LocalTransport(Store(workspace_home), "me@example.com", raise_app_exceptions=True)
    with (
        httpx.Client(base_url="http://local/api/v1", transport=transport) as http,
        pytest.raises(sqlite3.OperationalError, match="no such table: projects"),
    ):
        http.get("/projects")
