"""Differences between ipywidgets 7 (what Colab ships) and 8 that the widgets have to bridge."""

from __future__ import annotations

from typing import Any

import ipywidgets as w


def uploaded_contents(value: Any) -> list[bytes]:
    """The files' bytes in a ``FileUpload`` value: a tuple of dicts in ipywidgets 8, a dict keyed by file
    name in ipywidgets 7."""
    entries = value.values() if isinstance(value, dict) else value
    return [bytes(entry["content"]) for entry in entries]


def tooltip(text: str) -> dict[str, str]:
    """The keyword giving a widget with a description its tooltip: ``tooltip`` in ipywidgets 8,
    ``description_tooltip`` in 7 (which drops an unknown keyword with only a warning)."""
    name = "tooltip" if "tooltip" in w.DOMWidget.class_traits() else "description_tooltip"
    return {name: text}
