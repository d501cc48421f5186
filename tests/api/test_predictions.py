"""Model predictions: ``model_info=`` on the builder and on ``upload`` writes ``metadata.user.model`` as
dtlpy does; accepting one makes it a human annotation (``automated`` false) and keeps the model info;
rejecting one deletes it."""

from __future__ import annotations

import pytest
from converter_data import png
from route_recorder import requests_made

import dlwidgets as dw
from dlwidgets.api import Filters

YOLO = {"name": "yolo-v8", "confidence": 0.875, "model_id": "m-1"}


def new_item(client: dw.Client) -> dw.Item:
    dataset = client.projects.create(project_name="preds").datasets.create(dataset_name="street")
    dataset.add_label(label_name="car")
    item = dataset.items.upload(local_path=png(64, 48), remote_path="/", remote_name="a.png")
    assert isinstance(item, dw.Item)
    return item


def test_the_builder_writes_model_info_as_dtlpy_does(both: dw.Client) -> None:
    item = new_item(both)
    builder = item.annotations.builder()
    builder.add(dw.Box(top=1, left=2, bottom=10, right=20, label="car"), model_info=YOLO)
    builder.add(dw.Box(top=5, left=5, bottom=9, right=9, label="car"))
    item.annotations.upload(builder)
    stored = {a.coordinates[0]["x"]: a for a in item.annotations.list()}
    prediction, human = stored[2], stored[5]
    assert prediction.metadata["user"]["model"] == {"confidence": 0.875, "name": "yolo-v8", "model_id": "m-1"}
    assert prediction.model_info == YOLO and prediction.automated is True and prediction.is_prediction
    assert human.model_info is None and not human.is_prediction


def test_upload_with_model_info_marks_every_annotation(both: dw.Client) -> None:
    item = new_item(both)
    boxes = [dw.Box(top=i, left=i, bottom=i + 5, right=i + 5, label="car") for i in range(3)]
    uploaded = item.annotations.upload(boxes, model_info={"confidence": 1})
    assert [a.model_info for a in uploaded] == [{"confidence": 1.0, "name": None, "model_id": None}] * 3


@pytest.mark.parametrize(
    ("model_info", "message"),
    [
        ({"name": "yolo"}, "must be a dict with a 'confidence'"),
        ({"confidence": 1.5}, "from 0 to 1, got 1.5"),
        ({"confidence": "high"}, "from 0 to 1, got 'high'"),
    ],
)
def test_bad_model_info_is_refused_and_nothing_stored(
    client: dw.Client, model_info: dict, message: str
) -> None:
    item = new_item(client)
    box = dw.Box(top=1, left=2, bottom=10, right=20, label="car")
    with pytest.raises(ValueError, match=message):
        item.annotations.builder().add(box, model_info=model_info)
    with pytest.raises(ValueError, match=message):
        item.annotations.upload([box], model_info=model_info)
    assert len(item.annotations.list()) == 0


def test_accept_makes_a_human_annotation_and_keeps_the_model_info(both: dw.Client) -> None:
    item = new_item(both)
    high, low = item.annotations.upload(
        [
            dw.Box(top=1, left=2, bottom=10, right=20, label="car"),
            dw.Box(top=3, left=3, bottom=8, right=8, label="car"),
        ],
        model_info={"name": "yolo-v8", "confidence": 0.9, "model_id": "m-1"},
    )
    low.metadata["user"]["model"]["confidence"] = 0.2
    low.update()
    confident = dw.Filters(resource=dw.FiltersResource.ANNOTATION)
    confident.add(
        field="metadata.user.model.confidence", values=0.5, operator=dw.FiltersOperations.GREATER_THAN
    )
    (found,) = item.annotations.list(filters=confident)
    assert found.id == high.id

    accepted = found.accept()
    assert accepted.automated is False and not accepted.is_prediction
    assert accepted.model_info == {"name": "yolo-v8", "confidence": 0.9, "model_id": "m-1"}
    stored = {a.id: a for a in item.annotations.list()}
    assert stored[high.id].automated is False and stored[high.id].model_info == accepted.model_info
    assert stored[low.id].is_prediction

    assert low.delete()  # rejecting a prediction deletes it
    assert [a.id for a in item.annotations.list()] == [high.id]


def test_accept_takes_annotations_only(client: dw.Client) -> None:
    with pytest.raises(TypeError, match="takes Annotation entities, got dict"):
        client.annotations.accept([{"id": "x"}])  # type: ignore[list-item]


def test_accept_predictions_accepts_those_at_the_threshold_on_many_items_in_one_request(
    both: dw.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = new_item(both)
    second = first.dataset.items.upload(local_path=png(64, 48), remote_path="/", remote_name="b.png")
    assert isinstance(second, dw.Item)
    for item in (first, second):
        for score in (0.3, 0.7):
            box = dw.Box(top=1, left=2, bottom=10, right=20, label="car")
            item.annotations.upload([box], model_info={**YOLO, "confidence": score})
        item.annotations.upload([dw.Box(top=5, left=5, bottom=9, right=9, label="car")])  # a person's
    before = [item.annotations.version() for item in (first, second)]
    ids = Filters(field="itemId", values=[first.id, second.id], operator="in", resource="annotations")
    annotations = first.dataset.annotations
    with requests_made(monkeypatch) as made:
        accepted = annotations.accept_predictions(ids, min_confidence=0.5)
    assert accepted == 2 and made == [("POST", "/datasets/{dataset_id}/query")]
    for item, version in zip((first, second), before, strict=True):
        listed = item.annotations.list()
        found = sorted((a.model_info or {}).get("confidence", 0) for a in listed if a.automated)
        assert found == [0, 0.3]  # the person's box stays as it was, and the weak prediction too
        (kept,) = [a for a in item.annotations.list() if a.automated is False]
        assert kept.model_info == {**YOLO, "confidence": 0.7}  # the model info stays as provenance
        assert item.annotations.version() != version  # a draft read before is refused, not overwritten
    assert annotations.accept_predictions(ids, min_confidence=0.5) == 0  # none left


def test_accept_predictions_refuses_a_bad_threshold(client: dw.Client) -> None:
    dataset = new_item(client).dataset
    with pytest.raises(ValueError, match=r"min_confidence must be a number from 0 to 1, got 1\.5"):
        dataset.annotations.accept_predictions(min_confidence=1.5)


def test_user_metadata_that_is_not_a_mapping_is_no_prediction(both: dw.Client) -> None:
    """``metadata.user`` as another tool wrote it (a name, not a mapping): no model info, no prediction, and
    an Annotator shows the item (it asks every shape whether it is a prediction)."""
    from dlwidgets.widgets.annotator import Annotator

    item = new_item(both)
    builder = item.annotations.builder()
    builder.add(dw.Box(top=1, left=2, bottom=10, right=20, label="car"))
    item.annotations.upload(builder)
    (annotation,) = item.annotations.list()
    annotation.metadata["user"] = "alice"
    annotation.update()
    (stored,) = item.annotations.list()
    assert stored.metadata["user"] == "alice"
    assert stored.model_info is None and not stored.is_prediction
    annotator = Annotator(item)
    try:
        assert [a.id for a in annotator.annotations] == [stored.id]
    finally:
        annotator.close()
