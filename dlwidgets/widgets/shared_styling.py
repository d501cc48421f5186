"""Layout and Style models shared, across the kernel, by every widget part that looks the same.

ipywidgets makes a Layout model for every widget and a Style model for most: each a model of its own in
the kernel, in the page and in a notebook saved with widget state, so a widget of 40 parts pays some 70
models for them, most of them empty. Instead, each part gets a Layout (or style) object of its own that
stands for the kernel's one model of its class and values (``shared_layout``, ``shared_style``). It has
no model of its own until one of its values is set: then it gets one (copy on write) and the widgets that
hold it send its new id, so a change never fails and never shows on another widget.

A Layout model opens with only its values that are set (``OpensWithChanges``): the page's LayoutModel has
every one of them null by default, in ipywidgets 7 and 8 alike, so the ~40 nulls a Layout's state holds
(1 KB of each message that opens one) would only repeat the page's defaults. Boxes and HTML made here, the
widgets' own boxes and the anywidgets open so too (for an anywidget, only the traits of the page's
DOMWidgetModel).
"""

from __future__ import annotations

import types
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import ipywidgets as w
import traitlets
from ipywidgets.widgets import widget as _widget_module
from traitlets import TraitError

from .kernel_thread import pin_tree

W = TypeVar("W", bound=w.Widget)
Values = tuple[tuple[str, Any], ...]

# The kernel's shared models, one per class and values; ``close_tree`` leaves them alone.
SHARED: weakref.WeakSet[w.Widget] = weakref.WeakSet()
_MODELS: dict[tuple[type, Values], w.Widget] = {}
# The traits of a widget that may hold a copy-on-write object: its parts, and its children.
_PARTS = ("layout", "style")
_HOLDING_TRAITS = (*_PARTS, "children")


# What the page reads from a model's opening state to know which class to make, whatever the values.
IDENTITY = ("_model_name", "_model_module", "_model_module_version")


@dataclass
class _ClassTraits:
    """What is looked up once per widget class: the names of its synced traits, and its traits' static
    defaults by name (each when first asked for)."""

    synced: tuple[str, ...] | None = None
    defaults: dict[str, Any] | None = None


# Kept as long as its class: a class made by adding traits to one widget goes with that widget.
_BY_CLASS: weakref.WeakKeyDictionary[type, _ClassTraits] = weakref.WeakKeyDictionary()


def _class_traits(cls: type) -> _ClassTraits:
    found = _BY_CLASS.get(cls)
    if found is None:
        found = _BY_CLASS[cls] = _ClassTraits()
    return found


def _synced_names(widget: w.Widget) -> list[str]:
    """ipywidgets' ``keys`` of ``widget``, the names of its synced traits, looked up once per class
    (ipywidgets looks them up for every widget it makes: ~20 µs a Layout). A fresh list: ipywidgets
    appends to a widget's own when traits are added to it (which makes it a class of its own)."""
    found = _class_traits(type(widget))
    if found.synced is None:
        found.synced = tuple(widget.class_trait_names(sync=True))
    return list(found.synced)


class OpensWithChanges:
    """Mixed into a widget class: its model opens without the values equal to their defaults in
    ``_page_class`` (the class itself by default), those of the model the page makes, which has the same
    defaults, and without its layout while that is the kernel's shared empty one; a value set back to its
    default later is sent as usual."""

    _page_class: type[w.Widget] | None = None
    _not_sent: tuple[str, ...] = ()  # traits the page never reads
    # The widget's own traits whose defaults its page module reads a missing one as, alike.
    _own_defaults: tuple[str, ...] = ()
    _opening = False
    _keys_default = _synced_names  # traitlets' name for the dynamic default of ``keys``

    def open(self) -> None:
        self._opening = True
        try:
            super().open()  # type: ignore[misc]
        finally:
            self._opening = False
        pin_tree(self)  # its messages, and those of the widgets it holds, on the kernel's main shell

    def get_state(self, key: Any = None, drop_defaults: bool = False) -> dict[str, Any]:
        state: dict[str, Any] = super().get_state(key, drop_defaults)  # type: ignore[misc]
        if self._opening and key is None:
            defaults = _page_defaults(self._page_class or type(self))
            if self._own_defaults:
                own = _page_defaults(type(self))
                defaults = {**defaults, **{name: own[name] for name in self._own_defaults}}
            for name, value in list(state.items()):
                if name in self._not_sent or (
                    name in defaults and name not in IDENTITY and _same(value, defaults[name])
                ):
                    del state[name]
            # The page's views take a model without a layout as one with an empty layout: the kernel's
            # shared empty Layout is not named (it is sent once it holds a value, as the widget's own).
            layout = getattr(self, "_trait_values", {}).get("layout")
            if (
                "layout" in state
                and isinstance(layout, CopyOnWrite)
                and _is_unowned(layout)
                and not layout._values
            ):
                del state["layout"]
        return state


def _page_defaults(page_class: type[w.Widget]) -> dict[str, Any]:
    """The static defaults of ``page_class``'s traits, by name, found once per class."""
    found = _class_traits(page_class)
    if found.defaults is None:
        found.defaults = {name: _default(t) for name, t in page_class.class_traits().items()}
    return found.defaults


def _default(trait: traitlets.TraitType[Any, Any]) -> Any:
    """``trait``'s static default; an empty list or dict for one whose default is made per object."""
    default = trait.default_value
    if default is traitlets.Undefined and isinstance(trait, traitlets.Container):
        return []
    if default is traitlets.Undefined and isinstance(trait, traitlets.Dict):
        return {}
    return default


def _same(value: Any, default: Any) -> bool:
    """Whether ``value`` (as sent) is ``default``: a tuple and a list alike, as in the page."""
    return value == default or (isinstance(value, (list, tuple)) and list(value) == default)


class CopyOnWrite:
    """Mixed into a widget class (``_stands_for``): an object that is the kernel's shared model of its class
    and values in the page until one of its values is set, then a model of its own. Set to another shared
    Layout or style, it stays shared (the shared model with that one)."""

    _stands_for: type[w.Widget]
    _values: Values = ()
    _ready = False
    _own_model = False
    _keys_default = _synced_names  # a style's class does not open with changes, so has not the above

    def __init__(self, **values: Any) -> None:
        super().__init__(**values)
        self._values = tuple(sorted(values.items()))
        self._ready = True  # values set from now on are a change of this object only
        if "layout" in self.keys:  # type: ignore[attr-defined]
            _UNOWNED.add(self)  # it may hold a shared part that gets a model of its own

    @property
    def has_own_model(self) -> bool:
        """Whether a value was set on this object, which then got a model of its own."""
        return self._own_model

    def open(self) -> None:
        if self._own_model:
            super().open()  # type: ignore[misc]

    @property
    def model_id(self) -> str:
        if self._own_model:
            return str(super().model_id)  # type: ignore[misc]
        values = tuple((name, _model_of(value)) for name, value in self._values)
        return str(shared_model(self._stands_for, values).model_id)

    def notify_change(self, change: Any) -> None:
        name = change["name"]
        if self._ready and not self._own_model and name in self.keys:  # type: ignore[attr-defined]
            if name in _PARTS and _is_unowned(change["new"]):
                self._values = tuple(sorted({**dict(self._values), name: change["new"]}.items()))
                _tell_holders(self)  # the shared model with the new part
            else:
                self._take_own_model()
            # Its observers, past Widget's, which would send the value the model just opened with again.
            super(w.Widget, self).notify_change(change)  # type: ignore[misc]
            return
        super().notify_change(change)  # type: ignore[misc]

    def _take_own_model(self) -> None:
        self._own_model = True
        _UNOWNED.discard(self)
        self.open()  # the new model opens with its values, the one just set included
        _tell_holders(self)


# The copy-on-write widgets that hold parts and have no model of their own, which ``_holders`` finds beside
# the live models: a part of theirs that gets a model of its own gives them one too.
_UNOWNED: weakref.WeakSet[CopyOnWrite] = weakref.WeakSet()


def _is_unowned(value: Any) -> bool:
    return isinstance(value, CopyOnWrite) and not value.has_own_model


def _model_of(value: Any) -> Any:
    """``value``, or the shared model a copy-on-write part with no model of its own stands for."""
    if _is_unowned(value):
        return shared_model(value._stands_for, tuple((k, _model_of(v)) for k, v in value._values))
    return value


def _tell_holders(copy: CopyOnWrite) -> None:
    """Send the new model id of ``copy`` to the widgets holding it; one with no model of its own gets one."""
    for widget, name in _holders(copy):
        if isinstance(widget, CopyOnWrite) and not widget.has_own_model:
            widget._take_own_model()
        else:
            widget.send_state(name)


_CLASSES: dict[type, type] = {}


def copy_on_write(model_class: type[W], **values: Any) -> W:
    """A ``model_class`` object with ``values`` that stands for the kernel's shared model with them."""
    made = _CLASSES.get(model_class)
    if made is None:
        made = _CLASSES[model_class] = _mixed(
            CopyOnWrite, opening_class(model_class), _stands_for=model_class
        )
    widget: W = made(**values)
    return widget


_OPENING: dict[type, type] = {}


# The ipywidgets classes whose page models have the same defaults as their Python traits in ipywidgets 7
# and 8 (not so every style and control: JupyterLab saves some of their defaults, tests/saved_notebook.py).
_SAME_DEFAULTS = (w.Layout, w.Box, w.HTML)


def opening_class(model_class: type[W]) -> type[W]:
    """``model_class``, or for a Layout, a box or an HTML a subclass that opens with only its values that
    are not the defaults."""
    if not issubclass(model_class, _SAME_DEFAULTS) or issubclass(model_class, OpensWithChanges):
        return model_class
    made = _OPENING.get(model_class)
    if made is None:
        made = _OPENING[model_class] = _mixed(OpensWithChanges, model_class)
    return made


def _mixed(mixin: type, model_class: type[W], **namespace: Any) -> type[W]:
    """A subclass of ``model_class`` (named alike) with ``mixin`` before it and ``namespace`` in it."""
    namespace["__module__"] = __name__
    made: type[W] = types.new_class(
        model_class.__name__, (mixin, model_class), {}, lambda ns: ns.update(namespace)
    )
    return made


def shared_layout(**values: Any) -> w.Layout:
    """A ``Layout`` with ``values`` (``width="auto"``...) that shares the kernel's model until changed."""
    return copy_on_write(w.Layout, **values)


def shared_style(widget_class: type[w.Widget], **values: Any) -> w.Widget | None:
    """A style for a ``widget_class`` with ``values`` that shares the kernel's model until changed (None:
    the class has no style). Each ipywidgets version names its own style class: HTML's is HTMLStyle in 8,
    DescriptionStyle in 7."""
    trait = widget_class.class_traits().get("style")
    return None if trait is None else copy_on_write(trait.klass, **values)


def shared_model(model_class: type[w.Widget], values: Values) -> w.Widget:
    """The kernel's shared ``model_class`` model with ``values``, made when first asked for (or again once
    closed); it refuses changes, which are made on the copy-on-write objects standing for it."""
    key = (model_class, values)
    model = _MODELS.get(key)
    if model is None or model.comm is None:
        model = _MODELS[key] = opening_class(model_class)(**dict(values))
        _refuse_changes(model)
        SHARED.add(model)
        pin_tree(model)  # a Style's class does not open with changes, which pins the others
    return model


class SharedStyling:
    """Parts made with shared Layout and Style models: ``make(w.Text, layout={"width": "96px"})``."""

    def layout(self, **traits: Any) -> w.Layout:
        return shared_layout(**traits)

    def style(self, widget_class: type[w.Widget], **traits: Any) -> w.Widget | None:
        return shared_style(widget_class, **traits)

    def make(self, widget_class: type[W], /, **traits: Any) -> W:
        """``widget_class(**traits)`` with a shared layout and style, unless given as models (a dict gives
        the values of a shared one)."""
        layout = traits.get("layout")
        if layout is None or isinstance(layout, dict):
            traits["layout"] = shared_layout(**(layout or {}))
        style = traits.get("style")
        if style is None or isinstance(style, dict):
            shared = shared_style(widget_class, **(style or {}))
            if shared is not None:
                traits["style"] = shared
        return opening_class(widget_class)(**traits)

    def html(self, value: str = "") -> w.HTML:
        return self.make(w.HTML, value=value)

    def hbox(self, *children: w.Widget) -> w.HBox:
        return self.make(w.HBox, children=list(children))

    def vbox(self, *children: w.Widget) -> w.VBox:
        return self.make(w.VBox, children=list(children))


def _holders(copy: CopyOnWrite) -> Iterator[tuple[w.Widget, str]]:
    """The live widgets holding ``copy``, and the trait that holds it (a rare search: on a first change)."""
    instances = getattr(_widget_module, "_instances", None)
    live = instances if instances is not None else w.Widget.widgets  # ipywidgets 7
    for widget in [*live.values(), *_UNOWNED]:
        if widget is copy:
            continue
        for name in _HOLDING_TRAITS:
            value = widget._trait_values.get(name)
            if value is copy or (isinstance(value, (list, tuple)) and any(v is copy for v in value)):
                yield widget, name


def _refuse_changes(model: w.Widget) -> None:
    def refuse(_model: w.Widget, proposal: Any) -> None:
        raise TraitError(
            f"this {type(model).__name__} model is shared by many widgets, so {proposal.trait.name} can't "
            f"be set on it: set it on the widget's own {type(model).__name__} (widget.layout, widget.style)"
        )

    model._register_validator(refuse, tuple(name for name in model.keys if not name.startswith("_")))
