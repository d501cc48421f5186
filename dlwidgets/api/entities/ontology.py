"""``Ontology`` with its ``Label`` tree and ``Attribute`` definitions, and ``AttributesTypes``.

The platform stores labels as ``roots``: a tree of ``{"value": {tag, color, ...}, "children": [...]}``
in which a node's tag is its own name (``wheel`` under ``car``), while annotations, attribute scopes and
``labelsNode`` name a label by its path (``car.wheel``). ``Ontology.roots`` holds each node's path as its
tag, so the tree can be searched by the names everything else uses; ``to_json`` gives own names back.
Attributes live in ``metadata.attributes``. ``ontology.labels`` and ``ontology.attributes`` are views
built from those, so the JSON stays the single source of truth.
"""

from __future__ import annotations

import os
import random
import re
import uuid
from enum import Enum
from typing import Any, ClassVar, TypeAlias

from pydantic import Field, PrivateAttr, field_validator

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


def random_color() -> tuple[int, int, int]:
    """A colour for a label added without one, as dtlpy's ``add_label`` picks it: three draws from
    Python's ``random`` (so a seeded run picks the same colours with either SDK)."""
    return random.randint(0, 255), random.randint(0, 255), random.randint(0, 255)


def _rgb(channels: Any) -> tuple[int, int, int]:
    red, green, blue = channels
    return red, green, blue


def derive_display_label(tag: str) -> str:
    """The SDK's derived display name: ``snake_case`` becomes ``Snake Case``, first letter upper-cased."""
    last = tag.split(".")[-1]
    return (
        " ".join(w[:1].upper() + w[1:] for w in last.split("_"))
        if "_" in last
        else last[:1].upper() + last[1:]
    )


class AttributesRange:
    """A slider attribute's range, as dtlpy's ``dl.AttributesRange(min_range, max_range, step)``."""

    def __init__(self, min_range: float, max_range: float, step: float) -> None:
        if not min_range < max_range or step <= 0:
            raise ValueError(
                f"AttributesRange({min_range!r}, {max_range!r}, {step!r}) needs min_range < max_range "
                "and step > 0"
            )
        self.min_range, self.max_range, self.step = min_range, max_range, step

    def to_json(self) -> dict[str, float]:
        return {"min": self.min_range, "max": self.max_range, "step": self.step}


class Label(Entity):
    """One label of an ontology; ``children`` holds nested labels, each ``tag`` its own name, as dtlpy
    reads them (``labels_flat_dict`` names them ``parent.child``)."""

    TABLE: ClassVar[tuple[str, ...]] = ("tag", "display_label", "color", "children_tags")

    tag: str
    color: str | None = None  # None for a label without a colour, as dtlpy reads one
    display_label: str | None = None
    attributes: list[Any] = Field(default_factory=list)
    display_data: dict[str, Any] = Field(default_factory=dict)
    children: list[Label] = Field(default_factory=list, exclude=True)

    @field_validator("color", mode="before")
    @classmethod
    def _hex_color(cls, value: Any) -> str | None:
        """Colours given as dtlpy takes them ((r, g, b), a name) are kept as ``'#rrggbb'``; a stored
        colour string of another form is kept as it is."""
        if value is None:
            return None
        try:
            return normalize_color(value)
        except ValueError:
            if isinstance(value, str):
                return value
            raise

    @property
    def rgb(self) -> tuple[int, int, int] | None:
        """The colour as ``(r, g, b)``, as dtlpy's ``label.rgb``: None for a label stored without one, red
        for a colour string of an unknown form."""
        if self.color is None:
            return None
        hex_digits = _HEX.match(self.color[:7])
        if hex_digits:
            return _rgb(int(hex_digits.group(1)[i : i + 2], 16) for i in (0, 2, 4))
        numbers = re.fullmatch(r"\s*rgba?\(([^)]*)\)\s*", self.color)
        if numbers:
            return _rgb(round(float(n)) for n in numbers.group(1).split(",")[:3])
        return 255, 0, 0

    @property
    def children_tags(self) -> str:
        return ", ".join(child.tag for child in self.children)

    @classmethod
    def from_root(cls, node: dict[str, Any], parent: str = "") -> Label:
        """A label from a node of the roots tree, with its own name as ``tag``; ``parent`` is the path
        that a node's tag may carry in front of it (``Ontology.roots`` holds paths)."""
        value = dict(node.get("value", {}))
        path = str(value.get("tag", ""))
        if parent and path.startswith(parent + "."):
            value["tag"] = path[len(parent) + 1 :]
        label = cls.model_validate(value)
        label.children = [cls.from_root(child, path) for child in node.get("children") or []]
        return label


def with_paths(roots: list[Any], parent: str = "") -> list[Any]:
    """A roots tree whose tags are each node's path (``car.wheel``), from own names or paths."""
    found = []
    for node in roots:
        if not isinstance(node, dict) or not isinstance(node.get("value"), dict):
            found.append(node)
            continue
        tag = node["value"].get("tag")
        if parent and isinstance(tag, str) and not tag.startswith(parent + "."):
            tag = f"{parent}.{tag}"
        children = with_paths(node.get("children") or [], tag if isinstance(tag, str) else "")
        found.append({**node, "value": {**node["value"], "tag": tag}, "children": children})
    return found


def with_own_names(roots: list[Any]) -> list[Any]:
    """A roots tree as the platform's wire has it: each node's tag its own name."""
    return [
        {
            **node,
            "value": {**node["value"], "tag": str(node["value"].get("tag", "")).rpartition(".")[2]},
            "children": with_own_names(node.get("children") or []),
        }
        if isinstance(node, dict) and isinstance(node.get("value"), dict)
        else node
        for node in roots
    ]


# A label as dtlpy's add_labels/update_labels take one: a name, a Label entity or a dict.
LabelSpec: TypeAlias = "str | dict[str, Any] | Label"


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
    _instance_map: dict[str, int] | None = PrivateAttr(default=None)

    @field_validator("roots", mode="before")
    @classmethod
    def _paths(cls, value: Any) -> Any:
        return with_paths(value) if isinstance(value, list) else value

    def to_json(self) -> dict[str, Any]:
        body = super().to_json()
        if "roots" in body:
            body["roots"] = with_own_names(body["roots"])
        return body

    @property
    def labels(self) -> list[Label]:
        """The top labels, their children under them, each with its own name as ``tag``."""
        return [Label.from_root(node) for node in self.roots]

    @property
    def label_count(self) -> int:
        return len(self.tags())

    def tags(self) -> list[str]:
        """Every label tag, depth first, children as ``parent.child``."""

        return [label.tag for label in self._walk()]

    @property
    def attributes(self) -> list[Attribute]:
        return [Attribute.model_validate(a) for a in self.metadata.get("attributes", [])]

    def _replace(self, fresh: Ontology) -> Ontology:
        self.roots, self.metadata = fresh.roots, fresh.metadata
        return self

    def add_label(
        self,
        label_name: str,
        color: str | tuple[int, int, int] | None = None,
        children: list[LabelSpec] | LabelSpec | None = None,
        attributes: list[Any] | Any | None = None,
        display_label: str | None = None,
        label: Label | None = None,
        add: bool = True,
        icon_path: str | os.PathLike[str] | None = None,
        update_ontology: bool = False,
        **extra: Any,
    ) -> Label:
        """Add (or replace) a label, with its ``children``, and save it at once, as dtlpy 1.126 does
        whatever ``update_ontology`` says; nested labels as ``'parent.child'``. As in dtlpy, without
        ``update_ontology`` the label gets a display name made from its name and, without ``color``, a
        random colour (so do its children given as dicts without one), drawn from Python's ``random``
        as dtlpy draws it; with it the fields not given are the server's defaults (its own name, grey).
        An ``icon_path`` image is uploaded to the project's Binaries dataset and shown for the label.
        ``label`` (a ``Label``) is added as it is."""
        if label is not None:
            return self._send_labels(label, upsert=True)[0]
        node: dict[str, Any] = {"tag": label_name, **extra}
        if color is None and not update_ontology:
            color = random_color()
            children = _with_random_colors(children)
        if color is not None:
            node["color"] = normalize_color(color)
        if display_label is not None or not update_ontology:
            node["displayLabel"] = display_label or derive_display_label(label_name)
        if attributes is not None or not update_ontology:
            node["attributes"] = _as_list(attributes)
        node["displayData"] = {} if icon_path is None else self._icon(icon_path)
        if children:
            node["children"] = children if isinstance(children, list) else [children]
        self._send_labels(node, upsert=True)
        return next(label for label in self._walk() if label.tag == label_name)

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
        return self._send_labels(node, upsert=upsert)[0]

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

    def add_labels(
        self, label_list: list[LabelSpec] | LabelSpec, update_ontology: bool = False
    ) -> list[Label]:
        """Add (or replace) several labels in one save, given as names, ``Label`` entities or dicts
        (``{'label_name' or 'tag', 'color', 'display_label', 'children'}``, or the platform's
        ``{'value': {...}, 'children': [...]}``), as dtlpy's ``add_labels``. They are saved at once,
        whatever ``update_ontology`` says, as dtlpy 1.126 does, and the labels added are returned (dtlpy
        returns None). A dict with an ``icon_path`` is added on its own, its icon uploaded first."""
        specs = label_list if isinstance(label_list, list) else [label_list]
        if any(isinstance(spec, dict) and spec.get("icon_path") for spec in specs):
            return [
                self.add_label(**spec) if isinstance(spec, dict) else self._send_labels(spec, upsert=True)[0]
                for spec in specs
            ]
        return self._send_labels(specs, upsert=True)

    def update_labels(self, label_list: list[LabelSpec] | LabelSpec, upsert: bool = False) -> list[Label]:
        """Change several stored labels in one save (as ``add_labels`` takes them); unless ``upsert``, a
        label that is not stored is ``NotFound``."""
        return self._send_labels(label_list, upsert=upsert)

    def _send_labels(self, label_list: list[LabelSpec] | LabelSpec, upsert: bool) -> list[Label]:
        nodes = [
            n for spec in (label_list if isinstance(label_list, list) else [label_list]) for n in _nodes(spec)
        ]
        self._replace(self.client.ontologies.patch_labels(self.id, nodes, upsert))
        sent = [node["tag"] for node in nodes]
        return [label for label in self._walk() if label.tag in sent]

    def delete_labels(self, label_names: list[str | Label] | str | Label) -> bool:
        """Remove labels (names, ``parent.child`` for nested ones, or ``Label`` entities) with their
        children, and save the ontology; names it does not hold are ``ValueError``."""
        names = [
            n.tag if isinstance(n, Label) else n
            for n in (label_names if isinstance(label_names, list) else [label_names])
        ]
        missing = [n for n in names if n not in self.tags()]
        if missing:
            raise ValueError(f"ontology {self.title!r} has no label {missing}; its labels are {self.tags()}")
        self.roots = _without(self.roots, set(names))
        self.update()
        return True

    @property
    def labels_flat_dict(self) -> dict[str, Label]:
        """Every label by its path (``parent.child`` for nested ones), depth first, as dtlpy's."""
        flat: dict[str, Label] = {}

        def add(path: str, label: Label) -> None:
            flat[path] = label
            for child in label.children:
                add(f"{path}.{child.tag}", child)

        for label in self.labels:
            add(label.tag, label)
        return flat

    @property
    def color_map(self) -> dict[str, tuple[int, int, int] | None]:
        """Every label's ``(r, g, b)`` by its path (None for one without a colour), as dtlpy's."""
        return {path: label.rgb for path, label in self.labels_flat_dict.items()}

    @property
    def instance_map(self) -> dict[str, int]:
        """``{path: 1, ...}`` with the paths in alphabetical order (the ids of instance masks), as dtlpy
        makes it, unless set."""
        if self._instance_map is None:
            return {tag: i + 1 for i, tag in enumerate(sorted(self.labels_flat_dict))}
        return self._instance_map

    @instance_map.setter
    def instance_map(self, value: dict[str, int]) -> None:
        if not isinstance(value, dict):
            raise ValueError(f"instance_map must be a dict of {{label_name: instance_id}}, got {value!r}")
        self._instance_map = dict(value)

    def _walk(self) -> list[Label]:
        """Every label depth first, each with its path as ``tag`` (``car.wheel``; its children under it
        by their own names)."""

        def walk(nodes: list[dict[str, Any]]) -> list[Label]:
            return [x for node in nodes for x in (Label.from_root(node), *walk(node.get("children") or []))]

        return walk(self.roots)

    def update(self, system_metadata: bool = False) -> Ontology:
        """Save labels, attributes and title as they are on this object. It replaces the stored ontology,
        so a copy read before someone else changed it is refused as a ``Conflict`` naming the changes."""
        return self._replace(self.client.ontologies.update(self, system_metadata))

    def update_attributes(
        self,
        key: str,
        title: str,
        attribute_type: AttributesTypes | str,
        values: list[str] | None = None,
        scope: list[str] | str | None = None,
        optional: bool | None = None,
        attribute_range: AttributesRange | tuple[float, float, float] | dict[str, float] | None = None,
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
            if isinstance(attribute_range, AttributesRange):
                rng = attribute_range.to_json()
            elif isinstance(attribute_range, dict):
                rng = attribute_range
            else:
                rng = dict(zip(("min", "max", "step"), attribute_range, strict=False))
            attr["range"] = rng
        if optional is not None:
            attr["optional"] = optional
        self._replace(self.client.ontologies.patch_attributes(self.id, [attr]))
        return True

    def delete_attributes(self, keys: list[str]) -> bool:
        self._replace(self.client.ontologies.remove_attributes(self.id, keys))
        return True

    def print(self) -> None:
        """Print the labels (with their attributes) as a table."""
        print(f"Ontology {self.title!r} ({self.id}): {self.label_count} labels")
        print(format_table(self._walk()))
        if self.attributes:
            print()
            print(format_table(self.attributes))


def _as_list(value: Any) -> list[Any]:
    """``value`` as a list, as dtlpy takes one or several: None is empty, one value a list of it."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _with_random_colors(children: list[LabelSpec] | LabelSpec | None) -> list[LabelSpec] | LabelSpec | None:
    """``children`` with a random colour for each given as a dict without one (``label_name`` style),
    depth first, as dtlpy's ``add_label`` colours them; names and ``Label`` entities are kept as given."""
    if children is None:
        return None
    if not isinstance(children, list):
        return _with_random_colors([children])
    colored: list[LabelSpec] = []
    for child in children:
        if isinstance(child, dict) and "value" not in child:
            color = child.get("color")
            child = {**child, "color": random_color() if color is None else color}
            child["children"] = _with_random_colors(child.get("children"))
        colored.append(child)
    return colored


def _nodes(spec: LabelSpec, parent: str | None = None) -> list[dict[str, Any]]:
    """The ``labelsNode`` entries for one label given as dtlpy takes it, its children after it as
    ``parent.child``."""
    if isinstance(spec, str):
        value: dict[str, Any] = {"tag": spec}
        children: list[Any] = []
    elif isinstance(spec, Label):
        value = spec.to_json()
        children = list(spec.children)
    elif isinstance(spec, dict):
        raw = spec.get("value", spec)
        children = list(spec.get("children") or [])
        value = {k: v for k, v in raw.items() if k not in ("label_name", "display_label", "children")}
        value["tag"] = raw.get("tag", raw.get("label_name"))
        if raw.get("display_label") is not None:
            value["displayLabel"] = raw["display_label"]
    else:
        raise ValueError(f"a label is a name, a Label or a dict, got {type(spec).__name__}: {spec!r}")
    tag = value.get("tag")
    if not isinstance(tag, str) or not tag:
        raise ValueError(f"label {spec!r} has no name: give 'tag' or 'label_name'")
    if parent is not None and not tag.startswith(parent + "."):
        value["tag"] = tag = f"{parent}.{tag}"
    if value.get("color") is not None:
        value["color"] = normalize_color(value["color"])
    else:  # no colour given: the server's default, as dtlpy leaves it
        value.pop("color", None)
    return [value, *(n for child in children for n in _nodes(child, tag))]


def _without(roots: list[dict[str, Any]], tags: set[str]) -> list[dict[str, Any]]:
    """The label tree without the nodes whose tag is in ``tags`` (and their children)."""
    return [
        {**node, "children": _without(node.get("children") or [], tags)}
        for node in roots
        if node.get("value", {}).get("tag") not in tags
    ]
