"""``/projects``: create, get by id or name, list; members.

A project's name is unique among its creator's projects only, as the platform's are per organisation.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ...exceptions import BadRequest, Conflict, NotFound
from ..access import require_owner, visible_projects
from ..documents import dumps, loads
from ..ids import new_id, utc_now
from ..names import check_name
from ..routing import Request, router
from ..workspace import Workspace


def project_json(row: sqlite3.Row, req: Request) -> dict[str, Any]:
    doc = loads(row["doc"])
    doc.update(
        id=row["id"],
        name=row["name"],
        creator=row["creator"],
        createdAt=row["created_at"],
        updatedAt=row["updated_at"],
        url=f"{req.base_url}/projects/{row['id']}",
    )
    doc.setdefault("role", "owner" if row["creator"] == req.user else "developer")
    return doc


def load_project(ws: Workspace, project_id: str) -> sqlite3.Row:
    row = ws.db.execute("SELECT * FROM projects WHERE id = ?", (project_id,)).fetchone()
    if row is None:
        raise NotFound(f"Project not found: no project has id {project_id!r}")
    return row


@router.route("POST", "/projects")
def create_project(ws: Workspace, req: Request) -> dict[str, Any]:
    name = check_name(req.form().get("name"), "a project's 'name'").strip()
    now = utc_now()
    project_id = new_id()
    doc: dict[str, Any] = {
        "org": None,
        "contributors": [],
        "isBlocked": False,
        "archived": False,
        "featureConstraints": {},
    }
    try:
        with ws.transaction() as db:
            db.execute(
                "INSERT INTO projects (id, name, creator, created_at, updated_at, doc) VALUES (?,?,?,?,?,?)",
                (project_id, name, req.user, now, now, dumps(doc)),
            )
            db.execute(
                "INSERT INTO project_members (project_id, email, role) VALUES (?,?,?)",
                (project_id, req.user, "owner"),
            )
    except sqlite3.IntegrityError:
        # Names are unique per creator, so this tells the caller only about their own projects.
        raise Conflict(f"you already have a project named {name!r}; choose another name") from None
    return project_json(load_project(ws, project_id), req)


def _visible(ws: Workspace, req: Request, rows: list[sqlite3.Row]) -> list[sqlite3.Row]:
    visible = visible_projects(ws, req)
    return rows if visible is None else [row for row in rows if row["id"] in visible]


@router.route("GET", "/projects")
def list_projects(ws: Workspace, req: Request) -> list[dict[str, Any]]:
    rows = ws.db.execute("SELECT * FROM projects ORDER BY id").fetchall()
    return [project_json(row, req) for row in _visible(ws, req, rows)]


@router.route("GET", "/projects/{project_id}")
def get_project(ws: Workspace, req: Request, project_id: str) -> dict[str, Any]:
    return project_json(load_project(ws, project_id), req)


@router.route("GET", "/projects/{name}/name")
def get_project_by_name(ws: Workspace, req: Request, name: str) -> list[dict[str, Any]]:
    """The caller's own project of that name; else those of that name shared with the caller."""
    rows = _visible(ws, req, ws.db.execute("SELECT * FROM projects WHERE name = ?", (name,)).fetchall())
    own = [row for row in rows if row["creator"].lower() == req.user.lower()]
    rows = own or rows
    if not rows:
        # dtlpy crashes on an empty list here, so "none" must be a 404.
        raise NotFound(f"Project not found: no project is named {name!r}")
    return [project_json(row, req) for row in rows]


@router.route("DELETE", "/projects/{project_id}")
def delete_project(ws: Workspace, req: Request, project_id: str) -> dict[str, Any]:
    load_project(ws, project_id)
    require_owner(ws, req, project_id)
    with ws.transaction() as db:
        digests = [
            r[0]
            for r in db.execute(
                "SELECT blob FROM items WHERE dataset_id IN (SELECT id FROM datasets WHERE project_id = ?)",
                (project_id,),
            )
        ]
        db.execute("DELETE FROM projects WHERE id = ?", (project_id,))
        ws.drop_unreferenced_blobs(db, digests)
    return {"id": project_id, "deleted": True}


_ROLES = ("owner", "engineer", "annotator", "annotationManager", "developer")


def _members(ws: Workspace, project_id: str) -> list[dict[str, Any]]:
    rows = ws.db.execute(
        "SELECT email, role FROM project_members WHERE project_id = ? ORDER BY email", (project_id,)
    )
    return [{"id": r["email"], "email": r["email"], "username": r["email"], "role": r["role"]} for r in rows]


@router.route("GET", "/projects/{project_id}/members")
def list_members(ws: Workspace, req: Request, project_id: str) -> list[dict[str, Any]]:
    load_project(ws, project_id)
    return _members(ws, project_id)


@router.route("POST", "/projects/{project_id}/members/{email}")
def add_member(ws: Workspace, req: Request, project_id: str, email: str) -> list[dict[str, Any]]:
    """Share the project with ``email`` (or change their role); only an owner may."""
    load_project(ws, project_id)
    require_owner(ws, req, project_id)
    body = req.json()
    if body is not None and not isinstance(body, dict):
        raise BadRequest(
            f"member {email!r}: send a JSON object such as {{'role': 'annotator'}}, got {body!r:.80}"
        )
    role = (body or {}).get("role", "developer")
    if role not in _ROLES or "@" not in email:
        raise BadRequest(f"member {email!r} with role {role!r}: give an email and one of {list(_ROLES)}")
    with ws.transaction() as db:
        db.execute(
            "INSERT INTO project_members (project_id, email, role) VALUES (?,?,?)"
            " ON CONFLICT (project_id, email) DO UPDATE SET role = excluded.role",
            (project_id, email, role),
        )
    return _members(ws, project_id)


@router.route("DELETE", "/projects/{project_id}/members/{email}")
def remove_member(ws: Workspace, req: Request, project_id: str, email: str) -> list[dict[str, Any]]:
    load_project(ws, project_id)
    require_owner(ws, req, project_id)
    with ws.transaction() as db:
        owners = db.execute(
            "SELECT email FROM project_members WHERE project_id = ? AND role = 'owner'", (project_id,)
        ).fetchall()
        if [r[0] for r in owners] == [email]:
            raise BadRequest(f"{email} is the last owner of project {project_id!r}; add another owner first")
        db.execute("DELETE FROM project_members WHERE project_id = ? AND email = ?", (project_id, email))
    return _members(ws, project_id)
