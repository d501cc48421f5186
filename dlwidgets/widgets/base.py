"""The base every widget stands on: a status line, one error policy for user actions, callbacks that can be
removed and never fail silently, a quiet flag while the kernel writes its own controls, and ``close()``
of the whole tree of widget models (each lives in the kernel and in the browser until it is closed)."""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal, TypedDict, TypeVar

import ipywidgets as w
import traitlets

from ..exceptions import PlatformError
from .assets import AnyWidgetTraits, SharedModule, asset, shared_module
from .kernel_thread import pin_tree
from .shared_styling import (
    SHARED,
    OpensWithChanges,
    SharedStyling,
    copy_on_write,
    shared_layout,
    shared_style,
)

T = TypeVar("T")

# One error colour, JupyterLab's own (so it follows the theme), red where the variable is not defined.
ERROR_COLOR = "var(--jp-error-color1, red)"
# Secondary text, JupyterLab's, or the system's grey outside it: never a fixed grey, which the dark theme
# would leave unreadable.
MUTED_COLOR = "var(--jp-ui-font-color2, GrayText)"

# What a user action may raise and still be shown in the widget: the platform's refusals, bad input
# (ValueError, TypeError) and files or connections that failed (OSError, ConnectionError among them).
# Anything else is a defect of the code and is raised, so that it is seen and fixed.
SHOWN_ERRORS: tuple[type[Exception], ...] = (PlatformError, ValueError, TypeError, OSError)

ERROR, NOTICE = "error", "notice"


def describe(error: BaseException) -> str:
    """What a user reads of ``error``: a platform error's message, otherwise the exception's text."""
    return error.message if isinstance(error, PlatformError) else str(error)


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural unless one: "1 item", "2 items", "1,200 items"."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def status_html(kind: str, message: str, css_class: str = "") -> str:
    """The status line's HTML for an ``error`` or ``notice`` (escaped; empty for no message)."""
    if not message:
        return ""
    classes = " ".join(c for c in (f"dlw-{kind}", css_class) if c)
    style = f" style='color:{ERROR_COLOR}'" if kind == ERROR else ""
    return f"<span class='{classes}'{style}>{html.escape(message)}</span>"


class Callbacks:
    """The callbacks of one event (``on_save``, ``on_select``...): added, removed with ``remove=True``,
    and fired in order; a callback that fails is reported through ``report`` and the rest still run."""

    def __init__(self, event: str, report: Callable[[str], None]) -> None:
        self.event = event
        self._report = report
        self._callbacks: list[Callable[..., Any]] = []

    def __len__(self) -> int:
        return len(self._callbacks)

    def register(self, callback: Callable[..., Any], remove: bool = False) -> None:
        """Add ``callback`` (or, with ``remove=True``, take it away again)."""
        if not callable(callback):
            raise TypeError(f"{self.event} takes a function, got {callback!r}")
        if remove:
            if callback in self._callbacks:
                self._callbacks.remove(callback)
        else:
            self._callbacks.append(callback)

    def fire(self, *args: Any) -> bool:
        """Call every callback with ``args``; False when one failed (its failure has been reported)."""
        ok = True
        for callback in list(self._callbacks):
            try:
                callback(*args)
            except Exception as error:  # a user's code: shown beside the widget, never swallowed
                self._report(f"{self.event} callback failed: {type(error).__name__}: {error}")
                ok = False
        return ok


class Chrome:
    """Status, the error policy, callbacks and the quiet flag, for any widget class (a box or an
    anywidget). Subclasses say how a status is shown by overriding ``_show_status``."""

    _status_text = ""
    _status_kind = ""
    _quiet_depth = 0

    # -- status ---------------------------------------------------------------------------------------
    @property
    def status(self) -> str:
        """The text the status line shows now ("" when it shows nothing)."""
        return self._status_text

    @property
    def status_kind(self) -> str:
        """``"error"``, ``"notice"`` or ``""``: what kind of text the status line shows."""
        return self._status_kind

    def error(self, message: str) -> None:
        """Show ``message`` as an error."""
        self._set_status(ERROR, message)

    def notice(self, message: str, css_class: str = "") -> None:
        """Show ``message`` as a notice (``css_class`` marks it for styling and for tests)."""
        self._set_status(NOTICE, message, css_class)

    def clear_status(self) -> None:
        self._set_status("", "")

    def _set_status(self, kind: str, message: str, css_class: str = "") -> None:
        self._status_kind, self._status_text = (kind, message) if message else ("", "")
        self._show_status(self._status_kind, message, css_class)

    def _show_status(self, kind: str, message: str, css_class: str) -> None:
        """Show the status (nothing by default: the text is still read from ``status``)."""

    # -- the error policy --------------------------------------------------------------------------------
    def attempt(self, action: Callable[[], T], *, clear: bool = True) -> T | None:
        """Run a user action; what it raises of ``SHOWN_ERRORS`` is shown as an error (and None returned)
        instead of escaping into the notebook's log, where ipywidgets would hide it."""
        if clear:
            self.clear_status()
        try:
            return action()
        except SHOWN_ERRORS as error:
            self.error(describe(error))
            return None

    def act(self, action: Callable[[], Any]) -> Callable[..., None]:
        """``action`` as a click or observe handler (its arguments dropped), under ``attempt``."""

        def run(*_: Any) -> None:
            self.attempt(action)

        return run

    # -- callbacks -------------------------------------------------------------------------------------
    def callbacks(self, event: str) -> Callbacks:
        """The callbacks of ``event``, made on first use; failures are shown as errors."""
        registry: dict[str, Callbacks] = self.__dict__.setdefault("_callback_registry", {})
        if event not in registry:
            registry[event] = Callbacks(event, self.error)
        return registry[event]

    # -- the quiet flag --------------------------------------------------------------------------------
    @contextlib.contextmanager
    def quietly(self) -> Iterator[None]:
        """While the kernel writes values into its own controls, ``is_quiet`` is True so that their
        observers do not take the writes for a user's choice. Re-entrant."""
        self._quiet_depth += 1
        try:
            yield
        finally:
            self._quiet_depth -= 1

    @property
    def is_quiet(self) -> bool:
        return self._quiet_depth > 0

    # -- the text beside the view --------------------------------------------------------------------------
    def __repr__(self) -> str:
        """``Name(what it shows)``: the text/plain that every shown widget sends beside its view, and all a
        reader sees where widgets are not rendered; never its children's reprs."""
        return f"{type(self).__name__}({', '.join(self._repr_parts())})"

    def _repr_parts(self) -> list[str]:
        """What the widget shows, for its repr: the status line's text, if any (subclasses add theirs)."""
        return [f"{self._status_kind}={self._status_text!r}"] if self._status_text else []


# What every anywidget of dlwidgets sends as its ``_esm``: a few bytes handing it to the page's loader.
WIDGET_ESM = asset("widget_stub.js")


class _Notice(TypedDict):
    type: Literal["notice"]
    kind: Literal["error", "notice"]


class Notice(_Notice, total=False):
    """Kernel -> browser: an anywidget's status line, with the text under the key its ``kind`` names (the
    ``Notice`` typedef of the ES modules that show it)."""

    error: str
    notice: str


class AnyWidgetChrome(Chrome, OpensWithChanges, AnyWidgetTraits):
    """The anywidgets' part of the base: a status is sent to the browser as a ``Notice``, which the view
    may show, and ``close()`` closes the widget's ``Layout`` too. Its layout is the kernel's shared empty
    one until a value is set on it (``shared_layout``); the page then follows the widget's new Layout model
    (the page's loader, ``shared_module.js``, listens for it again: anywidget drops the view's own
    listeners).

    A class's ``_esm`` and ``_css`` (its browser files' text) go to the page once per kernel, in a
    ``SharedModule`` its widgets name in ``_shared_module``; their own ``_esm`` (``widget_stub.js``) only
    hands them to the page's loader, which imports the module from there.
    """

    _esm = traitlets.Unicode(WIDGET_ESM).tag(sync=True)  # declared once (AnyWidgetTraits)
    _css: str  # a subclass's stylesheet, until its class is made
    _page_class = w.DOMWidget  # opens without the DOMWidget traits that are the page's defaults
    # anywidget's name of the class, which its page side reads only to name a stylesheet sent in _css (a
    # SharedModule's here) and in warnings: 50-70 bytes a widget.
    _not_sent = ("_anywidget_id",)
    _shared_files: tuple[str, str, str]  # the SharedModule's name, module and stylesheet
    _shared_module = traitlets.Instance(SharedModule).tag(sync=True, **w.widget_serialization)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if isinstance(cls.__dict__.get("_esm"), str):  # the class's browser files, as anywidget reads them
            name = f"{cls.__module__}.{cls.__qualname__}"
            cls._shared_files = (name, cls.__dict__["_esm"], cls.__dict__.get("_css", ""))
            del cls._esm  # the widget sends WIDGET_ESM
            if "_css" in cls.__dict__:
                del cls._css
        super().__init_subclass__(**kwargs)

    @traitlets.default("_shared_module")
    def _the_shared_module(self) -> SharedModule:
        return shared_module(*self._shared_files)

    @traitlets.default("layout")
    def _shared_layout(self) -> w.Layout:
        return shared_layout()

    def _show_status(self, kind: str, message: str, css_class: str) -> None:
        if message and getattr(self, "comm", None) is not None:
            notice: Notice = (
                {"type": "notice", "kind": "error", "error": message}
                if kind == ERROR
                else {"type": "notice", "kind": "notice", "notice": message}
            )
            self.send(notice)  # type: ignore[attr-defined]

    def close(self) -> None:
        close_all(list(widgets_in(self)))
        super().close()  # type: ignore[misc]


def button(text: str, action: Callable[[], Any], icon: str = "", tooltip: str = "", **style: Any) -> w.Button:
    """A button sized to its text that runs ``action()`` when clicked; ``style`` holds further Button
    traits (``button_style``, ``disabled``, ``layout``)."""
    traits = {**style, "layout": style.get("layout") or shared_layout(width="auto")}
    made = w.Button(description=text, icon=icon, tooltip=tooltip or text, **traits)
    made.on_click(lambda _: action())
    return made


# Traits that hold one model shared by every widget of a kind, which closing one widget must not close:
# ipycanvas draws every canvas through a single ``_canvas_manager``, an anywidget's module is the kernel's,
# a ControlBar's specs are the kernel's for every bar with the same (it closes them with the last), and so
# is an annotator stage's list of shortcuts.
SHARED_TRAITS = frozenset({"_canvas_manager", "_shared_module", "_controls", "_shortcuts"})


def widgets_in(widget: w.Widget) -> Iterator[w.Widget]:
    """The widgets that ``widget``'s synced traits hold: children, layout, style and the like (not the
    kernel's shared Layout and Style models)."""
    for name in widget.keys:
        if name in SHARED_TRAITS:
            continue
        value = widget._trait_values.get(name)  # never a default made now, only to be closed
        if isinstance(value, w.Widget):
            if value not in SHARED:
                yield value
        elif isinstance(value, (list, tuple)):
            yield from (v for v in value if isinstance(v, w.Widget) and v not in SHARED)


def close_tree(widget: w.Widget) -> None:
    """Close ``widget`` and every widget model it holds, depth first, ``Layout`` and ``Style`` included
    (``Widget.close()`` closes one model and leaves those alive)."""
    seen: set[int] = set()

    def close(node: w.Widget) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        for inner in list(widgets_in(node)):
            close(inner)
        node.close()

    close(widget)


def close_all(widgets: Iterable[w.Widget]) -> None:
    for widget in widgets:
        close_tree(widget)


def replace_children(box: w.Box, children: Iterable[w.Widget]) -> None:
    """Show ``children`` in ``box`` and close the trees of those it showed before and shows no more."""
    new = list(children)
    kept = {id(c) for c in new}
    dropped = [c for c in box.children if id(c) not in kept]
    box.children = new
    close_all(dropped)


def live_models() -> int:
    """How many widget models are alive in the kernel (ipywidgets 8 keeps them in ``_instances``, 7 in
    ``Widget.widgets``)."""
    from ipywidgets.widgets import widget as module

    instances = getattr(module, "_instances", None)
    return len(instances if instances is not None else w.Widget.widgets)


def status_line() -> w.HTML:
    """An empty line for a widget's status: in the page, the kernel's one empty HTML model (with the same
    Layout and style) until it is given something to show, then a model of its own with the text, which the
    boxes holding it are told of (``shared_styling.CopyOnWrite``). A widget shown without ever an error or a
    notice costs no model for it."""
    return copy_on_write(w.HTML, layout=shared_layout(), style=shared_style(w.HTML))


class WidgetBase(Chrome, OpensWithChanges, w.VBox):
    """A widget made of ipywidgets: a vertical box with a status line (``status_line``, placed by the
    subclass among its children; no model of its own until it shows something), and ``close()`` of its
    whole tree and of the widgets it ``own``s. Its layout, and its parts' made through ``shared``, are the
    kernel's shared ones until a value is set."""

    shared = SharedStyling()  # parts made with the kernel's shared Layout and Style models
    _page_class = w.VBox  # opens without the values that are the page's VBoxModel defaults

    def __init__(self, children: Iterable[w.Widget] = (), **kwargs: Any) -> None:
        self.status_line = status_line()
        self._owned: list[w.Widget] = []
        kwargs.setdefault("layout", shared_layout())
        super().__init__(list(children), **kwargs)

    def _show_status(self, kind: str, message: str, css_class: str) -> None:
        line = getattr(self, "status_line", None)
        if line is not None:
            line.value = status_html(kind, message, css_class)

    def button(
        self, text: str, action: Callable[[], Any], icon: str = "", tooltip: str = "", **style: Any
    ) -> w.Button:
        """A button whose action runs under ``attempt``: its refusals are shown in the status line. Its
        layout and style are shared with the widget's other buttons unless given."""
        style.setdefault("layout", self.shared.layout(width="auto"))
        style.setdefault("style", self.shared.style(w.Button))
        return button(text, lambda: self.attempt(action), icon, tooltip, **style)

    def own(self, widget: w.Widget) -> w.Widget:
        """Close ``widget`` with this one even while it is not among the children."""
        self._owned.append(widget)
        pin_tree(widget)
        return widget

    replace_children = staticmethod(replace_children)

    def close(self) -> None:
        """Close this widget, everything shown in it, and the widgets it owns."""
        close_all(getattr(self, "_owned", ()))
        close_all(list(widgets_in(self)))
        super().close()
        line = getattr(self, "status_line", None)
        if line is not None:
            close_tree(line)
