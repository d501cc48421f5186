"""Where the widgets' ES modules are: ``js/`` in a source checkout, ``dlwidgets/js/`` in the wheel."""

from __future__ import annotations

from pathlib import Path


def esm(name: str) -> Path:
    """The path of the ES module ``name`` (for an anywidget's ``_esm``)."""
    for folder in (Path(__file__).parent.parent / "js", Path(__file__).parent.parent.parent / "js"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"the widget module {name!r} is missing from this installation of dlwidgets")
