"""The Browser in headless Chromium: the first page of 100 thumbnails of a 100,000-item dataset.

Setup (not timed): a workspace with a project holding a dataset "small" (3 items, which the Browser opens
on) and a dataset "big" of 100,000 items: first 100 distinct 1920 x 1080 photo-like JPEGs (quality 90,
about 0.5 MB each), then 99,900 small distinct JPEGs in 100 folders, all through ``dataset.items.upload``.
Then ``jupyter lab`` with the browser-test harness (tests/e2e) and a notebook showing ``dw.Browser``.

Timed in the page, on its own clock: from the ``change`` event of the dataset picker (the test picks
"big" the way a person does) until the grid shows the 100 cards of the first page, and until all 100
thumbnails are decoded images in the page. Measured:

- thumbnails exist (made by an earlier visit; the kernel keeps no copy): goal at most 1 s;
- first-time generation, the thumbnail cache deleted before each run (reported, no goal);
- the Next page of 100 thumbnails once they exist;
- bytes per thumbnail: the buffers the kernel sent for the first page, and a worst case (a 160 x 160 image
  of random noise, which no JPEG can shrink). Goal: at most 20 KB.

Each is measured with the kernel on the embedded workspace and, with ``--transport http`` (or ``both``,
the default), through ``dlwidgets serve`` started by this script, the kernel connecting with a token.

    .venv/bin/python benchmarks/browser_thumbnails.py [--items 100000] [--runs 10] [--transport both]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

# _browser comes first: it puts the harness (tests/e2e, tests/serving.py) on the import path.
from _browser import REPO
from _common import Figure, fresh_workspace, progress, report, scratch
from e2e.browser import launch_chromium, new_context
from e2e.page import NotebookPage, open_notebook_page, record_console
from e2e.polling import poll
from e2e.server import JupyterServer
from playwright.sync_api import Page, sync_playwright
from serving import serving

import dlwidgets as dw
from dlwidgets.api.client import local_user
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.store.handlers.thumbnails import make_thumbnail

GOAL_MS = 1000.0
GOAL_BYTES = 20 * 1024
PAGE = 100
PHOTO = (1920, 1080)
FOLDERS = 100

BROWSER_CELL = """\
import dlwidgets as dw

client = {connect}
browser = dw.Browser(client)
sent, send = [], browser.grid.send

def counted(content, buffers=None):
    send(content, buffers)
    sent.append([len(buffers or []), sum(len(b) for b in buffers or [])])
    dump("sent.json", sent)

browser.grid.send = counted
browser
"""

# Starts the clock at the next `change` of `picker` or `click` of a button; resolves once `grid` shows
# `count` cards, the first named `first` (ms to cards), and every card's thumbnail is a decoded image.
_WATCH_JS = """([trigger, event, grid, first, count]) => {
  window.benchShown = new Promise((resolve, reject) => {
    let start = null, cardsAt = null;
    const giveUp = setTimeout(() => reject(new Error(`not shown within 60 s (cards: ${cardsAt})`)), 60000);
    trigger.addEventListener(event, (e) => { start = e.timeStamp; requestAnimationFrame(check); },
                             { capture: true, once: true });
    const check = () => {
      const names = grid.querySelectorAll(".dlw-card .dlw-name");
      if (cardsAt === null && names.length === count && names[0].textContent === first) {
        cardsAt = performance.now();
      }
      if (cardsAt !== null) {
        const images = Array.from(grid.querySelectorAll(".dlw-card img"));
        if (images.length === count && images.every((i) => i.complete && i.naturalWidth > 0)) {
          clearTimeout(giveUp);
          resolve({ cards: cardsAt - start, shown: performance.now() - start });
          return;
        }
      }
      requestAnimationFrame(check);
    };
  });
}"""


def photo(index: int) -> bytes:
    """A photo-like JPEG: gradients, a few shapes, texture and sensor-like noise."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(index)
    width, height = PHOTO
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    pixels = np.empty((height, width, 3), np.float32)
    pixels[..., 0] = 60 + 150 * y * rng.uniform(0.5, 1)
    pixels[..., 1] = 200 * x * rng.uniform(0.5, 1)
    pixels[..., 2] = 128 + 100 * np.sin(rng.uniform(2, 9) * x + rng.uniform(2, 9) * y)
    for _ in range(6):
        cx, cy, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(40, 300)
        disc = (np.arange(width)[None, :] - cx) ** 2 + (np.arange(height)[:, None] - cy) ** 2 < r * r
        pixels[disc] = rng.uniform(0, 255, 3)
    # Texture at every scale, as in a photo: coarse blotches that survive downscaling, and sensor noise.
    for cells, strength in ((24, 30.0), (120, 20.0)):
        coarse = Image.fromarray(rng.normal(0, strength, (cells * height // width, cells)).astype(np.float32))
        pixels += np.asarray(coarse.resize(PHOTO, Image.Resampling.BICUBIC))[..., None]
    pixels += rng.normal(0, 6, pixels.shape).astype(np.float32)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def small_jpeg() -> bytes:
    """A distinct 32 x 24 JPEG of random pixels (about 1 KB)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (32, 24), os.urandom(32 * 24 * 3)).save(buffer, format="JPEG", quality=75)
    return buffer.getvalue()


def photo_name(index: int) -> str:
    return f"photo-{index:03d}.jpg" if index < PAGE else f"img-{index:06d}.jpg"


def build_workspace(home: Path, items: int) -> None:
    with fresh_workspace(home.parent):
        project = dw.projects.create(project_name="bench")
        small = project.datasets.create(dataset_name="small")
        for index in range(3):
            small.items.upload(local_path=small_jpeg(), remote_path="/", remote_name=f"s{index}.jpg")
        big = project.datasets.create(dataset_name="big")
        start = time.perf_counter()
        for index in range(items):
            if index < PAGE:
                content, folder = photo(index), "/photos"
            else:
                content, folder = small_jpeg(), f"/d/{index % FOLDERS:03d}"
            big.items.upload(local_path=content, remote_path=folder, remote_name=photo_name(index))
            if (index + 1) % 10_000 == 0:
                rate = (index + 1) / (time.perf_counter() - start)
                progress(f"uploaded {index + 1:,} items ({rate:,.0f}/s)")


class Bench:
    """One notebook showing the Browser, and the page-side clock."""

    def __init__(self, notebook: NotebookPage, items: int) -> None:
        self.notebook = notebook
        self.page: Page = notebook.page
        self.items = items
        notebook.run_all()
        self.root = notebook.wait_widget(".dlw-browser", timeout=120)
        notebook.wait_ready(timeout=120)
        self.grid = self.root.locator(".dlw-item-grid .dlw-grid-cards")
        self.picker = self.root.get_by_label("dataset", exact=True)
        self.label = self.root.locator(".dlw-page-label")
        self.wait_label("1-3 of 3")

    def wait_label(self, text: str) -> None:
        poll(
            lambda: self.label.inner_text() == text or None,
            timeout=60,
            what=f"page label {text!r}",
            explain=lambda: f"it reads {self.label.inner_text()!r}\n{self.notebook.describe()}",
        )

    def timed(self, trigger: Any, event: str, first: str, action: Any) -> dict[str, float]:
        self.page.evaluate(
            _WATCH_JS, [trigger.element_handle(), event, self.grid.element_handle(), first, PAGE]
        )
        action()
        shown: dict[str, float] = self.page.evaluate("() => window.benchShown")
        return shown

    def open_big(self) -> dict[str, float]:
        shown = self.timed(
            self.picker, "change", photo_name(0), lambda: self.picker.select_option(label="big")
        )
        self.wait_label(f"1-{PAGE} of {self.items:,}")
        return shown

    def open_small(self) -> None:
        self.picker.select_option(label="small")
        self.wait_label("1-3 of 3")

    def next_and_back(self) -> list[dict[str, float]]:
        forward = self.root.get_by_role("button", name="Next ▶")
        back = self.root.get_by_role("button", name="◀ Previous")
        times = [self.timed(forward, "click", photo_name(PAGE), forward.click)]
        times.append(self.timed(back, "click", photo_name(0), back.click))
        return times

    def sent(self) -> list[list[int]]:
        path = self.notebook.out_dir / "sent.json"
        return json.loads(path.read_text()) if path.exists() else []


def measure(bench: Bench, home: Path, runs: int, first_runs: int) -> dict[str, Any]:
    thumbs = home / "blobs" / "thumbs"
    bench.open_big()  # warm-up: imports, caches, and the thumbnails made once
    bench.open_small()
    first = []
    for _ in range(first_runs):
        shutil.rmtree(thumbs, ignore_errors=True)
        first.append(bench.open_big())
        bench.open_small()
    cached, messages = [], []
    for _ in range(runs):
        before = len(bench.sent())
        cached.append(bench.open_big())
        messages = bench.sent()[before:]
        bench.open_small()
    bench.open_big()
    bench.next_and_back()  # page 2's thumbnails are made here, once
    paging = [t for _ in range(max(1, runs // 2)) for t in bench.next_and_back()]
    return {"first": first, "cached": cached, "paging": paging, "messages": messages}


def worst_case_bytes(tmp: Path) -> int:
    """A thumbnail of random noise, 160 x 160: nothing to downscale or compress away."""
    from PIL import Image

    path = tmp / "noise.png"
    Image.frombytes("RGB", (160, 160), os.urandom(160 * 160 * 3)).save(path)
    data = make_thumbnail(path)
    assert data is not None
    return len(data)


def figures(name: str, result: dict[str, Any]) -> list[Figure]:
    cached = [r["shown"] for r in result["cached"]]
    first = [r["shown"] for r in result["first"]]
    messages = result["messages"]
    sizes = sum(m[1] for m in messages)
    count = sum(m[0] for m in messages)
    return [
        Figure(f"{name}: first page, {PAGE} thumbnails (median of {len(cached)})",
               statistics.median(cached), "ms", GOAL_MS, higher_is_better=False),
        Figure("     p90" if len(cached) >= 5 else "     max",
               statistics.quantiles(cached, n=10)[-1] if len(cached) >= 5 else max(cached), "ms"),
        Figure("     cards (names, sizes) shown",
               statistics.median(r["cards"] for r in result["cached"]), "ms"),
        Figure(f"     thumbnails made first (median of {len(first)})",
               statistics.median(first), "ms"),
        Figure("     Next / Previous page (median)",
               statistics.median(r["shown"] for r in result["paging"]), "ms"),
        Figure("     messages with the page's thumbnails", len(messages), "msgs"),
        Figure("     bytes per thumbnail sent (mean)", sizes / max(count, 1), "B"),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10, help="timed visits once thumbnails exist")
    parser.add_argument("--first-runs", type=int, default=3, help="timed first-time generations")
    parser.add_argument("--transport", choices=["local", "http", "both"], default="both")
    parser.add_argument("--ui", choices=["lab", "notebook7"], default="lab")
    args = parser.parse_args()
    if args.items < PAGE * 2 or args.runs < 1:
        sys.exit(f"--items must be at least {PAGE * 2} and --runs at least 1")
    transports = ["local", "http"] if args.transport == "both" else [args.transport]
    results: dict[str, dict[str, Any]] = {}
    with scratch("browser") as tmp:
        home = tmp / "workspace"
        progress(f"building a workspace of {args.items:,} items ...")
        build_workspace(home, args.items)
        # The token's user is the one who made the projects, so the server shows them.
        token = create_token(workspace_secret(home), local_user())
        server = JupyterServer(tmp / "server", config_path=[REPO / "jupyter-config"])
        with server, sync_playwright() as playwright, serving(home) as url:
            browser = launch_chromium(playwright, tmp / "chromium")
            for transport in transports:
                progress(f"measuring ({transport}) ...")
                connect = f"dw.connect(home={str(home)!r})"
                if transport == "http":
                    connect = f"dw.connect({url!r}, token={token!r})"
                page = new_context(browser).new_page()
                notebook = open_notebook_page(
                    page,
                    server,
                    args.ui,
                    [BROWSER_CELL.format(connect=connect)],
                    nb_path=f"browser-{transport}.ipynb",
                    out_dir=tmp / f"out-{transport}",
                    console=record_console(page),
                )
                results[transport] = measure(Bench(notebook, args.items), home, args.runs, args.first_runs)
                notebook.close()
                page.context.close()
            browser.close()
        largest = max(p.stat().st_size for p in (home / "blobs" / "thumbs").rglob("*.jpg"))
        worst = worst_case_bytes(tmp)
    names = {"local": "embedded", "http": "over HTTP"}
    lines = [f for transport, result in results.items() for f in figures(names[transport], result)]
    return report(
        *lines,
        Figure("bytes per thumbnail: largest made in the run", largest, "B", GOAL_BYTES,
               higher_is_better=False),
        Figure("bytes per thumbnail: worst case (random noise)", worst, "B", GOAL_BYTES,
               higher_is_better=False),
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
