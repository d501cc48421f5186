"""The Browser's Export in a real browser, in JupyterLab 4 and Notebook 7: a dataset of three images with a
box each; the test opens the Export form, picks COCO and a folder, presses Export, waits for the progress
bar to reach its end and the status line to say where it wrote, and loads the file with pycocotools."""

from __future__ import annotations

import contextlib
import io

from pycocotools.coco import COCO

from .page import OpenNotebook
from .polling import poll

DATASET_CELL = """\
import io
import numpy as np
from PIL import Image
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="street")
dataset.add_label(label_name="car")
for n in range(3):
    jpeg = io.BytesIO()
    Image.fromarray(np.full((48, 64, 3), 60 * n, dtype=np.uint8)).save(jpeg, format="JPEG")
    item = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/", remote_name=f"{n}.jpg")
    item.annotations.upload([dw.Box(top=2, left=3, bottom=20, right=30 + n, label="car")])
browser = dw.Browser()
browser
"""


def test_export_to_coco_writes_a_file_pycocotools_loads(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([DATASET_CELL])
    folder = notebook.out_dir / "exports" / "coco"
    notebook.run_all()
    root = notebook.wait_widget(".dlw-browser")
    notebook.wait_ready()
    root.get_by_label("project", exact=True).select_option(label="e2e")
    root.get_by_label("dataset", exact=True).select_option(label="street")
    root.locator(".dlw-page-label").filter(has_text="of 3").wait_for(timeout=30_000)

    root.get_by_role("button", name="Export").first.click()  # the action: it opens the form
    form = root.locator(".dlw-export")
    form.wait_for(state="visible", timeout=30_000)
    form.get_by_label("format", exact=True).select_option(label="COCO")
    form.get_by_label("folder", exact=True).fill(str(folder))
    form.get_by_role("button", name="Export").click()

    poll(  # the progress bar's description counts the items written
        lambda: "3 / 3" in form.inner_text() or None,
        timeout=60,
        what="the progress bar at 3 / 3",
        explain=lambda: f"the form reads {form.inner_text()!r}\n{notebook.describe()}",
    )
    status = root.locator(".dlw-exported")
    status.wait_for(timeout=60_000)
    assert f"exported 3 items as COCO to {folder}" in status.inner_text()

    with contextlib.redirect_stdout(io.StringIO()):
        coco = COCO(str(folder / "coco.json"))
    assert sorted(i["file_name"] for i in coco.loadImgs(coco.getImgIds())) == ["0.jpg", "1.jpg", "2.jpg"]
    assert sorted(a["bbox"][2] for a in coco.loadAnns(coco.getAnnIds())) == [27.0, 28.0, 29.0]
    assert [c["name"] for c in coco.loadCats(coco.getCatIds())] == ["car"]
