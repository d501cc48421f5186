"""Time a widget from the start of its cell to the page showing it, and count what crossed the wire.

The benchmark notebook ends with a *stage* cell. Each case replaces the stage's source and runs it from
JupyterLab's own command, as a user re-running a cell would: the kernel notes ``time.time()`` and the
live widget models at the cell's first line, and the page checks a predicate on the stage's output area
in every animation frame. A predicate is JS returning a list of booleans, one per milestone (e.g. "any
image on the canvas", "full resolution and every box"); each milestone's time is the first frame in
which it held, on the page's wall clock (``performance.timeOrigin + performance.now()``) against the
kernel's, both on one machine. Between cases the stage runs a cleanup cell, which closes the last
widget and empties the output area, so no view of an earlier case is alive while the next is timed.

`WireMeter` counts the kernel websocket's frames (Playwright hands every frame to the driver anyway)
between `start()` and `stop()`: bytes each way, and the widget models the kernel opened in the page.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from typing import Any

from e2e.page import NotebookPage
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, WebSocket

STAGE_FILE = "stage.json"

# Given to the kernel before the stage: `staged(widget)` keeps the widget to close it at the next cleanup.
STAGE_SETUP = """\
import gc, time
from dlwidgets.widgets.base import live_models

_staged = []

def staged(widget):
    _staged.append(widget)
    return widget

def cleanup():
    while _staged:
        _staged.pop().close()
    gc.collect()
"""

STAGE_CELL = "# the benchmark's stage: every case replaces this source and runs it"

# Runs the stage cell with `source` and resolves with the first-held time of each milestone of SHOWN
# (replaced by the caller's predicate, a JS function of the output area's node).
_RUN_STAGE_JS = """async ([source, timeout]) => {
  const shown = SHOWN;
  const notebook = window.jupyterapp.shell.currentWidget.content;
  const index = notebook.widgets.length - 2;  // the stage; the last cell dumps ready.json
  const cell = notebook.widgets[index];
  cell.model.sharedModel.setSource(source);
  notebook.activeCellIndex = index;
  const out = cell.outputArea.node;
  const seen = [];
  const done = new Promise((resolve, reject) => {
    const giveUp = setTimeout(() => reject(new Error(
      `not shown in ${timeout} ms; milestones seen: [${seen}]; output: ${out.innerText.slice(0, 400)}`
    )), timeout);
    const frame = () => {
      const now = performance.timeOrigin + performance.now();
      const stderr = out.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]');
      if (Array.from(stderr).some((e) => e.textContent.includes('IOPub message rate exceeded'))) {
        clearTimeout(giveUp);
        reject(new Error(DROPPED));
        return;
      }
      let flags;
      try { flags = shown(out); } catch (error) { flags = [false]; }
      flags.forEach((flag, i) => { if (flag && !seen[i]) seen[i] = now; });
      if (flags.every(Boolean)) {
        clearTimeout(giveUp);
        resolve(seen);
      } else {
        requestAnimationFrame(frame);
      }
    };
    requestAnimationFrame(frame);
  });
  const ran = window.jupyterapp.commands.execute("notebook:run-cell");
  const [times] = await Promise.all([done, ran]);
  return times;
}"""

_DROPPED = "the Jupyter server dropped messages to the page: IOPub message rate exceeded"


class MessagesDropped(RuntimeError):
    """The cell sent more messages than the server's IOPub rate limit lets through: the page shows the
    server's warning instead of (part of) the widget, which then never appears."""


_EMPTY_JS = "(out) => [out.querySelectorAll('.jp-OutputArea-output').length === 0]"


class Stage:
    """The stage cell of `notebook` (built with `STAGE_SETUP` before and `STAGE_CELL` as the last cell)."""

    def __init__(self, notebook: NotebookPage) -> None:
        self.notebook = notebook
        self.page: Page = notebook.page
        self.runs = 0

    def run(self, body: str, shown_js: str, timeout: float = 120) -> dict[str, Any]:
        """Run `body` (whose last line is the widget to show) on the stage; the ms from the cell's start to
        each milestone of `shown_js`, the ms the kernel took to build the widget (``kernel_ms``), and the
        kernel's count of widget models the cell made."""
        self.runs += 1
        *statements, shown = body.rstrip().splitlines()
        source = "\n".join(
            [
                "_t0, _m0 = time.time(), live_models()",
                *statements,
                f"_shown = {shown}",
                f"dump({STAGE_FILE!r}, {{'run': {self.runs}, 't0': _t0, 't1': time.time(), "
                "'models': live_models() - _m0})",
                "_shown",
            ]
        )
        times = self._execute(source, shown_js, timeout)
        kernel = self.kernel(timeout)
        built = (kernel["t1"] - kernel["t0"]) * 1000
        milestones = [t - kernel["t0"] * 1000 for t in times]
        return {"ms": milestones, "models": kernel["models"], "kernel_ms": built, "t0": kernel["t0"]}

    def kernel(self, timeout: float = 120) -> dict[str, Any]:
        """What the kernel noted in the last run: its start time ``t0`` and the ``models`` it made."""
        noted: dict[str, Any] = self.notebook.wait_file(
            STAGE_FILE, until=lambda c: c["run"] == self.runs, timeout=timeout
        )
        return noted

    def cleanup(self) -> None:
        """Close the widgets the last runs kept with `staged()` and empty the stage's output."""
        self._execute("cleanup()", _EMPTY_JS, 120)

    def _execute(self, source: str, shown_js: str, timeout: float) -> list[float]:
        js = _RUN_STAGE_JS.replace("SHOWN", shown_js).replace("DROPPED", repr(_DROPPED))
        try:
            times: list[float] = self.page.evaluate(js, [source, timeout * 1000])
        except PlaywrightError as error:
            if _DROPPED in str(error):
                raise MessagesDropped(_DROPPED) from None
            raise
        return times


@dataclass
class WireMeter:
    """Frames on the page's kernel websockets while on: bytes both ways, and widget models opened.
    ``asked`` is the part of ``received`` that answers a message the page itself sent meanwhile (its
    parent is a ``comm_msg``, not the cell's ``execute_request``): e.g. a view asking for its rows once
    drawn, with the kernel's busy/idle statuses around the reply."""

    on: bool = False
    received: int = 0
    asked: int = 0
    sent: int = 0
    frames: int = 0
    models: int = 0
    _sockets: list[WebSocket] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        """Watch the kernel websockets `page` opens from now on (call before the notebook loads)."""
        page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        if "/api/kernels/" not in socket.url:
            return
        self._sockets.append(socket)
        socket.on("framereceived", self._received)
        socket.on("framesent", self._sent)

    def _received(self, payload: str | bytes) -> None:
        if not self.on:
            return
        size = len(payload.encode() if isinstance(payload, str) else payload)
        self.received += size
        self.frames += 1
        header, parent = _headers(payload)
        if parent.get("msg_type") == "comm_msg":
            self.asked += size
        if header.get("msg_type") == "comm_open":
            self.models += 1

    def _sent(self, payload: str | bytes) -> None:
        if self.on:
            self.sent += len(payload.encode() if isinstance(payload, str) else payload)

    def start(self) -> None:
        self.received = self.asked = self.sent = self.frames = self.models = 0
        self.on = True

    def stop(self, page: Page) -> dict[str, int]:
        """Stop counting (after a round trip to the page, so frames already delivered are counted)."""
        page.evaluate("() => new Promise((resolve) => requestAnimationFrame(resolve))")
        self.on = False
        return {
            "received": self.received,
            "asked": self.asked,
            "sent": self.sent,
            "frames": self.frames,
            "page_models": self.models,
        }


def _headers(payload: str | bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and parent header of one kernel websocket frame: JSON text (the legacy protocol) or the
    binary ``v1.kernel.websocket.jupyter.org`` layout (the number of offsets, the offsets, channel, header,
    parent header ...)."""
    try:
        if isinstance(payload, str):
            message = json.loads(payload)
            return message.get("header", {}), message.get("parent_header", {})
        (count,) = struct.unpack_from("<Q", payload, 0)
        offsets = struct.unpack_from(f"<{count}Q", payload, 8)
        header = json.loads(payload[offsets[1] : offsets[2]])
        parent = json.loads(payload[offsets[2] : offsets[3]])
        return header, parent
    except (ValueError, struct.error, IndexError):
        return {}, {}
