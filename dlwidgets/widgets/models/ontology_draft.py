"""``OntologyDraft``: an ontology's labels and attributes while a user edits them, before they are saved.

The draft holds a tree of ``LabelDraft`` (the platform's ``roots``) and a list of ``AttributeDraft``, each
remembering what it was called when loaded (``origin``), so renames are told apart from a delete plus an
add. It validates itself (``problems()``), describes itself against what was loaded (``changes()``),
converts to and from JSON, and saves through the API exactly as the tutorial's calls would: attributes
removed with ``delete_attributes``; labels that are only new with ``add_label`` (one call each, parents
first), any other label change (rename, recolour, display name, delete, reorder) as the whole tree with
``ontology.update()``; new and changed attributes with ``update_attributes``.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...api import AttributesTypes, Ontology, derive_display_label, normalize_color
from ...exceptions import Conflict
from .ontology_merge import Edited, children_of, comparable, label_nodes, label_values, merge_edits

HEX_COLOR = re.compile(r"^#[0-9a-f]{6}$")
HOTKEYS = 9  # the annotator gives the first nine labels, depth first, the keys 1-9
NEW_LABEL_FIELDS: dict[str, Any] = {"attributes": [], "displayData": {}}
_uids = itertools.count(1)
# A save reads the ontology, merges onto it and writes; this many tries when others keep saving between.
SAVE_ATTEMPTS = 3

KIND_NAMES = {
    AttributesTypes.YES_NO: "yes/no",
    AttributesTypes.RADIO_BUTTON: "radio",
    AttributesTypes.CHECKBOX: "checkbox",
    AttributesTypes.SLIDER: "slider",
    AttributesTypes.FREE_TEXT: "free text",
}


class InvalidDraft(ValueError):
    """Raised by ``OntologyDraft.save()`` when the draft has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


@dataclass(eq=False)
class LabelDraft:
    """One label: ``name`` is its own part of the tag (``wheel`` in ``car.wheel``)."""

    name: str
    color: str
    display_label: str
    children: list[LabelDraft] = field(default_factory=list)
    origin: str | None = None  # its tag when loaded; None for a new label
    extra: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(NEW_LABEL_FIELDS))
    uid: int = field(default_factory=lambda: next(_uids))


@dataclass(eq=False)
class AttributeDraft:
    """One attribute definition, as the form edits it; ``scope`` is ``['*']`` for all labels."""

    key: str
    title: str = ""
    kind: AttributesTypes = AttributesTypes.YES_NO
    values: list[str] = field(default_factory=list)
    scope: list[str] = field(default_factory=lambda: ["*"])
    required: bool = False
    min: float = 0
    max: float = 100
    step: float = 1
    origin: str | None = None  # its key when loaded; None for a new attribute
    uid: int = field(default_factory=lambda: next(_uids))

    @property
    def has_values(self) -> bool:
        return self.kind in (AttributesTypes.RADIO_BUTTON, AttributesTypes.CHECKBOX)

    @classmethod
    def from_platform(cls, data: Mapping[str, Any], origin: str | None = None) -> AttributeDraft:
        """From the platform's JSON (``metadata.attributes[i]``)."""
        kind_name = data.get("type")
        if kind_name == "options":
            kind = AttributesTypes.CHECKBOX if data.get("multi") else AttributesTypes.RADIO_BUTTON
        else:
            try:
                kind = AttributesTypes(kind_name)
            except ValueError:
                accepted = ["boolean", "options", "range", "freeText"]
                raise ValueError(
                    f"attribute {data.get('key')!r} has type {kind_name!r}; accepted types are {accepted}"
                ) from None
        rng = data.get("range") or {}
        scope = data.get("scope")
        return cls(
            key=str(data.get("key") or ""),
            title=str(data.get("title") or ""),
            kind=kind,
            values=[str(v) for v in data.get("values") or []],
            scope=[str(s) for s in scope] if isinstance(scope, list) else ["*"],
            required=data.get("optional") is False,
            min=rng.get("min", 0),
            max=rng.get("max", 100),
            step=rng.get("step", 1),
            origin=origin,
        )

    def update_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``ontology.update_attributes`` that save this attribute."""
        return {
            "key": self.key,
            "title": self.title or self.key,
            "attribute_type": self.kind,
            "values": list(self.values) if self.has_values else None,
            "scope": list(self.scope) or ["*"],
            "optional": not self.required,
            "attribute_range": (
                (_number(self.min), _number(self.max), _number(self.step))
                if self.kind == AttributesTypes.SLIDER
                else None
            ),
        }

    def to_platform(self) -> dict[str, Any]:
        """The JSON ``update_attributes`` stores for this attribute."""
        attr: dict[str, Any] = {
            "key": self.key,
            "title": self.title or self.key,
            "scope": self.scope or ["*"],
        }
        if self.has_values:
            attr.update(type="options", multi=self.kind == AttributesTypes.CHECKBOX, values=list(self.values))
        else:
            attr["type"] = self.kind.value
        if self.kind == AttributesTypes.SLIDER:
            attr["range"] = {"min": _number(self.min), "max": _number(self.max), "step": _number(self.step)}
        attr["optional"] = not self.required
        return attr

    def describe(self) -> str:
        """``radio: small, large; labels car`` (for lists and the change summary)."""
        parts = [KIND_NAMES[self.kind]]
        if self.has_values:
            parts[0] += ": " + ", ".join(self.values)
        if self.kind == AttributesTypes.SLIDER:
            parts[0] += f" {_number(self.min)} to {_number(self.max)} by {_number(self.step)}"
        parts.append("required" if self.required else "optional")
        parts.append("all labels" if "*" in self.scope else "labels " + ", ".join(self.scope))
        return "; ".join(parts)


@dataclass(frozen=True)
class Problem:
    """Something that keeps the draft from being saved, with what it is about (a label or attribute)."""

    subject: LabelDraft | AttributeDraft | None
    message: str


class OntologyDraft:
    """The editable labels and attributes of ``ontology``; nothing is written until ``save()``."""

    def __init__(self, ontology: Ontology) -> None:
        self.ontology = ontology
        self.roots: list[LabelDraft] = []
        self.attributes: list[AttributeDraft] = []
        self.reset()

    # -- loading ---------------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget every edit: the draft is the ontology as it was loaded (or last saved)."""
        self._base_roots = copy.deepcopy(self.ontology.roots)
        self._base_attributes = copy.deepcopy(self.ontology.metadata.get("attributes") or [])
        self.roots = _labels_from_roots(self._base_roots, "", set(_tags_of_roots(self._base_roots)))
        self.attributes = [AttributeDraft.from_platform(a, a.get("key")) for a in self._base_attributes]

    def reload(self) -> None:
        """Fetch the ontology again and start afresh from it."""
        self.ontology = _refetch(self.ontology)
        self.reset()

    # -- reading ---------------------------------------------------------------------------------
    def walk(self) -> Iterator[tuple[str, LabelDraft, int]]:
        """(tag, label, depth) for every label, depth first: the annotator's order."""

        def visit(labels: list[LabelDraft], prefix: str, depth: int) -> Iterator[tuple[str, LabelDraft, int]]:
            for label in labels:
                tag = prefix + label.name
                yield tag, label, depth
                yield from visit(label.children, tag + ".", depth + 1)

        return visit(self.roots, "", 0)

    def tags(self) -> list[str]:
        return [tag for tag, _, _ in self.walk()]

    def tag_of(self, label: LabelDraft) -> str:
        for tag, candidate, _ in self.walk():
            if candidate is label:
                return tag
        raise ValueError(f"label {label.name!r} is no longer in the draft")

    def label(self, ref: str | LabelDraft) -> LabelDraft:
        """A label by its tag (``'car.wheel'``), or the label itself if it is still in the draft."""
        for tag, label, _ in self.walk():
            if label is ref or tag == ref:
                return label
        name = ref if isinstance(ref, str) else ref.name
        raise ValueError(f"label {name!r} is not in the ontology; its labels are {self.tags()}")

    def hotkeys(self) -> dict[str, int]:
        """The number key each label gets in the annotator: 1-9 for the first nine, depth first."""
        return {tag: i + 1 for i, tag in enumerate(self.tags()[:HOTKEYS])}

    def attribute(self, ref: str | AttributeDraft) -> AttributeDraft:
        for attr in self.attributes:
            if attr is ref or attr.key == ref:
                return attr
        key = ref if isinstance(ref, str) else ref.key
        raise ValueError(
            f"attribute {key!r} is not in the ontology; its attributes are {[a.key for a in self.attributes]}"
        )

    def _siblings(self, tag: str) -> list[LabelDraft]:
        return self.roots if "." not in tag else self.label(tag.rsplit(".", 1)[0]).children

    # -- label edits -----------------------------------------------------------------------------
    def add_label(
        self, tag: str, color: str | tuple[int, int, int] | None = None, display_label: str | None = None
    ) -> LabelDraft:
        """Add a label at the end of its siblings; a child as ``'parent.child'`` (the parent must exist)."""
        tag = tag.strip()
        parent, _, name = tag.rpartition(".")
        siblings = self.label(parent).children if parent else self.roots
        label = LabelDraft(
            name=name,
            color=_color(color if color is not None else "#808080"),
            display_label=display_label or derive_display_label(name),
        )
        siblings.append(label)
        return label

    def rename(self, ref: str | LabelDraft, name: str) -> LabelDraft:
        """Give a label a new name (its own part of the tag); its children and the attributes scoped to
        it follow. A display name that was derived from the old name is derived from the new one."""
        label = self.label(ref)
        old_tag = self.tag_of(label)
        name = name.strip()
        if label.display_label == derive_display_label(label.name):
            label.display_label = derive_display_label(name)
        old_tags = [t for t, _, _ in self._subtree(label, old_tag)]
        label.name = name
        self._retag(label, old_tags)
        return label

    def reparent(self, ref: str | LabelDraft, parent: str | LabelDraft | None, index: int = -1) -> str:
        """Move a label, its children with it, under ``parent`` (None: to the top), at ``index`` among its
        new siblings (-1: last); the attributes scoped to it follow. Returns its new tag."""
        label = self.label(ref)
        old_tag = self.tag_of(label)
        new_parent = self.label(parent) if parent is not None else None
        old_tags = [t for t, _, _ in self._subtree(label, old_tag)]
        if new_parent is not None and any(d is new_parent for _, d, _ in self._subtree(label, old_tag)):
            where = self.tag_of(new_parent)
            raise ValueError(
                f"label {old_tag!r} cannot move under {where!r}, which is itself or one of its children; "
                "it can move under any other label, or to the top"
            )
        self._siblings(old_tag).remove(label)
        siblings = new_parent.children if new_parent is not None else self.roots
        siblings.insert(len(siblings) if index < 0 else min(index, len(siblings)), label)
        self._retag(label, old_tags)
        return self.tag_of(label)

    def _retag(self, label: LabelDraft, old_tags: list[str]) -> None:
        """The attributes scoped to ``label`` and its children (``old_tags`` before a rename or a move)
        follow them to their tags now."""
        new_tags = [t for t, _, _ in self._subtree(label, self.tag_of(label))]
        retagged = dict(zip(old_tags, new_tags, strict=True))
        for attr in self.attributes:
            attr.scope = [retagged.get(s, s) for s in attr.scope]

    def recolor(self, ref: str | LabelDraft, color: str | tuple[int, int, int]) -> LabelDraft:
        label = self.label(ref)
        label.color = _color(color)
        return label

    def set_display_label(self, ref: str | LabelDraft, display_label: str) -> LabelDraft:
        label = self.label(ref)
        label.display_label = display_label.strip() or derive_display_label(label.name)
        return label

    def delete_label(self, ref: str | LabelDraft) -> list[str]:
        """Remove a label and its children; returns their tags. Attributes scoped to them lose those tags,
        unless that would leave them scoped to nothing (then the problem is shown, for the user to choose)."""
        label = self.label(ref)
        tag = self.tag_of(label)
        removed = [t for t, _, _ in self._subtree(label, tag)]
        self._siblings(tag).remove(label)
        for attr in self.attributes:
            kept = [s for s in attr.scope if s not in removed]
            if kept:
                attr.scope = kept
        return removed

    def move(self, ref: str | LabelDraft, offset: int) -> int:
        """Move a label ``offset`` places among its siblings (negative: up); returns its new index."""
        label = self.label(ref)
        siblings = self._siblings(self.tag_of(label))
        index = siblings.index(label)
        target = max(0, min(len(siblings) - 1, index + offset))
        siblings.insert(target, siblings.pop(index))
        return target

    def _subtree(self, label: LabelDraft, tag: str) -> Iterator[tuple[str, LabelDraft, int]]:
        yield tag, label, 0
        for child in label.children:
            yield from self._subtree(child, f"{tag}.{child.name}")

    # -- attribute edits -------------------------------------------------------------------------
    def add_attribute(self, attribute: AttributeDraft) -> AttributeDraft:
        self.attributes.append(attribute)
        return attribute

    def replace_attribute(self, ref: str | AttributeDraft, attribute: AttributeDraft) -> AttributeDraft:
        """Put ``attribute`` where ``ref`` is; it keeps ``ref``'s origin, so a new key is a rename."""
        old = self.attribute(ref)
        attribute.origin = old.origin
        self.attributes[self.attributes.index(old)] = attribute
        return attribute

    def delete_attribute(self, ref: str | AttributeDraft) -> None:
        self.attributes.remove(self.attribute(ref))

    # -- validation ------------------------------------------------------------------------------
    def problems(self) -> list[Problem]:
        """Everything that keeps the draft from being saved; empty when it can be."""
        found: list[Problem] = []
        tags = self.tags()
        seen: set[str] = set()
        for tag, label, _ in self.walk():
            parent = tag.rpartition(".")[0]
            where = f" (a child of {parent!r})" if parent else ""
            if not label.name:
                found.append(Problem(label, f"a label{where} has no name; give it one"))
            elif "." in label.name:
                found.append(
                    Problem(label, f"label name {label.name!r}{where} cannot contain '.'; add a child label")
                )
            elif tag in seen:
                found.append(Problem(label, f"label {tag!r} appears twice; label names must be unique"))
            seen.add(tag)
            if not HEX_COLOR.match(label.color):
                found.append(
                    Problem(
                        label,
                        f"label {tag!r} has colour {label.color!r}; a colour is '#rrggbb', for example "
                        "'#ff0000'",
                    )
                )
        keys: set[str] = set()
        for attr in self.attributes:
            found += [Problem(attr, message) for message in attribute_problems(attr, tags, keys)]
            keys.add(attr.key)
        return found

    @property
    def is_valid(self) -> bool:
        return not self.problems()

    # -- differences from what was loaded ---------------------------------------------------------
    def to_roots(self) -> list[dict[str, Any]]:
        """The labels as the platform's ``roots`` tree."""

        def node(label: LabelDraft, prefix: str) -> dict[str, Any]:
            tag = prefix + label.name
            value = {**copy.deepcopy(label.extra), "tag": tag, "color": label.color}
            value["displayLabel"] = label.display_label
            return {"value": value, "children": [node(c, tag + ".") for c in label.children]}

        return [node(label, "") for label in self.roots]

    def _final_attributes(self) -> dict[str, dict[str, Any]]:
        return {a.key: a.to_platform() for a in self.attributes}

    def _attributes_json(self) -> list[dict[str, Any]]:
        """The attributes as the platform's JSON: those not edited exactly as they are stored."""
        stored = {a.get("key"): a for a in self._base_attributes}
        changed = {a.uid for a in self._changed_attributes()}
        return [
            copy.deepcopy(stored[a.key]) if a.uid not in changed else a.to_platform() for a in self.attributes
        ]

    def _changed_attributes(self) -> list[AttributeDraft]:
        """New attributes and those that differ from what is stored under their key."""
        base = {a.get("key"): AttributeDraft.from_platform(a).to_platform() for a in self._base_attributes}
        return [a for a in self.attributes if base.get(a.key) != a.to_platform()]

    @property
    def is_dirty(self) -> bool:
        return bool(self.changes())

    def changes(self, usage: Mapping[str, int] | None = None) -> list[str]:
        """What saving would change, one line each; ``usage`` (tag: annotations) adds counts to deletes."""
        usage = usage or {}
        lines: list[str] = []
        base = {t: v for t, v in label_values(self._base_roots)}
        kept: set[str] = set()
        for tag, label, _ in self.walk():
            if label.origin is None or label.origin not in base:
                lines.append(f"add label {tag!r} ({label.color})")
                continue
            kept.add(label.origin)
            before = base[label.origin]
            if tag != label.origin:
                lines.append(f"rename label {label.origin!r} to {tag!r}")
            if label.color != comparable(before)["color"]:
                lines.append(f"recolour label {tag!r} from {before.get('color')} to {label.color}")
            if label.display_label != (before.get("displayLabel") or derive_display_label(label.origin)):
                lines.append(
                    f"display name of {tag!r}: {before.get('displayLabel')!r} to {label.display_label!r}"
                )
        for tag in base:
            if tag not in kept:
                count = usage.get(tag)
                used = (
                    f" (used by {count} annotation{'s' if count != 1 else ''})" if count is not None else ""
                )
                lines.append(f"delete label {tag!r}{used}")
        lines += self._reorders(kept)
        base_keys = [a.get("key") for a in self._base_attributes]
        changed = {a.uid for a in self._changed_attributes()}
        for attr in self.attributes:
            if attr.origin is None or attr.origin not in base_keys:
                lines.append(f"add attribute {attr.key!r} ({attr.describe()})")
            elif attr.key != attr.origin:
                lines.append(f"rename attribute {attr.origin!r} to {attr.key!r} ({attr.describe()})")
            elif attr.uid in changed:
                lines.append(f"change attribute {attr.key!r} ({attr.describe()})")
        origins = {a.origin for a in self.attributes}
        lines += [f"delete attribute {key!r}" for key in base_keys if key not in origins]
        return lines

    def _reorders(self, kept: set[str]) -> list[str]:
        """One line per parent whose surviving children are now in another order."""
        lines = []
        draft_order: dict[str | None, list[str]] = {}
        for _tag, label, _ in self.walk():
            if label.origin in kept:
                parent = label.origin.rpartition(".")[0] or None
                draft_order.setdefault(parent, []).append(label.origin)
        base_order: dict[str | None, list[str]] = {}
        for tag, _ in label_values(self._base_roots):
            if tag in kept:
                base_order.setdefault(tag.rpartition(".")[0] or None, []).append(tag)
        for parent, order in base_order.items():
            if draft_order.get(parent) != order:
                lines.append(f"reorder the labels under {parent!r}" if parent else "reorder the top labels")
        return lines

    # -- JSON ------------------------------------------------------------------------------------
    def to_json(self) -> str:
        """The draft as JSON in the platform's shape: ``{"title", "roots", "metadata": {"attributes"}}``."""
        body = {
            "title": self.ontology.title,
            "roots": self.to_roots(),
            "metadata": {"attributes": self._attributes_json()},
        }
        return json.dumps(body, indent=2)

    def load_json(self, text: str | bytes) -> None:
        """Replace the draft's labels and attributes with those of an exported ontology (nothing is saved).
        Labels and attributes are matched to the stored ones by tag and key."""
        try:
            body = json.loads(text)
        except ValueError as error:
            raise ValueError(f"that is not JSON: {error}") from None
        if not isinstance(body, dict) or not isinstance(body.get("roots", []), list):
            raise ValueError("an ontology's JSON is an object with 'roots' (the labels) and 'metadata'")
        metadata = body.get("metadata") or {}
        attributes = (
            metadata.get("attributes", body.get("attributes", [])) if isinstance(metadata, dict) else []
        )
        if not isinstance(attributes, list) or not all(isinstance(a, dict) for a in attributes):
            raise ValueError("'metadata.attributes' must be a list of attribute objects")
        roots = body.get("roots") or []
        _check_roots_shape(roots)
        base_keys = {a.get("key") for a in self._base_attributes}
        parsed = [
            AttributeDraft.from_platform(a, a.get("key") if a.get("key") in base_keys else None)
            for a in attributes
        ]
        self.roots = _labels_from_roots(roots, "", set(_tags_of_roots(self._base_roots)))
        self.attributes = parsed

    # -- saving ----------------------------------------------------------------------------------
    def save(self) -> list[str]:
        """Write the draft's changes through the API; returns them. The ontology is read again and the
        changes are put onto it (``merge_edits``), so what others saved since the draft was loaded stays;
        where they changed what the draft changes, ``Conflict`` (nothing written, the draft kept).
        ``InvalidDraft`` (nothing written) if the draft has problems."""
        problems = self.problems()
        if problems:
            raise InvalidDraft(problems)
        changes = self.changes()
        for attempt in range(SAVE_ATTEMPTS):
            stored = _refetch(self.ontology)
            merged = merge_edits(
                Edited(self._base_roots, self._base_attributes),
                Edited(stored.roots, stored.metadata.get("attributes") or []),
                Edited(self.to_roots(), self._attributes_json()),
                {tag: label.origin for tag, label, _ in self.walk()},
                [a.origin for a in self.attributes],
                _same_attribute,
            )
            try:
                self.ontology = self._write(stored, merged)
                break
            except Conflict:
                # Only a whole-ontology write is refused so: another save came between reading and
                # writing. Read again and merge onto that.
                if attempt == SAVE_ATTEMPTS - 1:
                    raise
        self.reset()
        return changes

    def _write(self, stored: Ontology, merged: Edited) -> Ontology:
        """Send the difference between ``stored`` and ``merged``: new and changed labels and attributes as
        the tutorial's calls would, one each; any removed, renamed or reordered label as the whole
        ontology with ``ontology.update()``, which the server checks against the version read."""
        patch = _label_patch(stored.roots, merged.roots)
        if patch is None:
            stored.roots = merged.roots
            stored.metadata = {**stored.metadata, "attributes": merged.attributes}
            return stored.update()
        added, changed = patch
        final = {a.get("key") for a in merged.attributes}
        removed = [a.get("key") for a in stored.metadata.get("attributes") or [] if a.get("key") not in final]
        if removed:
            stored.delete_attributes(keys=removed)
        for value in added:
            stored.add_label(
                label_name=value["tag"], color=value["color"], display_label=value["displayLabel"]
            )
        for value in changed:
            stored.update_label(
                label_name=value["tag"], color=value["color"], display_label=value["displayLabel"]
            )
        for attr in self._changed_attributes():
            stored.update_attributes(**attr.update_arguments())
        return stored


# -- helpers ---------------------------------------------------------------------------------------
def _number(value: float) -> float:
    """Whole numbers as ints, so a slider saved from the form stores ``{"min": 0}``, not ``0.0``."""
    number = float(value)
    return int(number) if number.is_integer() else number


def _color(color: Any) -> str:
    """``#rrggbb`` when ``color`` is one; otherwise the text as given, for validation to report."""
    try:
        return normalize_color(color)
    except ValueError:
        return str(color)


def _refetch(ontology: Ontology) -> Ontology:
    return ontology.client.ontologies.get(ontology.id)


def _tags_of_roots(roots: list[dict[str, Any]]) -> Iterator[str]:
    return (tag for tag, _ in label_values(roots))


def _labels_from_roots(roots: list[dict[str, Any]], prefix: str, known: set[str]) -> list[LabelDraft]:
    labels = []
    for node in roots:
        value = dict(node.get("value") or {})
        tag = str(value.pop("tag", ""))
        name = tag[len(prefix) :] if prefix and tag.startswith(prefix) else tag
        color = value.pop("color", "#808080")
        display = value.pop("displayLabel", None) or derive_display_label(name)
        label = LabelDraft(
            name=name,
            color=_color(color),
            display_label=str(display),
            origin=tag if tag in known else None,
            extra=value,
        )
        label.children = _labels_from_roots(node.get("children") or [], tag + ".", known)
        labels.append(label)
    return labels


def _check_roots_shape(roots: list[Any]) -> None:
    for node in roots:
        value = node.get("value") if isinstance(node, dict) else None
        if not isinstance(value, dict) or not isinstance(value.get("tag"), str):
            raise ValueError(
                f"each label in 'roots' is {{'value': {{'tag', 'color'}}, 'children'}}, got {node!r}"
            )
        children = node.get("children") or []
        if not isinstance(children, list):
            raise ValueError(f"label {value['tag']!r} has 'children' that are not a list")
        _check_roots_shape(children)


def _label_patch(
    stored: list[dict[str, Any]], roots: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    """(new labels' values, parents first; changed labels' values) when ``roots`` is ``stored`` with those
    changed and the new ones appended to their siblings, as ``add_label`` and ``update_label`` would
    leave it; None when a label was removed, renamed or moved."""
    before = {t: comparable(v) for t, v in label_values(stored)}
    after = dict(label_values(roots))
    if before.keys() - after.keys():
        return None
    changed = [dict(v) for t, v in after.items() if t in before and comparable(v) != before[t]]
    added = [dict(v) for t, v in after.items() if t not in before]
    simulated = copy.deepcopy(stored)
    for value in changed:
        for _, node in label_nodes(simulated):
            if node["value"]["tag"] == value["tag"]:
                node["value"] = {**node["value"], **value}
    for value in sorted(added, key=lambda v: v["tag"].count(".")):
        parent, _, _ = value["tag"].rpartition(".")
        siblings = simulated if not parent else children_of(simulated, parent)
        if siblings is None or set(value) - {"tag", "color", "displayLabel", *NEW_LABEL_FIELDS}:
            return None
        siblings.append({"value": {**copy.deepcopy(NEW_LABEL_FIELDS), **value}, "children": []})
    return (added, changed) if _shape(simulated) == _shape(roots) else None


def _shape(roots: list[dict[str, Any]]) -> list[Any]:
    """A roots tree as nested (tag, comparable value, children), for comparing trees."""
    return [
        (node["value"].get("tag"), comparable(node["value"]), _shape(node.get("children") or []))
        for node in roots
    ]


def _same_attribute(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two attributes' JSON save as the same attribute."""
    try:
        return AttributeDraft.from_platform(a).to_platform() == AttributeDraft.from_platform(b).to_platform()
    except ValueError:
        return a == b


def attribute_problems(attr: AttributeDraft, tags: list[str], earlier_keys: set[str]) -> Iterator[str]:
    """What is wrong with one attribute, given the label tags and the keys of the other attributes."""
    name = repr(attr.key) if attr.key.strip() else f"titled {attr.title!r}" if attr.title else "(no key)"
    if not attr.key.strip():
        yield f"attribute {name} has no key; give it one (the name stored on each annotation)"
    elif attr.key in earlier_keys:
        yield f"attribute key {attr.key!r} is used twice; keys must be unique"
    if attr.has_values:
        if not [v for v in attr.values if v.strip()]:
            yield f"{KIND_NAMES[attr.kind]} attribute {name} needs at least one value"
        repeated = sorted({v for v in attr.values if attr.values.count(v) > 1})
        if repeated:
            yield f"attribute {name} repeats the values {repeated}"
    if attr.kind == AttributesTypes.SLIDER:
        if attr.min >= attr.max:
            yield f"slider attribute {name} has min {_number(attr.min)} >= max {_number(attr.max)}"
        if attr.step <= 0:
            yield f"slider attribute {name} has step {_number(attr.step)}; a step is more than 0"
    if not attr.scope:
        yield f"attribute {name} applies to no label; choose labels, or all labels"
    unknown = [s for s in attr.scope if s != "*" and s not in tags]
    if unknown:
        yield f"attribute {name} is scoped to {unknown}, not in the ontology; its labels are {tags}"
