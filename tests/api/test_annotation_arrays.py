"""Annotations as NumPy arrays: a model's output (boxes N x 4, labels, scores) goes onto an item in one
call, and an item's or a dataset's boxes come back as the same arrays."""

from __future__ import annotations

import numpy as np
import pytest
from converter_data import png

import dlwidgets as dw

BOXES = np.array([[2.0, 1.0, 20.0, 10.0], [5.5, 5.25, 9.0, 9.0], [0.0, 0.0, 64.0, 48.0]])
LABELS = np.array(["car", "person", "car"])
SCORES = np.array([0.9, 0.35, np.nan])


def new_items(client: dw.Client, count: int = 1) -> list[dw.Item]:
    dataset = client.projects.create(project_name="arrays").datasets.create(dataset_name="street")
    dataset.add_labels(label_list=["car", "person"])
    items = [
        dataset.items.upload(local_path=png(64, 48), remote_path="/", remote_name=f"{i}.png")
        for i in range(count)
    ]
    assert all(isinstance(item, dw.Item) for item in items)
    return items  # type: ignore[return-value]


def test_a_models_output_goes_in_and_comes_back_as_the_same_arrays(both: dw.Client) -> None:
    (item,) = new_items(both)
    item.annotations.upload([dw.Point(x=3, y=4, label="car")])  # not a box: no row
    uploaded = item.annotations.upload_arrays(
        boxes=BOXES, labels=LABELS, scores=SCORES, model_info={"name": "detr", "model_id": "m-7"}
    )
    assert [a.model_info for a in uploaded] == [
        {"confidence": 0.9, "name": "detr", "model_id": "m-7"},
        {"confidence": 0.35, "name": "detr", "model_id": "m-7"},
        None,  # a NaN score: an annotation no model made
    ]
    arrays = item.annotations.arrays()
    assert len(arrays) == 3 and arrays.boxes.shape == (3, 4) and arrays.boxes.dtype == np.float64
    np.testing.assert_array_equal(arrays.boxes, BOXES)
    np.testing.assert_array_equal(arrays.labels, LABELS)
    np.testing.assert_array_equal(arrays.scores, SCORES)
    assert list(arrays.ids) == [a.id for a in uploaded] and set(arrays.item_ids) == {item.id}


def test_a_datasets_boxes_as_arrays_with_their_items(both: dw.Client) -> None:
    first, second = new_items(both, 2)
    first.annotations.upload_arrays(boxes=BOXES[:2], labels=LABELS[:2])
    second.annotations.upload_arrays(boxes=BOXES[2:], labels=LABELS[2:], scores=[0.5])
    arrays = first.dataset.annotations.arrays()
    assert sorted(arrays.item_ids.tolist()) == sorted([first.id, first.id, second.id])
    by_item = arrays.item_ids == second.id
    np.testing.assert_array_equal(arrays.boxes[by_item], BOXES[2:])
    assert arrays.scores[by_item].tolist() == [0.5] and np.isnan(arrays.scores[~by_item]).all()

    cars = dw.Filters(resource=dw.FiltersResource.ANNOTATION, field="label", values="car")
    assert first.dataset.annotations.arrays(filters=cars).labels.tolist() == ["car", "car"]
    empty = dw.Filters(resource=dw.FiltersResource.ANNOTATION, field="label", values="bus")
    assert first.dataset.annotations.arrays(filters=empty).boxes.shape == (0, 4)


def test_a_batch_over_many_items_goes_in_with_one_call(both: dw.Client) -> None:
    first, second = new_items(both, 2)
    item_ids = [second.id, first.id, second.id]
    stored = first.dataset.annotations.upload_arrays(
        item_ids=item_ids, boxes=BOXES, labels=LABELS, scores=SCORES, model_info={"name": "detr"}
    )
    assert stored.item_ids.tolist() == item_ids  # in the rows' order, with the new ids
    np.testing.assert_array_equal(stored.boxes, BOXES)
    np.testing.assert_array_equal(stored.scores, SCORES)
    assert sorted(stored.ids.tolist()) == sorted(first.dataset.annotations.arrays().ids.tolist())
    assert second.annotations.arrays().labels.tolist() == ["car", "car"]
    assert [a.model_info for a in first.annotations.list()] == [
        {"confidence": 0.35, "name": "detr", "model_id": None}
    ]


def test_a_batch_naming_an_unknown_item_stores_nothing(client: dw.Client) -> None:
    (item,) = new_items(client)
    with pytest.raises(ValueError, match="has no item with id 'nope' "):
        item.dataset.annotations.upload_arrays(
            item_ids=[item.id, "nope", item.id], boxes=BOXES, labels=LABELS
        )
    with pytest.raises(ValueError, match=r"item_ids must hold one id per box \(3\)"):
        item.dataset.annotations.upload_arrays(item_ids=[item.id], boxes=BOXES, labels=LABELS)
    assert len(item.dataset.annotations.arrays()) == 0


@pytest.mark.parametrize(
    ("boxes", "labels", "scores", "message"),
    [
        (np.zeros((2, 3)), ["car", "car"], None, r"N x 4 array .* shape \(2, 3\)"),
        (BOXES, ["car"], None, r"labels must hold one value per box \(3\)"),
        (BOXES, LABELS, [0.5, 0.5], r"scores must hold one value per box \(3\)"),
        ([[1, 1, 0, 5]], ["car"], None, r"boxes\[0\] \[1.0, 1.0, 0.0, 5.0\]: box 'car' has right=0.0 < left"),
        ([[1, 1, np.inf, 5]], ["car"], None, r"boxes\[0\] .* must be a finite number"),
        ([[1, 1, 2, 5]], ["car"], [1.5], r"confidence' must be a number from 0 to 1, got 1.5"),
    ],
)
def test_bad_arrays_are_refused_naming_the_row_and_nothing_is_stored(
    client: dw.Client, boxes: object, labels: object, scores: object, message: str
) -> None:
    (item,) = new_items(client)
    with pytest.raises(ValueError, match=message):
        item.annotations.upload_arrays(boxes=boxes, labels=labels, scores=scores)
    assert len(item.annotations.arrays()) == 0
