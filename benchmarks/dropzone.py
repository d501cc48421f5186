"""Dropping one large file on the dropzone in headless Chromium (JupyterLab 4), into the embedded workspace.

Measured in one run, with the same file picked through a file input, by two drivers:

- the DevTools driver (the headline): Chromium started here and driven over the DevTools Protocol
  (``_cdp.py``) with only the Page, Runtime and DOM domains on; the file is picked with
  ``DOM.setFileInputFiles``;
- Playwright (``set_input_files``), which keeps Chromium's Network domain on, so every websocket frame
  is also copied to the driver: on 2 cores that costs about half the throughput of both sides.

With each driver:

1. the floor: a minimal anywidget that sends the file with the same chunk size and window to a kernel
   that only appends the chunks to a file and acknowledges them;
2. the dropzone: the same file, stored as an item. Goal: at least 80 % of the floor's throughput, and
   kernel peak memory growth (VmHWM, reset just before, minus VmRSS then) at most 64 MiB.

Then, with Playwright: ``ipywidgets.FileUpload`` with 10 MB and 11 MB files, whether each arrives (the
Jupyter server closes the websocket on a browser-to-kernel message over 10 MiB), and how fast the 10 MB
one does.

Times run from picking the file to the kernel's note that the file is complete, polled every 20 ms.

    .venv/bin/python benchmarks/dropzone.py [--mib 512]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# _browser comes first: it puts the harness (tests/e2e) on the import path.
from _browser import REPO
from _cdp import Cdp, chromium_cdp
from _common import Figure, progress, report
from e2e.browser import launch_chromium, new_context
from e2e.notebook import READY_FILE, write_notebook
from e2e.page import NotebookPage, open_notebook_page, record_console
from e2e.polling import poll
from e2e.server import JupyterServer
from playwright.sync_api import sync_playwright

MIB = 1 << 20
CHUNK = 4 * MIB
WINDOW = 4

DROPZONE_CELL = f"""\
import dlwidgets as dw

def status_kib(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))

def reset_peak():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    return status_kib("VmRSS")

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="bench").datasets.create(dataset_name="drops")
dropzone = dw.Dropzone(dataset, remote_path="/big", max_chunk={CHUNK}, window={WINDOW})
baseline = [reset_peak()]

def uploaded(item):
    dump("dropzone.json", {{"count": len(dropzone.items), "size": item.size, "filename": item.filename,
                           "growth_kib": status_kib("VmHWM") - baseline[0]}})
    baseline[0] = reset_peak()

dropzone.on_upload(uploaded)
dropzone
"""

FLOOR_CELL = f'''\
import anywidget

class Floor(anywidget.AnyWidget):
    _esm = """
    export default {{ render({{ model, el }}) {{
      const input = document.createElement("input");
      input.type = "file";
      input.className = "bench-floor-input";
      el.appendChild(input);
      input.addEventListener("change", async () => {{
        const file = input.files[0];
        const chunk = {CHUNK}, windowSize = {WINDOW};
        let next = 0, inFlight = 0, acked = 0;
        const count = Math.ceil(file.size / chunk);
        model.send({{ type: "begin", size: file.size }});
        const pump = async () => {{
          while (next < count && inFlight < windowSize) {{
            const start = next++ * chunk;
            inFlight++;
            const data = await file.slice(start, Math.min(file.size, start + chunk)).arrayBuffer();
            model.send({{ type: "chunk" }}, undefined, [data]);
          }}
        }};
        model.on("msg:custom", (msg) => {{
          inFlight--; acked++;
          if (acked === count) model.send({{ type: "end" }});
          else pump();
        }});
        pump();
      }});
    }} }};
    """

floor = Floor()
floor_state = {{}}

def on_floor(widget, content, buffers):
    if content["type"] == "begin":
        floor_state["file"] = open(OUT / "floor.bin", "wb")
    elif content["type"] == "chunk":
        floor_state["file"].write(buffers[0])
        widget.send({{"type": "ack"}})
    else:
        floor_state["file"].close()
        dump("floor.json", {{"size": (OUT / "floor.bin").stat().st_size}})

floor.on_msg(on_floor)
floor
'''

FILEUPLOAD_CELL = """\
import ipywidgets

file_upload = ipywidgets.FileUpload(multiple=False)
file_upload.add_class("bench-fileupload")

def on_value(change):
    if change["new"]:
        item = change["new"][0]
        dump("fileupload-" + item["name"] + ".json", {"size": len(item["content"])})

file_upload.observe(on_value, names="value")
file_upload
"""


def write_file(path: Path, size: int) -> None:
    block = os.urandom(MIB)
    with open(path, "wb") as f:
        for _ in range(size // MIB):
            f.write(block)
        f.write(block[: size % MIB])


DZ_INPUT = ".jp-OutputArea-output .dlw-dropzone input.dlw-file-input"
FLOOR_INPUT = ".jp-OutputArea-output .bench-floor-input"


def wait_note(out_dir: Path, note: str, until: Callable[[Any], bool], timeout: float = 3600) -> Any:
    """The kernel's note `note` (JSON) once its content satisfies `until`, polled every 20 ms."""
    path = out_dir / note

    def check() -> Any:
        if not path.exists():
            return None
        content = json.loads(path.read_text())
        return content if until(content) else None

    return poll(check, timeout=timeout, interval=0.02, what=f"{note} from the kernel")


def timed(pick: Callable[[str, Path], None], out_dir: Path, selector: str, path: Path, note: str,
          until: Callable[[Any], bool]) -> float:  # fmt: skip
    """Seconds from picking `path` in `selector` until the kernel writes `note` satisfying `until`."""
    (out_dir / note).unlink(missing_ok=True)
    start = time.perf_counter()
    pick(selector, path)
    wait_note(out_dir, note, until)
    return time.perf_counter() - start


@dataclass
class Run:
    """One driver's figures: seconds for the floor and for the dropzone, the kernel's memory growth."""

    floor_s: float
    dropzone_s: float
    growth_kib: int


def measure(pick: Callable[[str, Path], None], out_dir: Path, big: Path, warm: Path) -> Run:
    """With the notebook's cells run: a warm-up drop, then the floor and the dropzone with `big`."""
    timed(pick, out_dir, DZ_INPUT, warm, "dropzone.json", lambda s: s["count"] == 1)
    floor_s = timed(pick, out_dir, FLOOR_INPUT, big, "floor.json", lambda s: True)
    (out_dir / "floor.bin").unlink()  # the disk space is needed more than the copy
    dropzone_s = timed(pick, out_dir, DZ_INPUT, big, "dropzone.json", lambda s: s["count"] == 2)
    stored = json.loads((out_dir / "dropzone.json").read_text())
    assert stored["size"] == big.stat().st_size, stored
    return Run(floor_s, dropzone_s, stored["growth_kib"])


# Idle as the page sees it (see e2e/page.py); a "Select Kernel" dialog is accepted on the way.
_KERNEL_IDLE_JS = """(() => {
  const accept = document.querySelector(".jp-Dialog button.jp-mod-accept");
  if (accept) accept.click();
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
    && panel.sessionContext.session.kernel;
  return !!kernel && kernel.connectionStatus === "connected" && kernel.status === "idle";
})()"""


def open_with_cdp(cdp: Cdp, server: JupyterServer, nb_path: str, out_dir: Path) -> None:
    """Open `nb_path` in JupyterLab, run all its cells and wait until the last one ran."""
    write_notebook(server.root_dir / nb_path, [DROPZONE_CELL, FLOOR_CELL], out_dir)
    for domain in ("Page", "Runtime", "DOM"):  # not Network: no copy of every websocket frame
        cdp.call(f"{domain}.enable")
    # A page without focus has no current widget in JupyterLab (Playwright emulates focus too).
    cdp.call("Emulation.setFocusEmulationEnabled", enabled=True)
    url = f"{server.url}/lab/workspaces/bench-cdp/tree/{nb_path}?token={server.token}"
    cdp.call("Page.navigate", url=url)

    def idle() -> bool | None:
        try:
            return bool(cdp.evaluate(_KERNEL_IDLE_JS)) or None
        except Exception:  # the page may be between documents
            return None

    poll(idle, timeout=90, interval=0.1, what=f"an idle kernel for {nb_path} (DevTools driver)")
    cdp.evaluate("jupyterapp.commands.execute('notebook:run-all-cells'), true")
    wait_note(out_dir, READY_FILE, lambda s: True, timeout=60)
    poll(lambda: cdp.evaluate(f"!!document.querySelector({json.dumps(FLOOR_INPUT)})") or None,
         timeout=30, what="the floor widget's view")  # fmt: skip


def close_session(server: JupyterServer, nb_path: str) -> None:
    """Shut the notebook's kernel down (the server keeps sessions after the page goes away)."""
    for session in server.sessions():
        if session["path"] == nb_path:
            server.api("DELETE", f"/api/sessions/{session['id']}")


def with_cdp(server: JupyterServer, scratch: Path, big: Path, warm: Path) -> Run:
    out_dir = scratch / "out-cdp"
    with chromium_cdp(scratch / "chromium-cdp") as cdp:
        open_with_cdp(cdp, server, "dropzone-cdp.ipynb", out_dir)
        run = measure(lambda selector, path: cdp.set_input_files(selector, [path]), out_dir, big, warm)
        close_session(server, "dropzone-cdp.ipynb")
    return run


def with_playwright(
    server: JupyterServer, scratch: Path, big: Path, warm: Path
) -> tuple[Run, float | None, bool]:
    """The dropzone and floor run, then FileUpload's: seconds for 10 MB (None if it never arrives), and
    whether 11 MB arrives."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, scratch / "chromium")
        page = new_context(browser).new_page()
        notebook = open_notebook_page(
            page,
            server,
            "lab",
            [DROPZONE_CELL, FLOOR_CELL, FILEUPLOAD_CELL],
            nb_path="dropzone.ipynb",
            out_dir=scratch / "out",
            console=record_console(page),
        )
        notebook.run_all()
        notebook.wait_ready()

        def pick(selector: str, path: Path) -> None:
            notebook.page.locator(selector).first.set_input_files(path)

        run = measure(pick, notebook.out_dir, big, warm)
        progress("ipywidgets.FileUpload with 10 MB and 11 MB files ...")
        ten, eleven = scratch / "10MB.bin", scratch / "11MB.bin"
        write_file(ten, 10_000_000)
        write_file(eleven, 11_000_000)
        ten_s = arrives(notebook, ten, 60)
        eleven_ok = arrives(notebook, eleven, 20) is not None
        notebook.close()
        browser.close()
    return run, ten_s, eleven_ok


def arrives(notebook: NotebookPage, path: Path, wait: float) -> float | None:
    """Seconds until ``FileUpload`` delivers `path` to the kernel, from the pick; None if not in `wait`."""
    # Its <input> is not in the document: the button opens a file chooser.
    with notebook.page.expect_file_chooser() as chooser:
        notebook.page.locator(".jp-OutputArea-output .bench-fileupload").first.click()
    start = time.perf_counter()
    chooser.value.set_files(path)
    deadline = time.monotonic() + wait
    note = notebook.out_dir / f"fileupload-{path.name}.json"
    while time.monotonic() < deadline:
        if note.exists():
            arrived = json.loads(note.read_text())["size"] == path.stat().st_size
            return time.perf_counter() - start if arrived else None
        time.sleep(0.02)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mib", type=int, default=512, help="size of the dropped file, in MiB")
    args = parser.parse_args()
    size = args.mib * MIB
    with tempfile.TemporaryDirectory(prefix="dlwidgets-dropzone-bench-") as tmp:
        scratch = Path(tmp)
        big, warm = scratch / "big.bin", scratch / "warm.bin"
        write_file(big, size)
        write_file(warm, MIB)
        server = JupyterServer(scratch / "server", config_path=[REPO / "jupyter-config"])
        with server:
            progress(f"JupyterLab 4, headless Chromium; {args.mib} MiB file, {CHUNK // MIB} MiB chunks")
            progress("DevTools driver (Page, Runtime, DOM; no Network) ...")
            cdp = with_cdp(server, scratch, big, warm)
            progress("Playwright driver ...")
            playwright, ten_s, eleven_ok = with_playwright(server, scratch, big, warm)
    ten = f"arrives at {10 / ten_s:.1f} MB/s" if ten_s else "never arrives"
    print(f"FileUpload: 10 MB {ten}, 11 MB {'arrives' if eleven_ok else 'never arrives'}")
    figures = []
    for driver, run in (("DevTools", cdp), ("Playwright", playwright)):
        floor_rate, dz_rate = size / run.floor_s / 1e6, size / run.dropzone_s / 1e6
        figures += [
            Figure(f"{driver}: floor, minimal anywidget appending to a file", floor_rate, "MB/s"),
            Figure(f"{driver}: dropzone, file to stored item", dz_rate, "MB/s"),
            Figure(f"{driver}: dropzone / floor throughput", 100 * dz_rate / floor_rate, "%", goal=80),
            Figure(f"{driver}: kernel peak memory growth", run.growth_kib / 1024, "MiB", 64, False),
        ]
    return report(*figures)


if __name__ == "__main__":
    raise SystemExit(main())
