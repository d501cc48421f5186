"""A dlwidgets widget's initialize runs as soon as the page makes its model, not once anywidget has imported
the widget's own few-byte module: the stage's image is being decoded meanwhile.

The notebook shows an Annotator (the page's loader is installed, the modules imported), then waits for the
test, which hides the loader from the widgets' own modules for HIDDEN_MS from the first time one asks for
it, as a page busy opening a widget's other models makes their imports late; the notebook then shows a
second Annotator. Its stage's image is decoded once, in that time, and drawn once the views are made.
"""

from __future__ import annotations

from .page import OpenNotebook
from .pixels import wait_pixel
from .test_annotator import QUADRANTS, WORKSPACE_CELL
from .views import AnnotatorView

HIDDEN_MS = 600  # within anywidget's 2 s for a model's initialize; the stub asks again after 4, 8, ... ms

SECOND_CELL = """\
import time
while not (OUT / "go").exists():
    time.sleep(0.02)
second = dw.Annotator(item)
second
"""
CELLS = [WORKSPACE_CELL, "first = dw.Annotator(item)\nfirst", SECOND_CELL]

# From now on: each createImageBitmap's start, and the loader hidden from the widgets' own modules (the
# stubs read the global `dlwidgets2`) for HIDDEN_MS from the first read.
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
    log.decodes.push(performance.now());
    return native.apply(this, args);
  };
}"""


def test_the_stages_image_is_decoded_before_its_own_module_hands_it_to_the_loader(
    open_notebook: OpenNotebook,
) -> None:
    notebook = open_notebook(CELLS)
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.page.evaluate(_HIDE_LOADER_JS, HIDDEN_MS)
    (notebook.out_dir / "go").write_text("")
    notebook.wait_ready()
    image = notebook.page.locator(f"{notebook.frontend.output} .dlw-annotator canvas.dlw-image").nth(1)
    view = AnnotatorView(notebook)
    x, y = view.canvas_xy(160, 100)
    expected = QUADRANTS["top-left"]
    near = lambda p: all(abs(a - b) < 30 for a, b in zip(p[:3], expected, strict=True))  # noqa: E731
    wait_pixel(image, int(x), int(y), near, what="the second annotator's image")

    log = notebook.page.evaluate("window.e2eEarly")
    assert log["handedOver"] is not None, "the widgets' own modules got the loader"
    assert len(log["decodes"]) == 1, f"the image decoded {len(log['decodes'])} times"
    assert log["decodes"][0] < log["handedOver"], (
        f"decoding began {log['decodes'][0] - log['firstRead']:.0f} ms after the first module asked for the "
        f"loader, which it got after {log['handedOver'] - log['firstRead']:.0f} ms"
    )
