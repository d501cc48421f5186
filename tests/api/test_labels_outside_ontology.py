"""Labels outside the ontology are stored, as the platform stores them, on both transports; the API layer
warns with a ``UserWarning`` naming the label and the ontology's labels, so a typo stays visible."""

from __future__ import annotations

import warnings

import pytest
from labelled import labelled_image

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
