"""The Browser's Export action, pressed as a person would: the whole dataset or the selection, in COCO
that pycocotools loads, with the progress bar at its end; refusals shown in the status line. It runs in
the background: the kernel is free while it runs, Cancel stops it, a failure is shown, and neither leaves
anything in the folder."""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w
import pytest
from pycocotools.coco import COCO

import dlwidgets as dw
from dlwidgets.widgets.browser import Browser


def press(browser: Browser, text: str) -> None:
    """Click the button of the export form that reads ``text``."""
    (found,) = [b for b in _buttons(browser.export_form) if b.description == text]
    found.click()


def exported(browser: Browser) -> None:
    """Press Export and wait for the export, which runs in the background, to end."""
    press(browser, "Export")
    job = browser.export_form.job
    assert job is not None and job.wait(60), "the export did not end within a minute"


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
    browser = browsing(dataset, tmp_path / "out")
    exported(browser)
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
    exported(browser)
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


def browsing(dataset: dw.Dataset, folder: Path) -> Browser:
    """A Browser on ``dataset`` whose export form writes into ``folder``."""
    browser = Browser(dataset.client)
    browser.dataset = dataset
    browser.export_form.folder.value = str(folder)
    return browser


def held_at_the_first_page(browser: Browser, then: Callable[[], None]) -> threading.Event:
    """Make the export, when its progress bar first moves (in the export's thread), run ``then`` and wait
    there until the returned event is set; returns the event. The export goes an item per page."""
    form = browser.export_form
    form.page_size = 1
    release = threading.Event()

    def hold(change: dict) -> None:
        if change["new"] == 1:
            then()
            assert release.wait(30), "the test did not release the export"

    form.progress.observe(hold, names="value")
    return release


def test_export_runs_in_the_background_while_the_kernel_stays_free(
    dataset: dw.Dataset, make_jpeg, tmp_path: Path
) -> None:
    annotated(dataset, make_jpeg, 3)
    browser = browsing(dataset, tmp_path / "exports" / "out")
    midway = threading.Event()
    release = held_at_the_first_page(browser, midway.set)
    press(browser, "Export")  # returns at once: were it blocking, it would wait at the first page
    job = browser.export_form.job
    assert job is not None and midway.wait(30)
    assert job.is_running and browser.export_form.progress.value == 1
    assert "exporting 3 items as COCO" in browser.status
    assert not any((tmp_path / "exports" / "out").rglob("*.json"))  # nothing there until complete
    release.set()
    assert job.wait(60)
    assert browser.status_kind == "notice" and "exported 3 items" in browser.status, browser.status
    assert len(load_coco(browser.export_form.written).getAnnIds()) == 3
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == ["out"]  # no staging folder left
    browser.close()


# How an export stopped midway ends: (status kind, what the status says, the progress bar's style).
STOPPED = {
    "cancel": ("notice", "was cancelled; nothing was written", "warning"),
    "close": ("notice", "was cancelled; nothing was written", "warning"),
    "failure": ("error", "failed, and nothing was written", "danger"),
}


@pytest.mark.parametrize("stop", sorted(STOPPED))
def test_an_export_cancelled_or_failing_midway_says_so_and_leaves_the_folder_as_it_was(
    dataset: dw.Dataset, make_jpeg, tmp_path: Path, stop: str
) -> None:
    annotated(dataset, make_jpeg, 3)
    folder = tmp_path / "exports" / "out"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("mine")
    browser = browsing(dataset, folder)
    datasets = dataset.client.projects.get(project_name="widgets").datasets
    midway = {
        "cancel": lambda: press(browser, "Cancel"),
        "close": browser.close,  # the Browser closed while it runs
        "failure": lambda: datasets.delete(dataset_id=dataset.id),  # the next page cannot be read
    }[stop]
    held_at_the_first_page(browser, midway).set()
    exported(browser)
    kind, says, style = STOPPED[stop]
    assert browser.status_kind == kind and says in browser.status, browser.status
    assert browser.export_form.progress.bar_style == style and browser.export_form.written == ""
    assert sorted(p.name for p in (tmp_path / "exports").rglob("*")) == ["notes.txt", "out"]
    browser.close()
