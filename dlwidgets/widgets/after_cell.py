"""``after_cell``: run a callback once the notebook cell running now is done, or at once when none is.

A widget's bulky message can wait for the end of the cell that made it: the cell's display of the widget,
which the page needs before it can show anything, then leaves the kernel ahead of it instead of queued
behind its bytes (one ordered stream carries both). Nothing is lost by waiting: the kernel handles no
message from the page while a cell runs, so a widget is not interactive before its cell ends anyway.

"Running" is IPython's own flag for user code being executed (its display hook holds the cell's result);
the callbacks run at IPython's ``post_execute`` event, which follows every execution, one that raised too
(hooked only while callbacks wait). Outside a cell (no IPython shell, a comm message's handler) a callback
runs at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The callbacks waiting for the running cell's end, in the order given.
_WAITING: list[Callable[[], object]] = []


def after_cell(callback: Callable[[], object]) -> None:
    """Call ``callback`` once the cell running now is done (at once when no cell is running)."""
    shell = _running_shell()
    if shell is None:
        callback()
        return
    if not _WAITING:

        def cell_done() -> None:
            shell.events.unregister("post_execute", cell_done)
            _run_waiting()

        shell.events.register("post_execute", cell_done)
    _WAITING.append(callback)


def _running_shell() -> Any:
    """IPython's shell while it executes a cell's code, else None."""
    from IPython import get_ipython

    shell = get_ipython()
    hook = getattr(shell, "displayhook", None)
    return shell if getattr(hook, "exec_result", None) is not None else None


def _run_waiting() -> None:
    """Run the waiting callbacks, every one even if one raises (the first error is raised after them:
    IPython shows it under the cell)."""
    waiting = list(_WAITING)
    _WAITING.clear()
    error: Exception | None = None
    for callback in waiting:
        try:
            callback()
        except Exception as raised:  # raised once the others ran
            error = error or raised
    if error is not None:
        raise error
