"""Property tests of the entities: platform JSON round trips unchanged (unknown fields included), and
annotation geometry converts exactly to and from the platform's coordinate layout."""

from __future__ import annotations

import json
import types
import typing
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic.fields import FieldInfo

import dlwidgets as dw
from dlwidgets.api.entities import (
    Annotation,
    Assignment,
    Box,
    Classification,
    Dataset,
    Definition,
    Entity,
    Item,
    Ontology,
    Point,
    Polygon,
    Polyline,
    Project,
    Recipe,
    Task,
)

ENTITIES: list[type[Entity]] = [Project, Dataset, Recipe, Ontology, Item, Annotation, Task, Assignment]

# Fields the platform sends that the classes do not model (several share a name with a property of the
# class, such as Item.dataset or Dataset.items); they must come back unchanged.
PLATFORM_EXTRAS: dict[type[Entity], list[str]] = {
    Project: ["org", "role", "account", "contributors", "isBlocked", "archived", "featureConstraints"],
    Dataset: ["items", "updatedBy", "directoryTree", "driver", "readableType", "accessLevel", "readonly"],
    Recipe: ["url", "description", "instructions", "uiSettings", "metadata", "examples", "customActions"],
    Ontology: ["url", "attributes", "labels", "projectIds", "updatedAt"],
    Item: ["dataset", "annotations", "thumbnail", "updatedBy", "spec", "srcItem", "projectId"],
    Annotation: ["url", "item", "dataset", "hash", "attributes", "labelSuggestions", "description", "_id"],
    Task: ["url", "query", "annotationStatus", "description", "availableActions"],
    Assignment: ["url", "annotationStatus", "updatedBy", "updatedAt"],
}

# ---------------------------------------------------------------------------------------------------------
# Strategies for platform-shaped JSON

SAFE_INTS = st.integers(min_value=-(2**53), max_value=2**53)
FINITE = st.floats(allow_nan=False, allow_infinity=False)
SCALARS = st.none() | st.booleans() | SAFE_INTS | FINITE | st.text(max_size=12)
JSON: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
CAMEL_KEYS = st.from_regex(r"[a-z][a-zA-Z0-9]{0,11}", fullmatch=True)


def _for(annotation: Any) -> st.SearchStrategy[Any]:
    """Platform-shaped values for a field's type."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(_for(arg) for arg in args))
    if annotation is type(None):
        return st.none()
    if annotation is Any:
        return JSON
    if annotation is str:
        return st.text(max_size=16)
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return SAFE_INTS
    if annotation is float:
        return FINITE | SAFE_INTS
    if origin is list:
        return st.lists(_for(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(st.text(max_size=8), _for(args[1]), max_size=3)
    raise AssertionError(f"no strategy for field type {annotation!r}")


def _key(name: str, field: FieldInfo) -> str:
    return field.alias or name


def platform_json(cls: type[Entity]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts as the platform sends them for ``cls``: required fields, any optional ones, and unknown ones."""
    fields = cls.model_fields
    required = {_key(n, f): _for(f.annotation) for n, f in fields.items() if f.is_required()}
    optional = {_key(n, f): _for(f.annotation) for n, f in fields.items() if not f.is_required()}
    known = set(fields) | {_key(n, f) for n, f in fields.items()}
    extra_keys = (CAMEL_KEYS | st.sampled_from(PLATFORM_EXTRAS[cls])).filter(lambda k: k not in known)
    extras = st.dictionaries(extra_keys, JSON, max_size=5)
    return st.builds(
        lambda modelled, unknown: {**unknown, **modelled},
        st.fixed_dictionaries(required, optional=optional),
        extras,
    )


# ---------------------------------------------------------------------------------------------------------
# Entity round trips


def test_every_entity_is_checked() -> None:
    assert set(PLATFORM_EXTRAS) == set(ENTITIES)
    for cls in ENTITIES:
        assert not set(PLATFORM_EXTRAS[cls]) & set(cls.model_fields), cls


@pytest.mark.parametrize("cls", ENTITIES, ids=lambda cls: cls.__name__)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_platform_json_round_trips(cls: type[Entity], data: st.DataObject) -> None:
    sent = data.draw(platform_json(cls))
    entity = cls.from_json(json.loads(json.dumps(sent)))
    assert entity.to_json() == sent
    # And once more through JSON text, as an update would send it back.
    assert cls.from_json(json.loads(json.dumps(entity.to_json()))).to_json() == sent


@pytest.mark.parametrize("cls", ENTITIES, ids=lambda cls: cls.__name__)
@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_unknown_fields_are_kept_and_do_not_hide_the_api(cls: type[Entity], data: st.DataObject) -> None:
    sent = data.draw(platform_json(cls))
    unknown = {key: f"value of {key}" for key in PLATFORM_EXTRAS[cls]}
    entity = cls.from_json({**sent, **unknown})
    assert entity.to_json() == {**sent, **unknown}
    assert entity.model_extra is not None
    for key, value in unknown.items():
        assert entity.model_extra[key] == value


def test_extra_fields_named_like_properties_leave_the_properties_working() -> None:
    dataset = Dataset.from_json({"id": "d1", "name": "n", "items": "http://x/datasets/d1/items"})
    assert type(dataset.items).__name__ == "Items"
    assert dataset.to_json()["items"] == "http://x/datasets/d1/items"
    item = Item.from_json(
        {"id": "i1", "datasetId": "d1", "filename": "/a.png", "name": "a.png", "annotations": "http://x/a"}
    )
    assert type(item.annotations).__name__ == "Annotations"
    assert item.to_json()["annotations"] == "http://x/a"
    annotation = Annotation.from_json(
        {
            "type": "class",
            "label": "cat",
            "attributes": None,
            "metadata": {"system": {"attributes": {"a": 1}}},
        }
    )
    assert annotation.attributes == {"a": 1}
    assert annotation.to_json()["attributes"] is None


# ---------------------------------------------------------------------------------------------------------
# Annotation geometry <-> the platform's coordinate layout

COORDINATE = FINITE | SAFE_INTS
LABELS = st.text(min_size=1, max_size=12)
ATTRIBUTES = st.dictionaries(st.text(min_size=1, max_size=8), st.booleans() | st.text(max_size=8), max_size=3)
OBJECT_IDS = st.none() | st.integers(min_value=0, max_value=10**6) | st.text(min_size=1, max_size=6)


@st.composite
def boxes(draw: st.DrawFn) -> Box:
    left, right = sorted((draw(COORDINATE), draw(COORDINATE)))
    top, bottom = sorted((draw(COORDINATE), draw(COORDINATE)))
    return Box(
        top=top, left=left, bottom=bottom, right=right, label=draw(LABELS), attributes=draw(ATTRIBUTES)
    )


def _wire(annotation: Annotation) -> dict[str, Any]:
    """The annotation as the platform stores and returns it: JSON text and back."""
    data: dict[str, Any] = json.loads(json.dumps(annotation.to_json(), allow_nan=False))
    return data


def _system(definition: Definition, object_id: Any, automated: bool) -> dict[str, Any]:
    system: dict[str, Any] = {"automated": automated, "attributes": definition.attributes}
    if object_id is not None:
        system["objectId"] = str(object_id)
    return system


@settings(max_examples=200, deadline=None)
@given(box=boxes(), object_id=OBJECT_IDS, automated=st.booleans())
def test_box_converts_exactly(box: Box, object_id: Any, automated: bool) -> None:
    annotation = Annotation.from_definition(box, object_id=object_id, automated=automated)
    wire = _wire(annotation)
    assert wire == {
        "type": "box",
        "label": box.label,
        "metadata": {"system": _system(box, object_id, automated)},
        "coordinates": [{"x": box.left, "y": box.top, "z": 0}, {"x": box.right, "y": box.bottom, "z": 0}],
    }
    back = Annotation.from_json(wire)
    assert back.annotation_definition == box
    got = back.annotation_definition
    assert isinstance(got, Box)
    assert (got.top, got.left, got.bottom, got.right) == (box.top, box.left, box.bottom, box.right)
    assert back.attributes == box.attributes
    assert back.object_id == (None if object_id is None else str(object_id))


@settings(max_examples=100, deadline=None)
@given(box=boxes(), angle=COORDINATE)
def test_box_from_platform_layout_keeps_its_rotation_angle(box: Box, angle: float) -> None:
    platform = {
        "type": "box",
        "label": box.label,
        "coordinates": [
            {"x": box.left, "y": box.top, "z": 0},
            {"x": box.right, "y": box.bottom, "z": 0},
            angle,
        ],
        "metadata": {"system": {"attributes": box.attributes}},
    }
    rotated = Annotation.from_json(platform).annotation_definition
    assert isinstance(rotated, Box) and rotated.angle == angle
    assert rotated.coordinates() == (platform["coordinates"] if angle else platform["coordinates"][:2])
    assert Annotation.from_json(platform).to_json() == platform


@settings(max_examples=200, deadline=None)
@given(x=COORDINATE, y=COORDINATE, label=LABELS, attributes=ATTRIBUTES, object_id=OBJECT_IDS)
def test_point_converts_exactly(
    x: float, y: float, label: str, attributes: dict[str, Any], object_id: Any
) -> None:
    point = Point(x=x, y=y, label=label, attributes=attributes)
    wire = _wire(Annotation.from_definition(point, object_id=object_id))
    # A point is a single {x, y, z} object, not a list.
    assert wire["coordinates"] == {"x": x, "y": y, "z": 0}
    assert wire["type"] == "point" and wire["label"] == label
    assert wire["metadata"]["system"] == _system(point, object_id, True)
    got = Annotation.from_json(wire).annotation_definition
    assert isinstance(got, Point) and (got.x, got.y) == (x, y) and got == point


@settings(max_examples=100, deadline=None)
@given(label=LABELS, attributes=ATTRIBUTES, object_id=OBJECT_IDS)
def test_classification_has_no_coordinates(label: str, attributes: dict[str, Any], object_id: Any) -> None:
    classification = Classification(label=label, attributes=attributes)
    wire = _wire(Annotation.from_definition(classification, object_id=object_id))
    assert wire == {
        "type": "class",
        "label": label,
        "metadata": {"system": _system(classification, object_id, True)},
    }
    assert "coordinates" not in wire
    got = Annotation.from_json(wire).annotation_definition
    assert isinstance(got, Classification) and got == classification
    # The platform may also send an explicit null.
    assert Annotation.from_json({**wire, "coordinates": None}).annotation_definition == classification


POINT_LISTS = st.lists(st.tuples(COORDINATE, COORDINATE), min_size=2, max_size=12)


@settings(max_examples=200, deadline=None)
@given(points=POINT_LISTS, label=LABELS, attributes=ATTRIBUTES, kind=st.sampled_from([Polygon, Polyline]))
def test_polygon_and_polyline_convert_exactly(
    points: list[tuple[float, float]], label: str, attributes: dict[str, Any], kind: type[Polygon]
) -> None:
    shape = kind(geo=[list(p) for p in points], label=label, attributes=attributes)
    wire = _wire(Annotation.from_definition(shape))
    assert wire["type"] == ("segment" if kind is Polygon else "polyline")
    assert wire["coordinates"] == [[{"x": x, "y": y} for x, y in points]]
    got = Annotation.from_json(wire).annotation_definition
    assert isinstance(got, kind) and got == shape
    assert got.geo.tolist() == [[float(x), float(y)] for x, y in points]
    # A flat list of points (no ring nesting) reads the same.
    flat = {**wire, "coordinates": wire["coordinates"][0]}
    assert Annotation.from_json(flat).annotation_definition == shape


def test_polygon_accepts_a_numpy_array() -> None:
    np = pytest.importorskip("numpy")
    shape = Polygon(geo=np.array([[1.5, 2.0], [3.0, 4.25], [0.0, 0.0]]), label="cat")
    assert shape.coordinates() == [[{"x": 1.5, "y": 2.0}, {"x": 3.0, "y": 4.25}, {"x": 0.0, "y": 0.0}]]


def test_definition_attached_to_an_item_carries_its_ids() -> None:
    item = Item.from_json({"id": "i1", "datasetId": "d1", "filename": "/a.png", "name": "a.png"})
    builder = dw.AnnotationBuilder(item)
    builder.add(annotation_definition=Box(top=1, left=2, bottom=3, right=4, label="cat"), object_id=7)
    (annotation,) = builder
    assert annotation.to_json() == {
        "type": "box",
        "label": "cat",
        "metadata": {"system": {"automated": True, "attributes": {}, "objectId": "7"}},
        "coordinates": [{"x": 2.0, "y": 1.0, "z": 0}, {"x": 4.0, "y": 3.0, "z": 0}],
        "itemId": "i1",
        "datasetId": "d1",
    }


def test_unknown_annotation_type_has_no_definition() -> None:
    with pytest.raises(ValueError, match="'cube'"):
        _ = Annotation.from_json({"type": "cube", "label": "cat", "coordinates": []}).annotation_definition
