"""``/datasets/{id}/items`` uploads, ``/items/{id}`` (get, update, delete, stream) and the dataset query."""

from __future__ import annotations

import re
import sqlite3
from typing import Any, BinaryIO
from urllib.parse import quote

from ...exceptions import BadRequest, Conflict, InternalServerError, NotFound
from ..access import require_references
from ..blobs import BlobReader
from ..documents import JSONText, dumps, loads, merge_patch, parse_json
from ..dql import ANNOTATIONS, ITEMS, Resource, compile_query
from ..ids import new_id, utc_now
from ..media import system_metadata
from ..multipart import Upload, read_upload
from ..names import check_name
from ..queries import page_of, text_page_of
from ..roles import require_own_items, require_role
from ..routing import Request, Response, router
from ..workspace import Workspace
from .annotations import ROW_COLUMNS, annotation_row_text, delete_annotation_rows, update_annotation_rows
from .datasets import require_dataset
from .tasks import keep_task_refs

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# What an item's ``metadata.system.refs`` may point at, by the ref's ``type``.
_REF_KINDS = {"task": "task_id", "assignment": "assignment_id"}


def item_json(row: sqlite3.Row, req: Request) -> dict[str, Any]:
    base = f"{req.base_url}/items/{row['id']}"
    doc: dict[str, Any] = {
        "id": row["id"],
        "datasetId": row["dataset_id"],
        "filename": row["filename"],
        "name": row["name"],
        "dir": row["dir"],
        "type": row["type"],
        "hidden": bool(row["hidden"]),
        "createdAt": row["created_at"],
        "updatedAt": row["updated_at"],
        "creator": row["creator"],
        "updatedBy": row["updated_by"],
        "annotated": bool(row["annotated"]),
        "annotationsCount": row["annotations_count"],
        # Moves on with every change to the item's annotations: a save sends it back to detect a race.
        "annotationsVersion": row["annotations_version"],
        "metadata": loads(row["metadata"]),
        "url": base,
        "dataset": f"{req.base_url}/datasets/{row['dataset_id']}",
        "annotations": f"{base}/annotations",
        "stream": f"{base}/stream",
        "thumbnail": f"{base}/thumbnail",
    }
    if row["description"] is not None:
        doc["description"] = row["description"]
    return doc


def attachment(name: str) -> str:
    """A ``Content-Disposition`` that saves the bytes under the item's name (RFC 6266, any script)."""
    fallback = name.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def load_item(ws: Workspace, item_id: str) -> sqlite3.Row:
    row = ws.db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise NotFound(f"Item not found: no item has id {item_id!r}")
    return row


def open_item(ws: Workspace, item_id: str) -> tuple[sqlite3.Row, BinaryIO]:
    """The item's row and its bytes opened, both of one version. An overwrite or delete that removes the
    blob between the two steps makes the row be read again: it then names the new version's blob."""
    missing = None
    while True:
        row = load_item(ws, item_id)
        try:
            return row, ws.blobs.open(row["blob"])
        except FileNotFoundError:
            if row["blob"] == missing:
                raise InternalServerError(
                    f"item {row['filename']!r} ({item_id}) has lost its bytes: the blob {row['blob']} is "
                    f"missing from {ws.blobs.root}"
                ) from None
            missing = row["blob"]


def check_remote_path(path: str) -> str:
    """A normalised item path (``/dir/name``, NFC); refuses traversal, backslashes and the characters
    ``check_name`` refuses."""
    if "\x00" in path or "\\" in path:
        raise BadRequest(f"item path {path!r} contains a NUL or a backslash; use '/' between folders")
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise BadRequest(
            f"item path {path!r} contains '.' or '..'; give a plain path such as '/images/a.jpg'"
        )
    if not parts or path.endswith("/"):
        raise BadRequest(f"item path {path!r} names no file; give a path such as '/images/a.jpg'")
    return check_name("/" + "/".join(parts), "item path")


def release_blob(ws: Workspace, digest: str) -> None:
    """Delete a blob once no item references it (checked under the write lock)."""
    with ws.transaction() as db:
        if db.execute("SELECT 1 FROM items WHERE blob = ? LIMIT 1", (digest,)).fetchone() is None:
            ws.blobs.remove(digest)


@router.route("POST", "/datasets/{dataset_id}/items")
def upload_item(ws: Workspace, req: Request, dataset_id: str) -> Response:
    require_dataset(ws, dataset_id)
    mode = req.arg("mode", "skip")
    if mode not in ("skip", "overwrite"):
        raise BadRequest(f"upload mode {mode!r} is not supported; use 'skip' or 'overwrite'")
    upload = read_upload(req, ws.blobs)
    if upload.file is None:
        raise BadRequest("an upload request needs a 'file' part")
    try:
        filename = check_remote_path(upload.fields.get("path") or f"/{upload.filename or ''}")
        user_metadata = _user_metadata(upload.fields.get("metadata"))
        system = system_metadata(upload.file.path, filename, upload.content_type, upload.file.size)
        metadata = {**user_metadata, "system": system}
        return _store_upload(ws, req, dataset_id, filename, mode, upload, metadata)
    finally:
        upload.file.path.unlink(missing_ok=True)


@router.route("POST", "/items/{item_id}/revisions")
def revise_item(ws: Workspace, req: Request, item_id: str) -> Response:
    """New bytes for an item, as the SDK's prompt items save themselves: the item keeps its id, path,
    user metadata and task refs; what the store measures from the bytes is measured again."""
    row = load_item(ws, item_id)
    upload = read_upload(req, ws.blobs)
    if upload.file is None:
        raise BadRequest(f"a revision of item {item_id!r} needs a 'file' part")
    try:
        metadata = loads(row["metadata"])
        system = system_metadata(upload.file.path, row["filename"], upload.content_type, upload.file.size)
        system.pop("refs", None)
        metadata["system"] = {**metadata.get("system", {}), **system}
        return _store_upload(ws, req, row["dataset_id"], row["filename"], "overwrite", upload, metadata)
    finally:
        upload.file.path.unlink(missing_ok=True)


def store_file(
    ws: Workspace, req: Request, dataset_id: str, filename: str, data: bytes, content_type: str
) -> dict[str, Any]:
    """Store bytes the server made (an export) as an item at ``filename``, replacing one there."""
    writer = ws.blobs.writer()
    try:
        writer.write(data)
        upload = Upload(file=writer, filename=filename.rsplit("/", 1)[-1], content_type=content_type)
        upload.digest = writer.close()
        system = system_metadata(writer.path, filename, content_type, writer.size)
        response = _store_upload(ws, req, dataset_id, filename, "overwrite", upload, {"system": system})
    finally:
        writer.discard()
    return dict(response.body)


def _user_metadata(text: str | None) -> dict[str, Any]:
    metadata = parse_json(text or "{}", "upload 'metadata'")
    if not isinstance(metadata, dict):
        raise BadRequest(f"upload 'metadata' must be a JSON object, got {metadata!r}")
    return metadata


def _store_upload(
    ws: Workspace,
    req: Request,
    dataset_id: str,
    filename: str,
    mode: str,
    upload: Upload,
    metadata: dict[str, Any],
) -> Response:
    """Write the item row and move its bytes into place, in one transaction."""
    assert upload.file is not None
    directory, name = filename.rsplit("/", 1)
    digest, system, now = upload.digest, metadata["system"], utc_now()
    released: str | None = None
    with ws.transaction() as db:
        # The dataset may have been deleted while the bytes arrived.
        require_dataset(ws, dataset_id)
        existing = db.execute(
            "SELECT * FROM items WHERE dataset_id = ? AND filename = ?", (dataset_id, filename)
        ).fetchone()
        if existing is not None and mode == "skip":
            return Response(body=item_json(existing, req), headers={"x-item-op": "skip"})
        values = (
            *(system["mimetype"], system["size"], system.get("width"), system.get("height"), digest),
            *(now, req.user, upload.fields.get("description"), dumps(metadata)),
        )
        if existing is None:
            item_id, op = new_id(), "created"
            db.execute(
                "INSERT INTO items (mimetype, size, width, height, blob, updated_at, updated_by, description,"
                " metadata, id, dataset_id, filename, name, dir, creator, created_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (*values, item_id, dataset_id, filename, name, directory or "/", req.user, now),
            )
        else:
            item_id, op = existing["id"], "overwrite"
            if existing["blob"] != digest:
                released = existing["blob"]
            db.execute(
                "UPDATE items SET mimetype = ?, size = ?, width = ?, height = ?, blob = ?, updated_at = ?,"
                " updated_by = ?, description = ?, metadata = ? WHERE id = ?",
                (*values, item_id),
            )
        # The bytes move into place inside the transaction: no committed row ever lacks its blob.
        ws.blobs.put(upload.file.path, digest)
    if released:
        release_blob(ws, released)
    headers = {"x-item-op": op}
    if system["mimetype"].startswith("image/") and "width" not in system:
        headers["x-item-warning"] = f"item {filename!a} is not a readable image; stored without dimensions"
    return Response(body=item_json(load_item(ws, item_id), req), headers=headers)


@router.route("GET", "/items/{item_id}")
def get_item(ws: Workspace, req: Request, item_id: str) -> dict[str, Any]:
    return item_json(load_item(ws, item_id), req)


# What the store learns from an item's bytes: a client may send them back (the SDK sends the whole
# system block on ``update(system_metadata=True)``), but only an upload changes them.
STORE_OWNED = ("size", "checksum", "mimetype", "isBinary", "width", "height")


def _keep_store_owned(item_id: str, before: dict[str, Any], metadata: dict[str, Any]) -> list[str]:
    """Put back the store-owned system fields a patch changed; returns the names of those it changed."""
    system = metadata.get("system", {})
    if not isinstance(system, dict):
        raise BadRequest(f"item {item_id!r}: metadata.system must be a JSON object, got {system!r:.80}")
    old = before.get("system", {})
    changed = [key for key in STORE_OWNED if system.get(key) != old.get(key)]
    for key in changed:
        if key in old:
            system[key] = old[key]
        else:
            system.pop(key)
    metadata["system"] = system
    return changed


@router.route("PATCH", "/items/{item_id}")
def update_item(ws: Workspace, req: Request, item_id: str) -> Response:
    body = req.json_object()
    patch = body.get("metadata") or {}
    if not isinstance(patch, dict):
        raise BadRequest(f"item metadata must be a JSON object, got {patch!r}")
    if not req.flag("system"):
        patch = {k: v for k, v in patch.items() if k != "system"}
    _check_refs(ws, req, f"item {item_id!r}", patch)
    with ws.transaction() as db:
        row = load_item(ws, item_id)
        move_item(db, row, body)
        metadata = merge_patch(loads(row["metadata"]), patch)
        ignored = _keep_store_owned(item_id, loads(row["metadata"]), metadata)
        kept_refs = keep_task_refs(loads(row["metadata"]), metadata)
        description = body.get("description", row["description"])
        if description is not None and not isinstance(description, str):
            raise BadRequest(
                f"item {item_id!r}: description must be a string or null, got {description!r:.80}"
            )
        db.execute(
            "UPDATE items SET metadata = ?, description = ?, updated_at = ?, updated_by = ? WHERE id = ?",
            (dumps(metadata), description, utc_now(), req.user, item_id),
        )
    headers = {}
    if ignored:
        headers["x-item-warning"] = (
            f"item {item_id!r}: metadata.system {', '.join(ignored)} are written by the store from the "
            "item's bytes; the values sent were ignored"
        )
    if kept_refs:
        headers["x-item-warning"] = " ".join(
            [headers.get("x-item-warning", ""), f"item {item_id!r}: its task and assignment refs (and "
             "statuses) are written by tasks and item statuses; the ones sent were ignored"]
        ).strip()  # fmt: skip
    return Response(body=item_json(load_item(ws, item_id), req), headers=headers)


def move_item(db: sqlite3.Connection, row: sqlite3.Row, body: dict[str, Any]) -> None:
    """Rename or move an item, as the SDK's ``item.name = ...`` and ``item.move`` send it: a new
    ``filename`` (the whole path) wins over a new ``name`` (kept in the item's folder)."""
    filename = body.get("filename", row["filename"])
    name = body.get("name", row["name"])
    for field, value in (("filename", filename), ("name", name)):
        if not isinstance(value, str):
            raise BadRequest(f"item {row['id']!r}: {field} must be a string, got {value!r:.80}")
    if filename == row["filename"] and name != row["name"]:
        if "/" in name:
            raise BadRequest(
                f"item {row['id']!r}: name {name!r} contains '/'; move the item by its filename instead"
            )
        filename = f"{row['dir'].rstrip('/')}/{name}"
    filename = check_remote_path(filename)
    if filename == row["filename"]:
        return
    taken = db.execute(
        "SELECT id FROM items WHERE dataset_id = ? AND filename = ?", (row["dataset_id"], filename)
    ).fetchone()
    if taken is not None:
        raise Conflict(
            f"item {row['id']!r} cannot move to {filename!r}: item {taken['id']!r} of its dataset is there"
        )
    directory, new_name = filename.rsplit("/", 1)
    db.execute(
        "UPDATE items SET filename = ?, name = ?, dir = ? WHERE id = ?",
        (filename, new_name, directory or "/", row["id"]),
    )


def _check_refs(ws: Workspace, req: Request, whose: str, patch: dict[str, Any]) -> None:
    """The tasks and assignments the ``system.refs`` of ``whose`` (``item 'x'``) name must be the
    caller's to read."""
    system = patch.get("system")
    refs = system.get("refs") if isinstance(system, dict) else None
    if refs is None:
        return
    if not isinstance(refs, list) or not all(isinstance(r, dict) for r in refs):
        raise BadRequest(
            f"{whose}: metadata.system.refs must be a list of {{'type', 'id'}}, got {refs!r:.80}"
        )
    for ref in refs:
        kind = _REF_KINDS.get(ref.get("type"))
        if kind is not None:
            require_references(ws, req, ref, (("id", kind),), f"{whose} ref")


@router.route("DELETE", "/items/{item_id}")
def delete_item(ws: Workspace, req: Request, item_id: str) -> dict[str, Any]:
    row = load_item(ws, item_id)
    with ws.transaction() as db:
        db.execute("DELETE FROM items WHERE id = ?", (item_id,))
    release_blob(ws, row["blob"])
    return {"id": item_id, "deleted": True}


def _descending(first: str, last: str) -> bool:
    return bool(first and last) and int(last) < int(first)


@router.route("GET", "/items/{item_id}/stream")
def stream_item(ws: Workspace, req: Request, item_id: str) -> Response:
    row, blob = open_item(ws, item_id)
    size = row["size"]
    # The etag is the sha256 of the bytes this answer carries, so a reader can check it got them whole.
    # Stored bytes are the users' own: a browser saves them, never renders them as this site's page.
    headers = {
        "content-type": row["mimetype"],
        "accept-ranges": "bytes",
        "etag": f'"{row["blob"]}"',
        "content-disposition": attachment(row["name"]),
        "x-content-type-options": "nosniff",
    }
    match = _RANGE.match(req.headers.get("range", "").strip())
    # A range that is not 'first-[last]' with last >= first, or '-suffix', is ignored (RFC 9110 14.2),
    # and so is any range on an empty item, which has no byte to point at.
    if not match or not (match.group(1) or match.group(2)) or _descending(*match.groups()) or size == 0:
        headers["content-length"] = str(size)
        return Response(stream=BlobReader(blob), headers=headers)
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:  # a suffix range: the last N bytes
        start, end = max(size - int(last), 0), size - 1
    if start >= size and size > 0:
        blob.close()
        return Response(
            status=416,
            body={"status": 416, "message": f"range start {start} is past the item's {size} bytes"},
            headers={"content-range": f"bytes */{size}"},
        )
    length = max(end - start + 1, 0)
    headers.update({"content-range": f"bytes {start}-{end}/{size}", "content-length": str(length)})
    return Response(status=206, stream=BlobReader(blob, start, length), headers=headers)


@router.route("POST", "/datasets/{dataset_id}/query")
def query_dataset(ws: Workspace, req: Request, dataset_id: str) -> dict[str, Any] | JSONText:
    require_dataset(ws, dataset_id)
    body = req.json_object()
    resource_name = body.get("resource", "items")
    resources: dict[str, Resource] = {"items": ITEMS, "annotations": ANNOTATIONS}
    if not isinstance(resource_name, str) or resource_name not in resources:
        raise BadRequest(f"query resource {resource_name!r} is not supported; use 'items' or 'annotations'")
    resource = resources[resource_name]
    where, params = compile_query(body, resource)
    where, params = f"dataset_id = ? AND ({where})", [dataset_id, *params]
    if body.get("delete"):
        _require_may_delete(ws, req, dataset_id, resource_name, where, params)
        return _delete_matching(ws, resource_name, where, params)
    if "update" in body:
        system_space = body.get("systemSpace") is True
        return _update_matching(
            ws, req, (dataset_id, resource_name, system_space), body["update"], where, params
        )
    if resource_name == "annotations":
        return text_page_of(
            ws, body, resource, where, params, lambda row: annotation_row_text(row, req), ROW_COLUMNS
        )
    return page_of(ws, body, resource, where, params, lambda row: item_json(row, req))


def _require_may_delete(
    ws: Workspace, req: Request, dataset_id: str, resource_name: str, where: str, params: list[Any]
) -> None:
    """Deleting items is managing data (``engineer``); deleting annotations is annotating, which an
    annotator may do only on the items of her own assignments."""
    if not req.restricted:
        return
    (project_id,) = ws.db.execute("SELECT project_id FROM datasets WHERE id = ?", (dataset_id,)).fetchone()
    action = f"deleting {resource_name} by query"
    if resource_name == "items":
        require_role(ws, req, [project_id], "engineer", action)
    elif require_role(ws, req, [project_id], "annotator", action) == "annotator":
        items = ws.db.execute(f"SELECT DISTINCT item_id FROM annotations WHERE {where}", params)
        require_own_items(ws, req, [r[0] for r in items], action)


def _update_matching(
    ws: Workspace,
    req: Request,
    target: tuple[str, str, bool],
    update: Any,
    where: str,
    params: list[Any],
) -> dict[str, Any]:
    """dtlpy's bulk ``items.update(filters=, update_values=, system_update_values=)``: ``{"metadata":
    {"user": {...}, "system": {...}}}`` merged into each matching item's metadata, ``system`` only with
    ``systemSpace: true`` (dtlpy's ``system_metadata=True``) and never the fields the store writes from
    the bytes; an empty update changes nothing. ``target`` is (dataset id, resource, systemSpace).
    Managing data, as one item's PATCH is. Annotations take the same update (accepting predictions in
    bulk), as annotating: an annotator on the items of her own assignments."""
    dataset_id, resource_name, system_space = target
    metadata = update.get("metadata", {}) if isinstance(update, dict) else None
    if (
        not isinstance(update, dict)
        or set(update) - {"metadata"}
        or not isinstance(metadata, dict)
        or set(metadata) - {"user", "system"}
        or not all(isinstance(v, dict) for v in metadata.values())
    ):
        raise BadRequest(
            f"query update {update!r:.80} is not supported; send an update of {resource_name} as "
            "{'metadata': {'user': {...}, 'system': {...}}}"
        )
    if "system" in metadata and not system_space:
        raise BadRequest(
            "a query update of metadata.system needs 'systemSpace': true (dtlpy's system_metadata=True)"
        )
    if resource_name == "annotations":
        return _update_matching_annotations(ws, req, dataset_id, metadata, where, params)
    _check_refs(ws, req, f"the items of dataset {dataset_id!r}", metadata)
    if req.restricted:
        (project_id,) = ws.db.execute(
            "SELECT project_id FROM datasets WHERE id = ?", (dataset_id,)
        ).fetchone()
        require_role(ws, req, [project_id], "engineer", "updating items by query")
    if not metadata:
        return {"updated": 0}
    with ws.transaction() as db:
        rows = db.execute(f"SELECT id, metadata FROM items WHERE {where}", params).fetchall()
        changed = []
        for row in rows:
            merged = merge_patch(loads(row["metadata"]), metadata)  # merge_patch changes what it is given
            _keep_store_owned(row["id"], loads(row["metadata"]), merged)
            changed.append((dumps(merged), utc_now(), req.user, row["id"]))
        db.executemany("UPDATE items SET metadata = ?, updated_at = ?, updated_by = ? WHERE id = ?", changed)
    return {"updated": len(rows)}


def _update_matching_annotations(
    ws: Workspace, req: Request, dataset_id: str, metadata: dict[str, Any], where: str, params: list[Any]
) -> dict[str, Any]:
    """The bulk update of the annotations ``where`` matches: ``metadata`` merged into each one's, their
    items' annotation versions moved on, in one transaction."""
    if req.restricted:
        (project_id,) = ws.db.execute(
            "SELECT project_id FROM datasets WHERE id = ?", (dataset_id,)
        ).fetchone()
        if require_role(ws, req, [project_id], "annotator", "updating annotations by query") == "annotator":
            items = ws.db.execute(f"SELECT DISTINCT item_id FROM annotations WHERE {where}", params)
            require_own_items(ws, req, [r[0] for r in items], "updating annotations by query")
    if not metadata:
        return {"updated": 0}
    with ws.transaction() as db:
        return {"updated": update_annotation_rows(db, req, metadata, where, params)}


def _delete_matching(ws: Workspace, resource_name: str, where: str, params: list[Any]) -> dict[str, Any]:
    if resource_name == "annotations":
        with ws.transaction() as db:
            ids = [r[0] for r in db.execute(f"SELECT id FROM annotations WHERE {where}", params)]
            delete_annotation_rows(db, ids)
        return {"deleted": len(ids)}
    with ws.transaction() as db:
        rows = db.execute(f"SELECT id, blob FROM items WHERE {where}", params).fetchall()
        db.executemany("DELETE FROM items WHERE id = ?", [(r["id"],) for r in rows])
    for digest in {r["blob"] for r in rows}:
        release_blob(ws, digest)
    return {"deleted": len(rows)}
