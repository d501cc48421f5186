"""``/datasets``: create (with the default recipe and ontology), query, get, update, delete."""

from __future__ import annotations

import sqlite3
from typing import Any

from ...exceptions import BadRequest, Conflict, NotFound
from ..access import require_readable, require_references, visible_clause, visible_projects
from ..documents import dumps, loads, merge_patch, require_str
from ..dql import DATASETS, compile_filter
from ..ids import new_id, utc_now
from ..names import check_name
from ..queries import context_clause, page_of
from ..roles import require_role
from ..routing import Request, router
from ..workspace import Workspace
from .ontologies import create_ontology_row
from .projects import load_project
from .recipes import create_recipe_row

# The ids a dataset's metadata patch may refer to (the recipes, with ``?system=true``).
_REFERENCES = (("system.recipes", "recipe_id"),)
_COLUMNS = (
    "datasets.*, (SELECT COUNT(*) FROM items i WHERE i.dataset_id = datasets.id) AS items_count, "
    "(SELECT COALESCE(SUM(annotations_count), 0) FROM items i WHERE i.dataset_id = datasets.id)"
    " AS annotations_count"
)


def dataset_json(row: sqlite3.Row, req: Request) -> dict[str, Any]:
    doc = loads(row["doc"])
    base = f"{req.base_url}/datasets/{row['id']}"
    doc.update(
        id=row["id"],
        name=row["name"],
        projects=[row["project_id"]],
        creator=row["creator"],
        createdAt=row["created_at"],
        updatedAt=row["updated_at"],
        updatedBy=row["updated_by"],
        metadata=loads(row["metadata"]),
        url=base,
        items=f"{base}/items",
        itemsCount=row["items_count"],
        annotationsCount=row["annotations_count"],
        annotated=row["annotations_count"] > 0,
    )
    return doc


def load_dataset(ws: Workspace, dataset_id: str) -> sqlite3.Row:
    row = ws.db.execute(f"SELECT {_COLUMNS} FROM datasets WHERE id = ?", (dataset_id,)).fetchone()
    if row is None:
        raise NotFound(f"Dataset not found: no dataset has id {dataset_id!r}")
    return row


def require_dataset(ws: Workspace, dataset_id: str) -> None:
    """``NotFound`` unless the dataset exists; unlike ``load_dataset`` it counts nothing, so it stays
    cheap however many items the dataset holds."""
    if ws.db.execute("SELECT 1 FROM datasets WHERE id = ?", (dataset_id,)).fetchone() is None:
        raise NotFound(f"Dataset not found: no dataset has id {dataset_id!r}")


@router.route("POST", "/datasets")
def create_dataset(ws: Workspace, req: Request) -> dict[str, Any]:
    body = req.json_object()
    name = check_name(require_str(body, "name", "a dataset"), "dataset name")
    projects = body.get("projects")
    if not isinstance(projects, list) or len(projects) != 1 or not isinstance(projects[0], str):
        raise BadRequest(f"a dataset needs 'projects': a list of one project id, got {projects!r}")
    require_readable(ws, req, "project_id", projects[0])
    require_role(ws, req, projects, "engineer", "creating a dataset")
    project = load_project(ws, projects[0])
    now = utc_now()
    dataset_id = new_id()
    metadata: dict[str, Any] = {"system": {"recipes": []}}
    doc = {k: v for k, v in body.items() if k not in ("name", "projects", "metadata", "createDefaultRecipe")}
    doc.setdefault("readableType", "dataset")
    doc.setdefault("accessLevel", "owner")
    doc.setdefault("readonly", False)
    doc.setdefault("driver", None)
    try:
        with ws.transaction() as db:
            if body.get("createDefaultRecipe", True):
                ontology_id = create_ontology_row(db, req, {"projectIds": [project["id"]], "roots": []})
                recipe_id = create_recipe_row(
                    db,
                    req,
                    {
                        "title": f"{name} Default Recipe",
                        "projectIds": [project["id"]],
                        "ontologyIds": [ontology_id],
                        "uiSettings": {"allowObjectIdAutoAssign": True, "studioV2App": True},
                    },
                )
                metadata["system"]["recipes"] = [recipe_id]
            db.execute(
                "INSERT INTO datasets (id, project_id, name, creator, created_at, updated_at, updated_by,"
                " metadata, doc) VALUES (?,?,?,?,?,?,?,?,?)",
                (dataset_id, project["id"], name, req.user, now, now, req.user, dumps(metadata), dumps(doc)),
            )
    except sqlite3.IntegrityError:
        raise Conflict(
            f"a dataset named {name!r} already exists in project {project['name']!r}; choose another name"
        ) from None
    return dataset_json(load_dataset(ws, dataset_id), req)


BINARIES = "Binaries"
# A system dataset (the project's Binaries) is listed only by a query with ``systemSpace: true``.
_NOT_SYSTEM = " AND json_extract(doc, '$.systemSpace') IS NOT 1"


def binaries_dataset(ws: Workspace, req: Request, project_id: str) -> str:
    """The id of the project's ``Binaries`` dataset, where the SDK uploads label icons and the platform
    keeps exports; made on first use, as every platform project has one."""
    with ws.transaction() as db:
        row = db.execute(
            "SELECT id FROM datasets WHERE project_id = ? AND name = ?", (project_id, BINARIES)
        ).fetchone()
        if row is not None:
            return str(row[0])
        dataset_id, now = new_id(), utc_now()
        doc = {"readableType": "dataset", "accessLevel": "owner", "readonly": False, "systemSpace": True}
        db.execute(
            "INSERT INTO datasets (id, project_id, name, creator, created_at, updated_at, updated_by,"
            " metadata, doc) VALUES (?,?,?,?,?,?,?,?,?)",
            (
                dataset_id,
                project_id,
                BINARIES,
                req.user,
                now,
                now,
                req.user,
                dumps({"system": {}}),
                dumps(doc),
            ),
        )
        return dataset_id


@router.route("POST", "/datasets/query")
def query_datasets(ws: Workspace, req: Request) -> dict[str, Any]:
    body = req.json_object()
    where, params = compile_filter(body.get("filter"), DATASETS)
    if body.get("systemSpace") is True:
        context = body.get("context") or {}
        visible = visible_projects(ws, req)
        for project_id in context.get("projects") or [] if isinstance(context, dict) else []:
            exists = ws.db.execute("SELECT 1 FROM projects WHERE id = ?", (project_id,)).fetchone()
            if exists and (visible is None or project_id in visible):
                binaries_dataset(ws, req, project_id)
    else:
        where += _NOT_SYSTEM
    for clause, values in (context_clause(body, "projects"), visible_clause(ws, req)):
        where, params = where + clause, params + values
    return page_of(ws, body, DATASETS, where, params, lambda row: dataset_json(row, req), _COLUMNS)


@router.route("GET", "/datasets/{dataset_id}")
def get_dataset(ws: Workspace, req: Request, dataset_id: str) -> dict[str, Any]:
    return dataset_json(load_dataset(ws, dataset_id), req)


@router.route("PATCH", "/datasets/{dataset_id}")
def update_dataset(ws: Workspace, req: Request, dataset_id: str) -> dict[str, Any]:
    body = req.json_object()
    with ws.transaction() as db:
        row = load_dataset(ws, dataset_id)
        metadata = loads(row["metadata"])
        patch = body.get("metadata") or {}
        if not isinstance(patch, dict):
            raise BadRequest(f"dataset metadata must be a JSON object, got {patch!r}")
        if not req.flag("system"):
            # System metadata (the recipe list above all) changes only when the caller says so.
            patch = {k: v for k, v in patch.items() if k != "system"}
        require_references(ws, req, patch, _REFERENCES, f"dataset {dataset_id!r} metadata")
        merge_patch(metadata, patch)
        name = body.get("name", row["name"])
        if not isinstance(name, str) or not name.strip():
            raise BadRequest(f"a dataset name must be a non-empty string, got {name!r}")
        name = check_name(name, "dataset name")
        try:
            db.execute(
                "UPDATE datasets SET name = ?, metadata = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                (name, dumps(metadata), utc_now(), req.user, dataset_id),
            )
        except sqlite3.IntegrityError:
            raise Conflict(f"a dataset named {name!r} already exists in this project") from None
    return dataset_json(load_dataset(ws, dataset_id), req)


@router.route("DELETE", "/datasets/{dataset_id}")
def delete_dataset(ws: Workspace, req: Request, dataset_id: str) -> dict[str, Any]:
    require_dataset(ws, dataset_id)
    with ws.transaction() as db:
        digests = [r[0] for r in db.execute("SELECT blob FROM items WHERE dataset_id = ?", (dataset_id,))]
        db.execute("DELETE FROM datasets WHERE id = ?", (dataset_id,))
        ws.drop_unreferenced_blobs(db, digests)
    return {"id": dataset_id, "deleted": True}
