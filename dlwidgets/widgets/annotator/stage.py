"""``Stage``: the back-end of ``js/annotator_stage.js``, the annotator's canvas as one anywidget model whose
view stacks, bottom to top, the item's image, the annotations, the highlight of the object hovered in the
objects list, and the gesture layer that previews drags and reports them.

One model, not one per layer: a page makes one view, and an Annotator opens four models instead of seven.
The annotations and the highlight are drawn in the kernel in ipycanvas's vocabulary on two
``CanvasRecorder``s and synced as the ``drawing`` and ``highlight`` traits (a batch of ipycanvas commands
with its binary buffers): a page opened later, or a second view, draws them from the model's state without
asking the kernel. The hovered object's outline is a trait too, not a message: it is small, and a page that
opens later shows it as well. The image's thumbnail is state too (``thumbnail``, a binary buffer): the page
decodes it as soon as the model exists, and a saved notebook shows it. The full image goes in a message of
its own (``image_layer.StageImage``), the first item's once the cell that made the stage is done, once: a
zoom or a redraw does not send it again.

The gesture messages are ``annotator_gestures``' TypedDicts; the image's are ``image_layer``'s. The list of
shortcuts that ``?`` shows is the kernel's, one ``Shortcuts`` model for every stage with the same list.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any, Literal, TypedDict

import anywidget
import ipywidgets as w
import traitlets

from ..annotator_gestures import GestureReply
from ..assets import asset
from ..base import AnyWidgetChrome
from .canvas_recorder import CanvasRecorder
from .image_layer import StageImage, Thumbnail
from .later_pages import ReadByLaterPages
from .opening import OpensWhenBuilt


class PageReady(TypedDict):
    """Browser -> kernel: a page opened later made this stage's model (its state said ``later_page``): it
    gets the image again."""

    type: Literal["ready"]


class Shortcuts(w.Widget):
    """The rows (keys, what they do) of the overlay that ``?`` shows, one model per kernel for every stage
    with the same rows (``shortcuts_model``): the list is the same for nearly every Annotator."""

    rows = traitlets.List(traitlets.List(traitlets.Unicode())).tag(sync=True)


# The kernel's Shortcuts models by their rows (as JSON): a handful (with or without a queue's keys).
_SHORTCUTS: dict[str, Shortcuts] = {}


def shortcuts_model(rows: list[list[str]]) -> Shortcuts:
    """The kernel's open ``Shortcuts`` with ``rows`` (made, or made again once closed)."""
    key = json.dumps(rows)
    found = _SHORTCUTS.get(key)
    if found is None or found.comm is None:
        found = _SHORTCUTS[key] = Shortcuts(rows=rows)
    return found


class Stage(OpensWhenBuilt, ReadByLaterPages, AnyWidgetChrome, anywidget.AnyWidget):
    """The annotator's canvas, ``width`` x ``height`` pixels, where ``view`` (scale, offset_x, offset_y)
    puts the image. ``on_gesture`` is called with each ``GestureEvent`` the browser sends (its fields read
    with care: it comes from outside the kernel). ``tool`` is the Annotator's (with "polygon" or "polyline"
    the browser collects the clicked vertices itself), ``brush`` (a ``Brush``, or None) makes a left drag
    paint a ``Stroke``, ``help_shown`` shows the shortcuts' overlay. ``key`` names the stage's decoded
    images in the page (shared by the model's initialize and its views). The model opens once ``built``,
    with the first item's drawing and thumbnail in its state."""

    _esm = asset("annotator_stage.js")
    _css = asset("annotator_stage.css")
    key = traitlets.Unicode("").tag(sync=True)
    width = traitlets.Int(800).tag(sync=True)
    height = traitlets.Int(520).tag(sync=True)
    view = traitlets.List(traitlets.Float(), [1.0, 0.0, 0.0]).tag(sync=True)
    cursor = traitlets.Unicode("crosshair").tag(sync=True)
    help_shown = traitlets.Bool(False).tag(sync=True)
    tool = traitlets.Unicode("box").tag(sync=True)
    brush = traitlets.Dict(None, allow_none=True).tag(sync=True)
    drawing: traitlets.List[Any] = traitlets.List().tag(sync=True)  # canvas_recorder.Batch
    highlight: traitlets.List[Any] = traitlets.List().tag(sync=True)  # canvas_recorder.Batch
    thumbnail = traitlets.Dict(None, allow_none=True).tag(sync=True)  # image_layer.Thumbnail, or None
    _shortcuts = traitlets.Instance(Shortcuts).tag(sync=True, **w.widget_serialization)
    # [width, lowest, highest window height] for which ``width`` x ``height`` is the size the kernel would
    # give the stage (width 0: any, it is fixed; highest 0: no limit; [] any of them: the size is fixed): a
    # page whose layer is that wide in such a window does not report its first width (see
    # ``models.viewport.window_heights``).
    sized_for = traitlets.List(traitlets.Int()).tag(sync=True)
    # Whether the page reading the state opened after the stage did (see ``later_pages``): False in the
    # opening state, so the page the stage was made for asks for nothing.
    later_page = traitlets.Bool(False).tag(sync=True)
    # Whether the item shown has an image: False tells a page making the stage's model that it will draw
    # none, so its toolbar and panel need not wait for one (js/shared_module.js).
    has_image = traitlets.Bool(True).tag(sync=True)
    # The page reads a missing one as its default (None, False, [] alike; has_image as True).
    _own_defaults = ("sized_for", "later_page", "brush", "help_shown", "thumbnail", "has_image")

    def __init__(
        self, on_gesture: Callable[[dict[str, Any]], None], shortcuts: list[list[str]], **kwargs: Any
    ) -> None:
        super().__init__(key=uuid.uuid4().hex[:12], _shortcuts=shortcuts_model(shortcuts), **kwargs)
        self._on_gesture = on_gesture
        self._held = 0
        self._changed: set[str] = set()
        self.drawn = CanvasRecorder(lambda: self._changed_layer("drawing"))  # the annotations
        self.outlined = CanvasRecorder(lambda: self._changed_layer("highlight"))  # the hovered object
        self.image = StageImage(self._send_open, self._set_thumbnail)
        self.on_msg(lambda _widget, content, _buffers: self._on_message(content))

    @property
    def shortcuts(self) -> list[list[str]]:
        """The overlay's rows: the kernel's ``Shortcuts`` model's."""
        return list(self._shortcuts.rows)

    @shortcuts.setter
    def shortcuts(self, rows: list[list[str]]) -> None:
        self._shortcuts = shortcuts_model(rows)

    def built(self) -> None:
        """Open the model, with the thumbnail in its state; the full image follows (``StageImage.opened``)."""
        super().built()
        self.image.opened()

    def _send_open(self, content: dict[str, Any], buffers: list[bytes] | None = None) -> None:
        """A message to the page once the model is open. Before, none: the opening state holds what the
        page needs first (the thumbnail, ``has_image``), and the full image follows the opening."""
        if self.comm is not None:
            self.send(content, buffers=buffers)

    def _set_thumbnail(self, thumbnail: Thumbnail | None) -> None:
        self.thumbnail = thumbnail  # type: ignore[assignment]

    def _on_message(self, content: dict[str, Any]) -> None:
        if content.get("type") == "ready":
            self.image.resend()
        else:
            self._on_gesture(content)

    def reply(self, message: GestureReply) -> None:
        self.send(message)

    # -- drawing ----------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Draw in one message: the layers drawn meanwhile, with whatever other trait changes, are synced
        together at the end (as ipycanvas's ``hold_canvas``, and ``hold_sync``). Re-entrant."""
        self._held += 1
        try:
            with self.hold_sync():
                yield
                if self._held == 1:
                    self._publish()
        finally:
            self._held -= 1

    def _changed_layer(self, trait: str) -> None:
        self._changed.add(trait)
        if not self._held:
            self._publish()

    def _publish(self) -> None:
        changed, self._changed = self._changed, set()
        if "drawing" in changed:
            self.drawing = self.drawn.batch()
        if "highlight" in changed:
            self.highlight = self.outlined.batch()
