"""An Annotator made while no page shows its notebook (the code run from a console attached to the kernel,
the tab closed): the first page to open it gets none of the drawing messages sent so far, yet its image
and annotations are drawn, in JupyterLab 4 and Notebook 7."""

from __future__ import annotations

import json
from pathlib import Path

from jupyter_client import BlockingKernelClient

from .page import NotebookPage, OpenNotebook
from .test_annotator import WORKSPACE_CELL
from .test_annotator_reload import ANNOTATOR_CELL, _check_drawn
from .views import AnnotatorView


def run_in_kernel(notebook: NotebookPage, code: str) -> None:
    """Run `code` in the notebook's kernel as a console attached to it would, not through a page."""
    kernel_id = next(s for s in notebook.server.sessions() if s["path"] == notebook.nb_path)["kernel"]["id"]
    client = BlockingKernelClient(
        connection_file=str(notebook.server.base_dir / "runtime" / f"kernel-{kernel_id}.json")
    )
    client.load_connection_file()
    client.start_channels()
    try:
        reply = client.execute_interactive(code, timeout=120, output_hook=lambda _msg: None)
    finally:
        client.stop_channels()
    content = reply["content"]
    assert content["status"] == "ok", f"{content.get('ename')}: {content.get('evalue')}"


def test_an_annotator_made_with_no_page_open_is_drawn_on_the_first_page(
    open_notebook: OpenNotebook,
) -> None:
    notebook = open_notebook(["annotator"])  # shows the annotator, made before any page opened it
    setup = json.loads(Path(notebook.server.root_dir, notebook.nb_path).read_text())["cells"][0]["source"]
    notebook.page.goto("about:blank")
    made = ANNOTATOR_CELL.removesuffix("annotator\n")
    run_in_kernel(notebook, "".join(setup) + "\n" + WORKSPACE_CELL + made)
    notebook.open()
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    _check_drawn(AnnotatorView(notebook), "on the first page to show it")
