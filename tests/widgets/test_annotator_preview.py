"""The annotator's first paint (annotator/preview.py): its opening holds a core HTML widget, first among its
children and named in the stage's state, showing the item's workspace thumbnail and every box where the
stage will draw them; the page hides and empties it once the stage draws, and the kernel empties it at the
first gesture or at another item (so that no page opened later shows it), and closes it with the
annotator. An item with no thumbnail opens without one."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

import ipywidgets as w
import pytest

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator

BOXES = [(100, 60, 300, 240, "car"), (400, 50, 600, 350, "person"), (20, 300, 90, 390, "car")]


def preview_of(annotator: Annotator) -> w.HTML | None:
    first = annotator.children[0]
    return first if "dlw-preview" in getattr(first, "_dom_classes", ()) else None


@pytest.fixture
def boxed_item(image_item: dw.Item) -> dw.Item:
    image_item.annotations.upload(
        annotations=[
            dw.Box(left=x0, top=y0, right=x1, bottom=y1, label=name) for x0, y0, x1, y1, name in BOXES
        ]
    )
    return image_item


def subpaths(markup: str) -> dict[str, list[tuple[int, int, int, int]]]:
    """Each colour's boxes in the preview's SVG: (left, top, right, bottom) in its units."""
    found: dict[str, list[tuple[int, int, int, int]]] = {}
    for color, d in re.findall(r'<path stroke="(#[0-9a-f]{6})" d="([^"]*)"', markup):
        for x, y, width, height, back in re.findall(r"M(-?\d+) (-?\d+)h(-?\d+)v(-?\d+)h(-?\d+)z", d):
            assert int(back) == -int(width)
            found.setdefault(color, []).append((int(x), int(y), int(x) + int(width), int(y) + int(height)))
    return found


def test_the_opening_shows_the_thumbnail_and_every_box_where_the_stage_draws_them(
    boxed_item: dw.Item,
) -> None:
    annotator = Annotator(boxed_item, width=800, height=520)
    preview = preview_of(annotator)
    assert preview is not None and preview.comm is not None, "the preview opens first among the children"
    assert annotator.children[1] is annotator.stage
    assert annotator.stage.get_state()["_preview"] == f"IPY_MODEL_{preview.model_id}", "the page finds it"
    markup = preview.value
    thumbnail = base64.b64encode(boxed_item.thumbnail()).decode()
    assert f'src="data:image/jpeg;base64,{thumbnail}"' in markup
    # The canvas's box (800 x 520, fixed), and the image's rectangle in it where the viewport fits the
    # 640 x 400 image: the whole width, centred down; the SVG in image pixels over that rectangle.
    viewport = annotator.viewport
    assert "width:800px;aspect-ratio:800/520" in markup
    top, high = 100 * viewport.offset_y / 520, 100 * 400 * viewport.scale / 520
    assert f"left:0%;top:{top:.3f}%;width:100%;height:{high:.3f}%" in markup
    assert 'viewBox="0 0 640 400"' in markup
    assert subpaths(markup) == {
        "#ff0000": [BOXES[0][:4], BOXES[2][:4]],
        "#00ff00": [BOXES[1][:4]],
    }, "each label's boxes in its colour"
    assert f'stroke-width="{2 / viewport.scale:.3g}"' in markup, "2 canvas pixels, as the stage's"


@pytest.mark.parametrize(
    "gesture",
    [
        lambda a: a.stage._handle_custom_msg({"type": "key", "key": "b", "ctrl": False, "shift": False}, []),
        lambda a: a.stage._handle_custom_msg({"type": "wheel", "x": 10, "y": 10, "dy": 100, "size": []}, []),
    ],
    ids=["key", "wheel"],
)
def test_the_first_gesture_empties_the_preview(
    boxed_item: dw.Item, gesture: Callable[[Annotator], None]
) -> None:
    annotator = Annotator(boxed_item)
    preview = preview_of(annotator)
    assert preview is not None
    gesture(annotator)
    assert preview_of(annotator) is preview and preview.value == "", "emptied: no later page shows it"
    assert preview.get_state()["value"] == "", "and so is its state"


def test_a_resize_before_the_draw_keeps_the_preview(boxed_item: dw.Item) -> None:
    """The page's first width may come before the stage draws: the page moves the preview's image with the
    new view, and it stays until the stage draws."""
    annotator = Annotator(boxed_item)
    annotator.stage._handle_custom_msg({"type": "resize", "width": 1000, "window_height": 900}, [])
    assert annotator.stage.width == 1000
    preview = preview_of(annotator)
    assert preview is not None and "data:image/jpeg" in preview.value


def test_another_item_before_the_draw_empties_the_preview(
    boxed_item: dw.Item, dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    other = dataset.items.upload(local_path=make_jpeg(320, 200), remote_path="/images", remote_name="b.jpg")
    annotator = Annotator([boxed_item, other])
    preview = preview_of(annotator)
    assert preview is not None
    annotator.next()
    assert preview.value == "", "never the first item's over the second"


def test_closing_the_annotator_closes_its_preview(boxed_item: dw.Item) -> None:
    annotator = Annotator(boxed_item)
    preview = preview_of(annotator)
    assert preview is not None
    annotator.close()
    assert preview.comm is None


def test_an_item_with_no_thumbnail_opens_without_a_preview(dataset: dw.Dataset) -> None:
    text = dataset.items.upload(local_path=b"not an image", remote_path="/docs", remote_name="notes.txt")
    annotator = Annotator(text)
    assert preview_of(annotator) is None and annotator.children[0] is annotator.stage
    assert "_preview" not in annotator.stage.get_state() or annotator.stage.get_state()["_preview"] is None
