"""The TaskCreator: a task from selected or filtered items, with every field checked first."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

import dlwidgets as dw
from dlwidgets.widgets.task_creator import TaskCreator, parse_emails


@pytest.fixture
def items(dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]) -> list[dw.Item]:
    made = []
    for folder, name in (("/a", "1.jpg"), ("/a", "2.jpg"), ("/a/deep", "3.jpg"), ("/b", "4.jpg")):
        item = dataset.items.upload(local_path=make_jpeg(32, 24), remote_path=folder, remote_name=name)
        assert isinstance(item, dw.Item)
        made.append(item)
    return made


def fill(
    creator: TaskCreator, name: str = "label cars", assignees: str = "ann@example.com, bob@example.com"
) -> None:
    creator._name.value = name
    creator._assignees.value = assignees


def test_a_task_for_three_selected_items_and_two_assignees(dataset: dw.Dataset, items: list[dw.Item]) -> None:
    creator = TaskCreator(dataset, items=items[:3])
    created = []
    creator.on_create(created.append)
    fill(creator)
    task = creator.create()
    assert task is not None and created == [task]
    stored = dataset.tasks.get(task_id=task.id)
    assert stored.name == "label cars" and stored.total_items == 3
    assignments = stored.assignments.list()
    assert {a.annotator for a in assignments} == {"ann@example.com", "bob@example.com"}
    assert sorted(a.total_items for a in assignments) == [1, 2]  # the workload split evenly
    assert {i.id for a in assignments for i in a.get_items().all()} == {i.id for i in items[:3]}
    assert "ann@example.com: " in creator._result.children[1].children[0].value
    assert "label cars" in creator._tasks.children[0].children[0].value
    split = sorted(row.children[0].value for row in creator._result.children[1:])
    assert any(": 1 item</span>" in text for text in split), split  # one item, said in the singular


def test_a_task_from_a_folder_filter_with_a_live_count(dataset: dw.Dataset, items: list[dw.Item]) -> None:
    creator = TaskCreator(dataset)
    assert "4 items" in creator._count.value
    creator._folder.value = "/a"
    assert "3 items" in creator._count.value
    creator._annotated.value = "annotated"
    assert "0 items" in creator._count.value
    creator._annotated.value = "any"
    fill(creator, assignees="ann@example.com")
    task = creator.create()
    assert task is not None and dataset.tasks.get(task_id=task.id).total_items == 3


@pytest.mark.parametrize(
    ("field", "change", "message"),
    [
        ("name", lambda c: setattr(c._name, "value", "  "), "give the task a name"),
        (
            "due",
            lambda c: setattr(c._due, "value", datetime.date.today() - datetime.timedelta(days=1)),
            "in the past",
        ),
        (
            "assignees",
            lambda c: setattr(c._assignees, "value", "ann@example.com, bob"),
            "not email addresses: bob",
        ),
        ("assignees", lambda c: setattr(c._assignees, "value", ""), "at least one assignee"),
        ("items", lambda c: setattr(c, "items", []), "no items"),
    ],
)
def test_bad_fields_are_refused_at_the_field_and_nothing_is_written(
    dataset: dw.Dataset, items: list[dw.Item], field: str, change: Callable[[TaskCreator], None], message: str
) -> None:
    creator = TaskCreator(dataset, items=items)
    fill(creator)
    change(creator)
    assert creator.create() is None
    assert message in creator._errors[field].value
    assert list(dataset.tasks.list()) == []


def test_a_duplicate_name_is_refused(dataset: dw.Dataset, items: list[dw.Item]) -> None:
    creator = TaskCreator(dataset, items=items)
    fill(creator)
    assert creator.create() is not None
    fill(creator)  # the form was cleared after the first
    assert creator.create() is None
    assert "already exists" in creator._errors["name"].value


def test_annotate_opens_the_assignment(dataset: dw.Dataset, items: list[dw.Item]) -> None:
    creator = TaskCreator(dataset, items=items[:2])
    opened: list[dw.Assignment] = []
    creator.on_open_annotator(opened.append)
    fill(creator, assignees="ann@example.com")
    task = creator.create()
    assert task is not None
    creator._result.children[1].children[1].click()
    assert [a.id for a in opened] == task.assignment_ids


def test_every_task_is_listed_with_its_assignments_and_the_form_is_cleared(
    dataset: dw.Dataset, items: list[dw.Item]
) -> None:
    dataset.tasks.create(task_name="made elsewhere", assignee_ids=["cy@example.com"], items=items[3:])
    creator = TaskCreator(dataset, items=items[:3])
    fill(creator, assignees="ann@example.com")
    task = creator.create()
    assert task is not None
    assert (creator._name.value, creator._assignees.value) == ("", "")  # ready for the next task
    assert creator._due.value == datetime.date.today() + datetime.timedelta(days=7)
    texts = [row.children[0].value for row in creator._tasks.children]
    due = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    assert any("made elsewhere: labeling, open, 1 assignment," in t for t in texts)
    assert any(
        f"label cars: labeling, open, 1 assignment, due {due}, 3 items, progress 0%" in t for t in texts
    )
    assert any("ann@example.com: 0 of 3 done" in t for t in texts)


def test_an_assignment_opens_its_queue_and_a_qa_task_follows(
    dataset: dw.Dataset, items: list[dw.Item]
) -> None:
    task = dataset.tasks.create(task_name="label", assignee_ids=["ann@example.com"], items=items[:2])
    creator = TaskCreator(dataset)
    rows = creator._tasks.children
    open_button = next(r for r in rows if "ann@example.com" in r.children[0].value).children[1]
    open_button.click()
    annotator = creator.annotator
    assert annotator is not None and annotator.queue is not None and annotator.queue_bar is not None
    annotator.queue_bar.complete()
    annotator.queue_bar.complete()
    rows = creator._tasks.children
    qa_button = next(r for r in rows if "label: labeling" in r.children[0].value).children[1]
    qa_button.click()
    assert "add a reviewer" in creator.status
    creator._reviewers.value = "rev@example.com"
    qa_button.click()
    assert "created QA task 'label_qa' over 2 items" in creator.status
    texts = [row.children[0].value for row in creator._tasks.children]
    assert any("label: labeling, completed, 1 assignment," in t and "progress 100%" in t for t in texts)
    assert any("label_qa: QA, open" in t for t in texts)
    assert {t.name for t in dataset.tasks.list()} == {task.name, "label_qa"}


def test_parse_emails() -> None:
    assert parse_emails("a@x.org, b@y.com\nnot-an-email;c@z.io") == (
        ["a@x.org", "b@y.com", "c@z.io"],
        ["not-an-email"],
    )


def test_assignments_list_their_items_and_annotate_opens_an_annotator_here(
    dataset: dw.Dataset, items: list[dw.Item]
) -> None:
    creator = TaskCreator(dataset, items=items[:3])
    fill(creator)
    task = creator.create()
    assert task is not None
    rows = {row.children[0].value.split(":")[0].split(">")[-1]: row for row in creator._result.children[1:]}
    for assignment in task.assignments.list():
        names = [i.name for i in assignment.get_items().all()]
        assert f"({', '.join(names)})" in rows[assignment.annotator or ""].children[0].value
    ann = next(a for a in task.assignments.list() if a.annotator == "ann@example.com")
    rows["ann@example.com"].children[1].click()  # no on_open_annotator callback: shown in the creator
    annotator = creator.annotator
    assert annotator is not None and creator._annotate.children[1] is annotator
    assert annotator._total == ann.total_items and annotator.queue is not None
    assert [i.id for i in annotator._items] == [i.id for i in ann.get_items().all()]
    rows["bob@example.com"].children[1].click()  # the next one replaces it
    assert creator.annotator is not annotator and creator._annotate.children[1] is creator.annotator


def test_many_item_names_are_counted_not_listed(dataset: dw.Dataset, items: list[dw.Item]) -> None:
    from dlwidgets.widgets.task_creator import _names

    names = _names(items * 3)
    assert names.count(".jpg") == 10 and names.endswith(" and 2 more)</span>")
    assert "&lt;b&gt;" in _names([items[0].model_copy(update={"name": "<b>.jpg"})])
    assert _names(items[:2], total=25).endswith("2.jpg and 15 more)</span>")


def test_assignment_items_can_be_limited(dataset: dw.Dataset, items: list[dw.Item]) -> None:
    task = dataset.tasks.create(task_name="t", assignee_ids=["ann@example.com"], items=items)
    (assignment,) = task.assignments.list()
    assert len(assignment.get_items()) == 4
    first_two = dw.Filters(use_defaults=False, page_size=2)
    assert [i.id for i in assignment.get_items(filters=first_two).items] == [i.id for i in items[:2]]
