"""``dataset.items``: upload, list with filters, get by path or id, delete; and item downloads.

An upload is one multipart request per file, streamed from disk (never read whole), so a file of any
size uses constant memory on both ends.
"""

from __future__ import annotations

import copy
import io
import json
import mimetypes
import os
import re
import secrets
import time
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from tqdm.auto import tqdm

from ...exceptions import NotFound
from ..entities.item import Item
from ..entities.page import PagedEntities
from ..entities.prompt import PromptItem
from ..filters import Filters, FiltersResource
from .owner import required

if TYPE_CHECKING:
    from ..client import Client
    from ..entities.dataset import Dataset

# Uploads in flight at once for a folder sent over HTTP.
FOLDER_WORKERS = 8

# An item's ``stream`` URL, which prompt items hold to reference an image.
_STREAM = re.compile(r"/items/([^/]+)/stream$")

# What a download gives: a path or an in-memory file for one item, a list of them for several.
Files = list[str | io.BytesIO]
Downloaded = str | io.BytesIO | Files

UploadSource = str | os.PathLike[str] | bytes | BinaryIO | PromptItem | Any


def get_item(client: Client, item_id: str) -> Item:
    return Item.from_json(client.json("GET", f"/items/{item_id}"), client)


def remote_dir(remote_path: str | None) -> str:
    """``'/images'`` -> ``'/images/'``: the SDK forces a leading and a trailing slash."""
    return "/" + (remote_path or "").strip("/") + "/" if (remote_path or "").strip("/") else "/"


def _in_memory(source: Any, remote_name: str | None) -> tuple[str, bytes]:
    """(file name, bytes) for sources that are not files on disk: bytes, PIL images, numpy arrays."""
    if isinstance(source, PromptItem):
        return remote_name or source.name, json.dumps(source.to_json(), indent=2).encode()
    if isinstance(source, (bytes, bytearray)):
        return remote_name or f"upload-{time.time_ns()}.bin", bytes(source)
    if hasattr(source, "__array_interface__") and not hasattr(source, "save"):
        from PIL import Image

        source = Image.fromarray(source)
    if hasattr(source, "save"):  # a PIL image: stored lossless
        buffer = io.BytesIO()
        source.save(buffer, format="PNG")
        return remote_name or f"image-{time.time_ns()}.png", buffer.getvalue()
    raise TypeError(
        f"cannot upload {type(source).__name__}; give a file or folder path, bytes, a file object, "
        "a PIL image, a numpy array or a PromptItem"
    )


def paged_query(filters: Filters, page_offset: int | None, page_size: int | None) -> dict[str, Any]:
    """The query body of ``filters`` for page ``page_offset`` of ``page_size`` entities."""
    query = filters.prepare()
    for key, value, least in (("page_offset", page_offset, 0), ("page_size", page_size, 1)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ValueError(f"{key}={value!r} must be a whole number of at least {least}")
        query["page" if key == "page_offset" else "pageSize"] = value
    return query


def json_pages(
    client: Client, path: str, filters: Filters, by_id: bool = False
) -> Iterator[list[dict[str, Any]]]:
    """The platform JSON of what a query route answers for ``filters``, a page at a time, without
    building entities: for bulk readers such as the converter. In id order (``by_id``, or when the
    filters sort by id alone) pages are walked by ``id > last id``, which stays fast however deep it
    goes; in any other order, by page number."""
    query = filters.prepare()
    by_id = by_id or query.get("sort") in ({"id": "ascending"}, {"id": "asc"})
    if by_id:
        query["sort"] = {"id": "ascending"}
    query["page"] = 0
    while True:
        body = client.json("POST", path, json=query)
        page = body.get("items", [])
        if page:
            yield page
        if not body.get("hasNextPage") or not page:
            return
        if by_id:
            query["filter"] = {"$and": [filters.prepare()["filter"], {"id": {"$gt": page[-1]["id"]}}]}
        else:
            query["page"] += 1


def folder_upload(local_path: Any) -> tuple[Path, Path] | None:
    """(folder, base) when ``local_path`` names a folder to upload, else None. As in dtlpy, remote paths
    keep the folder's own name (``photos`` -> ``/photos/a.jpg``) unless the path ends in ``*``
    (``photos/*`` -> ``/a.jpg``); they are relative to the folder's parent as the string names it, so
    ``photos/`` has no name after its last slash and keeps none."""
    if not isinstance(local_path, (str, os.PathLike)):
        return None
    text = os.fspath(local_path)
    keep_name = not text.endswith("*")
    folder = os.path.dirname(text) if not keep_name else text
    if not os.path.isdir(folder or "."):
        return None
    base = os.path.dirname(folder) if keep_name else folder
    return Path(folder or "."), Path(base or ".")


class Items:
    """The items of one dataset; ``dw.items`` (no dataset) gets items by id."""

    def __init__(self, client: Client, dataset: Dataset | None = None) -> None:
        self.client = client
        self._dataset = dataset

    @property
    def dataset(self) -> Dataset:
        return required(self._dataset, "items", "dataset")

    def _send(
        self, remote: str, name: str, content: BinaryIO | bytes, mode: str, metadata: dict[str, Any] | None
    ) -> Item:
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        data = {"type": "file", "path": remote + name}
        if metadata:
            data["metadata"] = json.dumps(metadata)
        body = self.client.json(
            "POST",
            f"/datasets/{self.dataset.id}/items",
            params={"mode": mode},
            data=data,
            files={"file": (name, content, mimetype)},
        )
        return Item.from_json(body, self.client)

    def upload(
        self,
        local_path: UploadSource | list[UploadSource],
        remote_path: str | None = None,
        overwrite: bool = False,
        item_metadata: dict[str, Any] | None = None,
        remote_name: str | None = None,
    ) -> Item | list[Item]:
        """Upload a file, a folder (keeping its structure), bytes, a PIL image, a numpy array or a
        PromptItem under ``remote_path``; one Item back for one file, a list for several."""
        mode = "overwrite" if overwrite else "skip"
        remote = remote_dir(remote_path)
        if isinstance(local_path, list):
            return [self._one(source, remote, mode, item_metadata, None) for source in local_path]
        folder = folder_upload(local_path)
        if folder is not None:
            return self._folder(*folder, remote, mode, item_metadata)
        return self._one(local_path, remote, mode, item_metadata, remote_name)

    def _one(
        self, source: Any, remote: str, mode: str, metadata: dict[str, Any] | None, name: str | None
    ) -> Item:
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            if not path.is_file():
                raise FileNotFoundError(f"cannot upload {str(path)!r}: no such file")
            with open(path, "rb") as f:
                return self._send(remote, name or path.name, f, mode, metadata)
        if hasattr(source, "read"):
            return self._send(
                remote, name or Path(getattr(source, "name", "upload.bin")).name, source, mode, metadata
            )
        file_name, content = _in_memory(source, name)
        return self._send(remote, file_name, content, mode, metadata)

    def _folder(
        self, folder: Path, base: Path, remote: str, mode: str, metadata: dict[str, Any] | None
    ) -> list[Item]:
        """Every file under ``folder``, in path order, at its path relative to ``base``; over HTTP
        ``FOLDER_WORKERS`` requests at a time (in-process they would only take turns at the GIL)."""
        files = sorted(p for p in folder.rglob("*") if p.is_file())

        def send(path: Path) -> Item:
            relative = path.parent.relative_to(base).as_posix()
            target = remote if relative == "." else remote_dir(remote + relative)
            with open(path, "rb") as f:
                return self._send(target, path.name, f, mode, metadata)

        bar = tqdm(
            total=len(files),
            desc=f"upload {folder.name}",
            unit="file",
            disable=None if len(files) > 1 else True,
        )
        workers = 1 if self.client.is_local else FOLDER_WORKERS
        uploaded = []
        with bar, ThreadPoolExecutor(workers, thread_name_prefix="dlwidgets-upload") as pool:
            try:
                for item in pool.map(send, files):
                    uploaded.append(item)
                    bar.update()
            except BaseException:
                pool.shutdown(cancel_futures=True)  # the first failure stops the files not yet sent
                raise
        return uploaded

    def pages_json(self, filters: Filters | None = None) -> Iterator[list[dict[str, Any]]]:
        """The platform JSON of the items ``filters`` matches, a page at a time, without entities."""
        filters = filters or Filters(resource=FiltersResource.ITEM)
        return json_pages(self.client, f"/datasets/{self.dataset.id}/query", filters)

    def list(
        self, filters: Filters | None = None, page_offset: int | None = None, page_size: int | None = None
    ) -> PagedEntities[Any]:
        """Items matching ``filters`` (all files by default), a page at a time, starting with page
        ``page_offset``; for filters with ``resource=FiltersResource.ANNOTATION``, the dataset's matching
        annotations, as the SDK does."""
        filters = filters or Filters(resource=FiltersResource.ITEM)
        query = paged_query(filters, page_offset, page_size)
        parse: Any = Item.from_json
        if filters.resource == FiltersResource.ANNOTATION:
            from ..entities.annotation import Annotation

            parse = Annotation.from_json
        return PagedEntities(
            self.client, f"/datasets/{self.dataset.id}/query", query, lambda d: parse(d, self.client)
        )

    def get(self, filepath: str | None = None, item_id: str | None = None) -> Item:
        """One item by its full remote path (``/images/a.jpg``) or by id; ``NotFound`` otherwise."""
        if item_id is not None:
            return get_item(self.client, item_id)
        if filepath is None:
            raise ValueError("items.get needs filepath= or item_id=")
        filters = Filters(resource=FiltersResource.ITEM, use_defaults=False, recursive=False)
        filters.add(field="filename", values="/" + filepath.lstrip("/"))
        found = self.list(filters=filters).items
        if len(found) != 1:
            raise NotFound(f"Item not found: dataset {self.dataset.name!r} has no item at {filepath!r}")
        return found[0]

    def download(
        self,
        filters: Filters | None = None,
        items: Item | Sequence[Item] | None = None,
        local_path: str | os.PathLike[str] | None = None,
        file_types: Sequence[str] | None = None,
        save_locally: bool = True,
        overwrite: bool = False,
        to_items_folder: bool = True,
        without_relative_path: bool | None = None,
    ) -> Downloaded:
        """Download ``items`` (or those ``filters`` match, all files by default) as dtlpy lays them out:
        ``<local_path>/items/<remote path>`` (no ``items`` folder with ``to_items_folder=False``, the name
        alone with ``without_relative_path``); one item to a file path with its extension goes there.
        One item gives its path (a ``BytesIO`` named after it with ``save_locally=False``), several a
        list, none an empty list."""
        if items is not None:
            chosen = [items] if isinstance(items, Item) else list(items)
        else:
            filters = copy.deepcopy(filters) if filters is not None else Filters()
            if file_types:
                filters.add(field="metadata.system.mimetype", values=list(file_types), operator="in")
            chosen = list(self.list(filters=filters).all())
        if not chosen:
            return []
        if not save_locally:
            buffers: Files = [item_buffer(item) for item in chosen]
            return buffers[0] if len(buffers) == 1 else buffers
        base = Path(local_path) if local_path is not None else default_download_folder(self.dataset)
        paths: Files = [
            stream_to(
                item,
                local_file(item, base, len(chosen) == 1, to_items_folder, without_relative_path),
                overwrite,
            )
            for item in chosen
        ]
        return paths[0] if len(paths) == 1 else paths

    def update(
        self,
        item: Item | None = None,
        filters: Filters | None = None,
        update_values: dict[str, Any] | None = None,
        system_update_values: dict[str, Any] | None = None,
        system_metadata: bool = False,
    ) -> Any:
        """Save the changes made on ``item`` since it was fetched (the updated Item back), or, for every
        item matching ``filters`` (dtlpy's bulk update), merge ``update_values`` into its user metadata
        and, with ``system_metadata=True``, ``system_update_values`` into its system metadata."""
        if item is not None:
            if update_values or system_update_values:
                raise ValueError(
                    "update_values and system_update_values are for updating the items filters= match; "
                    "one item's changes are saved with items.update(item=item) alone"
                )
            patch = item.unsaved_changes(system_metadata)
            if not patch:
                return item
            params = {"system": "true"} if system_metadata else None
            body = self.client.json("PATCH", f"/items/{item.id}", json=patch, params=params)
            return Item.from_json(body, self.client)
        if filters is None:
            raise ValueError("items.update needs item= (one item's changes) or filters= with update_values=")
        for name, values in (
            ("update_values", update_values),
            ("system_update_values", system_update_values),
        ):
            if values is not None and not isinstance(values, dict):
                raise ValueError(f"{name} must be a dict of metadata fields, got {values!r:.80}")
        if not update_values and not system_update_values:
            raise ValueError(
                "give update_values= (user metadata) or system_update_values= with system_metadata=True"
            )
        if system_update_values and not system_metadata:
            warnings.warn(
                "system metadata will not be updated because system_metadata is False (as in dtlpy); "
                "pass system_metadata=True to update it",
                UserWarning,
                stacklevel=2,
            )
        metadata: dict[str, Any] = {"user": update_values} if update_values else {}
        query: dict[str, Any] = {**filters.prepare(), "update": {"metadata": metadata} if metadata else {}}
        if system_metadata and system_update_values:
            metadata["system"] = system_update_values
            query.update(update={"metadata": metadata}, systemSpace=True)
        return self.client.json("POST", f"/datasets/{self.dataset.id}/query", json=query)

    def id_of_stream(self, stream: str) -> str | None:
        """The item id in an item's ``stream`` URL (``.../items/<id>/stream``); None for any other text."""
        match = _STREAM.search(stream)
        return match.group(1) if match else None

    def read(self, item_id: str) -> bytes:
        """An item's bytes, in memory (``item.read()``)."""
        return self.client.request("GET", f"/items/{item_id}/stream").content

    def thumbnail(self, item_id: str) -> bytes:
        """An item's thumbnail JPEG (``item.thumbnail()``)."""
        return self.client.request("GET", f"/items/{item_id}/thumbnail").content

    def delete(
        self, filename: str | None = None, item_id: str | None = None, filters: Filters | None = None
    ) -> bool:
        """Delete one item (by path or id) or every item matching ``filters``."""
        if filters is not None:
            query = {**filters.prepare(), "delete": True}
            self.client.request("POST", f"/datasets/{self.dataset.id}/query", json=query)
            return True
        item = self.get(filepath=filename, item_id=item_id)
        self.client.request("DELETE", f"/items/{item.id}")
        return True


def item_buffer(item: Item) -> io.BytesIO:
    """The item's bytes in memory, named after the item (dtlpy's ``save_locally=False``)."""
    buffer = io.BytesIO(item.read())
    buffer.name = item.name
    return buffer


def dataloop_path() -> Path:
    """dtlpy's own folder, where it downloads when no ``local_path`` is given: ``$DATALOOP_PATH``, else
    ``~/.dataloop``."""
    return Path(os.environ.get("DATALOOP_PATH") or Path.home() / ".dataloop")


def default_download_folder(dataset: Dataset) -> Path:
    """Where dtlpy downloads a dataset when no ``local_path`` is given: ``projects/<project>/datasets/
    <dataset>`` in its own folder."""
    from .projects import Projects

    project = Projects(dataset.client).get(project_id=dataset.project_id)
    return dataloop_path() / "projects" / project.name / "datasets" / dataset.name


def download_target(item: Item, local_path: Path) -> Path:
    """What ``item.download(local_path=)`` hands on to the download of items, as dtlpy does: a file path
    with the item's extension as given, else ``<local_path>/<name>`` (the folder made if needed). The
    name comes from the server, so a name that resolves outside the folder (``../x``, an absolute path)
    is refused rather than followed, before anything is made."""
    if not local_path.is_dir() and local_path.suffix and local_path.suffix == Path(item.name).suffix:
        return local_path
    folder = local_path.resolve()
    if folder not in (folder / item.name).resolve().parents:
        raise ValueError(
            f"item {item.id} has the name {item.name!r}, which would be saved outside {str(folder)!r}; "
            "read its bytes with item.download(save_locally=False) and save them under a name of your choice"
        )
    local_path.mkdir(parents=True, exist_ok=True)
    return local_path / item.name


def local_file(
    item: Item, base: Path, is_single: bool, to_items_folder: bool, without_relative_path: bool | None
) -> Path:
    """Where a download of items writes ``item``, by dtlpy's rules: ``base`` itself when it is the one
    item's file path (not a folder, with the item's extension), else ``<base>/items/<remote path>`` (no
    ``items`` with ``to_items_folder=False``, the name alone with ``without_relative_path``)."""
    if is_single and not base.is_dir() and base.suffix and base.suffix == Path(item.name).suffix:
        return base
    folder = base / "items" if to_items_folder else base
    return inside(folder, item.name if without_relative_path is not None else item.filename, item)


def inside(folder: Path, relative: str, item: Item) -> Path:
    """``folder / relative``, refused when the server-given ``relative`` would lead outside ``folder``."""
    base = folder.resolve()
    target = (base / relative.lstrip("/")).resolve()
    if base not in target.parents:
        raise ValueError(
            f"item {item.id} has the path {relative!r}, which would be saved outside {str(base)!r}; "
            "read its bytes with item.download(save_locally=False) and save them under a name of your choice"
        )
    return target


def stream_to(item: Item, target: Path, overwrite: bool = True) -> str:
    """Stream an item's bytes to disk through a temporary file beside the target, renamed once complete
    and checked. The temporary name is short: the item's own name may already use the 255 bytes allowed."""
    if target.exists() and not overwrite:
        return str(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.parent / f".dlwidgets-{secrets.token_hex(6)}.download"
    try:
        with item.client.stream("GET", f"/items/{item.id}/stream") as response, open(partial, "xb") as f:
            for chunk in response.iter_bytes(1 << 20):
                f.write(chunk)
        # The answer's own length: the item may have been overwritten since this copy of it was fetched.
        declared = response.headers.get("content-length")
        expected = int(declared) if declared is not None else item.size
        size = partial.stat().st_size
        if expected is not None and size != expected:
            raise OSError(f"download of item {item.filename!r} got {size} bytes, expected {expected}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return str(target)
