"""Who may see what: over HTTP a user sees only the projects they created or were added to.

In-process callers (``LocalTransport``) own the workspace files and see everything; requests from
``dlwidgets serve`` are ``restricted`` to their user's projects. Every entity id in a route's path is
checked before its handler runs (``readable_projects``, from the guard in ``roles.py``), and so is every
id a request body refers to (``require_references``). An entity in someone else's project answers
exactly like a missing one, byte for byte (``not_found``), and no error names an id the caller did not
send, so ids leak nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..exceptions import BadRequest, NotFound
from .routing import Request
from .workspace import Workspace


def visible_projects(ws: Workspace, req: Request) -> set[str] | None:
    """The ids of the projects the caller may see; None when it may see all of them."""
    if not req.restricted:
        return None
    rows = ws.db.execute("SELECT project_id FROM project_members WHERE lower(email) = lower(?)", (req.user,))
    return {r[0] for r in rows}


def visible_clause(ws: Workspace, req: Request, column: str = "project_id") -> tuple[str, list[str]]:
    """``" AND <column> IN (...)"`` and its parameters for a restricted caller; nothing otherwise."""
    visible = visible_projects(ws, req)
    if visible is None:
        return "", []
    return f" AND {column} IN ({','.join('?' * len(visible))})", sorted(visible)


def not_found(kind: str, entity_id: object) -> NotFound:
    """The one answer for an entity that is missing or not the caller's to see: ``kind`` is its path
    parameter (``"dataset_id"``), ``entity_id`` the id the caller sent."""
    entity = _ENTITIES[kind][0]
    return NotFound(f"{entity} not found: no {entity.lower()} has id {entity_id!r}")


def _one(ws: Workspace, sql: str, value: str) -> list[str] | None:
    row = ws.db.execute(sql, (value,)).fetchone()
    return None if row is None else [row[0]]


def _doc_projects(ws: Workspace, table: str, value: str) -> list[str] | None:
    """The projects a recipe, ontology or command names; a document that names none belongs to the
    projects its creator is in (``creator:<email>`` stands for that)."""
    row = ws.db.execute(f"SELECT doc FROM {table} WHERE id = ?", (value,)).fetchone()
    if row is None:
        return None
    doc = json.loads(row[0])
    payload = doc.get("spec", {}).get("createTaskPayload", {})
    projects = (
        doc.get("projectIds")
        or doc.get("metadata", {}).get("system", {}).get("projectIds")
        or ([payload["projectId"]] if payload.get("projectId") else [])
    )
    return list(projects) or [f"creator:{str(doc.get('creator')).lower()}"]


# Path parameter -> (the entity's name, its projects; None when it does not exist).
_ENTITIES: dict[str, tuple[str, Callable[[Workspace, str], list[str] | None]]] = {
    "project_id": ("Project", lambda ws, v: _one(ws, "SELECT id FROM projects WHERE id = ?", v)),
    "dataset_id": ("Dataset", lambda ws, v: _one(ws, "SELECT project_id FROM datasets WHERE id = ?", v)),
    "item_id": (
        "Item",
        lambda ws, v: _one(
            ws, "SELECT d.project_id FROM items i JOIN datasets d ON d.id = i.dataset_id WHERE i.id = ?", v
        ),
    ),
    "annotation_id": (
        "Annotation",
        lambda ws, v: _one(
            ws,
            "SELECT d.project_id FROM annotations a JOIN datasets d ON d.id = a.dataset_id WHERE a.id = ?",
            v,
        ),
    ),
    "task_id": ("Task", lambda ws, v: _one(ws, "SELECT project_id FROM tasks WHERE id = ?", v)),
    "assignment_id": (
        "Assignment",
        lambda ws, v: _one(
            ws, "SELECT t.project_id FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.id = ?", v
        ),
    ),
    "recipe_id": ("Recipe", lambda ws, v: _doc_projects(ws, "recipes", v)),
    "ontology_id": ("Ontology", lambda ws, v: _doc_projects(ws, "ontologies", v)),
    "command_id": ("Command", lambda ws, v: _doc_projects(ws, "commands", v)),
}


# The path parameters that name an entity.
ENTITY_KINDS = frozenset(_ENTITIES)


def readable_projects(ws: Workspace, req: Request, kind: str, entity_id: object) -> list[str]:
    """The projects of an entity the caller may read; ``not_found`` for one that is missing or, for a
    restricted caller, outside its projects. ``kind`` is its path parameter name (``"recipe_id"``)."""
    projects = _ENTITIES[kind][1](ws, entity_id) if isinstance(entity_id, str) else None
    if projects is None:
        raise not_found(kind, entity_id)
    visible = visible_projects(ws, req)
    if visible is not None and not visible & set(projects) and projects != [f"creator:{req.user.lower()}"]:
        raise not_found(kind, entity_id)
    return projects


def require_readable(ws: Workspace, req: Request, kind: str, entity_id: object) -> None:
    """Refuse a restricted caller an entity that is missing or outside its projects, both as
    ``not_found``."""
    if req.restricted:
        readable_projects(ws, req, kind, entity_id)


def require_all_readable(ws: Workspace, req: Request, kind: str, entity_ids: Iterable[object]) -> None:
    """``require_readable`` for each id of a list a request body refers to."""
    for entity_id in entity_ids:
        require_readable(ws, req, kind, entity_id)


# A reference in a request body: the dotted path to an id or a list of ids, and the kind of entity.
Reference = tuple[str, str]


def require_references(
    ws: Workspace, req: Request, body: Mapping[str, Any], references: Iterable[Reference], where: str
) -> None:
    """Refuse (as not found) any entity ``body`` refers to that the caller may not read; an id that is not
    a string, or a list of them, is a 400 naming ``where`` and the path."""
    for path, kind in references:
        value: Any = body
        for key in path.split("."):
            value = value.get(key) if isinstance(value, Mapping) else None
        if value is None:
            continue
        ids = value if isinstance(value, list) else [value]
        if not all(isinstance(i, str) for i in ids):
            entity = kind.removesuffix("_id")
            raise BadRequest(f"{where}: {path!r} must be a {entity} id or a list of them, got {value!r:.80}")
        require_all_readable(ws, req, kind, ids)
