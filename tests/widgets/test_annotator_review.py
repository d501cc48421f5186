"""The Annotator's review mode, used as a person would: a model's predictions shown over the image with
their score, the confidence slider hiding the weak ones with one drawing per change, accept (K) making one
a human annotation with its model info kept, reject (X) deleting one, J moving to the next, and "accept all
shown"; "accept all" for a whole assignment, or all the items, after a confirmation; what is stored is
read back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from route_recorder import requests_made
from widgets import test_annotator_messages as recorded
from widgets.test_annotator_messages import Sent, during

import dlwidgets as dw
from dlwidgets.widgets.annotator import Annotator
from dlwidgets.widgets.models.bulk_accept import any_prediction, is_prediction
from dlwidgets.widgets.models.work_queue import WorkQueue

SCORES = (0.9, 0.6, 0.3)
sent = recorded.sent  # the fixture that records each message leaving the kernel


def predicted(item: dw.Item) -> None:
    """A person's box, and three of a model's with the scores above."""
    item.annotations.upload([dw.Box(top=5, left=5, bottom=50, right=50, label="person")])
    for n, score in enumerate(SCORES):
        box = dw.Box(top=100, left=100 + 60 * n, bottom=150, right=150 + 60 * n, label="car")
        item.annotations.upload([box], model_info={"name": "detr", "confidence": score, "model_id": "m-1"})


def press(annotator: Annotator, key: str) -> None:
    annotator._on_gesture({"type": "key", "key": key, "ctrl": False, "shift": False})


def stored(item: dw.Item) -> list[tuple[str, Any, bool | None]]:
    """(label, confidence, automated) of each stored annotation, by confidence."""
    found = [(a.label, (a.model_info or {}).get("confidence"), a.automated) for a in item.annotations.list()]
    return sorted(found, key=lambda f: (f[1] is not None, f[1] or 0))


def scores(annotator: Annotator) -> list[float]:
    return [
        annotator.edits.shape(k)["metadata"]["user"]["model"]["confidence"]
        for k in annotator.review.predictions()
    ]  # type: ignore[union-attr]


def test_the_slider_hides_weak_predictions_with_one_drawing_per_change(
    image_item: dw.Item, sent: Sent
) -> None:
    predicted(image_item)
    annotator = Annotator(image_item, review=True)
    assert scores(annotator) == [0.9, 0.6, 0.3]
    messages = during(sent, lambda: annotator.review.set("threshold", 0.5))
    drawings = [m for m in messages if m[0] is annotator.stage and m[1] == "update"]
    assert len(drawings) == 1, "one drawing per change"
    assert scores(annotator) == [0.9, 0.6]
    assert annotator.review.value("info") == "2 predictions shown, 1 under 0.50"
    annotator.close()


def test_accept_and_reject_with_the_keys_are_stored(image_item: dw.Item) -> None:
    predicted(image_item)
    annotator = Annotator(image_item, review=True)
    annotator.review.set("threshold", 0.5)
    press(annotator, "j")  # the first prediction shown: 0.9
    press(annotator, "k")  # accepted; the next one (0.6) is selected
    press(annotator, "x")  # rejected
    assert annotator.status_kind == "notice", annotator.status
    assert annotator.review.predictions() == []
    assert annotator.save()
    assert stored(image_item) == [("person", None, True), ("car", 0.3, True), ("car", 0.9, False)]
    (accepted,) = [a for a in image_item.annotations.list() if a.automated is False]
    assert accepted.model_info == {"name": "detr", "confidence": 0.9, "model_id": "m-1"}
    assert not accepted.is_prediction
    annotator.close()


def test_accept_all_shown_accepts_those_at_the_threshold_only(image_item: dw.Item) -> None:
    predicted(image_item)
    annotator = Annotator(image_item, review=True)
    annotator.review.set("threshold", 0.6)
    annotator.review.accept_all()
    assert annotator.save()
    assert stored(image_item) == [
        ("person", None, True),
        ("car", 0.3, True),
        ("car", 0.6, False),
        ("car", 0.9, False),
    ]
    annotator.undo()  # one edit: undone at once
    assert scores(annotator) == [0.9, 0.6]
    annotator.close()


def test_outside_review_mode_the_keys_do_nothing_and_predictions_are_plain(image_item: dw.Item) -> None:
    predicted(image_item)
    annotator = Annotator(image_item)
    assert ["K", "review: accept the selected prediction"] in annotator.stage.shortcuts  # the ? overlay
    assert annotator.review.split(annotator.edits.shapes())[1] == []  # type: ignore[union-attr]
    annotator._select(annotator.edits.keys()[1])  # type: ignore[union-attr]
    press(annotator, "k")
    assert not annotator.is_dirty
    annotator.review.set("review", True)  # the Review toggle pressed
    annotator.review.accept()
    assert annotator.is_dirty
    annotator.close()


def test_accept_without_a_prediction_selected_is_refused_in_the_status_line(image_item: dw.Item) -> None:
    predicted(image_item)
    annotator = Annotator(image_item, review=True)
    press(annotator, "k")
    assert annotator.status_kind == "error" and "select a prediction first" in annotator.status
    annotator.review.set("threshold", 0.95)
    press(annotator, "j")
    assert "no predictions at or above 0.95" in annotator.status
    annotator.close()


def test_a_polygon_prediction_is_drawn_as_usual_and_filtered_by_the_slider(image_item: dw.Item) -> None:
    polygon = dw.Polygon(geo=[[10, 10], [60, 10], [40, 50]], label="car")
    image_item.annotations.upload([polygon], model_info={"name": "seg", "confidence": 0.4})
    annotator = Annotator(image_item, review=True)
    plain, dashed = annotator.review.split(annotator.edits.shapes())  # type: ignore[union-attr]
    assert [s["type"] for _, s in plain] == ["segment"] and dashed == []
    annotator.review.set("threshold", 0.5)
    assert annotator.review.split(annotator.edits.shapes()) == ([], [])  # type: ignore[union-attr]
    annotator.close()


def scored(item: dw.Item, *scores: float) -> None:
    """A person's box on ``item``, and a model's box for each score."""
    item.annotations.upload([dw.Box(top=1, left=1, bottom=9, right=9, label="person")])
    for score in scores:
        box = dw.Box(top=10, left=10, bottom=30, right=30, label="car")
        item.annotations.upload([box], model_info={"name": "detr", "confidence": score})


def accepted(item: dw.Item) -> list[float]:
    """The confidences of ``item``'s accepted predictions, as stored."""
    found = [a.model_info["confidence"] for a in item.annotations.list() if a.model_info and not a.automated]
    return sorted(found)


def test_accept_all_in_the_assignment_asks_then_accepts_a_page_of_items_per_request_keeping_drafts(
    task: dw.Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    assignment = task.assignments.list()[0]
    first, second, third = WorkQueue(assignment).items
    scored(first, 0.9, 0.3)
    scored(second, 0.8, 0.6)
    scored(third, 0.2)
    annotator = Annotator(assignment, review=True, autosave=False)
    annotator.annotations = [*annotator.annotations, dw.Box(left=40, top=5, right=60, bottom=40, label="car")]
    review = annotator.review
    review.set("threshold", 0.5)
    with requests_made(monkeypatch) as counting:
        review.press("ask_everywhere")  # "Accept all in the assignment…"
    queries = [route for route in counting if route[1].endswith("/query")]
    assert review.is_shown("accept_them") and len(queries) == 2  # one page of items, two counts
    assert review.value("question") == "Accept 3 predictions at or above 0.50 on 2 items in the assignment?"
    with requests_made(monkeypatch) as accepting:
        review.press("accept_them")
    assert accepting == [("POST", "/datasets/{dataset_id}/query")]  # the stored items, in one request
    assert not review.is_shown("accept_them")
    assert "accepted 3 predictions on 2 items" in annotator.status
    assert "1 item with drafts keep them unsaved" in annotator.status
    assert review.predictions() == []  # the item shown is drawn accepted ...
    assert len(annotator.annotations) == 4 and annotator.is_dirty  # ... its draft kept, the new box too
    assert accepted(second) == [0.6, 0.8] and accepted(third) == []
    assert accepted(first) == []  # not stored until saved
    assert annotator.save()
    assert accepted(first) == [0.9] and len(first.annotations.list()) == 4
    annotator.undo()  # the acceptance on the shown item is one edit, undone at once
    assert scores(annotator) == [0.9]
    annotator.discard()
    annotator.close()


def test_an_item_shown_between_the_question_and_the_answer_is_accepted_in_its_edits(task: dw.Task) -> None:
    second = WorkQueue(task).items[1]
    scored(second, 0.8)
    annotator = Annotator(task, review=True, autosave=False)
    annotator.review.ask_accept_everywhere()  # counted in the store: the second item is not open yet
    annotator.next()  # now it is, with its prediction not accepted
    annotator.review.accept_everywhere()
    assert annotator.review.predictions() == [] and annotator.is_dirty  # accepted in its edits ...
    assert accepted(second) == []
    assert annotator.save()  # ... and saved without a conflict with the store
    assert accepted(second) == [0.8]
    annotator.close()


def test_accept_all_items_outside_a_task_saves_the_shown_item_with_autosave(
    dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]
) -> None:
    items = [dataset.items.upload(local_path=make_jpeg(64, 48), remote_name=f"{n}.jpg") for n in range(2)]
    scored(items[0], 0.7)
    scored(items[1], 0.4, 0.9)
    annotator = Annotator(dataset, review=True)
    review = annotator.review
    assert review.scope == "on all items"
    review.set("threshold", 0.5)
    review.ask_accept_everywhere()
    assert review.value("question") == "Accept 2 predictions at or above 0.50 on 2 of the 2 items?"
    review.accept_everywhere()
    assert [accepted(item) for item in items] == [[0.7], [0.9]]
    assert annotator.save_state == "saved" and review.predictions() == []
    annotator.close()


def test_accept_all_in_the_assignment_refuses_none_and_forgets_a_count_when_the_threshold_moves(
    task: dw.Task,
) -> None:
    scored(WorkQueue(task).items[1], 0.6)
    annotator = Annotator(task, review=True)
    review = annotator.review
    review.set("threshold", 0.7)
    review.press("ask_everywhere")  # "Accept all in the task…"
    assert annotator.status_kind == "error"
    assert "no predictions at or above 0.70 to accept in the task" in annotator.status
    review.set("threshold", 0.5)
    review.ask_accept_everywhere()
    review.set("threshold", 0.55)  # what was counted is for 0.50: asked again
    assert not review.is_shown("accept_them")
    review.press("accept_them")
    assert "press 'Accept all in the task' first" in annotator.status
    assert accepted(WorkQueue(task).items[1]) == []
    annotator.close()


@pytest.mark.parametrize(
    ("metadata", "is_predicted"),
    [
        (None, False),
        ({}, False),
        ({"user": None}, False),
        ({"user": {"model": "detr"}}, False),  # model info is a dict
        ({"user": {"model": {"name": "detr"}}}, True),
        ({"user": {"model": {"name": "detr"}}, "system": None}, True),
        ({"user": {"model": {"name": "detr"}}, "system": {"automated": True}}, True),
        ({"user": {"model": {"name": "detr"}}, "system": {"automated": False}}, False),  # accepted
    ],
)
def test_a_prediction_is_a_models_annotation_not_accepted_yet(metadata: Any, is_predicted: bool) -> None:
    """A shape with a model's info and not yet accepted is a prediction, and an item with one among its
    shapes has predictions (the Annotator shows it the review bar)."""
    plain = {"type": "box", "metadata": {"user": {}}}
    shape = {"type": "box", "metadata": metadata}
    assert is_prediction(shape) is is_predicted
    assert any_prediction([plain, shape]) is is_predicted
    assert not any_prediction([plain]) and not any_prediction([{"type": "box"}])
