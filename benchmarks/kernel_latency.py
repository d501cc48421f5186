"""Kernel websocket latency with TCP_NODELAY off and on (the ``dlwidgets.jupyter_nodelay`` extension).

Starts two ``jupyter lab`` servers with the browser-test harness (tests/e2e), one with
``--DlwidgetsNodelay.enabled=False`` and one with the extension on, opens the same notebook on each in
headless Chromium, and measures inside the page:

- round trip of a tiny custom message, browser -> kernel -> browser (anywidget ``model.send`` answered
  by the kernel's ``send``);
- mouse-up to pixels: from a drag's ``mouseup`` on an ipycanvas canvas until the red box the kernel
  draws in reply is on the canvas (checked every animation frame), as in the annotator.

Samples are taken in alternating blocks, so drift on a busy machine affects both modes alike.

    .venv/bin/python benchmarks/kernel_latency.py [--rounds 200] [--drags 32] [--ui lab|notebook7]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

# _browser comes first: it puts the harness (tests/e2e) on the import path.
from _browser import PING_CELL, REPO, arm_red, ping_round_trips, stats, wait_red, watch_mouseup
from e2e.browser import launch_chromium, new_context
from e2e.page import UI, NotebookPage, open_notebook_page, record_console
from e2e.server import JupyterServer
from playwright.sync_api import Browser, Locator, sync_playwright

CANVAS_CELL = """\
from ipycanvas import Canvas, hold_canvas

canvas = Canvas(width=400, height=300, layout=dict(width="400px", height="300px"))
canvas.add_class("bench-canvas")
start = {}

def on_down(x, y):
    start.update(x=x, y=y)

def on_up(x, y):
    with hold_canvas(canvas):
        canvas.clear()
        canvas.stroke_style = "red"
        canvas.line_width = 3
        canvas.stroke_rect(start["x"], start["y"], x - start["x"], y - start["y"])

canvas.on_mouse_down(on_down)
canvas.on_mouse_up(on_up)
canvas
"""


@dataclass
class Mode:
    """One server configuration under test, the notebook open on it, and the samples taken so far."""

    name: str
    notebook: NotebookPage
    canvas: Locator
    pings: list[float] = field(default_factory=list)
    drags: list[float] = field(default_factory=list)
    drags_started: Iterator[int] = field(default_factory=itertools.count)


def open_mode(name: str, server: JupyterServer, browser: Browser, ui: UI, scratch: Path) -> Mode:
    """Open the benchmark notebook on `server` in a page of its own and warm both paths up."""
    page = new_context(browser).new_page()
    notebook = open_notebook_page(
        page,
        server,
        ui,
        [PING_CELL, CANVAS_CELL],
        nb_path=f"latency-{name}.ipynb",
        out_dir=scratch / f"out-{name}",
        console=record_console(page),
    )
    notebook.run_all()
    notebook.wait_widget(".bench-ping")
    mode = Mode(name, notebook, notebook.wait_widget("canvas.bench-canvas"))
    notebook.wait_ready()
    watch_mouseup(mode.canvas)
    # The first messages and draws pay for JIT and first-use setup; they are not what is measured.
    ping_round_trips(mode.notebook.page, 20)
    drag_latencies(mode, 4)
    return mode


def drag_latencies(mode: Mode, count: int) -> list[float]:
    """`count` drags on the canvas, each timed from its mouseup until the kernel's box is drawn, in ms."""
    mode.canvas.scroll_into_view_if_needed()
    box = mode.canvas.bounding_box()
    assert box is not None
    mouse = mode.notebook.page.mouse
    times = []
    for _ in range(count):
        # A new place each time, so the previous box can't be mistaken for the reply.
        i = next(mode.drags_started)
        x0, y0 = 20 + (i * 37) % 250, 40 + (i * 23) % 100
        x1, y1 = x0 + 100, y0 + 120
        mouse.move(box["x"] + x0, box["y"] + y0)
        mouse.down()
        mouse.move(box["x"] + x1, box["y"] + y1, steps=4)
        arm_red(mode.canvas, [(x1, (y0 + y1) // 2)])
        mouse.up()
        times.append(wait_red(mode.notebook.page))
    return times


def report(off: Mode, on: Mode, ui: UI) -> str:
    lines = [
        f"Kernel websocket latency, {'JupyterLab 4' if ui == 'lab' else 'Notebook 7'} in headless Chromium",
        f"({len(off.pings)} round trips and {len(off.drags)} drags per mode, alternating blocks)",
        "",
        f"{'':36}{'TCP_NODELAY off':>18}{'TCP_NODELAY on':>18}{'off / on':>10}",
    ]
    rows = (
        ("custom message round trip", off.pings, on.pings),
        ("mouse-up to kernel's pixels", off.drags, on.drags),
    )
    for title, off_samples, on_samples in rows:
        for label, a, b in zip(("median", "p95"), stats(off_samples), stats(on_samples), strict=True):
            lines.append(f"{title:28}{label:>8}{a:>15.1f} ms{b:>15.1f} ms{a / b:>9.1f}x")
            title = ""
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=200, help="custom-message round trips per mode")
    parser.add_argument("--drags", type=int, default=32, help="canvas drags per mode")
    parser.add_argument("--blocks", type=int, default=4, help="alternations between the two modes")
    parser.add_argument("--ui", choices=["lab", "notebook7"], default="lab")
    args = parser.parse_args()
    ui: UI = args.ui
    config = [REPO / "jupyter-config"]

    with tempfile.TemporaryDirectory(prefix="dlwidgets-latency-") as tmp:
        scratch = Path(tmp)
        off_server = JupyterServer(
            scratch / "off", config_path=config, extra_args=["--DlwidgetsNodelay.enabled=False"]
        )
        on_server = JupyterServer(scratch / "on", config_path=config)
        with off_server, on_server, sync_playwright() as playwright:
            if "TCP_NODELAY on" not in on_server.log_path.read_text():
                sys.exit("the nodelay extension did not load in the 'on' server; is dlwidgets installed?")
            browser = launch_chromium(playwright, scratch / "chromium")
            off = open_mode("off", off_server, browser, ui, scratch)
            on = open_mode("on", on_server, browser, ui, scratch)
            modes = (off, on)
            for _ in range(args.blocks):
                for mode in modes:
                    mode.pings += ping_round_trips(mode.notebook.page, args.rounds // args.blocks)
                    mode.drags += drag_latencies(mode, args.drags // args.blocks)
            for mode in modes:
                mode.notebook.close()
            browser.close()
    print(report(off, on, ui))


if __name__ == "__main__":
    main()
