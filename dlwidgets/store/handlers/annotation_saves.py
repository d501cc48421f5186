"""``PATCH /items/{id}/annotations``: one save of an item's annotations, applied whole or not at all.

An editor sends everything a save changes in one request: the annotations it created, the fields it
changed of others, the ids it deleted, and the item's ``annotationsVersion`` it loaded them at (header
``x-annotations-version``). The store checks the version and applies all of it in one transaction, so a
save that raced another writer is a ``Conflict`` that changed nothing, never half of one.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ...exceptions import BadRequest, NotFound
from ..documents import dumps, loads
from ..routing import Request, router
from ..workspace import Workspace
from .annotations import (
    annotation_json,
    bump_item,
    delete_annotation_rows,
    insert_annotations,
    item_at_version,
    patch_annotation,
)


@router.route("PATCH", "/items/{item_id}/annotations")
def save_annotations(ws: Workspace, req: Request, item_id: str) -> dict[str, Any]:
    """``{"created": [annotation], "updated": [{"id", fields to change}], "deleted": [id]}`` ->
    ``{"annotationsVersion", "created": [annotation with id], "updated": [annotation]}``."""
    body = req.json_object()
    created, updated, deleted = (_list(body, key, item_id) for key in ("created", "updated", "deleted"))
    if not all(isinstance(i, str) for i in deleted):
        raise BadRequest(
            f"'deleted' of item {item_id!r} must be a list of annotation ids, got {deleted!r:.80}"
        )
    if not all(isinstance(u, dict) and isinstance(u.get("id"), str) for u in updated):
        raise BadRequest(
            f"'updated' of item {item_id!r} must be a list of objects, each with the 'id' of the annotation "
            f"and the fields to change, got {updated!r:.80}"
        )
    patches = {u["id"]: {k: v for k, v in u.items() if k != "id"} for u in updated}
    both = sorted(patches.keys() & set(deleted))
    if both:
        raise BadRequest(
            f"annotations {both} of item {item_id!r} are both updated and deleted; send each once"
        )
    with ws.transaction() as db:
        item = item_at_version(db, req, item_id)
        rows = _annotations_of(db, item_id, [*deleted, *patches])
        delete_annotation_rows(db, deleted)
        for annotation_id, patch in patches.items():
            patch_annotation(db, ws, req, rows[annotation_id], patch)
        new = insert_annotations(db, ws, req, item, created)
        bump_item(db, [item_id])
        changed = db.execute(
            "SELECT * FROM annotations WHERE id IN (SELECT value FROM json_each(?))", (dumps(list(patches)),)
        ).fetchall()
        version = db.execute("SELECT annotations_version FROM items WHERE id = ?", (item_id,)).fetchone()[0]
    return {
        "annotationsVersion": version,
        "created": [loads(text) for text in new],
        "updated": [annotation_json(row, req) for row in changed],
    }


def _list(body: dict[str, Any], key: str, item_id: str) -> list[Any]:
    value = body.get(key, [])
    if not isinstance(value, list):
        raise BadRequest(
            f"'{key}' of the annotations of item {item_id!r} must be a JSON array, got {value!r:.80}"
        )
    return value


def _annotations_of(db: sqlite3.Connection, item_id: str, ids: list[str]) -> dict[str, sqlite3.Row]:
    """The stored rows of these annotations; ``NotFound`` for an id that is not an annotation of the item."""
    rows = {
        row["id"]: row
        for row in db.execute(
            "SELECT * FROM annotations WHERE item_id = ? AND id IN (SELECT value FROM json_each(?))",
            (item_id, dumps(ids)),
        )
    }
    for annotation_id in ids:
        if annotation_id not in rows:
            raise NotFound(
                f"Annotation not found: item {item_id!r} has no annotation with id {annotation_id!r}"
            )
    return rows
