"""The Annotator's side panel in a real browser, in JupyterLab 4 and Notebook 7: a label found by typing in
the search box of a 300-label ontology draws the next box; the objects list selects, outlines the hovered
one, hides, locks and deletes the item's annotations. After each step the kernel's state (dumped on every
edit) and the page (the canvas's pixels, the rows the kernel marked) are checked.
"""

from __future__ import annotations

import json
import re
from typing import Any

from playwright.sync_api import Locator

from dlwidgets.widgets.annotator.panels import LISTED_ROWS

from .page import OpenNotebook
from .pixels import STAGE_PIXEL_JS, is_red, wait_pixel
from .polling import poll
from .saved_state import save_from_page
from .views import AnnotatorView

WORKSPACE_CELL = """\
import io
import numpy as np
from PIL import Image
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="crowd")
labels = [{"label_name": "car", "color": "#ff0000"}]
labels += [{"label_name": f"label-{n:03d}", "color": "#00%02x80" % (n % 200)} for n in range(298)]
labels += [{"label_name": "zebra", "color": "#0000ff"}]
dataset.ontology().add_labels(label_list=labels)
jpeg = io.BytesIO()
Image.fromarray(np.full((400, 640, 3), 128, dtype=np.uint8)).save(jpeg, format="JPEG", quality=90)
item = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="grey.jpg")
builder = item.annotations.builder()
builder.add(dw.Box(left=40, top=40, right=200, bottom=200, label="car"))
builder.add(dw.Box(left=400, top=40, right=560, bottom=200, label="car"))
item.annotations.upload(annotations=builder)
annotator = dw.Annotator(item, autosave=False)
redraw = annotator.edits.on_change

def on_change():
    redraw()
    dump("annotations.json", {"annotations": [
        {"type": a.type, "label": a.label, "coordinates": a.coordinates} for a in annotator.annotations]})

annotator.edits.on_change = on_change
annotator
"""


def test_search_a_label_draw_with_it_then_select_hide_lock_delete_from_the_list(
    open_notebook: OpenNotebook,
) -> None:
    notebook = open_notebook([WORKSPACE_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator .dlw-annotator-panel .dlw-object-row")
    notebook.wait_ready()
    view = AnnotatorView(notebook)
    panel = view.root.locator(".dlw-annotator-panel")
    view.wait_text(".dlw-item-name", "grey.jpg")
    assert "1 of 1" in panel.locator(".dlw-item-meta").inner_text()
    # 300 labels, but only the rows in view are in the page.
    assert 0 < panel.locator(".dlw-label-row").count() < 40

    # 1. Find 'zebra' by typing, pick it with Enter, draw a box: it is a zebra.
    search = panel.locator("input.dlw-label-search")
    cells = notebook.page.locator(".jp-Cell").count()
    search.click()
    search.press_sequentially("zeb")  # 'b' in the notebook's command mode would insert a cell
    rows = panel.locator(".dlw-label-list .dlw-label-row")
    rows.filter(has_text="zebra").wait_for(timeout=10_000)
    assert rows.count() == 1
    assert notebook.page.locator(".jp-Cell").count() == cells, "typing in the search reached the notebook"
    search.press("Enter")
    panel.locator('.dlw-label-row.dlw-current[data-label="zebra"]').wait_for(timeout=30_000)
    view.drag((250, 250), (350, 350))
    annotations = view.kernel_annotations(lambda a: len(a) == 3, "the box drawn")
    assert (annotations[2]["type"], annotations[2]["label"]) == ("box", "zebra")
    view.wait_text(".dlw-selection-title", "box 3 zebra")

    # 2. A click on the first object in the list selects it on the canvas.
    objects = panel.locator(".dlw-objects-list .dlw-object-row")
    first = objects.nth(0)
    first.locator(".dlw-object-label").click()
    view.wait_text(".dlw-selection-title", "box 1 car")
    panel.locator(".dlw-object-row.dlw-selected", has_text="box 1").wait_for(timeout=30_000)
    # The pointer over its row: the box is outlined on the highlight layer, made on this first hover.
    x, y = (int(v) for v in view.canvas_xy(40, 80))
    wait_pixel(view.layers, x - 3, y, _is_yellow, what="the hovered box's outline, left of its edge")

    # 3. Hidden from the list: its red outline leaves the canvas; shown again, it is back.
    edge = [int(v) for v in view.canvas_xy(40, 80)]  # clear of its handles
    wait_pixel(view.layers, *edge, is_red, what="the first box's left edge")
    first.locator("button.dlw-hide").click()
    panel.locator(".dlw-object-row.dlw-hidden").wait_for(timeout=30_000)
    wait_pixel(view.layers, *edge, lambda p: not is_red(p), what="the hidden box gone from the canvas")
    panel.locator(".dlw-object-row.dlw-hidden button.dlw-hide").click()
    wait_pixel(view.layers, *edge, is_red, what="the box shown again")

    # 4. Locked, the second object cannot be deleted; unlocked, it can.
    second = objects.nth(1)
    second.locator("button.dlw-lock").click()
    locked = panel.locator(".dlw-object-row.dlw-locked")
    locked.wait_for(timeout=30_000)
    assert locked.locator("button.dlw-delete").is_disabled()
    locked.locator("button.dlw-lock").click()
    panel.locator(".dlw-object-row.dlw-locked").wait_for(state="detached", timeout=30_000)
    second.locator("button.dlw-delete").click()
    remaining = view.kernel_annotations(lambda a: len(a) == 2, "the second box deleted")
    assert [_corner(a) for a in remaining] == [(40, 40), (250, 250)]
    objects.nth(1).filter(has_text="zebra").wait_for(timeout=30_000)


def _corner(annotation: dict[str, Any]) -> tuple[int, int]:
    corner = annotation["coordinates"][0]
    return round(corner["x"] / 10) * 10, round(corner["y"] / 10) * 10


def _is_yellow(pixel: tuple[int, int, int, int]) -> bool:
    r, g, b, _a = pixel
    return r > 200 and g > 200 and b < 100


# Two annotators of one item, the second shown once the page has built the first (the test says so with a
# file the kernel waits for). The page notes the room each one's side panel and toolbar keep when they join
# the page (a min-height), and, as the label list and the toolbar's row join it, whether the stage shows
# the image at that moment (the centre pixel of the 640 x 400 grey image, composited as the page paints
# it). The page decodes images 400 ms late, as a big image on a busy machine is: the stage is drawn well
# after the views are made.
TWO_ANNOTATORS = [
    WORKSPACE_CELL.replace(
        "annotator = dw.Annotator(item, autosave=False)", "first = dw.Annotator(item)"
    ).split("redraw = ")[0]
    + "first",
    "import time\nwhile not (OUT / 'go').exists():\n    time.sleep(0.05)\n"
    "second = dw.Annotator(item)\nsecond",
]

_SLOW_DECODE_JS = """() => {
  const decode = window.createImageBitmap;
  window.createImageBitmap = (...args) =>
    new Promise((resolve) => setTimeout(resolve, 400)).then(() => decode.apply(window, args));
}"""

_WATCH_BUILDS_JS = """() => {
  const pixel = (PIXEL);
  window.e2eBuilt = [];
  const parts = {
    panel: [".dlw-annotator-panel", ".dlw-label-row"], toolbar: [".dlw-control-bar", ".dlw-cb-row"],
  };
  const watch = () => {
    for (const [index, annotator] of [...document.querySelectorAll(".dlw-annotator")].entries()) {
      for (const [part, [view, built]] of Object.entries(parts)) {
        const box = annotator.querySelector(view);
        if (!box) continue;
        const seen = (box.e2eSeen ??= { index, part, kept: parseFloat(box.style.minHeight) || 0 });
        if (seen.drawn !== undefined || !box.querySelector(built)) continue;
        const canvas = annotator.querySelector("canvas:not(.dlw-gestures)");
        const [x, y] = canvas ? [canvas.width >> 1, canvas.height >> 1] : [0, 0];
        seen.drawn = Boolean(canvas && canvas.width) && pixel(canvas, x, y)[3] === 255;
        window.e2eBuilt.push(seen);
      }
    }
  };
  new MutationObserver(watch).observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["class", "style"],
  });
}"""


# Each time the page sends the kernel a side panel's request for its objects list, whether every stage on
# the page shows its image at that moment.
_WATCH_OBJECTS_ASKED_JS = """() => {
  const pixel = (PIXEL);
  window.e2eAsked = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const bytes = typeof data === "string" ? data : new TextDecoder().decode(data);
    if (bytes.includes('"type":"objects"')) {
      const canvases = [...document.querySelectorAll(".dlw-stage canvas:not(.dlw-gestures)")];
      window.e2eAsked.push(canvases.length > 0 && canvases.every(
        (c) => c.width > 0 && pixel(c, c.width >> 1, c.height >> 1)[3] === 255));
    }
    return send.call(this, data);
  };
}"""


def test_a_panel_and_toolbar_are_built_after_the_image_is_drawn_in_the_room_they_kept(
    open_notebook: OpenNotebook,
) -> None:
    notebook = open_notebook(TWO_ANNOTATORS)
    page = notebook.page
    page.evaluate(_SLOW_DECODE_JS)
    page.evaluate(_WATCH_BUILDS_JS.replace("PIXEL", STAGE_PIXEL_JS))
    page.evaluate(_WATCH_OBJECTS_ASKED_JS.replace("PIXEL", STAGE_PIXEL_JS))
    notebook.run_all()
    first = page.locator(".dlw-annotator").first
    first.locator(".dlw-label-row").first.wait_for(timeout=60_000)
    # The kernel is busy with the second cell: the list comes with the panel's model, not asked for.
    first.locator(".dlw-object-row").nth(1).wait_for(timeout=30_000)
    (notebook.out_dir / "go").write_text("")
    notebook.wait_ready()
    second = page.locator(".dlw-annotator").nth(1)
    second.locator(".dlw-object-row").first.wait_for(timeout=30_000)
    first.get_by_text("Objects (2)").wait_for(state="attached", timeout=30_000)
    second.get_by_text("Objects (2)").wait_for(state="attached", timeout=30_000)
    asked = page.evaluate("() => window.e2eAsked")
    assert asked == [], f"a panel asked for the objects its model opened with: {asked}"
    built = {(b["index"], b["part"]): b for b in page.evaluate("() => window.e2eBuilt")}
    for part in ("panel", "toolbar"):
        seen = built[(1, part)]
        assert seen["drawn"], f"the second annotator's {part} was built before its image was drawn: {built}"
        # The room it kept is the first one's height, and its own once built: nothing moved.
        assert seen["kept"] > 0, f"the {part} kept no room while it waited: {built}"
        box = second.locator(".dlw-annotator-panel" if part == "panel" else ".dlw-control-bar")
        poll(
            lambda box=box, kept=seen["kept"]: box.evaluate("e => e.offsetHeight") == kept or None,
            timeout=10,
            what=f"the {part} built at the height it kept ({seen['kept']} px)",
            explain=lambda box=box: f"it is {box.evaluate('e => e.offsetHeight')} px",
        )


# An annotator made, not shown: the page makes its models (no view). A box is added in the kernel then,
# in a cell of its own, and the annotator is shown after that, twice.
SHOWN_LATER = [
    WORKSPACE_CELL.split("redraw = ")[0],
    'annotator.edits.add(dw.Box(left=250, top=250, right=350, bottom=350, label="zebra"))\nNone',
    "annotator",
    "annotator",
]


def test_the_objects_list_is_shown_unasked_with_a_box_added_before_the_view_existed_once(
    open_notebook: OpenNotebook,
) -> None:
    notebook = open_notebook(SHOWN_LATER)
    page = notebook.page
    page.evaluate(_WATCH_OBJECTS_ASKED_JS.replace("PIXEL", STAGE_PIXEL_JS))
    notebook.run_all()
    notebook.wait_ready()
    panels = page.locator(".dlw-annotator-panel")
    for n in range(2):  # the first view, and a later one
        panel = panels.nth(n)
        panel.get_by_text("Objects (3)").wait_for(state="attached", timeout=60_000)
        rows = panel.locator(".dlw-objects-list .dlw-object-row")
        poll(lambda rows=rows: rows.count() == 3 or None, timeout=10, what=f"view {n + 1}'s three rows")
        labels = [rows.nth(i).locator(".dlw-object-label").inner_text() for i in range(3)]
        assert labels == ["car", "car", "zebra"], f"view {n + 1} lists {labels}"
        count = panel.locator('.dlw-label-row[data-label="car"] .dlw-count')
        poll(lambda count=count: count.inner_text() == "2" or None, timeout=10, what="car's count, 2")
    asked = page.evaluate("() => window.e2eAsked")
    assert asked == [], f"the page asked for the objects its model had: {asked}"


def test_a_saved_notebook_reopened_lists_the_objects_drawn_after_the_panel_opened(
    open_notebook: OpenNotebook, saving_widget_state: None
) -> None:
    """The page's model keeps the list as its panel shows it: saved with the widgets' state and opened
    again with no kernel, the panel lists the boxes drawn after it opened, as many rows as its header
    counts (it listed the two the model opened with, under a count of four). A page opened on the live
    kernel lists the kernel's objects, not the saved ones."""
    notebook = open_notebook([WORKSPACE_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator .dlw-annotator-panel .dlw-object-row")
    notebook.wait_ready()
    view = AnnotatorView(notebook)
    view.drag((250, 250), (350, 350))
    view.kernel_annotations(lambda a: len(a) == 3, "the first box drawn")
    view.drag((420, 260), (560, 360))
    view.kernel_annotations(lambda a: len(a) == 4, "the second box drawn")
    panel = view.root.locator(".dlw-annotator-panel")
    assert _wait_listed(panel, "after the two boxes drawn") == 4

    path = notebook.server.root_dir / notebook.nb_path
    written = path.stat().st_mtime_ns
    notebook.page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    poll(lambda: path.stat().st_mtime_ns != written or None, timeout=60, what="the notebook saved")
    # Deleted after the save: a second page on the live kernel lists the kernel's three objects.
    panel.locator(".dlw-objects-list .dlw-object-row").first.locator("button.dlw-delete").click()
    view.kernel_annotations(lambda a: len(a) == 3, "a box deleted")
    second = notebook.page.context.new_page()
    try:
        live = notebook.again(second)
        live.open()
        live_panel = second.locator(".jp-OutputArea-output .dlw-annotator-panel").first
        assert _wait_listed(live_panel, "in a page on the live kernel") == 3
    finally:
        second.close()
    notebook.close()  # the kernel goes: the page reopened draws the widgets from the saved state

    reopened = notebook.again()
    reopened.open()
    saved_panel = notebook.page.locator(".jp-OutputArea-output .dlw-annotator-panel").first
    assert _wait_listed(saved_panel, "from the saved state") == 4
    reopened.close()


CROWDED = LISTED_ROWS + 100
CROWDED_CELL = f"""\
import io
import numpy as np
from PIL import Image
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="crowd")
labels = [{{"label_name": f"label-{{n}}", "color": "#00%02x80" % (20 * n)}} for n in range(10)]
dataset.ontology().add_labels(label_list=labels)
jpeg = io.BytesIO()
Image.fromarray(np.full((400, 640, 3), 128, dtype=np.uint8)).save(jpeg, format="JPEG", quality=90)
item = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="crowd.jpg")
boxes = [
    dw.Box(left=x, top=y, right=x + 15, bottom=y + 15, label=f"label-{{n % 10}}")
    for n, (x, y) in enumerate((n % 30 * 20, n // 30 * 18) for n in range({CROWDED}))
]
item.annotations.upload(annotations=boxes)
dw.Annotator(item, autosave=False)
"""


def test_a_saved_notebook_keeps_an_objects_list_too_long_for_the_opening(
    open_notebook: OpenNotebook, saving_widget_state: None
) -> None:
    """A list longer than the model's opening carries comes when the page asks for it; saved, the notebook
    keeps it as the page shows it (ten labels: about a byte a row), and opened again with no kernel to ask,
    the panel lists every object its header counts."""
    notebook = open_notebook([CROWDED_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator .dlw-annotator-panel .dlw-object-row")
    notebook.wait_ready()
    title = notebook.page.locator(".dlw-annotator-panel .dlw-section-title", has_text="Objects")
    poll(lambda: title.inner_text() == f"Objects ({CROWDED})" or None, timeout=30, what="the list asked for")
    state = save_from_page(notebook)
    (listed,) = [e["state"]["listed"] for e in state.values() if e["state"].get("listed") is not None]
    assert sum(listed["keys"][1::2]) == CROWDED, "the saved notebook keeps the whole list"
    assert len(json.dumps(listed)) < 2 * CROWDED, f"{len(json.dumps(listed))} bytes for {CROWDED} rows"
    notebook.close()  # the kernel goes: the page reopened draws the widgets from the saved state

    reopened = notebook.again()
    reopened.open()
    saved = notebook.page.locator(".jp-OutputArea-output .dlw-annotator-panel").first
    saved.locator(".dlw-objects-list .dlw-object-row").first.wait_for(timeout=60_000)
    assert saved.locator(".dlw-item-meta").inner_text().count(f"{CROWDED} annotations") == 1
    assert saved.locator(".dlw-section-title", has_text="Objects").inner_text() == f"Objects ({CROWDED})"
    reopened.close()


def _wait_listed(panel: Locator, where: str) -> int:
    """The count `panel`'s header shows, once its list shows as many rows (and says so in its title)."""
    meta = panel.locator(".dlw-item-meta")
    meta.filter(has_text=re.compile(r"\d+ annotations?")).wait_for(timeout=60_000)
    rows = panel.locator(".dlw-objects-list .dlw-object-row")
    seen: list[Any] = []

    def listed() -> int | None:
        count = int(re.findall(r"(\d+) annotations?", meta.inner_text())[0])
        labels = [rows.nth(n).locator(".dlw-object-label").inner_text() for n in range(rows.count())]
        title = panel.locator(".dlw-section-title", has_text="Objects").inner_text()
        seen[:] = [count, labels, title]
        return count if len(labels) == count and title == f"Objects ({count})" else None

    shown: int = poll(
        listed,
        timeout=10,
        what=f"the list's rows as many as the header counts {where}",
        explain=lambda: f"the header counts {seen[0]}, the list shows {seen[1]} under '{seen[2]}'",
    )
    return shown
