"""``dataset.export(...)``: the SDK's JSON export, through ``POST /datasets/{id}/export`` and its Command."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...exceptions import PlatformError
from ..entities.item import Item
from ..filters import Filters

if TYPE_CHECKING:
    from ..entities.dataset import Dataset

# How long to wait between looks at a running command, and at the most in all.
_POLL_S, _WAIT_S = 0.5, 600


def wait_for_command(dataset: Dataset, command: dict[str, Any]) -> dict[str, Any]:
    """The command once it has finished; a ``PlatformError`` if it failed or did not finish in time."""
    deadline = time.monotonic() + _WAIT_S
    while command.get("status") not in ("success", "failed", "canceled", "timeout"):
        if time.monotonic() > deadline:
            raise PlatformError(f"command {command.get('id')!r} did not finish in {_WAIT_S} s")
        time.sleep(_POLL_S)
        command = dataset.client.json("GET", f"/commands/{command['id']}")
    if command["status"] != "success":
        raise PlatformError(
            f"command {command.get('id')!r} ended {command['status']}: {command.get('error')}"
        )
    return command


def export_dataset(
    dataset: Dataset,
    local_path: str | os.PathLike[str] | None,
    filters: Filters | None,
    annotation_filters: Filters | None,
    include_annotations: bool,
) -> str:
    """Export the items ``filters`` match (with their annotations, if asked) to ``<local_path>/<dataset
    id>.json``, a JSON list of item JSONs, as the SDK writes it; returns that path."""
    folder = Path(local_path) if local_path is not None else Path.cwd()
    if folder.is_file():
        raise ValueError(f"local_path must be a folder, not a file: {str(folder)!r}")
    exported = exported_items(dataset, filters, annotation_filters, include_annotations)
    folder.mkdir(parents=True, exist_ok=True)
    result = folder / f"{dataset.id}.json"
    result.write_text(json.dumps(exported))
    return str(result)


def exported_items(
    dataset: Dataset, filters: Filters | None, annotation_filters: Filters | None, include_annotations: bool
) -> list[dict[str, Any]]:
    """The item JSONs (with their annotations, if asked) of the SDK's JSON export of ``dataset``."""
    query = (filters or Filters()).prepare()
    payload: dict[str, Any] = {
        "exportType": "json",
        "itemsQuery": {"filter": query["filter"], "join": query.get("join", {})},
        "itemsVectorQuery": {},
        "annotations": {"include": include_annotations, "convertSemantic": False},
    }
    if annotation_filters is not None:
        payload["annotationsQuery"] = annotation_filters.prepare()
    command = dataset.client.json("POST", f"/datasets/{dataset.id}/export", json=payload)
    command = wait_for_command(dataset, command)
    output = dataset.client.request("GET", f"/items/{command['spec']['outputItemId']}/stream").content
    exported: list[dict[str, Any]] = json.loads(output)
    return exported


def download_annotations(
    dataset: Dataset,
    local_path: str | os.PathLike[str] | None,
    filters: Filters | None,
    annotation_filters: Filters | None,
    overwrite: bool,
    export_version: str,
) -> str:
    """One JSON file per item (the item with its annotations) under ``<local_path>/json``, at the item's
    remote path with ``.json`` for its extension (``V1``) or after it (``V2``), as dtlpy lays them out;
    returns ``local_path``."""
    from .items import default_download_folder, inside

    if export_version not in ("V1", "V2"):
        raise ValueError(f"export_version {export_version!r} is not 'V1' or 'V2'")
    folder = Path(local_path) if local_path is not None else default_download_folder(dataset)
    for item in exported_items(dataset, filters, annotation_filters, include_annotations=True):
        filename = str(item.get("filename", "")).lstrip("/")
        relative = filename + ".json" if export_version == "V2" else os.path.splitext(filename)[0] + ".json"
        target = inside(folder / "json", relative, Item.from_json(item))
        if target.exists() and not overwrite:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(item, indent=2))
    return str(folder)
