"""``dataset.export(...)``: the SDK's JSON export, through ``POST /datasets/{id}/export`` and its Command."""

from __future__ import annotations

import json
import os
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...exceptions import PlatformError
from ..choices import member
from ..entities.dataset import ExportType, OutputExportType
from ..entities.item import Item
from ..filters import Filters

if TYPE_CHECKING:
    from ..choices import member
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
    export_type: ExportType | str = ExportType.JSON,
    output_export_type: OutputExportType | str | None = None,
) -> str:
    """Export the items ``filters`` match (with their annotations, if asked) as dtlpy's V1 export does;
    returns the path written. ``ExportType.JSON`` gives ``<local_path>/<dataset id>.json`` (a JSON list
    of item JSONs), zipped with ``OutputExportType.ZIP``, or one JSON per item at its remote path with
    ``FOLDERS``; ``ExportType.ZIP`` gives the platform's ZIP (one JSON per item), unzipped into
    ``local_path`` unless ``OutputExportType.ZIP`` keeps it whole."""
    kind = member(ExportType, export_type, "export_type")
    output = (
        None
        if output_export_type is None
        else member(OutputExportType, output_export_type, "output_export_type")
    )
    folder = Path(local_path) if local_path is not None else Path.cwd()
    if folder.is_file():
        raise ValueError(f"local_path must be a folder, not a file: {str(folder)!r}")
    if kind == ExportType.ZIP:
        if output == OutputExportType.JSON:
            raise NotImplementedError(
                "a ZIP export has no JSON output (output_export_type=JSON), as in dtlpy; "
                "for one JSON file use export_type=dw.ExportType.JSON"
            )
        archive = _exported_file(dataset, filters, annotation_filters, include_annotations, kind)
        folder.mkdir(parents=True, exist_ok=True)
        path = archive.download(local_path=folder, overwrite=True)
        if output == OutputExportType.ZIP:
            return path
        unzip_inside(Path(path), folder)
        Path(path).unlink()
        return str(folder)
    exported = exported_items(dataset, filters, annotation_filters, include_annotations)
    folder.mkdir(parents=True, exist_ok=True)
    if output == OutputExportType.FOLDERS:
        for item in exported:
            save_item_json(folder, item, None)
        return str(folder)
    result = folder / f"{dataset.id}.json"
    result.write_text(json.dumps(exported))
    if output != OutputExportType.ZIP:
        return str(result)
    zipped = folder / f"{dataset.id}.json.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive_file:
        archive_file.write(result, arcname=result.name)
    result.unlink()
    return str(zipped)


def unzip_inside(archive: Path, folder: Path) -> None:
    """Unzip ``archive`` into ``folder``; a member whose name leads outside it is refused, nothing written."""
    base = folder.resolve()
    with zipfile.ZipFile(archive) as opened:
        for member in opened.namelist():
            if base not in (base / member).resolve().parents:
                raise ValueError(
                    f"the export {archive.name!r} holds {member!r}, which leads outside {str(base)!r}"
                )
        opened.extractall(folder)


def save_item_json(
    folder: Path, item: dict[str, Any], export_version: str | None, overwrite: bool = True
) -> None:
    """An item's JSON at its remote path under ``folder``, with ``.json`` for its extension (``V1``, and
    dtlpy's default) or after it (``V2``)."""
    from .items import inside

    filename = str(item.get("filename", "")).lstrip("/")
    relative = filename + ".json" if export_version == "V2" else os.path.splitext(filename)[0] + ".json"
    target = inside(folder, relative, Item.from_json(item))
    if target.exists() and not overwrite:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(item, indent=2))


def exported_items(
    dataset: Dataset, filters: Filters | None, annotation_filters: Filters | None, include_annotations: bool
) -> list[dict[str, Any]]:
    """The item JSONs (with their annotations, if asked) of the SDK's JSON export of ``dataset``."""
    output = _exported_file(dataset, filters, annotation_filters, include_annotations, ExportType.JSON)
    exported: list[dict[str, Any]] = json.loads(output.read())
    return exported


def _exported_file(
    dataset: Dataset,
    filters: Filters | None,
    annotation_filters: Filters | None,
    include_annotations: bool,
    export_type: ExportType,
) -> Item:
    """The file item an export of ``dataset`` makes (``POST /datasets/{id}/export``, then its command)."""
    query = (filters or Filters()).prepare()
    payload: dict[str, Any] = {
        "exportType": export_type.value,
        "itemsQuery": {"filter": query["filter"], "join": query.get("join", {})},
        "itemsVectorQuery": {},
        "annotations": {"include": include_annotations, "convertSemantic": False},
    }
    if annotation_filters is not None:
        payload["annotationsQuery"] = annotation_filters.prepare()
    command = dataset.client.json("POST", f"/datasets/{dataset.id}/export", json=payload)
    command = wait_for_command(dataset, command)
    return dataset.client.items.get(item_id=command["spec"]["outputItemId"])


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
    from .items import default_download_folder

    if export_version not in ("V1", "V2"):
        raise ValueError(f"export_version {export_version!r} is not 'V1' or 'V2'")
    folder = Path(local_path) if local_path is not None else default_download_folder(dataset)
    for item in exported_items(dataset, filters, annotation_filters, include_annotations=True):
        save_item_json(folder / "json", item, export_version, overwrite)
    return str(folder)
