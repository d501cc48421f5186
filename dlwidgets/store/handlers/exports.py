"""``POST /datasets/{id}/export``: the dataset's items (with their annotations, if asked) as one JSON file
(``exportType: json``) or a ZIP of one JSON per item (``zip``).

As on the platform, the export is a Command whose ``spec.outputItemId`` names the file, an item of the
project's ``Binaries`` dataset; the SDK waits for the command and downloads that item: a JSON list it
merges into ``<dataset id>.json``, or a ZIP it unzips, in which each item's JSON is at the item's remote
path with ``.json`` for its extension (``/photos/a.png`` -> ``photos/a.json``), the layout dtlpy's
annotation downloads read.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from typing import Any

from ...exceptions import BadRequest
from ..dql import ANNOTATIONS, ITEMS, compile_filter, compile_query
from ..ids import new_id
from ..routing import Request, router
from ..workspace import Workspace
from .annotations import annotation_json
from .datasets import binaries_dataset, load_dataset
from .items import item_json, store_file
from .tasks import command_row


@router.route("POST", "/datasets/{dataset_id}/export")
def export_dataset(ws: Workspace, req: Request, dataset_id: str) -> dict[str, Any]:
    body = req.json_object()
    dataset = load_dataset(ws, dataset_id)
    kind = body.get("exportType", "json")
    if kind not in _TYPES:
        raise BadRequest(f"export type {kind!r} is not one of {sorted(_TYPES)}")
    items = _exported_items(ws, req, dataset_id, body)
    command_id = new_id()
    content = json.dumps(items).encode() if kind == "json" else _zip_of(items)
    output = store_file(
        ws,
        req,
        binaries_dataset(ws, req, dataset["project_id"]),
        f"/.dataloop/exports/{dataset_id}/{command_id}.{kind}",
        content,
        _TYPES[kind],
    )
    spec = {"datasetId": dataset_id, "exportPayload": body, "outputItemId": output["id"]}
    with ws.transaction() as db:
        command = command_row(db, command_id, "exportDataset", spec)
    return {**command, "url": f"{req.base_url}/commands/{command_id}"}


# The export types made here, with the mimetype of their file.
_TYPES = {"json": "application/json", "zip": "application/zip"}


def _zip_of(items: list[dict[str, Any]]) -> bytes:
    """One JSON file per item, at its remote path with ``.json`` for its extension (after it, for an item
    whose name without extension another item of its folder has: ``a.png.json`` beside ``a.json``)."""
    buffer = io.BytesIO()
    written: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in items:
            filename = str(item["filename"]).lstrip("/")
            name = os.path.splitext(filename)[0] + ".json"
            name = filename + ".json" if name in written else name
            written.add(name)
            archive.writestr(name, json.dumps(item, indent=2))
    return buffer.getvalue()


def _query(body: dict[str, Any], key: str) -> dict[str, Any]:
    query = body.get(key) or {}
    if not isinstance(query, dict):
        raise BadRequest(f"export {key!r} must be a DQL object such as {{'filter': {{}}}}, got {query!r:.80}")
    return query


def _exported_items(
    ws: Workspace, req: Request, dataset_id: str, body: dict[str, Any]
) -> list[dict[str, Any]]:
    """Each matching item's JSON, with ``annotations`` (those ``annotationsQuery`` matches) if included."""
    where, params = compile_query(_query(body, "itemsQuery"), ITEMS)
    rows = ws.db.execute(
        f"SELECT * FROM items WHERE dataset_id = ? AND type = 'file' AND ({where}) ORDER BY id",
        [dataset_id, *params],
    ).fetchall()
    options = body.get("annotations") or {}
    if not isinstance(options, dict) or not options.get("include"):
        return [item_json(row, req) for row in rows]
    a_where, a_params = compile_filter(_query(body, "annotationsQuery").get("filter"), ANNOTATIONS)
    exported = []
    for row in rows:
        annotations = ws.db.execute(
            f"SELECT * FROM annotations WHERE item_id = ? AND ({a_where}) ORDER BY id", [row["id"], *a_params]
        )
        exported.append(
            {**item_json(row, req), "annotations": [annotation_json(a, req) for a in annotations]}
        )
    return exported
