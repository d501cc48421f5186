"""``/ontologies``: labels (a tree of ``roots``) and attributes (``metadata.attributes``)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

from ...exceptions import BadRequest, NotFound
from ..access import require_references
from ..documents import dumps, loads
from ..ids import new_id, utc_now
from ..routing import Request, router
from ..workspace import Workspace

_SERVER_FIELDS = ("id", "creator", "createdAt", "updatedAt", "updatedBy", "url")
# The ids an ontology refers to: each must be the caller's to read.
_REFERENCES = (("projectIds", "project_id"), ("metadata.system.projectIds", "project_id"))
_HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
ATTRIBUTE_TYPES = ("boolean", "options", "range", "freeText")


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


def _check_roots(roots: Any) -> list[dict[str, Any]]:
    if not isinstance(roots, list):
        raise BadRequest(f"ontology 'roots' must be a list, got {roots!r}")
    for node in roots:
        if not isinstance(node, dict):
            raise BadRequest(f"each ontology root must be an object with 'value', got {node!r}")
        node["value"] = _check_label(node.get("value"))
        node["children"] = _check_roots(node.get("children") or [])
    tags = list(iter_tags(roots))
    duplicates = sorted({t for t in tags if tags.count(t) > 1})
    if duplicates:
        raise BadRequest(f"label names must be unique; repeated: {duplicates}")
    return roots


def _upsert_label(roots: list[dict[str, Any]], value: dict[str, Any]) -> None:
    """Put a label at its place in the tree (``a.b`` under ``a``), replacing one with the same tag."""
    parts = value["tag"].split(".")
    siblings = roots
    for depth in range(1, len(parts)):
        parent_tag = ".".join(parts[:depth])
        parent = next((n for n in siblings if n["value"]["tag"] == parent_tag), None)
        if parent is None:
            raise BadRequest(
                f"label {value['tag']!r} names parent {parent_tag!r}, which is not in the ontology"
            )
        siblings = parent.setdefault("children", [])
    existing = next((n for n in siblings if n["value"]["tag"] == value["tag"]), None)
    if existing is None:
        defaults = {"color": "#808080", "displayLabel": parts[-1], "attributes": [], "displayData": {}}
        siblings.append({"value": {**defaults, **value}, "children": []})
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
    doc.update(id=ontology_id, creator=req.user, createdAt=now, updatedAt=now, updatedBy=req.user)
    db.execute("INSERT INTO ontologies (id, doc) VALUES (?, ?)", (ontology_id, dumps(doc)))
    return ontology_id


def load_ontology(ws: Workspace, ontology_id: str) -> dict[str, Any]:
    row = ws.db.execute("SELECT doc FROM ontologies WHERE id = ?", (ontology_id,)).fetchone()
    if row is None:
        raise NotFound(f"Ontology not found: no ontology has id {ontology_id!r}")
    return loads(row["doc"])


def _ontology_json(doc: dict[str, Any], req: Request) -> dict[str, Any]:
    return {**doc, "url": f"{req.base_url}/ontologies/{doc['id']}"}


def _save(db: sqlite3.Connection, doc: dict[str, Any], req: Request) -> None:
    doc.update(updatedAt=utc_now(), updatedBy=req.user)
    db.execute("UPDATE ontologies SET doc = ? WHERE id = ?", (dumps(doc), doc["id"]))


@router.route("POST", "/ontologies")
def create_ontology(ws: Workspace, req: Request) -> dict[str, Any]:
    body = req.json_object()
    projects = body.get("projectIds", [])
    if not isinstance(projects, list) or not all(isinstance(p, str) for p in projects):
        raise BadRequest(f"ontology field 'projectIds' must be a list of ids, got {projects!r:.80}")
    require_references(ws, req, body, _REFERENCES, "ontology")
    with ws.transaction() as db:
        ontology_id = create_ontology_row(db, req, body)
    return _ontology_json(load_ontology(ws, ontology_id), req)


@router.route("GET", "/ontologies/{ontology_id}")
def get_ontology(ws: Workspace, req: Request, ontology_id: str) -> dict[str, Any]:
    return _ontology_json(load_ontology(ws, ontology_id), req)


@router.route("PUT", "/ontologies/{ontology_id}")
def replace_ontology(ws: Workspace, req: Request, ontology_id: str) -> dict[str, Any]:
    body = req.json_object()
    require_references(ws, req, body, _REFERENCES, f"ontology {ontology_id!r}")
    with ws.transaction() as db:
        doc = load_ontology(ws, ontology_id)
        # `roots` is the source of truth; dtlpy's snake_case `labels` dump is ignored.
        roots = _check_roots(body.get("roots", doc["roots"]))
        metadata = body.get("metadata", doc.get("metadata", {}))
        if not isinstance(metadata, dict) or not isinstance(metadata.get("system", {}), dict):
            raise BadRequest(
                f"ontology metadata must be a JSON object whose 'system' is one, got {metadata!r}"
            )
        metadata["attributes"] = _check_attributes(metadata, set(iter_tags(roots)))
        extra = {k: v for k, v in body.items() if k not in (*_SERVER_FIELDS, "labels", "roots", "metadata")}
        doc.update(extra, roots=roots, metadata=metadata)
        _save(db, doc, req)
    return _ontology_json(doc, req)


@router.route("PATCH", "/ontologies/{ontology_id}/labels")
def upsert_labels(ws: Workspace, req: Request, ontology_id: str) -> dict[str, Any]:
    body = req.json_object()
    nodes = body.get("labelsNode")
    if not isinstance(nodes, list):
        raise BadRequest(f"'labelsNode' must be a list of labels, got {nodes!r}")
    with ws.transaction() as db:
        doc = load_ontology(ws, ontology_id)
        # Parents first, so 'a.b' finds 'a' even when both arrive in one call.
        checked = (_check_label(n, default_color=None) for n in nodes)
        for value in sorted(checked, key=lambda v: v["tag"].count(".")):
            _upsert_label(doc["roots"], value)
        _save(db, doc, req)
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
        _save(db, doc, req)
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
        _save(db, doc, req)
    return _ontology_json(doc, req)
