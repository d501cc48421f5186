"""Widget parts share the kernel's Layout and Style models, one per class and values; a part whose layout
or style is then changed gets a model of its own (copy on write), and the page is told to use it."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import ipywidgets as w
import pytest
from traitlets import TraitError, Unicode

from dlwidgets.widgets.base import WidgetBase, close_all, live_models
from dlwidgets.widgets.item_grid import ItemGrid
from dlwidgets.widgets.shared_styling import IDENTITY, OpensWithChanges, SharedStyling, shared_model


def reference(widget: w.Widget, name: str = "layout") -> str:
    """What the page is told ``widget``'s ``name`` trait holds."""
    value: str = widget.get_state(name)[name]
    return value


def recorded(widget: w.Widget, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The messages ``widget`` sends to the page from now on."""
    sent: list[dict[str, Any]] = []
    send = widget._send
    monkeypatch.setattr(widget, "_send", lambda msg, buffers=None: (sent.append(msg), send(msg, buffers)))
    return sent


def test_parts_share_the_kernels_model_per_class_and_values() -> None:
    shared = SharedStyling()
    before = live_models()
    first, second = (
        shared.make(w.Text, layout={"width": "96.5px"}, style={"description_width": "7em"}) for _ in range(2)
    )
    other = shared.make(w.Text, layout={"width": "50.5%"}, style={"description_width": "7em"})
    assert reference(first) == reference(second) != reference(other)
    assert reference(first, "style") == reference(other, "style")
    assert live_models() - before == 3 + 2 + 1  # three texts, two layouts, one style
    close_all([first, second, other])
    assert live_models() - before == 2 + 1  # the kernel's models stay for the next parts
    again = shared.make(w.Text, layout={"width": "96.5px"}, style={"description_width": "7em"})
    assert live_models() - before == 2 + 1 + 1 and reference(again) == reference(first)
    again.close()


def test_a_change_gives_the_part_a_model_of_its_own_and_tells_the_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    widget = WidgetBase()
    hidden, shown = (widget.shared.make(w.HTML, value=v, layout={"min_height": "9px"}) for v in "ab")
    shared = reference(shown)
    sent = recorded(hidden, monkeypatch)
    before = live_models()
    hidden.layout.display = "none"
    assert live_models() - before == 1
    assert hidden.layout.display == "none" and shown.layout.display is None
    assert reference(hidden) != shared == reference(shown)
    assert reference(hidden) == f"IPY_MODEL_{hidden.layout.comm.comm_id}"
    assert hidden.layout.get_state()["min_height"] == "9px"  # the shared values are kept
    assert {"method": "update", "state": {"layout": reference(hidden)}, "buffer_paths": []} in sent
    hidden.layout.display = ""  # from now on an ordinary Layout
    assert live_models() - before == 1
    widget.children = [hidden, shown]
    widget.close()
    assert hidden.layout.comm is None  # closed with its widget; the shared one stays
    assert shared_model(w.Layout, (("min_height", "9px"),)).comm is not None


def test_a_style_change_gives_the_part_a_style_of_its_own() -> None:
    shared = SharedStyling()
    red, plain = (shared.make(w.Button, description=d) for d in "ab")
    red.style.button_color = "red"
    assert reference(red, "style") != reference(plain, "style")
    assert plain.style.button_color is None
    close_all([red, plain])


def test_the_shared_model_itself_refuses_a_change_and_says_what_to_do() -> None:
    model = shared_model(w.Layout, (("width", "auto"),))
    with pytest.raises(TraitError, match="shared by many widgets, so display can't be set"):
        model.display = "none"
    assert model.display is None


def test_widgets_and_anywidgets_share_an_empty_layout_until_they_set_one() -> None:
    grids = [ItemGrid(lambda *_: None, lambda *_: None) for _ in range(2)]
    boxes = [WidgetBase(), WidgetBase()]
    empty = f"IPY_MODEL_{shared_model(w.Layout, ()).model_id}"
    assert {reference(widget) for widget in [*grids, *boxes]} == {empty}
    grids[0].layout.height = "300px"
    boxes[0].layout.width = "50%"
    assert reference(grids[0]) != empty and reference(boxes[0]) != empty
    assert reference(grids[1]) == reference(boxes[1]) == empty
    assert grids[1].layout.height is None and boxes[1].layout.width is None
    close_all([*grids, *boxes])


def test_a_closed_shared_model_is_made_again_for_the_next_parts() -> None:
    first = SharedStyling().make(w.HTML, layout={"width": "61.5px"})
    model = shared_model(w.Layout, (("width", "61.5px"),))
    closed = reference(first)
    model.close()  # Widget.close_all() closes it too
    second = SharedStyling().make(w.HTML, layout={"width": "61.5px"})
    assert reference(second) != closed
    assert shared_model(w.Layout, (("width", "61.5px"),)).comm is not None
    close_all([first, second])


def test_a_layout_model_opens_with_only_the_values_set_on_it(opened: list[dict[str, Any]]) -> None:
    part = SharedStyling().make(w.HTML, layout={"width": "31.5px"})
    assert part.layout.width == "31.5px" and not part.layout.has_own_model
    part.layout.width = "41.5px"  # its own model now
    layouts = [state for state in opened if state["_model_name"] == "LayoutModel"]
    identity = {name: getattr(w.Layout(), name) for name in IDENTITY}
    assert layouts == [{**identity, "width": "31.5px"}, {**identity, "width": "41.5px"}]
    part.layout.width = None  # set back to the default: sent as usual, the page clears it
    assert part.layout.get_state("width") == {"width": None}
    part.close()


def test_widgets_open_without_the_values_that_are_the_page_models_defaults(
    opened: list[dict[str, Any]],
) -> None:
    grid = ItemGrid(lambda *_: None, lambda *_: None)
    box = WidgetBase()
    part = SharedStyling().html("shown")
    by_class = {state["_model_name"]: state for state in opened}
    anywidget = by_class["AnyModel"]
    assert not {"_view_count", "_dom_classes", "tabbable", "tooltip", "_anywidget_id"} & set(anywidget)
    # An anywidget's page model is a DOMWidgetModel's: AnyModel's view and the module's traits are kept.
    assert anywidget["_view_name"] == "AnyView" and "_shared_module" in anywidget
    # The kernel's shared empty Layout is not named: the page's views take none as an empty one.
    assert set(by_class["VBoxModel"]) == set(IDENTITY)
    assert set(by_class["HTMLModel"]) == {*IDENTITY, "value", "style"}
    sized = SharedStyling().make(w.VBox, layout={"width": "10px"})
    assert sized.get_state()["layout"] == f"IPY_MODEL_{sized.layout.model_id}"
    sized.close()
    box.add_class("dlw-lean")
    box.children = [part]
    assert box.get_state()["_dom_classes"] == ("dlw-lean",) and box.get_state()["_view_count"] is None
    for widget in (grid, box, part):
        widget.close()


def test_each_part_syncs_the_traits_of_its_own_class_and_those_added_to_it() -> None:
    """ipywidgets' ``keys`` (the traits sent to the page) are looked up once per class here: each part
    still sends every synced trait of its class, and a trait added to one widget goes with that one only."""
    shared = SharedStyling()
    parts = [
        shared.layout(width="21.5px"),
        shared.style(w.HTML),
        shared.html("a"),
        shared.vbox(),
        WidgetBase(),
    ]
    for part in parts:
        assert part.keys == part.trait_names(sync=True) and set(part.get_state()) == set(part.keys)
    widget, other = shared.vbox(), shared.vbox()
    widget.add_traits(note=Unicode("added").tag(sync=True))
    assert "note" in widget.keys and widget.get_state()["note"] == "added"
    assert "note" not in other.keys and "note" not in shared.vbox().keys
    close_all([*parts, widget, other])


class Noted(OpensWithChanges, w.DOMWidget):
    """A widget whose page module reads its own ``note`` missing as its default."""

    note = Unicode("").tag(sync=True)
    _own_defaults = ("note",)


def test_a_class_made_for_one_widget_goes_with_that_widget() -> None:
    """What is looked up once per class (its synced traits, its defaults) is kept as long as the class: a
    class made by adding traits to one widget is not kept once that widget is gone."""
    widget = Noted()
    widget.add_traits(extra=Unicode("added").tag(sync=True))
    made = weakref.ref(type(widget))
    widget.close()
    widget.open()  # its model opens again, as its own class: its synced traits and defaults looked up
    assert widget.get_state()["extra"] == "added"
    widget.close()
    del widget
    gc.collect()
    assert made() is None, "the class made for the widget outlived it"
