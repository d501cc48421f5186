"""The annotator in headless Chromium, each figure against a floor measured in the same run.

Starts ``jupyter lab`` with the browser-test harness (tests/e2e; the TCP_NODELAY server extension on, as
when dlwidgets is installed), opens one notebook whose kernel holds two 4000 x 3000 JPEG items (noise
and gradients, quality 90, about 3.5 MB) with 1,000 boxes each, and measures:

1. Showing an item (``annotator._show(i)``, switching between the two items): (a) what the kernel sends
   to the browser for it, counted in the kernel by wrapping ``Session.send``, against the JPEG's own
   size + 64 KB in at most 6 messages; (b) the time from that call until the item's pixels and its boxes
   are on the page's canvas, against the floor: the same JPEG sent as one binary message to a minimal
   anywidget that decodes it with ``createImageBitmap`` and draws it, timed the same way.
2. Redrawing 1,000 boxes (``annotator._redraw()``): bytes and messages, and the time until drawn, against
   an unbatched ipycanvas drawing of the same boxes (``stroke_rect`` per box, outside ``hold_canvas``).
3. Mouse-up to box: boxes dragged with the mouse on the gesture layer, timed from the mouse-up event
   until the box's outline is on the canvas and the kernel holds it, against the floor: the p95 round
   trip of a tiny custom message browser -> kernel -> browser.
4. Messages for one box drag (30 mouse moves) both ways, against a naive ipycanvas implementation that
   redraws everything on every mouse move.
5. Showing an item with 1,000 polygons of 50 vertices (a third item: item 0's JPEG and probe box, its
   other boxes as polygons), against the same item with 1,000 boxes, each shown after item 1.
6. Closing a polygon: triangles clicked with the polygon tool (on the item the boxes were not dragged
   on), timed from the press of the closing click (on the first vertex) until the kernel holds the
   polygon and its outline (drawn while selected) is on the canvas, against the same floor as 3.
7. Brush strokes on a 12 MP item: strokes painted with the mouse (a zigzag about 550 image pixels long,
   brush 40 image pixels wide) into the label's mask, timed from the mouse-up until the kernel holds the
   mask's new PNG and the annotation layer shows the stroke in the label's colour; the size of each
   stroke's one message (goal < 64 KB); the kernel's time to save the painted mask to the workspace.
   ``--brush-only`` measures this alone.
8. Building an Annotator: the kernel's time in ``Annotator(item)`` (its main thread's CPU time, and the
   wall clock beside it), on a 1 MP item with 50 boxes (item 0's image scaled down) and on item 0: the
   page can show nothing of it before the call returns. ``--build-only`` measures this alone.

The annotator's canvas fills the width the page gives it (the responsive canvas, as users get it); the
floor draws on a canvas of the same size. The naive ipycanvas comparisons keep an 800 x 520 canvas.

Times that span the kernel and the page use the wall clock of both (same machine): the kernel's
``time.time()`` when a call starts, the page's ``performance.timeOrigin + performance.now()`` in the
first animation frame whose canvas shows the result.

    .venv/bin/python benchmarks/annotator.py [--shows 10] [--drags 36] [--strokes 24] [--builds 15]
                                             [--brush-only] [--build-only] [--ui lab|notebook7]
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# _browser comes first: it puts the harness (tests/e2e) on the import path.
from _browser import PING_CELL, arm_red, lab_in_chromium, ping_round_trips, stats, wait_red, watch_mouseup
from _common import Figure, progress, report
from e2e.page import UI, NotebookPage, open_notebook_page, record_console
from e2e.pixels import STAGE_PIXEL_JS
from e2e.views import AnnotatorView
from playwright.sync_api import ElementHandle, Locator, Page

SHOW_BYTES_SLACK = 64 * 1024
# The item's thumbnail and its image (each a message of its own: the thumbnail is drawn first), the
# drawing of its annotations, the side panel, the item counter and the item picker.
SHOW_MAX_MESSAGES = 6
SHOW_MAX_RATIO = 1.25
REDRAW_GOAL_BYTES = 33 * 1024
DRAG_GOAL_OVER_FLOOR_MS = 20.0
DRAG_MOVES = 30
POLYGONS_MAX_RATIO = 1.25
STROKE_GOAL_MS = 250.0
STROKE_GOAL_BYTES = 64 * 1024
BRUSH_SIZE = 40  # image pixels across
BUILD_GOAL_MS = 40.0  # the kernel's CPU time in Annotator(item), 1 MP with 50 boxes

Cell = tuple[float, float, float, float]  # a drag from (x0, y0) to (x1, y1), canvas pixels

# What the kernel builds and where the page looks, in image pixels (left, top, right, bottom) unless
# said otherwise. The 999 random boxes stay left of x = 2400; the right part holds, per item, a patch of
# one colour with a probe box over part of it (a label of its own colour), and below them the free area
# where the benchmark drags its boxes (label "new", pure red; nothing else there is red).
SPEC: dict[str, Any] = {
    "image": [4000, 3000],
    "canvas": [800, 520],
    "boxes": 1000,
    "polygon_vertices": 50,
    "random_area": [0, 0, 2400, 2850],
    "patch": [2600, 150, 3500, 900],
    "patch_rgb": [[0, 0, 255], [0, 255, 0]],
    "probe_box": [2650, 250, 2950, 800],
    "probe_rgb": [[255, 255, 0], [255, 0, 255]],
    "patch_check": [3300, 550],
    "labels": {"car": "#00c853", "person": "#2962ff", "new": "#ff0000"},
    "brush_size": BRUSH_SIZE,
    "stroke_area": [2600, 1000, 3950, 2900],
}

DATA_CELL = """\
import io, os
import numpy as np
from PIL import Image
import dlwidgets as dw

os.environ.setdefault("DLWIDGETS_EMAIL", "bench@localhost")
dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="bench").datasets.create(dataset_name="annotator")
ontology = dataset.ontology()
probe_colors = ["#%02x%02x%02x" % tuple(rgb) for rgb in SPEC["probe_rgb"]]
for name, color in [*SPEC["labels"].items(), *((f"probe-{i}", c) for i, c in enumerate(probe_colors))]:
    ontology.add_label(label_name=name, color=color)

def noise_jpeg(index):
    rng = np.random.default_rng(index)
    width, height = SPEC["image"]
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    pixels = np.empty((height, width, 3), np.float32)
    pixels[..., 0] = 40 + 100 * y  # never red enough to pass for a dragged box's outline
    pixels[..., 1] = 255 * x
    pixels[..., 2] = 128 + 100 * np.sin(6 * x + 4 * y)
    pixels += rng.normal(0, 10, pixels.shape).astype(np.float32)
    left, top, right, bottom = SPEC["patch"]
    pixels[top:bottom, left:right] = SPEC["patch_rgb"][index]
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()

jpegs, items = [], []
for index in range(2):
    jpegs.append(noise_jpeg(index))
    item = dataset.items.upload(local_path=jpegs[-1], remote_path="/bench", remote_name=f"item-{index}.jpg")
    rng = np.random.default_rng(100 + index)
    builder = item.annotations.builder()
    left, top, right, bottom = SPEC["random_area"]
    for k in range(SPEC["boxes"] - 1):
        x0, y0 = rng.uniform(left, right - 150), rng.uniform(top, bottom - 150)
        w, h = rng.uniform(20, 150, 2)
        builder.add(dw.Box(left=x0, top=y0, right=x0 + w, bottom=y0 + h, label=("car", "person")[k % 2]))
    l, t, r, b = SPEC["probe_box"]
    builder.add(dw.Box(left=l, top=t, right=r, bottom=b, label=f"probe-{index}"))
    item.annotations.upload(annotations=builder)
    items.append(item)

# Item 2: item 0's JPEG and probe box, its other 999 boxes as polygons of 50 vertices (the ellipses
# inscribed in the same boxes), to show against item 0.
item = dataset.items.upload(local_path=jpegs[0], remote_path="/bench", remote_name="polygons.jpg")
rng = np.random.default_rng(100)
builder = item.annotations.builder()
left, top, right, bottom = SPEC["random_area"]
turn = np.linspace(0, 2 * np.pi, SPEC["polygon_vertices"], endpoint=False)
for k in range(SPEC["boxes"] - 1):
    x0, y0 = rng.uniform(left, right - 150), rng.uniform(top, bottom - 150)
    w, h = rng.uniform(20, 150, 2)
    geo = np.stack([x0 + w / 2 * (1 + np.cos(turn)), y0 + h / 2 * (1 + np.sin(turn))], axis=1)
    builder.add(dw.Polygon(geo=geo, label=("car", "person")[k % 2]))
l, t, r, b = SPEC["probe_box"]
builder.add(dw.Box(left=l, top=t, right=r, bottom=b, label="probe-0"))
item.annotations.upload(annotations=builder)
items.append(item)

# Apart from the annotator's items: 1 MP (item 0's image scaled down) with 50 boxes, to time building one.
scaled = io.BytesIO()
Image.open(io.BytesIO(jpegs[0])).resize((1152, 864)).save(scaled, format="JPEG", quality=90)
one_mp_item = dataset.items.upload(local_path=scaled.getvalue(), remote_path="/bench", remote_name="1mp.jpg")
rng = np.random.default_rng(3)
builder = one_mp_item.annotations.builder()
for k in range(50):
    x0, y0 = rng.uniform(0, 1000), rng.uniform(0, 750)
    builder.add(dw.Box(left=x0, top=y0, right=x0 + 80, bottom=y0 + 60, label=("car", "person")[k % 2]))
one_mp_item.annotations.upload(annotations=builder)
"""

# Counts what the kernel sends (every message through Session.send) and the comm messages it receives,
# between start() and stop(); the benchmark's own control and ping widgets are left out.
CONTROL_CELL = '''\
import gc, time
import anywidget

kernel = get_ipython().kernel

class Meter:
    def __init__(self):
        self.on, self.sent, self.received = False, [], []
        self.ignored_comms, self.ignored_parents = set(), set()
        session, send = kernel.session, kernel.session.send
        def counted_send(stream, msg_or_type, *args, **kwargs):
            msg = send(stream, msg_or_type, *args, **kwargs)
            if self.on and isinstance(msg, dict):
                parts = ("header", "parent_header", "metadata", "content")
                size = sum(len(session.pack(msg[k])) for k in parts)
                size += sum(memoryview(b).nbytes for b in kwargs.get("buffers") or ())
                parent = (msg.get("parent_header") or {}).get("msg_id")
                self.sent.append((msg["header"]["msg_type"], msg["content"].get("comm_id"), parent, size))
            return msg
        session.send = counted_send
        handle = kernel.shell_handlers["comm_msg"]
        def counted_comm_msg(stream, ident, msg):
            comm_id = msg["content"].get("comm_id")
            if comm_id in self.ignored_comms:
                self.ignored_parents.add(msg["header"]["msg_id"])
            elif self.on:
                self.received.append(comm_id)
            return handle(stream, ident, msg)
        kernel.shell_handlers["comm_msg"] = counted_comm_msg

    def start(self):
        self.sent, self.received, self.on = [], [], True

    def stop(self):
        self.on = False
        # The status messages of the benchmark's own requests are left out; what a command's handler
        # sends (its parent is that request) is what is measured.
        comms = [m for m in self.sent if m[0] != "status" and m[1] not in self.ignored_comms]
        status = [m for m in self.sent if m[0] == "status" and m[2] not in self.ignored_parents]
        return {
            "messages": len(comms), "bytes": sum(m[3] for m in comms),
            "status": len(status), "received": len(self.received),
            "types": sorted({m[0] for m in comms}),
        }

meter = Meter()

class Control(anywidget.AnyWidget):
    _esm = """
    export default {
      render({ model, el }) {
        el.classList.add("bench-control");
        el.textContent = "benchmark control";
        const pending = new Map();
        let next = 0;
        const onReply = (msg) => {
          const waiter = pending.get(msg.seq);
          pending.delete(msg.seq);
          if (waiter) msg.error ? waiter.reject(new Error(msg.error)) : waiter.resolve(msg.result);
        };
        model.on("msg:custom", onReply);
        window.benchControl = (command) => new Promise((resolve, reject) => {
          const seq = next++;
          pending.set(seq, { resolve, reject });
          setTimeout(() => reject(new Error(`no reply to ${command.cmd} in 60 s`)), 60000);
          model.send({ seq, ...command });
        });
        return () => model.off("msg:custom", onReply);
      },
    };
    """

commits = []

def metered(call):
    meter.start()
    t0 = time.time()
    call()
    python_ms = (time.time() - t0) * 1000
    return {**meter.stop(), "t0": t0, "python_ms": python_ms}

def naive_boxes(index):
    """The shapes of item `index`, one stroke_rect message per box, the probe box last in red."""
    shapes = sorted(items[index].annotations.list(), key=lambda a: a.label.startswith("probe"))
    view = naive_view
    def draw():
        naive_shapes.line_width = 2
        for label in ("car", "person", "new"):
            naive_shapes.stroke_style = SPEC["labels"][label]
            for a in shapes:
                if (a.label == label) or (label == "new" and a.label.startswith("probe")):
                    (l, t), (r, b) = ((c["x"], c["y"]) for c in a.coordinates)
                    x0, y0 = view.to_canvas(l, t)
                    x1, y1 = view.to_canvas(r, b)
                    naive_shapes.stroke_rect(x0, y0, x1 - x0, y1 - y0)
    return metered(draw)

def build(case, reps):
    """The kernel's ms in Annotator(item), `reps` times after a first (its CPU time and wall clock)."""
    item = {"1 MP": one_mp_item, "12 MP": items[0]}[case]
    cpu, wall = [], []
    for _ in range(reps + 1):
        gc.collect()
        c0, t0 = time.thread_time(), time.perf_counter()
        built = Annotator(item)
        cpu.append((time.thread_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
        built.close()
    return {"cpu": cpu[1:], "wall": wall[1:]}

COMMANDS = {
    "build": build,
    "show": lambda index: metered(lambda: annotator._show(index)),
    "floor": lambda index: metered(lambda: floor.send({"index": index}, buffers=[jpegs[index]])),
    "clear_annotations": lambda: metered(annotator.stage.drawn.clear),
    "redraw": lambda: metered(annotator._redraw),
    "naive_clear": lambda: metered(naive_shapes.clear),
    "naive_boxes": naive_boxes,
    "meter_start": lambda: meter.start(),
    "meter_stop": lambda: meter.stop(),
    "commits": lambda: [commits.copy(), commits.clear()][0],
    "tool": lambda name: annotator.set_tool(name),
    "jpeg_sizes": lambda: [len(j) for j in jpegs],
    "brush": lambda: brush(),
    "stroke_sizes": lambda: [stroke_sizes.copy(), stroke_sizes.clear()][0],
    "save": lambda: metered(annotator.save),
}

stroke_sizes = []

def brush():
    """The brush, BRUSH_SIZE wide, the size of each stroke's message recorded as it arrives."""
    annotator.autosave = False  # saved when the benchmark says (timed apart)
    annotator.set_tool("brush")
    annotator.mask_brush.size = SPEC["brush_size"]
    annotator.stage.on_msg(
        lambda _w, content, _b: stroke_sizes.append(len(json.dumps(content)))
        if content.get("type") == "stroke" else None
    )

def on_command(widget, content, buffers):
    seq, name = content.pop("seq"), content.pop("cmd")
    try:
        widget.send({"seq": seq, "result": COMMANDS[name](**content)})
    except Exception as error:
        widget.send({"seq": seq, "error": f"{name}: {type(error).__name__}: {error}"})

control = Control()
control.on_msg(on_command)
meter.ignored_comms |= {control.comm.comm_id, ping.comm.comm_id}
control
'''

ANNOTATOR_CELL = """\
from dlwidgets.widgets.annotator import Annotator

annotator = Annotator(items)
annotator.set_label("new")
reply = annotator.stage.reply

def recorded_reply(message):
    reply(message)
    if message.get("type") == "committed":  # sent once the kernel holds the box and has drawn it
        commits.append([time.time(), len(annotator.edits.keys())])

annotator.stage.reply = recorded_reply
annotator
"""

# The floor for showing an item: the JPEG in one binary message, decoded with createImageBitmap and drawn
# where the annotator draws it, on a canvas of the annotator's size.
FLOOR_CELL = '''\
class Floor(anywidget.AnyWidget):
    _esm = """
    export default {
      render({ model, el }) {
        const canvas = document.createElement("canvas");
        canvas.className = "bench-floor";
        el.appendChild(canvas);
        const context = canvas.getContext("2d");
        const onImage = async (msg, buffers) => {
          const annotator = document.querySelector("canvas.dlw-gestures");
          if (canvas.width !== annotator.width || canvas.height !== annotator.height)
            [canvas.width, canvas.height] = [annotator.width, annotator.height];
          const bitmap = await createImageBitmap(new Blob([buffers[0]], { type: "image/jpeg" }));
          const scale = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
          const [w, h] = [bitmap.width * scale, bitmap.height * scale];
          context.clearRect(0, 0, canvas.width, canvas.height);
          context.drawImage(bitmap, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
          bitmap.close();
        };
        model.on("msg:custom", onImage);
        return () => model.off("msg:custom", onImage);
      },
    };
    """

floor = Floor()
floor
'''

NAIVE_SHAPES_CELL = """\
from ipycanvas import Canvas, hold_canvas

from dlwidgets.widgets.models.viewport import Viewport

naive_view = Viewport(*SPEC["canvas"])  # the naive canvases' own size, the image fitted
naive_view.fit(*SPEC["image"])
naive_shapes = Canvas(width=SPEC["canvas"][0], height=SPEC["canvas"][1])
naive_shapes.add_class("bench-naive-shapes")
naive_shapes
"""

# The naive drag: every mouse move redraws all the boxes and the rubber band (in one message each, under
# hold_canvas, which is generous to it); the box is drawn red on mouse-up.
NAIVE_DRAG_CELL = """\
naive_drag = Canvas(width=SPEC["canvas"][0], height=SPEC["canvas"][1])
naive_drag.add_class("bench-naive-drag")
view = naive_view
naive_stored = []
for a in items[0].annotations.list():
    (l, t), (r, b) = ((c["x"], c["y"]) for c in a.coordinates)
    x0, y0 = view.to_canvas(l, t)
    x1, y1 = view.to_canvas(r, b)
    naive_stored.append((x0, y0, x1 - x0, y1 - y0, SPEC["labels"].get(a.label, "#ffff00")))
naive_start = {}

def naive_draw(band=None):
    with hold_canvas():
        naive_drag.clear()
        naive_drag.line_width = 2
        for x, y, w, h, color in naive_stored:
            naive_drag.stroke_style = color
            naive_drag.stroke_rect(x, y, w, h)
        if band is not None:
            naive_drag.stroke_style = "#ff0000"
            naive_drag.stroke_rect(*band)

def naive_down(x, y):
    naive_start.update(x=x, y=y)

def naive_move(x, y):
    if naive_start:
        naive_draw((naive_start["x"], naive_start["y"], x - naive_start["x"], y - naive_start["y"]))

def naive_up(x, y):
    x0, y0 = naive_start["x"], naive_start["y"]
    naive_stored.append((x0, y0, x - x0, y - y0, "#ff0000"))
    naive_start.clear()
    naive_draw()

naive_drag.on_mouse_down(naive_down)
naive_drag.on_mouse_move(naive_move)
naive_drag.on_mouse_up(naive_up)
naive_draw()
naive_drag
"""

# Runs a control command while watching canvases: resolves once every check holds (some point of it within
# `tolerance` of its colour, or of none of it with `absent`), with the wall-clock ms from the kernel's call
# (the reply's t0) to the first animation frame that shows it. What is to appear must not be there before.
_TIMED_JS = """async ([checks, command]) => {
  const tolerance = 48;
  const matches = (check) => {
    const hit = check.points.some(([x, y]) => {
      const p = (STAGE_PIXEL)(check.canvas, x, y);
      return p[3] > 200 && check.rgb.every((v, i) => Math.abs(p[i] - v) <= tolerance);
    });
    return check.absent ? !hit : hit;
  };
  const showing = checks.filter((check) => !check.absent);
  if (showing.length && showing.every(matches)) throw new Error("the canvases already show the result");
  const firstSeen = checks.map(() => null);  // when each check first held
  const shown = new Promise((resolve, reject) => {
    const giveUp = setTimeout(() => reject(new Error("not drawn within 30 s")), 30000);
    const frame = () => {
      const now = performance.timeOrigin + performance.now();
      checks.forEach((check, i) => { if (firstSeen[i] === null && matches(check)) firstSeen[i] = now; });
      if (checks.every(matches)) {
        clearTimeout(giveUp);
        resolve(now);
      } else {
        requestAnimationFrame(frame);
      }
    };
    requestAnimationFrame(frame);
  });
  const reply = await window.benchControl(command);
  const at = checks.length ? await shown : performance.timeOrigin + performance.now();
  const t0 = reply.t0 * 1000;
  return { ...reply, drawn_ms: at - t0, checks_ms: firstSeen.map((seen) => seen - t0) };
}"""

_MOUSEUP_WALL_JS = "() => performance.timeOrigin + window.benchMouseUp"


@dataclass
class Check:
    """Some of `points` (canvas pixels) of `canvas` have colour `rgb` (or none of them, if `absent`)."""

    canvas: ElementHandle
    points: list[tuple[float, float]]
    rgb: list[int]
    absent: bool = False

    def arg(self) -> dict[str, Any]:
        points = [[round(x), round(y)] for x, y in self.points]
        return {"canvas": self.canvas, "points": points, "rgb": self.rgb, "absent": self.absent}


class Bench:
    """The benchmark notebook open in a page, and the geometry of what it draws."""

    def __init__(self, notebook: NotebookPage) -> None:
        self.notebook = notebook
        self.page: Page = notebook.page
        self.layers = notebook.wait_widget(".dlw-annotator canvas.dlw-drawing", timeout=180)
        self.gestures = notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
        self.floor = notebook.wait_widget("canvas.bench-floor")
        self.naive_shapes = notebook.wait_widget("canvas.bench-naive-shapes")
        self.naive_drag = notebook.wait_widget("canvas.bench-naive-drag")
        notebook.wait_widget(".bench-control")
        notebook.wait_ready(timeout=180)
        for canvas in (self.gestures, self.naive_drag):
            watch_mouseup(canvas)
        # The annotator's canvas, once sized to its cell; the naive canvases keep SPEC's size.
        self.view = AnnotatorView(notebook).viewport
        width, height = SPEC["image"]
        canvas_width, canvas_height = SPEC["canvas"]
        self.naive_scale = min(canvas_width / width, canvas_height / height)
        self.naive_offset = (
            (canvas_width - width * self.naive_scale) / 2,
            (canvas_height - height * self.naive_scale) / 2,
        )
        self.current_item = 0  # the annotator starts on item 0

    def to_canvas(self, x: float, y: float) -> tuple[float, float]:
        """The annotator's canvas pixels of image point (x, y)."""
        view = self.view
        return x * view["scale"] + view["offset_x"], y * view["scale"] + view["offset_y"]

    def to_naive(self, x: float, y: float) -> tuple[float, float]:
        """The naive canvases' pixels of image point (x, y)."""
        return x * self.naive_scale + self.naive_offset[0], y * self.naive_scale + self.naive_offset[1]

    def on_annotator(self, cell: Cell) -> Cell:
        """A drag given in the naive canvas's pixels, at the same image points on the annotator's."""
        x0, y0, x1, y1 = cell
        scale, (ox, oy) = self.naive_scale, self.naive_offset
        left, top = self.to_canvas((x0 - ox) / scale, (y0 - oy) / scale)
        right, bottom = self.to_canvas((x1 - ox) / scale, (y1 - oy) / scale)
        return left, top, right, bottom

    def command(self, checks: list[Check], cmd: str, **args: Any) -> dict[str, Any]:
        """Run control command `cmd` and wait until `checks` hold; its reply with ``drawn_ms``."""
        result: dict[str, Any] = self.page.evaluate(
            _TIMED_JS.replace("STAGE_PIXEL", STAGE_PIXEL_JS),
            [[c.arg() for c in checks], {"cmd": cmd, **args}],
        )
        return result

    def call(self, cmd: str, **args: Any) -> Any:
        """Run control command `cmd` in the kernel; its result."""
        return self.page.evaluate("(command) => window.benchControl(command)", {"cmd": cmd, **args})

    def item_checks(self, canvas: Locator, index: int, boxes: bool = True) -> list[Check]:
        """Item `index` is on `canvas`: its patch colour, and (with `boxes`) its probe box's outline."""
        handle = canvas.element_handle()
        checks = [Check(handle, [self.to_canvas(*SPEC["patch_check"])], SPEC["patch_rgb"][index])]
        if boxes:
            checks.append(self.probe_check(handle, index))
        return checks

    def probe_check(self, canvas: ElementHandle, index: int, absent: bool = False) -> Check:
        left, top, _, bottom = SPEC["probe_box"]
        x, y = self.to_canvas(left, (top + bottom) / 2)
        return Check(canvas, [(x + dx, y) for dx in (-2, -1, 0, 1, 2)], SPEC["probe_rgb"][index], absent)


def show_item(bench: Bench, rounds: int) -> dict[str, Any]:
    """Switch items in the annotator and show the same JPEGs on the floor widget, each round both, in
    turns first (so that neither always runs just after the other)."""
    annotator_ms, floor_ms, metered = [], [], []
    for r in range(rounds + 1):  # round 0 warms both paths up
        index = (r + 1) % 2
        if r % 2:
            floor = bench.command(bench.item_checks(bench.floor, index, boxes=False), "floor", index=index)
        shown = bench.command(bench.item_checks(bench.layers, index), "show", index=index)
        bench.current_item = index
        if not r % 2:
            floor = bench.command(bench.item_checks(bench.floor, index, boxes=False), "floor", index=index)
        if r:
            annotator_ms.append(shown["drawn_ms"])
            floor_ms.append(floor["drawn_ms"])
            metered.append({**shown, "index": index})
    return {"annotator": annotator_ms, "floor": floor_ms, "metered": metered}


def show_polygons(bench: Bench, rounds: int) -> dict[str, Any]:
    """Show item 0 (1,000 boxes) and item 2 (the same image, 999 polygons of 50 vertices and the probe
    box), each after item 1, in turns."""
    timed: dict[int, list[dict[str, Any]]] = {0: [], 2: []}
    for r in range(rounds + 1):  # round 0 warms both up
        for index in (0, 2) if r % 2 else (2, 0):
            if bench.current_item != 1:
                bench.command(bench.item_checks(bench.layers, 1), "show", index=1)
            shown = bench.command(bench.item_checks(bench.layers, 0), "show", index=index)
            bench.current_item = index
            if r:
                timed[index].append(shown)
    if bench.current_item == 2:  # the steps after this one check items 0 and 1 only
        bench.command(bench.item_checks(bench.layers, 1), "show", index=1)
        bench.current_item = 1
    return {"boxes": timed[0], "polygons": timed[2]}


def redraw_boxes(bench: Bench, rounds: int, naive_rounds: int) -> dict[str, Any]:
    """The annotator's redraw of the current item's 1,000 boxes, and the unbatched per-shape drawing."""
    layers = bench.layers.element_handle()
    index = bench.current_item
    ours, naive = [], []
    for _ in range(rounds):
        bench.command([bench.probe_check(layers, index, absent=True)], "clear_annotations")
        ours.append(bench.command([bench.probe_check(layers, index)], "redraw"))
    canvas = bench.naive_shapes.element_handle()
    left, top, _, bottom = SPEC["probe_box"]
    x, y = bench.to_naive(left, (top + bottom) / 2)
    red = [(x + dx, y) for dx in (-2, -1, 0, 1, 2)]
    for _ in range(naive_rounds):
        bench.command([Check(canvas, red, [255, 0, 0], absent=True)], "naive_clear")
        naive.append(bench.command([Check(canvas, red, [255, 0, 0])], "naive_boxes", index=index))
    return {"ours": ours, "naive": naive}


def drag_cells(count: int) -> list[Cell]:
    """`count` drags (the naive canvas's pixels) in the free area below the patch, none overlapping."""
    cells: list[Cell] = []
    for i in range(count):
        column, row = i % 5, i // 5
        x0, y0 = 508 + column * 48, 182 + row * 42
        cells.append((x0, y0, x0 + 32, y0 + 30))
    return cells


def drag(page: Page, canvas: Locator, cell: Cell, steps: int, watch: Locator) -> float:
    """Drag across `cell` of `canvas`; the ms from the release until the box's outline is red on `watch`."""
    box = canvas.bounding_box()
    assert box is not None
    x0, y0, x1, y1 = cell
    page.mouse.move(box["x"] + x0, box["y"] + y0)
    page.mouse.down()
    page.mouse.move(box["x"] + x1, box["y"] + y1, steps=steps)
    arm_red(watch, outline_points(cell))
    page.mouse.up()
    return wait_red(page)


def outline_points(cell: Cell) -> list[tuple[float, float]]:
    """Pixels on and beside the right edge of a dragged box, between its selection handles (8 px squares
    at the corners and mid-edges) and away from its label."""
    _, y0, x1, _ = cell
    return [(x1 + dx, y0 + 7) for dx in (-2, -1, 0, 1)]


def drag_boxes(bench: Bench, cells: list[Cell], warmup: int) -> dict[str, Any]:
    """Drag a box into each cell; per drag the ms from mouse-up to drawn, and to held by the kernel."""
    page = bench.page
    bench.gestures.scroll_into_view_if_needed()

    def add(cell: Cell) -> tuple[float, float]:
        pixels_ms = drag(page, bench.gestures, bench.on_annotator(cell), steps=4, watch=bench.layers)
        return pixels_ms, page.evaluate(_MOUSEUP_WALL_JS)

    return timed_additions(bench, cells, warmup, add)


def timed_additions(
    bench: Bench, cells: list[Cell], warmup: int, add: Callable[[Cell], tuple[float, float]]
) -> dict[str, Any]:
    """``add`` a shape in each cell (it returns the ms until drawn and the page's wall-clock ms it was
    timed from); per shape after `warmup`, the ms until drawn and until the kernel holds it (one more)."""
    bench.call("commits")
    before = None
    drawn, held = [], []
    for i, cell in enumerate(cells):
        pixels_ms, start_wall = add(cell)
        commits = _wait_commits(bench)
        count = commits[-1][1]
        assert before is None or count == before + 1, f"shape {i}: the kernel holds {count} shapes"
        before = count
        if i >= warmup:
            drawn.append(pixels_ms)
            held.append(commits[-1][0] * 1000 - start_wall)
    return {"drawn": drawn, "held": held}


def _wait_commits(bench: Bench) -> list[list[float]]:
    for _ in range(200):
        commits: list[list[float]] = bench.call("commits")
        if commits:
            return commits
        bench.page.wait_for_timeout(10)
    raise AssertionError("the kernel never committed the dragged box")


def drag_messages(bench: Bench, cell: Cell) -> dict[str, Any]:
    """Messages both ways for one drag of `DRAG_MOVES` moves: the annotator, then the naive canvas."""
    page = bench.page
    result = {}
    for name, canvas, on_canvas, at in (
        ("ours", bench.gestures, bench.layers, bench.on_annotator(cell)),
        ("naive", bench.naive_drag, bench.naive_drag, cell),
    ):
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + at[0] - 20, box["y"] + at[1] - 20)
        bench.call("commits")
        bench.call("meter_start")
        drag(page, canvas, at, steps=DRAG_MOVES, watch=on_canvas)
        if name == "ours":
            _wait_commits(bench)
        # The kernel handles messages in order: the mouse-up before this stop.
        result[name] = bench.call("meter_stop")
    return result


# -- 6. closing a polygon ----------------------------------------------------------------------------------
# The time of the last pointer press on the gesture layer, on the page's clock (the closing click's press
# sends the polygon; its release comes a moment later and starts `wait_red`'s clock).
_WATCH_PRESS_JS = """(element) => element.addEventListener("pointerdown", (event) => {
  window.benchPress = event.timeStamp;
}, { capture: true })"""
_PRESS_TO_RELEASE_JS = "() => window.benchMouseUp - window.benchPress"
_PRESS_WALL_JS = "() => performance.timeOrigin + window.benchPress"


def close_polygons(bench: Bench, cells: list[Cell], warmup: int) -> dict[str, Any]:
    """A triangle clicked into each cell and closed on its first vertex, on the item the boxes were not
    dragged on; per polygon the ms from the closing press until drawn, and until the kernel holds it."""
    other = 1 - bench.current_item
    bench.command(bench.item_checks(bench.layers, other), "show", index=other)
    bench.current_item = other
    bench.call("tool", name="polygon")
    page = bench.page
    bench.gestures.scroll_into_view_if_needed()
    bench.gestures.evaluate(_WATCH_PRESS_JS)
    box = bench.gestures.bounding_box()
    assert box is not None

    def add(cell: Cell) -> tuple[float, float]:
        x0, y0, x1, y1 = bench.on_annotator(cell)
        for x, y in ((x0, y0), (x1, y0), (x0, y1)):
            page.mouse.click(box["x"] + x, box["y"] + y)
        # The top edge's middle, on and beside the outline the kernel draws once the polygon is selected.
        arm_red(bench.layers, [((x0 + x1) / 2, y0 + dy) for dy in (-1, 0, 1)])
        page.mouse.click(box["x"] + x0, box["y"] + y0)  # on the first vertex: closed
        return wait_red(page) + page.evaluate(_PRESS_TO_RELEASE_JS), page.evaluate(_PRESS_WALL_JS)

    closes = timed_additions(bench, cells, warmup, add)
    bench.call("tool", name="box")
    return closes


def polygon_close_figures(closes: dict[str, Any], pings: list[float]) -> list[Figure]:
    both = [max(a, b) for a, b in zip(closes["drawn"], closes["held"], strict=True)]
    both50, both95 = stats(both)
    _, ping95 = stats(pings)
    return [
        Figure(f"6  closing click to polygon stored+drawn p95 ({len(both)} polygons)", both95, "ms",
               ping95 + DRAG_GOAL_OVER_FLOOR_MS, higher_is_better=False),
        Figure("     p50", both50, "ms"),
        Figure(f"     floor: custom-message round trip p95 ({len(pings)}, 3's and more)", ping95, "ms"),
        Figure("     outline drawn p95", stats(closes["drawn"])[1], "ms"),
        Figure("     kernel holds it p95", stats(closes["held"])[1], "ms"),
    ]  # fmt: skip


# -- 7. brush strokes ----------------------------------------------------------------------------------------
# Armed after a stroke's moves and before its release: resolves with the ms from the release to the first
# frame in which the annotation layer shows the label's red over one of `points` (against what the point
# showed when armed: the mask is drawn half transparent, over the image or on a layer of its own).
_ARM_PAINTED_JS = """(canvas, points) => {
  const context = canvas.getContext("2d");
  const pixel = ([x, y]) => context.getImageData(x, y, 1, 1).data;
  const before = points.map(pixel);
  const isPainted = () => points.some((point, i) => {
    const [r, g, , a] = pixel(point);
    const [r0, g0, , a0] = before[i];
    // Over the image (one composited canvas), or alone on a transparent layer of its own.
    return (r - r0 > 30 && g0 - g > 20) || (a - a0 > 30 && r > 200 && g < 60);
  });
  window.benchMouseUp = undefined;
  window.benchPainted = new Promise((resolve, reject) => {
    const armed = performance.now();
    const frame = (now) => {
      if (window.benchMouseUp !== undefined && isPainted()) resolve(performance.now() - window.benchMouseUp);
      else if (now - armed > 10000) reject(new Error("the stroke was not drawn in 10 s"));
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}"""


def stroke_path(index: int) -> list[tuple[float, float]]:
    """Stroke `index`'s zigzag in image pixels: two columns of strokes down the free area, none touching."""
    left, top, right, _ = SPEC["stroke_area"]
    width = (right - left) // 2 - 100
    x0, y0 = left + 50 + (index % 2) * (width + 100), top + 50 + (index // 2) * 150
    return [(x0 + width * k / 5, y0 + (30 if k % 2 else -30)) for k in range(6)]


def settled(page: Page, element: Locator) -> None:
    """Wait until `element` has stayed in one place for half a second."""
    places: list[Any] = []
    for _ in range(100):
        places = [*places[-4:], element.bounding_box()]
        if len(places) == 5 and all(p == places[0] for p in places):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{element} kept moving: {places}")


def brush_strokes(bench: Bench, count: int, warmup: int) -> dict[str, Any]:
    """Paint `count` + `warmup` strokes with the brush on item 0; per stroke the ms from mouse-up to the
    stroke drawn and to the kernel holding it, each message's size, and the save of the mask after."""
    if bench.current_item != 0:
        bench.command(bench.item_checks(bench.layers, 0), "show", index=0)
        bench.current_item = 0
    page, canvas = bench.page, bench.gestures
    # A click with the box tool (it draws nothing) makes the annotator's cell the active one first: the
    # page lays it out anew then, which must not happen under the first stroke.
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] - 5, box["y"] + box["height"] - 5)
    bench.call("brush")
    settled(page, canvas)  # and the toolbar above the canvas may wrap anew for the brush's controls
    bench.call("commits")
    drawn, held = [], []
    for i in range(count + warmup):
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()  # where it is now: the toolbar above may have grown
        assert box is not None
        points = [bench.to_canvas(x, y) for x, y in stroke_path(i)]
        page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y, steps=10)
        middles = [((x0 + x1) / 2, (y0 + y1) / 2) for (x0, y0), (x1, y1) in itertools.pairwise(points)]
        bench.layers.evaluate(_ARM_PAINTED_JS, [[round(x), round(y)] for x, y in middles])
        page.mouse.up()
        drawn_ms: float = page.evaluate("() => window.benchPainted")
        up_wall = page.evaluate(_MOUSEUP_WALL_JS)
        commits = _wait_commits(bench)
        if i >= warmup:
            drawn.append(drawn_ms)
            held.append(commits[-1][0] * 1000 - up_wall)
    sizes: list[int] = bench.call("stroke_sizes")
    assert len(sizes) == count + warmup, f"{len(sizes)} stroke messages for {count + warmup} strokes"
    save = bench.call("save")
    return {"drawn": drawn, "held": held, "sizes": sizes, "save_ms": save["python_ms"]}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shows", type=int, default=10, help="item switches timed (and floor shows)")
    parser.add_argument("--redraws", type=int, default=5, help="annotation-layer redraws timed")
    parser.add_argument("--drags", type=int, default=36, help="box drags timed (at most 38)")
    parser.add_argument("--rounds", type=int, default=200, help="custom-message round trips (floor)")
    parser.add_argument("--strokes", type=int, default=24, help="brush strokes timed (at most 24)")
    parser.add_argument("--builds", type=int, default=15, help="Annotators built per case, timed")
    parser.add_argument("--brush-only", action="store_true", help="measure the brush strokes alone")
    parser.add_argument("--build-only", action="store_true", help="measure building an Annotator alone")
    parser.add_argument("--ui", choices=["lab", "notebook7"], default="lab")
    args = parser.parse_args()
    ui: UI = args.ui
    warmup = 2
    cells = drag_cells(min(args.drags, 38) + warmup + 1)

    with lab_in_chromium("annotator") as (scratch, server, _, page):
        notebook = open_notebook_page(
            page,
            server,
            ui,
            [
                f"SPEC = json.loads({json.dumps(SPEC)!r})\n{DATA_CELL}",
                PING_CELL,
                CONTROL_CELL,
                ANNOTATOR_CELL,
                FLOOR_CELL,
                NAIVE_SHAPES_CELL,
                NAIVE_DRAG_CELL,
            ],
            nb_path="annotator.ipynb",
            out_dir=scratch / "out",
            console=record_console(page),
        )
        where = "JupyterLab 4" if ui == "lab" else "Notebook 7"
        progress(f"{where} in headless Chromium, TCP_NODELAY on; two 12 MP JPEGs, 1,000 boxes each")
        notebook.run_all()
        bench = Bench(notebook)
        view = bench.view
        progress(f"the annotator's canvas fills its cell: {view['canvas_width']} x {view['canvas_height']}")
        if args.brush_only:
            progress("painting brush strokes ...")
            pings = ping_round_trips(page, args.rounds // 2)
            strokes = brush_strokes(bench, min(args.strokes, 24), warmup)
            notebook.close()
            return report(*brush_figures(strokes, pings))
        progress("building Annotators ...")
        builds = {case: bench.call("build", case=case, reps=args.builds) for case in ("1 MP", "12 MP")}
        if args.build_only:
            notebook.close()
            return report(*build_figures(builds))
        jpeg_sizes = bench.call("jpeg_sizes")
        progress("showing items ...")
        ping_round_trips(page, 20)
        shows = show_item(bench, args.shows)
        progress("showing 1,000 polygons and 1,000 boxes ...")
        polygons = show_polygons(bench, args.shows // 2)
        progress("redrawing 1,000 boxes ...")
        redraws = redraw_boxes(bench, args.redraws, naive_rounds=2)
        progress("dragging boxes ...")
        pings = ping_round_trips(page, args.rounds // 2)
        drags = drag_boxes(bench, cells[:-1], warmup)
        pings += ping_round_trips(page, args.rounds - args.rounds // 2)
        messages = drag_messages(bench, cells[-1])
        progress("closing polygons ...")
        closes = close_polygons(bench, cells[:-1], warmup)
        close_pings = pings + ping_round_trips(page, args.rounds // 4)
        progress("painting brush strokes ...")
        strokes = brush_strokes(bench, min(args.strokes, 24), warmup)
        notebook.close()

    return report(
        *build_figures(builds),
        *figures(jpeg_sizes, shows, redraws, pings, drags, messages),
        *polygon_figures(polygons),
        *polygon_close_figures(closes, close_pings),
        *brush_figures(strokes, pings),
    )


def figures(
    jpeg_sizes: list[int],
    shows: dict[str, Any],
    redraws: dict[str, Any],
    pings: list[float],
    drags: dict[str, Any],
    messages: dict[str, Any],
) -> list[Figure]:
    # The show that sent the most beyond its own JPEG.
    show = max(shows["metered"], key=lambda m: m["bytes"] - jpeg_sizes[m["index"]])
    jpeg = jpeg_sizes[show["index"]]
    ours_ms, floor_ms = statistics.median(shows["annotator"]), statistics.median(shows["floor"])
    image_ms = statistics.median(m["checks_ms"][0] for m in shows["metered"])
    kernel_ms = statistics.median(m["python_ms"] for m in shows["metered"])
    redraw = max(redraws["ours"], key=lambda m: m["bytes"])
    redraw_ms = statistics.median(r["drawn_ms"] for r in redraws["ours"])
    naive = redraws["naive"][0]
    naive_ms = statistics.median(r["drawn_ms"] for r in redraws["naive"])
    drawn50, drawn95 = stats(drags["drawn"])
    held50, held95 = stats(drags["held"])
    both = [max(a, b) for a, b in zip(drags["drawn"], drags["held"], strict=True)]
    both50, both95 = stats(both)
    ping50, ping95 = stats(pings)
    ours, plain = messages["ours"], messages["naive"]
    return [
        Figure("1a show 12 MP item: bytes kernel->browser", show["bytes"], "B",
               jpeg + SHOW_BYTES_SLACK, higher_is_better=False),
        Figure("     floor: the JPEG itself (goal = floor + 64 KB)", jpeg, "B"),
        Figure("   show 12 MP item: messages kernel->browser", show["messages"], "msgs",
               SHOW_MAX_MESSAGES, higher_is_better=False),
        Figure(f"1b show 12 MP item: call to pixels (median of {len(shows['annotator'])})", ours_ms, "ms",
               SHOW_MAX_RATIO * floor_ms, higher_is_better=False),
        Figure("     floor: one message + createImageBitmap", floor_ms, "ms"),
        Figure("     ratio to floor (goal <= 1.25)", ours_ms / floor_ms, "x"),
        Figure("     its image alone on screen", image_ms, "ms"),
        Figure("     kernel time in the call", kernel_ms, "ms"),
        Figure("2  redraw 1,000 boxes: bytes kernel->browser", redraw["bytes"], "B", REDRAW_GOAL_BYTES,
               higher_is_better=False),
        Figure("   redraw 1,000 boxes: messages", redraw["messages"], "msgs", 1, higher_is_better=False),
        Figure(f"   redraw 1,000 boxes: call to pixels (median of {len(redraws['ours'])})", redraw_ms, "ms"),
        Figure("     per-shape stroke_rect: messages", naive["messages"], "msgs"),
        Figure("     per-shape stroke_rect: bytes", naive["bytes"], "B"),
        Figure("     per-shape stroke_rect: call to pixels", naive_ms, "ms"),
        Figure("     per-shape / batched time", naive_ms / redraw_ms, "x"),
        Figure(f"3  mouse-up to box stored+drawn p95 ({len(both)} drags)", both95, "ms",
               ping95 + DRAG_GOAL_OVER_FLOOR_MS, higher_is_better=False),
        Figure("     p50", both50, "ms"),
        Figure(f"     floor: custom-message round trip p95 ({len(pings)})", ping95, "ms"),
        Figure("     floor: custom-message round trip p50", ping50, "ms"),
        Figure("     outline drawn p50", drawn50, "ms"),
        Figure("     outline drawn p95", drawn95, "ms"),
        Figure("     kernel holds it p50", held50, "ms"),
        Figure("     kernel holds it p95", held95, "ms"),
        Figure(f"4  one box drag ({DRAG_MOVES} moves): browser->kernel", ours["received"], "msgs", 2,
               higher_is_better=False),
        Figure("   one box drag: kernel->browser (comm)", ours["messages"], "msgs"),
        Figure("   one box drag: kernel->browser (status)", ours["status"], "msgs"),
        Figure("   one box drag: bytes kernel->browser", ours["bytes"], "B"),
        Figure("     naive: browser->kernel", plain["received"], "msgs"),
        Figure("     naive: kernel->browser (comm)", plain["messages"], "msgs"),
        Figure("     naive: kernel->browser (status)", plain["status"], "msgs"),
        Figure("     naive: bytes kernel->browser", plain["bytes"], "B"),
        Figure("     naive / ours, all messages",
               (plain["received"] + plain["messages"] + plain["status"])
               / (ours["received"] + ours["messages"] + ours["status"]), "x"),
    ]  # fmt: skip


def build_figures(builds: dict[str, dict[str, list[float]]]) -> list[Figure]:
    one, big = builds["1 MP"], builds["12 MP"]
    return [
        Figure(f"0  kernel builds an Annotator, 1 MP, 50 boxes: CPU (median of {len(one['cpu'])})",
               statistics.median(one["cpu"]), "ms", BUILD_GOAL_MS, higher_is_better=False),
        Figure("     wall clock", statistics.median(one["wall"]), "ms"),
        Figure("   the same, 12 MP, 1,000 boxes: CPU", statistics.median(big["cpu"]), "ms"),
        Figure("     wall clock", statistics.median(big["wall"]), "ms"),
    ]  # fmt: skip


def polygon_figures(shows: dict[str, Any]) -> list[Figure]:
    boxes_ms = statistics.median(m["drawn_ms"] for m in shows["boxes"])
    polygons_ms = statistics.median(m["drawn_ms"] for m in shows["polygons"])
    extra = max(m["bytes"] for m in shows["polygons"]) - max(m["bytes"] for m in shows["boxes"])
    raw = (SPEC["boxes"] - 1) * SPEC["polygon_vertices"] * 4
    return [
        Figure(f"5  show item, 1,000 polygons of 50 vertices (median of {len(shows['polygons'])})",
               polygons_ms, "ms", POLYGONS_MAX_RATIO * boxes_ms, higher_is_better=False),
        Figure("     the same item with 1,000 boxes", boxes_ms, "ms"),
        Figure("     polygons / boxes (goal <= 1.25)", polygons_ms / boxes_ms, "x"),
        Figure("     kernel time in the call: polygons",
               statistics.median(m["python_ms"] for m in shows["polygons"]), "ms"),
        Figure("     kernel time in the call: boxes",
               statistics.median(m["python_ms"] for m in shows["boxes"]), "ms"),
        Figure("   bytes beyond the boxes' show", extra, "B", 1.2 * raw, higher_is_better=False),
        Figure("     raw vertex data as int16 (goal = 1.2 x this)", raw, "B"),
        Figure("   messages", max(m["messages"] for m in shows["polygons"]), "msgs"),
    ]  # fmt: skip


def brush_figures(strokes: dict[str, Any], pings: list[float]) -> list[Figure]:
    drawn50, drawn95 = stats(strokes["drawn"])
    held50, held95 = stats(strokes["held"])
    both50, both95 = stats([max(a, b) for a, b in zip(strokes["drawn"], strokes["held"], strict=True)])
    return [
        Figure(f"7  brush stroke on 12 MP: mouse-up to mask held+drawn p95 ({len(strokes['drawn'])})",
               both95, "ms", STROKE_GOAL_MS, higher_is_better=False),
        Figure("     p50", both50, "ms"),
        Figure(f"     floor: custom-message round trip p95 ({len(pings)})", stats(pings)[1], "ms"),
        Figure("     drawn p50", drawn50, "ms"),
        Figure("     drawn p95", drawn95, "ms"),
        Figure("     kernel holds the new PNG p50", held50, "ms"),
        Figure("     kernel holds the new PNG p95", held95, "ms"),
        Figure("   one stroke's message, largest", max(strokes["sizes"]), "B", STROKE_GOAL_BYTES,
               higher_is_better=False),
        Figure("     median", statistics.median(strokes["sizes"]), "B"),
        Figure("   save of the painted 12 MP mask: kernel time", strokes["save_ms"], "ms"),
    ]  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
