"""``/items/{id}/annotations`` and ``/annotations/{id}``: create, get, update, delete, with checks.

An annotation's coordinates must be finite and in the platform's layout for its type; its label is any
string, in the ontology or not (as on the platform, which stores labels such as the SDK's 'free-text'). The
item's annotation count and version move in the same transaction.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import math
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from json.encoder import encode_basestring_ascii
from typing import Any

from ...exceptions import BadRequest, Conflict, NotFound
from ..access import require_references
from ..documents import JSONText, dumps, finite, loads, merge_patch
from ..ids import new_id, utc_now
from ..routing import Request, router
from ..workspace import Workspace

ANNOTATION_TYPES = (
    "box", "cube", "cube_3d", "class", "comparison", "ellipse", "point", "segment", "polyline", "pose",
    "binary", "subtitle", "text_mark", "gis", "ref_semantic_3d", "polyline_3d", "text", "ref_image", "note",
)  # fmt: skip
_COLUMNS = {"id", "itemId", "datasetId", "type", "label", "coordinates", "metadata", "source"}
# The columns of an annotation row, in the order create_annotations writes them.
_ROW = (
    "id", "item_id", "dataset_id", "type", "label", "coordinates", "metadata", "source",
    "creator", "created_at", "updated_at", "updated_by", "doc",
)  # fmt: skip
ROW_COLUMNS = ", ".join(_ROW)  # to SELECT for annotation_row_text
# The ids an annotation refers to: its parent must be the caller's to read.
_REFERENCES = (("metadata.system.parentId", "annotation_id"),)
_PNG_URL = "data:image/png;base64,"
_SERVER_FIELDS = {"creator", "createdAt", "updatedAt", "updatedBy", "url", "item", "dataset", "hash"}
# The fields kept in columns of their own (or made by the server), not in the ``doc`` of other fields.
_STORED_APART = _COLUMNS | _SERVER_FIELDS


def annotation_json(row: sqlite3.Row, req: Request) -> dict[str, Any]:
    result: dict[str, Any] = loads(annotation_text(row, req))
    return result


def annotation_text(row: sqlite3.Row | Mapping[str, Any], req: Request) -> JSONText:
    """An annotation's platform JSON as text, spliced from its columns (``coordinates``, ``metadata``
    and ``doc`` are stored as JSON text already): a long listing is neither decoded nor encoded again."""
    return annotation_row_text(tuple(row[column] for column in _ROW), req)


def annotation_row_text(values: Sequence[Any], req: Request) -> JSONText:
    """``annotation_text`` of a row's values in ``_ROW`` order (what ``SELECT`` of ``ROW_COLUMNS`` gives):
    called for every row of a listing, so the columns are read by place, not by name."""
    annotation_id, item_id, dataset_id, kind, label, coordinates, metadata, source, *rest = values
    creator, created_at, updated_at, updated_by, doc = rest
    if (
        _has_non_finite(doc)
        or _has_non_finite(metadata)
        or (coordinates is not None and _has_non_finite(coordinates))
    ):
        # Stored before non-finite numbers were refused: they go out as null, so the answer is JSON.
        doc, metadata = dumps(finite(loads(doc))), dumps(finite(loads(metadata)))
        coordinates = None if coordinates is None else dumps(finite(json.loads(coordinates)))
    # The columns the schema keeps NOT NULL are escaped without a check for None, and the URLs are spliced
    # from the escaped base and ids (JSON escapes character by character).
    quoted = encode_basestring_ascii
    annotation_id, item_id, dataset_id = quoted(annotation_id), quoted(item_id), quoted(dataset_id)
    base = _quoted_base(req.base_url)
    text = (
        f'{{{doc[1:-1] + "," if doc != "{}" else ""}"id":{annotation_id},'
        f'"itemId":{item_id},"datasetId":{dataset_id},"type":{quoted(kind)},'
        f'"label":{_string(label)},"metadata":{metadata},"source":{_string(source)},'
        f'"creator":{quoted(creator)},"createdAt":{quoted(created_at)},'
        f'"updatedAt":{quoted(updated_at)},"updatedBy":{quoted(updated_by)},'
        f'"url":{base}/annotations/{annotation_id[1:]},"item":{base}/items/{item_id[1:]},'
        f'"dataset":{base}/datasets/{dataset_id[1:]},"hash":null'
    )
    return JSONText(f'{text},"coordinates":{coordinates}}}' if coordinates is not None else text + "}")


def _has_non_finite(text: str) -> bool:
    """Whether JSON ``text`` may hold NaN or Infinity (or a string with the word: it takes the slow way)."""
    return "NaN" in text or "Infinity" in text


@functools.lru_cache(maxsize=16)
def _quoted_base(base_url: str) -> str:
    """``base_url`` as the start of a JSON string: its opening quote and escaped text, no closing quote."""
    return encode_basestring_ascii(base_url)[:-1]


def _string(value: str | None) -> str:
    return "null" if value is None else encode_basestring_ascii(value)


def _point(value: Any, where: str) -> None:
    if not isinstance(value, dict) or not all(k in value for k in ("x", "y")):
        raise BadRequest(f"{where}: a point is {{'x': .., 'y': ..}}, got {value!r}")
    for axis in ("x", "y", "z"):
        v = value.get(axis, 0)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise BadRequest(f"{where}: coordinate {axis}={v!r} must be a finite number")


def _ellipse(coordinates: Any, where: str) -> None:
    """The SDK's ellipse: ``{center: {x, y, z}, rx, ry, angle}`` (radii >= 0, angle in degrees)."""
    if not isinstance(coordinates, dict) or not {"center", "rx", "ry", "angle"} <= coordinates.keys():
        raise BadRequest(
            f"{where}: an ellipse is {{'center': {{'x', 'y'}}, 'rx', 'ry', 'angle'}}, "
            f"got {coordinates!r:.120}"
        )
    _point(coordinates["center"], where)
    for key in ("rx", "ry", "angle"):
        v = coordinates[key]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise BadRequest(f"{where}: ellipse {key}={v!r} must be a finite number")
        if key != "angle" and v < 0:
            raise BadRequest(f"{where}: ellipse {key}={v!r} is a radius and must be >= 0")


def _binary(coordinates: Any, where: str) -> None:
    """dtlpy's mask: an RGBA PNG as a ``data:image/png;base64,`` URL (or ``{"data": url}``)."""
    url = coordinates.get("data") if isinstance(coordinates, dict) else coordinates
    head = url[len(_PNG_URL) : len(_PNG_URL) + 12] if isinstance(url, str) else ""
    try:
        is_png = base64.b64decode(head, validate=True).startswith(b"\x89PNG")
    except binascii.Error:
        is_png = False
    if not isinstance(url, str) or not url.startswith(_PNG_URL) or not is_png:
        raise BadRequest(
            f"{where}: a binary mask is a PNG as a {_PNG_URL!r}... string, got {coordinates!r:.80}"
        )


def check_coordinates(kind: str, coordinates: Any, where: str) -> None:
    """Refuse coordinates that are not in the platform's layout for ``kind``, or not finite."""
    if kind == "class":
        return
    if kind == "point":
        _point(coordinates, where)
    elif kind == "ellipse":
        _ellipse(coordinates, where)
    elif kind == "binary":
        _binary(coordinates, where)
    elif kind in ("box", "cube"):
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            raise BadRequest(
                f"{where}: a {kind} has two corner points [top-left, bottom-right], got {coordinates!r}"
            )
        _point(coordinates[0], where)
        _point(coordinates[1], where)
        (x0, y0), (x1, y1) = ((p["x"], p["y"]) for p in coordinates[:2])
        if kind == "box" and (x1 < x0 or y1 < y0):
            raise BadRequest(
                f"{where}: box right/bottom ({x1}, {y1}) is left of or above its left/top ({x0}, {y0})"
            )
    elif kind in ("segment", "polyline"):
        if not isinstance(coordinates, list) or not coordinates:
            raise BadRequest(f"{where}: a {kind} is a list of points, got {coordinates!r}")
        for ring in coordinates:
            for point in ring if isinstance(ring, list) else [ring]:
                _point(point, where)


def _check_annotation(body: Any, index: int) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequest(f"annotation #{index} must be a JSON object, got {body!r}")
    kind = body.get("type")
    where = f"annotation #{index} ({kind}, label {body.get('label')!r})"
    if kind not in ANNOTATION_TYPES:
        raise BadRequest(
            f"annotation #{index} has type {kind!r}; accepted types are {list(ANNOTATION_TYPES)}"
        )
    label = body.get("label")
    if label is not None and not isinstance(label, str):
        raise BadRequest(f"annotation #{index} has label {label!r:.80}; a label is a string such as 'car'")
    if kind != "class" and "coordinates" not in body:
        raise BadRequest(f"{where} has no coordinates")
    check_coordinates(kind, body.get("coordinates"), where)
    metadata = body.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise BadRequest(f"{where}: metadata must be a JSON object, got {metadata!r}")
    source = body.get("source")
    if source is not None and not isinstance(source, str):
        raise BadRequest(f"{where}: source must be a string such as 'sdk', got {source!r:.80}")
    return body


def bump_item(db: sqlite3.Connection, item_ids: Iterable[str]) -> None:
    """Recount annotations of these items and move their annotation version on."""
    db.executemany(
        "UPDATE items SET annotations_count ="
        " (SELECT COUNT(*) FROM annotations a WHERE a.item_id = items.id),"
        " annotations_version = annotations_version + 1 WHERE id = ?",
        [(i,) for i in set(item_ids)],
    )
    db.executemany(
        "UPDATE items SET annotated = annotations_count > 0 WHERE id = ?", [(i,) for i in set(item_ids)]
    )


def delete_annotation_rows(db: sqlite3.Connection, ids: list[str]) -> None:
    """Delete these annotations and recount their items. The ids travel as one JSON array, as long ``$in``
    lists do, so any number of them stays within SQLite's limit on bound variables."""
    listed, id_list = "SELECT value FROM json_each(?)", (dumps(ids),)
    item_ids = [
        r[0] for r in db.execute(f"SELECT DISTINCT item_id FROM annotations WHERE id IN ({listed})", id_list)
    ]
    db.execute(f"DELETE FROM annotations WHERE id IN ({listed})", id_list)
    bump_item(db, item_ids)


def update_annotation_rows(
    db: sqlite3.Connection, req: Request, metadata: dict[str, Any], where: str, params: list[Any]
) -> int:
    """Merge ``metadata`` into that of each annotation ``where`` matches and move their items' annotation
    versions on; returns how many annotations were updated."""
    rows = db.execute(f"SELECT id, item_id, metadata FROM annotations WHERE {where}", params).fetchall()
    now = utc_now()
    db.executemany(
        "UPDATE annotations SET metadata = ?, updated_at = ?, updated_by = ? WHERE id = ?",
        [(dumps(merge_patch(loads(r["metadata"]), metadata)), now, req.user, r["id"]) for r in rows],
    )
    bump_item(db, [r["item_id"] for r in rows])
    return len(rows)


def _batch_offset(req: Request) -> int:
    """Where this batch starts in the client's whole upload (``x-annotations-offset``), so that an error
    names an annotation by its place in what the user uploaded."""
    offset = req.headers.get("x-annotations-offset", "0")
    if not (offset.isascii() and offset.isdigit()):
        raise BadRequest(f"x-annotations-offset must be a whole number such as 1000, got {offset!r:.40}")
    return int(offset)


@router.route("POST", "/items/{item_id}/annotations")
def create_annotations(ws: Workspace, req: Request, item_id: str) -> JSONText:
    body = req.json()
    single = isinstance(body, dict)
    batch = [body] if single else body
    if not isinstance(batch, list):
        raise BadRequest(
            f"annotations of item {item_id!r} must be sent as a JSON array of objects, got {body!r:.80}"
        )
    offset = _batch_offset(req)
    with ws.transaction() as db:
        item = item_at_version(db, req, item_id)
        result = insert_annotations(db, ws, req, item, batch, offset)
        bump_item(db, [item_id])
    return result[0] if single and result else JSONText(f"[{','.join(result)}]")


def item_at_version(db: sqlite3.Connection, req: Request, item_id: str) -> sqlite3.Row:
    """Inside a write transaction: the item whose annotations are written. With ``x-annotations-version``
    (the item's ``annotationsVersion`` when its annotations were read), ``Conflict`` if they changed since."""
    item = db.execute(
        "SELECT id, dataset_id, annotations_version FROM items WHERE id = ?", (item_id,)
    ).fetchone()
    if item is None:
        raise NotFound(f"Item not found: no item has id {item_id!r}")
    expected = req.headers.get("x-annotations-version")
    if expected is not None and expected != str(item["annotations_version"]):
        raise Conflict(
            f"the annotations of item {item_id!r} changed since version {expected} "
            f"(now version {item['annotations_version']}); reload them before saving"
        )
    return item


def insert_annotations(
    db: sqlite3.Connection, ws: Workspace, req: Request, item: sqlite3.Row, batch: list[Any], offset: int = 0
) -> list[JSONText]:
    """Check and store new annotations on ``item``; returns their platform JSON text, with ids. ``offset`` is
    where ``batch`` starts in the client's whole upload, so errors name annotations by their place in it."""
    checked = [_check_annotation(a, offset + i) for i, a in enumerate(batch)]
    for i, annotation in enumerate(checked):
        require_references(ws, req, annotation, _REFERENCES, f"annotation #{offset + i}")
    now = utc_now()
    rows, result = [], []
    for annotation in checked:
        extra = {k: v for k, v in annotation.items() if k not in _STORED_APART}
        coordinates = annotation.get("coordinates") if annotation["type"] != "class" else None
        metadata = annotation.get("metadata")
        row = (
            new_id(), item["id"], item["dataset_id"], annotation["type"], annotation.get("label"),
            None if coordinates is None else dumps(coordinates), dumps(metadata) if metadata else "{}",
            annotation.get("source") or "sdk", req.user, now, now, req.user, dumps(extra) if extra else "{}",
        )  # fmt: skip
        rows.append(row)
        # The answer is spliced from what was just written, not read back.
        result.append(annotation_row_text(row, req))
    db.executemany(f"INSERT INTO annotations ({', '.join(_ROW)}) VALUES ({','.join('?' * len(_ROW))})", rows)
    return result


def load_annotation(ws: Workspace, annotation_id: str) -> sqlite3.Row:
    row = ws.db.execute("SELECT * FROM annotations WHERE id = ?", (annotation_id,)).fetchone()
    if row is None:
        raise NotFound(f"Annotation not found: no annotation has id {annotation_id!r}")
    return row


@router.route("GET", "/annotations/{annotation_id}")
def get_annotation(ws: Workspace, req: Request, annotation_id: str) -> dict[str, Any]:
    return annotation_json(load_annotation(ws, annotation_id), req)


@router.route("PUT", "/annotations/{annotation_id}")
def update_annotation(ws: Workspace, req: Request, annotation_id: str) -> dict[str, Any]:
    body = req.json_object()
    with ws.transaction() as db:
        row = load_annotation(ws, annotation_id)
        patch_annotation(db, ws, req, row, body)
        bump_item(db, [row["item_id"]])
    return annotation_json(load_annotation(ws, annotation_id), req)


def patch_annotation(
    db: sqlite3.Connection, ws: Workspace, req: Request, row: sqlite3.Row, body: dict[str, Any]
) -> None:
    """Apply the fields of ``body`` to a stored annotation, as the platform does for dtlpy's
    ``annotation.update()``, which sends only what changed: each field sent replaces the stored one, except
    ``metadata``, whose nested keys (``system``, ``user``, ...) merge, a ``None`` removing a key. The caller
    moves the item's annotation version on (``bump_item``)."""
    metadata = body.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise BadRequest(
            f"annotation {row['id']!r}: metadata must be a JSON object of keys to change, got {metadata!r}"
        )
    fields = {k: v for k, v in body.items() if k != "metadata"}
    merged = {**annotation_json(row, req), **fields, "type": body.get("type", row["type"])}
    merged["metadata"] = merge_patch(loads(row["metadata"]), metadata)
    _check_annotation(merged, 0)
    require_references(ws, req, body, _REFERENCES, f"annotation {row['id']!r}")
    extra = merge_patch(loads(row["doc"]), {k: v for k, v in fields.items() if k not in _STORED_APART})
    coordinates = merged.get("coordinates") if merged["type"] != "class" else None
    db.execute(
        "UPDATE annotations SET type = ?, label = ?, coordinates = ?, metadata = ?, doc = ?, updated_at = ?,"
        " updated_by = ? WHERE id = ?",
        (
            merged["type"], merged.get("label"), None if coordinates is None else dumps(coordinates),
            dumps(merged["metadata"]), dumps(extra), utc_now(), req.user, row["id"],
        ),
    )  # fmt: skip


@router.route("DELETE", "/annotations/{annotation_id}")
def delete_annotation(ws: Workspace, req: Request, annotation_id: str) -> dict[str, Any]:
    with ws.transaction() as db:
        load_annotation(ws, annotation_id)
        delete_annotation_rows(db, [annotation_id])
    return {"id": annotation_id, "deleted": True}
