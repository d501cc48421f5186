"""``dataset.export(...)``: the SDK's JSON export, through ``POST /datasets/{id}/export`` and its Command."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...exceptions import PlatformError
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
    folder.mkdir(parents=True, exist_ok=True)
    result = folder / f"{dataset.id}.json"
    result.write_text(json.dumps(json.loads(output)))
    return str(result)
