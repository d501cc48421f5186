"""A notebook the page saved with its widget state (the widget manager's ``saveState`` setting on), read back
and held to holding every model it names."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .polling import poll

if TYPE_CHECKING:
    from .page import NotebookPage

STATE_MIME = "application/vnd.jupyter.widget-state+json"
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
_REFERENCE = re.compile(r"IPY_MODEL_([0-9a-f]{32})")


def saved_widget_state(path: Path) -> dict[str, Any]:
    """The widget models saved in the notebook at ``path`` (id -> entry), once every model that its outputs
    show and its models name is among them: a page restoring it draws a widget only when all of its models
    are there ("Error displaying widget: model not found" otherwise)."""
    nb = json.loads(path.read_text())
    state: dict[str, Any] = nb["metadata"]["widgets"][STATE_MIME]["state"]
    outputs = [o for cell in nb["cells"] for o in cell.get("outputs", []) if VIEW_MIME in o.get("data", {})]
    missing = [f"an output shows {o['data'][VIEW_MIME]['model_id']}" for o in outputs]
    missing = [text for text in missing if text.rsplit(" ", 1)[1] not in state]
    for model_id, entry in state.items():
        for name, value in entry["state"].items():
            missing += [
                f"{entry['model_name']} {model_id}'s {name} names {ref}"
                for ref in _REFERENCE.findall(json.dumps(value))
                if ref not in state
            ]
    assert not missing, f"saved without models it names ({len(state)} saved): {missing}"
    return state


def save_from_page(notebook: NotebookPage) -> dict[str, Any]:
    """Save the notebook from its page, as a user does (with its widget state under the saveState
    setting), once the file is written return its ``saved_widget_state``."""
    path = notebook.server.root_dir / notebook.nb_path
    written = path.stat().st_mtime_ns
    notebook.page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    poll(lambda: path.stat().st_mtime_ns != written or None, timeout=60, what="the notebook saved")
    return saved_widget_state(path)
