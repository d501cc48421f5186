"""``/ontologies``: labels (a tree of ``roots``) and attributes (``metadata.attributes``).

On the wire, as on the platform, a node's ``tag`` is its own name (``wheel`` under ``car``) and a label is
named by its path (``car.wheel``) in ``labelsNode``, annotations and attribute scopes. The workspace keeps
each node's full path as its tag; answers give own names, and roots sent either way are taken.

Every write moves the ontology's ``metadata.system.version`` on, and its recent versions are kept. A
``PUT`` (``ontology.update()``) replaces the whole ontology: one sent from a copy read at an older version
is refused as a ``Conflict`` when it would undo what changed since that version (a label or attribute
added, changed or deleted meanwhile), naming those changes, instead of deleting what others added. The
``PATCH`` routes carry changes and apply to the ontology as it is.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

from ...exceptions import BadRequest, Conflict, NotFound
from ..access import require_references, visible_projects
from ..documents import dumps, loads, paged
from ..ids import new_id, utc_now
from ..queries import csv_arg, page_args
from ..roles import require_role
from ..routing import Request, router
from ..workspace import Workspace

_SERVER_FIELDS = ("id", "creator", "createdAt", "updatedAt", "updatedBy", "url")
# The ids an ontology refers to: each must be the caller's to read.
_REFERENCES = (("projectIds", "project_id"), ("metadata.system.projectIds", "project_id"))
_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
ATTRIBUTE_TYPES = ("boolean", "options", "range", "freeText")
# An update from a copy this many versions old is still checked change by change; an older one is refused.
KEPT_VERSIONS = 200


def iter_tags(roots: list[dict[str, Any]]) -> Iterator[str]:
    """Every label tag in a roots tree, children as ``parent.child``."""
    for node in roots:
        yield node["value"]["tag"]
        yield from iter_tags(node.get("children") or [])


def _check_label(value: Any, default_color: str | None = "#808080") -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadRequest(f"a label must be a JSON object, got {value!r}")
    tag = value.get("tag")
    if not isinstance(tag, str) or not tag.strip() or tag.startswith(".") or tag.endswith("."):
        raise BadRequest(f"a label needs a non-empty 'tag' (children as 'parent.child'), got {tag!r}")
    if "color" not in value and default_color is None:
        return dict(value)
    color = value.get("color", default_color)
    if not isinstance(color, str) or not _HEX_COLOR.match(color):
        raise BadRequest(f"label {tag!r} has colour {color!r}; a colour is '#rrggbb', for example '#ff0000'")
    return {**value, "color": color.lower()}


def _check_roots(roots: Any, parent: str = "") -> list[dict[str, Any]]:
    """Roots as sent, checked, each node's tag made its full path (a child's own name is prefixed with
    its parent's path; a full path is kept)."""
    if not isinstance(roots, list):
        raise BadRequest(f"ontology 'roots' must be a list, got {roots!r}")
    for node in roots:
        if not isinstance(node, dict):
            raise BadRequest(f"each ontology root must be an object with 'value', got {node!r}")
        value = _check_label(node.get("value"))
        if parent and not value["tag"].startswith(parent + "."):
            if "." in value["tag"]:
                raise BadRequest(
                    f"label {value['tag']!r} under {parent!r} must be its own name (no '.') or "
                    f"{parent + '.'!r} followed by it"
                )
            value["tag"] = f"{parent}.{value['tag']}"
        node["value"] = value
        node["children"] = _check_roots(node.get("children") or [], value["tag"])
    if parent:
        return roots
    tags = list(iter_tags(roots))
    duplicates = sorted({t for t in tags if tags.count(t) > 1})
    if duplicates:
        raise BadRequest(f"label names must be unique; repeated: {duplicates}")
    return roots


def platform_roots(roots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored roots as the platform answers them: each node's tag its own name."""
    return [
        {
            **node,
            "value": {**node["value"], "tag": node["value"]["tag"].rpartition(".")[2]},
            "children": platform_roots(node.get("children") or []),
        }
        for node in roots
    ]


def _new_label(tag: str) -> dict[str, Any]:
    return {"color": "#808080", "displayLabel": tag.rpartition(".")[2], "attributes": [], "displayData": {}}


def _upsert_label(roots: list[dict[str, Any]], value: dict[str, Any], upsert: bool = True) -> None:
    """Put a label at its place in the tree (``a.b`` under ``a``, parents not there yet made with
    defaults, as the platform does), replacing one with the same tag; unless ``upsert``, the label must
    already be there."""
    parts = value["tag"].split(".")
    siblings = roots
    for depth in range(1, len(parts)):
        parent_tag = ".".join(parts[:depth])
        parent = next((n for n in siblings if n["value"]["tag"] == parent_tag), None)
        if parent is None and not upsert:
            raise NotFound(
                f"label {value['tag']!r} names parent {parent_tag!r}, which is not in the ontology; its "
                f"labels are {list(iter_tags(roots))} (add it with upsert, as add_label does)"
            )
        if parent is None:
            parent = {"value": {**_new_label(parent_tag), "tag": parent_tag}, "children": []}
            siblings.append(parent)
        siblings = parent.setdefault("children", [])
    existing = next((n for n in siblings if n["value"]["tag"] == value["tag"]), None)
    if existing is None and not upsert:
        raise NotFound(
            f"label {value['tag']!r} is not in the ontology, so it cannot be updated; its labels are "
            f"{list(iter_tags(roots))} (add it with upsert, as add_label does)"
        )
    if existing is None:
        siblings.append({"value": {**_new_label(value["tag"]), **value}, "children": []})
    else:
        # Fields the upsert leaves out keep their stored values.
        existing["value"] = {**existing["value"], **value}


def check_attribute(attr: Any, tags: set[str]) -> dict[str, Any]:
    """Validate one attribute definition against the ontology's labels."""
    if not isinstance(attr, dict):
        raise BadRequest(f"an attribute must be a JSON object, got {attr!r}")
    key = attr.get("key")
    if not isinstance(key, str) or not key.strip():
        raise BadRequest(f"an attribute needs a non-empty 'key', got {key!r}")
    kind = attr.get("type")
    if kind not in ATTRIBUTE_TYPES:
        raise BadRequest(f"attribute {key!r} has type {kind!r}; accepted types are {list(ATTRIBUTE_TYPES)}")
    values = attr.get("values")
    if kind == "options" and (not isinstance(values, list) or not values):
        raise BadRequest(f"attribute {key!r} of type 'options' needs a non-empty list of 'values'")
    if kind == "range":
        rng = attr.get("range")
        if not isinstance(rng, dict) or not all(isinstance(rng.get(k), (int, float)) for k in ("min", "max")):
            raise BadRequest(f"attribute {key!r} of type 'range' needs 'range': {{'min', 'max', 'step'}}")
        if rng["min"] >= rng["max"]:
            raise BadRequest(f"attribute {key!r} has range min {rng['min']} >= max {rng['max']}")
    scope = attr.get("scope") or ["*"]
    if not isinstance(scope, list) or not all(isinstance(s, str) for s in scope):
        raise BadRequest(f"attribute {key!r} has scope {scope!r:.80}; give a list of label tags, or ['*']")
    unknown = [s for s in scope if s != "*" and s not in tags]
    if unknown:
        raise BadRequest(
            f"attribute {key!r} is scoped to labels {unknown} that are not in the ontology; "
            f"its labels are {sorted(tags)}"
        )
    return {**attr, "scope": scope}


def _check_attributes(metadata: dict[str, Any], tags: set[str]) -> list[dict[str, Any]]:
    """An ontology's ``metadata.attributes``, each checked against its labels."""
    attributes = metadata.get("attributes") or []
    if not isinstance(attributes, list):
        raise BadRequest(
            f"ontology metadata 'attributes' must be a list of attributes, got {attributes!r:.80}"
        )
    return [check_attribute(a, tags) for a in attributes]


def version_of(doc: dict[str, Any]) -> int:
    """The ontology's version: how many times it was written (0 for one stored before versions)."""
    metadata = doc.get("metadata")
    system = metadata.get("system") if isinstance(metadata, dict) else None
    version = system.get("version", 0) if isinstance(system, dict) else None
    return version if isinstance(version, int) and not isinstance(version, bool) else 0


def _labels(doc: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """tag -> (colour, display name) of every label in an ontology's JSON, as a client may send it."""
    roots = doc.get("roots")
    return {
        str(v.get("tag")): (str(v.get("color", "")).lower(), str(v.get("displayLabel") or ""))
        for v in _values(roots if isinstance(roots, list) else [])
    }


def _values(roots: list[Any]) -> Iterator[dict[str, Any]]:
    for node in roots:
        if isinstance(node, dict) and isinstance(node.get("value"), dict):
            yield node["value"]
            yield from _values(node.get("children") or [])


def _attributes(doc: dict[str, Any]) -> dict[str, Any]:
    metadata = doc.get("metadata")
    attributes = metadata.get("attributes") if isinstance(metadata, dict) else None
    return {str(a.get("key")): a for a in attributes or [] if isinstance(a, dict)}


def _undone(base: dict[str, Any], stored: dict[str, Any], body: dict[str, Any]) -> list[str]:
    """What changed from ``base`` to ``stored`` that saving ``body`` would undo, one line each."""
    lines = []
    for kind, before, after, mine in (
        ("label", _labels(base), _labels(stored), _labels(body)),
        ("attribute", _attributes(base), _attributes(stored), _attributes(body)),
    ):
        for name in sorted(before.keys() | after.keys(), key=str):
            if before.get(name) == after.get(name) or mine.get(name) == after.get(name):
                continue
            what = "added" if name not in before else "deleted" if name not in after else "changed"
            lines.append(f"{kind} {name!r} was {what}")
    return lines


def _check_version(db: sqlite3.Connection, doc: dict[str, Any], body: dict[str, Any]) -> None:
    """Refuse a whole-ontology write from a copy read at an older version when it would undo a change
    made since. A copy that already has those changes (dtlpy's ``add_label`` refreshes the labels of its
    copy, but not its version) is saved."""
    metadata = body.get("metadata")
    system = metadata.get("system") if isinstance(metadata, dict) else None
    read = system.get("version") if isinstance(system, dict) else None
    current = version_of(doc)
    if read is None or read == current:
        return
    row = db.execute(
        "SELECT doc FROM ontology_versions WHERE ontology_id = ? AND version = ?", (doc["id"], read)
    ).fetchone()
    undone = _undone(loads(row["doc"]), doc, body) if row is not None else ["(too many to list)"]
    if not undone:
        return
    raise Conflict(
        f"ontology {doc['id']!r} changed since your copy was read (your copy is version {read}, the stored "
        f"one version {current}, last saved by {doc.get('updatedBy')} at {doc.get('updatedAt')}), and "
        f"saving your copy would undo that: {'; '.join(undone)}. Nothing was saved; read it again "
        "(recipe.ontologies.get(ontology_id)) and make your change on that copy"
    )


def _keep_version(db: sqlite3.Connection, doc: dict[str, Any]) -> None:
    """Keep ``doc`` as its version, and forget versions older than the last ``KEPT_VERSIONS``."""
    version = version_of(doc)
    db.execute(
        "INSERT OR REPLACE INTO ontology_versions (ontology_id, version, doc) VALUES (?, ?, ?)",
        (doc["id"], version, dumps(doc)),
    )
    db.execute(
        "DELETE FROM ontology_versions WHERE ontology_id = ? AND version <= ?",
        (doc["id"], version - KEPT_VERSIONS),
    )


def create_ontology_row(db: sqlite3.Connection, req: Request, body: dict[str, Any]) -> str:
    """Insert an ontology inside the caller's transaction; returns its id."""
    ontology_id, now = new_id(), utc_now()
    doc = {k: v for k, v in body.items() if k not in _SERVER_FIELDS}
    doc["roots"] = _check_roots(doc.get("roots") or [])
    doc.setdefault("title", ontology_id)
    metadata = doc.setdefault("metadata", {})
    if not isinstance(metadata, dict) or not isinstance(metadata.get("system", {}), dict):
        raise BadRequest(f"ontology metadata must be a JSON object whose 'system' is one, got {metadata!r}")
    metadata.setdefault("system", {}).setdefault("projectIds", doc.get("projectIds", []))
    metadata["attributes"] = _check_attributes(metadata, set(iter_tags(doc["roots"])))
    doc.setdefault("attributes", [])
    metadata["system"]["version"] = 1
    doc.update(id=ontology_id, creator=req.user, createdAt=now, updatedAt=now, updatedBy=req.user)
    db.execute("INSERT INTO ontologies (id, doc) VALUES (?, ?)", (ontology_id, dumps(doc)))
    _keep_version(db, doc)
    return ontology_id


def load_ontology(ws: Workspace, ontology_id: str) -> dict[str, Any]:
    row = ws.db.execute("SELECT doc FROM ontologies WHERE id = ?", (ontology_id,)).fetchone()
    if row is None:
        raise NotFound(f"Ontology not found: no ontology has id {ontology_id!r}")
    return loads(row["doc"])


def _ontology_json(doc: dict[str, Any], req: Request) -> dict[str, Any]:
    return {**doc, "roots": platform_roots(doc["roots"]), "url": f"{req.base_url}/ontologies/{doc['id']}"}


def _save(db: sqlite3.Connection, doc: dict[str, Any], req: Request, version: int) -> None:
    """Write ``doc`` as the version after ``version`` (the one it was changed from)."""
    doc.setdefault("metadata", {}).setdefault("system", {})["version"] = version + 1
    doc.update(updatedAt=utc_now(), updatedBy=req.user)
    db.execute("UPDATE ontologies SET doc = ? WHERE id = ?", (dumps(doc), doc["id"]))
    _keep_version(db, doc)


@router.route("POST", "/ontologies")
def create_ontology(ws: Workspace, req: Request) -> dict[str, Any]:
    body = req.json_object()
    projects = body.get("projectIds", [])
    if not isinstance(projects, list) or not all(isinstance(p, str) for p in projects):
        raise BadRequest(f"ontology field 'projectIds' must be a list of ids, got {projects!r:.80}")
    require_references(ws, req, body, _REFERENCES, "ontology")
    metadata = body.get("metadata")
    system = metadata.get("system") if isinstance(metadata, dict) else None
    projects = projects or (system.get("projectIds") if isinstance(system, dict) else None) or []
    if projects:
        require_role(ws, req, projects, "engineer", "creating an ontology")
    with ws.transaction() as db:
        ontology_id = create_ontology_row(db, req, body)
    return _ontology_json(load_ontology(ws, ontology_id), req)


@router.route("GET", "/ontologies")
def list_ontologies(ws: Workspace, req: Request) -> dict[str, Any]:
    """``?projects=a,b&ids=x,y&pageOffset=0&pageSize=100``: the ontologies of those projects (and ids)
    that the caller can see, a page at a time, as dtlpy's ``project.ontologies.list()`` asks."""
    projects, ids = csv_arg(req, "projects"), csv_arg(req, "ids")
    page, size = page_args(req)
    visible = visible_projects(ws, req)
    found = []
    for row in ws.db.execute("SELECT doc FROM ontologies ORDER BY id"):
        doc = loads(row["doc"])
        owners = set(
            doc.get("metadata", {}).get("system", {}).get("projectIds") or doc.get("projectIds") or []
        )
        if (projects and not projects & owners) or (ids and doc["id"] not in ids):
            continue
        if visible is None or visible & owners or doc.get("creator") == req.user:
            found.append(doc)
    chosen = found[page * size : (page + 1) * size]
    return paged([_ontology_json(d, req) for d in chosen], len(found), page, size)


@router.route("GET", "/ontologies/{ontology_id}")
def get_ontology(ws: Workspace, req: Request, ontology_id: str) -> dict[str, Any]:
    return _ontology_json(load_ontology(ws, ontology_id), req)


@router.route("PUT", "/ontologies/{ontology_id}")
def replace_ontology(ws: Workspace, req: Request, ontology_id: str) -> dict[str, Any]:
    body = req.json_object()
    require_references(ws, req, body, _REFERENCES, f"ontology {ontology_id!r}")
    with ws.transaction() as db:
        doc = load_ontology(ws, ontology_id)
        version = version_of(doc)
        # `roots` is the source of truth; dtlpy's snake_case `labels` dump is ignored.
        roots = _check_roots(body["roots"]) if "roots" in body else doc["roots"]
        body["roots"] = roots  # as stored, to be compared with what is stored
        metadata = body.get("metadata", doc.get("metadata", {}))
        if not isinstance(metadata, dict) or not isinstance(metadata.get("system", {}), dict):
            raise BadRequest(
                f"ontology metadata must be a JSON object whose 'system' is one, got {metadata!r}"
            )
        metadata["attributes"] = _check_attributes(metadata, set(iter_tags(roots)))
        _check_version(db, doc, body)
        extra = {k: v for k, v in body.items() if k not in (*_SERVER_FIELDS, "labels", "roots", "metadata")}
        doc.update(extra, roots=roots, metadata=metadata)
        _save(db, doc, req, version)
    return _ontology_json(doc, req)


@router.route("PATCH", "/ontologies/{ontology_id}/labels")
def upsert_labels(ws: Workspace, req: Request, ontology_id: str) -> dict[str, Any]:
    body = req.json_object()
    nodes = body.get("labelsNode")
    if not isinstance(nodes, list):
        raise BadRequest(f"'labelsNode' must be a list of labels, got {nodes!r}")
    # dtlpy's update_label sends ``upsert: false``: then each label must already be there.
    upsert = body.get("upsert", True) is not False
    with ws.transaction() as db:
        doc = load_ontology(ws, ontology_id)
        # Parents first, so 'a.b' finds 'a' even when both arrive in one call.
        checked = (_check_label(n, default_color=None) for n in nodes)
        for value in sorted(checked, key=lambda v: v["tag"].count(".")):
            _upsert_label(doc["roots"], value, upsert)
        _save(db, doc, req, version_of(doc))
    return _ontology_json(doc, req)


@router.route("PATCH", "/ontologies/{ontology_id}/attributes")
def upsert_attributes(ws: Workspace, req: Request, ontology_id: str) -> dict[str, Any]:
    body = req.json_object()
    items = body.get("items")
    if not isinstance(items, list):
        raise BadRequest(f"'items' must be a list of attributes, got {items!r}")
    with ws.transaction() as db:
        doc = load_ontology(ws, ontology_id)
        tags = set(iter_tags(doc["roots"]))
        attributes = doc.setdefault("metadata", {}).setdefault("attributes", [])
        for attr in (check_attribute(a, tags) for a in items):
            attributes[:] = [a for a in attributes if a["key"] != attr["key"]] + [attr]
        _save(db, doc, req, version_of(doc))
    return _ontology_json(doc, req)


@router.route("DELETE", "/ontologies/{ontology_id}/attributes")
def delete_attributes(ws: Workspace, req: Request, ontology_id: str) -> dict[str, Any]:
    keys = req.json_object().get("keys")
    if not isinstance(keys, list):
        raise BadRequest(f"'keys' must be a list of attribute keys, got {keys!r}")
    with ws.transaction() as db:
        doc = load_ontology(ws, ontology_id)
        attributes = doc.setdefault("metadata", {}).setdefault("attributes", [])
        attributes[:] = [a for a in attributes if a["key"] not in keys]
        _save(db, doc, req, version_of(doc))
    return _ontology_json(doc, req)
