"""The brush and the eraser in a real browser, in JupyterLab 4 and Notebook 7, used as a person would: a
brush stroke painted with the mouse, part of it erased, saved with Ctrl+S, then read back with the
official SDK over ``dlwidgets serve``. The mask it reads is the stroke's path and radius, less the
eraser's, within an image pixel; the canvas shows it in the label's colour."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from brush_paths import covered_by
from official_sdk import run_dtlpy
from playwright.sync_api import Page
from serving import serving

from dlwidgets.server import create_token, workspace_secret

from .page import OpenNotebook
from .pixels import wait_pixel
from .polling import poll
from .test_annotator import ANNOTATOR_CELL, WORKSPACE_CELL
from .views import AnnotatorView, open_annotator

# The item, and who the kernel's workspace user is (the SDK signs in as them to read it).
ITEM_ID_CELL = 'dump("read_back.json", {"item_id": item.id, "email": dw.info()["user_email"]})\n'
READ_BY_SDK = Path(__file__).with_name("masks_read_by_sdk.py")

# Where the test paints, in image pixels (the 640 x 400 image of test_annotator), and the brush sizes.
BRUSH = [(100.0, 100.0), (300.0, 150.0), (400.0, 300.0)]
ERASER = [(250.0, 60.0), (250.0, 250.0)]
BRUSH_SIZE, ERASER_SIZE = 32, 16


def covered(path: list[tuple[float, float]], radius: float) -> np.ndarray:
    """The pixels of the 640 x 400 image within ``radius`` of ``path`` (pixel centres)."""
    return covered_by(path, radius, 640, 400)


def grown(mask: np.ndarray) -> np.ndarray:
    """``mask`` and every pixel next to it (diagonals too)."""
    padded = np.pad(mask, 1)
    out = np.zeros_like(mask)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            out |= padded[dy : dy + 400, dx : dx + 640]
    return out


def paint(view: AnnotatorView, path: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drag the mouse along ``path`` (image pixels); returns the image points the page's mouse went by."""
    page: Page = view.page
    points = [view.screen_xy(*p) for p in path]
    page.mouse.move(*points[0])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(x, y, steps=12)
    page.mouse.up()
    return [view.image_xy(x, y) for x, y in points]


def set_size(view: AnnotatorView, size: int, key: str) -> None:
    """Press ``key`` (- or =) until the brush size box reads ``size``."""
    box = view.root.locator(".dlw-brush-size input")
    for _ in range(10):
        shown = box.input_value()
        if shown == str(size):
            return
        view.page.keyboard.press(key)
        poll(lambda was=shown: box.input_value() != was or None, timeout=30, what=f"the size after {key}")
    assert box.input_value() == str(size)


def test_paint_erase_save_and_read_back_with_the_sdk(open_notebook: OpenNotebook) -> None:
    view = open_annotator(open_notebook, [WORKSPACE_CELL + ITEM_ID_CELL, ANNOTATOR_CELL])
    page = view.page
    view.click((320, 380))  # gives the annotator the keyboard (a click with the box tool draws nothing)
    page.keyboard.press("m")
    view.wait_tool("Brush")
    set_size(view, BRUSH_SIZE, "=")
    brush = paint(view, BRUSH)
    view.kernel_annotations(lambda a: [s["type"] for s in a] == ["binary"], "the painted mask")

    page.keyboard.press("e")
    view.wait_tool("Eraser")
    set_size(view, ERASER_SIZE, "-")
    changes = view.kernel_state(lambda a: True, "the mask")["changes"]
    eraser = paint(view, ERASER)
    poll(
        lambda: view.kernel_state(lambda a: True, "the mask")["changes"] > changes or None,
        timeout=30,
        what="the eraser's stroke applied",
    )

    expected = covered(brush, BRUSH_SIZE / 2) & ~covered(eraser, ERASER_SIZE / 2)
    # The canvas shows the mask in car's red over the image, and the image where it was erased.
    cx, cy = view.canvas_xy(*brush[0])
    wait_pixel(view.layers, round(cx), round(cy), lambda p: p[0] > 100, what="the mask in car's red")
    cx, cy = view.canvas_xy(250, 132)
    wait_pixel(view.layers, round(cx), round(cy), lambda p: p[0] < 70, what="the erased part, unpainted")

    page.keyboard.press("Control+s")
    view.notebook.wait_file("saved.json")

    found, folder = read_back_with_the_sdk(view)
    assert found == [["binary", "car"]]
    assert np.load(folder / "color_car.npy").tolist() == [255, 0, 0]
    read = np.load(folder / "mask_car.npy")
    assert read.shape == (400, 640)
    # Within an image pixel: any pixel read otherwise than expected is next to the expected mask's edge.
    edge = grown(expected) & grown(~expected)
    wrong = read != expected
    assert not (wrong & ~edge).any(), np.argwhere(wrong & ~edge)[:10]
    assert read.sum() > 0.9 * expected.sum()


def read_back_with_the_sdk(view: AnnotatorView) -> tuple[list[list[str]], Path]:
    """The saved item's masks as the official SDK reads them over ``dlwidgets serve``: [type, label] of
    each, and the folder of their ``mask_<label>.npy`` and ``color_<label>.npy``."""
    home = view.notebook.out_dir / "workspace"
    read_back = view.notebook.wait_file("read_back.json")
    token = create_token(workspace_secret(home), read_back["email"])
    folder = view.notebook.out_dir / "dtlpy"
    folder.mkdir()
    (folder / "item_id.txt").write_text(read_back["item_id"])
    with serving(home) as url:
        found = run_dtlpy("example", url, token, folder, {"example": str(READ_BY_SDK)})
    return found, folder


def test_a_mask_clicked_on_the_canvas_is_selected_and_relabelled_in_the_new_colour(
    open_notebook: OpenNotebook,
) -> None:
    view = open_annotator(open_notebook, [WORKSPACE_CELL + ITEM_ID_CELL, ANNOTATOR_CELL])
    page = view.page
    view.click((320, 380))  # gives the annotator the keyboard (a click with the box tool draws nothing)
    page.keyboard.press("m")
    view.wait_tool("Brush")
    paint(view, BRUSH)
    view.kernel_annotations(lambda a: [s["type"] for s in a] == ["binary"], "the painted mask")
    page.keyboard.press("v")
    view.wait_tool("Select")
    view.click((600, 30))  # off the mask: nothing selected, so 2 only chooses person for new shapes
    page.keyboard.press("2")
    view.click(BRUSH[1])  # on its pixels: the mask is selected, and 2 relabels it
    page.keyboard.press("2")
    view.kernel_annotations(lambda a: [s["label"] for s in a] == ["person"], "the mask relabelled")
    cx, cy = view.canvas_xy(*BRUSH[1])
    wait_pixel(view.layers, round(cx), round(cy), lambda p: p[1] > 100 > p[0], what="the mask in green")

    page.keyboard.press("Control+s")
    view.notebook.wait_file("saved.json")
    found, folder = read_back_with_the_sdk(view)
    assert found == [["binary", "person"]]
    assert np.load(folder / "color_person.npy").tolist() == [0, 255, 0]  # person's green, not car's red
