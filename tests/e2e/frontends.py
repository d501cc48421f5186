"""The notebook UIs the browser tests drive, and what differs between them: the notebook's address, where
the page shows it and its outputs, how the page's kernel state and cells are read, and how "Run All" is
clicked.

JupyterLab 4, Notebook 7 and JupyterLab 3 are one Lumino application (``window.jupyterapp``); the
classic Notebook 6.5 (nbclassic, served by the same JupyterLab 3 server) is ``window.Jupyter`` with
jQuery menus, and loads widget front ends as nbextensions rather than labextensions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from playwright.sync_api import Page

UI = Literal["lab", "notebook7", "lab3", "classic"]


@dataclass(frozen=True)
class Frontend:
    """How the tests find their way around one notebook UI."""

    # The notebook's address: a format string with {path} (URL-quoted) and {workspace}.
    address: str
    # The notebook once the page has loaded it, and the content of one output area.
    panel: str
    output: str
    # JS returning whether the page's kernel connection exists, is connected and idle.
    kernel_idle_js: str
    # JS returning the code cells: execution count, outputs as saved to .ipynb, text each output shows.
    cells_js: str
    run_all: Callable[[Page], None]
    # JS that starts a kernel restart as the Kernel menu's "Restart" does once confirmed (no dialog), and
    # keeps in `window.e2eRestart` a promise that settles once the server has restarted the kernel.
    restart_kernel_js: str


def _lumino_run_all(page: Page) -> None:
    """From the Run menu (the same ids in JupyterLab 3 and 4 and in Notebook 7)."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator('.lm-Menu li.lm-Menu-item[data-command="runmenu:run-all"]').click()


def _classic_run_all(page: Page) -> None:
    """From the Cell menu."""
    page.locator("#celllink").click()
    page.locator("#run_all_cells > a").click()


# The toolbar's status indicator says "idle" before a kernel even exists, so it is not used.
_LUMINO_KERNEL_IDLE_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
    && panel.sessionContext.session.kernel;
  return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""

_LUMINO_CELLS_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.content.widgets) return null;
  return panel.content.widgets.filter(c => c.model.type === 'code').map(c => ({
    count: c.model.executionCount,
    outputs: c.model.outputs.toJSON(),
    shown: Array.from(c.node.querySelectorAll('.jp-OutputArea-output')).map(n => n.innerText),
  }));
}"""

# The kernel's info reply arrives once the connection is ready; the indicator then follows its status.
_CLASSIC_KERNEL_IDLE_JS = """() => {
  const notebook = window.Jupyter && window.Jupyter.notebook;
  const kernel = notebook && notebook.kernel;
  return !!kernel && kernel.is_connected() && Object.keys(kernel.info_reply || {}).length > 0
    && !!document.querySelector('#kernel_indicator_icon.kernel_idle_icon');
}"""

_CLASSIC_CELLS_JS = """() => {
  const notebook = window.Jupyter && window.Jupyter.notebook;
  if (!notebook) return null;
  return notebook.get_cells().filter(c => c.cell_type === 'code').map(c => ({
    count: typeof c.input_prompt_number === 'number' ? c.input_prompt_number : null,
    outputs: c.output_area.toJSON(),
    shown: Array.from(c.element[0].querySelectorAll('.output_subarea')).map(n => n.innerText),
  }));
}"""

_LUMINO_RESTART_JS = (
    "() => { window.e2eRestart = jupyterapp.shell.currentWidget.sessionContext.restartKernel(); }"
)
_CLASSIC_RESTART_JS = """() => {
  window.e2eRestart = new Promise((resolve, reject) => Jupyter.notebook.kernel.restart(resolve, reject));
}"""

_LUMINO = Frontend(
    address="/lab/workspaces/{workspace}/tree/{path}",
    panel=".jp-NotebookPanel",
    output=".jp-OutputArea-output",
    kernel_idle_js=_LUMINO_KERNEL_IDLE_JS,
    cells_js=_LUMINO_CELLS_JS,
    run_all=_lumino_run_all,
    restart_kernel_js=_LUMINO_RESTART_JS,
)

FRONTENDS: dict[UI, Frontend] = {
    "lab": _LUMINO,
    "notebook7": replace(_LUMINO, address="/notebooks/{path}"),
    "lab3": _LUMINO,
    "classic": Frontend(
        address="/notebooks/{path}",
        panel="#notebook-container",
        output=".output_subarea",
        kernel_idle_js=_CLASSIC_KERNEL_IDLE_JS,
        cells_js=_CLASSIC_CELLS_JS,
        run_all=_classic_run_all,
        restart_kernel_js=_CLASSIC_RESTART_JS,
    ),
}
