"""The annotator's first paint, in JupyterLab 4 and Notebook 7: the item's thumbnail with its boxes, a core
HTML widget shown as soon as the page has the display, before the stage (an anywidget) has drawn; it lies
exactly over the stage's canvas, goes once the stage draws (a notebook saved then does not carry the
thumbnail), lets the pointer through to the canvas (a drag makes a box), and the kernel empties it then."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from .page import NotebookPage, OpenNotebook
from .polling import poll
from .saved_state import saved_widget_state
from .test_annotator import WORKSPACE_CELL
from .test_annotator_opening_image import shows_image_and_box
from .views import AnnotatorView

WIDTH, HEIGHT = 1152, 864  # 1 MP, benchmarks/peers.py's first case
BOXES = [(100, 100, 500, 400), (600, 80, 900, 300), (200, 500, 450, 800)]

CELL = f"""\
pixels = np.full(({HEIGHT}, {WIDTH}, 3), 128, dtype=np.uint8)
pixels[:450] = np.random.default_rng(0).integers(0, 256, (450, {WIDTH}, 3))
pixels[500:800, 500:700] = 0
pixels[500:800, 700:900] = 255
jpeg = io.BytesIO()
Image.fromarray(pixels).save(jpeg, format="JPEG", quality=95)
photo = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="photo.jpg")
photo.annotations.upload(annotations=[dw.Box(left=l, top=t, right=r, bottom=b, label="car")
                                      for l, t, r, b in {BOXES!r}])
annotator = dw.Annotator(photo, width=800, height=520, autosave=False)
redraw = annotator.edits.on_change

def on_change():
    redraw()
    dump("annotations.json", {{"annotations": [a.type for a in annotator.annotations]}})

annotator.edits.on_change = on_change
annotator
"""

# What the page shows, recorded as it changes: when the preview's image is first decoded, whether the
# stage had drawn its image then; when the stage's view joins the page, the preview's place and the
# canvas's, and whether the preview shows then. The stage's decoding is held back 1.5 s (a slow page): a
# kernel slow to build the rest would otherwise let the stage draw as soon as its view is made.
RECORD_JS = """(() => {
  const held = (decode) => function (...args) {
    return decode.apply(this, args).then((done) => new Promise((resolve) => setTimeout(resolve, 1500, done)));
  };
  window.createImageBitmap = held(window.createImageBitmap);
  if (window.ImageDecoder) ImageDecoder.prototype.decode = held(ImageDecoder.prototype.decode);
  const seen = (window.e2ePreview = { decoded: null, atStage: null });
  const rect = (el) => { const r = el.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; };
  const stageDrew = () => !!document.querySelector(".dlw-annotator canvas.dlw-image[data-stage]");
  new MutationObserver(() => {
    const preview = document.querySelector(".dlw-annotator > .dlw-preview");
    const img = preview && preview.querySelector("img");
    if (img && !img.dataset.e2e) {
      img.dataset.e2e = "1";
      img.decode().then(() => {
        seen.decoded = {
          stageDrew: stageDrew(), paths: preview.querySelectorAll("svg path").length,
          shown: img.getBoundingClientRect().height > 0 && getComputedStyle(preview).display !== "none",
        };
      });
    }
    const canvas = document.querySelector(".dlw-annotator > .dlw-stage canvas.dlw-gestures");
    if (canvas && !seen.atStage) {
      seen.atStage = preview ? {
        preview: rect(preview.querySelector(".dlw-preview-canvas")), canvas: rect(canvas),
        shown: getComputedStyle(preview).display !== "none", stageDrew: stageDrew(),
        pointer: getComputedStyle(preview).pointerEvents,
      } : { preview: null };
    }
  }).observe(document, { childList: true, subtree: true });
})();"""


def saved_now(notebook: NotebookPage) -> dict[str, Any]:
    """The widget models of the notebook as the page's own save command writes it now (each model that
    another names among them: see saved_state)."""
    path = notebook.server.root_dir / notebook.nb_path
    before = path.stat().st_mtime_ns
    notebook.page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    poll(lambda: path.stat().st_mtime_ns > before or None, timeout=60, what="the notebook saved")
    return saved_widget_state(path)


def saved_thumbnails(state: dict[str, Any]) -> list[str]:
    """The saved widget models holding an inlined image (a preview's thumbnail)."""
    return [k for k, m in state.items() if "data:image" in str(m["state"].get("value", ""))]


def test_the_thumbnail_with_the_boxes_shows_first_over_the_stage_then_goes(
    open_notebook: OpenNotebook, saving_widget_state: None, page: Page
) -> None:
    page.add_init_script(RECORD_JS)
    notebook = open_notebook([WORKSPACE_CELL, CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    view = AnnotatorView(notebook)
    shows_image_and_box(view)
    poll(lambda: page.evaluate("window.e2ePreview.atStage") or None, timeout=30, what="the stage in the page")
    seen = page.evaluate("window.e2ePreview")
    assert seen["decoded"] is not None, "the preview's thumbnail was decoded"
    assert seen["decoded"]["shown"] and seen["decoded"]["paths"] == 1, seen  # one label, one path
    assert not seen["decoded"]["stageDrew"], f"the preview showed before the stage drew: {seen}"
    at_stage = seen["atStage"]
    assert at_stage["preview"] is not None and at_stage["shown"], (
        f"the preview shows as the stage comes: {seen}"
    )
    assert at_stage["pointer"] == "none"
    for got, want in zip(at_stage["preview"], at_stage["canvas"], strict=True):
        assert abs(got - want) <= 1, f"the preview over the canvas: {at_stage}"

    # Drawn: the preview is hidden and emptied in the page; a notebook saved now does not carry it.
    previews = notebook.page.locator(f"{notebook.frontend.output} .dlw-preview")
    poll(lambda: not previews.locator("img").count() or None, timeout=30, what="the preview emptied")
    assert not previews.first.is_visible()
    state = saved_now(notebook)
    assert any("drawing" in m["state"] for m in state.values()), "the stage's model is saved"
    assert saved_thumbnails(state) == [], "no preview's thumbnail in the saved notebook"

    # The canvas takes a drag where the preview was (the kernel empties the preview then).
    view.drag((700, 450), (1000, 700))
    view.kernel_annotations(lambda a: len(a) == len(BOXES) + 1, "the box drawn over where the preview was")
    assert not previews.first.is_visible()
    notebook.close()
