"""Every comm of every widget dlwidgets makes is handled on the kernel's main shell, one message at a time.

A page using kernel subshells (JupyterLab 4.4+, Notebook 7, with ipykernel 7) sends widget messages with a
subshell id, and ipykernel routes each to the subshell of the message that last published on its comm
(``Comm._reply_subshell_for``): a widget last sent to from a cell runs on the main shell, one last sent to
while handling a page message on a subshell thread. One page's messages then run on two threads at once and
out of order (a click handled before the text typed just before it), and our widget code is not
thread-safe. ``pin_tree`` gives each of our widgets' comms a route to the main shell, as Jupyter was before
subshells and as Colab and VS Code are; a user's own widgets keep ipykernel's routing. Where the hook does
not exist (ipykernel < 7, no kernel) the route is never asked for.

A pinned widget is watched for a new comm and for widgets added later, in the traits that can hold widgets
only (found once per class): a change of any other trait (a drawing, an objects list) runs nothing here.
"""

from __future__ import annotations

import weakref
from typing import Any

import ipywidgets as w
import traitlets

_PINNED = "_dlw_main_shell"  # set on a widget once its tree is pinned and watched


def pin_tree(widget: w.Widget) -> None:
    """Route ``widget``'s comm and those of every widget it holds (children, layout, style, ...) to the
    main shell, now and whenever one opens again or a widget is added to one of them later."""
    stack = [widget]
    while stack:
        node = stack.pop()
        if node.__dict__.get(_PINNED):
            continue  # pinned, and watched for what it comes to hold
        node.__dict__[_PINNED] = True
        holding = _holding(type(node))
        node.observe(_pin_new, names=["comm", *holding])
        _pin_comm(getattr(node, "comm", None))
        stack.extend(_held(node._trait_values.get(name) for name in holding))


def is_pinned(comm: Any) -> bool:
    """Whether ``comm``'s messages are routed to the main shell by ``pin_tree``."""
    return getattr(getattr(comm, "_reply_subshell_for", None), "__func__", None) is _main_shell


def _pin_new(change: Any) -> None:
    """A watched widget's trait changed: a new comm (the model opened) or newly held widgets are pinned."""
    if change["name"] == "comm":
        _pin_comm(change["new"])
        return
    for held in _held((change["new"],)):
        pin_tree(held)


_HOLDING: weakref.WeakKeyDictionary[type, list[str]] = weakref.WeakKeyDictionary()


def _holding(cls: type[w.Widget]) -> list[str]:
    """The traits of ``cls`` that can hold widgets: those synced as widget references (a box's children,
    a layout, a style, an anywidget's shared module) and those whose type says so (an ``Instance`` of a
    widget class, a list or tuple of them), synced or not. An untyped trait (``Any``) synced as a plain
    value cannot carry a widget to the page."""
    names = _HOLDING.get(cls)
    if names is None:
        traits = cls.class_traits()
        names = _HOLDING[cls] = [name for name, trait in traits.items() if name != "comm" and _holds(trait)]
    return names


def _holds(trait: traitlets.TraitType[Any, Any]) -> bool:
    """Whether ``trait``'s values can be widgets, or lists or tuples of them."""
    if trait.metadata.get("to_json") is w.widget_serialization["to_json"]:
        return True
    if isinstance(trait, traitlets.Union):
        return any(_holds(inner) for inner in trait.trait_types)
    if isinstance(trait, traitlets.Tuple):  # by its items' traits
        return any(_holds(inner) for inner in getattr(trait, "_traits", None) or ())
    if isinstance(trait, traitlets.Container):  # a List, a TypedTuple: by its items' trait
        inner = getattr(trait, "_trait", None)
        return inner is not None and _holds(inner)
    if isinstance(trait, traitlets.Instance) and isinstance(trait.klass, type):
        return issubclass(trait.klass, w.Widget)
    return False


def _held(values: Any) -> list[w.Widget]:
    """The widgets among ``values``: a widget, or those in a list or tuple (a box's children)."""
    found: list[w.Widget] = []
    for value in values:
        if isinstance(value, w.Widget):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            found.extend(v for v in value if isinstance(v, w.Widget))
    return found


def _pin_comm(comm: Any) -> None:
    if comm is None or is_pinned(comm):
        return
    ipykernel_route = getattr(comm, "_reply_subshell_for", None)
    if ipykernel_route is None:
        return  # no subshells in this kernel (ipykernel < 7) or no kernel: nothing routes by comm
    comm._ipykernel_route = ipykernel_route
    comm._reply_subshell_for = _main_shell.__get__(comm)


def _main_shell(comm: Any, data: Any, default: str | None) -> None:
    """The subshell of a message to ``comm``: None, the main shell. ipykernel's own route still runs, to
    forget the subshell it kept for the message's request id."""
    comm._ipykernel_route(data, default)
