"""What the browser benchmarks share: the path to the browser-test harness (tests/e2e), the ping widget
and its round trips (the floor for anything browser -> kernel -> browser), a clock started by a drag's
mouse-up and stopped by red pixels, and percentiles.

Every time here is measured inside the page, on the page's own clock (``performance.now()``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Locator, Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
# The harness lives with the browser tests; the benchmarks reuse it rather than growing a second one.
sys.path.insert(0, str(REPO / "tests"))

from e2e.browser import launch_chromium, new_context  # noqa: E402  (the path above first)
from e2e.page import UI, NotebookPage, open_notebook_page, record_console  # noqa: E402
from e2e.server import JupyterServer  # noqa: E402

# A tiny anywidget that answers each custom message with the same ``seq``; it adds ``.bench-ping``.
PING_CELL = '''\
import anywidget

class Ping(anywidget.AnyWidget):
    _esm = """
    export default {
      render({ model, el }) {
        el.classList.add("bench-ping");
        el.textContent = "ping";
        const pending = new Map();
        const onReply = (msg) => {
          const resolve = pending.get(msg.seq);
          pending.delete(msg.seq);
          if (resolve) resolve(performance.now());
        };
        model.on("msg:custom", onReply);
        window.benchPing = (seq) => new Promise((resolve) => {
          pending.set(seq, resolve);
          model.send({ seq });
        });
        return () => model.off("msg:custom", onReply);
      },
    };
    """

ping = Ping()
ping.on_msg(lambda widget, content, buffers: widget.send({"seq": content["seq"]}))
ping
'''

# Sequential round trips; each resolves when the kernel's reply arrives in the page.
_PINGS_JS = """async (count) => {
  const times = [];
  for (let seq = 0; seq < count; seq++) {
    const sent = performance.now();
    const received = await Promise.race([
      window.benchPing(seq),
      new Promise((_, reject) => setTimeout(() => reject(new Error("no reply in 10 s")), 10000)),
    ]);
    times.push(received - sent);
  }
  return times;
}"""

# The release's own timestamp starts the clock (same clock as performance.now()). It is taken from
# pointerup, the same input event as mouseup, because a page that cancels pointerdown (the annotator's
# gesture layer does) gets no mouseup at all.
_WATCH_MOUSEUP_JS = """(element) => {
  const record = (event) => { window.benchMouseUp = event.timeStamp; };
  element.addEventListener("pointerup", record, { capture: true });
}"""

# Armed before the mouse button is released, then checked every animation frame: resolves with the ms
# from the release to the first frame in which any of the points is red (a list of points, so a line
# that straddles two pixels is found wherever it lands). Armed early, so that the time Playwright takes
# to ask is not counted when the kernel is quicker than that.
_ARM_RED_JS = """(canvas, points) => {
  const context = canvas.getContext("2d");
  window.benchMouseUp = undefined;
  window.benchRed = new Promise((resolve, reject) => {
    const giveUp = setTimeout(() => reject(new Error("red pixels not drawn in 10 s")), 10000);
    const check = () => {
      const released = window.benchMouseUp !== undefined;
      const red = released && points.some(([x, y]) => {
        const [r, g, b] = context.getImageData(x, y, 1, 1).data;
        return r > 200 && g < 60 && b < 60;
      });
      if (red) {
        clearTimeout(giveUp);
        resolve(performance.now() - window.benchMouseUp);
      } else {
        requestAnimationFrame(check);
      }
    };
    requestAnimationFrame(check);
  });
}"""


@contextmanager
def lab_in_chromium(
    name: str, settings: dict[str, dict[str, Any]] | None = None, server_args: Sequence[str] = ()
) -> Iterator[tuple[Path, JupyterServer, Browser, Page]]:
    """A temporary folder, ``jupyter lab`` with the TCP_NODELAY extension (as when dlwidgets is
    installed), JupyterLab user `settings` and `server_args`, and headless Chromium with one page; all
    ended after."""
    with tempfile.TemporaryDirectory(prefix=f"dlwidgets-{name}-") as tmp:
        scratch = Path(tmp)
        server = JupyterServer(
            scratch / "server", config_path=[REPO / "jupyter-config"], extra_args=server_args
        )
        for path, values in (settings or {}).items():
            file = server.base_dir / "lab-user-settings" / path
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(json.dumps(values))
        with server, sync_playwright() as playwright:
            if "TCP_NODELAY on" not in server.log_path.read_text():
                sys.exit("the nodelay extension did not load; is dlwidgets installed (or on PYTHONPATH)?")
            browser = launch_chromium(playwright, scratch / "chromium")
            try:
                yield scratch, server, browser, new_context(browser).new_page()
            finally:
                browser.close()


@contextmanager
def notebook_in_chromium(name: str, ui: UI, cells: Sequence[str], what: str) -> Iterator[NotebookPage]:
    """``lab_in_chromium`` with a notebook of ``cells`` open in ``ui`` and run (``what`` it holds, said
    on stderr); closed after."""
    with lab_in_chromium(name) as (scratch, server, _, page):
        notebook = open_notebook_page(
            page,
            server,
            ui,
            cells,
            nb_path=f"{name}.ipynb",
            out_dir=scratch / "out",
            console=record_console(page),
        )
        where = "JupyterLab 4" if ui == "lab" else "Notebook 7"
        print(f"{where} in headless Chromium; {what}", file=sys.stderr, flush=True)
        notebook.run_all()
        try:
            yield notebook
        finally:
            notebook.close()


def browser_arguments(doc: str, counts: dict[str, tuple[int, str]]) -> argparse.Namespace:
    """The command line of a browser benchmark: ``--<name> N`` for each of ``counts`` (name -> (default,
    help)), and ``--ui lab|notebook7``."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, (default, meaning) in counts.items():
        parser.add_argument(f"--{name}", type=int, default=default, help=meaning)
    parser.add_argument("--ui", choices=["lab", "notebook7"], default="lab")
    return parser.parse_args()


def ping_round_trips(page: Page, count: int) -> list[float]:
    """`count` sequential custom-message round trips through the ``PING_CELL`` widget, in ms."""
    times: list[float] = page.evaluate(_PINGS_JS, count)
    return times


def watch_mouseup(element: Locator) -> None:
    """Start the clock of `wait_red` at every mouse-up on `element` (once per page and element)."""
    element.evaluate(_WATCH_MOUSEUP_JS)


def arm_red(canvas: Locator, points: list[tuple[float, float]]) -> None:
    """Before releasing the mouse: watch for one of `points` to turn red on `canvas` (see `wait_red`)."""
    canvas.evaluate(_ARM_RED_JS, [[round(x), round(y)] for x, y in points])


def wait_red(page: Page) -> float:
    """After releasing the mouse: the ms from the release until the points `arm_red` watches were red."""
    elapsed: float = page.evaluate("() => window.benchRed")
    return elapsed


def stats(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile, in ms."""
    return statistics.median(samples), statistics.quantiles(samples, n=20)[18]
