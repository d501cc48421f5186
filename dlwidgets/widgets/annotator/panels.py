"""``SidePanel``: the Annotator's side: the ontology's labels (the one for new shapes picked), a toggle per
label for the item's classifications, and the selected shape's form (object id and attributes)."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ...api.entities.ontology import Attribute
from ..base import ERROR_COLOR, WidgetBase, close_all, close_tree
from ..models.annotation_edits import AnnotationEdits


class SidePanel(w.VBox):
    """What the user picks and types beside the canvas; each change is handed to the Annotator's
    callbacks, except the writes the Annotator makes under its ``quietly()``."""

    def __init__(
        self,
        host: WidgetBase,
        on_label: Callable[[str], None],
        on_classification: Callable[[str, bool], None],
        on_object_id: Callable[[str | None], None],
        on_attribute: Callable[[str, Any], None],
    ) -> None:
        self._host = host
        self._on_classification = on_classification
        self._on_object_id = on_object_id
        self._on_attribute = on_attribute
        self._colors: dict[str, str] = {}
        self._labels: list[str] = []
        self._attributes: list[Attribute] = []
        self._selection_form: tuple[Any, list[w.Widget]] | None = None
        self.label_picker = w.RadioButtons(options=[], layout=w.Layout(width="220px"))
        self.label_picker.observe(lambda c: on_label(c["new"]) if c["new"] else None, names="value")
        self._swatches = w.HTML()
        self.class_box = w.VBox()
        self.selection_box = w.VBox()
        self._nothing_selected = w.HTML("<i>nothing selected</i>")
        super().__init__(
            [
                w.HTML("<b>Labels</b>"),
                w.VBox([self.label_picker, self._swatches]),
                w.HTML("<b>Classification</b>"),
                self.class_box,
                w.HTML("<b>Selected</b>"),
                self.selection_box,
            ],
            layout=w.Layout(width="240px", padding="0 0 0 8px"),
        )

    def show_ontology(
        self, labels: list[str], colors: dict[str, str], attributes: list[Attribute], label: str | None
    ) -> None:
        """The labels of the item's ontology, ``label`` picked; the selection form follows its attributes."""
        self._labels, self._colors, self._attributes = labels, colors, attributes
        self.label_picker.options = [(f"{i + 1}  {t}" if i < 9 else t, t) for i, t in enumerate(labels)]
        self.label_picker.value = label
        self._swatches.value = _swatches(colors)
        self.drop_selection_form()  # its editors follow the ontology's attributes

    def refresh(self, edits: AnnotationEdits | None, selected: int | None) -> None:
        self.refresh_classifications(edits)
        self.refresh_selection(edits, selected)

    def refresh_classifications(self, edits: AnnotationEdits | None) -> None:
        """One toggle per label, made when the labels change; otherwise only their values are updated."""
        active = edits.classification_labels() if edits else set()
        if [t.description for t in self.class_box.children] != self._labels:
            toggles = []
            for tag in self._labels:
                toggle = w.ToggleButton(description=tag, layout=w.Layout(width="auto"))
                toggle.observe(functools.partial(self._on_class_toggled, tag), names="value")
                toggles.append(toggle)
            stale = self.class_box.children
            self.class_box.children = toggles
            close_all(stale)  # an ontology change made them useless: free their browser models
        with self._host.quietly():
            for toggle in self.class_box.children:
                toggle.value = toggle.description in active

    def _on_class_toggled(self, tag: str, change: dict[str, Any]) -> None:
        if not self._host.is_quiet:
            self._on_classification(tag, change["new"])

    def refresh_selection(self, edits: AnnotationEdits | None, selected: int | None) -> None:
        """The selected shape's form; its widgets are kept while the shapes selected need the same ones."""
        if edits is None or selected is None:
            self.selection_box.children = [self._nothing_selected]
            return
        shape = edits.shape(selected)
        label = shape.get("label") or ""
        attributes = [a for a in self._attributes if a.applies_to(label)]
        form = (label in self._colors, tuple(a.key for a in attributes))
        if self._selection_form is None or self._selection_form[0] != form:
            rows: list[w.Widget] = [] if label in self._colors else [w.HTML()]
            object_id = w.Text(
                description="object id", continuous_update=False, layout=w.Layout(width="220px")
            )
            object_id.observe(self._on_object_id_typed, names="value")
            rows += [w.HTML(), object_id]
            rows += [
                _attribute_editor(a, functools.partial(self._on_attribute_set, a.key)) for a in attributes
            ]
            self.drop_selection_form()
            self._selection_form = (form, rows)
        rows = self._selection_form[1]
        system = shape.get("metadata", {}).get("system", {})
        values = system.get("attributes", {})
        with self._host.quietly():
            if label not in self._colors:
                unknown = f"label {html.escape(label)!r} is not in the ontology"
                rows[0].value = f"<span style='color:{ERROR_COLOR}'>{unknown}</span>"
            title, object_id, *editors = rows[-2 - len(attributes) :]
            title.value = f"{html.escape(shape['type'])} <b>{html.escape(label)}</b>"
            object_id.value = system.get("objectId") or ""
            for attribute, editor in zip(attributes, editors, strict=True):
                editor.value = _editor_value(attribute, values.get(attribute.key))
        self.selection_box.children = rows

    def drop_selection_form(self) -> None:
        """Close the selected shape's form (its widgets leave the panel first)."""
        if self._selection_form is not None:
            self.selection_box.children = [self._nothing_selected]
            close_all(self._selection_form[1])
            self._selection_form = None

    def close_hidden(self) -> None:
        """Close the panel's widgets that are not shown now (the selection form, 'nothing selected')."""
        self.drop_selection_form()
        close_tree(self._nothing_selected)

    def _on_object_id_typed(self, change: dict[str, Any]) -> None:
        if not self._host.is_quiet:
            self._on_object_id(change["new"] or None)

    def _on_attribute_set(self, key: str, value: Any) -> None:
        if not self._host.is_quiet:
            self._on_attribute(key, value)


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
