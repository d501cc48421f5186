"""``Filters`` takes an operator as the SDK's enum member or as its text, with or without the ``$``."""

from __future__ import annotations

import pytest

import dlwidgets as dw


@pytest.mark.parametrize(
    ("operator", "values", "expected"),
    [
        (dw.FiltersOperations.GREATER_THAN, "0a", {"$gt": "0a"}),
        (dw.FiltersOperations.IN, "/a", {"$in": ["/a"]}),
        (dw.FiltersOperations.NOT_IN, ["/a", "/b"], {"$nin": ["/a", "/b"]}),
        (dw.FiltersOperations.EXISTS, True, {"$exists": True}),
        ("gt", 3, {"$gt": 3}),
        ("$lte", 3, {"$lte": 3}),
    ],
)
def test_operators_as_enum_members_or_text(
    operator: dw.FiltersOperations | str, values: object, expected: dict[str, object]
) -> None:
    filters = dw.Filters(field="dir", values=values, operator=operator)
    assert filters.prepare()["filter"]["$and"][-1] == {"dir": expected}


def test_dataset_items_list_with_annotation_filters_lists_annotations(client: dw.Client) -> None:
    """As in the SDK: an ANNOTATION-resource filter on ``dataset.items.list`` pages annotations."""
    dataset = client.projects.create(project_name="p").datasets.create(dataset_name="d")
    dataset.ontology().add_labels(["car", "person"])
    item = dataset.items.upload(local_path=b"\x00", remote_name="a.bin")
    assert isinstance(item, dw.Item)
    item.annotations.upload([dw.Point(x=1, y=1, label="car"), dw.Point(x=2, y=2, label="person")])
    filters = dw.Filters(resource=dw.FiltersResource.ANNOTATION, field="label", values="car")
    pages = dataset.items.list(filters=filters)
    assert pages.items_count == 1
    (annotation,) = pages.items
    assert isinstance(annotation, dw.Annotation) and annotation.label == "car"
    both = dw.Filters(resource=dw.FiltersResource.ANNOTATION, field="label", values=["car", "person"])
    assert dataset.items.list(filters=both, page_size=1).items_count == 2
