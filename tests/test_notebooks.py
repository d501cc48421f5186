"""Every notebook in ``notebooks/`` runs top to bottom on a fresh embedded workspace, and the getting-started
notebook, saved with its widget state the way JupyterLab saves it, stays small."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from saved_notebook import STATE_MIME, run_and_save_state

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))
GETTING_STARTED = Path(__file__).parent.parent / "notebooks" / "getting_started.ipynb"
SAVED_GOAL = 300_000  # bytes: the getting-started notebook saved with widget state


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], nbformat.NotebookNode]:
    """Each notebook run once for the module's tests (as CI runs it, with nbclient), with the widget state
    JupyterLab would save in its metadata."""
    runs: dict[Path, nbformat.NotebookNode] = {}

    def execute(path: Path) -> nbformat.NotebookNode:
        if path not in runs:
            runs[path] = run_and_save_state(path, tmp_path_factory.mktemp(path.stem))
        return runs[path]

    return execute


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, executed: Callable[[Path], nbformat.NotebookNode]) -> None:
    nb = executed(path)
    outputs = "".join(o.get("text", "") for cell in nb.cells for o in cell.get("outputs", []))
    assert "Object1" in outputs and "CornerPoint" in outputs
    assert "Items in /images: 3" in outputs
    assert "Task progress: 100% (completed)" in outputs and "_qa: 100% reviewed" in outputs
    errors = [o for cell in nb.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors


def test_the_getting_started_notebook_saved_with_widget_state_is_small(
    executed: Callable[[Path], nbformat.NotebookNode], tmp_path: Path
) -> None:
    saved = tmp_path / GETTING_STARTED.name
    nbformat.write(executed(GETTING_STARTED), saved)
    state = json.loads(saved.read_text())["metadata"]["widgets"][STATE_MIME]
    size = saved.stat().st_size
    assert size <= SAVED_GOAL, (
        f"{size:,} bytes saved, {len(state['state']):,} widget models (goal: {SAVED_GOAL:,}; "
        "benchmarks/saved_state.py says what they are)"
    )
