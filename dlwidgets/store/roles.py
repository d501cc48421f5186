"""Project roles, as the platform names them, and the rule of every route: who in a project may call it.

Least first, each role may do all that the ones before it may:

- ``annotator``: reads the project; annotates items of her own assignments;
- ``annotationManager``: annotates any item; creates and deletes tasks;
- ``engineer`` (dtlpy's ``MemberRole.DEVELOPER``): manages data: datasets, items, recipes, ontologies;
- ``owner``: manages members and may delete the project. A project always keeps at least one owner.

Only callers over HTTP (``req.restricted``) are checked; in-process callers own the workspace files.
``check_route`` is the store's guard: before a handler runs, the entity its path names must be the
caller's to read (``access.py``) and the caller's role in its project must be the route's rule or above.
Routes whose project is named in the body, or whose rule depends on what they touch, check the role in
their handler (``require_role``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..exceptions import BadRequest, Forbidden
from .access import ENTITY_KINDS, readable_projects
from .routing import Request
from .workspace import Workspace

ROLES = ("annotator", "annotationManager", "engineer", "owner")
# Older workspaces and clients say "developer" for the platform's "engineer".
_ALIASES = {"developer": "engineer"}


def role_name(value: object) -> str:
    """The platform's name of a role, or a 400 naming the accepted ones."""
    role = _ALIASES.get(value, value) if isinstance(value, str) else None
    if role not in ROLES:
        raise BadRequest(f"role {value!r} is not a project role; give one of {list(ROLES)}")
    return role


@dataclass(frozen=True)
class Rule:
    """Who may call a route: ``role`` or above in the project of the entity the path names."""

    role: str | None
    # "path": checked before the handler runs; "handler": the handler checks it, in the project the body
    # names or on what the request touches;
    # "narrowed": any signed-in user, and the handler shows only what is in the caller's projects.
    where: str = "path"
    # An annotator only on items of her own assignments.
    own_items: bool = False


READ = Rule("annotator")
ANNOTATE = Rule("annotator", own_items=True)
MANAGE_TASKS = Rule("annotationManager")
MANAGE_DATA = Rule("engineer")
MANAGE_MEMBERS = Rule("owner")
NARROWED = Rule(None, "narrowed")

# Every route's rule; a route missing here is refused to every caller over HTTP.
RULES: dict[tuple[str, str], Rule] = {
    ("GET", "/users/me"): NARROWED,
    ("POST", "/projects"): NARROWED,
    ("GET", "/projects"): NARROWED,
    ("GET", "/projects/{name}/name"): NARROWED,
    ("GET", "/projects/{project_id}"): READ,
    ("DELETE", "/projects/{project_id}"): MANAGE_MEMBERS,
    ("GET", "/projects/{project_id}/members"): READ,
    ("POST", "/projects/{project_id}/members/{email}"): MANAGE_MEMBERS,
    ("PATCH", "/projects/{project_id}/members/{email}"): MANAGE_MEMBERS,
    ("DELETE", "/projects/{project_id}/members/{email}"): MANAGE_MEMBERS,
    ("POST", "/datasets"): Rule("engineer", "handler"),
    ("POST", "/datasets/query"): NARROWED,
    ("GET", "/datasets/{dataset_id}"): READ,
    ("PATCH", "/datasets/{dataset_id}"): MANAGE_DATA,
    ("DELETE", "/datasets/{dataset_id}"): MANAGE_DATA,
    ("GET", "/datasets/{dataset_id}/directories"): READ,
    ("GET", "/datasets/{dataset_id}/mimetypes"): READ,
    # An export writes its file into the project's Binaries dataset.
    ("POST", "/datasets/{dataset_id}/export"): MANAGE_DATA,
    # A query that deletes or updates needs more: see query_dataset.
    ("POST", "/datasets/{dataset_id}/query"): READ,
    ("POST", "/datasets/{dataset_id}/items"): MANAGE_DATA,
    ("GET", "/items/{item_id}"): READ,
    ("PATCH", "/items/{item_id}"): MANAGE_DATA,
    # New bytes for an item: a prompt item's answers, written as annotation work.
    ("POST", "/items/{item_id}/revisions"): ANNOTATE,
    ("DELETE", "/items/{item_id}"): MANAGE_DATA,
    ("GET", "/items/{item_id}/stream"): READ,
    ("GET", "/items/{item_id}/thumbnail"): READ,
    ("POST", "/items/{item_id}/annotations"): ANNOTATE,
    ("PATCH", "/items/{item_id}/annotations"): ANNOTATE,
    ("GET", "/annotations/{annotation_id}"): READ,
    ("PUT", "/annotations/{annotation_id}"): ANNOTATE,
    ("DELETE", "/annotations/{annotation_id}"): ANNOTATE,
    ("POST", "/recipes"): Rule("engineer", "handler"),
    ("GET", "/recipes"): NARROWED,
    ("GET", "/recipes/{recipe_id}"): READ,
    ("PATCH", "/recipes/{recipe_id}"): MANAGE_DATA,
    ("POST", "/ontologies"): Rule("engineer", "handler"),
    ("GET", "/ontologies"): NARROWED,
    ("GET", "/ontologies/{ontology_id}"): READ,
    ("PUT", "/ontologies/{ontology_id}"): MANAGE_DATA,
    ("PATCH", "/ontologies/{ontology_id}/labels"): MANAGE_DATA,
    ("PATCH", "/ontologies/{ontology_id}/attributes"): MANAGE_DATA,
    ("DELETE", "/ontologies/{ontology_id}/attributes"): MANAGE_DATA,
    ("POST", "/annotationtasks"): Rule("annotationManager", "handler"),
    ("GET", "/annotationtasks"): NARROWED,
    ("POST", "/annotationtasks/query"): NARROWED,
    ("GET", "/annotationtasks/{task_id}"): READ,
    ("DELETE", "/annotationtasks/{task_id}"): MANAGE_TASKS,
    ("POST", "/annotationtasks/{task_id}/addToTask"): MANAGE_TASKS,
    ("POST", "/annotationtasks/{task_id}/removeFromTask"): MANAGE_TASKS,
    ("GET", "/commands/{command_id}"): READ,
    ("GET", "/assignments"): NARROWED,
    ("GET", "/assignments/{assignment_id}"): READ,
    ("GET", "/assignments/{assignment_id}/items"): READ,
    # An annotator on her own assignments only: see statuses.py.
    ("POST", "/assignments/{assignment_id}/items/{item_id}/status"): Rule("annotator", "handler"),
    ("POST", "/assignments/items/tasks/{task_id}/status"): Rule("annotator", "handler"),
}


def member_role(ws: Workspace, project_id: str, email: str) -> str | None:
    """``email``'s role in the project (emails compared case-insensitively), None for a non-member."""
    row = ws.db.execute(
        "SELECT role FROM project_members WHERE project_id = ? AND lower(email) = lower(?)",
        (project_id, email),
    ).fetchone()
    return None if row is None else _ALIASES.get(row[0], row[0])


def _best_role(ws: Workspace, req: Request, projects: Iterable[str]) -> str | None:
    """The caller's highest role among ``projects``; a document in no project is its creator's own."""
    roles = []
    for project in projects:
        if project.startswith("creator:"):
            roles.append("owner" if project[len("creator:") :].lower() == req.user.lower() else None)
        else:
            roles.append(member_role(ws, project, req.user))
    ranks = [ROLES.index(r) for r in roles if r is not None]
    return ROLES[max(ranks)] if ranks else None


def require_role(ws: Workspace, req: Request, projects: Iterable[str], least: str, action: str) -> str | None:
    """Refuse a restricted caller whose role in ``projects`` is below ``least``; returns the role."""
    if not req.restricted:
        return None
    projects = list(projects)
    role = _best_role(ws, req, projects)
    if role is None or ROLES.index(role) < ROLES.index(least):
        held = f"role {role!r}" if role else "no role"
        where = ", ".join(repr(p) for p in projects if not p.startswith("creator:")) or "its creator's"
        raise Forbidden(
            f"{action} needs the role {least!r} or above; {req.user} has {held} in project {where}"
        )
    return role


def require_own_items(ws: Workspace, req: Request, item_ids: Iterable[str], action: str) -> None:
    """Refuse an annotator items that are in none of her own assignments."""
    for item_id in set(item_ids):
        row = ws.db.execute(
            "SELECT 1 FROM assignment_items ai JOIN assignments a ON a.id = ai.assignment_id"
            " WHERE ai.item_id = ? AND lower(a.annotator) = lower(?) LIMIT 1",
            (item_id, req.user),
        ).fetchone()
        if row is None:
            raise Forbidden(
                f"{action}: as an annotator, {req.user} may annotate only the items of her own "
                f"assignments, and item {item_id!r} is in none of them"
            )


def _item_of(ws: Workspace, params: dict[str, str]) -> str:
    if "item_id" in params:
        return params["item_id"]
    row = ws.db.execute("SELECT item_id FROM annotations WHERE id = ?", (params["annotation_id"],)).fetchone()
    return str(row[0])


def check_route(ws: Workspace, req: Request, route: tuple[str, str], params: dict[str, str]) -> None:
    """The store's guard: refuse a restricted caller what the route's rule does not allow it."""
    if not req.restricted:
        return
    rule = RULES.get(route)
    if rule is None:
        raise Forbidden(f"{route[0]} {route[1]} has no access rule, so it is closed to callers over HTTP")
    projects: list[str] = []
    for name, value in params.items():
        if name in ENTITY_KINDS:
            projects = readable_projects(ws, req, name, value)
    if rule.where != "path" or rule.role is None:
        return
    action = f"{route[0]} {route[1]}"
    role = require_role(ws, req, projects, rule.role, action)
    if rule.own_items and role == "annotator":
        require_own_items(ws, req, [_item_of(ws, params)], action)
