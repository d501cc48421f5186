"""QA notes as the platform stores them: a 'note' annotation whose coordinates hold a box and the
conversation, its status in ``metadata.system.status``; read back with ``annotation.messages``, answered
with ``add_message`` and ``update()``, on both transports."""

from __future__ import annotations

import warnings

import pytest
from labelled import labelled_image

import dlwidgets as dw


def notes(item: dw.Item) -> dw.AnnotationCollection:
    """The item's notes: the default annotation filter leaves them out, as dtlpy's does."""
    return item.annotations.list(
        filters=dw.Filters(field="type", values="note", resource=dw.FiltersResource.ANNOTATION)
    )


def test_a_rejection_note_is_stored_as_the_platform_stores_it(both: dw.Client) -> None:
    _, item = labelled_image(both, "qa", "pets", ["cat"], width=60, height=40)
    item.annotations.upload([dw.Box(left=1, top=2, right=30, bottom=20, label="cat")])
    builder = item.annotations.builder()
    note = dw.Note(
        left=0, top=0, right=60, bottom=40, label="note", messages=["the box misses the tail"],
        assignee="ann@example.com", creator="rev@example.com",
    )  # fmt: skip
    builder.add(note)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a note's label is not an ontology label: no warning
        (stored,) = item.annotations.upload(builder)
    assert stored.type == "note" and stored.metadata["system"]["status"] == "issue"
    assert stored.coordinates["box"] == [{"x": 0, "y": 0, "z": 0}, {"x": 60, "y": 40, "z": 0}]
    written = stored.coordinates["note"]
    assert (written["status"], written["creator"], written["assignee"]) == (
        "issue",
        "rev@example.com",
        "ann@example.com",
    )
    assert [(m["body"], m["creator"]) for m in written["messages"]] == [
        ("the box misses the tail", both.user_email)
    ]
    assert [a.type for a in item.annotations.list()] == ["box"]

    (read,) = notes(item)
    assert [m.body for m in read.messages] == ["the box misses the tail"]
    definition = read.annotation_definition
    assert isinstance(definition, dw.Note)
    assert (definition.status, definition.assignee, definition.right) == ("issue", "ann@example.com", 60)
    read.add_message("fixed, please look again")
    read.update()
    (again,) = notes(item)
    assert [m.body for m in again.messages] == ["the box misses the tail", "fixed, please look again"]


def test_only_a_note_has_messages(both: dw.Client) -> None:
    _, item = labelled_image(both, "qa", "pets", ["cat"])
    (box,) = item.annotations.upload([dw.Box(left=1, top=2, right=30, bottom=20, label="cat")])
    with pytest.raises(ValueError, match="'box' has no messages; only a note"):
        box.add_message("hello")


def test_the_items_with_open_notes_are_found_by_a_join(both: dw.Client) -> None:
    """What an annotator's queue asks: which of my items have an open QA note."""
    dataset, item = labelled_image(both, "qa", "pets", ["cat"])
    other = dataset.items.upload(local_path=item.download(save_locally=False).getvalue(), remote_name="b.png")
    for target, status in ((item, "issue"), (other, "approved")):
        note = dw.Note(left=0, top=0, right=5, bottom=5, label="note", messages=["look"], status=status)
        target.annotations.upload([note])
    with_issues = dw.Filters()
    with_issues.add_join(field="type", values="note")
    with_issues.add_join(field="metadata.system.status", values="issue")
    assert [i.id for i in dataset.items.list(filters=with_issues).all()] == [item.id]
