"""``Annotator``: draw, edit and save boxes (turned too), points, polygons, polylines, ellipses and
classifications on an item's image.

The canvas is one widget, the ``Stage`` (stage.py), whose page view stacks its layers, bottom to top: the
item's image, sent once encoded (its thumbnail first) and drawn in the browser under the zoom and pan; the
annotations and the highlight of the object hovered in the objects list, drawn here in ipycanvas's
vocabulary (canvas_drawing.py; one batch per change, synced as the stage's state); on top, the gesture
layer, which previews drags in the browser. The stage opens with the first item's drawing and its image
follows at once, before the controls are built, so that the browser decodes it while the rest arrives.
The canvas is as wide as the cell gives it: the stage reports its width, and the layers are redrawn at
that size (the image is not sent again); its height follows the image's shape. All coordinates in the
Python API and in storage are image pixels. The edits of every item shown live in an
``AnnotationDrafts``, which autosaves them or keeps them as drafts.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import ipywidgets as w

from ...api import Annotation, Attribute, Definition, Filters, Item, Ontology
from ...exceptions import PlatformError
from ..base import SHOWN_ERRORS, WidgetBase, counted, describe
from ..control_bar import ControlBar
from ..models.annotation_drafts import AnnotationDrafts
from ..models.annotation_edits import AnnotationEdits
from ..models.bulk_accept import any_prediction
from ..models.mask_strokes import relabel
from ..models.viewport import Viewport, canvas_height, window_heights
from .canvas_drawing import draw_annotations, draw_highlight
from .gestures import SHORTCUTS, GestureHandler
from .item_source import LazyItems, Source, resolve_items, work_queue
from .label_colors import label_colors
from .mask_painting import BRUSH_TOOLS, MaskBrush
from .opening import OpensWhenBuilt
from .panels import PanelCallbacks, SidePanel
from .queue import QueueBar, queue_shortcuts
from .review import REVIEW_SHORTCUTS, ReviewBar, draw_predictions
from .stage import Stage
from .toolbar import SAVE_STATES, toolbar_controls

TOOLS = ("box", "point", "polygon", "polyline", "ellipse", "select", *BRUSH_TOOLS)
# The canvas's size until the browser says how wide it can be (and where there is no browser).
DEFAULT_CANVAS = (800, 520)
# The window height assumed until the browser tells it: the canvas's height is kept within a share of it.
DEFAULT_WINDOW_HEIGHT = 900.0
# An image is shown from the workspace's 160 px thumbnail first (in the stage's state, drawn scaled up with
# the annotations while the full image travels and is decoded) when it has at least THUMBNAIL_FIRST_PIXELS,
# or THUMBNAIL_FIRST_LOCAL_PIXELS where the thumbnail costs no round trip (the embedded workspace): over
# HTTP a 1 MP image's bytes come about as soon as its thumbnail would, and a smaller one is drawn at once.
THUMBNAIL_FIRST_PIXELS = 2_000_000
THUMBNAIL_FIRST_LOCAL_PIXELS = 500_000


class ToolbarState(NamedTuple):
    """The toolbar's values, its controls enabled or not, and the save state's tone, for the shown item."""

    values: dict[str, Any]
    enabled: dict[str, bool]
    tone: str


class Annotator(OpensWhenBuilt, WidgetBase):
    """``Annotator(item)``, ``Annotator(dataset, filters=...)`` or ``Annotator([item, ...])``.

    ``autosave`` (on by default) saves an item's edits when it is left and after a short idle time; off,
    each item keeps its draft until saved or discarded. ``drafts`` shares the drafts of several
    annotators (the Studio's), so that replacing one annotator with another loses nothing. ``review``
    starts in review mode (``annotator.review``): a model's predictions to accept or reject.

    The canvas fills the width it is given and follows it; its height follows the image's shape (between
    240 px and three quarters of the window). ``width=`` and ``height=`` (CSS pixels) fix either instead.
    """

    def __init__(
        self,
        source: Source,
        filters: Filters | None = None,
        *,
        width: int | None = None,
        height: int | None = None,
        autosave: bool | None = None,
        drafts: AnnotationDrafts | None = None,
        review: bool = False,
    ) -> None:
        self.queue = work_queue(source)  # a task's or an assignment's: worked with the queue bar
        self._items, self._total = resolve_items(self.queue.items if self.queue else source, filters)
        for name, value in (("width", width), ("height", height)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise ValueError(f"{name}={value!r} is not a size: give whole pixels (>= 1) or None")
        self._fixed_size = (width, height)
        width, height = width or DEFAULT_CANVAS[0], height or DEFAULT_CANVAS[1]
        self._ensure_loaded(0)
        self._window_height = DEFAULT_WINDOW_HEIGHT
        self.viewport = Viewport(width, height)
        # The first item's canvas size and view, known before the layers are made: they open with them,
        # and showing the item sends no resize and no view.
        first = image_size(self._items[0])
        if first is not None:
            self.viewport.image_width, self.viewport.image_height = first
            self.viewport.resize(width, self._height_for(width))
            self.viewport.fit(*first)
        size = {"width": self.viewport.canvas_width, "height": self.viewport.canvas_height}
        view = [self.viewport.scale, self.viewport.offset_x, self.viewport.offset_y]
        # Every shortcut is known now (the review's, the queue's): the list is the kernel's model for it.
        shortcuts = [[s.keys, s.does] for s in SHORTCUTS] + [list(row) for row in REVIEW_SHORTCUTS]
        if self.queue is not None:
            shortcuts += queue_shortcuts(self.queue)
        fixed = ["dlw-fixed-width"] if self._fixed_size[0] else []
        # Its model opens with the first item drawn (see _open_stage), the first of the annotator's.
        self.stage = Stage(
            self._on_gesture,
            shortcuts,
            **size,
            view=view,
            sized_for=self._sized_for(),
            brush=None,
            _dom_classes=fixed,
        )
        # Its own model opens last (``built``), with its children: no update after it.
        super().__init__(_dom_classes=["dlw-annotator"])
        self._owns_drafts = drafts is None
        self._drafts = drafts if drafts is not None else AnnotationDrafts()
        if autosave is not None:
            self._drafts.autosave = autosave
        self._index = 0
        self.tool = "box"
        self.selected: int | None = None
        self.show_labels = True
        self.opacity = 1.0
        self.edits: AnnotationEdits | None = None
        self._colors: dict[str, str] = {}
        self._attributes: list[Attribute] = []
        self._labels: list[str] = []
        self.label: str | None = None
        # The shown item's objects hidden from the canvas or locked against edits (from the objects list),
        # and the one the pointer is over in that list.
        self.hidden: set[int] = set()
        self.locked: set[int] = set()
        self._hovered: int | None = None
        self._is_highlighted = False  # whether the highlight layer shows an outline now
        self._gesture_handler = GestureHandler(self)
        # While a gesture is handled: False, or True once an edit asked for a redraw (done once, at its end).
        self._held: bool | None = None
        # Made when first needed (review mode, an item with predictions; unsaved drafts to name).
        self._review: ReviewBar | None = None
        self._drafts_line: w.HTML | None = None
        self.mask_brush = MaskBrush(self)  # the brush and eraser for masks, and their size
        if review:  # drawn in review mode from the start
            self._review = self._review_bar(True)
        # The first item drawn before the controls and panels are made: the canvas is what the eye goes to.
        self._show_stage(0)
        self._open_stage()
        self._build_controls()
        self.queue_bar = (
            QueueBar(self, self.queue, layout=self.shared.layout()) if self.queue is not None else None
        )
        self._show_controls()
        self.side_panel.built()
        self.children = self._parts()
        self._drafts.on_edit = self._on_edits_changed
        self._drafts.on_state = self._on_save_state
        self._drafts.on_saved = self._on_saved
        self.built()

    # -- public surface ---------------------------------------------------------------------------
    @property
    def item(self) -> Item:
        return self._items[self._index]

    @property
    def index(self) -> int:
        """The shown item's place in the items (0-based)."""
        return self._index

    def _repr_parts(self) -> list[str]:
        return [f"item={self.item.name!r}", f"{self._index + 1} of {self._total}", *super()._repr_parts()]

    @property
    def annotations(self) -> list[Annotation]:
        """The annotations as they are now on screen (image pixels), saved or not."""
        return self.edits.annotations if self.edits else []

    @annotations.setter
    def annotations(self, value: Sequence[Annotation | Definition]) -> None:
        """Replace what is on screen (for example with a model's pre-annotations), as one undoable edit."""
        assert self.edits is not None
        self.edits.delete(self.edits.keys())
        self.edits.add_many(value)

    @property
    def is_dirty(self) -> bool:
        return bool(self.edits and self.edits.is_dirty)

    @property
    def autosave(self) -> bool:
        """Save each item's edits when it is left and after a short idle time (the toolbar's toggle)."""
        return self._drafts.autosave

    @autosave.setter
    def autosave(self, value: bool) -> None:
        if bool(value) != self._drafts.autosave:
            self.toolbar.update({"autosave": bool(value)})
            self._set_autosave(bool(value))

    @property
    def save_state(self) -> str:
        """The shown item's edits: ``"saved"``, ``"unsaved"``, ``"saving"`` or ``"failed"``."""
        return self._drafts.state(self.item)

    @property
    def drafts(self) -> list[Item]:
        """The items whose edits are not saved yet (with autosave off, or after a failed save)."""
        return self._drafts.unsaved

    def discard(self, item: Item | None = None) -> None:
        """Throw away the unsaved edits of ``item`` (the shown one by default); it shows what is stored."""
        item = item or self.item
        self._drafts.discard(item)
        if item.id == self.item.id:
            self._show(self._index)

    def close(self) -> None:
        """Close the annotator with its layers and panels. With autosave the edits are saved first; drafts
        still unsaved are warned about, naming their items (unless the drafts are shared, as in the Studio,
        where they outlive this annotator)."""
        drafts = getattr(self, "_drafts", None)
        if drafts is not None and not drafts.is_closed:
            if self.edits is not None:
                drafts.leave(self.item)
            if drafts.on_edit == self._on_edits_changed:  # shared drafts go on without this view
                drafts.on_edit = drafts.on_state = drafts.on_saved = None
            if self._owns_drafts:
                drafts.close()
            self.edits = None
        super().close()

    def on_save(self, callback: Callable[[Item, list[Annotation]], None], remove: bool = False) -> None:
        """Call ``callback(item, annotations)`` after every successful save."""
        self.callbacks("on_save").register(callback, remove)

    def save(self) -> bool:
        """Write the edits to the workspace or platform; a conflict is shown and the edits are kept."""
        if self.edits is None:
            return False
        if not self._drafts.save(self.item):
            self.error(self._drafts.error(self.item) or "the save failed")
            return False
        self.notice(f"saved {counted(len(self.edits.keys()), 'annotation')}")
        return True

    def next(self) -> None:
        self._go(self._index + 1)

    def previous(self) -> None:
        self._go(self._index - 1)

    def go_to(self, index: int) -> None:
        """Show the item at ``index`` (0-based), as the toolbar's item number does."""
        if not 0 <= index < self._total:
            raise ValueError(f"item index {index} is outside 0-{self._total - 1}")
        self._go(index)

    def save_and_next(self) -> None:
        if self.save():
            self.next()

    def undo(self) -> None:
        if self.edits:
            self.edits.undo()

    def redo(self) -> None:
        if self.edits:
            self.edits.redo()

    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(f"tool {tool!r} is not one of {TOOLS}")
        self.tool = tool
        with self.toolbar.hold_sync():
            self.toolbar.update({"tool": tool})
            self.toolbar.reveal("brush_size", tool in BRUSH_TOOLS)
        with self.stage.hold_sync():
            self.stage.tool = tool
            self.stage.cursor = "default" if tool == "select" else "crosshair"
        self.mask_brush.show()

    def set_label(self, label: str) -> None:
        """Choose the label for new shapes; with a shape selected, relabel it too (and say so)."""
        if label not in self._labels:
            shown = self._labels if len(self._labels) <= 20 else [*self._labels[:20], "..."]
            raise ValueError(f"label {label!r} is not in the ontology; its labels are {shown}")
        self.label = label
        self.side_panel.show_label(label)
        self.mask_brush.show()
        key = self.selected
        if self.edits is None or key is None or self.edits.shape(key)["type"] == "class":
            return
        shape = self.edits.shape(key)
        name = f"{shape['type']} {self.edits.keys().index(key) + 1}"
        if shape.get("label") == label:
            return
        if key in self.locked:
            self.notice(f"{name} is locked: not relabelled (new shapes get {label})", "dlw-relabelled")
            return
        before = shape.get("label") or ""
        relabel(self.edits, key, label, self._colors.get(label))
        self.notice(f"{name} relabelled {before} → {label}", "dlw-relabelled")
        self.side_panel.notice(f"{name} relabelled {before} → {label}")

    def zoom(self, factor: float, at: tuple[float, float] | None = None) -> None:
        self.viewport.zoom(factor, *(at or (None, None)))
        self._redraw(image=True)

    def fit(self) -> None:
        """Show the whole image, as large as the canvas allows."""
        self.viewport.fit(self.viewport.image_width, self.viewport.image_height)
        self._redraw(image=True)

    def actual_size(self) -> None:
        """Show the image at 100%: one image pixel to one pixel of the canvas."""
        self.viewport.actual_size()
        self._redraw(image=True)

    def show_shortcuts(self, shown: bool | None = None) -> None:
        """Show (or hide, or with no argument toggle) the overlay listing every shortcut, as ``?`` does."""
        self.stage.help_shown = not self.stage.help_shown if shown is None else bool(shown)

    # -- building the controls --------------------------------------------------------------------
    def _build_controls(self) -> None:
        """The toolbar (one ``ControlBar``: see ``toolbar.py``) and the side panel, made with the shown
        item's state (the side panel opens once ``built``)."""
        actions: dict[str, Callable[..., Any]] = {
            "tool": self.set_tool,
            "brush_size": lambda size: setattr(self.mask_brush, "size", size),
            "zoom_out": lambda: self.zoom(1 / 1.25),
            "zoom_in": lambda: self.zoom(1.25),
            "fit": self.fit,
            "actual_size": self.actual_size,
            "label_text": self._set_show_labels,
            "opacity": self._set_opacity,
            "shortcuts": self.show_shortcuts,
            "undo": self.undo,
            "redo": self.redo,
            "save": self.save,
            "discard": self.discard,
            "previous": self.previous,
            "next": self.next,
            "item": lambda number: self.go_to(number - 1),
            "save_next": self.save_and_next,
            "autosave": self._set_autosave,
        }
        shown = self._toolbar_state()
        values = {
            "tool": self.tool,
            "brush_size": self.mask_brush.size,
            "label_text": self.show_labels,
            "opacity": self.opacity,
            "autosave": self._drafts.autosave,
            "zoom": self._zoom_text(),
            **shown.values,
        }
        self.toolbar = ControlBar(
            toolbar_controls(self._total),
            actions,
            values,
            attempt=self.attempt,
            hidden=["brush_size"],
            disabled=[control for control, enabled in shown.enabled.items() if not enabled],
            tones={"save_state": shown.tone} if shown.tone else {},
            layout=self.shared.layout(),
            _dom_classes=["dlw-toolbar"],
        )
        self.mask_brush.on_size = lambda size: self.toolbar.update({"brush_size": size})
        self.side_panel = SidePanel(
            PanelCallbacks(
                on_label=self._on_label_picked,
                on_classification=self._on_classification,
                on_select=self._on_object_picked,
                on_hover=self._on_object_hovered,
                on_object=self._on_object_action,
                on_attribute=self._on_attribute,
                on_object_id=self._on_object_id,
            ),
            self.attempt,
        )

    def _parts(self) -> list[w.Widget]:
        """The annotator's children: the stage and the side panel first (their views are made first), then
        the bars made so far (shown above them) and the lines (below): the annotator's CSS places them
        (js/annotator_panel.css), the side panel beside the stage or below it when the cell is narrow."""
        parts = [self.queue_bar, self.toolbar, self._review, self._drafts_line, self.status_line]
        return [self.stage, self.side_panel, *(part for part in parts if part is not None)]

    def _add_part(self) -> None:
        """Show a part made after the annotator (a bar, the drafts line) in its place."""
        if self._is_built:
            self.children = self._parts()

    @property
    def review(self) -> ReviewBar:
        """Review mode's bar (``ReviewBar``): made and shown on first use, or for an item with predictions."""
        return self._ensure_review()

    def _ensure_review(self) -> ReviewBar:
        if self._review is None:
            self._review = self._review_bar(False)
            self._add_part()
        return self._review

    def _review_bar(self, enabled: bool) -> ReviewBar:
        return ReviewBar(self, enabled, layout=self.shared.layout())  # predictions: dashed, scored, ...

    # -- showing an item ------------------------------------------------------------------------
    def _go(self, index: int) -> None:
        """Leave the shown item (autosaved, or kept as a draft) and show item ``index``."""
        if not 0 <= index < self._total or index == self._index:
            return
        left = self.item
        kept = not self._drafts.leave(left)
        self._show(index)
        if kept and self._drafts.error(left):
            self.error(f"{left.filename}: {self._drafts.error(left)}; its edits are kept as a draft")

    def _set_autosave(self, value: bool) -> None:
        self._drafts.autosave = value
        if value:  # turned on: what is unsaved is saved now
            self._drafts.save_all()
        self._refresh_toolbar()

    def _show(self, index: int) -> None:
        self._show_stage(index)
        self._show_controls()

    def _open_stage(self) -> None:
        """Open the stage's model, with the first item drawn and its thumbnail in its state (the full image
        follows once the cell is done)."""
        self._send_image(self.item)
        self.stage.built()

    def _show_stage(self, index: int) -> None:
        """Item ``index`` on the stage: its image (once the stage is open: its thumbnail, then the full
        image, decoded while the kernel draws), then the canvas's size and view for it, its ontology's
        colours and its edits, drawn, in one message: what the eye goes to first, before the controls."""
        if self.stage.comm is not None:
            self._ensure_loaded(index)
            self._send_image(self._items[index])
        with self.stage.hold():
            self._show_on_stage(index)

    def _show_on_stage(self, index: int) -> None:
        self._index = index
        self._gesture_handler.forget()
        self._ensure_loaded(index)
        item = self.item
        self.selected = None
        self.hidden, self.locked, self._hovered = set(), set(), None
        self.clear_status()
        width, height = item.width, item.height
        mimetype = item.mimetype or ""
        size = image_size(item)
        self.stage.has_image = size is not None
        if size is not None:
            self._fit_canvas(*size)
            self.viewport.fit(*size)
            self._show_view(readout=False)  # the zoom's readout goes with the toolbar's other changes
        self._load_ontology(item)
        self.edits = self._drafts.open(item, width or 1, height or 1)
        self.mask_brush.show()
        if size is None:
            reason = "is not an image" if not mimetype.startswith("image/") else "could not be decoded"
            self.stage.drawn.clear()
            self.stage.outlined.clear()
            self.stage.image.clear()
            self.error(f"{item.filename} ({mimetype}) {reason}; nothing to draw on")
        else:
            self._draw_annotations()

    def _show_controls(self) -> None:
        """The shown item in the toolbar and the side panel (one message each) and in the queue bar; an
        item with predictions gets the review bar."""
        item = self.item
        edits = self.edits
        if self._review is None and edits is not None and any_prediction(s for _, s in edits.shapes()):
            self._ensure_review()
        with self.toolbar.hold_sync(), self.side_panel.hold_sync():
            self.toolbar.update({"zoom": self._zoom_text()})
            self.side_panel.show_item(item, self._index, self._total)
            self.side_panel.show_ontology(self._labels, self._colors, self._attributes, self.label)
            self._refresh_panels()
        if self.queue_bar is not None:
            self.queue_bar.show(item)
        if self._held:
            self._held = False  # everything is drawn already

    def _all_items(self) -> list[Item]:
        """Every item of the annotator (a dataset query's are read to the end now)."""
        self._ensure_loaded(self._total - 1)
        return list(self._items)

    def _send_image(self, item: Item) -> bool:
        """Send ``item``'s image, its thumbnail first (drawn scaled up with the annotations at once), before
        the drawing: the browser decodes it while the kernel loads the annotations and the ontology. False
        when the item is no image to draw on."""
        size = image_size(item)
        if size is None:
            return False
        thumbnail = None
        least = THUMBNAIL_FIRST_LOCAL_PIXELS if item.client.is_local else THUMBNAIL_FIRST_PIXELS
        if size[0] * size[1] >= least:
            try:
                thumbnail = item.thumbnail()
            except PlatformError:
                thumbnail = None  # no thumbnail: the full image alone
        self.stage.image.show(size, item.read(), item.mimetype or "", thumbnail)
        return True

    def _ensure_loaded(self, index: int) -> None:
        if isinstance(self._items, LazyItems):
            self._items.load_until(index)

    def _load_ontology(self, item: Item) -> None:
        """The labels, colours and attributes of ``item``'s dataset's ontology as stored now (which ontology
        that is, its recipe's, is remembered by the client: one request, not three)."""
        ontology: Ontology | None = None
        try:
            ontology = item.client.dataset_ontologies.ontology(item.dataset_id)
        except (IndexError, PlatformError):
            ontology = None
        self._colors = label_colors(ontology) if ontology else {}
        self._labels = list(self._colors)
        self._attributes = ontology.attributes if ontology else []
        if self.label not in self._labels:
            self.label = self._labels[0] if self._labels else None

    # -- drawing ------------------------------------------------------------------------------------
    def _draw_annotations(self) -> None:
        self._draw_objects()
        self._draw_hovered()

    def _draw_objects(self) -> None:
        """The annotations layer: the shown item's objects and predictions, not the hovered one's outline."""
        assert self.edits is not None
        shapes = self.edits.shapes()
        if self.hidden:
            shapes = [(k, s) for k, s in shapes if k not in self.hidden]
        shapes, predictions = self._review.split(shapes) if self._review is not None else (shapes, [])
        draw_annotations(
            self.stage.drawn,
            shapes,
            self.viewport,
            self._colors,
            self.selected,
            self.show_labels,
            self.opacity,
        )
        draw_predictions(self.stage.drawn, predictions, self.viewport, self._colors, self.selected)

    def _draw_hovered(self) -> None:
        """Outline the object the pointer is over in the objects list (its own layer: no full redraw)."""
        key = self._hovered
        shown = self.edits is not None and key is not None and key in self.edits and key not in self.hidden
        shape = self.edits.shape(key) if shown and self.edits is not None and key is not None else None
        if shape is not None or self._is_highlighted:  # nothing to draw, nothing to clear: no message
            draw_highlight(self.stage.outlined, shape, self.viewport)
            self._is_highlighted = shape is not None

    def _redraw(self, image: bool = False) -> None:
        """Redraw the annotations; with ``image``, the zoom or pan changed: the image layer follows it."""
        if self.edits is None or self.stage.comm is None:
            return  # nothing shown, or closed (a save on closing reports its edits)
        with self.stage.hold():  # the drawing and the view in one message
            self._draw_annotations()
            if image:
                self._show_view()

    def _show_view(self, readout: bool = True) -> None:
        """The view for the browser (where tests read it), and with ``readout`` the zoom's percentage."""
        viewport = self.viewport
        if readout:
            self.toolbar.update({"zoom": self._zoom_text()})
        view = [viewport.scale, viewport.offset_x, viewport.offset_y]
        self.stage.view = view

    def _zoom_text(self) -> str:
        return f"{round(self.viewport.scale * 100)}%"

    # -- the canvas's size --------------------------------------------------------------------------
    def _resize(self, width: int, window_height: float) -> None:
        """The browser gives the canvas ``width`` pixels, in a window ``window_height`` high: the layers
        take that size and are redrawn (the image by the browser, not sent again)."""
        if width < 1:
            return  # not shown (a hidden tab): nothing to size
        if window_height > 0:
            self._window_height = window_height
        width = self._fixed_size[0] or width
        with self.stage.hold():  # the new size with its drawing, in one message
            if self._set_canvas_size(width, self._height_for(width)):
                self._redraw(image=True)

    def _sized_for(self) -> list[int]:
        """The stage's ``sized_for``: the layer's width and the window heights its size is right for."""
        viewport, (fixed_width, fixed_height) = self.viewport, self._fixed_size
        if fixed_width and fixed_height:
            return []
        shape = (viewport.canvas_width, viewport.image_width, viewport.image_height, self._window_height)
        return [
            0 if fixed_width else viewport.canvas_width,
            *((0, 0) if fixed_height else window_heights(*shape)),
        ]

    def _height_for(self, width: int) -> int:
        viewport = self.viewport
        fixed = self._fixed_size[1]
        return fixed or canvas_height(width, viewport.image_width, viewport.image_height, self._window_height)

    def _fit_canvas(self, image_width: int, image_height: int) -> None:
        """Give the canvas the height for an image of this shape (unless it is fixed)."""
        self.viewport.image_width, self.viewport.image_height = image_width, image_height
        self._set_canvas_size(self.viewport.canvas_width, self._height_for(self.viewport.canvas_width))

    def _set_canvas_size(self, width: int, height: int) -> bool:
        """Resize the stage (which clears its layers); False if it has that size already."""
        viewport = self.viewport
        if (width, height) == (viewport.canvas_width, viewport.canvas_height):
            self.stage.sized_for = self._sized_for()  # the same size, for another image's shape maybe
            return False
        self._gesture_handler.resized(dataclasses.replace(viewport))
        viewport.resize(width, height)
        # The size and the view in one message: the page never shows the new size with the old view.
        view = [viewport.scale, viewport.offset_x, viewport.offset_y]
        with self.stage.hold_sync():
            self.stage.width, self.stage.height, self.stage.view = width, height, view
            self.stage.sized_for = self._sized_for()
        return True

    def _on_edits_changed(self, edits: AnnotationEdits) -> None:
        if edits is not self.edits:
            return  # another item's draft, in drafts shared with other annotators
        if self.edits is not None and self.selected not in self.edits:
            self.selected = None  # undone, redone or deleted away
        if self._held is not None:
            self._held = True
            return
        self._redraw()
        self._refresh_panels()

    def _set_show_labels(self, value: bool) -> None:
        self.show_labels = value
        self._redraw()

    def _set_opacity(self, value: float) -> None:
        self.opacity = value
        self._redraw()

    def _refresh_panels(self) -> None:
        edits = self.edits
        self._refresh_toolbar()
        with self.side_panel.hold_sync():
            self.side_panel.show_edits(edits)
            if edits is not None:
                self.hidden &= set(edits.keys())
                self.locked &= set(edits.keys())
            self.side_panel.show_selection(edits, self.selected)

    def _toolbar_state(self) -> ToolbarState:
        """What the toolbar shows of the shown item: its place, its save state, what can be undone."""
        edits = self.edits
        state = self._drafts.state(self.item) if edits is not None else "saved"
        text, tone = SAVE_STATES[state]
        place = {"counter": f"{self._index + 1} of {self._total}", "item": self._index + 1}
        enabled = {
            "undo": bool(edits and edits.can_undo),
            "redo": bool(edits and edits.can_redo),
            "discard": state not in ("saved", "saving"),
        }
        return ToolbarState({**place, "save_state": text}, enabled, tone)

    def _refresh_toolbar(self) -> None:
        """The toolbar's state of the shown item (its changes in one message), and the unsaved drafts."""
        shown = self._toolbar_state()
        bar = self.toolbar
        with bar.hold_sync():
            bar.update(shown.values)
            bar.tone("save_state", shown.tone)
            for control, enabled in shown.enabled.items():
                bar.enable(control, enabled)
        self._show_drafts()

    def _show_drafts(self) -> None:
        """Name the items whose edits are unsaved drafts, on a line made the first time there are any."""
        unsaved = self._drafts.unsaved
        if not unsaved and self._drafts_line is None:
            return
        names = ", ".join(html.escape(item.name or item.id) for item in unsaved)
        text = f"<span class='dlw-drafts'>unsaved drafts ({len(unsaved)}): {names}</span>" if unsaved else ""
        if self._drafts_line is None:
            self._drafts_line = self.shared.html(text)
            self._add_part()
        else:
            self._drafts_line.value = text

    def _on_save_state(self, _item: Item) -> None:
        self._refresh_toolbar()

    def _on_saved(self, edits: AnnotationEdits) -> None:
        self.callbacks("on_save").fire(edits.item, edits.annotations)

    def _on_classification(self, tag: str, value: bool) -> None:
        if value != (tag in self._editing().classification_labels()):
            self._editing().toggle_classification(tag)

    def _on_object_id(self, object_id: str | None) -> None:
        if self.selected is not None and self._is_editable(self.selected):
            self._editing().set_object_id(self.selected, object_id)

    def _on_attribute(self, key: str, value: Any) -> None:
        if self.selected is not None and self._is_editable(self.selected):
            self._editing().set_attribute(self.selected, key, value)

    def _is_editable(self, key: int) -> bool:
        """False, with the reason shown, for an object locked against edits; its form is shown again."""
        if key not in self.locked:
            return True
        self.side_panel.show_selection(self.edits, self.selected)
        self.error("that object is locked against edits: unlock it in the objects list first")
        return False

    def _editing(self) -> AnnotationEdits:
        assert self.edits is not None, "the panels exist only while an item is shown"
        return self.edits

    def _on_label_picked(self, label: str) -> None:
        self.set_label(label)

    def _on_object_picked(self, key: int | None) -> None:
        """An object clicked in the objects list: selected (a hidden one is shown again)."""
        if key is not None and (self.edits is None or key not in self.edits):
            return  # deleted meanwhile
        if key is not None and key in self.hidden:
            self._on_object_action(key, "show")
        self._select(key)

    def _on_object_hovered(self, key: int | None) -> None:
        self._hovered = key
        with self.stage.hold():
            self._draw_hovered()

    def _on_object_action(self, key: int, action: str) -> None:
        """Hide or show, lock or unlock, or delete an object of the objects list."""
        if self.edits is None or key not in self.edits:
            return
        if action == "delete":
            if key in self.locked:
                raise ValueError("that object is locked against edits: unlock it to delete it")
            self.edits.delete([key])
            return
        if action in ("hide", "show"):
            self.hidden = self.hidden | {key} if action == "hide" else self.hidden - {key}
            self.side_panel.set_hidden(self.hidden)
            if action == "hide" and self.selected == key:
                self._select(None)
            else:
                self._redraw()
        else:
            self.locked = self.locked | {key} if action == "lock" else self.locked - {key}
            self.side_panel.set_locked(self.locked)

    def _select(self, key: int | None) -> None:
        self.selected = key
        self.mask_brush.show()
        if self._held is not None:
            self._held = True
            return
        self.side_panel.show_selection(self.edits, self.selected)
        self._redraw()

    # -- gestures -----------------------------------------------------------------------------------
    def _on_gesture(self, event: dict[str, Any]) -> None:
        """Handle one gesture; whatever it changes is drawn once, with one refresh of the panels."""
        kind = event.get("type", "")
        failed = False
        self._held = False
        try:
            if not (kind == "key" and self._handle_bar_key(event)):
                self._gesture_handler.handle(event)
        except SHOWN_ERRORS as error:
            self.error(describe(error))
            failed = True
        finally:
            changed, self._held = self._held, None
            if changed:
                self._redraw()
            if kind in ("up", "vertices", "stroke") or failed:
                # After the drawing: the browser drops its preview of this gesture when this arrives. Before
                # the panels: the canvas is what the person drawing looks at.
                self.stage.reply({"type": "committed", "id": event.get("id")})
            if changed:
                self._refresh_panels()

    def _handle_bar_key(self, event: dict[str, Any]) -> bool:
        """A key of the queue bar's or the review bar's, run by it; False when neither has it."""
        bars = (self.queue_bar, self._review)
        return any(bar is not None and bar.handle_key(event) for bar in bars)


def image_size(item: Item) -> tuple[int, int] | None:
    """An image item's (width, height); None for an item that is no image to draw on."""
    mimetype = item.mimetype or ""
    return (item.width, item.height) if mimetype.startswith("image/") and item.width and item.height else None
