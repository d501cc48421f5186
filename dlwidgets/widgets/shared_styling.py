"""``SharedStyling``: the Layout and Style models that the plain parts of one widget share.

ipywidgets makes a Layout model for every widget and a Style model for most: each a model of its own in
the kernel, in the page and in a notebook saved with widget state, so a widget of 40 parts pays some 70
models for them. Parts whose layout and style never change share one model per distinct value instead.
A shared model refuses changes (one part's change would show on every part), ``close_tree`` leaves it
alone when a part is closed, and the widget that made it closes it when it closes itself.
"""

from __future__ import annotations

import weakref
from typing import Any, TypeVar

import ipywidgets as w
from traitlets import TraitError

W = TypeVar("W", bound=w.Widget)

# Every shared model alive, for ``close_tree`` to skip.
SHARED: weakref.WeakSet[w.Widget] = weakref.WeakSet()


class SharedStyling:
    """One widget's shared Layout and Style models, made on first use, one per class and values."""

    def __init__(self) -> None:
        self._models: dict[tuple[type, tuple[tuple[str, Any], ...]], w.Widget] = {}

    def layout(self, **traits: Any) -> w.Layout:
        """The shared ``Layout`` with these values (``width="auto"``...)."""
        layout = self._shared(w.Layout, traits)
        assert isinstance(layout, w.Layout)
        return layout

    def style(self, widget_class: type[w.Widget], **traits: Any) -> w.Widget | None:
        """The shared style for widgets of ``widget_class`` with these values (None: it has no style).
        Each ipywidgets version names its own style class: HTML's is HTMLStyle in 8, DescriptionStyle in 7."""
        trait = widget_class.class_traits().get("style")
        return None if trait is None else self._shared(trait.klass, traits)

    def make(self, widget_class: type[W], /, **traits: Any) -> W:
        """``widget_class(**traits)`` with a shared layout and style, unless given as models (a dict gives
        the values of a shared one)."""
        layout = traits.get("layout")
        if layout is None or isinstance(layout, dict):
            traits["layout"] = self.layout(**(layout or {}))
        style = traits.get("style")
        if style is None or isinstance(style, dict):
            shared = self.style(widget_class, **(style or {}))
            if shared is not None:
                traits["style"] = shared
        return widget_class(**traits)

    def html(self, value: str = "") -> w.HTML:
        return self.make(w.HTML, value=value)

    def hbox(self, *children: w.Widget) -> w.HBox:
        return self.make(w.HBox, children=list(children))

    def vbox(self, *children: w.Widget) -> w.VBox:
        return self.make(w.VBox, children=list(children))

    def close(self) -> None:
        """Close every shared model (when the widget that made them closes)."""
        for model in self._models.values():
            model.close()
        self._models.clear()

    def _shared(self, model_class: type[w.Widget], traits: dict[str, Any]) -> w.Widget:
        key = (model_class, tuple(sorted(traits.items())))
        model = self._models.get(key)
        if model is None or model.comm is None:  # made on first use, and again if something closed it
            model = self._models[key] = model_class(**traits)
            _refuse_changes(model)
            SHARED.add(model)
        return model


def _refuse_changes(model: w.Widget) -> None:
    def refuse(_model: w.Widget, proposal: Any) -> None:
        raise TraitError(
            f"this {type(model).__name__} is shared by many widgets, so {proposal.trait.name} can't be "
            f"set on it: give the widget a {type(model).__name__} of its own to change it"
        )

    model._register_validator(refuse, tuple(name for name in model.keys if not name.startswith("_")))
