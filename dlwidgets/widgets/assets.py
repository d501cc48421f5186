"""The widgets' browser files (ES modules and their stylesheets), as each anywidget sends them: read from
``js/min/`` in a source checkout, ``dlwidgets/js/min/`` in the wheel.

``npm run minify`` (js/minify.mjs) writes there, for each widget's file of ``js/`` (one no other file
imports), esbuild's minified bundle of it with the files it imports (the page imports a module from a blob
URL, where no other file can be resolved), or for a file importing nothing, the file less its comments if
that is shorter (a file written short by hand, such as widget_stub.js: esbuild adds an export statement);
with the sha256 of each file a copy was made from (``min/sources.json``, which tests/test_js_types.py
checks against the files): the kernel only reads the copies.

Each module and its stylesheet is sent once per kernel, held by a ``SharedModule`` model
(``shared_module()``); so is the page's loader (``shared_module.js``, the ``Loader`` model's ``_esm``), which
imports a module from there for each widget, whose own ``_esm`` is only ``widget_stub.js``, a few bytes
naming the loader. The comments (mostly JSDoc types, for tsc) are a third of a module's text and do nothing
in the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from .shared_styling import shared_layout

# js/ in a source checkout, dlwidgets/js/ in the wheel.
_FOLDERS = (Path(__file__).parent.parent / "js", Path(__file__).parent.parent.parent / "js")


def asset(name: str) -> str:
    """The browser file ``name`` as an anywidget's ``_esm`` or ``_css``: its copy in ``min/``."""
    for folder in _FOLDERS:
        try:
            return (folder / "min" / name).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
    raise FileNotFoundError(
        f"the widget file {name!r} is missing from js/min/ in this installation of dlwidgets "
        "(in a source checkout, `npm ci && npm run minify` makes it)"
    )


class AnyWidgetTraits(traitlets.HasTraits):
    """Mixed into an anywidget class before ``AnyWidget``: anywidget adds ``_esm`` and ``_anywidget_id`` to
    each widget it makes, and adding traits to a widget makes a new class for it (~1-2 ms a widget). Its
    class declares them once (``_esm`` its own), and only traits it lacks are added."""

    _anywidget_id = traitlets.Unicode().tag(sync=True)

    @traitlets.default("_anywidget_id")
    def _class_name(self) -> str:  # what anywidget names it
        return f"{type(self).__module__}.{type(self).__name__}"

    def add_traits(self, **traits: traitlets.TraitType[Any, Any]) -> None:
        """Add only the traits the class does not declare."""
        new = {name: trait for name, trait in traits.items() if not self.has_trait(name)}
        if new:
            super().add_traits(**new)


class Loader(AnyWidgetTraits, anywidget.AnyWidget):
    """The page's loader of dlwidgets' anywidgets (``shared_module.js``), one per kernel: the page imports it
    when it makes this model, never shown, and every widget's ``_esm`` (``widget_stub.js``) hands it to
    anywidget as the widget's definition."""

    _esm = traitlets.Unicode(asset("shared_module.js")).tag(sync=True)

    @traitlets.default("layout")
    def _shared_layout(self) -> w.Layout:
        return shared_layout()


class SharedModule(w.Widget):
    """One ES module and its stylesheet, as the page runs them: held once per kernel (and once in a notebook
    saved with widget state) for every widget that runs the module, whose ``_esm`` only names the loader.
    It names the kernel's ``Loader`` so that a page given only the models a widget names still gets it."""

    name = traitlets.Unicode().tag(sync=True)
    esm = traitlets.Unicode().tag(sync=True)
    css = traitlets.Unicode().tag(sync=True)
    loader = traitlets.Instance(Loader).tag(sync=True, **w.widget_serialization)

    @traitlets.default("loader")
    def _the_loader(self) -> Loader:
        return loader()


_LOADER: list[Loader] = []


def loader() -> Loader:
    """The kernel's live ``Loader``, made when first asked for (or again once closed)."""
    if not _LOADER or getattr(_LOADER[0], "comm", None) is None:
        _LOADER[:] = [Loader()]
    return _LOADER[0]


_SHARED: dict[str, SharedModule] = {}


def shared_module(name: str, esm: str, css: str) -> SharedModule:
    """The kernel's live ``SharedModule`` named ``name`` (the widget class running it), made when first
    asked for (or again once closed)."""
    shared = _SHARED.get(name)
    if shared is None or getattr(shared, "comm", None) is None:
        shared = _SHARED[name] = SharedModule(name=name, esm=esm, css=css)
    return shared
