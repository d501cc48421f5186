"""The dropzone in both ipywidgets 7 frontends (see conftest.py): a 20 MB file picked with its file
input is sent in chunks through the anywidget's messages and stored whole: this process reads the item
back from the workspace and compares its sha256 with the file's."""

from __future__ import annotations

import os
from pathlib import Path

import dlwidgets as dw

from ..page import OpenNotebook
from ..test_dropzone import DROPZONE_CELL, sha

SIZE = 20 << 20


def test_upload_a_20_mb_file(open_notebook: OpenNotebook, tmp_path: Path) -> None:
    notebook = open_notebook([DROPZONE_CELL])
    notebook.run_all()
    root = notebook.wait_widget(".dlw-dropzone")
    notebook.wait_ready()

    picked = tmp_path / "big 20MB.bin"
    picked.write_bytes(os.urandom(SIZE) + b"tail")
    root.locator("input.dlw-file-input").set_input_files(picked)
    name = f"/images/{picked.name}"
    assert notebook.wait_file("uploaded.json", timeout=180) == [name]
    root.locator('.dlw-file[data-status="done"]').wait_for(timeout=30_000)
    assert "1 of 1 files done" in root.locator(".dlw-total").inner_text()

    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    try:
        dataset = client.projects.get(project_name="e2e").datasets.get(dataset_name="drops")
        (item,) = dataset.items.list().all()
        stored = item.read()
    finally:
        client.close()
    assert item.filename == name
    assert len(stored) == SIZE + 4
    assert sha(stored) == sha(picked.read_bytes())
