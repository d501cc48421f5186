"""Widgets on big ontologies and crowded items, in JupyterLab in headless Chromium: time from the start of
the cell to the widget shown, and the widget models it costs.

Cases (data from tests/scale_data.py; each case is a fresh cell run, see _stage.py):

- OntologyEditor on an ontology of 1,000 labels and 50 attributes: shown = its first label's row is on
  the page. Goal: at most 1 s and at most 50 widget models.
- Annotator on a 1280 x 960 JPEG: 10 labels and 0 annotations (the base), 10 labels and 5,000
  annotations, 1,000 labels and 5,000 annotations, run in turns. Shown = the image's blue patch and the
  last annotation's magenta outline are on the canvas. Goal: 1,000 / 5,000 at most 1.25 x the base plus
  the drawing cost, taken as (10 labels, 5,000 annotations) - base.
- Studio on the demo dataset (its own workspace, as ``dlwidgets demo`` makes it): shown = a card of the
  Browser's grid. Goal: at most 150 widget models.
- Label search in the crowded Annotator: keystroke to the label list updated (the first frame painted
  after the widget's DOM last changed; no change within 2 s counts as 2 s), p95 over 40 queries on
  1,000 labels, typed once the objects list is filled, goal at most 50 ms. Needs an ``input`` with class
  ``dlw-label-search`` (or inside an element with it).
- Objects list scrolling in the crowded Annotator: frames per second while its ``.dlw-objects-list``
  scrolls every animation frame for 2 s. Goal: 60 fps (57 passes: a trivial list gets no more here).
- The getting-started notebook, run in JupyterLab and saved with widget state (the widget manager's
  ``saveState`` setting on): file size, goal at most 300 KB, and the models in its saved state.

Widget models are counted in the kernel (live models before and after the cell) and in the page (the
``comm_open`` messages that reached it). Searches and lists that do not exist yet print "not available".

    .venv/bin/python benchmarks/widget_scale.py [--reps 3] [--quick] [--editor-size 1000 50]
        [--annotator-only]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

# _browser comes first: it puts the harness (tests/e2e) on the import path.
from _browser import REPO, lab_in_chromium
from _common import Figure, progress, report
from _stage import STAGE_CELL, STAGE_SETUP, MessagesDropped, Stage, WireMeter
from e2e.browser import new_context
from e2e.page import NotebookPage, open_notebook_page, record_console
from e2e.pixels import STAGE_PIXEL_JS
from e2e.polling import poll
from e2e.server import JupyterServer
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

# isort: split
import scale_data  # in tests/, which _browser puts on the import path

EDITOR_SECONDS = 1.0
SEARCH_P95_MS = 50.0
SCROLL_FPS = 60.0
SAVED_NOTEBOOK_KB = 300
ANNOTATOR_RATIO = 1.25
CANVAS = (800, 520)

DATA_CELL = f"""\
import sys
sys.path.insert(0, {str(REPO / "tests")!r})
import dlwidgets as dw
from dlwidgets.demo import create_demo
from dlwidgets.widgets import Annotator, OntologyEditor, Studio
from scale_data import big_ontology, image_item

demo_client = dw.connect(home=str(OUT / "demo"))
demo = create_demo(demo_client)
dw.connect(home=str(OUT / "scale"))
project = dw.projects.create(project_name="scale")
editor_dataset = big_ontology(project, "editor", labels=EDITOR_SIZE[0], attributes=EDITOR_SIZE[1])
items = {{
    "10 labels, 0 annotations": image_item(big_ontology(project, "base", 10, 0), 0),
    "10 labels, 5,000 annotations": image_item(big_ontology(project, "drawing", 10, 0), 5000),
    "1,000 labels, 5,000 annotations": image_item(big_ontology(project, "crowded", 1000, 0), 5000),
}}
"""

# The editor's first label row holds label-0000, as text or as an input's value.
EDITOR_SHOWN = """(out) => {
  const root = out.querySelector('.dlw-ontology-editor');
  const row = root && root.offsetParent && root.querySelector('.dlw-label-row');
  if (!row) return [false];
  const inputs = Array.from(row.querySelectorAll('input'));
  return [inputs.some((i) => i.value === 'label-0000') || row.textContent.includes('label-0000')];
}"""

STUDIO_CELL = "studio = staged(Studio(demo_client))\nstudio.browser.dataset = demo\nstudio"

STUDIO_SHOWN = """(out) => {
  const root = out.querySelector('.dlw-studio');
  return [Boolean(root && root.offsetParent && root.querySelector('.dlw-card'))];
}"""

# Image on the canvas (the blue patch), then the probe box's magenta outline too; points in image pixels,
# mapped as the Annotator fits and centres the image in whatever size its canvas has.
_ANNOTATOR_SHOWN = """(out) => {
  const canvas = out.querySelector('.dlw-annotator canvas:not(.dlw-gestures)');
  if (!canvas || !canvas.width) return [false, false];
  const spec = GEOMETRY;
  const [W, H] = spec.size;
  const s = Math.min(canvas.width / W, canvas.height / H);
  const [dx, dy] = [(canvas.width - W * s) / 2, (canvas.height - H * s) / 2];
  const at = ([x, y]) => [Math.round(x * s + dx), Math.round(y * s + dy)];
  const pixel = ([x, y]) => (STAGE_PIXEL)(canvas, x, y);
  const [r, g, b] = pixel(at(spec.patch));
  const image = r < 50 && g < 50 && b > 200;
  const [px, py] = spec.probe ? at(spec.probe) : [0, 0];
  const box = !spec.probe || [-2, -1, 0, 1, 2].some((d) => {
    const [r, g, b] = pixel([px + d, py]);
    return r > 200 && g < 70 && b > 200;
  });
  return [image, image && box];
}"""

# Per query: from typing it (value set, input event) to the first frame painted after the last change
# to the widget's DOM, once a frame passes with no further change.
_SEARCH_JS = """async ([root, queries]) => {
  const found = root.querySelector('input.dlw-label-search, .dlw-label-search input');
  if (!found) return null;
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  const times = [];
  for (const query of queries) {
    let last = null;
    const observer = new MutationObserver(() => { last = performance.now(); });
    observer.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
    const typed = performance.now();
    found.value = query;
    found.dispatchEvent(new InputEvent('input', { bubbles: true, data: query.slice(-1) }));
    let seen = null, painted = null, waited = 0;
    while ((waited = performance.now() - typed) < 2000) {
      const at = await frame();
      if (last !== seen) {
        [seen, painted] = [last, at];  // changed since the last frame: painted in this one
      } else if (painted !== null) {
        break;
      }
    }
    times.push(painted === null ? waited : painted - typed);  // no change in 2 s counts as 2 s
    observer.disconnect();
  }
  return times;
}"""

_SCROLL_JS = """async (root) => {
  const list = root.querySelector('.dlw-objects-list');
  if (!list) return null;
  const frames = [];
  const start = performance.now();
  await new Promise((resolve) => {
    const step = (now) => {
      frames.push(now);
      list.scrollTop = (list.scrollTop + 40) % Math.max(1, list.scrollHeight - list.clientHeight);
      if (now - start < 2000) requestAnimationFrame(step); else resolve();
    };
    requestAnimationFrame(step);
  });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  return { fps: (frames.length - 1) / ((frames.at(-1) - frames[0]) / 1000),
           p95: gaps[Math.floor(gaps.length * 0.95)] };
}"""


def annotator_shown(annotated: bool) -> str:
    """The predicate for an Annotator showing a scale_data item (with its probe box if `annotated`)."""
    left, top, _, bottom = scale_data.PROBE_BOX
    spec = {
        "size": scale_data.IMAGE_SIZE,
        "patch": scale_data.PATCH_CHECK,
        "probe": [left, (top + bottom) / 2] if annotated else None,
    }
    return _ANNOTATOR_SHOWN.replace("GEOMETRY", json.dumps(spec)).replace("STAGE_PIXEL", STAGE_PIXEL_JS)


def run_case(stage: Stage, wire: WireMeter, body: str, shown: str, timeout: float = 300) -> dict[str, Any]:
    """One fresh cell run: its milestones, the kernel's and the page's model counts, bytes received."""
    stage.cleanup()
    wire.start()
    result = stage.run(body, shown, timeout=timeout)
    return {**result, **wire.stop(stage.page)}


def editor_case(stage: Stage, wire: WireMeter, timeout: float) -> dict[str, Any]:
    """The OntologyEditor's run; ``ms`` is None, and ``why`` says why, when it did not show."""
    try:
        return run_case(stage, wire, "staged(OntologyEditor(editor_dataset))", EDITOR_SHOWN, timeout)
    except MessagesDropped as error:
        why = str(error)
    except PlaywrightError as error:
        if "not shown in" not in str(error):
            raise
        why = f"not shown within {timeout:.0f} s"
    return {"ms": None, "why": why, "models": stage.kernel()["models"], **wire.stop(stage.page)}


def scale_cases(stage: Stage, wire: WireMeter, reps: int, studio: bool) -> dict[str, list[dict[str, Any]]]:
    annotators = {name: f"staged(Annotator(items[{name!r}], width={CANVAS[0]}, height={CANVAS[1]}))"
                  for name in ("10 labels, 0 annotations", "10 labels, 5,000 annotations",
                               "1,000 labels, 5,000 annotations")}  # fmt: skip
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in annotators}
    for rep in range(reps + 1):  # rep 0 warms up (imports, caches)
        order = list(annotators.items())
        for name, body in order if rep % 2 else reversed(order):
            run = run_case(stage, wire, body, annotator_shown(not name.endswith(" 0 annotations")))
            if rep:
                results[name].append(run)
        progress(
            f"  annotator rep {rep}: " + ", ".join(f"{r[-1]['ms'][-1]:.0f} ms" for r in results.values() if r)
        )
    if studio:
        results["studio"] = [run_case(stage, wire, STUDIO_CELL, STUDIO_SHOWN)]
    return results


def label_search(stage: Stage) -> list[float] | None:
    """Keystroke-to-updated times in the crowded Annotator's label search (None if it has none)."""
    stage.cleanup()
    stage.run("staged(Annotator(items['1,000 labels, 5,000 annotations']))", annotator_shown(True))
    # Typed once the widget is whole: its objects list (asked for by the view once drawn) is filled.
    stage.page.wait_for_selector(".dlw-annotator .dlw-objects-list .dlw-object-row", timeout=120_000)
    root = stage.notebook.output(".dlw-annotator").element_handle()
    # Each query filters the 1,000 labels differently from the one before, so each changes the list.
    queries = [query for d in range(10) for query in (f"label-0{d}", f"label-0{d}5")]
    times: list[float] | None = stage.page.evaluate(_SEARCH_JS, [root, queries * 2])
    return times


def objects_scroll(stage: Stage) -> dict[str, float] | None:
    """Frame rate while the crowded Annotator's objects list scrolls (None if it has none)."""
    root = stage.notebook.output(".dlw-annotator").element_handle()
    result: dict[str, float] | None = stage.page.evaluate(_SCROLL_JS, root)
    return result


def saved_notebook(page: Page, server: JupyterServer, out_dir: Path) -> dict[str, Any]:
    """Run the getting-started notebook in the page, save it with widget state; its size and models."""
    path = server.root_dir / "getting_started.ipynb"
    shutil.copy(REPO / "notebooks" / "getting_started.ipynb", path)
    written = path.stat().st_mtime_ns
    notebook = NotebookPage(page, server, "lab", path.name, out_dir, record_console(page))
    notebook.open()
    notebook.run_all()
    cells = len(notebook.cells())

    def all_ran() -> bool | None:
        ran = [c for c in notebook.cells() if c["count"]]
        errors = [o for c in notebook.cells() for o in c["outputs"] if o.get("output_type") == "error"]
        if errors:
            raise AssertionError(f"the getting-started notebook failed: {errors[0].get('evalue')}")
        return len(ran) == cells or None

    poll(all_ran, timeout=600, what="every cell of the getting-started notebook ran")
    notebook.wait_kernel_idle()
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    poll(lambda: path.stat().st_mtime_ns != written or None, timeout=60, what="the notebook saved")
    saved = json.loads(path.read_text())
    state = saved["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    notebook.close()
    return {"bytes": path.stat().st_size, "models": len(state.get("state", {}))}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=3, help="timed runs of each Annotator case")
    parser.add_argument("--editor-reps", type=int, default=1, help="timed runs of the OntologyEditor")
    parser.add_argument("--editor-timeout", type=float, default=600, help="seconds to wait for it to show")
    parser.add_argument(
        "--editor-size", type=int, nargs=2, default=[1000, 50], metavar=("LABELS", "ATTRIBUTES"),
        help="the OntologyEditor's ontology (the goals are for 1,000 and 50; smaller, for trying the script)",
    )  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="one run of each case")
    parser.add_argument(
        "--annotator-only", action="store_true",
        help="the Annotator's cases, its label search and objects list only (no Studio, notebook or editor)",
    )  # fmt: skip
    parser.add_argument(
        "--iopub-msg-rate-limit", type=float, metavar="PER_SECOND",
        help="the server's ServerApp.iopub_msg_rate_limit (default: its own, 1,000; 0 turns it off)",
    )  # fmt: skip
    args = parser.parse_args()
    reps, editor_reps = (1, 1) if args.quick else (args.reps, args.editor_reps)

    save_state = {"@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings": {"saveState": True}}
    with tempfile.TemporaryDirectory(prefix="dlwidgets-getting-started-") as home:
        os.environ["DLWIDGETS_HOME"] = home  # the getting-started notebook's workspace (the server's env)
        limit = args.iopub_msg_rate_limit
        server_args = [] if limit is None else [f"--ServerApp.iopub_msg_rate_limit={limit}"]
        with lab_in_chromium("widget-scale", save_state, server_args) as (scratch, server, browser, page):
            wire = WireMeter()
            wire.attach(page)
            progress("building 1,000-label ontologies, 5,000-annotation items and the demo ...")
            data = f"EDITOR_SIZE = {args.editor_size}\n{DATA_CELL}"
            notebook = open_notebook_page(
                page, server, "lab", [data, STAGE_SETUP, STAGE_CELL],
                nb_path="scale.ipynb", out_dir=scratch / "out", console=record_console(page),
            )  # fmt: skip
            notebook.run_all()
            notebook.wait_ready(timeout=600)
            stage = Stage(notebook)
            progress("Annotator and Studio ...")
            runs = scale_cases(stage, wire, reps, studio=not args.annotator_only)
            progress("label search and objects list ...")
            search = label_search(stage)
            scroll = objects_scroll(stage)
            saved = None
            if not args.annotator_only:
                progress("the getting-started notebook, saved with widget state ...")
                saved = saved_notebook(new_context(browser).new_page(), server, scratch / "out-gs")
                # Last: an editor that never shows leaves the page tens of thousands of messages behind.
                labels, attributes = args.editor_size
                progress(f"OntologyEditor, {labels} labels and {attributes} attributes ...")
                runs["editor"] = [editor_case(stage, wire, args.editor_timeout) for _ in range(editor_reps)]
            notebook.close()
    lines = annotator_figures(runs, search, scroll)
    if saved is not None:
        lines += other_figures(runs, saved, args.editor_size)
    return report(*lines)


def _median(runs: list[dict[str, Any]], key: str = "ms") -> float:
    return statistics.median(r[key][-1] if key == "ms" else r[key] for r in runs)


EDITOR_MODELS = scale_data.MODEL_GOALS["OntologyEditor, 1,000 labels and 50 attributes"]


def annotator_figures(
    runs: dict[str, list[dict[str, Any]]], search: list[float] | None, scroll: dict[str, float] | None
) -> list[Figure]:
    """The Annotator's time and models at 10 and 1,000 labels, its label search and objects list."""
    base = runs["10 labels, 0 annotations"]
    drawing = runs["10 labels, 5,000 annotations"]
    crowded = runs["1,000 labels, 5,000 annotations"]
    base_ms, drawing_ms, crowded_ms = _median(base), _median(drawing), _median(crowded)
    goal = ANNOTATOR_RATIO * base_ms + max(0.0, drawing_ms - base_ms)
    reps = len(base)
    lines = [
        Figure(f"Annotator 10 labels, 0 annotations: cell to shown (median of {reps})", base_ms, "ms"),
        Figure("   widget models (kernel)", _median(base, "models"), "models"),
        Figure("   widget models (page: comm_open)", _median(base, "page_models"), "models"),
        Figure("Annotator 10 labels, 5,000 annotations", drawing_ms, "ms"),
        Figure("   widget models (kernel)", _median(drawing, "models"), "models"),
        Figure("Annotator 1,000 labels, 5,000 annotations", crowded_ms, "ms", goal, higher_is_better=False),
        Figure("   widget models (kernel)", _median(crowded, "models"), "models",
               _median(base, "models") + scale_data.ANNOTATOR_GROWTH_GOAL, higher_is_better=False),
        Figure("   ratio to 10 labels, 0 annotations", crowded_ms / base_ms, "x"),
        Figure("   image shown (before the boxes)", statistics.median(r["ms"][0] for r in crowded), "ms"),
        Figure("   of which the kernel's (median)", _median(crowded, "kernel_ms"), "ms"),
        Figure("   the kernel's in 10 labels, 5,000 annotations", _median(drawing, "kernel_ms"), "ms"),
    ]  # fmt: skip
    # Each run's time to shown, and the part of it the kernel spent building the widget.
    each = {
        name: ", ".join(f"{r['ms'][-1]:.0f} ({r['kernel_ms']:.0f})" for r in rs)
        for name, rs in runs.items()
        if "labels" in name
    }
    print("      each run, ms (kernel): " + "; ".join(f"{name}: {times}" for name, times in each.items()))
    if search is None:
        print("      label search: keystroke to filtered list p95: not available (no .dlw-label-search)")
    elif search:
        p95 = statistics.quantiles(search, n=20)[18] if len(search) > 1 else search[0]
        lines.append(Figure(f"label search over 1,000 labels: keystroke to list p95 ({len(search)})", p95,
                            "ms", SEARCH_P95_MS, higher_is_better=False))  # fmt: skip
        lines.append(Figure("   median", statistics.median(search), "ms"))
    if scroll is None:
        print("      objects list scroll: not available (no .dlw-objects-list)")
    else:
        # 60 fps less 5 %: a trivial scrolling list reaches 57-60 fps in headless Chromium on a busy machine.
        lines.append(Figure("objects list (5,000) scrolling", scroll["fps"], "fps", 0.95 * SCROLL_FPS))
        lines.append(Figure("   frame interval p95", scroll["p95"], "ms"))
    return lines


def other_figures(
    runs: dict[str, list[dict[str, Any]]], saved: dict[str, Any], editor_size: list[int]
) -> list[Figure]:
    """The OntologyEditor's, the Studio's and the saved getting-started notebook's figures."""
    labels, attributes = editor_size
    editor, studio = runs["editor"], runs["studio"]
    shown = [r for r in editor if r["ms"] is not None]
    name = f"OntologyEditor {labels:,} labels/{attributes} attrs: cell to shown"
    if len(shown) < len(editor):
        reasons = "; ".join(sorted({r["why"] for r in editor if r["ms"] is None}))
        print(f"MISS  {name}: not shown in {len(editor) - len(shown)} of {len(editor)} runs: {reasons}")
    return [
        *([Figure(f"{name} ({len(shown)})", _median(shown) / 1000, "s", EDITOR_SECONDS,
                  higher_is_better=False)] if shown else []),
        Figure("   widget models (kernel)", _median(editor, "models"), "models",
               EDITOR_MODELS, higher_is_better=False),
        Figure("   widget models (page: comm_open)", _median(editor, "page_models"), "models"),
        Figure("   bytes kernel->page", _median(editor, "received"), "B"),
        Figure("Studio on the demo: widget models (kernel)", _median(studio, "models"), "models",
               scale_data.MODEL_GOALS["Studio on the demo dataset"], higher_is_better=False),
        Figure("   widget models (page: comm_open)", _median(studio, "page_models"), "models"),
        Figure("   cell to shown", _median(studio), "ms"),
        Figure("getting-started notebook saved with widget state", saved["bytes"] / 1024, "KB",
               SAVED_NOTEBOOK_KB, higher_is_better=False),
        Figure("   widget models in its saved state", saved["models"], "models"),
    ]  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
