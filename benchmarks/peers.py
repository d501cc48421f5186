"""First to pixels: the Annotator against jupyter-bbox-widget 0.7 and ipyannotations 0.5, side by side.

The peers are installed from the package index into a venv of their own in a cache folder (see
_peer_venv.py; never the project's venv), with the same JupyterLab, ipywidgets, ipycanvas and anywidget
as here; the script then runs itself again in that venv, with this checkout's dlwidgets on PYTHONPATH.
One JupyterLab in headless Chromium shows the three widgets in turns (each round in the next order of
the six, so each widget follows each other equally often), each a fresh run of the stage cell (see
_stage.py), on the same JPEG with the same boxes:

- 1 MP (1152 x 864), 50 boxes; 12 MP (4000 x 3000), 1,000 boxes; 12 MP portrait (3000 x 4000), 50 boxes.

Time is from the start of the cell to the image and every box visibly drawn, seen from the page:

- canvas widgets (dlwidgets, ipyannotations): the image's blue patch, the last box's magenta outline
  (it is drawn last), and a sharp black/white edge, which only the full-resolution image draws (a
  160 px thumbnail scaled up blurs it); for dlwidgets the time to the patch and the outline at any
  resolution is also given: its first paint, the thumbnail's for an image of 2 MP or more (it comes in
  the stage's opening state), else the full image's.
- bbox-widget (an ``<img>`` under SVG): the image loaded and ``img.decode()`` resolved, and an SVG
  rectangle for every box.

Bytes: everything the page received on the kernel websocket during the run, against the JPEG's size;
and for dlwidgets the cell's messages alone: without the answers to requests the page itself sent
meanwhile, which fall in the run's window or after it as timing has it: the side panel asks for a list
of more than 500 objects once the stage is drawn (the 12 MP case's 1,000 boxes; a shorter list comes in
the panel's opening state, so at 1 MP nothing is asked).
Kernel: the ms the kernel spent in the cell's call that builds the widget (the page shows nothing of it
before the call returns). Every round shows the same item, so from the second round on its annotations,
unchanged, are not listed again (see dlwidgets/widgets/models/stored_annotations.py), as when a user runs
a cell again; benchmarks/annotator_build.py prints a first opening's build time beside it.
Caveats of the peers, beside the figures: bbox-widget shows the image as it is (no zoom; its ``<img>``
is scaled by the browser to the 800 px width it is given); ipyannotations draws the image downsampled
into its 800 x 520 canvas and cannot zoom either.

``--cases`` picks cases by a word of their names (``--cases 1 portrait``) or by a whole name (``--cases
"1 MP, 50 boxes"``); ``--breakdown`` also prints where dlwidgets' time went in the page (see
_breakdown.py): the medians of its runs' milestones.

    python benchmarks/peers.py [--reps 15] [--quick] [--cases WORD ...] [--breakdown]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import statistics
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import _peer_venv

if TYPE_CHECKING:  # imported when run, once in the peers' venv
    from _breakdown import PageTimeline
    from _stage import Stage, WireMeter

REPO = Path(__file__).resolve().parents[1]
PEERS = ("jupyter-bbox-widget==0.7.0", "ipyannotations==0.5.1")
WIDGETS = ("dlwidgets", "bbox-widget", "ipyannotations")
CANVAS = (800, 520)
THUMBNAIL_SIDE = 160
# name: (width, height, boxes)
CASES = {
    "1 MP, 50 boxes": (1152, 864, 50),
    "12 MP, 1,000 boxes": (4000, 3000, 1000),
    "12 MP portrait, 50 boxes": (3000, 4000, 50),
}
GOAL_RATIO = 0.9
GOAL_THUMBNAIL_RATIO = 0.5
GOAL_BYTES_RATIO = 1.05
_IN_VENV = "DLWIDGETS_PEERS_VENV"


def geometry(width: int, height: int) -> dict[str, list[int]]:
    """Where the cases' images hold what the page looks for, in image pixels (left, top, right, bottom):
    random boxes stay in the left part; a blue patch with the probe box over part of it; a black/white
    edge in the middle of a thumbnail pixel."""
    pixel = max(width, height) / THUMBNAIL_SIDE
    edge = round((math.floor(0.8 * width / pixel) + 0.5) * pixel)
    return {
        "boxes": [0, 0, round(0.55 * width), height],
        "patch": [round(0.62 * width), round(0.04 * height), round(0.97 * width), round(0.34 * height)],
        "patch_check": [round(0.94 * width), round(0.07 * height)],
        "probe": [round(0.66 * width), round(0.12 * height), round(0.85 * width), round(0.3 * height)],
        "edge_area": [round(0.65 * width), round(0.55 * height), round(0.95 * width), round(0.9 * height)],
        "edge": [edge, round(0.72 * height)],
    }


DATA_CELL = """\
import io, os
import numpy as np
from PIL import Image
import dlwidgets as dw
from dlwidgets.widgets import Annotator
from jupyter_bbox_widget import BBoxWidget
from ipyannotations.images import BoxAnnotator

CLASSES = ["car", "person", "probe"]
COLORS = ["#00a050", "#00a0c8", "#ff00ff"]

def make_jpeg(width, height, spec, seed):
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    pixels = np.empty((height, width, 3), np.float32)
    pixels[..., 0] = 40 + 100 * y  # never red enough to pass for the magenta outline
    pixels[..., 1] = 60 + 150 * x
    pixels[..., 2] = 110 + 60 * np.sin(6 * x + 4 * y)
    pixels += rng.normal(0, 10, pixels.shape).astype(np.float32)
    left, top, right, bottom = spec["patch"]
    pixels[top:bottom, left:right] = (0, 0, 255)
    left, top, right, bottom = spec["edge_area"]
    pixels[top:bottom, left:right] = 0
    pixels[top:bottom, spec["edge"][0]:right] = 255
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()

def make_boxes(spec, count, seed):
    rng = np.random.default_rng(seed)
    left, top, right, bottom = spec["boxes"]
    boxes = []
    for k in range(count - 1):
        x0, y0 = rng.uniform(left, right - 150), rng.uniform(top, bottom - 150)
        w, h = rng.uniform(20, 150, 2)
        boxes.append((CLASSES[k % 2], float(x0), float(y0), float(x0 + w), float(y0 + h)))
    return boxes + [("probe", *map(float, spec["probe"]))]

os.environ.setdefault("DLWIDGETS_EMAIL", "bench@localhost")
dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="peers").datasets.create(dataset_name="peers")
ontology = dataset.ontology()
for name, color in zip(CLASSES, COLORS):
    ontology.add_label(label_name=name, color=color)

PATHS, BOXES, ITEMS, JPEG_BYTES = {}, {}, {}, {}
for seed, (case, (width, height, count)) in enumerate(CASES.items()):
    spec = SPECS[case]
    jpeg = make_jpeg(width, height, spec, seed)
    PATHS[case] = OUT / f"case-{seed}.jpg"
    PATHS[case].write_bytes(jpeg)
    JPEG_BYTES[case] = len(jpeg)
    BOXES[case] = make_boxes(spec, count, seed)
    item = dataset.items.upload(local_path=str(PATHS[case]), remote_path="/peers")
    builder = item.annotations.builder()
    for label, l, t, r, b in BOXES[case]:
        builder.add(dw.Box(left=l, top=t, right=r, bottom=b, label=label))
    item.annotations.upload(annotations=builder)
    ITEMS[case] = item
dump("jpeg_bytes.json", JPEG_BYTES)

def show_dlwidgets(case):
    return Annotator(ITEMS[case], width=CANVAS[0], height=CANVAS[1])

def show_bbox_widget(case):
    boxes = [{"x": l, "y": t, "width": r - l, "height": b - t, "label": label}
             for label, l, t, r, b in BOXES[case]]
    return BBoxWidget(image=str(PATHS[case]), classes=CLASSES, colors=COLORS, bboxes=boxes,
                      layout={"width": f"{CANVAS[0]}px"})

def show_ipyannotations(case):
    widget = BoxAnnotator(options=CLASSES, canvas_size=tuple(CANVAS))
    widget.canvas.colormap = dict(zip(CLASSES, COLORS))
    widget.display(PATHS[case])
    widget.data = [{"type": "box", "label": label, "xyxy": (l, t, r, b)} for label, l, t, r, b in BOXES[case]]
    return widget
"""

SHOW = {
    "dlwidgets": "staged(show_dlwidgets({case!r}))",
    "bbox-widget": "staged(show_bbox_widget({case!r}))",
    "ipyannotations": "staged(show_ipyannotations({case!r}))",
}

# Milestones: [image and last box at any resolution, image at full resolution and every box]. Points
# are in image pixels, mapped to the canvas as the widget fits the image: dlwidgets fits and centres it
# in whatever size its canvas has; ipyannotations rounds down to whole pixels.
_CANVAS_SHOWN = """(out) => {
  const canvas = out.querySelector(SELECTOR);
  if (!canvas || !canvas.width) return [false, false];
  const spec = GEOMETRY;
  const [W, H] = spec.size;
  let s = Math.min(canvas.width / W, canvas.height / H), dx, dy;
  if (spec.whole) {
    const [w, h] = [Math.floor(W * s), Math.floor(H * s)];
    const half = (size, part) => Math.floor(size / 2) - Math.floor(part / 2);
    [s, dx, dy] = [w / W, half(canvas.width, w), half(canvas.height, h)];
  } else {
    [dx, dy] = [(canvas.width - W * s) / 2, (canvas.height - H * s) / 2];
  }
  const at = ([x, y]) => [Math.round(x * s + dx), Math.round(y * s + dy)];
  const pixel = ([x, y]) => (STAGE_PIXEL)(canvas, x, y);
  const [r, g, b] = pixel(at(spec.patch));
  const image = r < 60 && g < 60 && b > 200;
  const [px, py] = at(spec.probe);
  const box = [-2, -1, 0, 1, 2].some((d) => {
    const [r, g, b] = pixel([px + d, py]);
    return r > 200 && g < 80 && b > 200;
  });
  const edge = spec.edge[0] * s + dx, y = Math.round(spec.edge[1] * s + dy);
  const dark = pixel([Math.floor(edge) - 2, y]), light = pixel([Math.ceil(edge) + 2, y]);
  const sharp = dark[0] < 30 && dark[1] < 30 && light[0] > 225 && light[1] > 225;
  return [image && box, image && box && sharp];
}"""

_DOM_SHOWN = """(out) => {
  const img = out.querySelector('.image img');
  if (!img || !img.complete || !img.naturalWidth) return [false, false];
  if (!img.dataset.benchDecoded) {
    img.dataset.benchDecoded = 'pending';
    img.decode().then(() => { img.dataset.benchDecoded = 'yes'; });
  }
  const rects = out.querySelectorAll('svg rect[shape-rendering="crispEdges"]');
  const last = rects[rects.length - 1];
  const all = rects.length >= COUNT && last && Number(last.getAttribute('width')) > 0;
  const drawn = img.dataset.benchDecoded === 'yes' && all;
  return [drawn, drawn];
}"""

# The canvas whose pixels are read: dlwidgets' stage's image canvas, read composited with the annotations
# and highlight canvases stacked over it (STAGE_PIXEL_JS); ipyannotations' canvas.
_SELECTORS = {"dlwidgets": ".dlw-annotator .dlw-stage canvas.dlw-image", "ipyannotations": "canvas"}


def shown_js(widget: str, case: str) -> str:
    """The page's predicate for `widget` showing `case`."""
    from e2e.pixels import STAGE_PIXEL_JS  # on the path once _browser is imported (in the peers' venv)

    width, height, count = CASES[case]
    if widget == "bbox-widget":
        return _DOM_SHOWN.replace("COUNT", str(count))
    spec = geometry(width, height)
    left, top, _, bottom = spec["probe"]
    points = {
        "size": [width, height],
        "whole": widget == "ipyannotations",
        "patch": spec["patch_check"],
        "probe": [left, (top + bottom) / 2],
        "edge": spec["edge"],
    }
    js = _CANVAS_SHOWN.replace("SELECTOR", json.dumps(_SELECTORS[widget])).replace(
        "STAGE_PIXEL", STAGE_PIXEL_JS
    )
    return js.replace("GEOMETRY", json.dumps(points))


def rounds(reps: int) -> list[tuple[str, ...]]:
    """The widgets' order in each of `reps` + 1 rounds (the first warms up): the six orders in turn."""
    orders = list(itertools.permutations(WIDGETS))
    return [orders[r % len(orders)] for r in range(reps + 1)]


Results = dict[str, dict[str, list[dict[str, float]]]]  # case -> widget -> one dict per run


def measure(
    reps: int, cases: list[str], breakdown: bool
) -> tuple[Results, dict[str, int], dict[str, list[dict[str, float]]]]:
    """Inside the peers' venv: each of `cases`, `reps` timed rounds of the three widgets; the JPEGs' sizes;
    with `breakdown`, dlwidgets' page timeline of each run (see _breakdown.py)."""
    from _breakdown import PageTimeline, summary
    from _browser import lab_in_chromium
    from _common import progress
    from _stage import STAGE_CELL, STAGE_SETUP, Stage, WireMeter
    from e2e.page import open_notebook_page, record_console

    specs = {case: geometry(w, h) for case, (w, h, _) in CASES.items()}
    constants = f"CASES = {CASES!r}\nSPECS = {specs!r}\nCANVAS = {CANVAS!r}\n"
    with lab_in_chromium("peers") as (scratch, server, _, page):
        wire = WireMeter()
        wire.attach(page)
        timeline = PageTimeline.install(page, profile=breakdown) if breakdown else None
        notebook = open_notebook_page(
            page, server, "lab", [constants + DATA_CELL, STAGE_SETUP, STAGE_CELL],
            nb_path="peers.ipynb", out_dir=scratch / "out", console=record_console(page),
        )  # fmt: skip
        progress("JupyterLab 4 in headless Chromium; making the JPEGs and the boxes ...")
        notebook.run_all()
        notebook.wait_ready(timeout=300)
        jpeg_bytes: dict[str, int] = notebook.wait_file("jpeg_bytes.json")
        stage = Stage(notebook)
        results: Results = {case: {w: [] for w in WIDGETS} for case in cases}
        timelines: dict[str, list[dict[str, float]]] = {case: [] for case in cases}
        for case in cases:
            for number, order in enumerate(rounds(reps)):
                for widget in order:
                    traced = timeline if widget == "dlwidgets" else None
                    run, trace = show(stage, wire, widget, case, traced)
                    if number:  # round 0 warms up
                        results[case][widget].append(run)
                        if trace is not None:
                            timelines[case].append(summary(trace, run["t0"], [run["first"], run["drawn"]]))
                if number:
                    times = ", ".join(f"{w} {results[case][w][-1]['drawn']:.0f}" for w in WIDGETS)
                    progress(f"  {case}, round {number}: {times} ms")
        stage.cleanup()
        notebook.close()
    return results, jpeg_bytes, timelines


def show(
    stage: Stage, wire: WireMeter, widget: str, case: str, timeline: PageTimeline | None = None
) -> tuple[dict[str, float], dict[str, Any] | None]:
    """One fresh run of `widget` on `case`: ms to first paint and to drawn, the kernel's ms building the
    widget, models, bytes on the wire; and the page's timeline of the run when a `timeline` records it."""
    stage.cleanup()
    wire.start()
    if timeline:
        timeline.record()
    run = stage.run(SHOW[widget].format(case=case), shown_js(widget, case), timeout=120)
    trace = timeline.collect() if timeline else None
    shown = {"first": run["ms"][0], "drawn": run["ms"][1], "kernel": run["kernel_ms"], "t0": run["t0"]}
    return {**shown, "models": run["models"], **wire.stop(stage.page)}, trace


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def table(results: Results, jpeg_bytes: dict[str, int]) -> int:
    """Print the comparison; the exit status: 0 when dlwidgets meets every goal, 1 otherwise."""
    missed = 0
    print(
        f"{'case':<26} {'widget':<15} {'drawn: median (IQR)':<27} {'kernel':>7} {'models':>6} {'bytes':>12}"
        "  vs JPEG"
    )
    for case, by_widget in results.items():
        medians = {}
        for widget, runs in by_widget.items():
            q1, q2, q3 = _quartiles([r["drawn"] for r in runs])
            medians[widget] = q2
            received = statistics.median(r["received"] for r in runs)
            models = statistics.median(r["page_models"] for r in runs)
            kernel = statistics.median(r["kernel"] for r in runs)
            spread = f"{q2 / 1000:.3f} s ({q1 / 1000:.3f}-{q3 / 1000:.3f})"
            ratio = received / jpeg_bytes[case]
            print(
                f"{case:<26} {widget:<15} {spread:<27} {kernel:>4.0f} ms {models:>6.0f} {received:>12,.0f}"
                f"  {ratio:.2f}x"
            )
        fastest = min(medians[w] for w in WIDGETS[1:])
        ours = by_widget["dlwidgets"]
        first = statistics.median(r["first"] for r in ours)
        received = statistics.median(r["received"] for r in ours) / jpeg_bytes[case]
        cell = statistics.median(r["received"] - r["asked"] for r in ours) / jpeg_bytes[case]
        asked = sum(1 for r in ours if r["asked"])
        checks = [
            ("drawn / fastest peer", medians["dlwidgets"] / fastest, GOAL_RATIO),
            ("first paint (image + boxes, any resolution) / fastest peer", first / fastest,
             GOAL_THUMBNAIL_RATIO),
            ("bytes / JPEG", received, GOAL_BYTES_RATIO),
            ("bytes / JPEG, the cell's messages alone", cell, GOAL_BYTES_RATIO),
        ]  # fmt: skip
        for name, value, goal in checks:
            verdict = "PASS" if value <= goal else "MISS"
            missed += value > goal
            print(f"{verdict}  {case}: dlwidgets {name}: {value:.3f}x (goal <= {goal}x)")
        print(
            f"      {case}: in {asked} of {len(ours)} runs the window also held the answer to a request the"
            " page sent meanwhile (the side panel asking for a list of over 500 objects)"
        )
        print(
            f"      {case}: dlwidgets / "
            + ", ".join(f"{w} {medians['dlwidgets'] / medians[w]:.2f}x" for w in WIDGETS[1:])
        )
    runs = len(next(iter(results.values()))["dlwidgets"])
    print(f"({runs} runs per widget and case.) Caveats: bbox-widget shows the image as it is, with no zoom; "
          "ipyannotations draws it downsampled into its canvas.")  # fmt: skip
    return 1 if missed else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=15, help="timed rounds per case (each shows all three)")
    parser.add_argument("--quick", action="store_true", help="3 rounds per case, for a smoke run")
    parser.add_argument("--cases", nargs="+", metavar="WORD", help="only the cases whose names have a WORD")
    parser.add_argument("--breakdown", action="store_true", help="print where dlwidgets' time went too")
    args = parser.parse_args()
    picked = set(args.cases or ())
    cases = [c for c in CASES if not picked or c in picked or picked & set(c.replace(",", " ").split())]
    if not cases:
        parser.error(f"--cases {' '.join(args.cases)} names none of the cases: {', '.join(CASES)}")
    inside = _peer_venv.run_inside(REPO, PEERS, __file__, _IN_VENV)
    if inside is not None:
        return inside
    results, jpeg_bytes, timelines = measure(3 if args.quick else args.reps, cases, args.breakdown)
    if args.breakdown:
        from _breakdown import print_medians

        for case, runs in timelines.items():
            print_medians(f"dlwidgets, {case}", runs)
    return table(results, jpeg_bytes)


if __name__ == "__main__":
    sys.exit(main())
