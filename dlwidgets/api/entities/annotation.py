"""Annotations: the geometry definitions (``Box``, ``Point``, ``Classification``, ``Polygon``, ``Polyline``,
``Ellipse``, ``Segmentation``), the stored ``Annotation`` entity, the ``AnnotationBuilder`` and the
``AnnotationCollection``.

Definitions convert exactly to and from the platform's coordinate layout: a box is
``[{x: left, y: top, z: 0}, {x: right, y: bottom, z: 0}]``, a point a single ``{x, y, z}`` object, a
classification has no ``coordinates`` key at all, a polygon or polyline ``[[{x, y}, ...]]``, a mask a PNG
data URL. Coordinates are image pixels; the layouts are dtlpy's ``annotation_definitions``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import Field, PrivateAttr

from . import masks, outlines
from .base import Entity, EntityList
from .prediction import add_model_info, is_prediction_metadata, model_info_of

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
    if type(value) is float and math.isfinite(value):  # the common case, first: stored coordinates
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{kind} {name}={value!r} must be a finite number")
    if not math.isfinite(value):
        raise ValueError(f"{kind} {name}={value!r} must be a finite number")
    return float(value)


class Definition:
    """What every annotation geometry has: a type, a label, attribute values and an optional description."""

    type: ClassVar[str]

    def __init__(
        self, label: str, attributes: dict[str, Any] | None = None, description: str | None = None
    ) -> None:
        if not isinstance(label, str) or not label:
            raise ValueError(f"an annotation needs a label name, got {label!r}")
        if attributes is not None and not isinstance(attributes, dict):
            raise TypeError(f"attributes are a dict of attribute key to value, got {attributes!r:.80}")
        if description is not None and not isinstance(description, str):
            raise TypeError(f"an annotation's description is a string, got {description!r:.80}")
        self.label = label
        self.attributes = dict(attributes or {})
        self.description = description

    def coordinates(self) -> Any:
        """The platform's coordinates for this geometry (None for a classification)."""
        return None

    def system_metadata(self) -> dict[str, Any]:
        """What the geometry adds to the annotation's ``metadata.system`` (a note's status)."""
        return {}

    def to_coordinates(self, color: Any = None) -> Any:
        """The platform's coordinates, under dtlpy's name (``color`` matters to a mask only)."""
        return self.coordinates()

    def _check_fits(self, width: int | None, height: int | None) -> None:
        """Refuse a geometry that cannot belong to an image of this size (only a mask can tell)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(label={self.label!r}, coordinates={self.coordinates()!r})"

    def _key(self) -> Any:
        return self.coordinates()

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, Definition)
            and (self.label, self.attributes, self.description)
            == (other.label, other.attributes, other.description)
            and _same(self._key(), other._key())
        )

    __hash__ = None  # type: ignore[assignment]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.shape(a) == np.shape(b) and np.array_equal(a, b))
    return bool(a == b)


class Box(Definition):
    """A rectangle in image pixels, ``[(left, top), (right, bottom)]``, turned about its centre by
    ``angle`` degrees when given (a rotated box); stored as two points and, if the angle is not 0, the
    angle after them, as dtlpy writes it."""

    type = "box"

    def __init__(
        self,
        left: float | None = None,
        top: float | None = None,
        right: float | None = None,
        bottom: float | None = None,
        label: str | None = None,
        attributes: dict[str, Any] | None = None,
        description: str | None = None,
        angle: float | None = None,
    ) -> None:
        super().__init__(label, attributes, description)  # type: ignore[arg-type]
        self.top, self.left = _finite("top", top, "box"), _finite("left", left, "box")  # type: ignore[arg-type]
        self.bottom, self.right = _finite("bottom", bottom, "box"), _finite("right", right, "box")  # type: ignore[arg-type]
        self.angle = None if angle is None else _finite("angle", angle, "box")
        if self.right < self.left or self.bottom < self.top:
            raise ValueError(
                f"box {label!r} has right={right} < left={left} or bottom={bottom} < top={top}; "
                "give top-left then bottom-right"
            )

    @property
    def geo(self) -> np.ndarray:
        """``[[left, top], [right, bottom]]``."""
        return np.array([[self.left, self.top], [self.right, self.bottom]])

    @property
    def x(self) -> list[float]:
        return [self.left, self.right]

    @property
    def y(self) -> list[float]:
        return [self.top, self.bottom]

    @classmethod
    def from_segmentation(
        cls, mask: np.ndarray, label: str, attributes: dict[str, Any] | None = None
    ) -> list[Box]:
        """A box around the outline of each part of a mask (``Polygon.from_segmentation`` with no limit
        on their number), the largest first."""
        found = Polygon.from_segmentation(mask=mask, label=label, attributes=attributes, max_instances=None)
        polygons = found if isinstance(found, list) else [found]
        return [
            cls(left=p.left, top=p.top, right=p.right, bottom=p.bottom, label=label, attributes=attributes)
            for p in polygons
        ]

    @property
    def four_points(self) -> list[list[float]]:
        """The corners before any rotation: top-left, bottom-left, bottom-right, top-right (dtlpy's order)."""
        return [
            [self.left, self.top],
            [self.left, self.bottom],
            [self.right, self.bottom],
            [self.right, self.top],
        ]

    def coordinates(self) -> list[Any]:
        points: list[Any] = [
            {"x": self.left, "y": self.top, "z": 0},
            {"x": self.right, "y": self.bottom, "z": 0},
        ]
        if self.angle:
            points.append(self.angle)
        return points

    @classmethod
    def from_coordinates(cls, coordinates: Any, label: str, attributes: dict[str, Any]) -> Box:
        """Two corner points in any order, then an optional angle, as dtlpy reads a box."""
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            raise ValueError(f"a box is two corner points [top-left, bottom-right], got {coordinates!r:.80}")
        xs, ys = [p["x"] for p in coordinates[:2]], [p["y"] for p in coordinates[:2]]
        angle = coordinates[2] if len(coordinates) > 2 and isinstance(coordinates[2], (int, float)) else None
        return cls(
            left=min(xs),
            top=min(ys),
            right=max(xs),
            bottom=max(ys),
            label=label,
            attributes=attributes,
            angle=angle,
        )


class Point(Definition):
    """A single point in image pixels."""

    type = "point"

    def __init__(
        self,
        x: float,
        y: float,
        label: str,
        attributes: dict[str, Any] | None = None,
        description: str | None = None,
    ) -> None:
        super().__init__(label, attributes, description)
        self.x, self.y = _finite("x", x, "point"), _finite("y", y, "point")

    @property
    def geo(self) -> list[float]:
        return [self.x, self.y]

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
        description: str | None = None,
    ) -> None:
        super().__init__(label, attributes, description)
        self.x, self.y = _finite("x", x, "ellipse"), _finite("y", y, "ellipse")
        self.rx, self.ry = _finite("rx", rx, "ellipse"), _finite("ry", ry, "ellipse")
        self.angle = _finite("angle", angle, "ellipse")
        if self.rx < 0 or self.ry < 0:
            raise ValueError(f"ellipse {label!r} has radius rx={rx} or ry={ry} below 0")

    @property
    def rad(self) -> float:
        return math.radians(self.angle)

    @property
    def geo(self) -> np.ndarray:
        """``[[x, y], [rx, ry], [angle, rad]]``, as dtlpy gives it."""
        return np.array([[self.x, self.y], [self.rx, self.ry], [self.angle, self.rad]])

    def _half_extent(self) -> tuple[float, float]:
        c, s = math.cos(self.rad), math.sin(self.rad)
        return math.hypot(self.rx * c, self.ry * s), math.hypot(self.rx * s, self.ry * c)

    @property
    def left(self) -> float:
        return self.x - self._half_extent()[0]

    @property
    def right(self) -> float:
        return self.x + self._half_extent()[0]

    @property
    def top(self) -> float:
        return self.y - self._half_extent()[1]

    @property
    def bottom(self) -> float:
        return self.y + self._half_extent()[1]

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
    """Points (x, y) in image pixels, ``geo`` an (n, 2) float array; stored as one list of ``{x, y}``
    inside a list, as dtlpy writes it (reading takes the first list: dtlpy keeps one contour)."""

    min_points: ClassVar[int] = 2

    def __init__(
        self,
        geo: Any,
        label: str,
        attributes: dict[str, Any] | None = None,
        description: str | None = None,
    ) -> None:
        super().__init__(label, attributes, description)
        try:
            points = np.array(geo, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                f"a {self.type} is (x, y) points such as [[0, 0], [5, 0], [5, 5]], got {geo!r:.80}"
            ) from None
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(
                f"a {self.type} is (x, y) points, an array of shape (n, 2); "
                f"got shape {points.shape}: {geo!r:.80}"
            )
        bad = ~np.isfinite(points)
        if bad.any():
            row, column = (int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"{self.type} point #{row} has {'xy'[column]}={float(points[row, column])!r}; "
                "coordinates must be finite numbers"
            )
        if len(points) < self.min_points:
            raise ValueError(f"a {self.type} needs at least {self.min_points} points, got {len(points)}")
        self.geo = points

    @property
    def x(self) -> np.ndarray:
        return self.geo[:, 0]

    @property
    def y(self) -> np.ndarray:
        return self.geo[:, 1]

    @property
    def left(self) -> float:
        return float(self.x.min())

    @property
    def top(self) -> float:
        return float(self.y.min())

    @property
    def right(self) -> float:
        return float(self.x.max())

    @property
    def bottom(self) -> float:
        return float(self.y.max())

    def coordinates(self) -> list[list[dict[str, float]]]:
        return [[{"x": x, "y": y} for x, y in self.geo.tolist()]]

    def _key(self) -> Any:
        return self.geo

    @classmethod
    def from_coordinates(cls, coordinates: Any, label: str, attributes: dict[str, Any]) -> _PointList:
        ring = coordinates[0] if coordinates and isinstance(coordinates[0], list) else coordinates
        return cls(geo=[[p["x"], p["y"]] for p in ring], label=label, attributes=attributes)


class Polygon(_PointList):
    """A closed outline (annotation type ``segment``), as (x, y) points."""

    type = "segment"

    @classmethod
    def from_segmentation(
        cls,
        mask: np.ndarray,
        label: str,
        attributes: dict[str, Any] | None = None,
        epsilon: float | None = None,
        max_instances: int | None = 1,
        min_area: float = 0,
    ) -> Polygon | list[Polygon]:
        """The outlines of a mask's parts (pixels above half its maximum), as dtlpy finds them: the largest
        area first, only areas above ``min_area``, at most ``max_instances`` (None: all), simplified to
        within ``epsilon`` pixels (by default 0.0005 of the largest outline's length). One polygon is
        returned as itself, none or several as a list. Holes are not traced."""
        values = _checked_mask(mask, label).astype(float)
        top = values.max()
        on = values / top > 0.5 if top > 0 else np.zeros(values.shape, dtype=bool)
        rings = [(outlines.ring_area(ring), ring) for ring in outlines.outlines(on)]
        rings = sorted((r for r in rings if r[0] > min_area), key=lambda r: -r[0])[:max_instances]
        polygons = []
        for _, ring in rings:
            if epsilon is None:
                epsilon = 0.0005 * outlines.ring_length(ring)
            simple = outlines.simplify_ring(ring, epsilon)
            geo = simple if len(simple) > 1 else ring
            polygons.append(cls(geo=geo, label=label, attributes=attributes))
        return polygons[0] if len(polygons) == 1 else polygons


class Polyline(_PointList):
    """An open line, as (x, y) points."""

    type = "polyline"


class Segmentation(Definition):
    """A mask (annotation type ``binary``): ``geo`` is a (height, width) array, non-zero where the shape is,
    stored as an RGBA PNG data URL, as dtlpy writes it: uploaded, in its label's colour from the dataset's
    ontology, else in ``color`` (white unless given). Read back, ``geo`` is 0./1. floats (a pixel is in
    where the PNG's alpha is above 127)."""

    type = "binary"

    def __init__(
        self,
        geo: np.ndarray | None,
        label: str,
        attributes: dict[str, Any] | None = None,
        description: str | None = None,
        color: tuple[int, int, int] | None = None,
    ) -> None:
        super().__init__(label, attributes, description)
        self._geo = None if geo is None else _checked_mask(geo, label)
        self._color = color
        # The stored data URL when read from the platform, so an unchanged mask is sent back as it came.
        self._coordinates: str | None = None

    @property
    def geo(self) -> np.ndarray:
        if self._geo is None:
            if self._coordinates is None:
                raise ValueError(f"the Segmentation of {self.label!r} has no mask: give geo=<2-D array>")
            rgba = masks.data_url_image(self._coordinates)
            if self._color is None:
                on = np.argwhere(rgba[:, :, 3] > 0)
                if len(on):
                    self._color = tuple(int(c) for c in rgba[on[0][0], on[0][1], :3])  # type: ignore[assignment]
            self._geo = masks.mask_of_image(rgba)
        return self._geo

    @geo.setter
    def geo(self, geo: np.ndarray) -> None:
        self._geo = _checked_mask(geo, self.label)
        self._coordinates = None

    @property
    def color(self) -> tuple[int, int, int] | None:
        """The mask's colour: as given, or as read from its stored PNG (None for an empty one)."""
        if self._color is None and self._geo is None:
            _ = self.geo
        return self._color

    def _box(self) -> tuple[int, int, int, int]:
        rows, columns = np.nonzero(self.geo)
        if not len(rows):
            return 0, 0, 0, 0
        return int(columns.min()), int(rows.min()), int(columns.max()), int(rows.max())

    @property
    def left(self) -> int:
        return self._box()[0]

    @property
    def top(self) -> int:
        return self._box()[1]

    @property
    def right(self) -> int:
        return self._box()[2]

    @property
    def bottom(self) -> int:
        return self._box()[3]

    def coordinates(self) -> str:
        return self.to_coordinates()

    def to_coordinates(self, color: Any = None) -> str:
        """The PNG data URL, drawn anew if ``color`` differs from the mask's own colour."""
        if self._coordinates is None or (color is not None and tuple(color) != self._color):
            paint = tuple(color or self._color or (255, 255, 255))
            self._coordinates = masks.mask_to_data_url(self.geo, paint)
        return self._coordinates

    def _key(self) -> Any:
        return self.geo > 0

    def __repr__(self) -> str:
        mask = self.geo
        return f"Segmentation(label={self.label!r}, shape={mask.shape}, pixels={int((mask > 0).sum())})"

    def _check_fits(self, width: int | None, height: int | None) -> None:
        if self._geo is None or width is None or height is None:
            return
        if self._geo.shape != (height, width):
            raise ValueError(
                f"the mask of {self.label!r} has shape {self._geo.shape} but the item is {width} x {height} "
                f"pixels; give a (height, width) = ({height}, {width}) array"
            )

    def to_box(self) -> list[Box]:
        """A box around the outline of each part of the mask, the largest first, as dtlpy gives them."""
        return Box.from_segmentation(mask=self.geo, label=self.label, attributes=self.attributes)

    @classmethod
    def from_polygon(
        cls, geo: Any, label: str, shape: tuple[int, int], attributes: dict[str, Any] | None = None
    ) -> Segmentation:
        """The mask of a filled polygon (``geo``: (x, y) points) on an image of ``shape`` (height, width)."""
        outline = Polygon(geo=geo, label=label).geo
        if len(shape) < 2 or any(
            isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1 for s in shape[:2]
        ):
            raise ValueError(f"shape is the image's (height, width) in pixels, got {shape!r}")
        return cls(
            geo=masks.polygon_mask(outline, (int(shape[0]), int(shape[1]))),
            label=label,
            attributes=attributes,
        )

    @classmethod
    def from_coordinates(cls, coordinates: Any, label: str, attributes: dict[str, Any]) -> Segmentation:
        """A mask read from the platform; its PNG is decoded when ``geo`` is first asked for."""
        url = coordinates.get("data") if isinstance(coordinates, dict) else coordinates
        if not isinstance(url, str) or not url.startswith(masks.PNG_DATA_URL):
            raise ValueError(f"a binary mask is a {masks.PNG_DATA_URL!r}... string, got {coordinates!r:.80}")
        segmentation = cls(geo=None, label=label, attributes=attributes)
        segmentation._coordinates = url
        return segmentation


def _checked_mask(geo: Any, label: str) -> np.ndarray:
    mask = np.asarray(geo)
    if mask.dtype.kind not in "buif":
        raise ValueError(
            f"the mask of {label!r} has dtype {mask.dtype}; give a 2-D array of bool, integers or floats"
        )
    if mask.ndim != 2 or 0 in mask.shape:
        raise ValueError(f"the mask of {label!r} has shape {mask.shape}; give a 2-D (height, width) array")
    if mask.dtype.kind == "f" and not np.isfinite(mask).all():
        raise ValueError(
            f"the mask of {label!r} holds {float(mask[~np.isfinite(mask)][0])!r}; values must be finite"
        )
    if mask.size and mask.min() < 0:
        raise ValueError(
            f"the mask of {label!r} holds {mask.min().item()!r}; values are 0 (out) or above (in)"
        )
    return mask


DEFINITIONS: dict[str, type[Definition]] = {
    cls.type: cls for cls in (Box, Point, Classification, Polygon, Polyline, Ellipse, Segmentation)
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
    def automated(self) -> bool | None:
        """Whether a program made it (``metadata.system.automated``), as dtlpy's ``annotation.automated``."""
        return self.metadata.get("system", {}).get("automated")

    @automated.setter
    def automated(self, value: bool) -> None:
        self.metadata = {**self.metadata, "system": {**self.metadata.get("system", {}), "automated": value}}

    @property
    def model_info(self) -> dict[str, Any] | None:
        """The model that predicted it (``metadata.user.model``: ``confidence``, ``name``, ``model_id``), or
        None for an annotation no model made."""
        return model_info_of(self.metadata)

    @property
    def is_prediction(self) -> bool:
        """A model's prediction not yet accepted: it has model info and is still ``automated``."""
        return is_prediction_metadata(self.metadata)

    def accept(self) -> Annotation:
        """Accept this prediction: it becomes a human annotation (``automated`` false), its model info kept
        as provenance. Returns it as stored now."""
        from ..repositories.annotations import AnnotationsById

        return AnnotationsById(self.client).accept(self)[0]

    def _note(self) -> dict[str, Any]:
        """The ``note`` part of a note's coordinates."""
        coordinates = self.coordinates if isinstance(self.coordinates, dict) else {}
        if self.type != "note" or not isinstance(coordinates.get("note"), dict):
            raise ValueError(f"annotation of type {self.type!r} has no messages; only a note has")
        note: dict[str, Any] = coordinates["note"]
        return note

    @property
    def messages(self) -> list[Any]:
        """A note's messages (``dw.Message``), as dtlpy's ``annotation.messages``."""
        from .note import Message

        return [Message.from_json(m) for m in self._note().get("messages") or []]

    def add_message(self, body: str) -> Any:
        """Add a message to a note (saved by ``update()``), as dtlpy's ``annotation.add_message``."""
        from .note import Message

        message = Message(body=body)
        self._note().setdefault("messages", []).append(message.to_json())
        return message

    @property
    def annotation_definition(self) -> Definition:
        """The geometry as a ``Box``, ``Point``, ``Classification``, ... in image pixels."""
        cls = DEFINITIONS.get(self.type)
        if cls is None:
            raise ValueError(
                f"annotation type {self.type!r} has no definition class; known: {list(DEFINITIONS)}"
            )
        definition = cls.from_coordinates(self.coordinates, self.label or "", dict(self.attributes))  # type: ignore[attr-defined]
        description = getattr(self, "description", None)
        if isinstance(description, str):
            definition.description = description
        return definition

    @classmethod
    def from_definition(
        cls,
        definition: Definition,
        item: Item | None = None,
        object_id: int | str | None = None,
        automated: bool = True,
        model_info: dict[str, Any] | None = None,
    ) -> Annotation:
        data = definition_json(definition, item, object_id, automated, model_info)
        return cls.from_json(data, item._client if item is not None else None)


def definition_json(
    definition: Definition,
    item: Item | None = None,
    object_id: int | str | None = None,
    automated: bool = True,
    model_info: dict[str, Any] | None = None,
    color: tuple[int, int, int] | None = None,
) -> dict[str, Any]:
    """The platform JSON of a new annotation: ``Annotation.from_definition(...).to_json()`` without
    building the entity (what an upload of many definitions needs). ``model_info`` makes it a prediction
    (``metadata.user.model``, as dtlpy writes it); ``color``, its label's colour, paints a mask."""
    if item is not None:
        definition._check_fits(item.width, item.height)
    system: dict[str, Any] = {"automated": automated, "attributes": dict(definition.attributes)}
    system.update(definition.system_metadata())
    if object_id is not None:
        system["objectId"] = str(object_id)
    data: dict[str, Any] = {
        "type": definition.type,
        "label": definition.label,
        "metadata": {"system": system},
    }
    coordinates = definition.to_coordinates(color)
    if coordinates is not None:
        data["coordinates"] = coordinates
    if definition.description is not None:
        data["description"] = definition.description
    if item is not None:
        data.update(itemId=item.id, datasetId=item.dataset_id)
    if model_info is not None:
        add_model_info(data, model_info)
    return data


class AnnotationCollection(EntityList[Annotation]):
    """The annotations of an item, printable as a table."""


def mask_in_colour(definition: Definition, color: tuple[int, int, int]) -> Any:
    """The coordinates of a mask read from its stored PNG, painted in ``color`` (drawn anew only if the
    PNG is in another colour)."""
    if isinstance(definition, Segmentation) and definition.color != color:
        return definition.to_coordinates(color)
    return definition.coordinates()


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
        model_info: dict[str, Any] | None = None,
    ) -> Annotation:
        """Add an annotation of ``annotation_definition``; ``model_info`` (``{'confidence': 0-1, 'name':
        ..., 'model_id': ...}``) makes it a model's prediction, as in dtlpy."""
        if not isinstance(annotation_definition, Definition):
            raise TypeError(
                f"annotation_definition must be a Box, Point, Classification, Polygon, Polyline, Ellipse or "
                f"Segmentation, "
                f"got {annotation_definition!r}"
            )
        annotation = Annotation.from_definition(
            annotation_definition, self.item, object_id, automated, model_info
        )
        self.annotations.append(annotation)
        return annotation

    def __len__(self) -> int:
        return len(self.annotations)

    def __iter__(self) -> Iterator[Annotation]:
        return iter(self.annotations)

    def print(self) -> None:
        self.annotations.print()
