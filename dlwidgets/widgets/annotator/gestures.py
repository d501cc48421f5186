"""``GestureHandler``: what the Annotator does with the gestures of its gesture layer: press, drag and
release draw, select, move and resize shapes or pan; the wheel zooms; keys are shortcuts, all in one
table (``SHORTCUTS``) that both handles the keys and lists them in the overlay ``?`` shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...api import Definition
from ..annotator_gestures import Down, Grab, Key, Pan, Resize, Up, Vertices, Wheel
from ..models import shape_edits
from ..models.annotation_edits import box_edges
from ..models.viewport import Viewport
from . import shape_gestures
from .annotating import Annotating
from .shape_gestures import Handle

NUDGE_STEP = 1.0
WHEEL_ZOOM = 1.0015
# A box smaller than this many canvas pixels on a side is a click, not a box.
MIN_DRAG_PX = 3.0
HIT_TOLERANCE_PX = 6.0


class GestureHandler:
    """The gestures of one Annotator, in canvas pixels, turned into its edits, selection and view. The
    Annotator draws what they change once per gesture and tells the browser when it is drawn."""

    def __init__(self, annotator: Annotating) -> None:
        self._annotator = annotator
        # Gestures begun and not yet ended, by the browser's gesture id: a new drag may begin before the
        # kernel has handled the end of the last one.
        self._gestures: dict[Any, dict[str, Any]] = {}
        # The views the canvas had at its earlier sizes: a gesture made before the browser got the new
        # size is in the canvas pixels of the one it showed.
        self._earlier_views: dict[tuple[int, int], Viewport] = {}
        # The vertex (shape key, contour, index) of a polygon or polyline last grabbed: what Delete deletes.
        self._vertex: tuple[int, int, int] | None = None

    def handle(self, event: dict[str, Any]) -> None:
        """Handle one ``GestureEvent`` from the browser (``down``, ``up``, ``wheel``, ``pan`` or ``key``;
        others are ignored); each handler reads its fields with care, as they come from outside."""
        handlers: dict[str, Callable[[Any], None]] = {
            "down": self.down,
            "up": self.up,
            "wheel": self.wheel,
            "pan": self.pan,
            "key": self.key,
            "resize": self.resize,
            "vertices": self.vertices,
            "stroke": self._annotator.mask_brush.paint,
        }
        handler = handlers.get(event.get("type", ""))
        if handler is not None:
            handler(self._on_current_canvas(event))

    def resized(self, before: Viewport) -> None:
        """The canvas left the view ``before`` for a new size; gestures may still come in its pixels."""
        self._earlier_views = {(before.canvas_width, before.canvas_height): before}

    def _on_current_canvas(self, event: dict[str, Any]) -> dict[str, Any]:
        """``event`` in the pixels of the canvas as it is now, if it was made on the one shown before."""
        size = event.get("size")
        viewport = self._annotator.viewport
        if not isinstance(size, list) or len(size) != 2:
            return event
        before = self._earlier_views.get((size[0], size[1]))
        if before is None or (size[0], size[1]) == (viewport.canvas_width, viewport.canvas_height):
            return event
        moved = dict(event)
        for x, y in (("x", "y"), ("x0", "y0"), ("px", "py")):
            if x in event and y in event:
                moved[x], moved[y] = viewport.to_canvas(*before.to_image(event[x], event[y]))
        for d in ("dx", "dy"):
            if d in event:
                moved[d] = event[d] * viewport.scale / before.scale
        return moved

    def forget(self) -> None:
        """Drop the gestures begun: they were begun on the previous item's shapes."""
        self._gestures.clear()
        self._vertex = None

    def down(self, event: Down) -> None:
        a = self._annotator
        gesture_id = event.get("id")
        x, y = a.viewport.to_image(event["x"], event["y"])
        tolerance = HIT_TOLERANCE_PX / a.viewport.scale
        handle = (
            shape_gestures.handle_at(a, x, y, tolerance) if a.edits and event.get("button") != 1 else None
        )
        self._vertex = None
        if event.get("alt") and handle is not None and handle.mode == "vertex":
            # Alt+click on a vertex of the selected polygon or polyline deletes it.
            assert a.edits is not None and a.selected is not None and handle.index is not None
            self._grab({"mode": "none"}, {"type": "grab", "id": gesture_id, "mode": "none"})
            shape_gestures.delete_vertex(a.edits, a.selected, handle.index, handle.ring)
            return
        if a.edits is None or event.get("button") == 1 or event.get("alt"):
            self._grab({"mode": "pan"}, {"type": "grab", "id": gesture_id, "mode": "pan"})
            return
        if handle is not None:
            assert a.selected is not None
            self._grab_shape(gesture_id, a.selected, handle.mode, handle)
            return
        hit = a.edits.hit(x, y, tolerance, skip=a.hidden)
        area = shape_gestures.shape_at(a, x, y, tolerance)
        if area is not None and (hit is None or (hit[1] == "move" and area > hit[0])):
            hit = (area, "move")  # the topmost shape: the last drawn
        if hit is not None and hit[0] in a.locked and (a.tool == "select" or hit[0] == a.selected):
            # A locked object is selected (its form shows) but never moved or resized: the drag pans.
            if hit[0] != a.selected:
                a._select(hit[0])
            self._grab({"mode": "pan"}, {"type": "grab", "id": gesture_id, "mode": "pan"})
            return
        if hit is not None and (a.tool == "select" or hit[0] == a.selected):
            self._grab_shape(gesture_id, *hit)
            return
        if a.tool == "select":
            a._select(None)
            self._grab({"mode": "pan"}, {"type": "grab", "id": gesture_id, "mode": "pan"})
            return
        mode = "none" if a.tool == "point" else "new"
        reply: Grab = {"type": "grab", "id": gesture_id, "mode": mode, "color": a._colors.get(a.label or "")}
        if a.tool == "ellipse":
            reply["kind"] = "ellipse"
        self._grab({"mode": "new", "tool": a.tool}, reply)

    def _grab_shape(self, gesture_id: Any, key: int, mode: str, handle: Handle | None = None) -> None:
        """A press on shape ``key`` (selected now) or on its ``handle``: the drag moves, resizes or turns
        it, or drags a vertex; the browser previews it."""
        a = self._annotator
        assert a.edits is not None
        shape = a.edits.shape(key)
        if key != a.selected:
            a._select(key)
        if shape["type"] == "binary":  # a mask is painted, not dragged: the press only selects it
            self._grab({"mode": "none"}, {"type": "grab", "id": gesture_id, "mode": "none"})
            return
        reply: Grab = {
            "type": "grab",
            "id": gesture_id,
            "mode": mode,
            "color": a._colors.get(shape.get("label") or ""),
        }
        if shape_gestures.is_previewed_as_path(shape, mode):
            shape_gestures.path_grab(a, shape, handle, reply)
        elif shape["type"] == "box":
            left, top, right, bottom = box_edges(shape)
            reply["rect"] = [*a.viewport.to_canvas(left, top), *a.viewport.to_canvas(right, bottom)]
        else:
            reply["kind"] = "point"
            reply["point"] = list(a.viewport.to_canvas(shape["coordinates"]["x"], shape["coordinates"]["y"]))
        if handle is not None and handle.mode == "vertex" and handle.index is not None:
            self._vertex = (key, handle.ring, handle.index)
        self._grab({"mode": mode, "key": key, "handle": handle}, reply)

    def _grab(self, gesture: dict[str, Any], reply: Grab) -> None:
        """Remember what the gesture ``reply`` answers does, and tell the browser (which previews it)."""
        self._gestures[reply["id"]] = gesture
        self._annotator.stage.reply(reply)

    def up(self, event: Up) -> None:
        """The end of a drag; `_on_gesture` tells the browser once the result is drawn."""
        a = self._annotator
        gesture = self._gestures.pop(event.get("id"), None)
        if gesture is not None and gesture["mode"] == "pan":
            # What the pan moved since its last increment (all of it if the drag ended before its grab).
            dx, dy = event["x"] - event.get("px", event["x"]), event["y"] - event.get("py", event["y"])
            if dx or dy:
                a.viewport.pan(dx, dy)
                a._redraw(image=True)
            return
        if gesture is None or a.edits is None or gesture["mode"] == "none":
            return
        if "key" in gesture and gesture["key"] not in a.edits:
            return  # its shape was deleted meanwhile (by a key pressed mid-drag)
        x0, y0 = a.viewport.to_image(event["x0"], event["y0"])
        x1, y1 = a.viewport.to_image(event["x"], event["y"])
        moved = max(abs(event["x"] - event["x0"]), abs(event["y"] - event["y0"])) >= MIN_DRAG_PX
        if gesture["mode"] == "new":
            self._create(gesture["tool"], x0, y0, x1, y1, moved)
        elif gesture["mode"] == "move" and moved:
            shape_gestures.move_shape(a.edits, gesture["key"], x1 - x0, y1 - y0)
        elif gesture["mode"] in shape_gestures.EDIT_MODES:
            end = (x1, y1) if moved or gesture["mode"] == "insert" else (x0, y0)
            vertex = shape_gestures.finish_edit(a.edits, gesture["key"], gesture["handle"], (x0, y0), end)
            self._vertex = None if vertex is None else (gesture["key"], gesture["handle"].ring, vertex)
        elif gesture["mode"] != "move" and moved:
            shape_gestures.resize_box(a.edits, gesture["key"], gesture["mode"], x1, y1)

    def _create(self, tool: str, x0: float, y0: float, x1: float, y1: float, moved: bool) -> None:
        a = self._annotator
        assert a.edits is not None
        if a.label is None:
            raise ValueError("the ontology has no labels yet: add one (ontology.add_label) before annotating")
        if tool == "point":
            key = a.edits.add(_point(x1, y1, a.label))
        elif tool == "ellipse" and moved:
            key = shape_gestures.add_dragged_ellipse(a, (x0, y0), (x1, y1))
        elif tool == "box" and moved:
            key = a.edits.add(_box(x0, y0, x1, y1, a.label))
        else:
            return  # a click with the box or ellipse tool draws nothing
        a._select(key)

    def vertices(self, event: Vertices) -> None:
        """A polygon or polyline drawn click by click in the browser, finished: one new shape."""
        shape_gestures.add_drawn_path(self._annotator, event.get("tool"), event.get("points"))

    def wheel(self, event: Wheel) -> None:
        self._annotator.zoom(WHEEL_ZOOM ** (-event.get("dy", 0)), (event["x"], event["y"]))

    def pan(self, event: Pan) -> None:
        a = self._annotator
        a.viewport.pan(event.get("dx", 0), event.get("dy", 0))
        a._redraw(image=True)
        a.stage.reply({"type": "pan_ack"})

    def resize(self, event: Resize) -> None:
        self._annotator._resize(int(event.get("width", 0)), float(event.get("window_height", 0)))

    def key(self, event: Key) -> None:
        """A key with the layer focused: the first row of ``SHORTCUTS`` it matches acts on the Annotator."""
        key, ctrl, shift = event.get("key", ""), event.get("ctrl", False), event.get("shift", False)
        if key == "Escape":
            self.escape()
            return
        pressed = ("ctrl+" if ctrl else "") + ("shift+" if shift else "") + key.lower()
        if pressed in ("delete", "backspace") and self._delete_vertex():
            return
        for shortcut in SHORTCUTS:
            if shortcut.act is not None and pressed in shortcut.presses:
                shortcut.act(self._annotator, pressed)
                return

    def _delete_vertex(self) -> bool:
        """Delete the vertex last grabbed, if its shape is still selected and unlocked; False if none."""
        a, vertex = self._annotator, self._vertex
        if a.edits is None or vertex is None or vertex[0] != a.selected or vertex[0] not in a.edits:
            return False
        key, ring, index = vertex
        shape = a.edits.shape(key)
        if (
            key in a.locked
            or ring >= shape_edits.ring_count(shape)
            or index >= len(shape_edits.vertices(shape, ring))
        ):
            return False
        self._vertex = None
        shape_gestures.delete_vertex(a.edits, key, index, ring)
        return True

    def escape(self) -> None:
        """Esc drops the drag in progress (the browser stopped previewing it), or else the selection; with
        neither, it tells the browser to give the keyboard back to the notebook."""
        a = self._annotator
        self._vertex = None
        if self._gestures:
            self._gestures.clear()
        elif a.selected is not None:
            a._select(None)
        else:
            a.stage.reply({"type": "release"})


@dataclass(frozen=True)
class Shortcut:
    """A row of the shortcuts: the keys as shown, what they do and, for the kernel's keys, the key
    presses that match (``"ctrl+shift+z"``; a bare key also matches with Shift) and what they do."""

    keys: str
    does: str
    presses: tuple[str, ...] = ()
    act: Callable[[Annotating, str], object] | None = None


def _delete(a: Annotating, _key: str) -> None:
    if a.edits and a.selected is not None and a.selected not in a.locked:
        a.edits.delete([a.selected])


def _nudge(a: Annotating, key: str) -> None:
    if a.edits and a.selected is not None and a.selected not in a.locked:
        step = (10 if key.startswith("shift+") else 1) * NUDGE_STEP
        dx, dy = {"left": (-step, 0), "right": (step, 0), "up": (0, -step), "down": (0, step)}[
            key.rsplit("arrow", 1)[-1]
        ]
        shape_gestures.move_shape(a.edits, a.selected, dx, dy)


def _label(a: Annotating, key: str) -> None:
    if int(key) <= len(a._labels):
        a.set_label(a._labels[int(key) - 1])


_ARROWS = tuple(f"{shift}arrow{way}" for shift in ("", "shift+") for way in ("left", "right", "up", "down"))

SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("B", "box tool", ("b", "shift+b"), lambda a, _k: a.set_tool("box")),
    Shortcut("P", "point tool", ("p", "shift+p"), lambda a, _k: a.set_tool("point")),
    Shortcut(
        "G",
        "polygon tool: click vertices; Enter, double-click or the first vertex closes",
        ("g", "shift+g"),
        lambda a, _k: a.set_tool("polygon"),
    ),
    Shortcut(
        "L",
        "polyline tool: click vertices; Enter or double-click finishes",
        ("l", "shift+l"),
        lambda a, _k: a.set_tool("polyline"),
    ),
    Shortcut(
        "O", "ellipse tool: drag from the centre", ("o", "shift+o"), lambda a, _k: a.set_tool("ellipse")
    ),
    Shortcut("V", "select tool", ("v", "shift+v"), lambda a, _k: a.set_tool("select")),
    Shortcut(
        "M",
        "mask brush (paints the selected mask, else the label's)",
        ("m", "shift+m"),
        lambda a, _k: a.set_tool("brush"),
    ),
    Shortcut("E", "mask eraser", ("e", "shift+e"), lambda a, _k: a.set_tool("eraser")),
    Shortcut(
        "- / =",
        "smaller / larger brush",
        ("-", "_", "shift+_", "=", "+", "shift+=", "shift++"),
        lambda a, k: a.mask_brush.step(-1 if k[-1] in "-_" else 1),
    ),
    Shortcut("1-9", "label for new shapes (relabels the selected shape)", tuple("123456789"), _label),
    Shortcut(
        "Delete, Backspace",
        "delete the vertex last grabbed, else the selected shape",
        ("delete", "backspace"),
        _delete,
    ),
    Shortcut("Alt+click a vertex", "delete it (a selected polygon or polyline)"),
    Shortcut("Click an edge", "add a vertex there (a selected polygon or polyline; drag to place it)"),
    Shortcut("Round handle", "turn the selected box or ellipse"),
    Shortcut("Square handles", "resize the selected box (turned or not), or an ellipse by its radii"),
    Shortcut("Arrows", "move the selected shape by a pixel (with Shift: 10)", _ARROWS, _nudge),
    Shortcut("Ctrl+Z", "undo", ("ctrl+z",), lambda a, _k: a.undo()),
    Shortcut(
        "Ctrl+Shift+Z, Ctrl+Y", "redo", ("ctrl+shift+z", "ctrl+y", "ctrl+shift+y"), lambda a, _k: a.redo()
    ),
    Shortcut("Ctrl+S", "save", ("ctrl+s",), lambda a, _k: a.save()),
    Shortcut("[", "previous item", ("[",), lambda a, _k: a.previous()),
    Shortcut("]", "next item", ("]",), lambda a, _k: a.next()),
    Shortcut("Backspace (drawing)", "remove the last vertex of the polygon or polyline being drawn"),
    Shortcut("Esc", "cancel the shape being drawn, else clear the selection, else give the keyboard back"),
    Shortcut("?", "show or hide these shortcuts"),
    Shortcut("Wheel", "zoom at the pointer"),
    Shortcut("Alt+drag, middle drag", "pan"),
)


def _box(x0: float, y0: float, x1: float, y1: float, label: str) -> Definition:
    from ...api import Box

    return Box(top=min(y0, y1), left=min(x0, x1), bottom=max(y0, y1), right=max(x0, x1), label=label)


def _point(x: float, y: float, label: str) -> Definition:
    from ...api import Point

    return Point(x=x, y=y, label=label)
