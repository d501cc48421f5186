"""A notebook run by nbclient and saved with the widget state JupyterLab would save in it (its widget
manager's ``saveState`` setting on), for tests and benchmarks that measure what a saved notebook costs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

STATE_MIME = "application/vnd.jupyter.widget-state+json"
STATE_FILE = "widget_state.json"
# Set for the run: the embedded workspace and Jupyter's own folders, all in the run's folder.
ENVIRONMENT = ("DLWIDGETS_HOME", "IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR")
# Run in the kernel after the notebook: the widget state JupyterLab's widget manager saves in the notebook
# (its saveState setting): every live model, without the values equal to the page model's defaults, binary
# buffers in base64. The page's defaults are the kernel's, except for the keys in _ALWAYS, which the page
# has no default for (or another one), and the own traits of anywidgets and plain Widgets, which it has none
# for either: those are saved whatever their value. Found for ipywidgets 8.1, anywidget 0.11 and ipycanvas
# 0.14 by comparing with JupyterLab's own save (benchmarks/saved_state.py --lab).
SAVE_WIDGET_STATE = """
import base64, json
import ipywidgets
from ipywidgets.widgets import widget as _widget_module

_FONT = {"font_family", "font_size", "font_style", "font_variant", "font_weight", "text_color",
         "text_decoration"}
_TEXT = {"description_width", "font_size", "text_color"}
_VERSIONS = {"_model_module_version", "_view_module_version"}
_ALWAYS = {
    "ButtonStyleModel": _FONT, "ToggleButtonStyleModel": _FONT | {"description_width"},
    "HTMLStyleModel": _TEXT, "TextStyleModel": _TEXT, "DescriptionStyleModel": {"description_width"},
    "SliderStyleModel": {"description_width"}, "CheckboxStyleModel": {"description_width"},
    "ProgressStyleModel": {"description_width"},
    "ToggleButtonsStyleModel": {"description_width", "button_width"},
    "CheckboxModel": {"disabled"}, "DatePickerModel": {"disabled", "max", "min", "step"},
    "FloatSliderModel": {"behavior"},
    "ToggleButtonsModel": {"button_style", "icons", "tooltips"},
    "WidgetModel": {"_view_module", "_view_module_version"},
    "CanvasModel": _VERSIONS, "MultiCanvasModel": _VERSIONS,
    "CanvasManagerModel": _VERSIONS | {"_view_module"},
    "AnyModel": _VERSIONS | {"_model_module", "_model_name", "_view_module", "_view_name"},
}
_BASES = {"AnyModel": ipywidgets.DOMWidget, "WidgetModel": ipywidgets.Widget}

def _is_default(widget, name, value):
    default = widget.traits()[name].default()  # () for a tuple trait, where default_value is Undefined
    return json.dumps(value, default=str) == json.dumps(default, default=str)  # () and [] alike, as in JS

def _saved(widget):
    base = _BASES.get(widget._model_name)
    always = _ALWAYS.get(widget._model_name, set()) | (
        set(widget.keys) - set(base.class_trait_names(sync=True)) if base else set())
    state = {k: v for k, v in widget.get_state().items() if k in always or not _is_default(widget, k, v)}
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


def run_and_save_state(path: Path, folder: Path, timeout: int = 120) -> nbformat.NotebookNode:
    """The notebook at ``path`` run top to bottom in ``folder`` (its embedded workspace and Jupyter's
    folders there too), with the widget state JupyterLab would save in its metadata."""
    folder.mkdir(parents=True, exist_ok=True)
    saved_env = {name: os.environ.get(name) for name in ENVIRONMENT}
    try:
        os.environ["DLWIDGETS_HOME"] = str(folder / "workspace")
        for var in ENVIRONMENT[1:]:
            os.environ[var] = str(folder / var.lower())
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(SAVE_WIDGET_STATE))
        resources = {"metadata": {"path": str(folder)}}
        # No timing in the cells' metadata: JupyterLab saves none.
        client = NotebookClient(
            nb, timeout=timeout, kernel_name="python3", resources=resources, record_timing=False
        )
        client.execute()
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    saver = nb.cells.pop()
    assert not saver.outputs, saver.outputs
    state = json.loads((folder / STATE_FILE).read_text())
    nb.metadata["widgets"] = {STATE_MIME: state}
    return nb
