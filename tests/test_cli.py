"""``dlwidgets lab``: the README's first quick-start command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlwidgets.cli import main


def test_lab_copies_the_notebook_and_opens_it_in_jupyterlab(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lab", "--dir", str(tmp_path), "--print-command"]) == 0
    command = capsys.readouterr().out.split()
    notebook = tmp_path / "getting_started.ipynb"
    assert command[1:3] == ["-m", "jupyterlab"]
    assert command[-1] == str(notebook)
    assert json.loads(notebook.read_text())["cells"], "the copied notebook has cells"


def test_lab_keeps_a_notebook_the_user_edited(tmp_path: Path) -> None:
    notebook = tmp_path / "getting_started.ipynb"
    notebook.write_text('{"cells": ["mine"]}')
    main(["lab", "--dir", str(tmp_path), "--print-command"])
    assert notebook.read_text() == '{"cells": ["mine"]}'


def test_ensure_demo_fills_an_empty_workspace_once(tmp_path: Path) -> None:
    import dlwidgets as dw
    from dlwidgets.cli import ensure_demo

    ensure_demo(tmp_path / "ws")
    ensure_demo(tmp_path / "ws")
    client = dw.connect(home=tmp_path / "ws")
    (project,) = client.projects.list()
    dataset = project.datasets.get(dataset_name="street-scenes")
    assert dataset.items.list().items_count == 12
    item = dataset.items.list().items[0]
    assert (item.width, item.height, item.mimetype) == (640, 400, "image/jpeg")
    assert [label.tag for label in dataset.labels] == ["car", "person", "tree", "house", "outdoor"]
