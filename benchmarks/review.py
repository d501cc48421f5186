"""The Annotator's review mode in headless Chromium: 1,000 predictions on one item, filtered by the
confidence slider.

Starts ``jupyter lab`` with the browser-test harness (tests/e2e), opens a notebook whose kernel holds one
1600 x 1200 JPEG item with 1,000 predicted boxes (scores spread evenly over 0-1) and shows
``dw.Annotator(item, review=True)``. The page then drags the slider's handle across its track with the
mouse, as a person would, and types thresholds into its readout. In the kernel, a handler of the review
bar's messages (registered after the bar's own) counts, for each change of the threshold, the messages the
kernel sent meanwhile on the stage's comm (its drawing is its synced state), all messages and
their bytes, and the kernel's time from taking the change's message to the end of its handling. Goal: one
drawing message per change.

    .venv/bin/python benchmarks/review.py [--drag-steps 40] [--typed 10] [--ui lab|notebook7]
"""

from __future__ import annotations

import statistics
from typing import Any

# _browser comes first: it puts the harness (tests/e2e) on the import path.
from _browser import browser_arguments, notebook_in_chromium
from _common import Figure, progress, report
from e2e.page import UI, NotebookPage
from e2e.polling import poll

PREDICTIONS = 1000
GOAL_DRAWING_MESSAGES = 1

DATA_CELL = f"""\
import io, os, time
import numpy as np
from PIL import Image
import dlwidgets as dw

os.environ.setdefault("DLWIDGETS_EMAIL", "bench@localhost")
dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="bench").datasets.create(dataset_name="review")
dataset.add_label(label_name="car", color="#00c853")
rng = np.random.default_rng(7)
pixels = rng.integers(0, 256, (1200, 1600, 3), dtype=np.uint8)
jpeg = io.BytesIO()
Image.fromarray(pixels).save(jpeg, format="JPEG", quality=85)
item = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/bench", remote_name="predicted.jpg")
corners = rng.uniform(0, [1450, 1050], ({PREDICTIONS}, 2))
sizes = rng.uniform(20, 150, ({PREDICTIONS}, 2))
boxes = np.hstack([corners, corners + sizes])
scores = (np.arange({PREDICTIONS}) + 0.5) / {PREDICTIONS}
item.annotations.upload_arrays(boxes, ["car"] * {PREDICTIONS}, scores, model_info={{"name": "bench"}})
"""

# Counts what the kernel sends through Session.send: per change of the slider, the messages on the
# stage's comm (its drawing synced), all messages, their bytes and the kernel's time, of
# what the kernel sent while it handled the change's message.
METER_CELL = """\
kernel = get_ipython().kernel
session, send = kernel.session, kernel.session.send
sent = []

def counted_send(stream, msg_or_type, *args, **kwargs):
    msg = send(stream, msg_or_type, *args, **kwargs)
    if isinstance(msg, dict) and msg["header"]["msg_type"] == "comm_msg":
        size = sum(len(session.pack(msg[k])) for k in ("header", "parent_header", "metadata", "content"))
        size += sum(memoryview(b).nbytes for b in kwargs.get("buffers") or ())
        sent.append((msg["content"].get("comm_id"), (msg.get("parent_header") or {}).get("msg_id"), size))
    return msg

session.send = counted_send
annotator = dw.Annotator(item, review=True)
drawing = annotator.stage.comm.comm_id  # the stage: its drawing is its state
changes, mark = [], {"at": 0, "t0": None, "parent": None}

bar = annotator.review  # the slider is the review bar's: its changes come on the bar's comm
handle = kernel.shell_handlers["comm_msg"]

def timed_comm_msg(stream, ident, msg):  # the change's clock starts as the kernel takes its message
    if msg["content"].get("comm_id") == bar.comm.comm_id:
        mark["t0"], mark["parent"] = time.perf_counter(), msg["header"]["msg_id"]
    return handle(stream, ident, msg)

kernel.shell_handlers["comm_msg"] = timed_comm_msg

def measured(_bar, content, _buffers):  # after the bar's own handler: everything the change sent is counted
    if content.get("type") != "set" or content.get("id") != "threshold":
        return
    ms = (time.perf_counter() - mark["t0"]) * 1000 if mark["t0"] is not None else float("nan")
    # What the kernel sent while handling the change's message (not a redraw after a resize meanwhile).
    batch = [m for m in sent[mark["at"]:] if m[1] == mark["parent"]]
    mark["at"] = len(sent)
    shown = len(annotator.review.predictions())
    drawings = sum(1 for comm, _, _ in batch if comm == drawing)
    changes.append({"value": bar.threshold, "shown": shown, "drawing": drawings,
                    "messages": len(batch), "bytes": sum(size for _, _, size in batch), "kernel_ms": ms})
    dump("changes.json", changes)

bar.on_msg(measured)
mark["at"] = len(sent)
annotator
"""


def drag_slider(notebook: NotebookPage, steps: int) -> None:
    """Drag the slider's handle from its left end to its right end in ``steps`` mouse moves."""
    review = notebook.output(".dlw-review")
    track = review.locator("input[type=range]").first
    box = track.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    mouse = notebook.page.mouse
    mouse.move(box["x"] + 4, y)  # the handle, at 0
    mouse.down()
    mouse.move(box["x"] + box["width"] + 10, y, steps=steps)
    mouse.up()


def type_thresholds(notebook: NotebookPage, values: list[float]) -> None:
    """Type each threshold into the slider's readout, waiting for the kernel to take it."""
    readout = notebook.output(".dlw-review").locator("input.dlw-cb-readout").first
    for value in values:
        readout.click()
        notebook.page.keyboard.press("Control+a")
        notebook.page.keyboard.type(f"{value:.2f}")
        notebook.page.keyboard.press("Enter")
        notebook.wait_file("changes.json", until=lambda c, v=value: abs(c[-1]["value"] - v) < 1e-9)


def settled(notebook: NotebookPage, value: float) -> list[dict[str, Any]]:
    """The changes the kernel measured, once it took ``value`` and has been quiet for a moment."""
    seen: list[int] = []

    def check() -> list[dict[str, Any]] | None:
        changes = notebook.wait_file("changes.json")
        quiet = bool(seen) and seen[-1] == len(changes)
        seen.append(len(changes))
        return changes if quiet and abs(changes[-1]["value"] - value) < 1e-9 else None

    result: list[dict[str, Any]] = poll(check, timeout=60, interval=1.0, what=f"the slider at {value}")
    return result


def main() -> int:
    args = browser_arguments(
        __doc__ or "",
        {
            "drag-steps": (40, "mouse moves across the slider"),
            "typed": (10, "thresholds typed into the readout"),
        },
    )
    ui: UI = args.ui
    what = f"one item with {PREDICTIONS:,} predictions"
    with notebook_in_chromium("review", ui, [DATA_CELL, METER_CELL], what) as notebook:
        notebook.wait_widget(".dlw-annotator .dlw-review", timeout=180)
        notebook.wait_ready(timeout=180)
        progress(f"dragging the slider across its track in {args.drag_steps} mouse moves ...")
        drag_slider(notebook, args.drag_steps)
        dragged = settled(notebook, 1.0)
        progress(f"typing {args.typed} thresholds into the readout ...")
        typed = [round(0.95 - 0.9 * i / max(args.typed - 1, 1), 2) for i in range(args.typed)]
        type_thresholds(notebook, typed)
        changes = settled(notebook, typed[-1])
    progress("drawing messages per change: " + " ".join(str(c["drawing"]) for c in changes))
    progress(
        f"{len(dragged)} changes while dragging, {len(changes) - len(dragged)} typed; predictions shown "
        f"went {max(c['shown'] for c in changes)} -> {min(c['shown'] for c in changes)}"
    )
    return report(*figures(changes))


def figures(changes: list[dict[str, Any]]) -> list[Figure]:
    def median(key: str) -> float:
        return float(statistics.median(c[key] for c in changes))

    drawings = [c["drawing"] for c in changes]
    return [
        Figure(
            "slider change: drawing messages (most in one change)",
            max(drawings),
            "msgs",
            GOAL_DRAWING_MESSAGES,
            higher_is_better=False,
        ),
        Figure("slider change: drawing messages (mean)", statistics.mean(drawings), "msgs"),
        Figure("slider change: all messages (median)", median("messages"), "msgs"),
        Figure("slider change: bytes sent (median)", median("bytes") / 1024, "KB"),
        Figure("slider change: kernel time (median)", median("kernel_ms"), "ms"),
        Figure("slider changes measured", len(changes), "changes"),
    ]


if __name__ == "__main__":
    raise SystemExit(main())
