"""The canvas commands a widget drew, read back from the messages recorded by the ``sent`` fixture or from
the annotator stage's synced drawing."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import numpy as np
from ipycanvas import Canvas
from ipycanvas.canvas import COMMANDS

from dlwidgets.widgets.annotator.canvas_recorder import EXTENSIONS

Sent = list[tuple[Any, list[bytes]]]  # (the custom message's content, its buffers)
NAMES = {number: name for name, number in (COMMANDS | EXTENSIONS).items()}


def commands(sent: Sent) -> list[tuple[str, list[Any]]]:
    """Each canvas command ipycanvas sent, by name, with its array arguments decoded."""
    found = []
    for _content, buffers in sent:
        listed = json.loads(buffers[0])
        batch = listed if listed and isinstance(listed[0], list) else [listed]
        rest = buffers[1:]
        for command in batch:
            name, args = NAMES.get(command[0], str(command[0])), command[1] if len(command) > 1 else []
            count = command[2] if len(command) > 2 else 0
            own, rest = rest[:count], rest[count:]
            decoded = [_array(arg, own) for arg in args]
            if name != "switchCanvas":  # which layer the next commands draw on
                found.append((name, decoded))
    return found


def _array(arg: Any, own: list[bytes]) -> Any:
    """An argument as drawn: an array from the command's own buffers (``idx``), or as it is."""
    if not isinstance(arg, dict) or "idx" not in arg:
        return arg
    return np.frombuffer(own[arg["idx"]], dtype=arg["dtype"]).reshape(arg["shape"])


def batch_commands(batch: list[Any]) -> list[tuple[str, list[Any]]]:
    """The commands of one of the stage's synced drawings (its ``drawing`` or ``highlight``, written as
    canvas_recorder says): the commands' JSON, then their arrays in one buffer, cut apart here as the page
    does."""
    if not batch:
        return []
    arrays, at = bytes(batch[1]) if len(batch) > 1 else b"", 0
    sent: list[Any] = []  # the batch's arrays so far
    found = []
    for number, args in json.loads(bytes(batch[0])):
        decoded = []
        for arg in args:
            if isinstance(arg, dict) and "same" in arg:  # as it was sent, or the same items in another shape
                arg = sent[arg["same"]].reshape(arg.get("shape", sent[arg["same"]].shape))
            elif isinstance(arg, dict):  # {dtype: shape}
                ((dtype, shape),) = arg.items()
                size = np.dtype(dtype).itemsize * int(np.prod(shape))
                arg = np.frombuffer(arrays[at : at + size], dtype=dtype).reshape(shape)
                sent.append(arg)
                at += size
            decoded.append(arg)
        found.append((NAMES.get(number, str(number)), decoded))
    assert at == len(arrays), f"{len(arrays) - at} bytes of the arrays' buffer read by no argument"
    return found


def drawn(stage: Any) -> list[str]:
    """The names of the commands the stage's annotations layer holds now (since it was last cleared)."""
    return [name for name, _ in batch_commands(stage.drawing)]


class Text(NamedTuple):
    """A text filled, where the canvas shows it and in the style it was filled with."""

    text: str
    x: float
    y: float
    fill_style: str
    font: str


def texts_drawn(found: list[tuple[str, list[Any]]]) -> list[Text]:
    """Each text filled, from ``fillText`` and the stage's ``fillTexts`` (one command for many), moved by
    the ``translate`` commands before it, with the fill style and font set before it."""
    dx = dy = 0.0
    style = {"fill_style": "black", "font": "12px serif"}  # a context's defaults
    attrs = {Canvas.ATTRS["fill_style"]: "fill_style", Canvas.ATTRS["font"]: "font"}
    drawn_texts: list[Text] = []
    for name, args in found:
        if name == "set" and args[0] in attrs:
            style[attrs[args[0]]] = args[1]
        elif name == "translate":
            dx, dy = dx + args[0], dy + args[1]
        elif name == "fillText":
            drawn_texts.append(Text(args[0], args[1] + dx, args[2] + dy, **style))
        elif name == "fillTexts":
            texts, codes, xs, ys = args
            for code, x, y in zip(codes.tolist(), xs.tolist(), ys.tolist(), strict=True):
                drawn_texts.append(Text(texts[code], x + dx, y + dy, **style))
    return drawn_texts
