"""Notebooks for browser tests: the test's cells between a setup cell and a "ready" cell.

The setup cell gives every later cell ``dump(name, obj)``, which writes ``<out_dir>/<name>`` as JSON
atomically, so the test (polling from Python) never reads a half-written file. The last cell dumps
``ready.json``: its existence proves every cell ran in the kernel.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat

READY_FILE = "ready.json"

_SETUP = """\
import json, os, pathlib
OUT = pathlib.Path({out_dir!r})
OUT.mkdir(parents=True, exist_ok=True)

def dump(name, obj):
    tmp = OUT / (name + ".tmp")
    tmp.write_text(json.dumps(obj))
    os.replace(tmp, OUT / name)
"""

_READY = f"dump({READY_FILE!r}, {{'ready': True}})"


def build_notebook(cells: Sequence[str], out_dir: Path) -> nbformat.NotebookNode:
    """A notebook whose code cells are `cells`, framed by the setup and ready cells.

    The kernelspec is set, or the UI would stop at a "Select Kernel" dialog and never start a kernel. The
    framing cells' sources are hidden so the widgets sit near the top of the page.
    """
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    framing = {"jupyter": {"source_hidden": True}}
    nb.cells = [
        nbformat.v4.new_code_cell(_SETUP.format(out_dir=str(out_dir)), metadata=framing),
        *(nbformat.v4.new_code_cell(source) for source in cells),
        nbformat.v4.new_code_cell(_READY, metadata=framing),
    ]
    return nb


def write_notebook(path: Path, cells: Sequence[str], out_dir: Path) -> None:
    """Write `build_notebook(cells, out_dir)` to `path` (creating its folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(build_notebook(cells, out_dir), str(path))
