"""Fixtures shared by the whole suite: a fresh embedded workspace per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import dlwidgets as dw
from dlwidgets.api import default


@pytest.fixture
def workspace_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "workspace"
    monkeypatch.setenv("DLWIDGETS_HOME", str(home))
    monkeypatch.setenv("DLWIDGETS_EMAIL", "ann.lee@example.com")
    return home


@pytest.fixture
def client(workspace_home: Path) -> Iterator[dw.Client]:
    """The default client on a fresh embedded workspace, as ``dw.projects`` sees it."""
    c = dw.connect()
    yield c
    c.close()
    default._client = None
