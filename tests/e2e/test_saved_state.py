"""A notebook saved with its widget state (the widget manager's ``saveState`` setting on) and opened
again: with a new kernel that has run nothing, every widget is drawn from the saved state, each dlwidgets
module imported from the shared module model saved with it; then the new kernel runs the cells and shows
the same widgets from its own models, in the same page. Before that, a second page on the first kernel
draws them from the kernel's live models."""

from __future__ import annotations

from playwright.sync_api import Page

from .notebook import READY_FILE
from .page import OpenNotebook
from .polling import poll
from .saved_state import save_from_page

# Two widgets of one kind (one shared module) and one of another; two bars with the same specs (one specs
# model).
CELL = """\
import dlwidgets as dw
from dlwidgets.widgets import control_bar as cb

dw.connect(home=str(OUT / "workspace"))
runs = len(list(OUT.glob("run-*")))  # which kernel made the widgets: the folders say
(OUT / f"run-{runs}").touch()
if runs:
    dataset = dw.projects.get(project_name="e2e").datasets.get(dataset_name="saved")
else:
    dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="saved")
display(dw.Dropzone(dataset, remote_path=f"/{runs}/a"), dw.Dropzone(dataset, remote_path=f"/{runs}/b"))
display(*(cb.ControlBar([cb.button("save", "Save"), cb.text("n")], values={"n": f"bar {n}"}) for n in "ab"))
dw.PromptComposer(dataset)
"""

# What the page shows of the widgets: the dropzones' folders, the bars' texts, whether a composer is drawn,
# and whether the dropzone's stylesheet is in the page.
_SHOWN_JS = """() => ({
  folders: Array.from(document.querySelectorAll(".jp-OutputArea-output .dlw-remote-path"), (i) => i.value),
  bars: Array.from(document.querySelectorAll(".jp-OutputArea-output .dlw-control-bar"), (n) => n.textContent),
  composers: document.querySelectorAll(".jp-OutputArea-output .dlw-prompt-composer").length,
  styled: getComputedStyle(document.querySelector(".jp-OutputArea-output .dlw-drop-area")).borderStyle,
})"""


def shown(page: Page, expected: dict[str, object], what: str) -> None:
    seen: list[object] = []

    def check() -> bool | None:
        seen[:] = [page.evaluate(_SHOWN_JS) if page.locator(".dlw-drop-area").count() else None]
        return seen[0] == expected or None

    poll(check, timeout=60, what=what, explain=lambda: f"the page shows {seen}")


def test_a_saved_notebook_reopened_draws_its_widgets_from_the_saved_state(
    open_notebook: OpenNotebook, saving_widget_state: None, page: Page
) -> None:
    notebook = open_notebook([CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-prompt-composer")
    notebook.wait_ready()
    bars = ["Savebar a", "Savebar b"]
    expected = {"folders": ["/0/a", "/0/b"], "bars": bars, "composers": 1, "styled": "dashed"}
    shown(page, expected, "the widgets the kernel made")

    state = save_from_page(notebook)
    shared = [m["state"]["name"] for m in state.values() if m["state"].get("esm")]
    assert len(shared) == len(set(shared)), shared  # each module once
    assert "dlwidgets.widgets.dropzone.Dropzone" in shared, shared
    specs = [m for m in state.values() if "controls" in m["state"]]
    assert len(specs) == 1, specs  # the two bars' specs, once
    # A second page on the same, live kernel draws the same widgets from the kernel's models.
    second = page.context.new_page()
    try:
        notebook.again(second).open()
        shown(second, expected, "the widgets in a second page on the same kernel")
    finally:
        second.close()
    notebook.close()  # the kernel goes; the next page's is new and has run nothing

    reopened = notebook.again()
    reopened.open()
    shown(page, expected, "the widgets drawn from the saved state")

    (notebook.out_dir / READY_FILE).unlink()
    reopened.run_all()  # the new kernel makes the same widgets: its own models and shared modules
    reopened.wait_ready()
    shown(page, {**expected, "folders": ["/1/a", "/1/b"]}, "the widgets the second kernel made")
    reopened.close()
