"""Every notebook in ``notebooks/`` runs top to bottom on a fresh embedded workspace, and the getting-started
notebook, saved with its widget state the way JupyterLab saves it, stays small."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
GETTING_STARTED = Path(__file__).parent.parent / "notebooks" / "getting_started.ipynb"
SAVED_GOAL = 300_000  # bytes: the getting-started notebook saved with widget state

STATE_FILE = "widget_state.json"
# Run in the kernel after the notebook: the widget state JupyterLab's widget manager saves in the notebook
# (its saveState setting): every live model, without the values equal to the model's defaults, binary
# buffers in base64. The core widgets' defaults are the same in the kernel and in the page; other models
# (anywidgets, ipycanvas) have no defaults in the page for their own traits, so those are all saved.
SAVE_WIDGET_STATE = """
import base64, json
import ipywidgets
from ipywidgets.widgets import widget as _widget_module

def _is_default(widget, name, value):
    default = widget.traits()[name].default()  # () for a tuple trait, where default_value is Undefined
    return json.dumps(value, default=str) == json.dumps(default, default=str)  # () and [] alike, as in JS

def _saved(widget):
    own = set() if widget._model_module.startswith("@jupyter-widgets/") else (
        set(widget.keys) - set(ipywidgets.DOMWidget.class_trait_names(sync=True)))
    state = {k: v for k, v in widget.get_state().items() if k in own or not _is_default(widget, k, v)}
    state, paths, buffers = _widget_module._remove_buffers(state)
    saved = {"model_name": widget._model_name, "model_module": widget._model_module,
             "model_module_version": widget._model_module_version, "state": state}
    if buffers:
        saved["buffers"] = [{"encoding": "base64", "path": p, "data": base64.b64encode(b).decode()}
                            for p, b in zip(paths, buffers)]
    return saved

_live = getattr(_widget_module, "_instances", None) or ipywidgets.Widget.widgets
with open(STATE_FILE, "w") as _file:
    json.dump({"version_major": 2, "version_minor": 0,
               "state": {m: _saved(w) for m, w in list(_live.items())}}, _file)
""".replace("STATE_FILE", repr(STATE_FILE))


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], nbformat.NotebookNode]:
    """Each notebook run once for the module's tests (as CI runs it, with nbclient), with the widget state
    JupyterLab would save in its metadata."""
    runs: dict[Path, nbformat.NotebookNode] = {}

    def execute(path: Path) -> nbformat.NotebookNode:
        if path not in runs:
            runs[path] = _execute(path, tmp_path_factory.mktemp(path.stem))
        return runs[path]

    return execute


def _execute(path: Path, folder: Path) -> nbformat.NotebookNode:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DLWIDGETS_HOME", str(folder / "workspace"))
        for var in ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR"):
            env.setenv(var, str(folder / var.lower()))
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(SAVE_WIDGET_STATE))
        resources = {"metadata": {"path": str(folder)}}
        NotebookClient(nb, timeout=120, kernel_name="python3", resources=resources).execute()
    saver = nb.cells.pop()
    assert not saver.outputs, saver.outputs
    state = json.loads((folder / STATE_FILE).read_text())
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": state}
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, executed: Callable[[Path], nbformat.NotebookNode]) -> None:
    nb = executed(path)
    outputs = "".join(o.get("text", "") for cell in nb.cells for o in cell.get("outputs", []))
    assert "Object1" in outputs and "CornerPoint" in outputs
    assert "Items in /images: 3" in outputs
    assert "Task progress: 100% (completed)" in outputs and "_qa: 100% reviewed" in outputs
    errors = [o for cell in nb.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="about 320 KB saved: the goal is not met yet")
def test_the_getting_started_notebook_saved_with_widget_state_is_small(
    executed: Callable[[Path], nbformat.NotebookNode], tmp_path: Path
) -> None:
    saved = tmp_path / GETTING_STARTED.name
    nbformat.write(executed(GETTING_STARTED), saved)
    state = json.loads(saved.read_text())["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]
    size = saved.stat().st_size
    assert size <= SAVED_GOAL, (
        f"{size:,} bytes saved, {len(state['state']):,} widget models (goal: {SAVED_GOAL:,})"
    )
