"""The Browser's Export action, pressed as a person would: the whole dataset or the selection, in COCO
that pycocotools loads, with the progress bar at its end; refusals shown in the status line."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import ipywidgets as w
from pycocotools.coco import COCO

import dlwidgets as dw
from dlwidgets.widgets.browser import Browser


def press(browser: Browser, text: str) -> None:
    """Click the button of the export form that reads ``text``."""
    (found,) = [b for b in _buttons(browser.export_form) if b.description == text]
    found.click()


def _buttons(box: w.Box) -> list[w.Button]:
    found: list[w.Button] = []
    for child in box.children:
        if isinstance(child, w.Button):
            found.append(child)
        elif isinstance(child, w.Box):
            found += _buttons(child)
    return found


def annotated(dataset: dw.Dataset, make_jpeg, count: int) -> list[dw.Item]:
    items = []
    for n in range(count):
        item = dataset.items.upload(local_path=make_jpeg(64, 48), remote_path="/", remote_name=f"{n}.jpg")
        assert isinstance(item, dw.Item)
        item.annotations.upload([dw.Box(top=2, left=3, bottom=20, right=30 + n, label="car")])
        items.append(item)
    return items


def load_coco(path: str) -> COCO:
    with contextlib.redirect_stdout(io.StringIO()):
        return COCO(path)


def test_export_writes_coco_that_pycocotools_loads(dataset: dw.Dataset, make_jpeg, tmp_path: Path) -> None:
    annotated(dataset, make_jpeg, 3)
    browser = Browser(dataset.client)
    browser.dataset = dataset
    browser.export_form.folder.value = str(tmp_path / "out")
    press(browser, "Export")
    assert browser.status_kind == "notice", browser.status
    coco = load_coco(browser.export_form.written)
    assert sorted(i["file_name"] for i in coco.loadImgs(coco.getImgIds())) == ["0.jpg", "1.jpg", "2.jpg"]
    assert sorted(a["bbox"][2] for a in coco.loadAnns(coco.getAnnIds())) == [27.0, 28.0, 29.0]
    progress = browser.export_form.progress
    assert (progress.value, progress.max, progress.bar_style) == (3, 3, "success")
    browser.close()


def test_export_of_the_selection_writes_only_the_selected_items(
    dataset: dw.Dataset, make_jpeg, tmp_path: Path
) -> None:
    items = annotated(dataset, make_jpeg, 3)
    browser = Browser(dataset.client)
    browser.dataset = dataset
    browser.select([items[1]])
    browser.export_form.scope.value = "selection"
    browser.export_form.format.value = dw.AnnotationFormat.YOLO
    browser.export_form.folder.value = str(tmp_path / "out")
    press(browser, "Export")
    assert browser.status_kind == "notice", browser.status
    assert sorted(p.name for p in (tmp_path / "out" / "labels").rglob("*.txt")) == ["1.txt"]
    browser.close()


def test_nothing_selected_or_a_file_for_folder_is_shown_as_an_error(
    dataset: dw.Dataset, make_jpeg, tmp_path: Path
) -> None:
    annotated(dataset, make_jpeg, 1)
    browser = Browser(dataset.client)
    browser.dataset = dataset
    browser.export_form.scope.value = "selection"
    browser.export_form.folder.value = str(tmp_path / "out")
    press(browser, "Export")
    assert browser.status_kind == "error" and "nothing is selected" in browser.status
    assert not (tmp_path / "out").exists()
    browser.export_form.scope.value = "dataset"
    (tmp_path / "a-file").write_text("x")
    browser.export_form.folder.value = str(tmp_path / "a-file")
    press(browser, "Export")
    assert browser.status_kind == "error" and "a-file" in browser.status
    assert browser.export_form.progress.bar_style == "danger"
    browser.close()
