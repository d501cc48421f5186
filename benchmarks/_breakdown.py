"""Where a widget's time to drawn goes in the page: a timeline recorded by the page itself.

`PageTimeline.install(page)` (before the notebook loads) adds a script to the page that notes, on the
page's wall clock (the kernel's, on one machine): each kernel websocket frame as it reaches the page
(message type, the widget model it opens or the custom message it carries, and when the kernel made it:
its header's date, so "... made" beside an arrival parts the kernel's time from the way to the page),
the widget views' elements as they join the page, anywidget's module loads (blob URLs of JavaScript),
every ``createImageBitmap`` and ``ImageDecoder`` decoding (start, end, size), every ``drawImage`` of an
image into a canvas, the canvas calls that draw shapes (per canvas: first, last, count), the pixel reads
of the benchmark's own predicate, the main thread's long tasks and its frames, and the page's loader
(``dlwidgets2``): when it is installed, first asked for by a widget's imported stub, and when each
widget's ``initialize`` and ``render`` through it start and end (the stage's, and the first of any other
widget's; an initialize the loader began as the page made the model, before the stub, is noted when
anywidget asks for it, the decoding's start telling when it began); `print_medians` shows the stage's
way from its comm_open to its first decoding run by run.
`record()` starts a run's timeline and `collect()` ends it; `summary()` turns it into milestones in ms
from the cell's start (the kernel's ``t0``).
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from typing import Any

from playwright.sync_api import Page

_INIT_JS = r"""(() => {
  const trace = { on: false, events: [], canvases: new Map(), frames: [] };
  window.dlwBenchTrace = trace;
  const now = () => performance.timeOrigin + performance.now();
  const log = (kind, data) => { if (trace.on) trace.events.push([now(), kind, data]); };
  const canvasName = (canvas) => canvas && canvas.className || (canvas && canvas.tagName) || "?";

  // Kernel websocket frames (the v1 binary protocol or JSON text), noted before Jupyter handles them.
  const decoder = new TextDecoder();
  const describe = (data) => {
    try {
      let header, content, buffers = 0, size;
      if (typeof data === "string") {
        const msg = JSON.parse(data);
        [header, content, size] = [msg.header, msg.content, data.length];
        buffers = (msg.buffers || []).length;
      } else {
        const view = new DataView(data);
        const count = Number(view.getBigUint64(0, true));
        const offsets = [];
        for (let i = 0; i < count; i++) offsets.push(Number(view.getBigUint64(8 + 8 * i, true)));
        const part = (i) =>
          JSON.parse(decoder.decode(new Uint8Array(data, offsets[i], offsets[i + 1] - offsets[i])));
        header = part(1);
        content = part(4);
        buffers = count - 5;
        size = data.byteLength;
      }
      // When the kernel made the message (its header's date, on the same machine's clock).
      const info = { type: header.msg_type, size, buffers, made: Date.parse(header.date) };
      if (content && content.comm_id) info.comm = content.comm_id;
      const d = content && content.data;
      if (header.msg_type === "comm_open") info.model = d && d.state && d.state._model_name;
      if (header.msg_type === "comm_msg" && d) {
        info.method = d.method;
        if (d.method === "custom") info.custom = d.content && (d.content.type || d.content.event || "?");
        if (d.method === "update") info.keys = Object.keys(d.state || {}).join(",");
      }
      if (header.msg_type === "status") info.state = content.execution_state;
      return info;
    } catch (error) {
      return { type: "?" };
    }
  };
  const NativeSocket = window.WebSocket;
  class TracedSocket extends NativeSocket {
    constructor(...args) {
      super(...args);
      if (String(args[0]).includes("/api/kernels/")) {
        this.addEventListener("message", (event) => { if (trace.on) log("ws", describe(event.data)); });
      }
    }
  }
  window.WebSocket = TracedSocket;

  const nativeBitmap = window.createImageBitmap;
  window.createImageBitmap = function (source, ...rest) {
    const start = now();
    const options = rest.length === 1 || rest.length === 5 ? rest[rest.length - 1] : undefined;
    const bytes = source && source.size;
    return nativeBitmap.call(this, source, ...rest).then((bitmap) => {
      log("bitmap", { start, bytes, options, width: bitmap.width, height: bitmap.height });
      return bitmap;
    });
  };

  // WebCodecs' ImageDecoder: each decoding (its size asked for, the frame's, start and end).
  if (window.ImageDecoder) {
    const nativeDecode = ImageDecoder.prototype.decode;
    ImageDecoder.prototype.decode = function (...args) {
      const start = now();
      return nativeDecode.apply(this, args).then((result) => {
        const { displayWidth: width, displayHeight: height } = result.image;
        log("imagedecoder", { start, width, height });
        return result;
      });
    };
  }

  const nativeUrl = URL.createObjectURL;
  URL.createObjectURL = function (blob) {
    if (blob && blob.type) log("blob", { type: blob.type, bytes: blob.size });
    return nativeUrl.call(this, blob);
  };

  const proto = CanvasRenderingContext2D.prototype;
  const nativeDraw = proto.drawImage;
  proto.drawImage = function (image, ...args) {
    const start = now();
    const result = nativeDraw.call(this, image, ...args);
    log("drawImage", {
      canvas: canvasName(this.canvas), width: image.displayWidth || image.width,
      dest: args.length >= 4 ? args.slice(-2).map(Math.round) : null, ms: now() - start,
    });
    return result;
  };
  for (const name of ["strokeRect", "fillRect", "stroke", "fill", "fillText", "strokeText", "clearRect"]) {
    const native = proto[name];
    proto[name] = function (...args) {
      const start = now();
      const result = native.apply(this, args);
      if (trace.on) {
        const key = `${canvasName(this.canvas)}#${name}`;
        const seen = trace.canvases.get(key) || { first: start, last: start, calls: 0, ms: 0 };
        seen.last = now();
        seen.calls += 1;
        seen.ms += seen.last - start;
        trace.canvases.set(key, seen);
      }
      return result;
    };
  }
  const nativeRead = proto.getImageData;
  proto.getImageData = function (...args) {
    const start = now();
    const result = nativeRead.apply(this, args);
    if (trace.on) {
      const key = `${canvasName(this.canvas)}#getImageData`;
      const seen = trace.canvases.get(key) || { first: start, last: start, calls: 0, ms: 0, max: 0 };
      const ms = now() - start;
      [seen.last, seen.calls, seen.ms] = [now(), seen.calls + 1, seen.ms + ms];
      seen.max = Math.max(seen.max, ms);
      trace.canvases.set(key, seen);
    }
    return result;
  };

  // The page's loader (shared_module.js, `dlwidgets2`): when it is installed, and each widget's
  // initialize and render through it (start, end; the stage's or another widget's), as anywidget calls them.
  let installed;
  const kind = (props) => (props.model.get("view") !== undefined ? "stage" : "first other widget");
  const timed = (name, call) => async (props) => {
    const what = kind(props);
    log(`${name} start`, { what });
    try {
      return await call(props);
    } finally {
      log(`${name} end`, { what });
    }
  };
  Object.defineProperty(window, "dlwidgets2", {
    configurable: true,
    get: () => (log("loader read", {}), installed), // a widget's stub, imported, asks for the loader
    set: (value) => {
      log("loader", {});
      const { initialize, render } = value;
      installed = { ...value, initialize: timed("initialize", initialize), render: timed("render", render) };
    },
  });

  // The widget views' elements as they join the page.
  const seenClasses = new Set();
  new MutationObserver((records) => {
    if (!trace.on) return;
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLElement)) continue;
        const elements = [node, ...node.querySelectorAll("[class*=dlw-], canvas, .jupyter-widgets")];
        for (const element of elements) {
          const classes = Array.from(element.classList).filter((c) => /^(dlw|widget)-/.test(c));
          const name = element.tagName === "CANVAS" ? `canvas.${element.className}` : classes.join(".");
          if (name && !seenClasses.has(name)) {
            seenClasses.add(name);
            log("element", { name });
          }
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });

  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      log("longtask", { start: performance.timeOrigin + entry.startTime, ms: entry.duration });
    }
  }).observe({ type: "longtask" });
  const frame = () => {
    if (trace.on) trace.frames.push(now());
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  trace.start = () => {
    [trace.events, trace.frames, trace.on] = [[], [], true];
    trace.canvases = new Map();
    seenClasses.clear();
  };
  trace.stop = () => {
    trace.on = false;
    return {
      events: trace.events, frames: trace.frames, canvases: Object.fromEntries(trace.canvases),
    };
  };
})();"""


class PageTimeline:
    """The page's own record of one run (see the module's docstring); with `profile`, also V8's sampling
    profile of the run: the main thread's JavaScript time by the script it ran (the labextension, a blob
    module: anywidget's, the widgets' own) in ``profile``."""

    def __init__(self, page: Page, profile: bool = False) -> None:
        self.page = page
        self.profile = profile
        self._session: Any = None

    @staticmethod
    def install(page: Page, profile: bool = False) -> PageTimeline:
        page.add_init_script(_INIT_JS)
        return PageTimeline(page, profile)

    def record(self) -> None:
        if self.profile:
            if self._session is None:
                self._session = self.page.context.new_cdp_session(self.page)
                self._session.send("Profiler.enable")
                self._session.send("Profiler.setSamplingInterval", {"interval": 250})
            self._session.send("Profiler.start")
        self.page.evaluate("() => window.dlwBenchTrace.start()")

    def collect(self) -> dict[str, Any]:
        trace: dict[str, Any] = self.page.evaluate("() => window.dlwBenchTrace.stop()")
        if self.profile:
            trace["profile"] = _by_script(self._session.send("Profiler.stop")["profile"])
        return trace


TOP_FUNCTIONS = True  # the self time of each function too


def _script(url: str) -> str:
    """What a script URL is: a labextension's name, a blob module, JupyterLab itself."""
    if not url:
        return "(native/no url)"
    if "/extensions/" in url:
        return "ext " + url.split("/extensions/")[1].split("/static")[0]
    if url.startswith("blob:"):
        return "blob module"
    return "jupyterlab" if "/static/" in url else url[:50]


def _by_script(profile: dict[str, Any]) -> dict[str, float]:
    """A V8 CPU profile's self time (ms) by script, the idle time left out."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    out: dict[str, float] = {}
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=False):
        frame = nodes[node_id]["callFrame"]
        name = frame["functionName"] if frame["functionName"].startswith("(") else _script(frame["url"])
        if name not in ("(idle)", "(program)"):
            out[name] = out.get(name, 0) + delta / 1000
            if TOP_FUNCTIONS:
                function = f"fn {frame['functionName'] or '?'} @ {_script(frame['url'])}"
                out[function] = out.get(function, 0) + delta / 1000
    return out


def summary(trace: dict[str, Any], t0: float, milestones: Sequence[float]) -> dict[str, float]:
    """A run's milestones in ms from the cell's start (`t0`, the kernel's clock in s); `milestones` are the
    predicate's (ms from t0): first paint and drawn."""
    at = t0 * 1000
    out: dict[str, float] = {}

    def first(name: str, value: float) -> None:
        if name not in out:
            out[name] = value - at

    opens = 0
    opened: dict[str, float] = {}
    for t, kind, data in trace["events"]:
        if kind == "ws":
            made = data.get("made") or t  # the kernel's time of the message
            if data["type"] == "status" and data.get("state") == "busy":
                first("kernel busy", t)
            if data["type"] == "comm_open":
                opens += 1
                first("first comm_open", t)
                out["last comm_open"] = t - at
                out["last comm_open made"] = made - at
                opened[data.get("comm")] = t
            if data["type"] == "comm_msg" and data.get("custom") == "image" and data["buffers"]:
                first("stage comm_open", opened.get(data.get("comm"), t))
                name = "image message" if "image message" not in out else "image message 2"
                out[name] = t - at
                out[f"{name} bytes"] = data["size"]
            if data["type"] == "comm_msg" and data.get("buffers") and data.get("custom") != "image":
                out["last binary message"] = t - at
            if data["type"] == "execute_result":
                first("execute_result made", made)
            if data["type"] == "execute_reply" or (data["type"] == "status" and data.get("state") == "idle"):
                first("kernel idle", t)
                first("kernel idle made", made)
        elif kind in ("bitmap", "imagedecoder"):  # the thumbnail, the fit and the full image, in order
            n = sum(1 for k in out if k.startswith("decode ") and k.endswith(" end"))
            out[f"decode {n} start"] = data["start"] - at
            out[f"decode {n} end"] = t - at
            out[f"decode {n} size"] = data["width"] * data["height"] / 1e6
        elif kind == "drawImage":
            n = sum(1 for k in out if k.startswith("drawImage ") and k.endswith(" at"))
            out[f"drawImage {n} at"] = t - at
            out[f"drawImage {n} ms"] = data["ms"]
        elif kind == "element":
            first(f"el {data['name']}", t)
        elif kind == "blob":
            out["js blobs"] = out.get("js blobs", 0) + (data["type"] == "text/javascript")
            if data["type"] == "text/javascript":
                first("first js blob", t)
                out["last js blob"] = t - at
                if data["bytes"] < 400:  # a widget's `_esm`, the stub naming the loader
                    first("first stub blob", t)
                    out["last stub blob"] = t - at
        elif kind == "loader":
            first("loader installed", t)
        elif kind == "loader read":
            first("first stub ran", t)
        elif kind in ("initialize start", "initialize end", "render start", "render end"):
            first(f"{data['what']} {kind}", t)
        elif kind == "longtask":
            start = data["start"] - at
            if start < milestones[-1]:
                out["long tasks ms"] = out.get("long tasks ms", 0) + data["ms"]
                out["longest task ms"] = max(out.get("longest task ms", 0), data["ms"])
    out["models opened"] = opens
    for key, seen in trace["canvases"].items():
        if key.endswith("#strokeRect") or key.endswith("#stroke"):
            out[f"{key} first"] = seen["first"] - at
            out[f"{key} last"] = seen["last"] - at
            out[f"{key} calls"] = seen["calls"]
        if key.endswith("#getImageData"):
            out["pixel reads ms"] = out.get("pixel reads ms", 0) + seen["ms"]
            out["pixel read max ms"] = max(out.get("pixel read max ms", 0), seen["max"])
    frames = [f - at for f in trace["frames"] if f - at <= milestones[-1]]
    gaps = [b - a for a, b in itertools.pairwise(frames)]
    out["frames"] = len(frames)
    out["longest frame gap"] = max(gaps, default=0)
    out["first paint"], out["drawn"] = milestones[0], milestones[-1]
    profile = trace.get("profile", {})
    for script, ms in profile.items():
        if not script.startswith("fn ") or ms >= sorted(profile.values())[-12]:
            out[f"js {script} ms"] = ms
    return out


def print_medians(name: str, runs: list[dict[str, float]]) -> None:
    """Each key's median over `runs`, in the order of its median (events before counts)."""
    keys = {k for run in runs for k in run}
    medians = {k: statistics.median(run[k] for run in runs if k in run) for k in keys}
    counts = {k for k in keys if k.endswith(("calls", "bytes", "size", "opened", "blobs", "frames", " ms"))}
    print(f"-- {name}: page timeline, median over {len(runs)} runs, ms from the cell's start")
    for key in sorted(keys - counts, key=lambda k: medians[k]):
        present = sum(1 for run in runs if key in run)
        seldom = f"  (in {present} of {len(runs)})" if present < len(runs) else ""
        print(f"   {medians[key]:8.1f}  {key}{seldom}")
    for key in sorted(counts):
        print(f"   {medians[key]:8.1f}  {key}")
    chain = [k for k in sorted(keys - counts, key=lambda k: medians[k]) if k.startswith(_CHAIN)]
    print("   each run, the stage's way from its comm_open to its first decoding:")
    for run in runs:
        print("     " + ", ".join(f"{k} {run[k]:.1f}" for k in chain if k in run))


_CHAIN = ("stage", "first stub", "loader", "decode 0 start")
