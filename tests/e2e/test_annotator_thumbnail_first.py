"""A 4 MP photo in the annotator, in JupyterLab 4 and Notebook 7: its 160 px thumbnail, which comes in the
stage's opening state, is on screen scaled up with the boxes before the full image is decoded, and the full
image replaces it. The notebook saved with its widget state shows the thumbnail with the boxes when it is
opened again, before any kernel has run it.

The page holds back the full image's decoding (every image decoded from more than 20 KB waits until the
test lets it go), as a slow decoding or a slow network would: what the canvas shows meanwhile is the
thumbnail. A black/white edge in the middle of a thumbnail pixel tells them apart: the thumbnail blurs it,
the full image draws it sharp."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from .page import OpenNotebook
from .pixels import RGBA, read_pixel, wait_pixel
from .polling import poll
from .saved_state import save_from_page
from .test_annotator import WORKSPACE_CELL
from .views import AnnotatorView

WIDTH, HEIGHT = 2400, 1800  # 4.3 MP: shown from its thumbnail first, remote too
PATCH = (700, 40, 1100, 300)  # blue: left, top, right, bottom in image pixels
BOX = (100, 100, 500, 400)  # a "car" box, outlined in red
# Black left of x = EDGE, white right of it, over rows 500-800: 2400 / 160 = 15 image pixels per
# thumbnail pixel, and 1507 is in the middle of one.
EDGE = 1507

IMAGE_CELL = f"""\
pixels = np.full(({HEIGHT}, {WIDTH}, 3), 128, dtype=np.uint8)
pixels[{PATCH[1]}:{PATCH[3]}, {PATCH[0]}:{PATCH[2]}] = (0, 0, 255)
pixels[500:800, 1300:{EDGE}] = 0
pixels[500:800, {EDGE}:1800] = 255
jpeg = io.BytesIO()
Image.fromarray(pixels).save(jpeg, format="JPEG", quality=95)
photo = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="photo.jpg")
photo.annotations.upload(annotations=[dw.Box(left={BOX[0]}, top={BOX[1]}, right={BOX[2]}, bottom={BOX[3]},
                                             label="car")])
annotator = dw.Annotator(photo, width=800, height=520)
annotator
"""

# Decodings of more than 20 KB (the full image, at the size shown or in full; the thumbnail is ~3 KB) wait
# for window.e2eRelease().
HOLD_JS = """(() => {
  const native = window.createImageBitmap.bind(window);
  const held = [];
  const hold = (decode) => new Promise((resolve, reject) => held.push(() => decode().then(resolve, reject)));
  window.e2eHeld = () => held.length;
  window.e2eRelease = () => { window.e2eReleased = true; held.splice(0).forEach((go) => go()); };
  window.createImageBitmap = (source, ...rest) => {
    const small = !(source instanceof Blob) || source.size <= 20000;
    if (window.e2eReleased || small) return native(source, ...rest);
    return hold(() => native(source, ...rest));
  };
  if (window.ImageDecoder) {
    window.ImageDecoder = class extends window.ImageDecoder {
      constructor(init) {
        super(init);
        this.e2eSmall = (init.data?.byteLength ?? 0) <= 20000;
      }
      decode(...args) {
        if (window.e2eReleased || this.e2eSmall) return super.decode(...args);
        return hold(() => super.decode(...args));
      }
    };
  }
})();"""


def _is_blue(pixel: RGBA) -> bool:
    r, g, b, _ = pixel
    return r < 60 and g < 60 and b > 200


def _is_red(pixel: RGBA) -> bool:
    r, g, b, _ = pixel
    return r > 200 and g < 60 and b < 60


def _edge_is_sharp(image: Locator, view: AnnotatorView) -> bool:
    """Whether the canvas shows the edge as the full image does: black 2 canvas pixels left, white right."""
    x, y = view.canvas_xy(EDGE, 650)
    dark, light = read_pixel(image, int(x) - 2, int(y)), read_pixel(image, int(x) + 3, int(y))
    return all(v < 30 for v in dark[:3]) and all(v > 225 for v in light[:3])


def _shows_thumbnail_and_box(image: Locator, view: AnnotatorView) -> None:
    """The canvas shows the image's blue patch and the box's red outline."""
    patch = view.canvas_xy((PATCH[0] + PATCH[2]) / 2, (PATCH[1] + PATCH[3]) / 2)
    wait_pixel(image, int(patch[0]), int(patch[1]), _is_blue, what="the thumbnail's blue patch")
    left, middle = view.canvas_xy(BOX[0], (BOX[1] + BOX[3]) / 2)
    outline = [read_pixel(image, int(left) + d, int(middle)) for d in range(-2, 3)]
    assert any(_is_red(p) for p in outline), f"the box's outline over the image: {outline}"


def test_the_thumbnail_is_shown_with_the_boxes_until_the_full_image_replaces_it(
    open_notebook: OpenNotebook, page: Page
) -> None:
    page.add_init_script(HOLD_JS)
    notebook = open_notebook([WORKSPACE_CELL, IMAGE_CELL])
    notebook.run_all()
    image = notebook.wait_widget(".dlw-annotator canvas.dlw-image")
    view = AnnotatorView(notebook)
    _shows_thumbnail_and_box(image, view)
    poll(lambda: notebook.page.evaluate("window.e2eHeld()") or None, timeout=30, what="the full image held")
    assert image.evaluate("(canvas) => canvas.dataset.stage") == "thumbnail"
    assert not _edge_is_sharp(image, view), "the thumbnail, scaled up, blurs the edge"

    notebook.page.evaluate("window.e2eRelease()")
    poll(lambda: _edge_is_sharp(image, view) or None, timeout=30, what="the full image's sharp edge")
    assert image.evaluate("(canvas) => canvas.dataset.stage") in ("fit", "full")
    _shows_thumbnail_and_box(image, view)  # the boxes still there


def test_a_saved_notebook_shows_the_thumbnail_with_the_boxes_without_a_kernel(
    open_notebook: OpenNotebook,
    saving_widget_state: None,
    page: Page,
) -> None:
    notebook = open_notebook([WORKSPACE_CELL, IMAGE_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-image")
    notebook.wait_ready()
    save_from_page(notebook)
    notebook.close()  # the kernel goes; the next page's is new and has run nothing

    reopened = notebook.again()
    reopened.open()
    image = reopened.wait_widget(".dlw-annotator canvas.dlw-image")
    view = AnnotatorView(reopened)
    _shows_thumbnail_and_box(image, view)
    assert image.evaluate("(canvas) => canvas.dataset.stage") == "thumbnail", "the full image is not saved"
    assert not _edge_is_sharp(image, view)
    reopened.close()
