"""``/annotationtasks``, ``/assignments`` and ``/commands``: tasks split into one assignment per assignee.

Creating a task answers with a finished Command (as the platform's asynchronous task creation does), whose
``spec.createdTaskId`` names the new task.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from typing import Any

from ...exceptions import BadRequest, Conflict, NotFound
from ..access import require_references, visible_clause
from ..documents import dumps, loads, paged, parse_json, require_str
from ..dql import ITEMS, TASKS, compile_filter, compile_query
from ..ids import new_id, utc_now
from ..names import check_name
from ..progress import assignment_progress, task_progress
from ..queries import context_clause, csv_arg, page_args, page_of
from ..roles import require_role
from ..routing import Request, router
from ..workspace import Workspace
from .datasets import load_dataset

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
# The ids a new task refers to: each must be the caller's to read.
_REFERENCES = (
    ("datasetId", "dataset_id"), ("projectId", "project_id"), ("recipeId", "recipe_id"),
    ("spec.parentTaskId", "task_id"),
)  # fmt: skip


_TASK_ITEMS = (
    "SELECT DISTINCT ai.item_id FROM assignment_items ai JOIN assignments a ON a.id = ai.assignment_id"
    " WHERE a.task_id = ?"
)


def _task_json(row: sqlite3.Row, ws: Workspace, req: Request) -> dict[str, Any]:
    """The task's document with its progress, read from its items' statuses."""
    doc = loads(row["doc"])
    return {**doc, "url": f"{req.base_url}/annotationtasks/{row['id']}", **task_progress(ws.db, row["id"])}


def _assignment_json(row: sqlite3.Row, ws: Workspace, req: Request) -> dict[str, Any]:
    """The assignment's document with its progress, read from its items' statuses."""
    doc = loads(row["doc"])
    return {
        **doc,
        "url": f"{req.base_url}/assignments/{row['id']}",
        **assignment_progress(ws.db, row["id"]),
    }


# The item refs the tasks handler writes; refs of other kinds in an item's metadata are left alone.
_TASK_REFS = ("task", "assignment")


def refresh_refs(db: sqlite3.Connection, item_ids: Iterable[str]) -> None:
    """Rewrite ``metadata.system.refs`` of these items from their assignments, as the platform keeps them:
    ``{'type': 'task', 'id'}`` and ``{'type': 'assignment', 'id'}`` for each task the item is in. A ref that
    stays keeps its ``metadata`` (the item's status in that task)."""
    for item_id in dict.fromkeys(item_ids):
        row = db.execute("SELECT metadata FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            continue
        metadata = loads(row["metadata"])
        system = metadata.setdefault("system", {})
        old = [r for r in system.get("refs") or [] if isinstance(r, dict)]
        kept = {(r.get("type"), r.get("id")): r for r in old if r.get("type") in _TASK_REFS}
        refs = [r for r in old if r.get("type") not in _TASK_REFS]
        for task_id, assignment_id in db.execute(
            "SELECT a.task_id, a.id FROM assignment_items ai JOIN assignments a ON a.id = ai.assignment_id"
            " WHERE ai.item_id = ? ORDER BY a.task_id, a.id",
            (item_id,),
        ):
            for key in (("task", task_id), ("assignment", assignment_id)):
                ref = kept.get(key, {"type": key[0], "id": key[1]})
                if ref not in refs:
                    refs.append(ref)
        system["refs"] = refs
        db.execute("UPDATE items SET metadata = ? WHERE id = ?", (dumps(metadata), item_id))


def keep_task_refs(before: dict[str, Any], metadata: dict[str, Any]) -> bool:
    """Put back an item's task and assignment refs (and the statuses in them) that a patch of its
    metadata changed: they are written by tasks and status routes only, and a stale copy of the item
    saved whole (dtlpy's ``item.update(system_metadata=True)``) must not undo them. Refs of other kinds
    are the client's. Returns whether it put any back."""
    old = [r for r in (before.get("system") or {}).get("refs") or [] if isinstance(r, dict)]
    system = metadata.get("system")
    sent = system.get("refs") if isinstance(system, dict) else None
    listed = sent if isinstance(sent, list) else []
    owned = [r for r in old if r.get("type") in _TASK_REFS]
    if [r for r in listed if isinstance(r, dict) and r.get("type") in _TASK_REFS] == owned:
        return False
    others = [r for r in listed if not (isinstance(r, dict) and r.get("type") in _TASK_REFS)]
    metadata.setdefault("system", {})["refs"] = [*others, *owned]
    return True


def _split(item_ids: list[str], workload: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """Share items among assignees in proportion to their load, in item order."""
    total_load = sum(w["load"] for w in workload)
    shares, start, acc = [], 0, 0.0
    for w in workload:
        acc += w["load"]
        end = round(len(item_ids) * acc / total_load)
        shares.append((w["assigneeId"], item_ids[start:end]))
        start = end
    return shares


def _check_workload(workload: Any, name: str) -> list[dict[str, Any]]:
    if not isinstance(workload, list) or not workload:
        raise BadRequest(
            f"task {name!r} needs at least one assignee in 'workload' ([{{'assigneeId', 'load'}}]), "
            f"got {workload!r}"
        )
    for entry in workload:
        assignee = entry.get("assigneeId") if isinstance(entry, dict) else None
        if not isinstance(assignee, str) or not _EMAIL.match(assignee):
            raise BadRequest(
                f"task {name!r} has assignee {assignee!r}, which is not an email address such as "
                "'ann@example.com'"
            )
        load = entry.get("load", 100 / len(workload))
        if isinstance(load, bool) or not isinstance(load, (int, float)) or load <= 0:
            raise BadRequest(
                f"task {name!r} gives assignee {assignee!r} load {load!r}; a load is a number > 0"
            )
        entry["load"] = load
    return workload


_TASK_TYPES = ("annotation", "qa")


def _check_spec(ws: Workspace, spec: Any, name: str, dataset: sqlite3.Row) -> dict[str, Any]:
    """The task's ``spec``: its type, and for a QA task the task it reviews, in the same dataset."""
    spec = {"type": "annotation"} if spec is None else spec
    kind = spec.get("type") if isinstance(spec, dict) else None
    if kind not in _TASK_TYPES:
        raise BadRequest(f"task {name!r} has spec {spec!r:.80}; spec.type is one of {list(_TASK_TYPES)}")
    parent_id = spec.get("parentTaskId")
    if kind == "qa" and not parent_id:
        raise BadRequest(f"QA task {name!r} needs spec.parentTaskId: the id of the task it reviews")
    if parent_id:
        parent = _load_task(ws, parent_id)
        if parent["dataset_id"] != dataset["id"]:
            other = load_dataset(ws, parent["dataset_id"])
            raise BadRequest(
                f"QA task {name!r} reviews task {parent['name']!r} ({parent_id!r}) of dataset "
                f"{other['name']!r}; a QA task reviews a task of its own dataset, {dataset['name']!r}"
            )
    return spec


def _task_items(ws: Workspace, dataset_id: str, query: Any) -> list[str]:
    if isinstance(query, str):
        query = parse_json(query, "task 'query'")
    if not isinstance(query, dict):
        raise BadRequest(f"task 'query' must be an items DQL object, got {query!r}")
    where, params = compile_query(query, ITEMS)
    rows = ws.db.execute(
        f"SELECT id FROM items WHERE dataset_id = ? AND type = 'file' AND ({where}) ORDER BY id",
        [dataset_id, *params],
    )
    return [r[0] for r in rows]


@router.route("POST", "/annotationtasks")
def create_task(ws: Workspace, req: Request) -> dict[str, Any]:
    body = req.json_object()
    name = check_name(require_str(body, "name", "a task"), "task name")
    dataset_id = require_str(body, "datasetId", "a task")
    require_references(ws, req, body, _REFERENCES, f"task {name!r}")
    dataset = load_dataset(ws, dataset_id)
    require_role(ws, req, [dataset["project_id"]], "annotationManager", "creating a task")
    workload = _check_workload(body.get("workload"), name)
    spec = _check_spec(ws, body.get("spec"), name, dataset)
    due = body.get("dueDate")
    if due is not None and (isinstance(due, bool) or not isinstance(due, (int, float))):
        raise BadRequest(f"task dueDate must be epoch milliseconds, got {due!r}")
    item_ids = _task_items(ws, dataset["id"], body.get("query") or {})
    if not item_ids:
        raise BadRequest(f"task {name!r} would have no items: its query matches nothing in the dataset")
    now, task_id, command_id = utc_now(), new_id(), new_id()
    shares = [(new_id(), assignee, ids) for assignee, ids in _split(item_ids, workload)]
    task = {
        k: v for k, v in body.items() if k not in ("workload", "asynced", "checkIfExist", "assignmentIds")
    }
    task.update(
        id=task_id,
        name=name,
        status="open",
        projectId=dataset["project_id"],
        creator=req.user,
        taskOwner=body.get("taskOwner") or req.user,
        spec=spec,
        assignmentIds=[a for a, _, _ in shares],
        createdAt=now,
        updatedAt=now,
        priority=body.get("priority", 2),
        progress=0,
        metadata=body.get("metadata") or {},
    )
    try:
        with ws.transaction() as db:
            db.execute(
                "INSERT INTO tasks (id, dataset_id, project_id, name, doc) VALUES (?,?,?,?,?)",
                (task_id, dataset["id"], dataset["project_id"], name, dumps(task)),
            )
            for assignment_id, assignee, ids in shares:
                _insert_assignment(db, assignment_id, task, dataset["id"], assignee, now)
                _assign(db, assignment_id, ids)
            refresh_refs(db, item_ids)
            command = command_row(
                db, command_id, "createTask", {"createTaskPayload": body, "createdTaskId": task_id}
            )
    except sqlite3.IntegrityError:
        raise Conflict(f"a task named {name!r} already exists in dataset {dataset['name']!r}") from None
    return {**command, "url": f"{req.base_url}/commands/{command_id}"}


def _insert_assignment(
    db: sqlite3.Connection, assignment_id: str, task: dict[str, Any], dataset_id: str, assignee: str, now: str
) -> None:
    assignment = {
        "id": assignment_id,
        "name": f"{task['name']} ({assignee})",
        "annotator": assignee,
        "status": "open",
        "projectId": task["projectId"],
        "metadata": {"system": {"taskId": task["id"], "datasetId": dataset_id}},
        "createdAt": now,
        "updatedAt": now,
    }
    db.execute(
        "INSERT INTO assignments (id, task_id, annotator, doc) VALUES (?,?,?,?)",
        (assignment_id, task["id"], assignee, dumps(assignment)),
    )


def _assign(db: sqlite3.Connection, assignment_id: str, item_ids: list[str]) -> None:
    db.executemany(
        "INSERT INTO assignment_items (assignment_id, item_id) VALUES (?, ?)",
        [(assignment_id, i) for i in item_ids],
    )


def command_row(db: sqlite3.Connection, command_id: str, kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    """A finished Command, as the platform answers its asynchronous task operations."""
    now = utc_now()
    command = {
        "id": command_id,
        "type": kind,
        "status": "success",
        "progress": 100,
        "createdAt": now,
        "updatedAt": now,
        "error": None,
        "spec": spec,
    }
    db.execute("INSERT INTO commands (id, doc) VALUES (?, ?)", (command_id, dumps(command)))
    return command


@router.route("POST", "/annotationtasks/{task_id}/addToTask")
def add_to_task(ws: Workspace, req: Request, task_id: str) -> dict[str, Any]:
    """Add the items a query matches (those not in the task yet) to the task: shared among the
    ``workload``'s assignees (new ones get an assignment), or else among the task's assignees."""
    body = req.json_object()
    row = _load_task(ws, task_id)
    task = loads(row["doc"])
    item_ids = _task_items(ws, row["dataset_id"], body.get("query") or {})
    in_task = {r[0] for r in ws.db.execute(_TASK_ITEMS, (task_id,))}
    item_ids = [i for i in item_ids if i not in in_task]
    limit = body.get("limit")
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise BadRequest(f"addToTask 'limit' must be a whole number of items >= 0, got {limit!r}")
        item_ids = item_ids[:limit]
    assignments = {
        r["annotator"]: r["id"]
        for r in ws.db.execute("SELECT id, annotator FROM assignments WHERE task_id = ?", (task_id,))
    }
    if body.get("workload") is not None:
        workload = _check_workload(body["workload"], task["name"])
    else:
        workload = [{"assigneeId": a, "load": 1} for a in assignments]
    if not workload:
        raise BadRequest(f"task {task['name']!r} has no assignees to add items to; give a 'workload'")
    now, command_id = utc_now(), new_id()
    with ws.transaction() as db:
        for assignee, ids in _split(item_ids, workload):
            if assignee not in assignments:
                assignments[assignee] = new_id()
                _insert_assignment(db, assignments[assignee], task, row["dataset_id"], assignee, now)
                task["assignmentIds"] = [*task.get("assignmentIds", []), assignments[assignee]]
            _assign(db, assignments[assignee], ids)
        db.execute("UPDATE tasks SET doc = ? WHERE id = ?", (dumps({**task, "updatedAt": now}), task_id))
        refresh_refs(db, item_ids)
        command = command_row(db, command_id, "addToTask", {"addToTaskPayload": body, "taskId": task_id})
    return {**command, "url": f"{req.base_url}/commands/{command_id}"}


@router.route("POST", "/annotationtasks/{task_id}/removeFromTask")
def remove_from_task(ws: Workspace, req: Request, task_id: str) -> dict[str, Any]:
    """Take the items a query matches out of the task's assignments."""
    body = req.json_object()
    row = _load_task(ws, task_id)
    item_ids = _task_items(ws, row["dataset_id"], body.get("query") or {})
    command_id = new_id()
    with ws.transaction() as db:
        db.execute(
            "DELETE FROM assignment_items WHERE assignment_id IN"
            " (SELECT id FROM assignments WHERE task_id = ?) AND item_id IN (SELECT value FROM json_each(?))",
            (task_id, dumps(item_ids)),
        )
        refresh_refs(db, item_ids)
        command = command_row(
            db, command_id, "removeFromTask", {"removeFromTaskPayload": body, "removeFromTaskId": task_id}
        )
    return {**command, "url": f"{req.base_url}/commands/{command_id}"}


@router.route("GET", "/commands/{command_id}")
def get_command(ws: Workspace, req: Request, command_id: str) -> dict[str, Any]:
    row = ws.db.execute("SELECT doc FROM commands WHERE id = ?", (command_id,)).fetchone()
    if row is None:
        raise NotFound(f"Command not found: no command has id {command_id!r}")
    return {**loads(row["doc"]), "url": f"{req.base_url}/commands/{command_id}"}


def _load_task(ws: Workspace, task_id: str) -> sqlite3.Row:
    row = ws.db.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone()
    if row is None:
        raise NotFound(f"Task not found: no task has id {task_id!r}")
    return row


@router.route("GET", "/annotationtasks/{task_id}")
def get_task(ws: Workspace, req: Request, task_id: str) -> dict[str, Any]:
    return _task_json(_load_task(ws, task_id), ws, req)


@router.route("GET", "/annotationtasks")
def list_tasks(ws: Workspace, req: Request) -> dict[str, Any]:
    clauses, params = ["1"], []
    for arg, column in (("datasetId", "dataset_id"), ("projects", "project_id"), ("name", "name")):
        value = req.arg(arg)
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    only_visible, visible = visible_clause(ws, req)
    rows = ws.db.execute(
        f"SELECT * FROM tasks WHERE {' AND '.join(clauses)}{only_visible} ORDER BY id", [*params, *visible]
    )
    items = [_task_json(row, ws, req) for row in rows]
    return {"items": items, "totalItemsCount": len(items), "hasNextPage": False}


@router.route("POST", "/annotationtasks/query")
def query_tasks(ws: Workspace, req: Request) -> dict[str, Any]:
    """A tasks DQL (``name``, ``datasetId``, ``projectId``, ``id``) within ``context.projectIds``: what
    dtlpy's ``dataset.tasks.list()`` and ``tasks.get(task_name=)`` send."""
    body = req.json_object()
    where, params = compile_filter(body.get("filter"), TASKS)
    for clause, values in (context_clause(body, "projectIds"), visible_clause(ws, req)):
        where, params = where + clause, params + values
    return page_of(ws, body, TASKS, where, params, lambda row: _task_json(row, ws, req))


@router.route("DELETE", "/annotationtasks/{task_id}")
def delete_task(ws: Workspace, req: Request, task_id: str) -> dict[str, Any]:
    """Delete the task, its assignments and its refs on items; answers with a finished Command whose
    ``spec.deleteTaskId`` names the task, as dtlpy's ``tasks.delete`` expects."""
    _load_task(ws, task_id)
    command_id = new_id()
    with ws.transaction() as db:
        items = [r[0] for r in db.execute(_TASK_ITEMS, (task_id,))]
        db.execute("DELETE FROM tasks WHERE id = ?", (task_id,))
        refresh_refs(db, items)
        command = command_row(db, command_id, "deleteTask", {"deleteTaskId": task_id})
    return {**command, "url": f"{req.base_url}/commands/{command_id}"}


@router.route("GET", "/assignments")
def list_assignments(ws: Workspace, req: Request) -> dict[str, Any]:
    """dtlpy's ``assignments.list``: ``?projects=a,b&status=&name=&annotator=&taskId=&pageOffset=
    &pageSize=``; ``status`` is read from the items' statuses, as the answer gives it."""
    clauses, params = ["1"], []
    for arg, column in (("taskId", "task_id"), ("annotator", "annotator")):
        value = req.arg(arg)
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    projects = sorted(csv_arg(req, "projects"))
    if projects:
        clauses.append(
            f"(SELECT project_id FROM tasks t WHERE t.id = task_id) IN ({','.join('?' * len(projects))})"
        )
        params.extend(projects)
    page, size = page_args(req, default_size=500)
    only_visible, visible = visible_clause(ws, req, "(SELECT project_id FROM tasks t WHERE t.id = task_id)")
    rows = ws.db.execute(
        f"SELECT * FROM assignments WHERE {' AND '.join(clauses)}{only_visible} ORDER BY id",
        [*params, *visible],
    )
    found = [_assignment_json(row, ws, req) for row in rows]
    wanted = {"status": req.arg("status"), "name": req.arg("name")}
    found = [a for a in found if all(v is None or a.get(k) == v for k, v in wanted.items())]
    return paged(found[page * size : (page + 1) * size], len(found), page, size)


@router.route("GET", "/assignments/{assignment_id}")
def get_assignment(ws: Workspace, req: Request, assignment_id: str) -> dict[str, Any]:
    row = ws.db.execute("SELECT * FROM assignments WHERE id = ?", (assignment_id,)).fetchone()
    if row is None:
        raise NotFound(f"Assignment not found: no assignment has id {assignment_id!r}")
    return _assignment_json(row, ws, req)


@router.route("GET", "/assignments/{assignment_id}/items")
def assignment_items(ws: Workspace, req: Request, assignment_id: str) -> dict[str, Any]:
    get_assignment(ws, req, assignment_id)
    ids = [r[0] for r in ws.db.execute(
        "SELECT item_id FROM assignment_items WHERE assignment_id = ? ORDER BY item_id", (assignment_id,)
    )]  # fmt: skip
    return {"items": ids, "totalItemsCount": len(ids), "hasNextPage": False}
