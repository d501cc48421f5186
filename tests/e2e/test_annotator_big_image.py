"""A big photo in the annotator, in JupyterLab 4 and Notebook 7: on screen first from a decoding at about
the canvas's size (as sharp as the canvas shows it, in a fraction of the full decoding's work), then from
the full decoding, which zoom shows pixel for pixel. Where the browser has no WebCodecs ImageDecoder
(Safari, a page on a plain-http address) the full decoding alone shows it, as sharp.

The page notes every image the image layer draws, with the canvas's pixels on either side of a
black/white edge that a 160 px thumbnail blurs: the first sharp draw is the fit one."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import Page

from .page import OpenNotebook
from .polling import poll

WIDTH, HEIGHT = 4000, 3000
CANVAS = (800, 520)
# The edge: black left of x = EDGE, white right of it, in the middle of a thumbnail pixel (4000 / 160 =
# 25 image pixels), over rows 2000-2600; 1-pixel black/white stripes around the centre.
EDGE = 3212

IMAGE_CELL = f"""\
import io
import numpy as np
from PIL import Image
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="big")
pixels = np.full(({HEIGHT}, {WIDTH}, 3), 128, dtype=np.uint8)
pixels[2000:2600, 2800:{EDGE}] = 0
pixels[2000:2600, {EDGE}:3600] = 255
pixels[1400:1600, 1900:2100] = 0
pixels[1400:1600, 1900:2100:2] = 255
jpeg = io.BytesIO()
Image.fromarray(pixels).save(jpeg, format="JPEG", quality=95)
item = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="big.jpg")
"""

ANNOTATOR_CELL = f"""\
annotator = dw.Annotator(item, width={CANVAS[0]}, height={CANVAS[1]})
annotator
"""

# Each draw of the image layer (into a canvas in the page or not yet in it), as the page saw it: the
# width of the decoded image drawn, and whether the edge was sharp after it.
_WATCH_JS = """(() => {
  window.e2eDraws = [];
  const native = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (image, ...args) {
    const result = native.call(this, image, ...args);
    if (this.canvas.classList.contains("dlw-image") && args.length === 4) {
      const [dx, dy, dw, dh] = args;
      const x = dx + (EDGE * dw) / WIDTH, y = Math.round(dy + (2300 * dh) / HEIGHT);
      const read = (px) => Array.from(this.getImageData(px, y, 1, 1).data.slice(0, 3));
      const dark = read(Math.floor(x) - 2), light = read(Math.ceil(x) + 2);
      const sharp = dark.every((v) => v < 30) && light.every((v) => v > 225);
      window.e2eDraws.push({ width: image.displayWidth || image.width, sharp });
    }
    return result;
  };
})();"""

# Canvas pixels across the stripes at the canvas's centre (1:1 keeps the image's centre there).
_STRIPES_JS = """(canvas) => {
  const [x, y] = [Math.round(canvas.width / 2) - 20, Math.round(canvas.height / 2)];
  const row = canvas.getContext("2d").getImageData(x, y, 40, 1).data;
  return Array.from({ length: 40 }, (_, i) => row[4 * i]);
}"""


@pytest.mark.parametrize("decoder", ["ImageDecoder", "no ImageDecoder"])
def test_a_big_photo_is_drawn_sharp_from_a_decoding_at_its_shown_size_then_in_full(
    open_notebook: OpenNotebook, page: Page, decoder: str
) -> None:
    if decoder == "no ImageDecoder":
        page.add_init_script("delete window.ImageDecoder")
    watch = _WATCH_JS.replace("EDGE", str(EDGE)).replace("WIDTH", str(WIDTH)).replace("HEIGHT", str(HEIGHT))
    page.add_init_script(watch)
    notebook = open_notebook([IMAGE_CELL, ANNOTATOR_CELL])
    notebook.run_all()
    image = notebook.wait_widget(".dlw-annotator canvas.dlw-image")
    notebook.wait_ready()

    def draws() -> list[dict[str, int]] | None:
        seen: list[dict[str, int]] = notebook.page.evaluate("() => window.e2eDraws")
        return seen if seen and seen[-1]["width"] == WIDTH else None

    seen = poll(draws, timeout=30, what="the full image drawn")
    # The thumbnail (160 px), when it was decoded before the view was made, drawn blurred; then the fit
    # decoding (1,000 px: 2/8 of the JPEG, at least the 692 px shown), already sharp, and the full one;
    # without ImageDecoder the full one only.
    expected = [1000, WIDTH] if decoder == "ImageDecoder" else [WIDTH]
    assert [d["width"] for d in seen if d["width"] > 160] == expected, seen
    assert [d["width"] for d in seen if d["sharp"]] == expected, seen

    # Zoomed to 1:1, the 1-pixel stripes are there: the full decoding is what zoom draws.
    notebook.output(".dlw-annotator").get_by_role("button", name="1:1").click()

    def stripes() -> list[int] | None:
        row: list[int] = image.evaluate(_STRIPES_JS)
        changes = sum(1 for a, b in itertools.pairwise(row) if abs(a - b) > 150)
        return row if changes >= 30 else None

    poll(stripes, timeout=30, what="1-pixel stripes at 1:1")
