"""An Annotator whose stage has nothing to draw, in a real browser, in JupyterLab 4 and Notebook 7: its
toolbar and side panel do not wait for an image. Once a page has shown an Annotator, the next one's
toolbar and panel are built after its stage has drawn its image (js/shared_module.js, ``afterStages``);
a stage whose first item is no image (a text file) or whose image the browser cannot decode must say at
once that it has drawn all it will, or they wait for the page's cap (2 s). The undecodable image is
named on the stage, and the item's annotations are still drawn over it.
"""

from __future__ import annotations

from typing import Any

from .page import OpenNotebook
from .pixels import is_red, read_pixel
from .polling import poll

# Far below the 2 s cap a stage counts for, and far above what building takes (a few animation frames).
PROMPT_S = 0.8

WORKSPACE_CELL = """\
import io
import numpy as np
from PIL import Image
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="mixed")
dataset.ontology().add_labels(label_list=[{"label_name": "car", "color": "#ff0000"}])
jpeg = io.BytesIO()
Image.fromarray(np.full((400, 640, 3), 128, dtype=np.uint8)).save(jpeg, format="JPEG", quality=90)
item = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="grey.jpg")
text = dataset.items.upload(local_path=b"street scenes\\n", remote_path="/e2e", remote_name="note.txt")
# Its header says 640 x 400 (the kernel reads only that), the rest is cut off: no browser decodes it.
cut = jpeg.getvalue()[:200] + bytes(50)
broken = dataset.items.upload(local_path=cut, remote_path="/e2e", remote_name="cut.jpg")
builder = broken.annotations.builder()
builder.add(dw.Box(left=40, top=40, right=200, bottom=200, label="car"))
broken.annotations.upload(annotations=builder)
first = dw.Annotator(item)
first
"""

# Shown once the page has built the first Annotator (the test says so with a file the kernel waits for).
LATER_CELLS = [
    "import time\nwhile not (OUT / 'go').exists():\n    time.sleep(0.05)\n"
    "on_text = dw.Annotator(text)\non_text",
    "on_broken = dw.Annotator(broken)\non_broken",
]

# For each Annotator on the page (in page order), by the page's clock (ms): when its stage's canvases
# joined the page, and when its toolbar's row and its panel's label list did.
_WATCH_JS = """() => {
  window.e2eTimes = [];
  const parts = { stage: ".dlw-stage canvas", toolbar: ".dlw-cb-row", panel: ".dlw-label-row" };
  const watch = () => {
    const now = performance.now();
    for (const [index, annotator] of [...document.querySelectorAll(".dlw-annotator")].entries()) {
      const times = (window.e2eTimes[index] ??= {});
      for (const [part, selector] of Object.entries(parts)) {
        if (times[part] === undefined && annotator.querySelector(selector)) times[part] = now;
      }
    }
  };
  new MutationObserver(watch).observe(document.body, { childList: true, subtree: true });
}"""


def test_a_toolbar_and_panel_beside_a_stage_with_nothing_to_draw_are_built_at_once(
    open_notebook: OpenNotebook,
) -> None:
    notebook = open_notebook([WORKSPACE_CELL, *LATER_CELLS])
    page = notebook.page
    page.evaluate(_WATCH_JS)
    notebook.run_all()
    annotators = page.locator(".dlw-annotator")
    annotators.first.locator(".dlw-label-row").first.wait_for(timeout=60_000)
    (notebook.out_dir / "go").write_text("")
    notebook.wait_ready()

    def built() -> list[dict[str, Any]] | None:
        times: list[dict[str, Any]] = page.evaluate("() => window.e2eTimes")
        return times if len(times) == 3 and all(len(t) == 3 for t in times) else None

    times = poll(
        built,
        timeout=30,
        what="three annotators built",
        explain=lambda: str(page.evaluate("() => window.e2eTimes")),
    )
    for index, shows in ((1, "a text item"), (2, "an image the browser cannot decode")):
        for part in ("toolbar", "panel"):
            waited = (times[index][part] - times[index]["stage"]) / 1000
            assert waited < PROMPT_S, (
                f"the {part} of the annotator on {shows} was built {waited:.2f} s after its stage joined "
                f"the page (at most {PROMPT_S} s: its stage has nothing to draw): {times}"
            )

    # The undecodable image: named on the stage, its item's box still drawn where it is.
    broken = annotators.nth(2)
    error = broken.locator(".dlw-stage .dlw-stage-error")
    error.wait_for(timeout=30_000)
    assert "could not decode" in error.inner_text() and "image/jpeg" in error.inner_text()
    drawing = broken.locator(".dlw-stage canvas.dlw-drawing")
    gestures = broken.locator(".dlw-stage canvas.dlw-gestures")

    def box_edge() -> bool | None:
        # Read afresh each time: the kernel may size the stage to its cell meanwhile.
        scale, left, top = gestures.evaluate("c => JSON.parse(c.dataset.view)")
        return is_red(read_pixel(drawing, round(left + 40 * scale), round(top + 120 * scale))) or None

    poll(box_edge, timeout=30, what="the box's left edge drawn on the undecodable image's stage")
    # The text item has no image: its stage shows no such error (the kernel's status line says why).
    assert not annotators.nth(1).locator(".dlw-stage-error").is_visible()
