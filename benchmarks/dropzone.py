"""Dropping one large file on the dropzone in headless Chromium (JupyterLab 4), into the embedded workspace.

Measured in one run, with the same file picked through a file input (Playwright ``set_input_files``):

1. the floor: a minimal anywidget that sends the file with the same chunk size and window to a kernel
   that only appends the chunks to a file and acknowledges them;
2. the dropzone: the same file, stored as an item. Goal: at least 80 % of the floor's throughput, and
   kernel peak memory growth (VmHWM, reset just before, minus VmRSS then) at most 64 MiB;
3. ``ipywidgets.FileUpload`` with 10 MB and 11 MB files: whether each arrives (the Jupyter server closes
   the websocket on a browser-to-kernel message over 10 MiB).

Times run from ``set_input_files`` to the kernel's note that the file is complete, polled every 20 ms.
Playwright keeps Chromium's Network domain on, so websocket frames are also copied to the driver; the
ratio is fair (both sides pay it), the absolute figures are lower bounds.

    .venv/bin/python benchmarks/dropzone.py [--mib 512]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

# _browser comes first: it puts the harness (tests/e2e) on the import path.
from _browser import REPO
from _common import Figure, progress, report
from e2e.browser import launch_chromium, new_context
from e2e.page import NotebookPage, open_notebook_page, record_console
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


def timed_pick(notebook: NotebookPage, selector: str, path: Path, note: str, until: object) -> float:
    """Seconds from picking `path` in `selector` until the kernel writes `note` satisfying `until`."""
    target = notebook.out_dir / note
    target.unlink(missing_ok=True)
    start = time.perf_counter()
    notebook.page.locator(selector).first.set_input_files(path)
    notebook.wait_file(note, until=until, timeout=3600)  # type: ignore[arg-type]
    return time.perf_counter() - start


def arrives(notebook: NotebookPage, path: Path, wait: float) -> bool:
    """Whether ``FileUpload`` delivers `path` to the kernel within `wait` seconds."""
    # Its <input> is not in the document: the button opens a file chooser.
    with notebook.page.expect_file_chooser() as chooser:
        notebook.page.locator(".jp-OutputArea-output .bench-fileupload").first.click()
    chooser.value.set_files(path)
    deadline = time.monotonic() + wait
    note = notebook.out_dir / f"fileupload-{path.name}.json"
    while time.monotonic() < deadline:
        if note.exists():
            return bool(json.loads(note.read_text())["size"] == path.stat().st_size)
        time.sleep(0.1)
    return False


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
        with server, sync_playwright() as playwright:
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
            dz_input = ".jp-OutputArea-output .dlw-dropzone input.dlw-file-input"
            progress(f"JupyterLab 4, headless Chromium; {args.mib} MiB file, {CHUNK // MIB} MiB chunks")
            timed_pick(notebook, dz_input, warm, "dropzone.json", lambda s: s["count"] == 1)
            floor_s = timed_pick(notebook, ".bench-floor-input", big, "floor.json", lambda s: True)
            dz_s = timed_pick(notebook, dz_input, big, "dropzone.json", lambda s: s["count"] == 2)
            stored = json.loads((notebook.out_dir / "dropzone.json").read_text())
            assert stored["size"] == size, stored
            progress("ipywidgets.FileUpload with 10 MB and 11 MB files ...")
            ten, eleven = scratch / "10MB.bin", scratch / "11MB.bin"
            write_file(ten, 10_000_000)
            write_file(eleven, 11_000_000)
            ten_ok = arrives(notebook, ten, 60)
            eleven_ok = arrives(notebook, eleven, 20)
            notebook.close()
            browser.close()
    floor_rate, dz_rate = size / floor_s / 1e6, size / dz_s / 1e6
    print(f"FileUpload: 10 MB {'arrives' if ten_ok else 'never arrives'}, "
          f"11 MB {'arrives' if eleven_ok else 'never arrives'}")  # fmt: skip
    return report(
        Figure("floor: minimal anywidget, append to a file", floor_rate, "MB/s"),
        Figure("dropzone: file to stored item", dz_rate, "MB/s"),
        Figure("dropzone / floor throughput", 100 * dz_rate / floor_rate, "%", goal=80),
        Figure("kernel peak memory growth", stored["growth_kib"] / 1024, "MiB", 64, False),
    )


if __name__ == "__main__":
    raise SystemExit(main())
