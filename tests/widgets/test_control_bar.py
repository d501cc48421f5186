"""The ControlBar's protocol, as the browser speaks it: a click is a ``press`` message that runs the button's
action, a choice is a ``set`` message checked against the control and then run; a message that names no
control, or of another shape, is ignored; an action that fails is shown in the status line (the owner's,
or the bar's own). However many controls it has, the bar is one widget model; bars with the same controls
share one model of their specs, so a bar like one shown before sends only its values."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dlwidgets.widgets import control_bar as cb
from dlwidgets.widgets.base import WidgetBase, live_models
from dlwidgets.widgets.control_bar import ControlBar

CONTROLS = [
    cb.toggles("tool", [("box", "Box (B)", "Box (B)"), ("point", "Point (P)", "Point (P)")]),
    cb.button("save", "Save", "save", "Ctrl+S"),
    cb.button("zoom_in", icon="search-plus", tooltip="Zoom in"),
    cb.text("zoom", width="48px", css_class="dlw-zoom"),
    cb.number("size", "brush px", 1, 512),
    cb.checkbox("labels", "label text"),
    cb.slider("opacity", "opacity", 0.1, 1.0, 0.05),
    cb.row_break("second_row"),
    cb.spacer("gap"),
]


class Owner(WidgetBase):
    """A widget holding a bar whose actions run under its ``attempt``, as the Annotator's do."""

    def __init__(self, actions: dict[str, Any]) -> None:
        super().__init__()
        values = {"tool": "box", "size": 16, "labels": True, "opacity": 1.0, "zoom": "100%"}
        self.bar = ControlBar(CONTROLS, actions, values, attempt=self.attempt)
        self.children = [self.bar, self.status_line]


def test_a_press_runs_the_buttons_action_and_a_set_runs_with_the_value() -> None:
    done: list[Any] = []
    owner = Owner({"save": lambda: done.append("saved"), "tool": done.append, "opacity": done.append})
    bar = owner.bar
    bar.receive({"type": "press", "id": "save"})  # what a click sends
    bar.receive({"type": "set", "id": "tool", "value": "point"})
    bar.set("opacity", 0.5)
    assert done == ["saved", "point", 0.5]
    assert bar.value("tool") == "point" and bar.values["opacity"] == 0.5
    bar.press("save")
    assert done[-1] == "saved"


def test_a_bad_message_is_ignored() -> None:
    done: list[Any] = []
    owner = Owner({"save": lambda: done.append("saved"), "tool": done.append})
    bar = owner.bar
    for message in (
        {"type": "press", "id": "nothing"},
        {"type": "press", "id": ["save"]},
        {"type": "press"},
        {"type": "press", "id": "tool"},  # a toggle group is set, not pressed
        {"type": "set", "id": "save", "value": 1},  # a button has no value
        {"type": "set", "id": "tool"},
        {"type": "explode", "id": "save"},
        {"id": "save"},
        "save",
    ):
        bar._receive(bar, message, [])
    assert done == [] and owner.status == "" and bar.value("tool") == "box"


def test_a_failing_action_or_a_value_out_of_range_shows_in_the_owners_status_line() -> None:
    def refuse() -> None:
        raise ValueError("nothing to save")

    owner = Owner({"save": refuse, "size": lambda _size: None})
    owner.bar.press("save")
    assert owner.status_kind == "error" and "nothing to save" in owner.status_line.value
    owner.bar.set("size", 9999)
    assert owner.status == "size takes 1-512, not 9999" and owner.bar.value("size") == 16
    owner.bar.set("size", 2.5)
    assert "a whole number" in owner.status
    owner.bar.set("tool", "lasso")
    assert owner.status == "tool cannot be 'lasso': it is one of ['box', 'point']"
    owner.bar.set("labels", "yes")
    assert "True or False" in owner.status
    owner.bar.set("size", 24)
    assert owner.status == "" and owner.bar.value("size") == 24


def test_a_bar_without_an_owner_sends_its_own_error_to_the_browser() -> None:
    def refuse() -> None:
        raise ValueError("nothing to save")

    bar = ControlBar([cb.button("save", "Save")], {"save": refuse})
    sent: list[Any] = []
    bar.send = sent.append  # type: ignore[method-assign]
    bar.press("save")
    assert bar.status == "nothing to save"
    assert sent == [{"type": "notice", "kind": "error", "error": "nothing to save"}]


def test_the_kernels_own_writes_run_no_action_and_a_disabled_button_does_nothing() -> None:
    done: list[Any] = []
    owner = Owner({"save": lambda: done.append("saved"), "tool": done.append})
    bar = owner.bar
    bar.update({"tool": "point", "zoom": "125%"})
    assert done == [] and bar.value("tool") == "point" and bar.value("zoom") == "125%"
    bar.enable("save", False)
    bar.press("save")
    assert done == [] and not bar.is_enabled("save") and bar.disabled == ["save"]
    bar.enable("save")
    bar.press("save")
    assert done == ["saved"]
    bar.reveal("size", False)
    assert bar.hidden == ["size"] and not bar.is_shown("size")
    bar.tone("zoom", "error")
    assert bar.tones == {"zoom": "error"}


def test_wrong_names_and_specs_are_refused_naming_what_would_do() -> None:
    bar = ControlBar(CONTROLS)
    with pytest.raises(ValueError, match=r"no control 'sve'; its controls are \['gap', 'labels'"):
        bar.press("sve")
    with pytest.raises(ValueError, match="'tool' is a toggles, not a button"):
        bar.press("tool")
    with pytest.raises(ValueError, match=r"'zoom' is a text: only \('toggle', 'toggles'"):
        bar.set("zoom", "1")
    with pytest.raises(ValueError, match="two controls are named 'save'"):
        ControlBar([cb.button("save"), cb.button("save")])
    with pytest.raises(ValueError, match="no control 'nope'"):
        ControlBar(CONTROLS, {"nope": print})
    with pytest.raises(ValueError, match="button style 'loud'"):
        cb.button("x", style="loud")
    with pytest.raises(ValueError, match=r"\(value, text, tooltip\)"):
        cb.toggles("t", [("a", "A")])  # type: ignore[list-item]


def test_the_specs_hold_only_what_each_control_uses() -> None:
    assert cb.button("zoom_in", icon="search-plus", tooltip="Zoom in") == {
        "id": "zoom_in",
        "kind": "button",
        "icon": "search-plus",
        "tooltip": "Zoom in",
    }
    assert cb.number("size", "brush px", 1, 512)["max"] == 512


def test_a_bar_of_many_controls_is_one_model_and_closes_whole() -> None:
    ControlBar(CONTROLS).close()  # the kernel's shared module made once
    before = live_models()
    bar = ControlBar(CONTROLS * 1 + [cb.button(f"b{n}", f"B{n}") for n in range(30)])
    assert live_models() - before <= 2  # the bar and its specs (its Layout is the kernel's)
    bar.close()
    assert live_models() == before + 1  # its specs are kept for the next bar like it


def test_a_toggle_is_pressed_on_and_off_and_several_controls_hide_at_once() -> None:
    states: list[bool] = []
    bar = ControlBar([cb.toggle("review", "Review", "check-square-o"), *CONTROLS], {"review": states.append})
    bar.receive({"type": "set", "id": "review", "value": True})  # a click on the toggle, now off
    bar.receive({"type": "set", "id": "review", "value": False})
    assert states == [True, False] and bar.value("review") is False
    bar.reveal(["save", "zoom"], False)
    assert bar.hidden == ["save", "zoom"]
    bar.reveal(("save", "zoom"))
    assert bar.hidden == []


def test_a_field_takes_text_as_typed() -> None:
    notes: list[str] = []
    owner = Owner({})
    bar = ControlBar(
        [cb.field("note", placeholder="what to fix")], {"note": notes.append}, attempt=owner.attempt
    )
    bar.receive({"type": "set", "id": "note", "value": "the tail"})  # what typing sends
    assert notes == ["the tail"] and bar.value("note") == "the tail"
    bar.set("note", 3)
    assert owner.status == "note takes text, not 3" and bar.value("note") == "the tail"


def test_bars_with_the_same_controls_send_their_specs_once() -> None:
    controls = [*CONTROLS, cb.button("once", "Once")]  # specs no other test's bar holds
    first = ControlBar(controls, values={"size": 16})
    specs = first.get_state()["_controls"]
    before = live_models()
    second = ControlBar(controls, values={"size": 32})
    assert live_models() - before == 1  # the bar alone
    state = second.get_state()
    assert state["_controls"] == specs and "controls" not in state
    assert len(json.dumps({k: v for k, v in state.items() if k != "_esm"})) < 1000  # the specs: 1.3 KB
    other = ControlBar(controls[:2])
    assert other.get_state()["_controls"] != specs
    model = first._controls
    assert model is not None and model.controls == controls
    second.controls = controls[:2]  # its new specs: the ones another bar has
    assert second.get_state()["_controls"] == other.get_state()["_controls"]
    for bar in (first, second, other):
        bar.close()
    assert model.comm is not None  # kept for the next bar with these specs, as the kernel's module
    assert ControlBar(controls).get_state()["_controls"] == specs
    unheld = [ControlBar([cb.button(f"kept{n}", "Kept")]) for n in range(cb.KEPT + 2)]
    for bar in unheld:
        bar.close()
    assert model.comm is not None  # still held, by the bar made again
    assert [bar.comm for bar in unheld] == [None] * len(unheld)
    specs_kept = [s for s in cb._SPECS.values() if not s[1]]
    assert len(specs_kept) == cb.KEPT  # the oldest unheld specs are closed


def opening_states(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    """Each widget model's state as it opens from now on, by comm id (what the page gets first)."""
    import comm

    opened: dict[str, dict[str, Any]] = {}
    publish = comm.DummyComm.publish_msg

    def record(self: comm.DummyComm, msg_type: str, data: Any = None, *args: Any, **keys: Any) -> None:
        if msg_type == "comm_open":
            opened[self.comm_id] = data["state"]
        publish(self, msg_type, data, *args, **keys)

    monkeypatch.setattr(comm.DummyComm, "publish_msg", record)
    return opened


def test_a_bar_opens_with_only_what_differs_from_its_specs_first_state(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    controls = [
        cb.toggles("tool", [("box", "Box", "Box"), ("point", "Point", "Point")], value="box"),
        cb.button("undo", "Undo", disabled=True),
        cb.number("size", "brush px", 1, 512, value=16, hidden=True),
        cb.text("zoom"),
        cb.checkbox("autosave", "autosave", value=False),
    ]
    opened = opening_states(monkeypatch)
    bar = ControlBar(controls, values={"zoom": "60%"}, hidden=["size"])
    assert bar.comm is not None
    state = opened[bar.comm.comm_id]
    # The specs' first values and states are the page's (the specs model, once per kernel): only the zoom.
    assert state["values"] == {"zoom": "60%"}
    assert not {"hidden", "disabled", "tones"} & set(state), state
    assert [bar.value(c) for c in ("tool", "size", "zoom", "autosave")] == ["box", 16, "60%", False]
    assert not bar.is_enabled("undo") and not bar.is_shown("size")
    # Later, what differs from the first state: a value back to its first is the page's own again, and
    # an id is listed when its state is not its first.
    bar.set("tool", "point")
    bar.enable("undo")
    bar.reveal("size")
    bar.reveal("zoom", False)
    state = bar.get_state()
    assert state["values"] == {"tool": "point", "zoom": "60%"}
    assert (sorted(state["disabled"]), sorted(state["hidden"])) == (["undo"], ["size", "zoom"])
    bar.set("tool", "box")
    assert bar.get_state()["values"] == {"zoom": "60%"}
    bar.close()
