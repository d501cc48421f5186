"""The widgets' base: status line, the error policy of user actions, callbacks, the quiet flag, and
closing whole trees of widget models."""

from __future__ import annotations

from typing import Any

import ipywidgets as w
import pytest

import dlwidgets as dw
from dlwidgets.widgets.base import ERROR_COLOR, WidgetBase, close_tree, counted, live_models, replace_children


class Counter(WidgetBase):
    """A small widget on the base, as a widget module would write one."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.plus = self.button("plus", self.add, icon="plus")
        self.rows = w.VBox()
        self.children = [self.plus, self.rows, self.status_line]

    def add(self) -> int:
        self.count += 1
        self.callbacks("on_add").fire(self.count)
        return self.count


def test_the_status_line_costs_no_model_until_it_shows_something(monkeypatch: pytest.MonkeyPatch) -> None:
    Counter()  # the kernel's shared empty line, made once
    before = live_models()
    counter = Counter()
    assert live_models() - before == 4  # the box, its button, its rows and their Layout: no status line
    quiet = Counter()
    line = counter.children[-1]
    assert reference(counter)[-1] == reference(quiet)[-1]  # both show the kernel's empty line
    sent: list[dict[str, Any]] = []
    send = counter._send
    monkeypatch.setattr(counter, "_send", lambda msg, buffers=None: (sent.append(msg), send(msg, buffers)))
    counter.error("no such label")  # never lost: the line's own model opens with it, the box names it
    assert line.comm is not None and "no such label" in line.get_state()["value"]
    assert reference(counter)[-1] == f"IPY_MODEL_{line.comm.comm_id}" != reference(quiet)[-1]
    assert [m["state"] for m in sent] == [{"children": reference(counter)}]
    assert live_models() - before == 4 + 4 + 1
    counter.clear_status()
    assert line.get_state()["value"] == "" and reference(counter)[-1] == f"IPY_MODEL_{line.comm.comm_id}"
    counter.close()
    assert line.comm is None


def test_a_status_line_given_another_shared_layout_stays_shared() -> None:
    counters = [Counter(), Counter()]
    for counter in counters:
        counter.status_line.layout = counter.shared.layout(min_height="23.5px")
    assert reference(counters[0])[-1] == reference(counters[1])[-1] != reference(Counter())[-1]
    line = counters[0].status_line
    line.layout.min_height = "24.5px"  # its layout's own model: the line gets its own, naming it
    assert line.comm is not None and line.get_state()["layout"] == f"IPY_MODEL_{line.layout.comm.comm_id}"
    assert reference(counters[0])[-1] == f"IPY_MODEL_{line.comm.comm_id}"
    for counter in counters:
        counter.close()


def reference(box: w.Box) -> list[str]:
    """The models the page is told ``box`` shows."""
    children: list[str] = box.get_state("children")["children"]
    return children


def test_error_and_notice_are_shown_and_read_back() -> None:
    counter = Counter()
    counter.error("no <b>such</b> label")
    assert counter.status == "no <b>such</b> label" and counter.status_kind == "error"
    assert "&lt;b&gt;" in counter.status_line.value and ERROR_COLOR in counter.status_line.value
    counter.notice("saved")
    assert counter.status == "saved" and counter.status_kind == "notice"
    assert "dlw-notice" in counter.status_line.value and "color" not in counter.status_line.value
    counter.clear_status()
    assert counter.status == "" and counter.status_line.value == ""


@pytest.mark.parametrize(
    "error, shown",
    [
        (dw.exceptions.NotFound("item 'a.jpg' not found"), "item 'a.jpg' not found"),
        (ValueError("bad colour '#zz'"), "bad colour '#zz'"),
        (TypeError("needs a Dataset, got 3"), "needs a Dataset, got 3"),
        (FileNotFoundError("no file x.png"), "no file x.png"),
        (ConnectionError("cannot reach the server"), "cannot reach the server"),
    ],
)
def test_attempt_shows_what_a_user_action_may_raise(error: Exception, shown: str) -> None:
    def action() -> None:
        raise error

    counter = Counter()
    assert counter.attempt(action) is None
    assert counter.status == shown and counter.status_kind == "error"


def test_attempt_raises_a_defect_of_the_code() -> None:
    counter = Counter()
    with pytest.raises(KeyError):
        counter.attempt(lambda: {}["missing"])


def test_attempt_clears_the_last_error_and_returns_the_result() -> None:
    counter = Counter()
    counter.error("old")
    assert counter.attempt(counter.add) == 1 and counter.status == ""


def test_callbacks_are_called_removed_and_their_failures_shown() -> None:
    counter, seen = Counter(), []

    def broken(_count: int) -> None:
        raise RuntimeError("my callback broke")

    counter.callbacks("on_add").register(seen.append)
    counter.callbacks("on_add").register(broken)
    counter.plus.click()
    assert seen == [1]
    assert counter.status == "on_add callback failed: RuntimeError: my callback broke"
    counter.callbacks("on_add").register(broken, remove=True)
    counter.callbacks("on_add").register(seen.append, remove=True)
    counter.plus.click()
    assert seen == [1] and counter.count == 2 and counter.status == ""


def test_a_callback_must_be_callable() -> None:
    with pytest.raises(TypeError, match="on_add takes a function, got 3"):
        Counter().callbacks("on_add").register(3)  # type: ignore[arg-type]


def test_quietly_is_reentrant() -> None:
    counter = Counter()
    with counter.quietly():
        with counter.quietly():
            assert counter.is_quiet
        assert counter.is_quiet  # the inner block must not end the outer one's quiet
    assert not counter.is_quiet


def test_replace_children_closes_what_it_drops() -> None:
    box, kept = w.VBox(), w.Button(description="kept")
    box.children = [kept, w.HBox([w.Button(description="dropped")])]
    before = live_models()
    replace_children(box, [kept, w.HTML("new")])
    assert kept.comm is not None and box.children[0] is kept
    assert live_models() - before == 3 - 5  # HTML + its layout and style made; HBox, Button: 5 closed


def test_close_closes_the_whole_tree_with_layouts_and_styles() -> None:
    before = live_models()
    counter = Counter()
    counter.rows.children = [w.HBox([w.Text(), w.Dropdown(options=["a"])])]
    counter.plus.click()
    assert live_models() > before
    counter.close()
    assert live_models() == before


def test_close_tree_leaves_the_model_every_canvas_shares() -> None:
    import ipycanvas

    first, second = ipycanvas.Canvas(width=4, height=4), ipycanvas.Canvas(width=4, height=4)
    close_tree(w.VBox([first]))
    assert first.comm is None and second._canvas_manager.comm is not None
    second.fill_rect(0, 0, 2, 2)  # still drawn through the shared manager


def test_counts_read_in_the_singular_for_one() -> None:
    assert [counted(n, "item") for n in (0, 1, 2, 1200)] == ["0 items", "1 item", "2 items", "1,200 items"]


def test_an_anywidget_is_made_without_a_class_of_its_own() -> None:
    # anywidget adds its ``_esm`` and ``_anywidget_id`` to each widget it makes; added to a widget, a trait
    # makes it an instance of a new class, which cost ~1.5 ms per anywidget in Annotator(item).
    # The page's loader too, once per kernel (its module is its own).
    from dlwidgets.widgets.annotator.stage import Stage
    from dlwidgets.widgets.assets import Loader, asset
    from dlwidgets.widgets.base import WIDGET_ESM
    from dlwidgets.widgets.control_bar import ControlBar

    widgets = [Stage(lambda _event: None, []), ControlBar([], {}, {}), Loader()]
    try:
        for widget in widgets:
            kind = type(widget)
            assert kind in (Stage, ControlBar, Loader), f"made as {kind!r}, a class of its own"
            state = widget.get_state()
            assert state["_esm"] == (asset("shared_module.js") if kind is Loader else WIDGET_ESM)
            assert state["_anywidget_id"] == f"{kind.__module__}.{kind.__name__}"
    finally:
        for widget in widgets:
            widget.close()


def test_the_text_beside_a_widget_says_what_it_shows_not_its_children(image_item: dw.Item) -> None:
    counter = Counter()
    assert repr(counter) == "Counter()"
    counter.error("no such dataset")
    assert repr(counter) == "Counter(error='no such dataset')"
    annotator = dw.Annotator(image_item)
    assert repr(annotator) == "Annotator(item='street.jpg', 1 of 1)"
    # What every shown widget sends beside its view (execute_result), and all a reader sees without widgets:
    # ipywidgets 8's mime bundle; ipywidgets 7 shows widgets through _ipython_display_, whose text/plain is
    # the repr above (cut at 110 characters).
    if hasattr(annotator, "_repr_mimebundle_"):
        assert annotator._repr_mimebundle_()["text/plain"] == "Annotator(item='street.jpg', 1 of 1)"
    assert repr(annotator.stage) == "Stage()"
    close_tree(annotator)
