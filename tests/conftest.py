"""Fixtures shared by the whole suite: a fresh embedded workspace per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import dlwidgets as dw
from dlwidgets.api import default


@pytest.fixture(autouse=True)
def workspace_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own embedded workspace; nothing touches ``~/.dlwidgets``."""
    home = tmp_path / "workspace"
    monkeypatch.setenv("DLWIDGETS_HOME", str(home))
    monkeypatch.setenv("DLWIDGETS_EMAIL", "ann.lee@example.com")
    yield home
    if default._client is not None:
        default._client.close()
        default._client = None


@pytest.fixture
def client(workspace_home: Path) -> dw.Client:
    """The default client on a fresh embedded workspace, as ``dw.projects`` sees it."""
    return dw.connect()
