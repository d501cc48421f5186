"""The kernel's time in the cell that shows a widget, beside the peers' same cell, in a real ipykernel.

The cells are benchmarks/peers.py's (its data cell: the same JPEGs, boxes and widget calls): dlwidgets'
``Annotator(item)``, jupyter-bbox-widget's, ipyannotations' and, as a floor, a bare anywidget sent the
same JPEG as bytes (``Bare(image=path.read_bytes())``, a module doing nothing), in turns. Like peers.py,
the script runs itself again in the peers' venv (see _peer_venv.py) with this checkout on PYTHONPATH;
``--no-peers`` stays in this interpreter with dlwidgets and the bare anywidget only. Two settings:

- by default, a kernel started through jupyter_client alone: no server, no page, so the kernel's own
  time without the server's and the page's work competing for the CPU;
- ``--lab``: the notebook in JupyterLab 4 in headless Chromium, each widget shown until drawn as
  peers.py does (its stage cell, _stage.py): the kernel's time as peers.py sees it.

For each widget, the medians of: cell, from the cell's first line to the kernel's idle status (by
default only: the build, the display and the rest of the execution); build, the call making the
widget: wall and CPU ms of the kernel's main thread, and the CPU ms of the IOPub thread meanwhile (it
sends each message beside the main thread, taking the GIL); its messages and their KB (by default only:
content and buffers, the envelope left out); ms per message, the build's wall ms beside its API calls.
Then, for dlwidgets, the build's wall ms split among what it runs through (see _kernel_spans.py): API
calls and the workspace, the drawing, widget state, the comm's messages and the hand-off to the IOPub
thread, the display; the kernel's first Annotator apart; with ``--profile``, cProfile's top functions.
With ``--lab``, each of its messages' passage too: made by the kernel's main thread, sent by its IOPub
thread, handed on by the Jupyter server (to a second websocket client of the kernel, a thread of this
script: on a machine loaded beyond its cores that thread may be late itself), handed to the page.

    python benchmarks/kernel_cell.py [--reps 20] [--case 1mp|12mp|portrait] [--lab] [--profile]
                                     [--no-peers]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import _peer_venv
from peers import CANVAS, CASES, DATA_CELL, PEERS, geometry, shown_js

REPO = Path(__file__).resolve().parents[1]
CASE_NAMES = {"1mp": "1 MP, 50 boxes", "12mp": "12 MP, 1,000 boxes", "portrait": "12 MP portrait, 50 boxes"}
_IN_VENV = "DLWIDGETS_KERNEL_CELL_VENV"

BARE_CELL = '''
import anywidget, traitlets

class Bare(anywidget.AnyWidget):
    """The floor: a JPEG's bytes on a model whose module does nothing."""
    _esm = "export default { render() {} };"
    image = traitlets.Bytes().tag(sync=True)

def show_bare(case):
    return Bare(image=PATHS[case].read_bytes())
'''

SHOW = {
    "dlwidgets": "show_dlwidgets({case!r})",
    "bbox-widget": "show_bbox_widget({case!r})",
    "ipyannotations": "show_ipyannotations({case!r})",
    "bare anywidget": "show_bare({case!r})",
}
# The cell building a widget under the spans; the figures of the runs so far stay in the kernel.
BUILD = "_built, _figures = _kernel_spans.measure(lambda: {call})\n_FIGURES.append(_figures)\n"
# Read after each run in a kernel alone: the figures, the display's added (finish), and the widget closed.
READ = "_kernel_spans.finish()\n_built.close()\ngc.collect()\nprint(json.dumps(_FIGURES[-1]))"
Figures = dict[str, float]


def setup_cell(out: str | None) -> str:
    """The kernel's first cell: the spans, and (without the harness's) `OUT` and `dump` for the data cell."""
    specs = {name: geometry(w, h) for name, (w, h, _) in CASES.items()}
    lines = [
        "import gc, json, sys, time",
        "from pathlib import Path",
        f"sys.path.insert(0, {str(REPO / 'benchmarks')!r})",
        "import _kernel_spans",
        "_kernel_spans.install()",
        "_FIGURES = []",
        f"CASES = {CASES!r}",
        f"SPECS = {specs!r}",
        f"CANVAS = {CANVAS!r}",
    ]
    if out is not None:
        lines += [
            f"OUT = Path({out!r})",
            "def dump(name, data):",
            "    (OUT / name).write_text(json.dumps(data))",
        ]
    return "\n".join(lines) + "\n"


def data_cell(with_peers: bool) -> str:
    """peers.py's data cell (without the peers' imports when they are not installed) and the floor's."""
    if with_peers:
        return DATA_CELL + BARE_CELL
    peers = ("from jupyter_bbox_widget", "from ipyannotations")
    return "\n".join(line for line in DATA_CELL.splitlines() if not line.startswith(peers)) + BARE_CELL


class BareKernel:
    """An ipykernel started through jupyter_client (this interpreter's), run cell by cell."""

    def __init__(self, scratch: Path, with_peers: bool) -> None:
        from jupyter_client.manager import start_new_kernel

        self.manager, self.client = start_new_kernel(kernel_name="python3")
        self.run(setup_cell(str(scratch)))
        self.run(data_cell(with_peers))

    def run(self, code: str, timeout: float = 600) -> tuple[str, list[tuple[float, dict[str, Any]]]]:
        """Run `code`: its printed text and its IOPub messages, each with the time this client got it."""
        msg_id = self.client.execute(code, store_history=False)
        received: list[tuple[float, dict[str, Any]]] = []
        while True:
            msg = self.client.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            received.append((time.time(), msg))
            content = msg["content"]
            if msg["msg_type"] == "error":
                raise RuntimeError(f"the kernel failed: {content['ename']}: {content['evalue']}")
            if msg["msg_type"] == "status" and content["execution_state"] == "idle":
                break
        text = "".join(m["content"].get("text", "") for _, m in received if m["msg_type"] == "stream")
        return text, received

    def show(self, widget: str, case: str) -> Figures:
        """One cell showing `widget` for `case` as its value, then the widget closed: its figures."""
        _, received = self.run(BUILD.format(call=SHOW[widget].format(case=case)) + "_built")
        text, _ = self.run(READ)
        figures: Figures = json.loads(text)
        t0 = received[0][1]["header"]["date"].timestamp()  # the busy status, as the cell starts
        sent = [m for _, m in received if m["msg_type"] in ("comm_open", "comm_msg", "execute_result")]
        figures["cell"] = (received[-1][1]["header"]["date"].timestamp() - t0) * 1000
        figures["messages"] = len(sent)
        figures["kb"] = sum(_kb(m) for m in sent)
        return figures

    def profile(self, case: str, builds: int, top: int) -> None:
        """cProfile over `builds` more Annotators (wall clock; the profiler slows them: read shares)."""
        call = SHOW["dlwidgets"].format(case=case)
        self.run("import cProfile, pstats, io\n_profiler = cProfile.Profile()")
        for _ in range(builds):
            self.run(f"_profiler.enable()\n_built = {call}\n_profiler.disable()\n_built")
            self.run("_built.close()\ngc.collect()")
        for order in ("tottime", "cumulative"):
            text, _ = self.run(
                f"_out = io.StringIO()\npstats.Stats(_profiler, stream=_out).sort_stats({order!r})"
                f".print_stats({top})\nprint(_out.getvalue())"
            )
            print(text)

    def close(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def _kb(msg: dict[str, Any]) -> float:
    """The KB of a message's content and buffers (the envelope left out)."""
    content = len(json.dumps(msg["content"], default=str))
    return (content + sum(memoryview(b).nbytes for b in msg.get("buffers") or ())) / 1000


@contextmanager
def bare_kernel(with_peers: bool) -> Iterator[BareKernel]:
    with tempfile.TemporaryDirectory(prefix="dlwidgets-kernel-cell-") as tmp:
        kernel = BareKernel(Path(tmp), with_peers)
        try:
            yield kernel
        finally:
            kernel.close()


# The floor's "drawn": its view is in the output area (its module draws nothing).
_OUTPUT_JS = "(out) => [out.querySelectorAll('.jp-OutputArea-output').length > 0]"


# In the page: the main thread's time each kernel websocket message is handed to the page (its msg_id).
_PAGE_RECEIPTS_JS = """(() => {
  const receipts = [];
  window.kernelCellReceipts = receipts;
  const decoder = new TextDecoder();
  const NativeSocket = window.WebSocket;
  class ReceiptSocket extends NativeSocket {
    constructor(...args) {
      super(...args);
      if (!String(args[0]).includes("/api/kernels/")) return;
      this.addEventListener("message", (event) => {
        const at = performance.timeOrigin + performance.now();
        try {
          let header;
          if (typeof event.data === "string") {
            header = JSON.parse(event.data).header;
          } else {  // v1.kernel.websocket.jupyter.org: offsets, then channel, header, ...
            const view = new DataView(event.data);
            const [start, end] = [16, 24].map((at) => Number(view.getBigUint64(at, true)));
            header = JSON.parse(decoder.decode(new Uint8Array(event.data, start, end - start)));
          }
          receipts.push([header.msg_id, at]);
        } catch (error) { /* not a message of the kernel's */ }
      });
    }
  }
  window.WebSocket = ReceiptSocket;
})();"""


Passage = tuple[str, float, float, float, float]  # type; ms made, sent, by the server, at the page


class Transit:
    """When each kernel message of a run was made (its header's date), sent by the kernel's IOPub thread,
    handed on by the Jupyter server (to a second websocket client of the kernel, in a thread of this
    process: no page's main thread in its way) and handed to the page's main thread."""

    def __init__(self, page: Any) -> None:
        page.add_init_script(_PAGE_RECEIPTS_JS)
        self.page = page
        self.frames: list[tuple[float, dict[str, Any]]] = []
        self.on = False

    def tap(self, url: str) -> None:
        """Listen to the kernel's websocket at `url` beside the page, from now on."""
        connected = threading.Event()
        threading.Thread(target=asyncio.run, args=(self._listen(url, connected),), daemon=True).start()
        if not connected.wait(30):
            raise RuntimeError(f"no websocket to the kernel at {url}")

    async def _listen(self, url: str, connected: threading.Event) -> None:
        from _stage import _headers
        from tornado.websocket import websocket_connect

        socket = await websocket_connect(url, subprotocols=["v1.kernel.websocket.jupyter.org"])
        connected.set()
        while (payload := await socket.read_message()) is not None:
            if self.on:
                self.frames.append((time.time(), _headers(payload)[0]))

    def start(self) -> None:
        self.frames = []
        self.on = True
        self.page.evaluate("() => { window.kernelCellReceipts.length = 0; }")

    def stop(self, t0: float, t1: float, sent: dict[str, float]) -> list[Passage]:
        """The comm messages made between `t0` and `t1` (the kernel's s): type, ms made, given to the
        kernel's socket (`sent`, by msg_id), handed on by the server and at the page's main thread."""
        self.on = False
        receipts = dict(self.page.evaluate("() => window.kernelCellReceipts"))
        messages = []
        for at, header in self.frames:
            if header.get("msg_type") not in ("comm_open", "comm_msg"):
                continue
            made = datetime.fromisoformat(header["date"].replace("Z", "+00:00")).timestamp()
            msg_id = header["msg_id"]
            if t0 <= made <= t1 and msg_id in receipts and msg_id in sent:
                ms = [(t - t0) * 1000 for t in (made, sent[msg_id], at, receipts[msg_id] / 1000)]
                messages.append((header["msg_type"], ms[0], ms[1], ms[2], ms[3]))
        return sorted(messages, key=lambda m: m[1])


class LabStage:
    """The notebook in JupyterLab: each widget shown on peers.py's stage until drawn, then closed."""

    def __init__(self, stage: Any, transit: Transit) -> None:
        self.stage = stage
        self.transit = transit
        self.transits: list[list[Passage]] = []

    def show(self, widget: str, case: str) -> Figures:
        stage = self.stage
        stage.cleanup()
        build = BUILD.format(call=SHOW[widget].format(case=case))
        shown = _OUTPUT_JS if widget == "bare anywidget" else shown_js(widget, case)
        self.transit.start()
        run = stage.run(build + "staged(_built)", shown)
        stage.cleanup()
        dump = (
            "_kernel_spans.finish()\n"
            f"dump('figures.json', {{'run': {stage.runs}, 'sent': _kernel_spans.SENT, **_FIGURES[-1]}})"
        )
        stage.run(dump + "\nNone", "(out) => [true]")
        number = stage.runs - 1
        figures = stage.notebook.wait_file("figures.json", until=lambda f: f["run"] == number)
        if widget == "dlwidgets":
            end = run["t0"] + run["kernel_ms"] / 1000
            self.transits.append(self.transit.stop(run["t0"], end, figures.pop("sent")))
        figures.pop("sent", None)
        return {**figures, "drawn": run["ms"][-1]}

    def report(self) -> None:
        """The dlwidgets messages' medians: made, at the browser, at the page."""
        runs = [r for r in self.transits[1:] if len(r) == len(self.transits[-1])]
        if not runs:
            return
        print("dlwidgets' messages, ms from the cell's start (medians): made by the kernel's main thread,")
        print("sent by its IOPub thread, handed on by the server, handed to the page's main thread")
        for i, (kind, *_) in enumerate(runs[-1]):
            made, sent, browser, page = (statistics.median(r[i][k] for r in runs) for k in (1, 2, 3, 4))
            print(f"  {i + 1:>2} {kind:<10} {made:6.1f} {sent:8.1f} {browser:8.1f} {page:8.1f}")


@contextmanager
def lab_page(with_peers: bool) -> Iterator[LabStage]:
    """JupyterLab 4 in headless Chromium with the notebook open and run."""
    from _browser import lab_in_chromium
    from _stage import STAGE_CELL, STAGE_SETUP, Stage
    from e2e.page import open_notebook_page, record_console

    with lab_in_chromium("kernel-cell") as (scratch, server, _, page):
        transit = Transit(page)
        cells = [setup_cell(None) + data_cell(with_peers), STAGE_SETUP, STAGE_CELL]
        notebook = open_notebook_page(
            page, server, "lab", cells, nb_path="kernel.ipynb", out_dir=scratch / "out",
            console=record_console(page),
        )  # fmt: skip
        notebook.run_all()
        notebook.wait_ready(timeout=300)
        stage = Stage(notebook)
        kernel = next(s for s in server.sessions() if s["path"] == notebook.nb_path)["kernel"]["id"]
        transit.tap(
            f"ws://127.0.0.1:{server.port}/api/kernels/{kernel}/channels"
            f"?session_id={uuid.uuid4().hex}&token={server.token}"
        )
        try:
            yield LabStage(stage, transit)
        finally:
            stage.cleanup()
            notebook.close()


def median(runs: list[Figures], key: str) -> float:
    return statistics.median(r.get(key, 0.0) for r in runs)


def report(results: dict[str, list[Figures]], first: Figures, case: str, lab: bool) -> None:
    from _kernel_spans import LABELS

    where = (
        "the notebook in JupyterLab 4, each widget drawn" if lab else "a kernel alone (no server, no page)"
    )
    print(f"{CASE_NAMES[case]}, {where}: the kernel's ms (median of {len(results['dlwidgets'])} runs)")
    columns = ["drawn"] if lab else ["cell"]
    columns += ["build", "CPU", "IOPub", "msgs"] + ([] if lab else ["KB"]) + ["ms/msg"]
    print(f"{'widget':<16}" + "".join(f"{c:>8}" for c in columns))
    for widget, runs in results.items():
        values = {
            "cell": median(runs, "cell"),
            "drawn": median(runs, "drawn"),
            "build": median(runs, "wall"),
            "CPU": median(runs, "cpu"),
            "IOPub": median(runs, "iopub_cpu"),
            "msgs": median(runs, "count:comm"),
            "KB": median(runs, "kb"),
            "ms/msg": (median(runs, "wall") - median(runs, "span:api") - median(runs, "span:store"))
            / max(median(runs, "count:comm"), 1),
        }
        print(f"{widget:<16}" + "".join(f"{values[c]:>8.1f}" for c in columns))
    print(
        "  cell: the cell's first line to its idle status; drawn: the page's, from the cell's start;\n"
        "  build: the widget's call (wall; the main thread's CPU; the IOPub thread's CPU meanwhile);\n"
        "  msgs: messages the build sent; ms/msg: the build's wall ms beside its API calls, per message"
    )
    ours = results["dlwidgets"]
    print("dlwidgets' build, its wall ms split (each part's own ms; calls per build):")
    spans = 0.0
    for label, title in LABELS.items():
        ms = median(ours, f"span:{label}")
        spans += ms if label != "repr" else 0.0
        print(f"  {title:<54}{ms:>7.2f} ms {median(ours, f'count:{label}'):>4.0f}")
    rest = median(ours, "wall") - spans
    print(f"  {'the rest: widgets, traits, composition (Python)':<54}{rest:>7.2f} ms")
    waiting = median(ours, "wall") - median(ours, "cpu")
    print(f"  {'(of the wall ms, off the CPU: the GIL, I/O, other work)':<54}{waiting:>7.2f} ms")
    print(
        f"  the kernel's first Annotator: build {first['wall']:.1f} ms, "
        f"{first.get('count:comm', 0):.0f} messages"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=20, help="timed runs per widget")
    parser.add_argument("--case", choices=list(CASE_NAMES), default="1mp")
    parser.add_argument("--lab", action="store_true", help="in JupyterLab in Chromium, each widget drawn")
    parser.add_argument("--profile", action="store_true", help="profile 20 more Annotators (kernel alone)")
    parser.add_argument("--top", type=int, default=40, help="functions listed per profile")
    parser.add_argument("--no-peers", action="store_true", help="this interpreter; no peer widgets")
    args = parser.parse_args()
    inside = None if args.no_peers else _peer_venv.run_inside(REPO, PEERS, __file__, _IN_VENV)
    if inside is not None:
        return inside
    case = CASE_NAMES[args.case]
    widgets = ["dlwidgets", "bare anywidget"] if args.no_peers else list(SHOW)
    print("making the JPEGs and the boxes in the kernel ...", file=sys.stderr, flush=True)
    setting: Callable[[bool], Any] = lab_page if args.lab else bare_kernel
    with setting(not args.no_peers) as kernel:
        first = kernel.show("dlwidgets", case)
        for widget in widgets[1:]:
            kernel.show(widget, case)  # each widget's first in the kernel, not timed
        results: dict[str, list[Figures]] = {w: [] for w in widgets}
        for rep in range(args.reps):
            for widget in widgets[rep % len(widgets) :] + widgets[: rep % len(widgets)]:
                results[widget].append(kernel.show(widget, case))
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1, 5, 15 min) after the runs")
        report(results, first, args.case, args.lab)
        if isinstance(kernel, LabStage):
            kernel.report()
        if args.profile and isinstance(kernel, BareKernel):
            kernel.profile(case, 20, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
