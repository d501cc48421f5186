"""Labels outside the ontology are stored, as the platform stores them, on both transports; the API layer
warns with a ``UserWarning`` naming the label and the ontology's labels, so a typo stays visible."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest
from labelled import labelled_image
from route_recorder import requests_made

import dlwidgets as dw


@pytest.fixture
def client(both: dw.Client) -> dw.Client:
    return both


def test_a_label_outside_the_ontology_is_stored_with_a_warning_naming_it(client: dw.Client) -> None:
    _, item = labelled_image(client, "outside", "animals", ["cat", "dog"])
    builder = item.annotations.builder()
    builder.add(dw.Box(top=1, left=1, bottom=5, right=5, label="cat"))
    builder.add(dw.Point(x=3, y=3, label="horse"))
    with pytest.warns(UserWarning) as caught:
        item.annotations.upload(annotations=builder)
    (warning,) = caught
    message = str(warning.message)
    assert "'horse'" in message and "['cat', 'dog']" in message
    assert warning.filename == __file__  # it points at the user's line, not at dlwidgets
    stored = sorted((a.type, a.label) for a in item.annotations.list())
    assert stored == [("box", "cat"), ("point", "horse")]
    assert item.dataset.items.get(item_id=item.id).annotations_count == 2


def test_labels_in_the_ontology_and_nested_ones_raise_no_warning(client: dw.Client) -> None:
    dataset, item = labelled_image(client, "inside", "animals", ["cat"])
    dataset.add_label(label_name="cat.tabby")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        item.annotations.upload([dw.Classification(label="cat"), dw.Classification(label="cat.tabby")])
    assert sorted(a.label for a in item.annotations.list()) == ["cat", "cat.tabby"]


def test_a_prompt_response_labelled_free_text_is_stored(client: dw.Client) -> None:
    """The SDK's ``PromptItem.add`` stores an assistant's answer as a 'text' annotation labelled
    'free-text' on a dataset whose ontology is empty."""
    _, item = labelled_image(client, "prompts", "chat", [])
    response = {
        "type": "text",
        "label": "free-text",
        "coordinates": "A grey square.",
        "metadata": {"system": {"promptId": "1"}, "user": {"model": None}},
    }
    with pytest.warns(UserWarning, match="'free-text' is not in the ontology"):
        (created,) = item.annotations.upload([response])
    assert (created.type, created.label, created.coordinates) == ("text", "free-text", "A grey square.")


def outside_warnings(upload: Callable[[], object]) -> list[str]:
    """The messages of the labels-outside-the-ontology warnings ``upload()`` raised, each one counted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        upload()
    return [str(w.message) for w in caught if "is not in the ontology" in str(w.message)]


def test_the_label_check_reads_the_ontology_once_per_upload_call(
    client: dw.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A loop of uploads with a label outside the ontology costs one ontology read per call beside the
    upload itself, and one warning per unknown label of the call."""
    _, item = labelled_image(client, "reads", "animals", ["cat"])
    outside_warnings(lambda: item.annotations.upload([dw.Classification(label="cat")]))
    for _ in range(3):
        with requests_made(monkeypatch) as made:
            shown = outside_warnings(
                lambda: item.annotations.upload(
                    [
                        dw.Classification(label="horse"),
                        dw.Point(x=1, y=1, label="horse"),
                        dw.Point(x=2, y=2, label="cat"),
                    ]
                )
            )
        assert [m for m in made if m[0] == "GET"] == [("GET", "/ontologies/{ontology_id}")]
        assert len(shown) == 1 and "'horse'" in shown[0]


def test_a_batch_over_many_items_reads_the_ontology_once(
    client: dw.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset, item = labelled_image(client, "batch", "animals", ["cat"])
    other = dataset.items.upload(local_path=item.read(), remote_path="/", remote_name="other.png")
    assert isinstance(other, dw.Item)
    boxes = np.array([[1, 1, 5, 5], [2, 2, 6, 6], [3, 3, 7, 7]], dtype=float)
    with requests_made(monkeypatch) as made:
        shown = outside_warnings(
            lambda: dataset.annotations.upload_arrays(
                [item.id, other.id, item.id], boxes, ["cat", "horse", "zebra"]
            )
        )
    assert [message.split()[1] for message in shown] == ["'horse'", "'zebra'"]
    assert made.count(("GET", "/ontologies/{ontology_id}")) == 1


def test_the_warning_follows_the_ontology_as_it_changes_between_calls(client: dw.Client) -> None:
    dataset, item = labelled_image(client, "changes", "animals", ["cat"])
    horse = [dw.Classification(label="horse")]
    assert len(outside_warnings(lambda: item.annotations.upload(horse))) == 1
    dataset.add_label(label_name="horse")
    assert outside_warnings(lambda: item.annotations.upload(horse)) == []
    # A second ontology added to the dataset's recipe counts too.
    recipe = dataset.recipes.list()[0]
    recipe.ontologies.create(labels=["zebra"])
    assert outside_warnings(lambda: item.annotations.upload([dw.Classification(label="zebra")])) == []
    assert len(outside_warnings(lambda: item.annotations.upload([dw.Classification(label="gnu")]))) == 1
