"""``ControlBar``: a row of controls (buttons, toggle groups, number boxes, checkboxes, sliders, text
readouts, spacers and row breaks) as ONE anywidget (``js/control_bar.js``), however many there are.

The controls are described as data, a synced list of ``Control`` specs made with the helpers below
(``button``, ``toggle``, ``toggles``, ``number``, ``checkbox``, ``slider``, ``field``, ``text``,
``spacer``, ``row_break``); their values, and which are disabled, hidden or toned, are synced as small
traits. A user's click or choice comes back as a small message (``Press``, ``SetValue``), run as the
control's action under ``attempt``, so a refusal is shown in the owner's status line. ``press``, ``set``
and ``value`` do from Python exactly what a click does, for tests and scripts.

A dozen ipywidgets would cost a dozen models, each with its Layout and Style (a message, kernel time and
an object in the page each): the bar is one. Its specs go to the page once per kernel for all the bars
that have the same (``ControlSpecs``, a model the bar names in ``_controls``): an Annotator's toolbar is
2.4 KB of them, and the next Annotator's names it in 50 bytes. The traits and messages are written down
twice, alike: as the TypedDicts here and as JSDoc typedefs in ``js/control_bar.js``.
"""

from __future__ import annotations

import json
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal, TypedDict

import ipywidgets as w
import traitlets

from .assets import asset
from .base import Notice
from .message_widget import MessageWidget

Kind = Literal[
    "button", "toggle", "toggles", "number", "checkbox", "slider", "field", "text", "spacer", "break"
]
KINDS: tuple[Kind, ...] = typing.get_args(Kind)
# The kinds whose value a user sets (a button is pressed; the others only show).
SETTABLE = ("toggle", "toggles", "number", "checkbox", "slider", "field")
# What a button's ``style`` may be, as ipywidgets' ``button_style`` names them.
BUTTON_STYLES = ("", "primary", "success", "info", "warning", "danger")
# How a text readout may be toned (a class the stylesheet colours from the theme).
TONES = ("", "error", "muted")


class _Control(TypedDict):
    id: str
    kind: Kind


class Control(_Control, total=False):
    """One control: its ``id`` (what messages and the Python API name it by) and ``kind``, and what the kind
    uses of the rest. ``options`` are a toggle group's [value, text, tooltip]; ``width`` a CSS width that
    keeps the control's size fixed whatever it shows; ``keep_space`` keeps a hidden control's room."""

    text: str
    icon: str  # a Font Awesome 4 name, as Jupyter loads it: "save", "search-plus"
    tooltip: str
    style: str
    options: list[list[str]]
    min: float
    max: float
    step: float
    width: str
    css_class: str
    keep_space: bool
    readout: bool  # a slider's value shown beside it
    placeholder: str  # a field's hint while it is empty
    # Its first state, the page's until the bar sends another: every bar with these specs shares them once
    # per kernel, and sends only what differs from them.
    value: Any
    hidden: bool
    disabled: bool


class Press(TypedDict):
    """Browser -> kernel: a button clicked."""

    type: Literal["press"]
    id: str


class SetValue(TypedDict):
    """Browser -> kernel: a toggle group's, number box's, checkbox's or slider's new value."""

    type: Literal["set"]
    id: str
    value: Any


BarMessage = Press | SetValue
# Kernel -> browser: the bar's own status, when it reports itself (no owner's ``attempt``).
BarReply = Notice


# -- the specs ----------------------------------------------------------------------------------------
def _spec(control_id: str, kind: Kind, **fields: Any) -> Control:
    """A spec with the ``fields`` that say something: a first value unless None, others unless empty."""
    spec: dict[str, Any] = {"id": control_id, "kind": kind}
    spec.update(
        (k, v) for k, v in fields.items() if (v is not None if k == "value" else v not in ("", None, False))
    )
    return spec  # type: ignore[return-value]


def button(control_id: str, text: str = "", icon: str = "", tooltip: str = "", **more: Any) -> Control:
    """A button showing ``text`` (and ``icon``); ``tooltip`` names it when it has no text."""
    if more.get("style", "") not in BUTTON_STYLES:
        raise ValueError(f"button style {more['style']!r} is not one of {BUTTON_STYLES}")
    return _spec(control_id, "button", text=text, icon=icon, tooltip=tooltip or text, **more)


def toggle(control_id: str, text: str = "", icon: str = "", tooltip: str = "", **more: Any) -> Control:
    """A button that stays pressed (on, True) until pressed again (off, False)."""
    return _spec(control_id, "toggle", text=text, icon=icon, tooltip=tooltip or text, **more)


def toggles(control_id: str, options: Iterable[tuple[str, str, str]], **more: Any) -> Control:
    """One of several choices, as a row of toggle buttons: each (value, text, tooltip)."""
    listed = [list(option) for option in options]
    if not listed or any(len(option) != 3 for option in listed):
        raise ValueError(f"toggles {control_id!r} takes (value, text, tooltip) options, got {listed!r}")
    return _spec(control_id, "toggles", options=listed, **more)


def number(control_id: str, text: str, low: float, high: float, step: float = 1, **more: Any) -> Control:
    """A number box labelled ``text``, taking ``low`` to ``high`` (whole numbers when all three are)."""
    return _spec(control_id, "number", text=text, min=low, max=high, step=step, **more)


def checkbox(control_id: str, text: str, **more: Any) -> Control:
    return _spec(control_id, "checkbox", text=text, **more)


def slider(control_id: str, text: str, low: float, high: float, step: float, **more: Any) -> Control:
    return _spec(control_id, "slider", text=text, min=low, max=high, step=step, **more)


def field(control_id: str, text: str = "", placeholder: str = "", **more: Any) -> Control:
    """A line of text to type: its value reaches the kernel as typed, before any later click."""
    return _spec(control_id, "field", text=text, placeholder=placeholder, **more)


def text(control_id: str, **more: Any) -> Control:
    """A readout: its value is shown as plain text (never HTML)."""
    return _spec(control_id, "text", **more)


def spacer(control_id: str, width: str = "8px") -> Control:
    return _spec(control_id, "spacer", width=width)


def row_break(control_id: str) -> Control:
    """The controls after it start a new row."""
    return _spec(control_id, "break")


# -- the specs, once per kernel ----------------------------------------------------------------------
class ControlSpecs(w.Widget):
    """A bar's control specs as the page reads them, one model per kernel for every bar that has the same
    specs (``specs_model``), kept for the next such bar once none holds them, the last ``KEPT`` of them."""

    controls = traitlets.List(traitlets.Dict()).tag(sync=True)  # Control


# How many specs models no bar holds stay open for the next bar with the same specs (a widget made again,
# an Annotator on another item); the oldest beyond are closed.
KEPT = 16
# The kernel's ControlSpecs models by their specs (as JSON), with the bars holding each, least recently
# released first.
_SPECS: dict[str, tuple[ControlSpecs, set[int]]] = {}


def specs_model(controls: list[Control], bar: object) -> ControlSpecs:
    """The kernel's open ``ControlSpecs`` with ``controls``, now held by ``bar`` too."""
    key = json.dumps(controls, sort_keys=True)
    found = _SPECS.pop(key, None)
    if found is None or found[0].comm is None:
        found = (ControlSpecs(controls=controls), set())
    _SPECS[key] = found
    found[1].add(id(bar))
    return found[0]


def release_specs(model: ControlSpecs | None, bar: object) -> None:
    """``bar`` holds ``model`` no more: kept for the next bar, unless ``KEPT`` newer ones are unheld."""
    for key, (held, bars) in list(_SPECS.items()):
        if held is model:
            bars.discard(id(bar))
            if not bars:
                _SPECS[key] = _SPECS.pop(key)  # released last
    unheld = [key for key, (_, bars) in _SPECS.items() if not bars]
    for key in unheld[: max(0, len(unheld) - KEPT)]:
        _SPECS.pop(key)[0].close()


# -- the widget ---------------------------------------------------------------------------------------
class ControlBar(MessageWidget):
    """``ControlBar(controls, actions, values)``: ``actions`` maps a button's id to what it runs, and a
    settable control's id to what runs with its new value; ``values`` are the controls' first values,
    ``hidden`` and ``disabled`` the ids hidden or disabled at first (further keywords are the widget's
    traits: ``layout``...). ``attempt`` runs each action (the owner's, so that its status line shows a
    refusal; the bar's own by default, shown in the bar)."""

    _esm = asset("control_bar.js")
    _css = asset("control_bar.css")
    controls = traitlets.List(traitlets.Dict())  # Control: in the page, the specs model's
    _controls = traitlets.Instance(ControlSpecs, allow_none=True).tag(sync=True, **w.widget_serialization)
    # In the page, the values and the ids hidden or disabled are the specs' first ones (``value``,
    # ``hidden``, ``disabled``) changed by what the bar sends: the values that differ from them, and the
    # ids whose state does (``_sent_*``).
    values: traitlets.Dict[str, Any] = traitlets.Dict().tag(
        sync=True, to_json=lambda v, bar: bar._sent_values()
    )
    disabled = traitlets.List(traitlets.Unicode()).tag(
        sync=True, to_json=lambda v, bar: bar._sent_ids("disabled")
    )
    hidden = traitlets.List(traitlets.Unicode()).tag(
        sync=True, to_json=lambda v, bar: bar._sent_ids("hidden")
    )
    tones: traitlets.Dict[str, Any] = traitlets.Dict().tag(sync=True)
    # Left out of the model's first state while they hold their defaults (js/control_bar.js DEFAULTS).
    _own_defaults = ("values", "disabled", "hidden", "tones")

    def __init__(
        self,
        controls: Iterable[Control],
        actions: Mapping[str, Callable[..., Any]] = (),  # type: ignore[assignment]
        values: Mapping[str, Any] = (),  # type: ignore[assignment]
        *,
        attempt: Callable[[Callable[[], Any]], Any] | None = None,
        hidden: Iterable[str] = (),
        disabled: Iterable[str] = (),
        **traits: Any,
    ) -> None:
        specs = list(controls)
        self._specs: dict[str, Control] = {}
        for spec in specs:
            if spec.get("kind") not in KINDS:
                raise ValueError(
                    f"control {spec.get('id')!r} has kind {spec.get('kind')!r}, not one of {KINDS}"
                )
            if spec["id"] in self._specs:
                raise ValueError(f"two controls are named {spec['id']!r}: each needs its own id")
            self._specs[spec["id"]] = spec
        self._actions = dict(actions)
        for name in self._actions:
            self._spec(name)
        for name in [*values, *hidden, *disabled]:
            self._spec(name)
        # Everything in the model's first message: none of it is an update after the widget opens. The
        # specs' first state, and the given one over it.
        state = {
            "values": {**{s["id"]: s["value"] for s in specs if "value" in s}, **dict(values)},
            "hidden": list(dict.fromkeys([*_first_ids(specs, "hidden"), *hidden])),
            "disabled": list(dict.fromkeys([*_first_ids(specs, "disabled"), *disabled])),
        }
        shared = specs_model(specs, self)
        super().__init__(self._receive_message, controls=specs, _controls=shared, **state, **traits)
        self._attempt = attempt or self.attempt
        self._is_made = True

    _is_made = False  # the specs given to the constructor are shared already: nothing to do for them

    @traitlets.observe("controls")
    def _share_controls(self, change: dict[str, Any]) -> None:
        old = self._controls
        if self._is_made and old is not None:  # set after the bar was made: the specs model of the new ones
            self._specs = {spec["id"]: spec for spec in change["new"]}
            self._controls = specs_model(change["new"], self)
            if self._controls is not old:
                release_specs(old, self)
            self.send_state(("values", "hidden", "disabled"))  # as they differ from the new specs

    def close(self) -> None:
        release_specs(self._controls, self)
        super().close()

    def _sent_values(self) -> dict[str, Any]:
        """The values as the page gets them: those that differ from their spec's first value."""
        specs = self._specs
        return {
            k: v
            for k, v in self.values.items()
            if not (k in specs and "value" in specs[k] and _is_same(specs[k]["value"], v))
        }

    def _sent_ids(self, trait: str) -> list[str]:
        """The ids hidden or disabled (``trait``) as the page gets them: those whose state differs from
        their spec's first one."""
        now: list[str] = getattr(self, trait)
        first = _first_ids(list(self._specs.values()), trait)
        return [i for i in now if i not in first] + [i for i in first if i not in now]

    # -- what a user does, from Python --------------------------------------------------------------
    def press(self, control_id: str) -> None:
        """Press button ``control_id``, as a click does (nothing while it is disabled)."""
        spec = self._spec(control_id)
        if spec["kind"] != "button":
            raise ValueError(f"{control_id!r} is a {spec['kind']}, not a button: set its value instead")
        self.receive(Press(type="press", id=control_id))

    def set(self, control_id: str, value: Any) -> None:
        """Set ``control_id`` to ``value`` as a user would (its action runs with it); a value it cannot
        take is refused in the status line."""
        spec = self._spec(control_id)
        if spec["kind"] not in SETTABLE:
            raise ValueError(f"{control_id!r} is a {spec['kind']}: only {SETTABLE} take a value")
        self.receive(SetValue(type="set", id=control_id, value=value))

    def value(self, control_id: str) -> Any:
        """What ``control_id`` shows now (a readout's text, a toggle group's chosen value...)."""
        self._spec(control_id)
        return self.values.get(control_id)

    # -- what the kernel shows ----------------------------------------------------------------------
    def update(self, values: Mapping[str, Any]) -> None:
        """Show these values (``{id: value}``) without running any action: the kernel's own writes."""
        for name in values:
            self._spec(name)
        changed = {k: v for k, v in values.items() if self.values.get(k, ...) != v}
        if changed:
            self.values = {**self.values, **changed}

    def enable(self, control_id: str, enabled: bool = True) -> None:
        self._mark("disabled", control_id, not enabled)

    def is_enabled(self, control_id: str) -> bool:
        self._spec(control_id)
        return control_id not in self.disabled

    def reveal(self, controls: str | Iterable[str], shown: bool = True) -> None:
        """Show or hide a control, or several (a hidden one keeps its room when its spec says
        ``keep_space``)."""
        for control_id in [controls] if isinstance(controls, str) else controls:
            self._mark("hidden", control_id, not shown)

    def is_shown(self, control_id: str) -> bool:
        self._spec(control_id)
        return control_id not in self.hidden

    def tone(self, control_id: str, tone: str) -> None:
        """Colour readout ``control_id``: ``"error"``, ``"muted"`` or ``""`` (the text's own colour)."""
        self._spec(control_id)
        if tone not in TONES:
            raise ValueError(f"tone {tone!r} is not one of {TONES}")
        if self.tones.get(control_id, "") != tone:
            self.tones = {**self.tones, control_id: tone}

    def spec(self, control_id: str) -> Control:
        """The spec of ``control_id``, as the browser draws it."""
        return self._spec(control_id)

    # -- browser -> kernel ----------------------------------------------------------------------------
    def _receive_message(self, content: dict[str, Any]) -> None:
        """A ``BarMessage``; one naming no control of the bar, or of another shape, is ignored (it
        comes from outside)."""
        control_id = content.get("id")
        spec = self._specs.get(control_id) if isinstance(control_id, str) else None
        if spec is None or spec["id"] in self.disabled:
            return
        kind, action = content["type"], self._actions.get(spec["id"])
        if kind == "press" and spec["kind"] == "button":
            if action is not None:
                self._attempt(action)
        elif kind == "set" and spec["kind"] in SETTABLE and "value" in content:
            self._attempt(lambda: self._set(spec, content["value"], action))

    def _set(self, spec: Control, value: Any, action: Callable[[Any], Any] | None) -> None:
        value = _accepted(spec, value)
        self.update({spec["id"]: value})
        if action is not None:
            action(value)

    def _spec(self, control_id: str) -> Control:
        spec = self._specs.get(control_id)
        if spec is None:
            raise ValueError(f"the bar has no control {control_id!r}; its controls are {sorted(self._specs)}")
        return spec

    def _mark(self, trait: str, control_id: str, on: bool) -> None:
        self._spec(control_id)
        listed: list[str] = getattr(self, trait)
        if (control_id in listed) != on:
            setattr(self, trait, [*listed, control_id] if on else [i for i in listed if i != control_id])


def _first_ids(specs: Iterable[Control], trait: str) -> list[str]:
    """The ids of the ``specs`` hidden or disabled (``trait``) at first."""
    return [spec["id"] for spec in specs if spec.get(trait)]


def _is_same(first: Any, value: Any) -> bool:
    """Whether ``value`` is ``first`` as JSON has it (True is not 1)."""
    return type(first) is type(value) and first == value


def _accepted(spec: Control, value: Any) -> Any:
    """``value`` as control ``spec`` holds it; a ValueError naming what it takes otherwise."""
    name, kind = spec["id"], spec["kind"]
    if kind == "toggles":
        choices = [option[0] for option in spec.get("options", [])]
        if value not in choices:
            raise ValueError(f"{name} cannot be {value!r}: it is one of {choices}")
        return value
    if kind == "field":
        if not isinstance(value, str):
            raise ValueError(f"{name} takes text, not {value!r}")
        return value
    if kind in ("checkbox", "toggle"):
        if not isinstance(value, bool):
            raise ValueError(f"{name} is on or off (True or False), not {value!r}")
        return value
    low, high, step = spec.get("min", 0), spec.get("max", 100), spec.get("step", 1)
    whole = all(isinstance(v, int) for v in (low, high, step))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and value != int(value)):
        raise ValueError(
            f"{name} takes {'a whole number' if whole else 'a number'} in {low}-{high}, not {value!r}"
        )
    if not low <= value <= high:
        raise ValueError(f"{name} takes {low}-{high}, not {value!r}")
    return int(value) if whole else float(value)
