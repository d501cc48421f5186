"""The dropzone in a real browser, in JupyterLab 4 and Notebook 7: files dropped on it (a DataTransfer
drop event), a 50 MB file and a folder picked with its buttons' file inputs. The test then reads the
workspace from this process and checks every item's path and bytes (sha256). A kernel restarted in the
middle of a 200 MB file shows as a failure in the page and leaves nothing of that file behind."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from playwright.sync_api import Page

import dlwidgets as dw

from .page import OpenNotebook
from .polling import poll
from .screenshots import save_screenshot

DROPZONE_CELL = """\
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="drops")
dropzone = dw.Dropzone(dataset, remote_path="/images")
dropzone.on_upload(lambda item: dump("uploaded.json", sorted(i.filename for i in dropzone.items)))
batches = []


def batch_done(items):
    batches.append(sorted(i.filename for i in items))
    dump("batches.json", batches)


dropzone.on_batch(batch_done)
dropzone
"""

# Files made in the page, so their bytes are known here too: index i holds bytes (i * 7 + n) % 251.
DROPPED = {
    "one.txt": 1000,
    "empty.txt": 0,
    "été x..y.txt": 5000,
    "two.bin": 300_000,
}
_DROP_JS = """([area, files]) => {
  const transfer = new DataTransfer();
  for (const [name, size, seed] of files) {
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 7 + seed) % 251;
    transfer.items.add(new File([bytes], name));
  }
  area.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
}"""


def page_bytes(size: int, seed: int) -> bytes:
    return bytes((i * 7 + seed) % 251 for i in range(size))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def drop(page: Page, files: list[tuple[str, int, int]]) -> None:
    area = page.locator(".jp-OutputArea-output .dlw-drop-area").first
    area.evaluate("(area, files) => (" + _DROP_JS + ")([area, files])", files)


def test_drop_files_a_50_mb_file_and_a_folder(open_notebook: OpenNotebook, tmp_path: Path) -> None:
    notebook = open_notebook([DROPZONE_CELL])
    notebook.run_all()
    root = notebook.wait_widget(".dlw-dropzone")
    notebook.wait_ready()
    page = notebook.page
    expected: dict[str, str] = {}

    # 1. Several files dropped at once, two of them with the same name: the second is renamed.
    dropped = [(name, size, seed) for seed, (name, size) in enumerate(DROPPED.items())]
    dropped.append(("one.txt", 10, 99))
    drop(page, dropped)
    for name, size, seed in dropped[:-1]:
        expected[f"/images/{name}"] = sha(page_bytes(size, seed))
    expected["/images/one (2).txt"] = sha(page_bytes(10, 99))
    # The kernel hears of the drop's end once, with every item it made.
    first = notebook.wait_file("batches.json", until=lambda batches: len(batches) == 1, timeout=60)
    assert first == [sorted(expected)]

    # 2. A 50 MB file from the file picker.
    big = tmp_path / "picked" / "big 50MB.bin"
    big.parent.mkdir()
    block = os.urandom(1 << 20)
    with open(big, "wb") as f:
        for _ in range(50):
            f.write(block)
        f.write(b"tail")
    root.locator("input.dlw-file-input").set_input_files(big)
    expected["/images/big 50MB.bin"] = sha(big.read_bytes())

    # 3. A folder from the folder picker: its structure is kept under remote_path.
    folder = tmp_path / "photos"
    (folder / "2024" / "sub dir").mkdir(parents=True)
    contents = {"a.txt": b"a" * 10, "2024/b.txt": b"b" * 2000, "2024/sub dir/c d.txt": b"c" * 3}
    for relative, data in contents.items():
        (folder / relative).write_bytes(data)
        expected[f"/images/photos/{relative}"] = sha(data)
    root.locator("input.dlw-folder-input").set_input_files(folder)

    uploaded = notebook.wait_file(
        "uploaded.json", until=lambda names: len(names) == len(expected), timeout=120
    )
    assert sorted(uploaded) == sorted(expected)
    batches = notebook.wait_file(
        "batches.json", until=lambda b: sum(map(len, b)) == len(expected), timeout=60
    )
    assert len(batches) <= 3 and all(batches)  # the drop, the file picked, the folder (with it, if it was on)
    rows = root.locator(".dlw-file")
    assert rows.count() == len(expected)
    assert root.locator('.dlw-file[data-status="done"]').count() == len(expected)
    assert "9 of 9 files done" in root.locator(".dlw-total").inner_text()
    save_screenshot(root, "Dropzone")

    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    dataset = client.projects.get(project_name="e2e").datasets.get(dataset_name="drops")
    items = list(dataset.items.list().all())
    assert sorted(i.filename for i in items) == sorted(expected)
    for item in items:
        assert sha(item.read()) == expected[item.filename], item.filename

    # 4. The same files again, overwrite off: each is skipped because it exists, before any byte is sent.
    drop(page, dropped[:2])
    skipped = root.locator('.dlw-file[data-status="skipped"]')
    skipped.nth(1).wait_for(timeout=30_000)
    assert skipped.count() == 2
    again = notebook.wait_file("batches.json", until=lambda b: len(b) == len(batches) + 1, timeout=30)
    assert again[-1] == []  # a drop that made nothing ends too


# The dropzone's partial files go to OUT/tmp, where this process can watch them.
RESTART_CELL = """\
import tempfile
import dlwidgets as dw

(OUT / "tmp").mkdir(exist_ok=True)
tempfile.tempdir = str(OUT / "tmp")
dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="drops")
dropzone = dw.Dropzone(dataset, remote_path="/big")
dropzone.on_upload(lambda item: dump("uploaded.json", [i.filename for i in dropzone.items]))
dropzone
"""

# What the page does on Kernel > Restart Kernel once the dialog is confirmed; the promise settles once
# the server has restarted the kernel.
_RESTART_JS = "() => { window.e2eRestart = jupyterapp.shell.currentWidget.sessionContext.restartKernel(); }"


def partial_bytes(tmp: Path) -> int:
    return sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file())


def test_a_kernel_restart_mid_file_fails_it_and_stores_nothing(
    open_notebook: OpenNotebook, tmp_path: Path
) -> None:
    notebook = open_notebook([RESTART_CELL])
    notebook.run_all()
    root = notebook.wait_widget(".dlw-dropzone")
    notebook.wait_ready()
    picker = root.locator("input.dlw-file-input")

    small = tmp_path / "small.bin"
    small.write_bytes(os.urandom(100_000))
    picker.set_input_files(small)
    notebook.wait_file("uploaded.json", until=lambda names: names == ["/big/small.bin"], timeout=60)

    big = tmp_path / "big.bin"
    block = os.urandom(1 << 20)
    with open(big, "wb") as f:
        for _ in range(200):
            f.write(block)
    picker.set_input_files(big)
    tmp = notebook.out_dir / "tmp"
    poll(lambda: partial_bytes(tmp) > 8 << 20 or None, timeout=60, what="the first chunks in the kernel")
    notebook.page.evaluate(_RESTART_JS)
    restarted = time.monotonic()

    # The page says so well before the 60 s without an answer that would otherwise give it away.
    failed = root.locator('.dlw-file[data-status="failed"]')
    failed.wait_for(timeout=20_000)
    assert time.monotonic() - restarted < 20
    assert failed.count() == 1
    assert failed.get_attribute("data-path") == "big.bin"
    assert "kernel restarted" in failed.locator(".dlw-status").inner_text()
    assert root.locator('.dlw-file[data-status="done"]').count() == 1
    assert "1 failed" in root.locator(".dlw-total").inner_text()

    # Once the new kernel is up, the old one has removed its partial file on the way out; the workspace
    # holds the small file only. (Shutting a kernel down while it restarts fails with a 500.)
    notebook.page.evaluate("() => window.e2eRestart")
    notebook.wait_kernel_idle()
    poll(lambda: partial_bytes(tmp) == 0 or None, timeout=30, what="the partial file's removal")
    client = dw.connect(home=str(notebook.out_dir / "workspace"))
    try:
        dataset = client.projects.get(project_name="e2e").datasets.get(dataset_name="drops")
        assert [i.filename for i in dataset.items.list().all()] == ["/big/small.bin"]
    finally:
        client.close()
    blobs = notebook.out_dir / "workspace" / "blobs"
    stored = [f for f in blobs.rglob("*") if f.is_file() and not f.name.startswith(".")]
    assert [f.stat().st_size for f in stored] == [small.stat().st_size]
    assert all(f.parent.name != "tmp" for f in stored)
