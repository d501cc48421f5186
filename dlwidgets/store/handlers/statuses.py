"""Item statuses in a task (``completed``, ``approved``, ``discard``...), as dtlpy's ``item.update_status``
sets them: per assignment, or for items of a task.

A status lives where dtlpy's ``item.status(task_id=..., assignment_id=...)`` reads it: in the item's
``metadata.system.refs``, one ref per task and per assignment, ``{"type", "id", "metadata": {"status"}}``;
setting it on an assignment sets it on its task too, as the platform does. An annotator may set statuses
only on her own assignments; an annotation manager or above on any.
"""

from __future__ import annotations

from typing import Any

from ...exceptions import BadRequest, NotFound
from ..access import not_found
from ..documents import dumps, loads
from ..ids import utc_now
from ..roles import require_role
from ..routing import Request, router
from ..workspace import Workspace

_OPERATIONS = ("create", "delete")
# dtlpy's ``dl.ItemStatus``; a task's ``availableActions`` add its own.
ITEM_STATUSES = ("completed", "approved", "discard")


def accepted_statuses(task: dict[str, Any]) -> list[str]:
    """The statuses items may take in this task (its document): dl.ItemStatus and the task's actions."""
    actions = [a.get("action") for a in task.get("availableActions") or [] if isinstance(a, dict)]
    return list(dict.fromkeys([*ITEM_STATUSES, *(a for a in actions if isinstance(a, str))]))


def _status_payload(payload: Any, where: str, task: dict[str, Any]) -> tuple[str, str]:
    """(operation, status) from ``{"operation", "status"}``, checked against the task's statuses."""
    if not isinstance(payload, dict):
        raise BadRequest(
            f"{where}: send {{'operation': 'create', 'status': 'completed'}}, got {payload!r:.80}"
        )
    operation, status = payload.get("operation", "create"), payload.get("status")
    if operation not in _OPERATIONS:
        raise BadRequest(f"{where}: operation {operation!r} is not one of {list(_OPERATIONS)}")
    if not isinstance(status, str) or not status.strip():
        raise BadRequest(
            f"{where}: status must be a non-empty string such as 'completed', got {status!r:.80}"
        )
    accepted = accepted_statuses(task)
    if status not in accepted:
        raise BadRequest(
            f"{where}: unknown status {status!r:.80}; task {task.get('name')!r} accepts {accepted}"
        )
    return operation, status


def _set_refs(
    ws: Workspace, req: Request, item_id: str, refs: dict[str, str], operation: str, status: str
) -> None:
    """Set (or clear) ``status`` on the item's refs to these entities (id -> "task"/"assignment")."""
    row = ws.db.execute("SELECT metadata FROM items WHERE id = ?", (item_id,)).fetchone()
    metadata = loads(row["metadata"])
    system = metadata.setdefault("system", {})
    stored = [r for r in system.get("refs") or [] if isinstance(r, dict)]
    for entity_id, kind in refs.items():
        ref = next((r for r in stored if r.get("id") == entity_id), None)
        if ref is None:
            ref = {"type": kind, "id": entity_id, "metadata": {}}
            stored.append(ref)
        ref_metadata = ref.setdefault("metadata", {})
        if operation == "create":
            ref_metadata.update(status=status, timestamp=utc_now(), creator=req.user)
        elif ref_metadata.get("status") == status:
            for key in ("status", "timestamp", "creator"):
                ref_metadata.pop(key, None)
    system["refs"] = stored
    ws.db.execute(
        "UPDATE items SET metadata = ?, updated_at = ?, updated_by = ? WHERE id = ?",
        (dumps(metadata), utc_now(), req.user, item_id),
    )


def _require_own(ws: Workspace, req: Request, project_id: str, annotators: set[str], action: str) -> None:
    """An annotator only on her own assignments; a manager or above on any."""
    role = require_role(ws, req, [project_id], "annotator", action)
    if role == "annotator" and req.user.lower() not in {a.lower() for a in annotators}:
        require_role(ws, req, [project_id], "annotationManager", f"{action} on another's assignment")


@router.route("POST", "/assignments/{assignment_id}/items/{item_id}/status")
def set_assignment_status(ws: Workspace, req: Request, assignment_id: str, item_id: str) -> dict[str, Any]:
    """dtlpy's ``assignments.set_status``: ``{"operation": "create"|"delete", "status": ...}``."""
    where = f"status of item {item_id!r} in assignment {assignment_id!r}"
    assignment = ws.db.execute(
        "SELECT a.task_id, a.annotator, t.project_id, t.doc FROM assignments a"
        " JOIN tasks t ON t.id = a.task_id WHERE a.id = ?",
        (assignment_id,),
    ).fetchone()
    if assignment is None:
        raise not_found("assignment_id", assignment_id)
    operation, status = _status_payload(req.json(), where, loads(assignment["doc"]))
    with ws.transaction() as db:
        _require_own(ws, req, assignment["project_id"], {assignment["annotator"]}, "setting a status")
        held = db.execute(
            "SELECT 1 FROM assignment_items WHERE assignment_id = ? AND item_id = ?", (assignment_id, item_id)
        ).fetchone()
        if held is None:
            raise NotFound(f"{where}: the item is not in the assignment")
        _set_refs(
            ws, req, item_id, {assignment["task_id"]: "task", assignment_id: "assignment"}, operation, status
        )
    return {"itemId": item_id, "assignmentId": assignment_id, "status": status, "operation": operation}


@router.route("POST", "/assignments/items/tasks/{task_id}/status")
def set_task_status(ws: Workspace, req: Request, task_id: str) -> dict[str, Any]:
    """dtlpy's ``tasks.set_status``: ``{"itemIds": [...], "statusPayload": {"operation", "status"}}``;
    answers with the updated items' ids as keys, as the platform does."""
    task = ws.db.execute("SELECT project_id, doc FROM tasks WHERE id = ?", (task_id,)).fetchone()
    if task is None:
        raise not_found("task_id", task_id)
    body = req.json_object()
    item_ids = body.get("itemIds")
    if not isinstance(item_ids, list) or not all(isinstance(i, str) for i in item_ids):
        raise BadRequest(
            f"task {task_id!r} status: 'itemIds' must be a list of item ids, got {item_ids!r:.80}"
        )
    operation, status = _status_payload(
        body.get("statusPayload"), f"task {task_id!r} status", loads(task["doc"])
    )
    with ws.transaction() as db:
        updated = {}
        for item_id in item_ids:
            rows = db.execute(
                "SELECT a.id, a.annotator FROM assignments a"
                " JOIN assignment_items ai ON ai.assignment_id = a.id WHERE a.task_id = ? AND ai.item_id = ?",
                (task_id, item_id),
            ).fetchall()
            if not rows:
                raise NotFound(f"task {task_id!r} status: item {item_id!r} is not in the task")
            _require_own(ws, req, task["project_id"], {r["annotator"] for r in rows}, "setting a status")
            refs = {task_id: "task", **{r["id"]: "assignment" for r in rows}}
            _set_refs(ws, req, item_id, refs, operation, status)
            updated[item_id] = {"status": status, "operation": operation}
    return updated
