"""The dropzone in a real browser, in JupyterLab 4 and Notebook 7: files dropped on it (a DataTransfer
drop event), a 50 MB file and a folder picked with its buttons' file inputs. The test then reads the
workspace from this process and checks every item's path and bytes (sha256)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from playwright.sync_api import Page

import dlwidgets as dw

from .page import OpenNotebook

DROPZONE_CELL = """\
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="drops")
dropzone = dw.Dropzone(dataset, remote_path="/images")
dropzone.on_upload(lambda item: dump("uploaded.json", sorted(i.filename for i in dropzone.items)))
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
    rows = root.locator(".dlw-file")
    assert rows.count() == len(expected)
    assert root.locator('.dlw-file[data-status="done"]').count() == len(expected)
    assert "9 of 9 files done" in root.locator(".dlw-total").inner_text()

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
