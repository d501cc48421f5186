"""Annotations: the geometry definitions (``Box``, ``Point``, ``Classification``, ``Polygon``, ``Polyline``,
``Ellipse``), the stored ``Annotation`` entity, the ``AnnotationBuilder`` and the ``AnnotationCollection``.

Definitions convert exactly to and from the platform's coordinate layout: a box is
``[{x: left, y: top, z: 0}, {x: right, y: bottom, z: 0}]``, a point a single ``{x, y, z}`` object, a
classification has no ``coordinates`` key at all. Coordinates are image pixels.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field, PrivateAttr

from .base import Entity, EntityList

if TYPE_CHECKING:
    from .item import Item


class ViewAnnotationOptions(str, Enum):
    """What ``download_annotations`` writes, with dtlpy's names; dlwidgets writes ``JSON`` only."""

    JSON = "json"
    MASK = "mask"
    INSTANCE = "instance"
    ANNOTATION_ON_IMAGE = "img_mask"
    VTT = "vtt"
    OBJECT_ID = "object_id"


class ExportVersion(str, Enum):
    """How exported JSON files are named: ``V1`` replaces the item's extension, ``V2`` keeps it."""

    V1 = "V1"
    V2 = "V2"


def _finite(name: str, value: float, kind: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{kind} {name}={value!r} must be a finite number")
    return float(value)


class Definition:
    """What every annotation geometry has: a type, a label and attribute values."""

    type: ClassVar[str]

    def __init__(self, label: str, attributes: dict[str, Any] | None = None) -> None:
        if not isinstance(label, str) or not label:
            raise ValueError(f"an annotation needs a label name, got {label!r}")
        self.label = label
        self.attributes = dict(attributes or {})

    def coordinates(self) -> Any:
        """The platform's coordinates for this geometry (None for a classification)."""
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(label={self.label!r}, coordinates={self.coordinates()!r})"

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, Definition)
            and (self.label, self.attributes, self.coordinates())
            == (other.label, other.attributes, other.coordinates())
        )

    __hash__ = None  # type: ignore[assignment]


class Box(Definition):
    """An axis-aligned rectangle in image pixels."""

    type = "box"

    def __init__(
        self,
        top: float,
        left: float,
        bottom: float,
        right: float,
        label: str,
        attributes: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(label, attributes)
        self.top, self.left = _finite("top", top, "box"), _finite("left", left, "box")
        self.bottom, self.right = _finite("bottom", bottom, "box"), _finite("right", right, "box")
        if self.right < self.left or self.bottom < self.top:
            raise ValueError(
                f"box {label!r} has right={right} < left={left} or bottom={bottom} < top={top}; "
                "give top-left then bottom-right"
            )

    def coordinates(self) -> list[dict[str, float]]:
        return [{"x": self.left, "y": self.top, "z": 0}, {"x": self.right, "y": self.bottom, "z": 0}]

    @classmethod
    def from_coordinates(cls, coordinates: Any, label: str, attributes: dict[str, Any]) -> Box:
        (p0, p1) = coordinates[:2]
        return cls(
            top=p0["y"], left=p0["x"], bottom=p1["y"], right=p1["x"], label=label, attributes=attributes
        )


class Point(Definition):
    """A single point in image pixels."""

    type = "point"

    def __init__(self, x: float, y: float, label: str, attributes: dict[str, Any] | None = None) -> None:
        super().__init__(label, attributes)
        self.x, self.y = _finite("x", x, "point"), _finite("y", y, "point")

    def coordinates(self) -> dict[str, float]:
        return {"x": self.x, "y": self.y, "z": 0}

    @classmethod
    def from_coordinates(cls, coordinates: Any, label: str, attributes: dict[str, Any]) -> Point:
        return cls(x=coordinates["x"], y=coordinates["y"], label=label, attributes=attributes)


class Ellipse(Definition):
    """An ellipse in image pixels: centre ``(x, y)``, radii ``rx`` and ``ry``, turned by ``angle``
    degrees; stored as ``{center: {x, y, z}, rx, ry, angle}``, as the SDK sends it."""

    type = "ellipse"

    def __init__(
        self,
        x: float,
        y: float,
        rx: float,
        ry: float,
        angle: float,
        label: str,
        attributes: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(label, attributes)
        self.x, self.y = _finite("x", x, "ellipse"), _finite("y", y, "ellipse")
        self.rx, self.ry = _finite("rx", rx, "ellipse"), _finite("ry", ry, "ellipse")
        self.angle = _finite("angle", angle, "ellipse")
        if self.rx < 0 or self.ry < 0:
            raise ValueError(f"ellipse {label!r} has radius rx={rx} or ry={ry} below 0")

    def coordinates(self) -> dict[str, Any]:
        return {
            "angle": self.angle,
            "center": {"x": self.x, "y": self.y, "z": 0},
            "rx": self.rx,
            "ry": self.ry,
        }

    @classmethod
    def from_coordinates(cls, coordinates: Any, label: str, attributes: dict[str, Any]) -> Ellipse:
        center = coordinates["center"]
        return cls(
            x=center["x"],
            y=center["y"],
            rx=coordinates["rx"],
            ry=coordinates["ry"],
            angle=coordinates["angle"],
            label=label,
            attributes=attributes,
        )


class Classification(Definition):
    """A label for the whole item; it has no geometry."""

    type = "class"

    @classmethod
    def from_coordinates(cls, coordinates: Any, label: str, attributes: dict[str, Any]) -> Classification:
        return cls(label=label, attributes=attributes)


class _PointList(Definition):
    def __init__(
        self, geo: list[list[float]] | Any, label: str, attributes: dict[str, Any] | None = None
    ) -> None:
        super().__init__(label, attributes)
        self.geo = [
            (_finite("x", p[0], self.type), _finite("y", p[1], self.type))
            for p in (geo.tolist() if hasattr(geo, "tolist") else geo)
        ]
        if len(self.geo) < 2:
            raise ValueError(f"a {self.type} needs at least 2 points, got {len(self.geo)}")

    def coordinates(self) -> list[list[dict[str, float]]]:
        return [[{"x": x, "y": y, "z": 0} for x, y in self.geo]]

    @classmethod
    def from_coordinates(cls, coordinates: Any, label: str, attributes: dict[str, Any]) -> _PointList:
        ring = coordinates[0] if coordinates and isinstance(coordinates[0], list) else coordinates
        return cls(geo=[[p["x"], p["y"]] for p in ring], label=label, attributes=attributes)


class Polygon(_PointList):
    """A closed outline, as a list of (x, y) points."""

    type = "segment"


class Polyline(_PointList):
    """An open line, as a list of (x, y) points."""

    type = "polyline"


DEFINITIONS: dict[str, type[Definition]] = {
    cls.type: cls for cls in (Box, Point, Classification, Polygon, Polyline, Ellipse)
}


class Annotation(Entity):
    """A stored annotation, as ``GET /annotations/{id}`` returns it."""

    TABLE: ClassVar[tuple[str, ...]] = ("id", "type", "label", "object_id", "coordinates")

    id: str | None = None
    item_id: str | None = None
    dataset_id: str | None = None
    type: str
    label: str | None = None
    coordinates: Any = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    creator: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    updated_by: str | None = None
    source: str | None = None
    # The JSON as last stored, so update() sends only what changed, as dtlpy does.
    _saved: dict[str, Any] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        self._saved = self.to_json()

    def update(self, system_metadata: bool = False) -> Annotation:
        """Save the changes made on this object since it was fetched (label, coordinates, metadata ...);
        returns the annotation as stored now."""
        from ..repositories.annotations import AnnotationsById

        return AnnotationsById(self.client).update(self, system_metadata=system_metadata)[0]

    def delete(self) -> bool:
        """Delete this annotation from its item."""
        from ..repositories.annotations import AnnotationsById

        return AnnotationsById(self.client).delete(annotation_id=self._stored_id("delete"))

    def _stored_id(self, action: str) -> str:
        if self.id is None:
            raise ValueError(
                f"cannot {action} a {self.type} annotation labelled {self.label!r} that was never uploaded; "
                "upload it with item.annotations.upload(...) first"
            )
        return self.id

    @property
    def attributes(self) -> dict[str, Any]:
        """Attribute values by key (``metadata.system.attributes``)."""
        return self.metadata.get("system", {}).get("attributes", {})

    @property
    def object_id(self) -> str | None:
        return self.metadata.get("system", {}).get("objectId")

    @property
    def annotation_definition(self) -> Definition:
        """The geometry as a ``Box``, ``Point``, ``Classification``, ... in image pixels."""
        cls = DEFINITIONS.get(self.type)
        if cls is None:
            raise ValueError(
                f"annotation type {self.type!r} has no definition class; known: {list(DEFINITIONS)}"
            )
        return cls.from_coordinates(self.coordinates, self.label or "", dict(self.attributes))  # type: ignore[attr-defined]

    @classmethod
    def from_definition(
        cls,
        definition: Definition,
        item: Item | None = None,
        object_id: int | str | None = None,
        automated: bool = True,
    ) -> Annotation:
        data = definition_json(definition, item, object_id, automated)
        return cls.from_json(data, item._client if item is not None else None)


def definition_json(
    definition: Definition,
    item: Item | None = None,
    object_id: int | str | None = None,
    automated: bool = True,
) -> dict[str, Any]:
    """The platform JSON of a new annotation: ``Annotation.from_definition(...).to_json()`` without
    building the entity (what an upload of many definitions needs)."""
    system: dict[str, Any] = {"automated": automated, "attributes": dict(definition.attributes)}
    if object_id is not None:
        system["objectId"] = str(object_id)
    data: dict[str, Any] = {
        "type": definition.type,
        "label": definition.label,
        "metadata": {"system": system},
    }
    coordinates = definition.coordinates()
    if coordinates is not None:
        data["coordinates"] = coordinates
    if item is not None:
        data.update(itemId=item.id, datasetId=item.dataset_id)
    return data


class AnnotationCollection(EntityList[Annotation]):
    """The annotations of an item, printable as a table."""


class AnnotationBuilder:
    """Collects annotations for one item in memory until ``item.annotations.upload(builder)``."""

    def __init__(self, item: Item | None = None) -> None:
        self.item = item
        self.annotations: AnnotationCollection = AnnotationCollection()

    def add(
        self,
        annotation_definition: Definition,
        object_id: int | str | None = None,
        automated: bool = True,
    ) -> Annotation:
        if not isinstance(annotation_definition, Definition):
            raise TypeError(
                f"annotation_definition must be a Box, Point, Classification, Polygon, Polyline or Ellipse, "
                f"got {annotation_definition!r}"
            )
        annotation = Annotation.from_definition(annotation_definition, self.item, object_id, automated)
        self.annotations.append(annotation)
        return annotation

    def __len__(self) -> int:
        return len(self.annotations)

    def __iter__(self) -> Iterator[Annotation]:
        return iter(self.annotations)

    def print(self) -> None:
        self.annotations.print()
