"""``CanvasRecorder``: one of the stage's drawn layers in the kernel, a plain object (no widget model) that
takes ipycanvas's drawing calls and records them as ipycanvas encodes them, for the stage to send as its
synced state (``Stage.drawing``, ``Stage.highlight``) and the page to replay (``js/stage_replay.js``).

ipycanvas stays the drawing vocabulary: the calls are ipycanvas's own ``Canvas`` methods, borrowed, which
encode their arguments with ``ipycanvas.utils.populate_args`` under the numbers of
``ipycanvas.canvas.COMMANDS``. Only the subset the stage's page replays is borrowed: any other call fails
here, not silently in the page.

A batch is written shorter than ipycanvas's message (it goes with every redraw, the first with the
Annotator's opening):

- the commands are compact JSON, ``[number, args]``, then, in one buffer, their arrays' bytes one after
  the other in the order sent (ipycanvas sends a buffer each, and a buffer costs a message ~30 bytes: its
  path, a null in the state, its offset on the websocket);
- an array argument is ``{dtype: shape}`` (ipycanvas's ``{"shape", "dtype", "idx"}``): the page cuts the
  arrays apart by their dtypes and shapes;
- an array equal to one already in the batch (its bytes and dtype) is not sent again: its argument is
  ``{"same": n}``, the batch's n-th array read as it was sent (``{"same": n, "shape"}``: the same items in
  another shape). Filled and stroked boxes share their x, y, width, height and colours; label texts their
  plates' x and y;
- one command of our own, numbered apart from ipycanvas's (``EXTENSIONS``): ``fill_texts``, many texts in
  one command, ``[texts, codes, x, y]``: text ``texts[codes[i]]`` filled at ``(x[i], y[i])``, where
  ``texts`` are the distinct texts and the rest arrays. ipycanvas has only ``fill_text``, one text a
  command: fifty labels were fifty commands, 1.5 KB of JSON where this is about 0.3 KB.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from ipycanvas import Canvas
from ipycanvas.canvas import COMMANDS, _CanvasManager
from ipycanvas.utils import populate_args

# The style attributes the drawing sets, with ipycanvas's defaults (a page's context starts with them).
DEFAULTS: dict[str, Any] = {
    "fill_style": "black",
    "stroke_style": "black",
    "line_width": 1.0,
    "font": "12px serif",
    "text_baseline": "alphabetic",
}

# Our commands beside ipycanvas's, numbered from 100, clear of ipycanvas's (0-60).
EXTENSIONS = {"fillTexts": 100}

Batch = list[bytes]  # [the commands as JSON, then (if any) their arrays' bytes in one]: the synced value


class CanvasRecorder:
    """The commands drawn since the last ``clear()`` on a canvas of the stage; ``batch()`` is them encoded.
    A ``clear()`` restarts the record with the style attributes set before it, so a batch drawn on a blank
    context (a page opening later, a second view) draws what a canvas drawn all along shows."""

    # ipycanvas's Canvas methods, each encoding its arguments and calling ``send_draw_command``.
    fill_rect = Canvas.fill_rect
    stroke_rect = Canvas.stroke_rect
    fill_rects = Canvas.fill_rects
    stroke_rects = Canvas.stroke_rects
    fill_styled_rects = Canvas.fill_styled_rects
    stroke_styled_rects = Canvas.stroke_styled_rects
    fill_circle = Canvas.fill_circle
    stroke_circle = Canvas.stroke_circle
    fill_styled_circles = Canvas.fill_styled_circles
    stroke_line = Canvas.stroke_line
    stroke_lines = Canvas.stroke_lines
    stroke_polygon = Canvas.stroke_polygon
    fill_styled_polygons = Canvas.fill_styled_polygons
    stroke_styled_polygons = Canvas.stroke_styled_polygons
    stroke_styled_line_segments = Canvas.stroke_styled_line_segments
    fill_text = Canvas.fill_text
    set_line_dash = Canvas.set_line_dash
    translate = Canvas.translate
    _draw_polygons_or_linesegments = Canvas._draw_polygons_or_linesegments
    # ipycanvas's manager's, which drops trailing None arguments and counts the buffers.
    send_draw_command = _CanvasManager.send_draw_command

    def __init__(self, on_change: Callable[[], None] | None = None) -> None:
        self._commands: list[Any] = []
        self._buffers: list[bytes] = []
        # Each array in the batch (bytes, dtype): its place among the batch's buffers, and its shape.
        self._sent: dict[tuple[bytes, str], tuple[int, list[int]]] = {}
        self._style = dict(DEFAULTS)
        self._line_dash: list[float] = []
        self.on_change = on_change  # told after each call that drew or styled something

    @property
    def _canvas_manager(self) -> CanvasRecorder:
        """Where the borrowed methods send their commands: here."""
        return self

    def __getattr__(self, name: str) -> Any:
        if name in DEFAULTS:
            return self.__dict__["_style"][name]
        raise AttributeError(f"{name!r}: the stage's canvases draw only {sorted(CALLS)}")

    def __setattr__(self, name: str, value: Any) -> None:
        if name in DEFAULTS:
            self._style[name] = value
            self.send_command(self, [COMMANDS["set"], [Canvas.ATTRS[name], value]])
        else:
            super().__setattr__(name, value)

    def fill_texts(self, texts: Sequence[str], x: Any, y: Any) -> None:
        """Fill ``texts[i]`` at ``(x[i], y[i])`` for every i: ``fill_text`` for many texts, in one command
        (``EXTENSIONS``), each distinct text sent once."""
        distinct: dict[str, int] = {}
        codes = [distinct.setdefault(text, len(distinct)) for text in texts]
        args: list[Any] = [list(distinct)]
        buffers: list[Any] = []
        for values in (np.array(codes, dtype=np.uint8 if len(distinct) <= 256 else np.uint16), x, y):
            populate_args(values, args, buffers)
        self.send_draw_command(self, EXTENSIONS["fillTexts"], args, buffers)

    def send_command(self, _canvas: object, command: list[Any], buffers: list[Any] = ()) -> None:  # type: ignore[assignment]
        args = []
        for arg in command[1] if len(command) > 1 else ():
            if isinstance(arg, dict) and "idx" in arg:
                data = bytes(buffers[arg["idx"]])
                key, shape = (data, arg["dtype"]), list(arg["shape"])
                if key in self._sent:
                    place, first_shape = self._sent[key]
                    arg = {"same": place} if shape == first_shape else {"same": place, "shape": shape}
                else:
                    self._sent[key] = len(self._buffers), shape
                    self._buffers.append(data)
                    arg = {arg["dtype"]: shape}
            args.append(arg)
        self._commands.append([command[0], args])
        if self.on_change is not None:
            self.on_change()

    def clear(self) -> None:
        """Clear the canvas: the record restarts from here, with the styles set so far."""
        self._commands, self._buffers, self._sent = [[COMMANDS["clear"], []]], [], {}
        styles = [[COMMANDS["set"], [Canvas.ATTRS[k], v]] for k, v in self._style.items() if v != DEFAULTS[k]]
        self._commands += styles
        if self._line_dash:
            self._commands.append([COMMANDS["setLineDash"], [self._line_dash]])
        if self.on_change is not None:
            self.on_change()

    @property
    def is_blank(self) -> bool:
        """Whether nothing was drawn since the last clear (styles set are not drawing)."""
        drawing = {COMMANDS["clear"], COMMANDS["set"], COMMANDS["setLineDash"], COMMANDS["translate"]}
        return all(command[0] in drawing for command in self._commands)

    def batch(self) -> Batch:
        """The commands since the last clear, as the stage syncs them."""
        commands = json.dumps(self._commands, separators=(",", ":")).encode()
        return [commands, b"".join(self._buffers)] if self._buffers else [commands]


CALLS = frozenset(
    name for name, value in vars(CanvasRecorder).items() if callable(value) and not name.startswith("_")
) - {"send_draw_command", "send_command", "batch"}
