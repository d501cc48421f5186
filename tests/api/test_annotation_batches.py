"""An upload of more annotations than one request carries: an invalid one is named by its place in the whole
upload; the embedded workspace stores nothing of it, and over HTTP the error says what was stored."""

from __future__ import annotations

from typing import Any

import pytest
from labelled import labelled_image

import dlwidgets as dw

TOTAL, BAD = 1500, 1200


@pytest.fixture
def client(both: dw.Client) -> dw.Client:
    return both


def boxes(count: int, bad: int | None = None) -> list[dict[str, Any]]:
    """``count`` boxes labelled 'car'; the one at ``bad`` has a right edge left of its left edge."""
    return [
        {
            "type": "box",
            "label": "car",
            "coordinates": [{"x": i % 50, "y": 1}, {"x": i % 50 - 5 if i == bad else i % 50 + 5, "y": 9}],
        }
        for i in range(count)
    ]


def test_an_invalid_annotation_is_named_by_its_place_in_the_whole_upload(client: dw.Client) -> None:
    _, item = labelled_image(client, "batches", "boxes", ["car"])
    with pytest.raises(dw.exceptions.BadRequest) as raised:
        item.annotations.upload(boxes(TOTAL, bad=BAD))
    message = raised.value.message
    assert f"annotation #{BAD} " in message and "is left of or above" in message
    assert f"annotation #{BAD - 1000} " not in message
    stored = item.annotations.list()
    if client.is_local:
        # Checked whole before anything is written, and written in one transaction.
        assert stored == []
        assert "stored" not in message
    else:
        # Over HTTP each batch is its own request: the error says which were stored and which were not.
        assert len(stored) == 1000
        assert "#0-#999 of 1500 were stored" in message
        assert "#1000-#1499 were not" in message
    assert item.dataset.items.get(item_id=item.id).annotations_count == len(stored)


def test_a_valid_upload_of_many_batches_is_stored_whole(client: dw.Client) -> None:
    _, item = labelled_image(client, "batches", "boxes", ["car"])
    created = item.annotations.upload(boxes(TOTAL))
    assert len(created) == TOTAL == len(item.annotations.list())


def test_a_batch_offset_that_is_not_a_whole_number_is_refused(client: dw.Client) -> None:
    _, item = labelled_image(client, "batches", "boxes", ["car"])
    response = client.http.post(
        f"/items/{item.id}/annotations", json=boxes(1), headers={"x-annotations-offset": "-3"}
    )
    assert response.status_code == 400
    assert "x-annotations-offset must be a whole number" in response.json()["message"]
    assert "'-3'" in response.json()["message"]
    assert item.annotations.list() == []


def test_an_upload_heavier_than_the_servers_json_limit_is_stored_both_ways(client: dw.Client) -> None:
    # 1,200 annotations of ~10 KB: one batch of 1,000 is ~10 MB, over dlwidgets serve's 8 MiB for JSON.
    _, item = labelled_image(client, "batches", "heavy", ["car"])
    heavy = [{**box, "metadata": {"user": {"note": "x" * 10_000}}} for box in boxes(TOTAL - 300)]
    created = item.annotations.upload(heavy)
    assert len(created) == len(item.annotations.list()) == TOTAL - 300
    assert item.annotations.list()[-1].metadata["user"]["note"] == "x" * 10_000
