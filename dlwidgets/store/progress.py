"""Task and assignment progress, computed from the statuses items carry in their ``metadata.system.refs``.

An item is done in a task (or an assignment) when its ref to that task (assignment) holds a status, any
status (``completed``, ``approved``, ``discard`` or one of the task's own actions). The numbers are read
live from the refs, never stored, so no write path can leave them behind:

- ``totalItems``: the items in the task (assignment);
- ``itemStatus``: how many of them hold each status, e.g. ``{"completed": 12, "discard": 1}``;
- ``progress``: the percentage done, a whole number 0-100;
- ``status``: ``"completed"`` once every item is done, else ``"open"``;
- ``issues`` and ``forReview``: how many annotations on those items have the status ``issue`` (an open
  QA note among them) or ``review`` (``metadata.system.status``).
"""

from __future__ import annotations

import sqlite3
from typing import Any

# The status an item (``i``) holds in the entity whose id the expression ``{ref}`` gives; NULL for none.
_STATUS_OF = (
    "(SELECT json_extract(r.value, '$.metadata.status') FROM json_each(i.metadata, '$.system.refs') r"
    " WHERE json_extract(r.value, '$.id') = {ref} LIMIT 1)"
)
_TASK_ITEMS = (
    "SELECT ai.item_id FROM assignment_items ai JOIN assignments a ON a.id = ai.assignment_id"
    " WHERE a.task_id = {ref}"
)
_ASSIGNMENT_ITEMS = "SELECT item_id FROM assignment_items WHERE assignment_id = {ref}"

# A task's status as a SQL expression over the ``tasks`` row in scope, for filters (``status``).
TASK_STATUS = (
    "(SELECT CASE WHEN COUNT(*) > 0 AND COUNT(*) = COUNT({status}) THEN 'completed' ELSE 'open' END"
    " FROM items i WHERE i.id IN ({items}))"
).format(status=_STATUS_OF.format(ref="tasks.id"), items=_TASK_ITEMS.format(ref="tasks.id"))


def _counts(db: sqlite3.Connection, entity_id: str, items: str) -> dict[str, Any]:
    issues, for_review = db.execute(
        "SELECT COALESCE(SUM(s = 'issue'), 0), COALESCE(SUM(s = 'review'), 0) FROM"
        " (SELECT json_extract(a.metadata, '$.system.status') AS s FROM annotations a"
        f" WHERE a.item_id IN ({items.format(ref='?1')}))",
        (entity_id,),
    ).fetchone()
    rows = db.execute(
        f"SELECT {_STATUS_OF.format(ref='?1')} AS status, COUNT(*) FROM items i"
        f" WHERE i.id IN ({items.format(ref='?1')}) GROUP BY status ORDER BY status",
        (entity_id,),
    ).fetchall()
    total = sum(count for _, count in rows)
    item_status = {status: count for status, count in rows if status is not None}
    done = sum(item_status.values())
    return {
        "totalItems": total,
        "itemStatus": item_status,
        "progress": round(100 * done / total) if total else 0,
        "status": "completed" if total and done == total else "open",
        "issues": issues,
        "forReview": for_review,
    }


def task_progress(db: sqlite3.Connection, task_id: str) -> dict[str, Any]:
    """``totalItems``, ``itemStatus``, ``progress`` and ``status`` of a task, from its items' refs."""
    return _counts(db, task_id, _TASK_ITEMS)


def assignment_progress(db: sqlite3.Connection, assignment_id: str) -> dict[str, Any]:
    """The same numbers for one assignment: its items, and their statuses in the assignment."""
    return _counts(db, assignment_id, _ASSIGNMENT_ITEMS)
