"""The dropzone in both ipywidgets 7 frontends (see conftest.py): a 20 MB file picked with its file
input is sent in chunks through the anywidget's messages and stored whole: this process reads the item
back from the workspace and compares its sha256 with the file's. A kernel restarted mid-file fails the
file in the page at once."""

from __future__ import annotations

import os
import time
from pathlib import Path

import dlwidgets as dw

from ..page import OpenNotebook
from ..polling import poll
from ..test_dropzone import DROPZONE_CELL, RESTART_CELL, partial_bytes, sha

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


def test_a_kernel_restart_mid_file_fails_it_at_once(open_notebook: OpenNotebook, tmp_path: Path) -> None:
    """The widget manager of ipywidgets 7 has no kernel to watch, but it disconnects every model when the
    kernel restarts: the page must say so at once, not after the acknowledgement timeout (60 s)."""
    notebook = open_notebook([RESTART_CELL])
    notebook.run_all()
    root = notebook.wait_widget(".dlw-dropzone")
    notebook.wait_ready()
    big = tmp_path / "big.bin"
    block = os.urandom(1 << 20)
    with open(big, "wb") as f:
        for _ in range(200):
            f.write(block)
    root.locator("input.dlw-file-input").set_input_files(big)
    tmp = notebook.out_dir / "tmp"
    poll(lambda: partial_bytes(tmp) > 8 << 20 or None, timeout=60, what="the first chunks in the kernel")
    notebook.restart_kernel()
    restarted = time.monotonic()

    failed = root.locator('.dlw-file[data-status="failed"]')
    failed.wait_for(timeout=20_000)
    assert time.monotonic() - restarted < 20
    assert "kernel restarted" in failed.locator(".dlw-status").inner_text()
    notebook.wait_restarted()
