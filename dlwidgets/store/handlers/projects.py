"""``/projects``: create, get by id or name, list, delete; members and their roles (see ``roles.py``).

A project's name is unique among its creator's projects only, as the platform's are per organisation.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ...exceptions import BadRequest, Conflict, NotFound
from ..access import visible_projects
from ..documents import dumps, loads
from ..ids import new_id, utc_now
from ..names import check_name
from ..roles import member_role, role_name
from ..routing import Request, router
from ..workspace import Workspace


def project_json(ws: Workspace, row: sqlite3.Row, req: Request) -> dict[str, Any]:
    doc = loads(row["doc"])
    doc.update(
        id=row["id"],
        name=row["name"],
        creator=row["creator"],
        createdAt=row["created_at"],
        updatedAt=row["updated_at"],
        url=f"{req.base_url}/projects/{row['id']}",
    )
    # The caller's role; the in-process caller owns the workspace files, so every project is its own.
    doc["role"] = member_role(ws, row["id"], req.user) or (None if req.restricted else "owner")
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
                (project_id, req.user.lower(), "owner"),
            )
    except sqlite3.IntegrityError:
        # Names are unique per creator, so this tells the caller only about their own projects.
        raise Conflict(f"you already have a project named {name!r}; choose another name") from None
    return project_json(ws, load_project(ws, project_id), req)


def _visible(ws: Workspace, req: Request, rows: list[sqlite3.Row]) -> list[sqlite3.Row]:
    visible = visible_projects(ws, req)
    return rows if visible is None else [row for row in rows if row["id"] in visible]


@router.route("GET", "/projects")
def list_projects(ws: Workspace, req: Request) -> list[dict[str, Any]]:
    rows = ws.db.execute("SELECT * FROM projects ORDER BY id").fetchall()
    return [project_json(ws, row, req) for row in _visible(ws, req, rows)]


@router.route("GET", "/projects/{project_id}")
def get_project(ws: Workspace, req: Request, project_id: str) -> dict[str, Any]:
    return project_json(ws, load_project(ws, project_id), req)


@router.route("GET", "/projects/{name}/name")
def get_project_by_name(ws: Workspace, req: Request, name: str) -> list[dict[str, Any]]:
    """The caller's own project of that name; else those of that name shared with the caller."""
    rows = _visible(ws, req, ws.db.execute("SELECT * FROM projects WHERE name = ?", (name,)).fetchall())
    own = [row for row in rows if row["creator"].lower() == req.user.lower()]
    rows = own or rows
    if not rows:
        # dtlpy crashes on an empty list here, so "none" must be a 404.
        raise NotFound(f"Project not found: no project is named {name!r}")
    return [project_json(ws, row, req) for row in rows]


@router.route("DELETE", "/projects/{project_id}")
def delete_project(ws: Workspace, req: Request, project_id: str) -> dict[str, Any]:
    load_project(ws, project_id)
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


def _members(ws: Workspace, project_id: str) -> list[dict[str, Any]]:
    rows = ws.db.execute(
        "SELECT email, role FROM project_members WHERE project_id = ? ORDER BY email", (project_id,)
    )
    return [
        {"id": r["email"], "email": r["email"], "username": r["email"], "role": role_name(r["role"])}
        for r in rows
    ]


@router.route("GET", "/projects/{project_id}/members")
def list_members(ws: Workspace, req: Request, project_id: str) -> list[dict[str, Any]]:
    load_project(ws, project_id)
    return _members(ws, project_id)


def _set_member(ws: Workspace, req: Request, project_id: str, email: str, is_new_allowed: bool) -> None:
    """Give ``email`` the role the body names (dtlpy's ``{"role": ...}``; by default ``engineer``)."""
    project = load_project(ws, project_id)
    body = req.json()
    if body is not None and not isinstance(body, dict):
        raise BadRequest(
            f"member {email!r}: send a JSON object such as {{'role': 'annotator'}}, got {body!r:.80}"
        )
    role = role_name((body or {}).get("role", "engineer"))
    if "@" not in email:
        raise BadRequest(f"member {email!r} is not an email address such as 'ann@example.com'")
    with ws.transaction() as db:
        if not is_new_allowed and member_role(ws, project_id, email) is None:
            raise NotFound(f"{email} is not a member of project {project['name']!r}; add them with POST")
        # Emails are compared case-insensitively: one row per member, stored in lower case.
        db.execute(
            "DELETE FROM project_members WHERE project_id = ? AND lower(email) = lower(?)",
            (project_id, email),
        )
        db.execute(
            "INSERT INTO project_members (project_id, email, role) VALUES (?,?,?)",
            (project_id, email.lower(), role),
        )
        _keep_an_owner(db, project, email)


def _keep_an_owner(db: sqlite3.Connection, project: sqlite3.Row, email: str) -> None:
    """Inside the transaction that changed ``email``'s membership: refuse (rolling it back) a change that
    leaves the project without an owner."""
    owners = db.execute(
        "SELECT COUNT(*) FROM project_members WHERE project_id = ? AND role = 'owner'", (project["id"],)
    ).fetchone()[0]
    if not owners:
        raise Conflict(
            f"{email} is the last owner of project {project['name']!r}; a project keeps at least one "
            "owner, so make another member owner first"
        )


@router.route("POST", "/projects/{project_id}/members/{email}")
def add_member(ws: Workspace, req: Request, project_id: str, email: str) -> list[dict[str, Any]]:
    """Share the project with ``email``, or change their role; only an owner may."""
    _set_member(ws, req, project_id, email, is_new_allowed=True)
    return _members(ws, project_id)


@router.route("PATCH", "/projects/{project_id}/members/{email}")
def update_member(ws: Workspace, req: Request, project_id: str, email: str) -> list[dict[str, Any]]:
    """Change the role of a member (dtlpy's ``project.update_member``); only an owner may."""
    _set_member(ws, req, project_id, email, is_new_allowed=False)
    return _members(ws, project_id)


@router.route("DELETE", "/projects/{project_id}/members/{email}")
def remove_member(ws: Workspace, req: Request, project_id: str, email: str) -> list[dict[str, Any]]:
    project = load_project(ws, project_id)
    with ws.transaction() as db:
        db.execute(
            "DELETE FROM project_members WHERE project_id = ? AND lower(email) = lower(?)",
            (project_id, email),
        )
        _keep_an_owner(db, project, email)
    return _members(ws, project_id)
