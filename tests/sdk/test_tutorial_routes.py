"""The getting-started tutorial on the wire: run once with the official SDK (``server/dtlpy_scripts.py``)
and once with dlwidgets' remote client (the cells of ``test_tutorial.py``), each against ``dlwidgets
serve``; every route dlwidgets calls is one dtlpy calls too."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_tutorial as tutorial
from official_sdk import EMAIL, run_dtlpy
from route_recorder import routes_called
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret

pytest.importorskip("dtlpy", reason="the official SDK is in the 'test' extra: pip install -e '.[test]'")


def test_the_tutorial_calls_no_route_that_dtlpy_does_not_call(
    workspace_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    served = tmp_path / "served-to-dtlpy"
    with routes_called(monkeypatch) as by_dtlpy, serving(served) as url:
        run_dtlpy("tutorial", url, create_token(workspace_secret(served), EMAIL), tmp_path / "dtlpy")
    with routes_called(monkeypatch) as by_dlwidgets, serving(workspace_home) as url:
        client = dw.connect(url, token=create_token(workspace_secret(workspace_home), EMAIL))
        folder = tmp_path / "dlwidgets"
        folder.mkdir()
        monkeypatch.chdir(folder)  # the tutorial moves into its folder; this puts the caller's back
        tutorial.test_getting_started_tutorial(client, folder, capsys)
        client.close()
    assert by_dlwidgets, "no route was recorded for the dlwidgets run"
    only_dlwidgets = sorted(by_dlwidgets - by_dtlpy)
    assert not only_dlwidgets, f"routes dlwidgets called and dtlpy did not: {only_dlwidgets}"
