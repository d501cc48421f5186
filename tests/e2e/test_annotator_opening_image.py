"""The first item's full image follows the cell's display, in JupyterLab 4 and Notebook 7: the stage's
model opens with the thumbnail, the page gets the cell's display of the annotator, then the full image in a
message of its own, and draws it, sharp, with the boxes, in the notebook's view and in a second view of the
same widget; a second page on the same kernel gets it too; and the notebook saved with its widget state
does not carry it (it is never state).

A 1 MP JPEG with a comment naming it: the kernel sends the stored bytes, so a websocket frame that
carries the comment carries the image (or its thumbnail, which keeps the comment: a frame of less than
100 KB here)."""

from __future__ import annotations

import base64
import json
from typing import Any

from playwright.sync_api import Locator, Page

from .page import NotebookPage, OpenNotebook
from .pixels import read_pixel, wait_pixel
from .polling import poll
from .test_annotator import WORKSPACE_CELL
from .views import AnnotatorView

STATE_MIME = "application/vnd.jupyter.widget-state+json"
WIDTH, HEIGHT = 1152, 864  # 1 MP, as benchmarks/peers.py's first case
MARKER = "dlw-e2e-opening-image"  # the JPEG's comment (the cell joins it: its text must not hold it)
BOX = (100, 100, 500, 400)  # a "car" box, outlined in red
EDGE = 700  # black left of it, white right, over rows 500-800

IMAGE_CELL = f"""\
pixels = np.full(({HEIGHT}, {WIDTH}, 3), 128, dtype=np.uint8)
pixels[:450] = np.random.default_rng(0).integers(0, 256, (450, {WIDTH}, 3))  # a photo's bytes, not flat
pixels[500:800, 500:{EDGE}] = 0
pixels[500:800, {EDGE}:900] = 255
jpeg, marker = io.BytesIO(), "-".join({MARKER.split("-")!r}).encode()
Image.fromarray(pixels).save(jpeg, format="JPEG", quality=95, comment=marker)
photo = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="photo.jpg")
photo.annotations.upload(annotations=[dw.Box(left={BOX[0]}, top={BOX[1]}, right={BOX[2]}, bottom={BOX[3]},
                                             label="car")])
annotator = dw.Annotator(photo, width=800, height=520)
display(annotator, annotator)  # two views of one widget
"""

# Each kernel websocket frame, in order: its message type ("comm_open", "comm_msg", "display_data", ...),
# whether it carries the marker, and its size, read from the frame's bytes (any of the kernel protocols:
# JSON text, binary; an ArrayBuffer or, in the classic Notebook, a Blob).
RECORD_FRAMES_JS = f"""(() => {{
  window.e2eImageFrames = [];
  const Native = window.WebSocket;
  const latin1 = new TextDecoder("latin1");
  window.WebSocket = class extends Native {{
    constructor(...args) {{
      super(...args);
      if (!String(args[0]).includes("/api/kernels/")) return;
      this.addEventListener("message", async (event) => {{
        const data = event.data instanceof Blob ? await event.data.arrayBuffer() : event.data;
        const text = typeof data === "string" ? data : latin1.decode(data);
        const type = /"msg_type":\\s*"(\\w+)"/.exec(text);
        window.e2eImageFrames.push([type ? type[1] : "?", text.includes("{MARKER}"), text.length]);
      }});
    }}
  }};
}})();"""


def canvases(notebook: NotebookPage, name: str) -> Locator:
    """Every annotator's canvas `name` in the notebook's outputs."""
    return notebook.page.locator(f"{notebook.frontend.output} .dlw-annotator canvas.{name}")


def edge_is_sharp(view: AnnotatorView, index: int = 0) -> bool:
    """Whether annotator `index`'s image canvas shows the edge sharp (the full image drawn)."""
    image = canvases(view.notebook, "dlw-image").nth(index)
    x, y = view.canvas_xy(EDGE, 650)
    dark, light = read_pixel(image, int(x) - 3, int(y)), read_pixel(image, int(x) + 3, int(y))
    return all(v < 30 for v in dark[:3]) and all(v > 225 for v in light[:3])


def shows_image_and_box(view: AnnotatorView, index: int = 0) -> None:
    """Annotator `index` shows the full image, sharp, and the box's red outline over it."""
    poll(lambda: edge_is_sharp(view, index) or None, timeout=30, what=f"view {index}: the full image")
    layers = canvases(view.notebook, "dlw-drawing").nth(index)
    x, y = view.canvas_xy(BOX[0], (BOX[1] + BOX[3]) / 2)
    wait_pixel(layers, int(x), int(y), lambda p: p[0] > 200 and p[1] < 60 and p[2] < 60, what="the box")


# A frame carrying the marker and more bytes is the full image's; a smaller one, the thumbnail's.
FULL_IMAGE_BYTES = 100_000


def image_frames(page: Page) -> set[str]:
    """The kinds of the kernel messages that brought the page the full image (a page may hold more than one
    websocket to the kernel, JupyterLab 3 does: each brings it; the kernel sends it once, see
    tests/widgets/test_show_wire.py)."""
    frames = page.evaluate("window.e2eImageFrames")
    return {kind for kind, marked, size in frames if marked and size > FULL_IMAGE_BYTES}


def displayed_before_image(page: Page) -> bool:
    """Whether the page got the cell's display of the annotator before the full image."""
    frames = page.evaluate("window.e2eImageFrames")
    kinds = [kind if not (marked and size > FULL_IMAGE_BYTES) else "image" for kind, marked, size in frames]
    return "display_data" in kinds and "image" in kinds and kinds.index("display_data") < kinds.index("image")


def saved_models_carrying_image(state: dict[str, Any]) -> list[str]:
    """The saved widget models holding the full image: as an ``image`` key, or in a buffer other than the
    thumbnail's."""
    found = []
    for model_id, model in state.items():
        saved = [b for b in model.get("buffers", []) if b["path"][0] != "thumbnail"]
        buffers = [base64.b64decode(b["data"]) for b in saved]
        if "image" in model["state"] or any(MARKER.encode() in b for b in buffers):
            found.append(model_id)
    return found


def open_with_image(open_notebook: OpenNotebook, page: Page) -> NotebookPage:
    """The notebook run: both views show the full image with the box, which came in a message of its own
    after the cell's display."""
    page.add_init_script(RECORD_FRAMES_JS)
    notebook = open_notebook([WORKSPACE_CELL, IMAGE_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    poll(lambda: canvases(notebook, "dlw-image").count() == 2 or None, timeout=30, what="two views")
    view = AnnotatorView(notebook)
    for index in (0, 1):
        shows_image_and_box(view, index)
    assert image_frames(page) == {"comm_msg"}, "the full image in a message of its own"
    assert displayed_before_image(page), "the cell's display first, then the full image"
    return notebook


def test_the_full_image_follows_the_cells_display_and_is_not_saved(
    open_notebook: OpenNotebook, saving_widget_state: None, page: Page
) -> None:
    notebook = open_with_image(open_notebook, page)
    path = notebook.server.root_dir / notebook.nb_path
    written = path.stat().st_mtime_ns
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    poll(lambda: path.stat().st_mtime_ns != written or None, timeout=60, what="the notebook saved")
    state = json.loads(path.read_text())["metadata"]["widgets"][STATE_MIME]["state"]
    assert any("drawing" in m["state"] for m in state.values()), "the stage's model is saved"
    assert saved_models_carrying_image(state) == [], "the full image is not saved"

    # A second page on the same, live kernel (the notebook saved with its outputs): it reads the stage's
    # state from the kernel and asks for the image, which comes in a message of its own.
    second = page.context.new_page()
    second.add_init_script(RECORD_FRAMES_JS)
    try:
        later = NotebookPage(second, notebook.server, notebook.ui, notebook.nb_path, notebook.out_dir, [])
        later.open()
        later.wait_widget(".dlw-annotator canvas.dlw-gestures")
        poll(lambda: canvases(later, "dlw-image").count() == 2 or None, timeout=30, what="two views, later")
        later_view = AnnotatorView(later)
        for index in (0, 1):
            shows_image_and_box(later_view, index)
        assert image_frames(second) == {"comm_msg"}, "the image in a message of its own"
    finally:
        second.close()
    notebook.close()
