"""``Annotator``: draw, edit and save Box, Point and Classification annotations on an item's image.

Layers: a hidden full-resolution ``Canvas`` gets the item's encoded image bytes once; the visible
``MultiCanvas`` has an image layer (drawn from it under the zoom and pan), an annotation layer (redrawn
in one batched call per change) and, on top, the browser-side ``GestureLayer`` that previews drags.
All coordinates in the Python API and in storage are image pixels. The edits of every item shown live in
an ``AnnotationDrafts``, which autosaves them or keeps them as drafts.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as w
from ipycanvas import Canvas, MultiCanvas, hold_canvas

from ..api import Annotation, Dataset, Filters, Item, Ontology
from ..api.entities.annotation import Definition
from ..api.entities.ontology import Attribute
from ..exceptions import PlatformError
from .annotator_gestures import GestureLayer
from .base import ERROR_COLOR, SHOWN_ERRORS, WidgetBase, close_all, close_tree, describe
from .canvas_drawing import draw_annotations, draw_image, put_encoded_image
from .models.annotation_drafts import AnnotationDrafts
from .models.annotation_edits import AnnotationEdits, box_edges
from .models.viewport import Viewport

TOOLS = ("box", "point", "select")
NUDGE_STEP = 1.0
WHEEL_ZOOM = 1.0015
# A box smaller than this many canvas pixels on a side is a click, not a box.
MIN_DRAG_PX = 3.0
HIT_TOLERANCE_PX = 6.0


class Annotator(WidgetBase):
    """``Annotator(item)``, ``Annotator(dataset, filters=...)`` or ``Annotator([item, ...])``.

    ``autosave`` (on by default) saves an item's edits when it is left and after a short idle time; off,
    each item keeps its draft until saved or discarded. ``drafts`` shares the drafts of several
    annotators (the Studio's), so that replacing one annotator with another loses nothing.
    """

    def __init__(
        self,
        source: Item | Dataset | Sequence[Item],
        filters: Filters | None = None,
        *,
        width: int = 800,
        height: int = 520,
        autosave: bool | None = None,
        drafts: AnnotationDrafts | None = None,
    ) -> None:
        self._items, self._total = _resolve_items(source, filters)
        super().__init__()
        self._owns_drafts = drafts is None
        self._drafts = drafts if drafts is not None else AnnotationDrafts()
        if autosave is not None:
            self._drafts.autosave = autosave
        self._index = 0
        self.viewport = Viewport(width, height)
        self.tool = "box"
        self.selected: int | None = None
        self.show_labels = True
        self.opacity = 1.0
        self.edits: AnnotationEdits | None = None
        self._colors: dict[str, str] = {}
        self._attributes: list[Attribute] = []
        self._labels: list[str] = []
        self.label: str | None = None
        # Gestures begun and not yet ended, by the browser's gesture id: a new drag may begin before the
        # kernel has handled the end of the last one.
        self._gestures: dict[Any, dict[str, Any]] = {}
        # While a gesture is handled: False, or True once an edit asked for a redraw (done once, at its end).
        self._held: bool | None = None
        self._selection_form: tuple[Any, list[w.Widget]] | None = None
        self._source_canvas = Canvas(width=1, height=1)
        self.layers = MultiCanvas(3, width=width, height=height)
        self.gestures = GestureLayer(self._on_gesture, width=width, height=height)
        for child in (self.layers, self.gestures):
            child.layout.grid_area = "stack"
        stage = w.GridBox(
            [self.layers, self.gestures],
            layout=w.Layout(
                grid_template_areas='"stack"', width=f"{width}px", height=f"{height}px", flex="0 0 auto"
            ),
        )
        self._build_controls(self._drafts.autosave)
        side = w.VBox(
            [
                w.HTML("<b>Labels</b>"),
                self._label_box,
                w.HTML("<b>Classification</b>"),
                self._class_box,
                w.HTML("<b>Selected</b>"),
                self._selection_box,
            ],
            layout=w.Layout(width="240px", padding="0 0 0 8px"),
        )
        self.children = [self._toolbar, w.HBox([stage, side]), self._drafts_line, self.status_line]
        self.add_class("dlw-annotator")
        self._drafts.on_edit = self._on_edits_changed
        self._drafts.on_state = self._on_save_state
        self._drafts.on_saved = self._on_saved
        self._show(0)

    # -- public surface ---------------------------------------------------------------------------
    @property
    def item(self) -> Item:
        return self._items[self._index]

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
        self._autosave.value = bool(value)

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
        """Close the annotator with its layers, panels and the hidden full-resolution image canvas. With
        autosave the edits are saved first; drafts still unsaved are warned about, naming their items
        (unless the drafts are shared, as in the Studio, where they outlive this annotator)."""
        drafts = getattr(self, "_drafts", None)
        if drafts is not None and not drafts.is_closed:
            if self.edits is not None:
                drafts.leave(self.item)
            if drafts.on_edit == self._on_edits_changed:  # shared drafts go on without this view
                drafts.on_edit = drafts.on_state = drafts.on_saved = None
            if self._owns_drafts:
                drafts.close()
            self.edits = None
        source = getattr(self, "_source_canvas", None)
        if source is not None:
            close_tree(source)
        if getattr(self, "_selection_box", None) is not None:  # the panel's widgets not shown now
            self._drop_selection_form()
            close_tree(self._nothing_selected)
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
        self.notice(f"saved {len(self.edits.keys())} annotations")
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
        self._tool_buttons.value = tool
        self.gestures.cursor = "default" if tool == "select" else "crosshair"

    def set_label(self, label: str) -> None:
        """Choose the label for new shapes; with a shape selected, relabel it too."""
        if label not in self._labels:
            raise ValueError(f"label {label!r} is not in the ontology; its labels are {self._labels}")
        self.label = label
        self._label_picker.value = label
        if self.edits and self.selected is not None and self.edits.shape(self.selected)["type"] != "class":
            self.edits.set_label(self.selected, label)

    def zoom(self, factor: float, at: tuple[float, float] | None = None) -> None:
        self.viewport.zoom(factor, *(at or (None, None)))
        self._redraw(image=True)

    def fit(self) -> None:
        self.viewport.fit(self.viewport.image_width, self.viewport.image_height)
        self._redraw(image=True)

    # -- building the controls --------------------------------------------------------------------
    def _build_controls(self, autosave: bool) -> None:
        self._tool_buttons = w.ToggleButtons(
            options=[("Box (B)", "box"), ("Point (P)", "point"), ("Select (V)", "select")],
            value="box",
            style={"button_width": "80px"},
        )
        self._tool_buttons.observe(lambda c: self.set_tool(c["new"]), names="value")
        self._undo_button = self.button("Undo", self.undo, "undo", "Ctrl+Z")
        self._redo_button = self.button("Redo", self.redo, "repeat", "Ctrl+Shift+Z")
        self._save_button = self.button("Save", self.save, "save", "Ctrl+S")
        # Fixed sizes: a line that grew or shrank as the state changes would move the canvas mid-drag.
        self._dirty = w.HTML(layout=w.Layout(width="110px"))
        # One line whatever the width: a counter wrapping to two lines would move the canvas mid-drag.
        self._counter = w.HTML(layout=w.Layout(flex="0 0 auto"))
        self._autosave = w.Checkbox(
            value=autosave, description="autosave", indent=False, layout=w.Layout(width="90px")
        )
        self._autosave.observe(lambda c: self._set_autosave(c["new"]), names="value")
        self._picker = w.BoundedIntText(
            value=1, min=1, max=max(self._total, 1), description="item", layout=w.Layout(width="130px")
        )
        self._picker.observe(self._on_item_picked, names="value")
        self._discard_button = self.button(
            "Discard", lambda: self.discard(), "undo", "Discard the unsaved edits"
        )
        self._drafts_line = w.HTML(layout=w.Layout(min_height="24px"))
        labels_toggle = w.Checkbox(
            value=True, description="label text", indent=False, layout=w.Layout(width="90px")
        )
        labels_toggle.observe(lambda c: self._set_show_labels(c["new"]), names="value")
        opacity = w.FloatSlider(
            value=1.0,
            min=0.1,
            max=1.0,
            step=0.05,
            description="opacity",
            readout=False,
            layout=w.Layout(width="170px"),
        )
        opacity.observe(lambda c: self._set_opacity(c["new"]), names="value")
        self._toolbar = w.VBox(
            [
                w.HBox(
                    [
                        self._tool_buttons,
                        self.button("", lambda: self.zoom(1 / 1.25), "search-minus", "Zoom out"),
                        self.button("Fit", self.fit, "expand", "Fit the image"),
                        self.button("", lambda: self.zoom(1.25), "search-plus", "Zoom in"),
                        labels_toggle,
                        opacity,
                    ]
                ),
                w.HBox(
                    [
                        self._undo_button,
                        self._redo_button,
                        self._save_button,
                        self._dirty,
                        self._discard_button,
                        self.button("", self.previous, "chevron-left", "Previous item ([)"),
                        self._counter,
                        self.button("", self.next, "chevron-right", "Next item (])"),
                        self._picker,
                        self.button("Save & next", self.save_and_next, "forward", "Save, then the next item"),
                        self._autosave,
                    ]
                ),
            ]
        )
        self._label_picker = w.RadioButtons(options=[], layout=w.Layout(width="220px"))
        self._label_picker.observe(self._on_label_picked, names="value")
        self._swatches = w.HTML()
        self._label_box = w.VBox([self._label_picker, self._swatches])
        self._class_box = w.VBox()
        self._selection_box = w.VBox()
        self._nothing_selected = w.HTML("<i>nothing selected</i>")
        self.status_line.layout.min_height = "24px"

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
        self._refresh_save_state()

    def _on_item_picked(self, change: dict[str, Any]) -> None:
        if not self.is_quiet:
            self._go(int(change["new"]) - 1)

    def _show(self, index: int) -> None:
        self._index = index
        self._gestures.clear()  # they were begun on the previous item's shapes
        self._ensure_loaded(index)
        item = self.item
        self.selected = None
        self.clear_status()
        width, height = item.width, item.height
        mimetype = item.mimetype or ""
        size = (width, height) if mimetype.startswith("image/") and width and height else None
        if size is not None:
            # The image goes first, in a message of its own: the browser decodes it while the kernel loads
            # the annotations and the ontology.
            self.viewport.fit(*size)
            with self._source_canvas.hold_sync():
                self._source_canvas.width, self._source_canvas.height = size
            with hold_canvas():
                put_encoded_image(self._source_canvas, item.read())
                draw_image(self.layers[0], self._source_canvas, self.viewport)
                self.layers[1].clear()  # the previous item's shapes are not this image's
        self._load_ontology(item)
        self.edits = self._drafts.open(item, width or 1, height or 1)
        if size is None:
            reason = (
                "is not an image" if not mimetype.startswith("image/") else "could not be decoded as an image"
            )
            with hold_canvas():
                for layer in self.layers:
                    layer.clear()
            self.error(f"{item.filename} ({mimetype}) {reason}; nothing to draw on")
        else:
            with hold_canvas():
                self._draw_annotations()
        self._refresh_panels()
        if self._held:
            self._held = False  # everything is drawn already

    def _ensure_loaded(self, index: int) -> None:
        if isinstance(self._items, _LazyItems):
            self._items.load_until(index)

    def _load_ontology(self, item: Item) -> None:
        ontology: Ontology | None = None
        try:
            ontology = item.dataset.ontology()
        except (IndexError, PlatformError):
            ontology = None
        labels = ontology._walk() if ontology else []
        self._colors = {label.tag: label.color for label in labels}
        self._labels = [label.tag for label in labels]
        self._attributes = ontology.attributes if ontology else []
        self._label_picker.options = [
            (f"{i + 1}  {t}" if i < 9 else t, t) for i, t in enumerate(self._labels)
        ]
        if self.label not in self._labels:
            self.label = self._labels[0] if self._labels else None
        self._label_picker.value = self.label
        self._swatches.value = _swatches(self._colors)
        self._drop_selection_form()  # its editors follow the ontology's attributes

    # -- drawing ------------------------------------------------------------------------------------
    def _draw_annotations(self) -> None:
        assert self.edits is not None
        draw_annotations(
            self.layers[1],
            self.edits.shapes(),
            self.viewport,
            self._colors,
            self.selected,
            self.show_labels,
            self.opacity,
        )

    def _redraw(self, image: bool = False) -> None:
        if self.edits is None:
            return
        with hold_canvas():
            if image:
                draw_image(self.layers[0], self._source_canvas, self.viewport)
            self._draw_annotations()

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
        self._counter.value = (
            f"<span class='dlw-counter' style='white-space:nowrap'>{self._index + 1} of {self._total}</span>"
        )
        with self.quietly():
            self._picker.value = self._index + 1
        self._refresh_save_state()
        self._undo_button.disabled = not (edits and edits.can_undo)
        self._redo_button.disabled = not (edits and edits.can_redo)
        self._refresh_classifications()
        self._refresh_selection()

    def _refresh_save_state(self) -> None:
        """The shown item's save state, and the items whose edits are unsaved drafts."""
        state = self._drafts.state(self.item) if self.edits is not None else "saved"
        text, color = _SAVE_STATES[state]
        self._dirty.value = f"<span class='dlw-dirty' style='color:{color};white-space:nowrap'>{text}</span>"
        self._discard_button.disabled = state in ("saved", "saving")
        unsaved = self._drafts.unsaved
        names = ", ".join(html.escape(item.name or item.id) for item in unsaved)
        self._drafts_line.value = (
            f"<span class='dlw-drafts'>unsaved drafts ({len(unsaved)}): {names}</span>" if unsaved else ""
        )

    def _on_save_state(self, _item: Item) -> None:
        self._refresh_save_state()

    def _on_saved(self, edits: AnnotationEdits) -> None:
        self.callbacks("on_save").fire(edits.item, edits.annotations)

    def _refresh_classifications(self) -> None:
        """One toggle per label, made when the labels change; otherwise only their values are updated."""
        active = self.edits.classification_labels() if self.edits else set()
        if [t.description for t in self._class_box.children] != self._labels:
            toggles = []
            for tag in self._labels:
                toggle = w.ToggleButton(description=tag, layout=w.Layout(width="auto"))
                toggle.observe(functools.partial(self._on_class_toggled, tag), names="value")
                toggles.append(toggle)
            stale = self._class_box.children
            self._class_box.children = toggles
            close_all(stale)  # an ontology change made them useless: free their browser models
        with self.quietly():
            for toggle in self._class_box.children:
                toggle.value = toggle.description in active

    def _on_class_toggled(self, tag: str, change: dict[str, Any]) -> None:
        if not self.is_quiet and change["new"] != (tag in self._editing().classification_labels()):
            self._editing().toggle_classification(tag)

    def _refresh_selection(self) -> None:
        """The selected shape's form; its widgets are kept while the shapes selected need the same ones."""
        if self.edits is None or self.selected is None:
            self._selection_box.children = [self._nothing_selected]
            return
        shape = self.edits.shape(self.selected)
        label = shape.get("label") or ""
        attributes = [a for a in self._attributes if a.applies_to(label)]
        form = (label in self._colors, tuple(a.key for a in attributes))
        if self._selection_form is None or self._selection_form[0] != form:
            rows: list[w.Widget] = [] if label in self._colors else [w.HTML()]
            object_id = w.Text(
                description="object id", continuous_update=False, layout=w.Layout(width="220px")
            )
            object_id.observe(self._on_object_id, names="value")
            rows += [w.HTML(), object_id]
            rows += [_attribute_editor(a, functools.partial(self._on_attribute, a.key)) for a in attributes]
            self._drop_selection_form()
            self._selection_form = (form, rows)
        rows = self._selection_form[1]
        system = shape.get("metadata", {}).get("system", {})
        values = system.get("attributes", {})
        with self.quietly():
            if label not in self._colors:
                unknown = f"label {html.escape(label)!r} is not in the ontology"
                rows[0].value = f"<span style='color:{ERROR_COLOR}'>{unknown}</span>"
            title, object_id, *editors = rows[-2 - len(attributes) :]
            title.value = f"{html.escape(shape['type'])} <b>{html.escape(label)}</b>"
            object_id.value = system.get("objectId") or ""
            for attribute, editor in zip(attributes, editors, strict=True):
                editor.value = _editor_value(attribute, values.get(attribute.key))
        self._selection_box.children = rows

    def _drop_selection_form(self) -> None:
        """Close the selected shape's form (its widgets leave the panel first)."""
        if self._selection_form is not None:
            self._selection_box.children = [self._nothing_selected]
            close_all(self._selection_form[1])
            self._selection_form = None

    def _on_object_id(self, change: dict[str, Any]) -> None:
        if not self.is_quiet and self.selected is not None:
            self._editing().set_object_id(self.selected, change["new"] or None)

    def _on_attribute(self, key: str, value: Any) -> None:
        if not self.is_quiet and self.selected is not None:
            self._editing().set_attribute(self.selected, key, value)

    def _editing(self) -> AnnotationEdits:
        assert self.edits is not None, "the panels exist only while an item is shown"
        return self.edits

    def _on_label_picked(self, change: dict[str, Any]) -> None:
        if change["new"] and change["new"] != self.label:
            self.set_label(change["new"])

    def _select(self, key: int | None) -> None:
        self.selected = key
        if self._held is not None:
            self._held = True
            return
        self._refresh_selection()
        self._redraw()

    # -- gestures -----------------------------------------------------------------------------------
    def _on_gesture(self, event: dict[str, Any]) -> None:
        """Handle one gesture; whatever it changes is drawn once, with one refresh of the panels."""
        kind = event.get("type", "")
        handler = {
            "down": self._down,
            "up": self._up,
            "wheel": self._wheel,
            "pan": self._pan,
            "key": self._key,
        }.get(kind)
        failed = False
        self._held = False
        try:
            if handler is not None:
                handler(event)
        except SHOWN_ERRORS as error:
            self.error(describe(error))
            failed = True
        finally:
            changed, self._held = self._held, None
            if changed:
                self._redraw()
                self._refresh_panels()
            if kind == "up" or failed:
                # After the drawing: the browser drops its preview of this gesture when this arrives.
                self.gestures.reply({"type": "committed", "id": event.get("id")})

    def _down(self, event: dict[str, Any]) -> None:
        gesture_id = event.get("id")
        x, y = self.viewport.to_image(event["x"], event["y"])
        if self.edits is None or event.get("button") == 1 or event.get("alt"):
            self._grab(gesture_id, {"mode": "pan"}, {"mode": "pan"})
            return
        tolerance = HIT_TOLERANCE_PX / self.viewport.scale
        hit = self.edits.hit(x, y, tolerance, self.selected)
        if hit is not None and (self.tool == "select" or hit[0] == self.selected):
            key, handle = hit
            shape = self.edits.shape(key)
            if key != self.selected:
                self._select(key)
            reply: dict[str, Any] = {
                "mode": handle,
                "color": self._colors.get(shape.get("label") or ""),
            }
            if shape["type"] == "box":
                left, top, right, bottom = box_edges(shape)
                reply["rect"] = [*self.viewport.to_canvas(left, top), *self.viewport.to_canvas(right, bottom)]
            else:
                reply.update(
                    kind="point",
                    point=list(self.viewport.to_canvas(shape["coordinates"]["x"], shape["coordinates"]["y"])),
                )
            self._grab(gesture_id, {"mode": handle, "key": key}, reply)
            return
        if self.tool == "select":
            self._select(None)
            self._grab(gesture_id, {"mode": "pan"}, {"mode": "pan"})
            return
        mode = "none" if self.tool == "point" else "new"
        color = self._colors.get(self.label or "")
        self._grab(gesture_id, {"mode": "new", "tool": self.tool}, {"mode": mode, "color": color})

    def _grab(self, gesture_id: Any, gesture: dict[str, Any], reply: dict[str, Any]) -> None:
        """Remember what gesture ``gesture_id`` does, and tell the browser (which previews it)."""
        self._gestures[gesture_id] = gesture
        self.gestures.reply({"type": "grab", "id": gesture_id, **reply})

    def _up(self, event: dict[str, Any]) -> None:
        """The end of a drag; `_on_gesture` tells the browser once the result is drawn."""
        gesture = self._gestures.pop(event.get("id"), None)
        if gesture is not None and gesture["mode"] == "pan":
            # What the pan moved since its last increment (all of it if the drag ended before its grab).
            dx, dy = event["x"] - event.get("px", event["x"]), event["y"] - event.get("py", event["y"])
            if dx or dy:
                self.viewport.pan(dx, dy)
                self._redraw(image=True)
            return
        if gesture is None or self.edits is None:
            return
        if "key" in gesture and gesture["key"] not in self.edits:
            return  # its shape was deleted meanwhile (by a key pressed mid-drag)
        x0, y0 = self.viewport.to_image(event["x0"], event["y0"])
        x1, y1 = self.viewport.to_image(event["x"], event["y"])
        moved = max(abs(event["x"] - event["x0"]), abs(event["y"] - event["y0"])) >= MIN_DRAG_PX
        if gesture["mode"] == "new":
            self._create(gesture["tool"], x0, y0, x1, y1, moved)
        elif gesture["mode"] == "move" and moved:
            self.edits.move(gesture["key"], x1 - x0, y1 - y0)
        elif gesture["mode"] not in ("move", "new") and moved:
            self.edits.resize(gesture["key"], gesture["mode"], x1, y1)

    def _create(self, tool: str, x0: float, y0: float, x1: float, y1: float, moved: bool) -> None:
        assert self.edits is not None
        if self.label is None:
            raise ValueError("the ontology has no labels yet: add one (ontology.add_label) before annotating")
        if tool == "point":
            key = self.edits.add(_point(x1, y1, self.label))
        elif moved:
            key = self.edits.add(_box(x0, y0, x1, y1, self.label))
        else:
            return  # a click with the box tool is not a box
        self._select(key)

    def _wheel(self, event: dict[str, Any]) -> None:
        self.zoom(WHEEL_ZOOM ** (-event.get("dy", 0)), (event["x"], event["y"]))

    def _pan(self, event: dict[str, Any]) -> None:
        self.viewport.pan(event.get("dx", 0), event.get("dy", 0))
        self._redraw(image=True)
        self.gestures.reply({"type": "pan_ack"})

    def _key(self, event: dict[str, Any]) -> None:
        key, ctrl, shift = event.get("key", ""), event.get("ctrl", False), event.get("shift", False)
        lower = key.lower()
        if ctrl and lower == "z":
            self.redo() if shift else self.undo()
        elif ctrl and lower == "y":
            self.redo()
        elif ctrl and lower == "s":
            self.save()
        elif key in ("Delete", "Backspace") and self.edits and self.selected is not None:
            self.edits.delete([self.selected])
        elif key.startswith("Arrow") and self.edits and self.selected is not None:
            step = (10 if shift else 1) * NUDGE_STEP
            dx, dy = {
                "ArrowLeft": (-step, 0),
                "ArrowRight": (step, 0),
                "ArrowUp": (0, -step),
                "ArrowDown": (0, step),
            }[key]
            self.edits.move(self.selected, dx, dy)
        elif key.isdigit() and key != "0" and int(key) <= len(self._labels):
            self.set_label(self._labels[int(key) - 1])
        elif lower in ("b", "p", "v") and not ctrl:
            self.set_tool({"b": "box", "p": "point", "v": "select"}[lower])
        elif key == "]":
            self.next()
        elif key == "[":
            self.previous()
        elif key == "Escape":
            self._select(None)


# How each save state reads in the toolbar, and its colour.
_SAVE_STATES = {
    "saved": ("saved", "inherit"),
    "unsaved": ("● unsaved", ERROR_COLOR),
    "saving": ("saving…", "#616161"),
    "failed": ("✖ save failed", ERROR_COLOR),
}


def _box(x0: float, y0: float, x1: float, y1: float, label: str) -> Definition:
    from ..api import Box

    return Box(top=min(y0, y1), left=min(x0, x1), bottom=max(y0, y1), right=max(x0, x1), label=label)


def _point(x: float, y: float, label: str) -> Definition:
    from ..api import Point

    return Point(x=x, y=y, label=label)


def _swatches(colors: dict[str, str]) -> str:
    rows = "".join(
        f"<div><span style='display:inline-block;width:12px;height:12px;background:{html.escape(c)};"
        f"margin-right:6px'></span>{html.escape(t)}</div>"
        for t, c in colors.items()
    )
    return f"<div class='dlw-swatches'>{rows}</div>"


def _attribute_editor(attribute: Attribute, on_change: Callable[[Any], Any]) -> w.Widget:
    """One input for one attribute, by its type: yes/no, radio, checkbox, slider or free text. Its value
    is set afterwards, from `_editor_value`."""
    title = attribute.title or attribute.key
    layout = w.Layout(width="220px")
    editor: w.Widget
    if attribute.type == "boolean":
        editor = w.Checkbox(description=title, indent=False, layout=layout)
    elif attribute.type == "options" and attribute.multi:
        editor = w.SelectMultiple(options=attribute.values or [], description=title, layout=layout)
    elif attribute.type == "options":
        editor = w.Dropdown(
            options=[("", None), *((v, v) for v in attribute.values or [])],
            value=None,
            description=title,
            layout=layout,
        )
    elif attribute.type == "range":
        rng = attribute.range or {}
        editor = w.FloatSlider(
            min=rng.get("min", 0),
            max=rng.get("max", 100),
            step=rng.get("step", 1),
            description=title,
            layout=layout,
        )
    else:
        editor = w.Text(description=title, continuous_update=False, layout=layout)
    editor.observe(
        lambda c: on_change(list(c["new"]) if isinstance(c["new"], tuple) else c["new"]), names="value"
    )
    return editor


def _editor_value(attribute: Attribute, value: Any) -> Any:
    """What `_attribute_editor`'s input shows for the stored `value` (None: not set)."""
    if attribute.type == "boolean":
        return bool(value)
    if attribute.type == "options" and attribute.multi:
        return tuple(value or ())
    if attribute.type == "options":
        return value
    if attribute.type == "range":
        return value if value is not None else (attribute.range or {}).get("min", 0)
    return value or ""


class _LazyItems(list[Item]):
    """Items of a dataset query, fetched a page at a time as navigation reaches them."""

    def __init__(self, pages: Any) -> None:
        super().__init__(pages.items)
        self._pages = iter(pages)
        next(self._pages)  # the first page is already here

    def load_until(self, index: int) -> None:
        while len(self) <= index:
            page = next(self._pages, None)
            if not page:
                return
            self.extend(page)


def _resolve_items(
    source: Item | Dataset | Sequence[Item], filters: Filters | None
) -> tuple[list[Item], int]:
    if isinstance(source, Item):
        return [source], 1
    if isinstance(source, Dataset):
        pages = source.items.list(filters=filters)
        if pages.items_count == 0:
            raise ValueError(
                f"dataset {source.name!r} has no items matching the filters; nothing to annotate"
            )
        return _LazyItems(pages), pages.items_count
    items = list(source)
    if not items or not all(isinstance(i, Item) for i in items):
        raise TypeError(f"Annotator needs an Item, a Dataset or a non-empty list of Items, got {source!r}")
    return items, len(items)
