"""A widget's plain parts share Layout and Style models: one per distinct value, refusing changes, kept
alive while parts come and go, and closed with the widget."""

from __future__ import annotations

import ipywidgets as w
import pytest
from traitlets import TraitError

from dlwidgets.widgets.base import WidgetBase, close_all, live_models
from dlwidgets.widgets.shared_styling import SharedStyling


def test_parts_share_one_layout_and_style_per_value() -> None:
    shared = SharedStyling()
    before = live_models()
    first, second = (shared.make(w.Text, layout={"width": "96px"}) for _ in range(2))
    other = shared.make(w.Text, layout={"width": "50%"})
    assert first.layout is second.layout and first.style is second.style
    assert other.layout is not first.layout and other.style is first.style
    assert live_models() - before == 3 + 2 + 1  # three texts, two layouts, one style
    close_all([first, second, other])
    assert live_models() - before == 2 + 1
    shared.close()
    assert live_models() == before


def test_a_shared_model_refuses_a_change_and_says_what_to_do() -> None:
    widget = WidgetBase()
    hidden = widget.shared.make(w.HTML, value="a")
    with pytest.raises(TraitError, match="shared by many widgets, so display can't be set"):
        hidden.layout.display = "none"
    assert hidden.layout.display is None
    own = widget.shared.make(w.HTML, value="b", layout=w.Layout())  # a layout of its own changes freely
    own.layout.display = "none"
    widget.close()


def test_shared_models_outlive_the_parts_closed_and_close_with_their_widget() -> None:
    before = live_models()
    widget = WidgetBase()
    box = widget.shared.make(w.VBox)
    widget.children = [box]
    widget.replace_children(box, [widget.button("one", lambda: None)])
    shared = box.children[0].layout
    widget.replace_children(box, [widget.button("two", lambda: None)])  # "one" is closed, not its layout
    assert shared.comm is not None and box.children[0].layout is shared
    widget.close()
    assert shared.comm is None and live_models() == before
