"""Differences between ipywidgets 7 (what Colab ships) and 8 that the widgets have to bridge."""

from __future__ import annotations

from typing import Any


def uploaded_contents(value: Any) -> list[bytes]:
    """The files' bytes in a ``FileUpload`` value: a tuple of dicts in ipywidgets 8, a dict keyed by file
    name in ipywidgets 7."""
    entries = value.values() if isinstance(value, dict) else value
    return [bytes(entry["content"]) for entry in entries]
