"""The gesture protocol of the annotator's stage (``annotator.stage.Stage``, ``js/annotator_stage.js``):
the coalesced gestures its gesture layer reports, and the kernel's replies.

The messages are written down twice, alike: as the TypedDicts here and as JSDoc typedefs in
``js/annotator_stage.js``. Points are canvas pixels, of the canvas of ``size`` (width, height) the
browser showed; ``id`` names one drag from its "down" to its "up".
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict


class Down(TypedDict):
    """The pointer went down: a drag begins. ``button`` 1 (the middle one) pans; ``ctrl`` is Ctrl or Cmd."""

    type: Literal["down"]
    id: int
    x: float
    y: float
    button: int
    shift: bool
    ctrl: bool
    alt: bool
    size: list[int]


class Up(TypedDict):
    """The drag that began at (x0, y0) ended at (x, y); a pan was last reported at (px, py)."""

    type: Literal["up"]
    id: int
    x: float
    y: float
    x0: float
    y0: float
    px: float
    py: float
    shift: bool
    size: list[int]


class Pan(TypedDict):
    """A panning drag moved by (dx, dy) since its last pan; the next one waits for a ``PanAck``."""

    type: Literal["pan"]
    id: int
    dx: float
    dy: float
    size: list[int]


class Wheel(TypedDict):
    """The wheel turned by ``dy`` over (x, y), summed over one animation frame."""

    type: Literal["wheel"]
    x: float
    y: float
    dy: float
    size: list[int]


class Key(TypedDict):
    """A key pressed with the layer focused. Esc comes after the browser dropped a drag in progress."""

    type: Literal["key"]
    key: str
    ctrl: bool
    shift: bool


class Resize(TypedDict):
    """The space the layer is given is ``width`` CSS pixels wide, in a window ``window_height`` high."""

    type: Literal["resize"]
    width: float
    window_height: float


class Vertices(TypedDict):
    """A polygon or polyline drawn click by click in the browser, sent once it is finished: its vertices
    in image pixels (kept so while drawing, whatever the zoom and pan did meanwhile)."""

    type: Literal["vertices"]
    id: int
    tool: Literal["polygon", "polyline"]
    points: list[list[float]]


class Stroke(TypedDict):
    """A stroke of the brush or the eraser, sent once when the pointer is released: its ``radius`` and
    its path ``[x0, y0, x1, y1, ...]``, in image pixels."""

    type: Literal["stroke"]
    id: int
    tool: Literal["brush", "eraser"]
    radius: float
    points: list[float]


GestureEvent = Down | Up | Pan | Wheel | Key | Resize | Vertices | Stroke


class Brush(TypedDict):
    """The ``brush`` trait while the brush or the eraser is the tool: its radius in image pixels and the
    colour it previews in."""

    tool: Literal["brush", "eraser"]
    radius: float
    color: str


class _Grab(TypedDict):
    type: Literal["grab"]
    id: Any  # the id of the "down" it answers
    # "new", "none", "pan", "move", the box handle dragged ("nw", "n", ... "w"), or "vertex" (dragged),
    # "insert" (a vertex added on an edge), "rotate" or "radius" (an ellipse's, by the end of its axis)
    mode: str


class Grab(_Grab, total=False):
    """The answer to a ``Down``: what the drag does, which the browser previews. ``rect`` is the grabbed
    box (left, top, right, bottom), ``point`` the grabbed point; a shape previewed by its outline
    (``kind`` "path") comes with its ``points`` (``closed`` or not), the ``index`` of the vertex dragged or
    of the edge's first vertex, the ``centre`` it turns about and, for a radius, the ``axis`` from the
    centre to the end grabbed; ``kind`` "ellipse" draws a new ellipse from its centre."""

    color: str | None
    rect: list[float]
    kind: Literal["point", "path", "ellipse"]
    point: list[float]
    points: list[list[float]]
    closed: bool
    index: int
    centre: list[float]
    axis: list[float]


class PanAck(TypedDict):
    """The last ``Pan`` is applied: the browser may send the next."""

    type: Literal["pan_ack"]


class Committed(TypedDict):
    """Gesture ``id``'s result is drawn (or it failed): the browser drops its preview."""

    type: Literal["committed"]
    id: Any


class Release(TypedDict):
    """Esc found nothing to cancel or unselect: the browser gives the keyboard back to the notebook."""

    type: Literal["release"]


GestureReply = Grab | PanAck | Committed | Release
