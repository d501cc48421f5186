"""``tasks.list(...)`` and ``assignments.list(...)`` with dtlpy's arguments, on both transports."""

from __future__ import annotations

import pytest
from photos import photos

import dlwidgets as dw


def two_tasks(client: dw.Client) -> tuple[dw.Dataset, dw.Task, dw.Task]:
    """A dataset with a finished task over its first item and an open one over both."""
    dataset, items = photos(client, 2)
    done = dataset.tasks.create(
        task_name="done", assignee_ids=["ann@example.com"], items=items[:1], due_date=1_900_000_000
    )
    done.set_status(status="completed", operation="create", item_ids=[items[0].id])
    ongoing = dataset.tasks.create(
        task_name="ongoing",
        assignee_ids=["ann@example.com", "bo@example.com"],
        items=items,
        due_date=2_000_000_000,
    )
    return dataset, dataset.tasks.get(task_id=done.id), ongoing


def names(tasks: list[dw.Task]) -> list[str]:
    return sorted(t.name for t in tasks)


def test_tasks_list_takes_the_sdks_arguments(both: dw.Client) -> None:
    dataset, done, ongoing = two_tasks(both)
    tasks = dataset.tasks
    assert names(tasks.list()) == ["done", "ongoing"]
    assert names(tasks.list(status="completed")) == ["done"]
    assert names(tasks.list(status="open")) == ["ongoing"]
    assert names(tasks.list(task_name="ongoing")) == ["ongoing"]
    assert names(tasks.list(creator=both.user_email, recipe=dataset.recipe_ids[0])) == [
        "done",
        "ongoing",
    ]
    assert names(tasks.list(creator="bo@example.com")) == []
    assert names(tasks.list(min_date=1_950_000_000_000)) == ["ongoing"]
    assert names(tasks.list(max_date=1_950_000_000_000)) == ["done"]
    assert names(tasks.list(assignments=ongoing.assignments.list()[1])) == ["ongoing"]
    assert names(tasks.list(assignments=[done.assignment_ids[0]])) == ["done"]
    assert [names(tasks.list(pages_size=1, page_offset=p)) for p in (0, 1, 2)] == [["done"], ["ongoing"], []]
    paged = tasks.list(filters=dw.Filters(field="name", values="done", resource=dw.FiltersResource.TASK))
    assert names(list(paged.all())) == ["done"]
    assert tasks.get(task_name="ongoing").id == ongoing.id
    with pytest.raises(dw.exceptions.NotFound, match="'later'"):
        tasks.get(task_name="later")


def test_module_level_tasks_list_needs_projects(both: dw.Client) -> None:
    dataset, _, _ = two_tasks(both)
    assert names(both.tasks.list(project_ids=dataset.project_id)) == ["done", "ongoing"]
    assert names(both.tasks.list(project_ids=[dataset.project_id], status="completed")) == ["done"]
    with pytest.raises(ValueError, match="project_ids="):
        both.tasks.list()


def test_a_projects_tasks_and_assignments(both: dw.Client) -> None:
    dataset, done, _ = two_tasks(both)
    project = both.projects.get(project_id=dataset.project_id)
    assert names(project.tasks.list()) == ["done", "ongoing"]
    assert project.tasks.get(task_name="done").id == done.id
    assert [a.annotator for a in project.assignments.list(assignee_id="bo@example.com")] == ["bo@example.com"]


def test_assignments_list_takes_the_sdks_arguments(both: dw.Client) -> None:
    dataset, done, ongoing = two_tasks(both)
    project = dataset.project_id
    everyone = both.assignments.list(project_ids=project)
    assert len(everyone) == 3
    assert [a.annotator for a in both.assignments.list(project_ids=project, status="completed")] == [
        "ann@example.com"
    ]
    bo = both.assignments.list(project_ids=project, assignee_id="bo@example.com")
    assert [(a.annotator, a.task_id) for a in bo] == [("bo@example.com", ongoing.id)]
    assert [a.id for a in both.assignments.list(project_ids=project, assignment_name=bo[0].name)] == [
        bo[0].id
    ]
    assert {a.task_id for a in both.assignments.list(project_ids=project, task_id=done.id)} == {done.id}
    assert len(ongoing.assignments.list(status="open")) == 2
    pages = [both.assignments.list(project_ids=project, pages_size=2, page_offset=p) for p in (0, 1)]
    assert [len(p) for p in pages] == [2, 1]
    assert {a.id for p in pages for a in p} == {a.id for a in everyone}
    with pytest.raises(ValueError, match="project_ids="):
        both.assignments.list()
