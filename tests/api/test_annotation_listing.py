"""An item's annotations read whole: ``item.annotations.pages_json()`` gives the platform JSON that
``annotations.list()`` makes its entities from, in one query and without fetching the dataset; the
listing's answer is spliced from the stored columns, strings escaped as one annotation's own answer has
them. On both transports."""

from __future__ import annotations

import pytest
from route_recorder import requests_made

import dlwidgets as dw

# Labels that JSON must escape: quotes, backslashes, control and non-ASCII characters.
ODD_LABELS = ['say "hi"', "back\\slash", "tab\there", "ünïcode ✓", "line\u2028sep"]


def annotated(client: dw.Client, count: int) -> dw.Item:
    dataset = client.projects.create(project_name="zoo").datasets.create(dataset_name="photos")
    item = dataset.items.upload(local_path=b"not an image", remote_name="a.bin")
    builder = item.annotations.builder()
    for k in range(count):
        label = ODD_LABELS[k % len(ODD_LABELS)]
        builder.add(dw.Box(left=k, top=2 * k, right=k + 10.5, bottom=2 * k + 7.25, label=label))
    builder.add(dw.Classification(label="whole"))
    with pytest.warns(UserWarning):  # the labels are not in the ontology
        item.annotations.upload(annotations=builder)
    return item


def test_pages_json_is_what_list_reads(both: dw.Client) -> None:
    item = annotated(both, 12)
    pages = list(item.annotations.pages_json())
    assert [a for page in pages for a in page] == [a.to_json() for a in item.annotations.list()]
    assert {a["label"] for page in pages for a in page} == {*ODD_LABELS, "whole"}


def test_pages_json_asks_one_query_and_nothing_else(both: dw.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    item = annotated(both, 3)
    with requests_made(monkeypatch) as made:
        assert sum(len(page) for page in item.annotations.pages_json()) == 4
    assert [method for method, _ in made] == ["POST"]


def test_the_listing_holds_each_annotation_as_its_own_answer_does(both: dw.Client) -> None:
    item = annotated(both, 10)
    listed = both.http.post(f"/datasets/{item.dataset_id}/query", json={"resource": "annotations"}).json()
    assert len(listed["items"]) == 11
    for annotation in listed["items"]:
        assert annotation == both.http.get(f"/annotations/{annotation['id']}").json()
