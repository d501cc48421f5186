"""The first widget shown in a new kernel: the Annotator against jupyter-bbox-widget 0.7, each in a kernel of
its own, the widget's import included.

peers.py times each widget shown again in one kernel, its Python modules imported and (for dlwidgets) its
page modules already sent; a user's first cell pays more: the import of the widget's package (dlwidgets'
widgets, ipywidgets, anywidget, ipycanvas; bbox-widget's ipywidgets and anywidget), and for dlwidgets the
kernel's Loader and SharedModule models, which carry the page's loader and each widget's ES module. Here
the kernel is restarted before every run, its data cell (peers.py's, 1 MP with 50 boxes, in a workspace
of its own, with the dlwidgets API but none of the widget packages imported) run again, then the stage
cell (see _stage.py) imports the widget and shows it, timed from its first line to the image and every
box drawn (peers.py's predicates). The page stays the same across kernels, as when a user restarts one:
anywidget's labextension is loaded, and so is dlwidgets' loader once a first kernel sent it (each kernel
still sends its modules). The widgets alternate; a first round of each warms the disk cache.

Printed: each widget's median (IQR) drawn, the kernel's ms in the cell's call (import and build), models,
bytes received, and dlwidgets' ratio to bbox-widget.

    python benchmarks/first_show.py [--reps 8]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import sys
from pathlib import Path
from typing import Any

import _peer_venv
from peers import CANVAS, CASES, DATA_CELL, PEERS, _quartiles, geometry, shown_js

REPO = Path(__file__).resolve().parents[1]
CASE = "1 MP, 50 boxes"
WIDGETS = ("dlwidgets", "bbox-widget")
_IN_VENV = "DLWIDGETS_FIRST_SHOW_VENV"
# The widget's import is in the timed cell; peers.py's show functions use the names it imports.
SHOW = {
    "dlwidgets": "from dlwidgets.widgets import Annotator\nstaged(show_dlwidgets({case!r}))",
    "bbox-widget": "from jupyter_bbox_widget import BBoxWidget\nstaged(show_bbox_widget({case!r}))",
}
_WIDGET_IMPORTS = ("from dlwidgets.widgets", "from jupyter_bbox_widget", "from ipyannotations")
# _stage.py's setup without importing dlwidgets' widgets: ipywidgets' live models, 0 before its import.
SETUP = """\
import gc, sys, time

_staged = []

def live_models():
    widget = sys.modules.get("ipywidgets.widgets.widget")
    if widget is None:
        return 0
    instances = getattr(widget, "_instances", None)
    return len(instances if instances is not None else widget.Widget.widgets)

def staged(widget):
    _staged.append(widget)
    return widget
"""


# The stage cell's source back to its comment (it holds the last run's widget).
_EMPTY_STAGE_JS = """(source) => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  notebook.widgets[notebook.widgets.length - 2].model.sharedModel.setSource(source);
}"""


def data_cell() -> str:
    """peers.py's data cell for CASE alone, without the widgets' imports, in a workspace of its own."""
    lines = [line for line in DATA_CELL.splitlines() if not line.startswith(_WIDGET_IMPORTS)]
    cell = "\n".join(lines).replace('str(OUT / "workspace")', 'str(OUT / f"workspace-{time.time_ns()}")')
    assert "time.time_ns()" in cell, "peers.py's data cell no longer names its workspace as expected"
    width, height, count = CASES[CASE]
    constants = (
        f"import time\nCASES = {{{CASE!r}: {(width, height, count)!r}}}\n"
        f"SPECS = {{{CASE!r}: {geometry(width, height)!r}}}\nCANVAS = {CANVAS!r}\n"
    )
    return constants + cell


def measure(reps: int) -> dict[str, list[dict[str, float]]]:
    """Inside the peers' venv: `reps` timed runs of each widget, each in a new kernel, after a warm-up."""
    from _browser import lab_in_chromium
    from _common import progress
    from _stage import STAGE_CELL, Stage, WireMeter
    from e2e.notebook import READY_FILE
    from e2e.page import open_notebook_page, record_console

    runs: dict[str, list[dict[str, float]]] = {w: [] for w in WIDGETS}
    with lab_in_chromium("first-show") as (scratch, server, _, page):
        wire = WireMeter()
        wire.attach(page)
        notebook = open_notebook_page(
            page, server, "lab", [data_cell(), SETUP, STAGE_CELL],
            nb_path="first_show.ipynb", out_dir=scratch / "out", console=record_console(page),
        )  # fmt: skip
        stage = Stage(notebook)
        progress("JupyterLab 4 in headless Chromium; a new kernel for every run ...")
        for number in range(reps + 1):
            order = WIDGETS if number % 2 == 0 else WIDGETS[::-1]
            for widget in order:
                if stage.runs:  # the notebook opened with a kernel of its own, no cell run yet
                    notebook.restart_kernel()
                    notebook.wait_restarted()
                    page.evaluate(_EMPTY_STAGE_JS, STAGE_CELL)  # Run All must not show the last widget
                (notebook.out_dir / READY_FILE).unlink(missing_ok=True)
                notebook.run_all()
                notebook.wait_ready(timeout=300)
                wire.start()
                run = stage.run(SHOW[widget].format(case=CASE), shown_js(widget, CASE), timeout=120)
                counted = wire.stop(page)
                if number:  # round 0 warms up
                    shown = {"drawn": run["ms"][1], "kernel": run["kernel_ms"], "models": run["models"]}
                    runs[widget].append({**shown, **counted})
            if number:
                times = ", ".join(f"{w} {runs[w][-1]['drawn']:.0f}" for w in WIDGETS)
                progress(f"  round {number}: {times} ms")
        notebook.close()
    return runs


def table(runs: dict[str, list[dict[str, Any]]]) -> None:
    print(f"first show in a new kernel, {CASE}, {len(runs[WIDGETS[0]])} runs per widget")
    print(f"{'widget':<13} {'drawn: median (IQR)':<27} {'kernel':>8} {'models':>6} {'bytes':>10}")
    drawn = {widget: _quartiles([r["drawn"] for r in done]) for widget, done in runs.items()}
    for widget, done in runs.items():
        kernel, models, received = (
            statistics.median(r[k] for r in done) for k in ("kernel", "page_models", "received")
        )
        q1, q2, q3 = (t / 1000 for t in drawn[widget])
        spread = f"{q2:.3f} s ({q1:.3f}-{q3:.3f})"
        print(f"{widget:<13} {spread:<27} {kernel:>5.0f} ms {models:>6.0f} {received:>10,.0f}")
    print(f"dlwidgets / bbox-widget: {drawn['dlwidgets'][1] / drawn['bbox-widget'][1]:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=8, help="timed runs per widget, each in a new kernel")
    args = parser.parse_args()
    inside = _peer_venv.run_inside(REPO, PEERS, __file__, _IN_VENV)
    if inside is not None:
        return inside
    # As installed from a wheel: compiled. (With PYTHONDONTWRITEBYTECODE set, the kernel would compile the
    # checkout's every module at each import, the peers' venv holding its packages compiled.)
    compileall.compile_dir(REPO / "dlwidgets", quiet=1)
    table(measure(args.reps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
