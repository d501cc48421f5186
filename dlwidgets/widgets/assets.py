"""The widgets' browser files (ES modules and their stylesheets), as each anywidget sends them: read from
``js/`` in a source checkout, ``dlwidgets/js/`` in the wheel, minified.

The minified copies are made by esbuild (``npm run minify``, js/minify.mjs) into ``js/min/``, with the
sha256 of the file each was made from: a copy is sent only while its file is unchanged, and a file edited
since is sent without its comments and indentation (``strip_js``, ``strip_css``) until it is made again.

Each module and its stylesheet is sent once per kernel, held by a ``SharedModule`` model
(``shared_module()``); so is the page's loader (``shared_module.js``, the ``Loader`` model's ``_esm``), which
imports a module from there for each widget, whose own ``_esm`` is only ``widget_stub.js``, a few bytes
naming the loader. The comments (mostly JSDoc types, for tsc) are a third of a module's text and do nothing
in the page.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as w
import traitlets

from .shared_styling import shared_layout

# A CSS comment; no stylesheet here holds "/*" in a string.
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def asset_path(name: str) -> Path:
    """The path of the browser file ``name``."""
    for folder in (Path(__file__).parent.parent / "js", Path(__file__).parent.parent.parent / "js"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"the widget file {name!r} is missing from this installation of dlwidgets")


def asset(name: str) -> str:
    """The browser file ``name`` as an anywidget's ``_esm`` or ``_css``: its minified copy, or its text
    without comments and blank lines if it changed since that copy was made or is shorter (a file written
    short by hand, such as widget_stub.js: esbuild adds an export statement)."""
    path = asset_path(name)
    text = path.read_text(encoding="utf-8")
    stripped = strip_css(text) if name.endswith(".css") else strip_js(text)
    copy = minified(path)
    return stripped if copy is None or len(stripped) < len(copy) else copy


def minified(path: Path) -> str | None:
    """The minified copy of the browser file at ``path`` (in ``min/`` beside it), if it was made from the
    file as it is now; None otherwise."""
    folder = path.parent / "min"
    try:
        made_from = json.loads((folder / "sources.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if made_from.get(path.name) != hashlib.sha256(path.read_bytes()).hexdigest():
        return None
    return (folder / path.name).read_text(encoding="utf-8")


def strip_js(text: str) -> str:
    """``text`` without indentation, blank lines and whole-line comments (``// ...`` and ``/* ... */``
    starting a line); the lines of a template literal spanning lines are kept as they are. Comments after
    code stay: telling them from "//" in a string or a regex needs a parser."""
    kept: list[str] = []
    in_comment = in_template = False
    for line in text.splitlines():
        code = line.strip()
        if in_template:
            code = line
        elif in_comment:
            in_comment = "*/" not in code
            code = "" if in_comment else code.split("*/", 1)[1].strip()
        elif code.startswith("/*"):
            in_comment = "*/" not in code[2:]
            code = "" if in_comment else code[2:].split("*/", 1)[1].strip()
        elif code.startswith("//"):
            code = ""
        if in_template or code:
            kept.append(code)
        in_template ^= (code.count("`") - code.count("\\`")) % 2 == 1  # a template literal opens or ends
    return "\n".join(kept) + "\n"


def strip_css(text: str) -> str:
    """``text`` without comments, indentation and blank lines."""
    lines = (line.strip() for line in _CSS_COMMENT.sub("", text).splitlines())
    return "\n".join(line for line in lines if line) + "\n"


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
