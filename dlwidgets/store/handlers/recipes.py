"""``/recipes``: the link between a dataset and its ontologies."""

from __future__ import annotations

import sqlite3
from typing import Any

from ...exceptions import BadRequest, NotFound
from ..access import require_references, visible_projects
from ..documents import dumps, loads
from ..ids import new_id, utc_now
from ..roles import require_role
from ..routing import Request, router
from ..workspace import Workspace

_SERVER_FIELDS = ("id", "creator", "createdAt", "updatedAt", "updatedBy", "url")
# The ids a recipe refers to: each must be the caller's to read.
_REFERENCES = (("projectIds", "project_id"), ("ontologyIds", "ontology_id"))


def _check(doc: dict[str, Any]) -> None:
    for key in ("projectIds", "ontologyIds"):
        value = doc.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise BadRequest(f"recipe field {key!r} must be a list of ids, got {value!r}")


def create_recipe_row(db: sqlite3.Connection, req: Request, body: dict[str, Any]) -> str:
    """Insert a recipe inside the caller's transaction; returns its id."""
    _check(body)
    recipe_id, now = new_id(), utc_now()
    doc = {k: v for k, v in body.items() if k not in _SERVER_FIELDS}
    doc.setdefault("title", "Default Recipe")
    doc.setdefault("projectIds", [])
    doc.setdefault("ontologyIds", [])
    doc.update(id=recipe_id, creator=req.user, createdAt=now, updatedAt=now, updatedBy=req.user)
    db.execute("INSERT INTO recipes (id, doc) VALUES (?, ?)", (recipe_id, dumps(doc)))
    return recipe_id


def _recipe_json(doc: dict[str, Any], req: Request) -> dict[str, Any]:
    return {**doc, "url": f"{req.base_url}/recipes/{doc['id']}"}


def load_recipe(ws: Workspace, recipe_id: str) -> dict[str, Any]:
    row = ws.db.execute("SELECT doc FROM recipes WHERE id = ?", (recipe_id,)).fetchone()
    if row is None:
        raise NotFound(f"Recipe not found: no recipe has id {recipe_id!r}")
    return loads(row["doc"])


@router.route("POST", "/recipes")
def create_recipe(ws: Workspace, req: Request) -> dict[str, Any]:
    body = req.json_object()
    _check(body)
    require_references(ws, req, body, _REFERENCES, "recipe")
    if body.get("projectIds"):
        require_role(ws, req, body["projectIds"], "engineer", "creating a recipe")
    with ws.transaction() as db:
        recipe_id = create_recipe_row(db, req, body)
    return _recipe_json(load_recipe(ws, recipe_id), req)


@router.route("GET", "/recipes")
def list_recipes(ws: Workspace, req: Request) -> list[dict[str, Any]]:
    projects = set(",".join(req.query.get("projects", [])).split(",")) - {""}
    visible = visible_projects(ws, req)
    docs = [loads(row["doc"]) for row in ws.db.execute("SELECT doc FROM recipes ORDER BY id")]
    return [
        _recipe_json(d, req)
        for d in docs
        if (not projects or projects & set(d.get("projectIds", [])))
        and (visible is None or visible & set(d.get("projectIds", [])) or d.get("creator") == req.user)
    ]


@router.route("GET", "/recipes/{recipe_id}")
def get_recipe(ws: Workspace, req: Request, recipe_id: str) -> dict[str, Any]:
    return _recipe_json(load_recipe(ws, recipe_id), req)


@router.route("PATCH", "/recipes/{recipe_id}")
def update_recipe(ws: Workspace, req: Request, recipe_id: str) -> dict[str, Any]:
    body = req.json_object()
    _check(body)
    require_references(ws, req, body, _REFERENCES, f"recipe {recipe_id!r}")
    with ws.transaction() as db:
        doc = load_recipe(ws, recipe_id)
        doc.update({k: v for k, v in body.items() if k not in _SERVER_FIELDS})
        doc.update(updatedAt=utc_now(), updatedBy=req.user)
        db.execute("UPDATE recipes SET doc = ? WHERE id = ?", (dumps(doc), recipe_id))
    return _recipe_json(doc, req)
