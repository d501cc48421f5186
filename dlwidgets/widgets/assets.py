"""Where the widgets' browser files (ES modules and their stylesheets) are: ``js/`` in a source checkout,
``dlwidgets/js/`` in the wheel."""

from __future__ import annotations

from pathlib import Path


def asset(name: str) -> Path:
    """The path of the browser file ``name``, for an anywidget's ``_esm`` or ``_css``."""
    for folder in (Path(__file__).parent.parent / "js", Path(__file__).parent.parent.parent / "js"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"the widget file {name!r} is missing from this installation of dlwidgets")
