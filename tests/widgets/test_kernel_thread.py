"""Every comm of a dlwidgets widget tree routes the page's messages to the kernel's main shell, a child added
after opening included, whatever subshell last published on it; a user's own widget keeps ipykernel's
routing. The comms are ipykernel's own (``Comm._reply_subshell_for`` is the hook its shell channel asks)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import comm
import ipywidgets as w
import pytest
import traitlets
from ipykernel.comm.comm import BaseComm
from ipywidgets.widgets.trait_types import TypedTuple

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator
from dlwidgets.widgets.base import WidgetBase
from dlwidgets.widgets.ontology_editor import OntologyEditor
from dlwidgets.widgets.shared_styling import SHARED

SUBSHELL = "subshell-1"


@pytest.fixture(autouse=True)
def _ipykernel_comms(monkeypatch: pytest.MonkeyPatch) -> None:
    """Models open with ipykernel's comms, as in a kernel (ipywidgets 7 makes one itself; 8 asks ``comm``)."""
    monkeypatch.setattr(comm, "create_comm", BaseComm)


def route(widget: w.Widget) -> str | None:
    """The subshell ipykernel's shell channel sends a page message to ``widget`` to, when the comm's last
    publish came from a message of ``SUBSHELL``."""
    widget.comm._reply_subshell_id = SUBSHELL
    routed: str | None = widget.comm._reply_subshell_for({"method": "update"}, SUBSHELL)
    return routed


def tree(widget: w.Widget) -> Iterator[w.Widget]:
    """``widget`` and every widget it holds in any trait, once each."""
    seen: set[int] = set()
    stack = [widget]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        for value in node._trait_values.values():
            values: Any = value if isinstance(value, (list, tuple)) else (value,)
            stack.extend(v for v in values if isinstance(v, w.Widget))


def open_models(widget: w.Widget) -> list[w.Widget]:
    """The models of ``widget``'s tree opened with ipykernel's comms (shared ones may be older)."""
    found = [node for node in tree(widget) if isinstance(getattr(node, "comm", None), BaseComm)]
    assert len(found) >= 4, found  # a whole tree, not its root alone
    return found


def assert_on_main_shell(widget: w.Widget) -> None:
    wrong = [type(node).__name__ for node in open_models(widget) if route(node) is not None]
    assert not wrong, f"routed to a subshell: {wrong}"


def test_every_comm_of_an_ontology_editor_is_handled_on_the_main_shell(dataset: dw.Dataset) -> None:
    editor = OntologyEditor(dataset)
    assert_on_main_shell(editor)
    assert any(type(node) is w.Button for node in tree(editor))  # plain ipywidgets made inside


def test_every_comm_of_an_annotator_is_handled_on_the_main_shell(image_item: dw.Item) -> None:
    assert_on_main_shell(Annotator(image_item))


def test_children_added_later_are_handled_on_the_main_shell(dataset: dw.Dataset) -> None:
    editor = OntologyEditor(dataset)
    row = w.HBox()
    editor.children = (*editor.children, row)
    field, later = w.Text(), w.Button()
    row.children = (field,)
    field.layout = w.Layout(width="10px")
    row.children = (field, later)
    assert [route(node) for node in (row, field, field.layout, later)] == [None] * 4


def test_a_users_own_widget_keeps_ipykernels_routing(dataset: dw.Dataset) -> None:
    OntologyEditor(dataset)
    mine = w.Button(description="mine")
    assert route(mine) == SUBSHELL


def test_shared_layout_and_style_models_and_a_style_changed_later_are_handled_on_the_main_shell(
    dataset: dw.Dataset,
) -> None:
    for model in list(SHARED):  # made again, with ipykernel's comms, when next asked for
        model.close()
    editor = OntologyEditor(dataset)
    shared = [model for model in SHARED if isinstance(model.comm, BaseComm)]
    assert any(isinstance(model, w.ButtonStyle) for model in shared), shared
    assert [type(model).__name__ for model in shared if route(model) is not None] == []
    button = next(node for node in tree(editor) if type(node) is w.Button)
    button.style.button_color = "red"  # its own Style model from now on
    assert route(button.style) is None


class Walked(list[Any]):
    """A list that counts the times it is walked through."""

    walks = 0

    def __iter__(self) -> Iterator[Any]:
        self.walks += 1
        return super().__iter__()


class Panel(WidgetBase):
    """A widget with a value trait that changes often (a list of rows) and widget-holding traits of its own:
    one widget, a tuple of them, and a widget kept in the kernel only."""

    rows = traitlets.Any().tag(sync=True)
    extra = traitlets.Instance(w.Widget, allow_none=True).tag(sync=True, **w.widget_serialization)
    parts = TypedTuple(trait=traitlets.Instance(w.Widget)).tag(sync=True, **w.widget_serialization)
    kept = traitlets.Instance(w.Widget, allow_none=True)


def test_a_value_changed_is_not_walked_for_widgets() -> None:
    panel = Panel()
    rows = Walked(range(5000))
    panel.rows = rows
    panel.rows = Walked()
    assert rows.walks == 0, "an objects list walked for widgets at every change"


def test_widgets_added_later_in_a_widgets_own_traits_are_handled_on_the_main_shell() -> None:
    panel = Panel()
    assert route(panel) is None
    extra, first, second, kept = w.Button(), w.Text(), w.HTML(), w.Label()
    panel.extra = extra
    panel.parts = (first,)
    panel.parts = (first, second)
    panel.kept = kept
    first.style = type(first.style)(description_width="10px")
    assert [route(node) for node in (extra, first, second, kept, first.style)] == [None] * 5
    assert route(w.Button()) == SUBSHELL  # a widget held by none of them
