"""The page's messages to a widget handled on the kernel's main thread, one after another, in the order sent.

JupyterLab 4.4+ and Notebook 7 send widget messages to a kernel subshell (their ``commsOverSubshells``
setting), and ipykernel 7 hands each comm's messages to the thread its last message out came from: the main
thread for a widget last changed from a cell, the subshell's thread for one last changed from the page. The
messages of one page then run on two threads at once, in either order: a field's update and the click after
it can run click first. ipykernel's ``_reply_subshell_for`` (looked up on each comm) chooses the thread;
kernels without subshells have no such hook and handle every message on the main thread anyway.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w


def _main_thread(_data: Any, _asked: str | None) -> None:
    return None  # the main shell: no subshell


def handle_on_main_thread(widget: w.Widget) -> None:
    """Have the kernel handle the page's messages to ``widget`` and every widget in its children (and
    theirs) on its main thread."""
    comm = getattr(widget, "comm", None)
    if comm is not None and hasattr(comm, "_reply_subshell_for"):
        comm._reply_subshell_for = _main_thread
    for child in getattr(widget, "children", ()):
        if isinstance(child, w.Widget):
            handle_on_main_thread(child)
