"""The anywidgets' stylesheets (js/*.css, their ``_css``) reach the page once per widget class, however
many views are shown, and style every view: a Dropzone and a Browser each shown twice."""

from __future__ import annotations

from .page import OpenNotebook

TWO_VIEWS_CELL = """\
from IPython.display import display
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="styles")
dropzone = dw.Dropzone(dataset)
browser = dw.Browser()
display(dropzone, dropzone, browser, browser)
"""

_STYLES_HOLDING_JS = """selector => Array.from(document.querySelectorAll("style"))
    .filter(style => style.textContent.includes(selector)).length"""
_COMPUTED_JS = """([selector, property]) => Array.from(document.querySelectorAll(selector))
    .map(node => getComputedStyle(node).getPropertyValue(property))"""


def test_dropzone_and_browser_grid_stylesheets_come_once_and_style_every_view(
    open_notebook: OpenNotebook,
) -> None:
    notebook = open_notebook([TWO_VIEWS_CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-dropzone")
    notebook.wait_widget(".dlw-item-grid")
    notebook.wait_ready()
    page = notebook.page
    # the dropzone's rule and the grid's
    for rule in ("2px dashed var(--jp-border-color1", ".dlw-item-grid .dlw-grid-cards"):
        assert page.evaluate(_STYLES_HOLDING_JS, rule) == 1, f"style elements holding {rule!r}"
    outputs = notebook.frontend.output
    areas = page.evaluate(_COMPUTED_JS, [f"{outputs} .dlw-drop-area", "border-top-style"])
    assert areas == ["dashed", "dashed"]
    grids = page.evaluate(_COMPUTED_JS, [f"{outputs} .dlw-grid-cards", "display"])
    assert grids == ["grid", "grid"]
