"""``OntologyEditor``: edit the labels and attributes annotators use, then save them through the API.

A thin view over ``OntologyDraft`` (``models/ontology_draft.py``), which holds the edits, validates them,
lists the changes and saves them. The labels and attributes are one anywidget (``OntologyLists``) holding
the rows as data, so the editor costs the same few widget models for 3 labels or 3,000; its messages
become draft edits here. The attribute form and the JSON box are made the first time they are opened.
Every name is shown as text, or escaped where it goes into HTML.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, cast

import ipywidgets as w

from ..api import AttributesTypes, Dataset, Filters, FiltersResource, Ontology
from ..exceptions import PlatformError
from .base import ERROR_COLOR, MUTED_COLOR, WidgetBase
from .compat import uploaded_contents
from .models.ontology_draft import (
    KIND_NAMES,
    AttributeDraft,
    InvalidDraft,
    LabelDraft,
    OntologyDraft,
    attribute_problems,
)
from .ontology_lists import ListMessage, OntologyLists, attribute_rows, label_rows

ALL_LABELS, CHOSEN_LABELS = "all labels", "chosen labels"


def annotations_per_label(datasets: Iterable[Dataset]) -> dict[str, int]:
    """How many annotations carry each label, over ``datasets``: one walk of their annotations' pages
    (the dataset query dtlpy pages with), not one query per label."""
    counts: Counter[str] = Counter()
    for dataset in datasets:
        for page in dataset.annotations.pages_json(Filters(resource=FiltersResource.ANNOTATION)):
            counts.update(str(annotation.get("label")) for annotation in page)
    return dict(counts)


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
        self._pending: tuple[LabelDraft, list[str], int] | None = None  # the delete being asked about
        self._editing: AttributeDraft | None = None  # the attribute the form edits (None: a new one)
        self._key_is_auto = True
        self._form: w.VBox | None = None
        self._json_box: w.VBox | None = None
        self.lists = OntologyLists(on_message=self._on_list_message)
        self._title = self.shared.html()
        self._problems = self.shared.html()
        self._problems.add_class("dlw-problems")
        self._changes = self.shared.html()
        self._changes.add_class("dlw-changes")
        self._save_button = self.button("Save", self.save, "save", button_style="primary")
        self._save_button.add_class("dlw-save")
        self._discard_button = self.button("Discard changes", self.discard, "undo")
        self._json_button = self.button("Import / export JSON", self.toggle_json, "exchange")
        self._actions = self.shared.hbox(self._save_button, self._discard_button, self._json_button)
        self.status_line.layout = self.shared.layout(min_height="24px")
        self._compose()
        self.add_class("dlw-ontology-editor")
        self._refresh()

    # -- public surface ---------------------------------------------------------------------------
    @property
    def ontology(self) -> Ontology:
        """The ontology as last loaded or saved."""
        return self.draft.ontology

    @property
    def ontology_name(self) -> str:
        """The ontology's title; a default ontology, titled by its id, is named after its dataset."""
        title = self.ontology.title
        if title and title != self.ontology.id:
            return title
        return f"{self._datasets[0].name} ontology" if self._datasets else "untitled ontology"

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
        self._cancel_delete()
        self._close_form()
        self._refresh()
        self.notice("changes discarded")

    def export_json(self) -> str:
        """The draft as JSON (also put in the JSON box, with a link to download it)."""
        text = self.draft.to_json()
        self._json_widgets().layout.display = ""
        self._json_text.value = text
        self._download.value = _download_link(text, f"{self.ontology_name}.json")
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
        self._cancel_delete()
        self._close_form()
        self._refresh()
        self.notice("imported; review the changes, then Save")
        return True

    def count_annotations(self, tags: list[str]) -> int:
        """How many annotations, in the datasets that use this ontology, have one of ``tags``."""
        filters = Filters(resource=FiltersResource.ANNOTATION, field="label", values=list(tags))
        return sum(ds.items.list(filters=filters, page_size=1).items_count for ds in self._using())

    def annotation_counts(self) -> dict[str, int]:
        """Annotations per label tag, in the datasets that use this ontology, as the list shows them:
        counted once, when the list is first shown (it asks, so the editor shows before the count)."""
        if self.lists.counts is None:
            self.lists.counts = annotations_per_label(self._using())
        return dict(self.lists.counts)

    # -- building ---------------------------------------------------------------------------------
    def _compose(self) -> None:
        """The children: the attribute form and the JSON box only once they have been made."""
        parts: list[w.Widget | None] = [
            self._title,
            self.lists,
            self._form,
            self._problems,
            self._changes,
            self._actions,
            self._json_box,
            self.status_line,
        ]
        self.children = [p for p in parts if p is not None]

    def toggle_json(self) -> None:
        """Show (made the first time) or hide the box to paste, import and export JSON."""
        box = self._json_widgets()
        box.layout.display = "none" if box.layout.display != "none" else ""

    def _json_widgets(self) -> w.VBox:
        if self._json_box is not None:
            return self._json_box
        self._json_text = w.Textarea(
            placeholder="paste an exported ontology's JSON here, then Import",
            layout=w.Layout(width="520px", height="120px"),
        )
        self._upload = w.FileUpload(
            accept=".json,application/json", multiple=False, description="Import file"
        )
        self._upload.observe(self._on_upload, names="value")
        self._download = w.HTML()
        self._json_box = w.VBox(
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
            ],
            layout=w.Layout(border="1px solid var(--jp-border-color2, GrayText)", padding="6px"),
        )
        self._json_box.add_class("dlw-json-box")
        self._compose()
        return self._json_box

    def _build_form(self) -> w.VBox:
        if self._form is not None:
            return self._form

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
            layout=w.Layout(border="1px solid var(--jp-border-color2, GrayText)", padding="6px"),
        )
        self._form.add_class("dlw-attribute-form")
        self._compose()
        return self._form

    # -- label edits ------------------------------------------------------------------------------
    def add_label(
        self, tag: str | None = None, color: str | None = None, display_label: str | None = None
    ) -> LabelDraft | None:
        """Add a label to the draft (from the "new label" fields when called without a ``tag``)."""
        from_form = tag is None
        tag = (self.lists.new_label if tag is None else tag).strip()
        try:
            label = self.draft.add_label(
                tag, color or (self.lists.new_color if from_form else None), display_label
            )
        except ValueError as error:
            self.error(str(error))
            return None
        if from_form:
            self.lists.new_label = ""
        self.clear_status()
        self._refresh()
        return label

    def _on_list_message(self, message: ListMessage) -> None:
        """One edit from the lists in the browser, applied to the draft; what it refuses is shown."""
        self.attempt(lambda: self._apply(message), clear=False)
        self._refresh()

    def _apply(self, sent: ListMessage) -> None:
        message = cast("dict[str, Any]", sent)  # from the browser: read defensively, key by key
        kind = message.get("type")
        if kind == "count":
            self.annotation_counts()
        elif kind == "add":
            self.lists.new_label = str(message.get("tag", self.lists.new_label))
            self.lists.new_color = str(message.get("color", self.lists.new_color))
            self.add_label()
        elif kind == "new-attribute":
            self._open_form(None)
        elif kind == "cancel":
            self._cancel_delete()
        elif kind == "confirm":
            self._confirm_delete()
        elif kind in ("edit-attribute", "delete-attribute"):
            attribute = self._attribute_by_uid(message.get("uid"))
            if kind == "edit-attribute":
                self._open_form(attribute)
            else:
                self._delete_attribute(attribute)
        elif kind in ("edit", "move", "nest", "delete"):
            label = self._label_by_uid(message.get("uid"))
            if kind == "move":
                self.draft.move(label, int(message.get("offset", 0)))
            elif kind == "nest":
                parent = message.get("parent") or 0
                under = self._label_by_uid(parent) if parent else None
                self.draft.reparent(label, under, int(message.get("index", -1)))
            elif kind == "delete":
                self._ask_delete(label)
            else:
                self._edit_label(label, message.get("field"), str(message.get("value", "")))

    def _edit_label(self, label: LabelDraft, field: str | None, value: str) -> None:
        edits: dict[str | None, Callable[[LabelDraft, str], Any]] = {
            "name": self.draft.rename,
            "color": self.draft.recolor,
            "display": self.draft.set_display_label,
        }
        if field not in edits:
            raise ValueError(f"a label's field is one of {list(edits)[:3]}, got {field!r}")
        edits[field](label, value)

    def _label_by_uid(self, uid: object) -> LabelDraft:
        for _, label, _ in self.draft.walk():
            if label.uid == uid:
                return label
        raise ValueError("that label is no longer in the draft (it was deleted or the draft reloaded)")

    def _attribute_by_uid(self, uid: object) -> AttributeDraft:
        for attribute in self.draft.attributes:
            if attribute.uid == uid:
                return attribute
        raise ValueError("that attribute is no longer in the draft (it was deleted or the draft reloaded)")

    def _ask_delete(self, label: LabelDraft) -> None:
        """Say how many annotations use the label (and its children) before deleting it."""
        tag = self.draft.tag_of(label)
        tags = [t for t in self.draft.tags() if t == tag or t.startswith(tag + ".")]
        try:
            count = self.count_annotations(tags)
        except PlatformError as error:
            self.error(f"could not count the annotations of {tag!r}: {error.message}")
            return
        self._pending = (label, tags, count)
        children = len(tags) - 1
        what = f"{tag!r}" + (
            f" and its {children} child label{'s' if children != 1 else ''}" if children else ""
        )
        noun = "annotation uses" if count == 1 else "annotations use"
        self.lists.confirm = {
            "uid": label.uid,
            "text": f"{count} {noun} {what}. "
            "Delete removes the label from the ontology; the annotations keep their label name.",
        }

    def _confirm_delete(self) -> None:
        if self._pending is None:
            return
        label, tags, count = self._pending
        self._cancel_delete()
        self._usage[tags[0]] = count
        self.draft.delete_label(label)

    def _cancel_delete(self) -> None:
        self._pending = None
        self.lists.confirm = {}

    # -- attribute form ---------------------------------------------------------------------------
    def _open_form(self, attribute: AttributeDraft | None) -> None:
        form = self._build_form()
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
        form.layout.display = ""
        self._on_form_changed()

    def _close_form(self) -> None:
        self._editing = None
        if self._form is not None:
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
        untouched = self._editing is None and not (self._form_title.value or self._form_key.value).strip()
        found = attribute_problems(self._form_attribute(), self.draft.tags(), others)
        self._form_problems.value = _problem_list([] if untouched else list(found))

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
        self._title.value = f"<b>Ontology</b> {html.escape(self.ontology_name)}"
        self._refresh_labels(by_subject)
        self._refresh_attributes(by_subject)
        self._problems.value = _problem_list([p.message for p in problems])
        changes = self.changes
        if changes:
            items = "".join(f"<li>{html.escape(c)}</li>" for c in changes)
            self._changes.value = f"<b>Changes to save ({len(changes)})</b><ul>{items}</ul>"
        else:
            self._changes.value = f"<span style='color:{MUTED_COLOR}'>no unsaved changes</span>"
        self._save_button.disabled = bool(problems) or not changes
        self._save_button.tooltip = "fix the problems first" if problems else "write the changes"
        self._discard_button.disabled = not changes

    def _refresh_labels(self, problems: dict[int, list[str]]) -> None:
        self.lists.show_labels(label_rows(self.draft, problems))

    def _refresh_attributes(self, problems: dict[int, list[str]]) -> None:
        self.lists.attributes = cast("list[dict[str, Any]]", attribute_rows(self.draft, problems))

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


def _problem_list(messages: list[str]) -> str:
    if not messages:
        return ""
    items = "".join(f"<li>{html.escape(m)}</li>" for m in messages)
    return f"<ul class='dlw-problem' style='color:{ERROR_COLOR};margin:2px 0'>{items}</ul>"


def _key_from_title(title: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", title.strip().lower()).strip("_")


def _download_link(text: str, filename: str) -> str:
    import base64

    # An ontology is a few kilobytes: a data URL in a link is simpler than a custom message here.
    data = base64.b64encode(text.encode()).decode()
    return (
        f"<a class='dlw-download' download='{html.escape(filename)}' "
        f"href='data:application/json;base64,{data}'>download {html.escape(filename)}</a>"
    )


__all__ = ["OntologyEditor"]
