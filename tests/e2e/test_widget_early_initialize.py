"""A dlwidgets widget's initialize runs as soon as the page makes its model, and its view is rendered as soon
as the page makes it, not once anywidget has imported the widget's own few-byte module: the stage's
thumbnail, in its opening state, is decoded and drawn with the boxes meanwhile.

The notebook shows an Annotator (the page's loader is installed, the modules imported), then waits for the
test, which hides the loader from the widgets' own modules for HIDDEN_MS from the first time one asks for
it, as a page busy opening a widget's other models makes their imports late; the notebook then shows a
second Annotator, on a 0.6 MP photo (shown from its thumbnail first) with a box. Its thumbnail is decoded
once, in that time, and drawn with the box; the full image (a message, which anywidget hands over once the
module is in) after it; anywidget's own render then keeps the view's elements as they are.
"""

from __future__ import annotations

from .page import NotebookPage, OpenNotebook
from .pixels import is_red, read_pixel, wait_pixel
from .polling import poll
from .test_annotator import QUADRANTS, WORKSPACE_CELL

HIDDEN_MS = 1000  # the stub asks again after 4, 8, ..., 512 ms: handed over at ~1 s, within anywidget's 2 s

SECOND_CELL = """\
import time
pixels = np.zeros((600, 1000, 3), dtype=np.uint8)
pixels[:300, :500] = {top_left!r}
pixels[300:] = np.random.default_rng(0).integers(0, 256, (300, 1000, 3))  # a photo's bytes, not flat
photo = io.BytesIO()
Image.fromarray(pixels).save(photo, format="JPEG", quality=90)
photo = dataset.items.upload(local_path=photo.getvalue(), remote_path="/e2e", remote_name="photo.jpg")
photo.annotations.upload(annotations=[dw.Box(left=600, top=100, right=900, bottom=250, label="car")])
while not (OUT / "go").exists():
    time.sleep(0.02)
second = dw.Annotator(photo, width=800, height=520)
second
""".format(top_left=list(QUADRANTS["top-left"]))
CELLS = [WORKSPACE_CELL, "first = dw.Annotator(item)\nfirst", SECOND_CELL]

# From now on: each decoding's start and its bytes (createImageBitmap's Blob, ImageDecoder's data), and the
# loader hidden from the widgets' own modules (the stubs read the global `dlwidgets2`) for HIDDEN_MS from
# the first read.
_HIDE_LOADER_JS = """(hiddenMs) => {
  const loader = window.dlwidgets2;
  const log = (window.e2eEarly = { decodes: [], firstRead: null, handedOver: null });
  Object.defineProperty(window, "dlwidgets2", {
    configurable: true,
    get() {
      const now = performance.now();
      log.firstRead ??= now;
      if (now < log.firstRead + hiddenMs) return undefined;
      log.handedOver ??= now;
      return loader;
    },
  });
  const native = window.createImageBitmap;
  window.createImageBitmap = function (...args) {
    log.decodes.push([performance.now(), args[0]?.size ?? 0]);
    return native.apply(this, args);
  };
  if (window.ImageDecoder) {
    const decode = window.ImageDecoder.prototype.decode;
    const sizes = new WeakMap();
    window.ImageDecoder = class extends window.ImageDecoder {
      constructor(init) {
        super(init);
        sizes.set(this, init.data?.byteLength ?? 0);
      }
    };
    window.ImageDecoder.prototype.decode = function (...args) {
      log.decodes.push([performance.now(), sizes.get(this) ?? 0]);
      return decode.apply(this, args);
    };
  }
}"""

THUMBNAIL_BYTES = 20_000  # a decoding of fewer bytes is the thumbnail's (the photo's JPEG is over 20 KB)


def show_second_with_the_loader_hidden(open_notebook: OpenNotebook) -> NotebookPage:
    """The notebook run to its first annotator, then the loader hidden and the second one's cell let go."""
    notebook = open_notebook(CELLS)
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.page.evaluate(_HIDE_LOADER_JS, HIDDEN_MS)
    (notebook.out_dir / "go").write_text("")
    return notebook


def test_the_stages_image_is_decoded_before_its_own_module_hands_it_to_the_loader(
    open_notebook: OpenNotebook,
) -> None:
    notebook = show_second_with_the_loader_hidden(open_notebook)
    notebook.wait_ready()
    image = notebook.page.locator(f"{notebook.frontend.output} .dlw-annotator canvas.dlw-image").nth(1)
    x, y = 200, 140  # image point (250, 150): the 800 x 520 canvas shows the photo at 0.8, 20 px down
    expected = QUADRANTS["top-left"]
    near = lambda p: all(abs(a - b) < 30 for a, b in zip(p[:3], expected, strict=True))  # noqa: E731
    wait_pixel(image, int(x), int(y), near, what="the second annotator's image")
    poll(lambda: notebook.page.evaluate("window.e2eEarly.handedOver"), timeout=30, what="the handover")

    log = notebook.page.evaluate("window.e2eEarly")
    thumbnails = [at for at, size in log["decodes"] if size < THUMBNAIL_BYTES]
    assert len(thumbnails) == 1, f"the thumbnail decoded {len(thumbnails)} times: {log['decodes']}"
    assert thumbnails[0] < log["handedOver"], (
        f"decoding began {thumbnails[0] - log['firstRead']:.0f} ms after the first module asked for the "
        f"loader, which it got after {log['handedOver'] - log['firstRead']:.0f} ms"
    )


def test_the_stages_view_shows_the_thumbnail_and_boxes_before_its_own_module_hands_it_to_the_loader(
    open_notebook: OpenNotebook,
) -> None:
    notebook = show_second_with_the_loader_hidden(open_notebook)
    annotators = notebook.page.locator(f"{notebook.frontend.output} .dlw-annotator")
    second = annotators.nth(1)
    image, drawing = second.locator("canvas.dlw-image"), second.locator("canvas.dlw-drawing")
    expected = QUADRANTS["top-left"]

    def drawn() -> bool | None:
        if second.locator("canvas.dlw-image").count() != 1:
            return None
        shown = read_pixel(image, 200, 140)  # image point (250, 150), as above
        boxed = read_pixel(drawing, 480, 160)  # the box's left edge at image point (600, 175)
        near = all(abs(a - b) < 40 for a, b in zip(shown[:3], expected, strict=True))
        return (near and is_red(boxed)) or None

    poll(drawn, timeout=60, what="the second annotator's thumbnail and box")
    log = notebook.page.evaluate("window.e2eEarly")
    assert log["handedOver"] is None, "drawn only once the widget's own module handed it to the loader"
    image.evaluate("(canvas) => { canvas.dataset.e2eEarly = 'drawn before the handover'; }")
    notebook.wait_ready()
    poll(lambda: notebook.page.evaluate("window.e2eEarly.handedOver"), timeout=30, what="the handover")
    notebook.page.wait_for_timeout(500)  # anywidget's own render, after the handover
    for layer in ("dlw-image", "dlw-drawing", "dlw-gestures"):
        assert second.locator(f"canvas.{layer}").count() == 1, f"one {layer} canvas after anywidget's render"
    assert image.evaluate("(canvas) => canvas.dataset.e2eEarly") == "drawn before the handover"
