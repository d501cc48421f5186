"""``dataset.tasks`` and ``task.assignments``: create tasks and read their assignments."""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, overload

from ...exceptions import NotFound
from ..entities.base import EntityList
from ..entities.item import Item
from ..entities.page import PagedEntities
from ..entities.task import Assignment, Task
from ..filters import Filters, FiltersOperations, FiltersResource
from .owner import required

if TYPE_CHECKING:
    from ..client import Client
    from ..entities.dataset import Dataset

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
PRIORITIES = {"low": 1, "medium": 2, "high": 3}


def referring_items(
    client: Client, dataset_id: str | None, ref_id: str, filters: Filters | None
) -> PagedEntities[Item]:
    """Items of the dataset whose ``metadata.system.refs`` name ``ref_id`` (a task or an assignment)."""
    if dataset_id is None:
        raise ValueError(f"the dataset of task or assignment {ref_id!r} is not known; pass dataset=")
    filters = copy.deepcopy(filters) if filters is not None else Filters(use_defaults=False)
    filters.add(field="metadata.system.refs.id", values=[ref_id], operator=FiltersOperations.IN)
    return PagedEntities(
        client, f"/datasets/{dataset_id}/query", filters.prepare(), lambda d: Item.from_json(d, client)
    )


def change_task_items(
    task: Task,
    action: str,
    filters: Filters | None,
    items: list[Item] | Item | None,
    query: dict[str, Any] | None,
    assignee_ids: list[str] | None = None,
    workload: list[dict[str, Any]] | None = None,
    limit: int | None = None,
) -> None:
    """``POST /annotationtasks/{id}/addToTask`` or ``.../removeFromTask`` with the SDK's payload."""
    if filters is None and items is None and query is None:
        raise ValueError(f"task {task.name!r}: give items=, filters= or query= to say which items")
    if query is None:
        if filters is None:
            listed = items if isinstance(items, list) else [items] if items is not None else []
            filters = Filters(field="id", values=[i.id for i in listed], operator="in", use_defaults=False)
        query = filters.prepare()
    body: dict[str, Any] = {"query": json.dumps(query), "asynced": True}
    if workload is None and assignee_ids is not None:
        workload = [{"assigneeId": a, "load": 100 / len(assignee_ids)} for a in assignee_ids]
    if workload is not None:
        body["workload"] = workload
    if limit is not None:
        body["limit"] = limit
    task.client.json("POST", f"/annotationtasks/{task.id}/{action}", json=body)


def _ids(entities: Any) -> list[str]:
    """Ids from an entity, an id, or a list of either (dtlpy's ``recipe=`` and ``assignments=``)."""
    listed = entities if isinstance(entities, (list, tuple)) else [entities]
    return [e if isinstance(e, str) else e.id for e in listed]


def _due_ms(due_date: float | datetime.datetime | None) -> float:
    """Epoch milliseconds from a datetime or from epoch seconds (the tutorial passes ``.timestamp()``);
    without one, a week from now, as dtlpy gives."""
    if due_date is None:
        due_date = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=7)
    if isinstance(due_date, datetime.datetime):
        return due_date.timestamp() * 1000
    return float(due_date) * 1000


class Tasks:
    """The tasks of one dataset (``dataset.tasks``) or project (``project.tasks``); ``dw.tasks`` gets
    tasks by id and lists those of the ``project_ids`` given."""

    def __init__(self, client: Client, dataset: Dataset | None = None, project_id: str | None = None) -> None:
        self.client = client
        self._dataset = dataset
        self._project_id = project_id or (dataset.project_id if dataset is not None else None)

    @property
    def dataset(self) -> Dataset:
        return required(self._dataset, "tasks", "dataset")

    def create(
        self,
        task_name: str,
        due_date: float | datetime.datetime | None = None,
        assignee_ids: list[str] | None = None,
        items: list[Item] | None = None,
        filters: Filters | None = None,
        priority: int | str = 2,
        task_owner: str | None = None,
        task_type: str = "annotation",
        task_parent_id: str | None = None,
        project_id: str | None = None,
        recipe_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        query: dict[str, Any] | None = None,
    ) -> Task:
        """A task over ``items`` (or the items ``filters`` or a DQL ``query`` match), its work split evenly
        among ``assignee_ids`` (emails), one assignment each. ``task_type`` is 'annotation' or 'qa' (a QA
        task names the task it reviews in ``task_parent_id``)."""
        if task_type not in ("annotation", "qa"):
            raise ValueError(f"task_type must be 'annotation' or 'qa', got {task_type!r}")
        assignees = list(assignee_ids or [])
        bad = [a for a in assignees if not isinstance(a, str) or not _EMAIL.match(a)]
        if not assignees:
            raise ValueError(
                f"task {task_name!r} needs assignee_ids, a non-empty list of emails; got {assignee_ids!r}"
            )
        if bad:
            raise ValueError(
                f"task {task_name!r} has assignee_ids that are not emails (e.g. 'ann@example.com'): {bad}"
            )
        if items is not None and filters is not None:
            raise ValueError("give items= or filters=, not both")
        if query is None and items is not None:
            query = {
                "filter": {"$and": [{"id": {"$in": [item.id for item in items]}}]},
                "page": 0,
                "pageSize": 1000,
                "resource": "items",
            }
        elif query is None:
            query = (filters or Filters()).prepare()
        level = PRIORITIES.get(priority, 0) if isinstance(priority, str) else priority
        if level not in (1, 2, 3):
            raise ValueError(f"priority {priority!r} must be 1, 2, 3 or 'low', 'medium', 'high'")
        body = {
            "name": task_name,
            "query": json.dumps(query),
            "taskOwner": task_owner or self.client.user_email,
            "spec": {"type": task_type, **({"parentTaskId": task_parent_id} if task_parent_id else {})},
            "datasetId": self.dataset.id,
            "projectId": project_id or self.dataset.project_id,
            "assignmentIds": [],
            "recipeId": recipe_id or next(iter(self.dataset.recipe_ids), None),
            "dueDate": _due_ms(due_date),
            "asynced": True,
            "priority": level,
            "workload": [{"assigneeId": a, "load": 100 / len(assignees)} for a in assignees],
        }
        if metadata is not None:
            body["metadata"] = metadata
        command = self.client.json("POST", "/annotationtasks", json=body)
        return self.get(task_id=command["spec"]["createdTaskId"])

    def create_qa_task(
        self,
        task: Task,
        assignee_ids: list[str],
        due_date: float | datetime.datetime | None = None,
        filters: Filters | None = None,
        items: list[Item] | None = None,
        query: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        priority: int | str = 2,
    ) -> Task:
        """A QA task ``<task name>_qa`` reviewing ``task``: over the items that have a status in it (and
        that ``filters`` or ``query`` match), or over ``items``; as dtlpy's ``create_qa_task``."""
        if not isinstance(task, Task):
            raise TypeError(f"create_qa_task(task=) takes the Task to review, got {task!r:.80}")
        done = {"id": task.id, "type": "task", "metadata": {"status": {"$exists": True}}}
        if query is not None:
            query = copy.deepcopy(query)
            conditions = query.setdefault("filter", {}).setdefault("$and", [])
            conditions.append({"metadata.system.refs": {"$match": done}})
        elif items is None:
            filters = copy.deepcopy(filters) if filters is not None else Filters()
            filters.add(field="metadata.system.refs", values=done, operator=FiltersOperations.MATCH)
        return self.create(
            task_name=f"{task.name}_qa",
            due_date=due_date,
            assignee_ids=assignee_ids,
            items=items,
            filters=filters,
            priority=priority,
            task_owner=task.creator,
            task_type="qa",
            task_parent_id=task.id,
            project_id=task.project_id,
            recipe_id=task.recipe_id,
            metadata=metadata,
            query=query,
        )

    def get(self, task_id: str | None = None, task_name: str | None = None) -> Task:
        """A task by id, or by name within the dataset (or the projects) this repository belongs to."""
        if task_id is not None:
            return Task.from_json(self.client.json("GET", f"/annotationtasks/{task_id}"), self.client)
        if task_name is None:
            raise ValueError("tasks.get needs task_id= or task_name=")
        found = self.query(Filters(field="name", values=task_name, resource=FiltersResource.TASK)).items
        if not found:
            where = f"dataset {self._dataset.name!r}" if self._dataset is not None else "the project(s)"
            raise NotFound(f"Task not found: {where} has no task named {task_name!r}")
        return found[0]

    def _project_ids(self, project_ids: str | Sequence[str] | None) -> list[str]:
        """The projects a listing looks in: those given, else the dataset's or the project's."""
        if project_ids is not None:
            return [project_ids] if isinstance(project_ids, str) else list(project_ids)
        if self._project_id is None:
            raise ValueError("dw.tasks.list needs project_ids= (a project id or a list of them)")
        return [self._project_id]

    @overload
    def list(
        self, project_ids: str | Sequence[str] | None = None, *, filters: Filters
    ) -> PagedEntities[Task]: ...

    @overload
    def list(self, *args: Any, **kwargs: Any) -> EntityList[Task]: ...

    def list(
        self,
        project_ids: str | Sequence[str] | None = None,
        status: str | None = None,
        task_name: str | None = None,
        pages_size: int | None = None,
        page_offset: int | None = None,
        recipe: Any = None,
        creator: str | None = None,
        assignments: Any = None,
        min_date: float | None = None,
        max_date: float | None = None,
        filters: Filters | None = None,
    ) -> EntityList[Task] | PagedEntities[Task]:
        """One page of tasks (500 by default), with dtlpy's arguments: ``status`` ('open', 'completed'),
        ``task_name``, ``recipe`` and ``assignments`` (entities or ids), ``creator`` (an email),
        ``min_date``/``max_date`` (due date, epoch ms). With ``filters`` (``resource=TASK``), all pages."""
        if filters is not None:
            return self.query(filters=filters, project_ids=project_ids)
        conditions: list[dict[str, Any]] = []
        if self._dataset is not None:
            conditions.append({"datasetId": self._dataset.id})
        if assignments is not None:
            conditions.append({"assignmentIds": {"$in": _ids(assignments)}})
        for field, value in (("status", status), ("name", task_name)):
            if value is not None:
                conditions.append({field: value})
        if recipe is not None:
            conditions.append({"recipeId": {"$in": _ids(recipe)}})
        if creator is not None:
            conditions.append({"creator": creator})
        for op, date in (("$gt", min_date), ("$lt", max_date)):
            if date is not None:
                conditions.append({"dueDate": {op: date}})
        body = {
            "filter": {"$and": conditions} if conditions else {},
            "page": page_offset or 0,
            "pageSize": 500 if pages_size is None else pages_size,
            "resource": "tasks",
            "context": {"projectIds": self._project_ids(project_ids)},
        }
        page = self.client.json("POST", "/annotationtasks/query", json=body)
        return EntityList[Task](Task.from_json(t, self.client) for t in page["items"])

    def query(
        self, filters: Filters | None = None, project_ids: str | Sequence[str] | None = None
    ) -> PagedEntities[Task]:
        """The tasks ``filters`` (``resource=FiltersResource.TASK``) match, a page at a time."""
        filters = copy.deepcopy(filters) if filters is not None else Filters(resource=FiltersResource.TASK)
        if filters.resource != FiltersResource.TASK:
            raise ValueError(
                f"tasks.query needs Filters(resource=FiltersResource.TASK), got {filters.resource!r}"
            )
        ids = self._project_ids(project_ids)
        if project_ids is None and self._project_id is not None:
            filters.add(field="projectId", values=self._project_id)
        if self._dataset is not None:
            filters.add(field="datasetId", values=self._dataset.id)
        query = {**filters.prepare(), "context": {"projectIds": ids}}
        return PagedEntities(
            self.client, "/annotationtasks/query", query, lambda d: Task.from_json(d, self.client)
        )

    def delete(
        self,
        task: Task | None = None,
        task_name: str | None = None,
        task_id: str | None = None,
        wait: bool = True,
    ) -> bool:
        """Delete a task (entity, name or id) with its assignments; its items lose their refs to it."""
        if task_id is None:
            if task is None and task_name is None:
                raise ValueError("tasks.delete needs task=, task_name= or task_id=")
            task_id = (task or self.get(task_name=task_name)).id
        self.client.request("DELETE", f"/annotationtasks/{task_id}", json={"asynced": wait})
        return True

    def set_status(self, status: str, operation: str, task_id: str, item_ids: Sequence[str]) -> bool:
        """Set (``operation='create'``) or clear (``'delete'``) the status of items in a task, as dtlpy; the
        whole call is refused if one item is not in the task."""
        if operation not in ("create", "delete"):
            raise ValueError(f"operation must be 'create' or 'delete', got {operation!r}")
        if isinstance(item_ids, str) or not all(isinstance(i, str) for i in item_ids):
            raise ValueError(f"item_ids must be a list of item ids, got {item_ids!r:.80}")
        value = status.value if isinstance(status, Enum) else status
        payload = {"operation": operation, "returnLastStatus": True, "status": value}
        body = {"itemIds": list(item_ids), "statusPayload": payload}
        self.client.request("POST", f"/assignments/items/tasks/{task_id}/status", json=body)
        return True


class Assignments:
    """The assignments of one task (``task.assignments``) or project (``project.assignments``);
    ``dw.assignments`` gets assignments by id and lists those of the ``project_ids`` given."""

    def __init__(self, client: Client, task: Task | None = None, project_id: str | None = None) -> None:
        self.client = client
        self._task = task
        self._project_id = project_id or (task.project_id if task is not None else None)

    @property
    def task(self) -> Task:
        return required(self._task, "assignments", "task")

    def get(self, assignment_id: str) -> Assignment:
        return Assignment.from_json(self.client.json("GET", f"/assignments/{assignment_id}"), self.client)

    def list(
        self,
        project_ids: str | Sequence[str] | None = None,
        status: str | None = None,
        assignment_name: str | None = None,
        assignee_id: str | None = None,
        pages_size: int | None = None,
        page_offset: int | None = None,
        task_id: str | None = None,
    ) -> EntityList[Assignment]:
        """Assignments, with dtlpy's arguments: of the task (``task.assignments``) or ``task_id``, in
        ``project_ids`` (the task's project by default), by ``status`` ('open', 'completed'), name and
        assignee email; one page of ``pages_size`` (500)."""
        if project_ids is None:
            if self._project_id is None:
                raise ValueError("dw.assignments.list needs project_ids= (a project id or a list of them)")
            project_ids = [self._project_id]
        listed = [project_ids] if isinstance(project_ids, str) else list(project_ids)
        params: dict[str, Any] = {"projects": ",".join(listed)}
        for key, value in (("status", status), ("name", assignment_name), ("annotator", assignee_id)):
            if value is not None:
                params[key] = value
        params["pageSize"] = 500 if pages_size is None else pages_size
        if page_offset is not None:
            params["pageOffset"] = page_offset
        task_id = task_id if task_id is not None else self._task.id if self._task is not None else None
        if task_id is not None:
            params["taskId"] = task_id
        body = self.client.json("GET", "/assignments", params=params)
        return EntityList[Assignment](Assignment.from_json(a, self.client) for a in body["items"])

    def set_status(self, status: str, operation: str, item_id: str, assignment_id: str) -> bool:
        """Set (``operation='create'``) or clear (``'delete'``) an item's status in an assignment."""
        path = f"/assignments/{assignment_id}/items/{item_id}/status"
        self.client.request("POST", path, json={"operation": operation, "status": status})
        return True
