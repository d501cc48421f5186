"""``Ontology`` with its ``Label`` tree and ``Attribute`` definitions, and ``AttributesTypes``.

The platform stores labels as ``roots``: a tree of ``{"value": {tag, color, ...}, "children": [...]}``;
attributes live in ``metadata.attributes``. ``ontology.labels`` and ``ontology.attributes`` are views
built from those, so the JSON stays the single source of truth.
"""

from __future__ import annotations

import os
import re
import uuid
from enum import Enum
from typing import Any, ClassVar

from pydantic import Field

from .base import Entity, format_table


class AttributesTypes(str, Enum):
    """The five attribute kinds the tutorial names, valued as the SDK names them."""

    YES_NO = "boolean"
    RADIO_BUTTON = "radio_button"
    CHECKBOX = "checkbox"
    SLIDER = "range"
    FREE_TEXT = "freeText"


_COLOR_NAMES = {
    "red": "#ff0000",
    "green": "#00ff00",
    "blue": "#0000ff",
    "yellow": "#ffff00",
    "black": "#000000",
}
_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")


def normalize_color(color: str | tuple[int, int, int] | list[int] | None) -> str:
    """``'#rrggbb'`` from a hex string, an (r, g, b) tuple or a basic colour name."""
    if color is None:
        return "#808080"
    if isinstance(color, (tuple, list)):
        if len(color) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in color):
            raise ValueError(f"colour {color!r} must be three whole numbers from 0 to 255")
        return "#{:02x}{:02x}{:02x}".format(*color)
    if isinstance(color, str):
        named = _COLOR_NAMES.get(color.lower())
        if named:
            return named
        match = _HEX.match(color.strip())
        if match:
            return "#" + match.group(1).lower()
    raise ValueError(
        f"colour {color!r} is not '#rrggbb', an (r, g, b) tuple or one of {sorted(_COLOR_NAMES)}"
    )


def derive_display_label(tag: str) -> str:
    """The SDK's derived display name: ``snake_case`` becomes ``Snake Case``, first letter upper-cased."""
    last = tag.split(".")[-1]
    return (
        " ".join(w[:1].upper() + w[1:] for w in last.split("_"))
        if "_" in last
        else last[:1].upper() + last[1:]
    )


class Label(Entity):
    """One label of an ontology; ``children`` holds nested labels (``parent.child``)."""

    TABLE: ClassVar[tuple[str, ...]] = ("tag", "display_label", "color", "children_tags")

    tag: str
    color: str = "#808080"
    display_label: str | None = None
    attributes: list[Any] = Field(default_factory=list)
    display_data: dict[str, Any] = Field(default_factory=dict)
    children: list[Label] = Field(default_factory=list, exclude=True)

    @property
    def children_tags(self) -> str:
        return ", ".join(child.tag for child in self.children)

    @classmethod
    def from_root(cls, node: dict[str, Any]) -> Label:
        label = cls.model_validate(node.get("value", {}))
        label.children = [cls.from_root(child) for child in node.get("children") or []]
        return label


class Attribute(Entity):
    """An attribute definition: its ``type`` is ``boolean``, ``options``, ``range`` or ``freeText``."""

    TABLE: ClassVar[tuple[str, ...]] = ("key", "title", "type", "values", "scope")

    key: str
    title: str | None = None
    type: str
    values: list[str] | None = None
    multi: bool | None = None
    scope: list[str] = Field(default_factory=lambda: ["*"])
    optional: bool | None = None
    range: dict[str, float] | None = None

    def applies_to(self, tag: str) -> bool:
        return "*" in self.scope or tag in self.scope


class Ontology(Entity):
    """An ontology, as ``GET /ontologies/{id}`` returns it."""

    TABLE: ClassVar[tuple[str, ...]] = ("id", "title", "label_count")

    id: str
    title: str | None = None
    roots: list[dict[str, Any]] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    creator: str | None = None

    @property
    def labels(self) -> list[Label]:
        return [Label.from_root(node) for node in self.roots]

    @property
    def label_count(self) -> int:
        return len(self.tags())

    def tags(self) -> list[str]:
        """Every label tag, depth first, children as ``parent.child``."""

        def walk(labels: list[Label]) -> list[str]:
            return [t for label in labels for t in (label.tag, *walk(label.children))]

        return walk(self.labels)

    @property
    def attributes(self) -> list[Attribute]:
        return [Attribute.model_validate(a) for a in self.metadata.get("attributes", [])]

    def _replace(self, body: dict[str, Any]) -> Ontology:
        fresh = Ontology.from_json(body, self.client)
        self.roots, self.metadata = fresh.roots, fresh.metadata
        return self

    def add_label(
        self,
        label_name: str,
        color: str | tuple[int, int, int] | None = None,
        display_label: str | None = None,
        icon_path: str | os.PathLike[str] | None = None,
        **extra: Any,
    ) -> Label:
        """Add (or replace) a label and save it at once; nested labels as ``'parent.child'``. An
        ``icon_path`` image is uploaded to the project's Binaries dataset and shown for the label."""
        node = {
            "tag": label_name,
            "color": normalize_color(color),
            "displayLabel": display_label or derive_display_label(label_name),
            "attributes": [],
            "displayData": {} if icon_path is None else self._icon(icon_path),
            **extra,
        }
        return self._send_label(node, upsert=True)

    def update_label(
        self,
        label_name: str,
        color: str | tuple[int, int, int] | None = None,
        display_label: str | None = None,
        upsert: bool = False,
        **extra: Any,
    ) -> Label:
        """Change a stored label's colour, display name or other fields and save it at once; the fields
        not given keep their stored values. Unless ``upsert``, a label that is not stored is ``NotFound``."""
        node: dict[str, Any] = {"tag": label_name, **extra}
        if color is not None:
            node["color"] = normalize_color(color)
        if display_label is not None:
            node["displayLabel"] = display_label
        return self._send_label(node, upsert=upsert)

    def _send_label(self, node: dict[str, Any], upsert: bool) -> Label:
        """One label change, as the platform's ``PATCH .../labels`` (dtlpy's add and update modes)."""
        body = self.client.json(
            "PATCH", f"/ontologies/{self.id}/labels", json={"labelsNode": [node], "upsert": upsert}
        )
        self._replace(body)
        return next(label for label in self._walk() if label.tag == node["tag"])

    def _icon(self, icon_path: str | os.PathLike[str]) -> dict[str, Any]:
        """Upload a label icon where the platform keeps them; returns the label's ``displayData``."""
        from ..repositories.projects import Projects

        project_id = (self.metadata.get("system", {}).get("projectIds") or [None])[0]
        if project_id is None:
            raise ValueError(f"ontology {self.id!r} belongs to no project, so a label icon has nowhere to go")
        binaries = Projects(self.client).get(project_id=project_id).datasets._get_binaries_dataset()
        icon = binaries.items.upload(
            local_path=icon_path,
            remote_path=f"/.dataloop/ontologies/{self.id}/labelDisplayImages/",
            remote_name=f"{uuid.uuid4().hex}-{os.path.basename(icon_path)}",
        )
        assert not isinstance(icon, list)
        return {"displayImage": {"itemId": icon.id, "datasetId": icon.dataset_id}}

    def add_labels(self, label_list: list[str | dict[str, Any]]) -> list[Label]:
        """Add several labels, given as names or ``{'label_name', 'color'}`` dicts."""
        return [
            self.add_label(item) if isinstance(item, str) else self.add_label(**item) for item in label_list
        ]

    def _walk(self) -> list[Label]:
        def walk(labels: list[Label]) -> list[Label]:
            return [x for label in labels for x in (label, *walk(label.children))]

        return walk(self.labels)

    def update(self, system_metadata: bool = False) -> Ontology:
        """Save labels, attributes and title as they are on this object. It replaces the stored ontology,
        so a copy read before someone else changed it is refused as a ``Conflict`` naming the changes."""
        params = {"system": "true"} if system_metadata else None
        body = self.client.json("PUT", f"/ontologies/{self.id}", json=self.to_json(), params=params)
        return self._replace(body)

    def update_attributes(
        self,
        key: str,
        title: str,
        attribute_type: AttributesTypes | str,
        values: list[str] | None = None,
        scope: list[str] | str | None = None,
        optional: bool | None = None,
        attribute_range: tuple[float, float, float] | dict[str, float] | None = None,
    ) -> bool:
        """Add or replace one attribute (the SDK's signature); ``scope`` is label tags, default all."""
        kind = AttributesTypes(attribute_type)
        attr: dict[str, Any] = {"key": key, "title": title, "scope": _as_list(scope) or ["*"]}
        if kind in (AttributesTypes.RADIO_BUTTON, AttributesTypes.CHECKBOX):
            attr.update(type="options", multi=kind == AttributesTypes.CHECKBOX, values=list(values or []))
        else:
            attr["type"] = kind.value
        if kind == AttributesTypes.SLIDER:
            if attribute_range is None:
                raise ValueError(f"slider attribute {key!r} needs attribute_range=(min, max, step)")
            rng = (
                attribute_range
                if isinstance(attribute_range, dict)
                else dict(zip(("min", "max", "step"), attribute_range, strict=False))
            )
            attr["range"] = rng
        if optional is not None:
            attr["optional"] = optional
        body = self.client.json(
            "PATCH", f"/ontologies/{self.id}/attributes", json={"items": [attr], "upsert": True}
        )
        self._replace(body)
        return True

    def delete_attributes(self, keys: list[str]) -> bool:
        body = self.client.json("DELETE", f"/ontologies/{self.id}/attributes", json={"keys": keys})
        self._replace(body)
        return True

    def print(self) -> None:
        """Print the labels (with their attributes) as a table."""
        print(f"Ontology {self.title!r} ({self.id}): {self.label_count} labels")
        print(format_table(self._walk()))
        if self.attributes:
            print()
            print(format_table(self.attributes))


def _as_list(scope: list[str] | str | None) -> list[str]:
    if scope is None:
        return []
    return [scope] if isinstance(scope, str) else list(scope)
