"""``OntologyEditor``: edit the labels and attributes annotators use, then save them through the API.

A thin ipywidgets view over ``OntologyDraft`` (``ontology_draft.py``), which holds the edits, validates
them, lists the changes and saves them: the view only turns widget events into draft edits and shows the
draft. Label rows are kept per label (so typing in one is not interrupted by a redraw of the others);
every name is shown as text, or escaped where it goes into HTML.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..api import Dataset, Filters, FiltersResource, Ontology
from ..api.entities.ontology import AttributesTypes
from ..exceptions import PlatformError
from .base import ERROR_COLOR, WidgetBase, button, close_tree
from .compat import uploaded_contents
from .models.ontology_draft import (
    KIND_NAMES,
    AttributeDraft,
    InvalidDraft,
    LabelDraft,
    OntologyDraft,
    attribute_problems,
)

ALL_LABELS, CHOSEN_LABELS = "all labels", "chosen labels"


class OntologyEditor(WidgetBase):
    """``OntologyEditor(dataset)`` (its recipe's first ontology, the one the annotator uses) or
    ``OntologyEditor(ontology)``."""

    def __init__(self, source: Dataset | Ontology) -> None:
        if isinstance(source, Dataset):
            self._datasets: list[Dataset] | None = [source]
            ontology = source.ontology()
        elif isinstance(source, Ontology):
            self._datasets = None  # found when a delete asks how many annotations use a label
            ontology = source
        else:
            raise TypeError(f"OntologyEditor needs a Dataset or an Ontology, got {source!r}")
        super().__init__()
        self.draft = OntologyDraft(ontology)
        self._usage: dict[str, int] = {}  # annotations per deleted label tag, for the summary
        self._rows: dict[int, _LabelRow] = {}
        self._editing: AttributeDraft | None = None  # the attribute the form edits (None: a new one)
        self._key_is_auto = True
        self._build()
        self.children = [
            self._title,
            w.HTML("<b>Labels</b> <span style='color:#666'>(number: the annotator's hotkey)</span>"),
            self._label_rows,
            self._new_label,
            w.HTML("<b>Attributes</b>"),
            self._attribute_rows,
            w.HBox([self._new_attribute_button]),
            self._form,
            self._problems,
            self._changes,
            w.HBox([self._save_button, self._discard_button]),
            self._json_box,
            self.status_line,
        ]
        self.add_class("dlw-ontology-editor")
        self._refresh()

    # -- public surface ---------------------------------------------------------------------------
    @property
    def ontology(self) -> Ontology:
        """The ontology as last loaded or saved."""
        return self.draft.ontology

    @property
    def is_dirty(self) -> bool:
        return self.draft.is_dirty

    @property
    def problems(self) -> list[str]:
        return [p.message for p in self.draft.problems()]

    @property
    def changes(self) -> list[str]:
        return self.draft.changes(self._usage)

    def on_save(self, callback: Callable[[Ontology], None], remove: bool = False) -> None:
        """Call ``callback(ontology)`` after every successful save."""
        self.callbacks("on_save").register(callback, remove)

    def save(self) -> bool:
        """Write the edits; with problems (or a refusal from the server) nothing is, and it says why."""
        changes = self.changes
        try:
            self.draft.save()
        except InvalidDraft as error:
            self.error(f"not saved: {error}")
            self._refresh()
            return False
        except PlatformError as error:
            self.error(f"not saved: {error.message}")
            return False
        self._usage = {}
        self._refresh()
        self.notice(f"saved {len(changes)} change{'s' if len(changes) != 1 else ''}")
        self.callbacks("on_save").fire(self.ontology)
        return True

    def discard(self) -> None:
        """Forget every edit since loading (or the last save)."""
        self.draft.reset()
        self._usage = {}
        self._close_form()
        self._refresh()
        self.notice("changes discarded")

    def export_json(self) -> str:
        """The draft as JSON (also put in the JSON box, with a link to download it)."""
        text = self.draft.to_json()
        self._json_text.value = text
        self._download.value = _download_link(text, f"{self.ontology.title or self.ontology.id}.json")
        return text

    def _import_pasted(self) -> None:
        self.import_json(self._json_text.value)

    def import_json(self, text: str | bytes) -> bool:
        """Replace the draft with an exported ontology's labels and attributes (saved only by Save)."""
        try:
            self.draft.load_json(text)
        except ValueError as error:
            self.error(f"not imported: {error}")
            return False
        self._close_form()
        self._refresh()
        self.notice("imported; review the changes, then Save")
        return True

    def count_annotations(self, tags: list[str]) -> int:
        """How many annotations, in the datasets that use this ontology, have one of ``tags``."""
        filters = Filters(resource=FiltersResource.ANNOTATION, field="label", values=list(tags))
        return sum(ds.items.list(filters=filters, page_size=1).items_count for ds in self._using())

    # -- building ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self._title = w.HTML()
        self._label_rows = w.VBox()
        self._new_label_name = w.Text(
            placeholder="new label (a child: parent.child)", layout=w.Layout(width="260px")
        )
        self._new_label_color = w.ColorPicker(value="#1f77b4", concise=True, layout=w.Layout(width="40px"))
        self._new_label = w.HBox(
            [self._new_label_name, self._new_label_color, self.button("Add label", self.add_label, "plus")]
        )
        self._new_label.add_class("dlw-new-label")
        self._attribute_rows = w.VBox()
        self._new_attribute_button = self.button("New attribute", lambda: self._open_form(None), "plus")
        self._build_form()
        self._problems = w.HTML()
        self._problems.add_class("dlw-problems")
        self._changes = w.HTML()
        self._changes.add_class("dlw-changes")
        self._save_button = self.button("Save", self.save, "save", button_style="primary")
        self._save_button.add_class("dlw-save")
        self._discard_button = self.button("Discard changes", self.discard, "undo")
        self._json_text = w.Textarea(
            placeholder="paste an exported ontology's JSON here, then Import",
            layout=w.Layout(width="520px", height="120px"),
        )
        self._upload = w.FileUpload(
            accept=".json,application/json", multiple=False, description="Import file"
        )
        self._upload.observe(self._on_upload, names="value")
        self._download = w.HTML()
        self._json_box = w.Accordion(
            [
                w.VBox(
                    [
                        self._json_text,
                        w.HBox(
                            [
                                self.button("Export", self.export_json, "download"),
                                self.button("Import", self._import_pasted, "upload"),
                                self._upload,
                                self._download,
                            ]
                        ),
                    ]
                )
            ],
            selected_index=None,
        )
        self._json_box.set_title(0, "Import / export JSON")
        self.status_line.layout.min_height = "24px"

    def _build_form(self) -> None:
        # A Layout per widget: a shared one would hide them all when one is hidden.
        def wide() -> w.Layout:
            return w.Layout(width="320px")

        def narrow() -> w.Layout:
            return w.Layout(width="160px")

        self._form_kind = w.Dropdown(
            options=[(KIND_NAMES[k], k) for k in AttributesTypes], description="type", layout=wide()
        )
        self._form_title = w.Text(description="title", layout=wide())
        self._form_key = w.Text(description="key", layout=wide())
        self._form_values = w.Textarea(
            description="values", placeholder="one value a line", layout=w.Layout(width="320px")
        )
        self._form_min = w.FloatText(value=0, description="min", layout=narrow())
        self._form_max = w.FloatText(value=100, description="max", layout=narrow())
        self._form_step = w.FloatText(value=1, description="step", layout=narrow())
        self._form_range = w.HBox([self._form_min, self._form_max, self._form_step])
        self._form_required = w.Checkbox(description="required", indent=False)
        self._form_scope = w.RadioButtons(options=[ALL_LABELS, CHOSEN_LABELS], description="applies to")
        self._form_labels = w.SelectMultiple(options=[], description="labels", layout=wide())
        self._form_problems = w.HTML()
        self._form_apply = self.button("Add attribute", self._apply_form, "check", button_style="primary")
        for field in (
            self._form_kind,
            self._form_values,
            self._form_min,
            self._form_max,
            self._form_step,
            self._form_required,
            self._form_scope,
            self._form_labels,
        ):
            field.observe(lambda _: self._on_form_changed(), names="value")
        self._form_title.observe(self._on_form_title, names="value")
        self._form_key.observe(self._on_form_key, names="value")
        self._form = w.VBox(
            [
                self._form_kind,
                self._form_title,
                self._form_key,
                self._form_values,
                self._form_range,
                self._form_required,
                self._form_scope,
                self._form_labels,
                self._form_problems,
                w.HBox([self._form_apply, self.button("Cancel", self._close_form, "times")]),
            ],
            layout=w.Layout(border="1px solid #ccc", padding="6px", display="none"),
        )
        self._form.add_class("dlw-attribute-form")

    # -- label edits ------------------------------------------------------------------------------
    def add_label(
        self, tag: str | None = None, color: str | None = None, display_label: str | None = None
    ) -> LabelDraft | None:
        """Add a label to the draft (from the "new label" fields when called without a ``tag``)."""
        from_form = tag is None
        tag = (self._new_label_name.value if tag is None else tag).strip()
        try:
            label = self.draft.add_label(
                tag, color or (self._new_label_color.value if from_form else None), display_label
            )
        except ValueError as error:
            self.error(str(error))
            return None
        if from_form:
            self._new_label_name.value = ""
        self.clear_status()
        self._refresh()
        return label

    def _open_child(self, parent: LabelDraft) -> None:
        """Start a child label: the "new label" field gets ``parent.``, ready for the child's name."""
        self._new_label_name.value = self.draft.tag_of(parent) + "."

    def _label_edit(self, action: Callable[[], Any]) -> None:
        if self.is_quiet:
            return
        try:
            action()
        except ValueError as error:
            self.error(str(error))
        self._refresh()

    def _ask_delete(self, row: _LabelRow) -> None:
        """Say how many annotations use the label (and its children) before deleting it."""
        tag = self.draft.tag_of(row.label)
        tags = [t for t in self.draft.tags() if t == tag or t.startswith(tag + ".")]
        try:
            count = self.count_annotations(tags)
        except PlatformError as error:
            self.error(f"could not count the annotations of {tag!r}: {error.message}")
            return
        row.pending = (tags, count)
        children = len(tags) - 1
        what = f"{tag!r}" + (
            f" and its {children} child label{'s' if children != 1 else ''}" if children else ""
        )
        noun = "annotation uses" if count == 1 else "annotations use"
        row.confirm_text.value = (
            f"<span class='dlw-delete-warning' style='color:{ERROR_COLOR}'>"
            f"{count} {noun} {html.escape(what)}. "
            "Delete removes the label from the ontology; the annotations keep their label name.</span>"
        )
        row.confirm.layout.display = ""

    def _confirm_delete(self, row: _LabelRow) -> None:
        if row.pending is None:
            return
        tags, count = row.pending
        self._usage[tags[0]] = count
        self._label_edit(lambda: self.draft.delete_label(row.label))

    def _cancel_delete(self, row: _LabelRow) -> None:
        row.pending = None
        row.confirm.layout.display = "none"

    # -- attribute form ---------------------------------------------------------------------------
    def _open_form(self, attribute: AttributeDraft | None) -> None:
        self._editing = attribute
        a = attribute or AttributeDraft(key="")
        tags = self.draft.tags()
        with self.quietly():
            self._form_labels.options = tags + [s for s in a.scope if s != "*" and s not in tags]
            self._form_kind.value = a.kind
            self._form_title.value = a.title
            self._form_key.value = a.key
            self._form_values.value = "\n".join(a.values)
            self._form_min.value, self._form_max.value, self._form_step.value = a.min, a.max, a.step
            self._form_required.value = a.required
            self._form_scope.value = ALL_LABELS if "*" in a.scope else CHOSEN_LABELS
            self._form_labels.value = tuple(s for s in a.scope if s != "*")
        self._key_is_auto = not a.key
        self._form_apply.description = "Add attribute" if attribute is None else "Update attribute"
        self._form.layout.display = ""
        self._on_form_changed()

    def _close_form(self) -> None:
        self._editing = None
        self._form.layout.display = "none"

    def _form_attribute(self) -> AttributeDraft:
        values = [v.strip() for v in self._form_values.value.splitlines() if v.strip()]
        return AttributeDraft(
            key=self._form_key.value.strip(),
            title=self._form_title.value.strip(),
            kind=self._form_kind.value,
            values=values,
            scope=["*"] if self._form_scope.value == ALL_LABELS else list(self._form_labels.value),
            required=self._form_required.value,
            min=self._form_min.value,
            max=self._form_max.value,
            step=self._form_step.value,
        )

    def _on_form_title(self, change: dict[str, Any]) -> None:
        if self._key_is_auto and not self.is_quiet:
            with self.quietly():
                self._form_key.value = _key_from_title(change["new"])
        self._on_form_changed()

    def _on_form_key(self, change: dict[str, Any]) -> None:
        if not self.is_quiet:
            self._key_is_auto = not change["new"]
        self._on_form_changed()

    def _on_form_changed(self) -> None:
        if self.is_quiet:
            return
        kind = self._form_kind.value
        has_values = kind in (AttributesTypes.RADIO_BUTTON, AttributesTypes.CHECKBOX)
        self._form_values.layout.display = "" if has_values else "none"
        self._form_range.layout.display = "" if kind == AttributesTypes.SLIDER else "none"
        self._form_labels.layout.display = "" if self._form_scope.value == CHOSEN_LABELS else "none"
        others = {a.key for a in self.draft.attributes if a is not self._editing}
        found = list(attribute_problems(self._form_attribute(), self.draft.tags(), others))
        self._form_problems.value = _problem_list(found)

    def _apply_form(self) -> None:
        """Put the form's attribute in the draft, problems and all: they are shown and block Save."""
        attribute = self._form_attribute()
        if self._editing is None:
            self.draft.add_attribute(attribute)
        else:
            self.draft.replace_attribute(self._editing, attribute)
        self._close_form()
        self._refresh()

    def _delete_attribute(self, attribute: AttributeDraft) -> None:
        self.draft.delete_attribute(attribute)
        if self._editing is attribute:
            self._close_form()
        self._refresh()

    # -- showing the draft ------------------------------------------------------------------------
    def _refresh(self) -> None:
        problems = self.draft.problems()
        by_subject: dict[int, list[str]] = {}
        for p in problems:
            if p.subject is not None:
                by_subject.setdefault(p.subject.uid, []).append(p.message)
        title = self.ontology.title or self.ontology.id
        self._title.value = f"<b>Ontology</b> {html.escape(title)}"
        self._refresh_labels(by_subject)
        self._refresh_attributes(by_subject)
        self._problems.value = _problem_list([p.message for p in problems])
        changes = self.changes
        if changes:
            items = "".join(f"<li>{html.escape(c)}</li>" for c in changes)
            self._changes.value = f"<b>Changes to save ({len(changes)})</b><ul>{items}</ul>"
        else:
            self._changes.value = "<span style='color:#666'>no unsaved changes</span>"
        self._save_button.disabled = bool(problems) or not changes
        self._save_button.tooltip = "fix the problems first" if problems else "write the changes"
        self._discard_button.disabled = not changes

    def _refresh_labels(self, problems: dict[int, list[str]]) -> None:
        hotkeys = self.draft.hotkeys()
        rows = []
        seen = set()
        with self.quietly():
            for tag, label, depth in self.draft.walk():
                row = self._rows.get(label.uid)
                if row is None:
                    row = self._rows[label.uid] = _LabelRow(self, label)
                seen.add(label.uid)
                row.show(tag, depth, hotkeys.get(tag), problems.get(label.uid, []))
                rows.append(row.box)
        for uid in set(self._rows) - seen:
            self._rows.pop(uid)
        self.replace_children(self._label_rows, rows or [w.HTML("<i>no labels yet</i>")])

    def _refresh_attributes(self, problems: dict[int, list[str]]) -> None:
        rows: list[w.Widget] = []
        for attribute in self.draft.attributes:
            text = w.HTML(
                f"<b>{html.escape(attribute.title or attribute.key)}</b> "
                f"<code>{html.escape(attribute.key)}</code> {html.escape(attribute.describe())}"
                + _problem_list(problems.get(attribute.uid, []))
            )
            row = w.HBox(
                [
                    text,
                    self.button("Edit", functools.partial(self._open_form, attribute), "pencil"),
                    self.button("Delete", functools.partial(self._delete_attribute, attribute), "trash"),
                ]
            )
            row.add_class("dlw-attribute-row")
            rows.append(row)
        self.replace_children(self._attribute_rows, rows or [w.HTML("<i>no attributes</i>")])

    def _using(self) -> list[Dataset]:
        """The datasets whose recipes use this ontology (looked up once, through its projects)."""
        if self._datasets is None:
            ontology = self.ontology
            project_ids = ontology.metadata.get("system", {}).get("projectIds") or []
            client = ontology.client
            self._datasets = [
                ds
                for pid in project_ids
                for ds in client.projects.get(project_id=pid).datasets.list()
                if any(ontology.id in r.ontology_ids for r in ds.recipes.list())
            ]
        return self._datasets

    def _on_upload(self, change: dict[str, Any]) -> None:
        contents = uploaded_contents(change["new"])
        if contents:
            self.import_json(contents[0])


class _LabelRow:
    """The widgets of one label: hotkey, name, colour, display name, move, add child, delete."""

    def __init__(self, editor: OntologyEditor, label: LabelDraft) -> None:
        self.label = label
        self.pending: tuple[list[str], int] | None = None
        draft = editor.draft
        edit = editor._label_edit
        self.hotkey = w.HTML(layout=w.Layout(width="22px"))
        self.name = w.Text(continuous_update=False, layout=w.Layout(width="160px"))
        self.name.observe(lambda c: edit(lambda: draft.rename(label, c["new"])), names="value")
        self.color = w.ColorPicker(concise=True, layout=w.Layout(width="40px"))
        self.color.observe(lambda c: edit(lambda: draft.recolor(label, c["new"])), names="value")
        self.display = w.Text(
            placeholder="display name", continuous_update=False, layout=w.Layout(width="160px")
        )
        self.display.observe(lambda c: edit(lambda: draft.set_display_label(label, c["new"])), names="value")
        self.path = w.HTML()
        self.problems = w.HTML()
        self.confirm_text = w.HTML()
        self.confirm = w.HBox(
            [
                self.confirm_text,
                button("Delete", lambda: editor._confirm_delete(self), "trash", button_style="danger"),
                button("Cancel", lambda: editor._cancel_delete(self), "times"),
            ],
            layout=w.Layout(display="none"),
        )
        small = {"layout": w.Layout(width="32px")}
        self.line = w.HBox(
            [
                self.hotkey,
                self.color,
                self.name,
                self.display,
                button("", lambda: edit(lambda: draft.move(label, -1)), "arrow-up", "Move up", **small),
                button("", lambda: edit(lambda: draft.move(label, 1)), "arrow-down", "Move down", **small),
                button("Child", lambda: editor._open_child(label), "plus", "Add a child label"),
                button("", lambda: editor._ask_delete(self), "trash", "Delete this label", **small),
                self.path,
            ]
        )
        self.box = w.VBox([self.line, self.problems, self.confirm])
        self.box.add_class("dlw-label-row")

    def show(self, tag: str, depth: int, hotkey: int | None, problems: list[str]) -> None:
        self.hotkey.value = f"<span class='dlw-hotkey'>{hotkey}</span>" if hotkey else ""
        self.name.value = self.label.name
        self.color.value = self.label.color if _is_hex(self.label.color) else "#000000"
        self.display.value = self.label.display_label
        self.path.value = (
            f"<span class='dlw-tag' style='color:#666'>{html.escape(tag)}</span>" if depth else ""
        )
        self.line.layout.margin = f"0 0 0 {24 * depth}px"
        self.problems.value = _problem_list(problems)

    def close(self) -> None:
        close_tree(self.box)


def _problem_list(messages: list[str]) -> str:
    if not messages:
        return ""
    items = "".join(f"<li>{html.escape(m)}</li>" for m in messages)
    return f"<ul class='dlw-problem' style='color:{ERROR_COLOR};margin:2px 0'>{items}</ul>"


def _key_from_title(title: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", title.strip().lower()).strip("_")


def _is_hex(color: str) -> bool:
    return bool(re.fullmatch(r"#[0-9a-f]{6}", color))


def _download_link(text: str, filename: str) -> str:
    import base64

    # An ontology is a few kilobytes: a data URL in a link is simpler than a custom message here.
    data = base64.b64encode(text.encode()).decode()
    return (
        f"<a class='dlw-download' download='{html.escape(filename)}' "
        f"href='data:application/json;base64,{data}'>download {html.escape(filename)}</a>"
    )


__all__ = ["OntologyEditor"]
