"""Imported inside a real ipykernel by benchmarks/kernel_cell.py: where a cell's time goes in the kernel.

`install()` wraps the functions a widget's cell runs through (LABELS) with timers that split the build's
wall time among them: each span is charged its own time, the time of the spans it calls being charged to
those (a function calling itself is timed once, from its outermost call). What no span holds is the
widgets' own Python: traits, the composition, the drawing's bookkeeping. `measure(build)` runs one build
under them: the main thread's wall and CPU ms, each span's ms and calls, and the CPU ms the IOPub thread
spent meanwhile (it sends each message beside the main thread, taking the GIL to do so); `finish()` adds
the display's (the cell's value, shown after the build).
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Callable
from typing import Any

# label: what the span holds, in the order printed
LABELS = {
    "api": "API calls: httpx and the client (workspace aside)",
    "store": "workspace: routing, SQLite, files",
    "entities": "annotations' shapes from their JSON",
    "drawing": "drawing commands (canvas_drawing)",
    "state": "widget state: get_state (ours, ipywidgets')",
    "buffers": "widget state: _remove_buffers",
    "comm": "comm: message dict, headers (Session.send)",
    "serialize": "comm: JSON + HMAC (Session.serialize)",
    "handoff": "comm: hand-off to the IOPub thread",
    "repr": "display: _repr_mimebundle_",
}

SPANS: dict[str, float] = {}
COUNTS: dict[str, int] = {}
# When the IOPub thread gave each message to its socket (time.time()), by msg_id, since the last build.
SENT: dict[str, float] = {}
# The open spans of the main thread: [label, start, ms of the spans it called].
_STACK: list[list[Any]] = []


def _timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread() or any(s[0] == label for s in _STACK):
            return function(*args, **kwargs)
        frame = [label, time.perf_counter(), 0.0]
        _STACK.append(frame)
        try:
            return function(*args, **kwargs)
        finally:
            _STACK.pop()
            spent = (time.perf_counter() - frame[1]) * 1000
            SPANS[label] = SPANS.get(label, 0.0) + spent - frame[2]
            COUNTS[label] = COUNTS.get(label, 0) + 1
            if _STACK:
                _STACK[-1][2] += spent

    timed.__span__ = label  # type: ignore[attr-defined]
    return timed


def _wrap(owner: Any, name: str, label: str) -> None:
    current = owner.__dict__.get(name)
    if current is not None and not hasattr(current, "__span__"):
        setattr(owner, name, _timed(label, current))


def install() -> None:
    """Wrap the functions of LABELS with timers (again after classes are made: each override too)."""
    import ipywidgets.widgets.widget as widget_module
    from ipykernel.iostream import IOPubThread
    from jupyter_client.session import Session

    from dlwidgets.api.client import Client
    from dlwidgets.api.transport import LocalTransport
    from dlwidgets.widgets.annotator import annotator
    from dlwidgets.widgets.models import annotation_edits

    _wrap(Client, "request", "api")
    _wrap(Client, "stream", "api")
    _wrap(LocalTransport, "handle_request", "store")
    _wrap(annotation_edits.AnnotationEdits, "load", "entities")
    _wrap(annotator, "draw_annotations", "drawing")  # as the Annotator names it
    _wrap(widget_module, "_remove_buffers", "buffers")
    _wrap(Session, "send", "comm")
    _wrap(Session, "serialize", "serialize")
    _wrap(IOPubThread, "schedule", "handoff")
    IOPubThread._really_send = _note_sent(IOPubThread._really_send)
    for cls in [widget_module.Widget, *_subclasses(widget_module.Widget)]:
        _wrap(cls, "get_state", "state")
        _wrap(cls, "_repr_mimebundle_", "repr")


def _note_sent(really_send: Callable[..., Any]) -> Callable[..., Any]:
    """`IOPubThread._really_send`, noting when each message leaves (it runs in the IOPub thread)."""
    if hasattr(really_send, "__span__"):
        return really_send

    @functools.wraps(really_send)
    def noted(self: Any, msg: list[bytes], *args: Any, **kwargs: Any) -> Any:
        try:
            result = really_send(self, msg, *args, **kwargs)
        finally:
            delimiter = msg.index(b"<IDS|MSG>")
            SENT[json.loads(msg[delimiter + 2])["msg_id"]] = time.time()
        return result

    noted.__span__ = "sent"  # type: ignore[attr-defined]
    return noted


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def _iopub_thread_cpu() -> float:
    """The IOPub thread's CPU seconds so far (its POSIX thread CPU clock), 0 where there is none."""
    for thread in threading.enumerate():
        if thread.name == "IOPub" and thread.ident is not None:
            return time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
    return 0.0


_LAST: list[dict[str, float]] = []


def measure(build: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    """Run `build()` under the spans: what it returned and its figures (ms, calls); the display's are
    added by `finish()`, after the cell has shown it."""
    install()
    SPANS.clear()
    COUNTS.clear()
    SENT.clear()
    iopub = _iopub_thread_cpu()
    c0, t0 = time.thread_time(), time.perf_counter()
    built = build()
    wall, cpu = (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000
    figures = {"wall": wall, "cpu": cpu, "iopub_cpu": (_iopub_thread_cpu() - iopub) * 1000}
    figures.update({f"span:{k}": v for k, v in SPANS.items()})
    figures.update({f"count:{k}": float(v) for k, v in COUNTS.items()})
    _LAST[:] = [figures]
    SPANS.clear()
    COUNTS.clear()
    return built, figures


def finish() -> None:
    """Add the display of the last build (the cell's value, shown after it) to that build's figures."""
    for figures in _LAST:
        figures["span:repr"] = SPANS.get("repr", 0.0)
        figures["count:repr"] = float(COUNTS.get("repr", 0))
