"""Widgets share the kernel's Layout models until one is changed: in the page, the change shows on that
widget only, and the others keep the shared model's look (two HTML parts of one width, two Logins). A
Layout model opens with only its values set, the page's defaults standing for the rest: its values show,
and one set back to None later clears."""

from __future__ import annotations

from .page import OpenNotebook

CELL = """\
from IPython.display import display
import ipywidgets as w
import dlwidgets as dw
from dlwidgets.widgets.shared_styling import SharedStyling

parts = [SharedStyling().make(w.HTML, value=name, layout={"width": "123px"}) for name in ("one", "two")]
logins = [dw.Login(), dw.Login()]
cleared = SharedStyling().make(w.HTML, value="three", layout={"width": "123px"})
plain = w.HTML(value="four")
for number, widget in enumerate([*parts, *logins, cleared, plain]):
    widget.add_class(f"e2e-shared-{number}")

def change(_):
    parts[0].layout.display = "none"
    logins[0].layout.display = "none"
    cleared.layout.min_height = "31px"  # its own model, then a value set back to None
    cleared.layout.width = None
    dump("changed.json", [z.layout.has_own_model for z in (*parts, *logins)])

button = w.Button(description="change")
button.add_class("e2e-change")
button.on_click(change)
display(*parts, *logins, cleared, plain, button)
"""

_HIDDEN_JS = """(selectors) => selectors.every(
    (selector) => getComputedStyle(document.querySelector(selector)).display === "none")"""
_SHOWN_JS = """(selector) => Array.from(document.querySelectorAll(selector)).map((node) => {
    const style = getComputedStyle(node);
    return [style.display, style.width];
})"""


def test_a_layout_changed_on_one_widget_shows_on_it_alone(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([CELL])
    notebook.run_all()
    notebook.wait_widget(".e2e-change")
    notebook.wait_widget(".dlw-login")
    notebook.wait_ready()
    page, output = notebook.page, notebook.frontend.output

    def shown(number: int) -> list[list[str]]:
        result: list[list[str]] = page.evaluate(_SHOWN_JS, f"{output} .e2e-shared-{number}")
        return result

    assert [shown(n)[0][1] for n in (0, 1)] == ["123px", "123px"]  # the shared model's width
    assert all(shown(n)[0][0] != "none" for n in range(4))
    notebook.output(".e2e-change").click()
    assert notebook.wait_file("changed.json") == [True, False, True, False]
    page.wait_for_function(_HIDDEN_JS, arg=[f"{output} .e2e-shared-0", f"{output} .e2e-shared-2"])
    display, width = shown(1)[0]
    assert display != "none" and width == "123px"  # the other part keeps the shared model
    assert shown(3)[0][0] != "none"  # and so does the other Login
    page.wait_for_function(
        """([cleared, plain]) => getComputedStyle(document.querySelector(cleared)).width
            === getComputedStyle(document.querySelector(plain)).width""",
        arg=[f"{output} .e2e-shared-4", f"{output} .e2e-shared-5"],
    )  # its width set back to None: as wide as an HTML with no width set
    height: str = page.evaluate(
        "(selector) => getComputedStyle(document.querySelector(selector)).minHeight",
        f"{output} .e2e-shared-4",
    )
    assert height == "31px"


ANYWIDGETS_CELL = """\
from IPython.display import display
import ipywidgets as w
import dlwidgets as dw
from dlwidgets.widgets import control_bar as cb

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="layouts")
shown = [dw.Dropzone(dataset), dw.Dropzone(dataset), cb.ControlBar([cb.button("save", "Save")])]
shown.append(cb.ControlBar([cb.button("save", "Save")]))
for number, widget in enumerate(shown):
    widget.add_class(f"e2e-any-{number}")

def change(_):
    shown[0].layout.display = "none"
    shown[2].layout.width = "210px"
    shown[2].layout.margin = "0 0 0 17px"
    shown[3].add_class("e2e-any-added")
    dump("changed.json", [z.layout.has_own_model for z in shown])

button = w.Button(description="change")
button.add_class("e2e-change")
button.on_click(change)
display(*shown, button)
"""

_LOOK_JS = """(selector) => {
    const style = getComputedStyle(document.querySelector(selector));
    return [style.display, style.width, style.marginLeft];
}"""


def test_a_layout_changed_on_an_anywidget_shows_on_it_alone(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([ANYWIDGETS_CELL])
    notebook.run_all()
    notebook.wait_widget(".e2e-change")
    notebook.wait_widget(".dlw-control-bar")
    notebook.wait_widget(".dlw-dropzone")
    notebook.wait_ready()
    page, output = notebook.page, notebook.frontend.output

    def look(number: int) -> list[str]:
        result: list[str] = page.evaluate(_LOOK_JS, f"{output} .e2e-any-{number}")
        return result

    before = [look(n) for n in range(4)]
    assert all(display != "none" for display, _, _ in before)
    notebook.output(".e2e-change").click()
    assert notebook.wait_file("changed.json") == [True, False, True, False]
    # The width opens the bar's own Layout model, the margin is a later update of it: wait for both.
    page.wait_for_function(
        """([hidden, sized]) => getComputedStyle(document.querySelector(hidden)).display === "none"
            && getComputedStyle(document.querySelector(sized)).width === "210px"
            && getComputedStyle(document.querySelector(sized)).marginLeft === "17px" """,
        arg=[f"{output} .e2e-any-0", f"{output} .e2e-any-2"],
    )
    assert look(2)[2] == "17px"
    notebook.output(".e2e-any-3.e2e-any-added").wait_for()  # a class added once shown reaches it too
    assert look(1) == before[1]  # the other Dropzone keeps the shared model's look
    assert look(3) == before[3]  # and so does the other ControlBar
