"""Closing a composed widget: ``Widget.close()`` closes one widget, so a replaced form or app would leave
its children's models alive in the kernel and the browser."""

from __future__ import annotations

import ipywidgets as w


def close_tree(widget: w.Widget) -> None:
    """Close ``widget`` and, depth first, every widget among its ``children``."""
    for child in getattr(widget, "children", ()):
        if isinstance(child, w.Widget):
            close_tree(child)
    widget.close()
