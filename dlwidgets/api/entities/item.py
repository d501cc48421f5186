"""``Item``: one file in a dataset, with its system and user metadata and its ``stream`` URL."""

from __future__ import annotations

import copy
import io
import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, overload

from pydantic import Field, PrivateAttr

from .base import Entity

if TYPE_CHECKING:
    from ..repositories.annotations import Annotations
    from .dataset import Dataset


class ItemStatus(str, Enum):
    """The statuses an item takes in a task, as dtlpy names them (``dl.ItemStatus``)."""

    COMPLETED = "completed"
    APPROVED = "approved"
    DISCARDED = "discard"


class Item(Entity):
    """An item, as ``GET /items/{id}`` returns it."""

    TABLE: ClassVar[tuple[str, ...]] = ("id", "filename", "mimetype", "size", "annotations_count")

    id: str
    dataset_id: str
    filename: str
    name: str
    dir: str = "/"
    type: str = "file"
    hidden: bool = False
    metadata: dict[str, Any] = Field(default_factory=dict)
    stream: str = ""
    annotated: bool | None = None
    annotations_count: int | None = None
    # Moves on with every change to the item's annotations (dlwidgets workspaces; None elsewhere).
    annotations_version: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    creator: str | None = None
    url: str | None = None
    description: str | None = None
    # The metadata and path as last saved, so update() can send only what changed, as the SDK does.
    _saved_metadata: dict[str, Any] = PrivateAttr(default_factory=dict)
    _saved_path: tuple[str, str] = PrivateAttr(default=("", ""))

    def model_post_init(self, __context: Any) -> None:
        self._saved_metadata = copy.deepcopy(self.metadata)
        self._saved_path = (self.filename, self.name)

    @property
    def system(self) -> dict[str, Any]:
        """``metadata['system']``: size, mimetype, width and height, set by the store."""
        return self.metadata.get("system", {})

    @property
    def mimetype(self) -> str | None:
        return self.system.get("mimetype")

    @property
    def size(self) -> int | None:
        return self.system.get("size")

    @property
    def width(self) -> int | None:
        return self.system.get("width")

    @property
    def height(self) -> int | None:
        return self.system.get("height")

    @property
    def dataset(self) -> Dataset:
        from ..repositories.datasets import get_dataset

        return get_dataset(self.client, self.dataset_id)

    @property
    def annotations(self) -> Annotations:
        from ..repositories.annotations import Annotations

        return Annotations(self.client, item=self)

    def update(self, system_metadata: bool = False) -> Item:
        """Save the changes made on this object since it was fetched: its metadata (a merge patch), and a
        new ``name`` (renamed in its folder) or ``filename`` (moved)."""
        return self.client.items.update(item=self, system_metadata=system_metadata)

    def unsaved_changes(self, system_metadata: bool = False) -> dict[str, Any]:
        """The merge patch of what changed since the item was fetched (``metadata.system`` only with
        ``system_metadata``): what ``update`` sends."""
        diff = metadata_diff(self._saved_metadata, self.metadata)
        if not system_metadata:
            diff.pop("system", None)
        patch: dict[str, Any] = {"metadata": diff} if diff else {}
        for field, saved in zip(("filename", "name"), self._saved_path, strict=True):
            if getattr(self, field) != saved:
                patch[field] = getattr(self, field)
        return patch

    def move(self, new_path: str) -> Item:
        """Move the item, as the SDK does: into the folder ``new_path`` when it ends with '/' or names a
        folder of the dataset, else to the full path ``new_path``."""
        if not isinstance(new_path, str) or not new_path:
            raise ValueError(
                f"new_path must be a folder ('/done/') or a full path ('/done/a.jpg'), got {new_path!r}"
            )
        new_path = new_path if new_path.startswith("/") else f"/{new_path}"
        if new_path.endswith("/"):
            self.filename = new_path + self.name
        elif new_path in self.dataset.directories():
            self.filename = f"{new_path}/{self.name}"
        else:
            self.filename = new_path
        return self.update(system_metadata=True)

    def update_status(
        self,
        status: str,
        clear: bool = False,
        assignment_id: str | None = None,
        task_id: str | None = None,
    ) -> None:
        """Set (or with ``clear=True`` remove) the item's status in an assignment or a task, by dtlpy's
        routes; without either id, the item's only task or assignment is used, as dtlpy does."""
        accepted = [s.value for s in ItemStatus]
        value = status.value if isinstance(status, ItemStatus) else status
        if value not in accepted:
            raise ValueError(f"status must be one of {accepted} (dl.ItemStatus), got {status!r}")
        if not assignment_id and not task_id:
            refs = self.system.get("refs", [])
            if len(refs) <= 2:
                for ref in refs:
                    assignment_id = ref["id"] if ref.get("type") == "assignment" else assignment_id
                    task_id = ref["id"] if ref.get("type") == "task" else task_id
        if not assignment_id and not task_id:
            raise ValueError(f"item {self.name!r}: give assignment_id= or task_id= to set its status")
        operation = "delete" if clear else "create"
        if assignment_id:
            self.client.assignments.set_status(value, operation, item_id=self.id, assignment_id=assignment_id)
        else:
            assert task_id is not None
            self.client.tasks.set_status(value, operation, task_id=task_id, item_ids=[self.id])

    def status(self, assignment_id: str | None = None, task_id: str | None = None) -> str | None:
        """The item's status in an assignment or a task, as fetched (``metadata.system.refs``)."""
        if not assignment_id and not task_id:
            raise ValueError(f"item {self.name!r}: give assignment_id= or task_id= to read its status")
        wanted = assignment_id or task_id
        ref: dict[str, Any] = next((r for r in self.system.get("refs", []) if r.get("id") == wanted), {})
        status: str | None = ref.get("metadata", {}).get("status")
        return status

    @overload
    def download(
        self,
        local_path: str | os.PathLike[str] | None = None,
        *,
        save_locally: Literal[True] = True,
        overwrite: bool = False,
        to_items_folder: bool = True,
    ) -> str: ...

    @overload
    def download(
        self,
        local_path: str | os.PathLike[str] | None = None,
        *,
        save_locally: Literal[False],
        overwrite: bool = False,
        to_items_folder: bool = True,
    ) -> io.BytesIO: ...

    def download(
        self,
        local_path: str | os.PathLike[str] | None = None,
        *,
        save_locally: bool = True,
        overwrite: bool = False,
        to_items_folder: bool = True,
    ) -> str | io.BytesIO:
        """Save the item's bytes where dtlpy does: a file path with the item's extension as given, a folder
        (or any other path, made a folder) ``<folder>/<name>``, no path ``<DATALOOP_PATH>/items/items/
        <remote path>``. An existing file is kept unless ``overwrite``. With ``save_locally=False``, the
        bytes in a ``BytesIO`` named after the item."""
        from ..repositories.items import dataloop_path, download_target, item_buffer, local_file, stream_to

        if not save_locally:
            return item_buffer(self)
        base = dataloop_path() / "items" if local_path is None else download_target(self, Path(local_path))
        return stream_to(self, local_file(self, base, True, to_items_folder, None), overwrite)

    def read(self) -> bytes:
        """The item's bytes, in memory (for small items; use ``download`` for big ones)."""
        return self.client.items.read(self.id)

    def thumbnail(self) -> bytes:
        """A small JPEG of the item (160 px on its longest side), made once and cached by the workspace;
        ``NotFound`` when the item is not an image or cannot be decoded as one."""
        return self.client.items.thumbnail(self.id)


def metadata_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The merge patch that turns ``before`` into ``after``: changed keys, removed ones as ``None``."""
    diff: dict[str, Any] = {}
    for key in before.keys() - after.keys():
        diff[key] = None
    for key, value in after.items():
        old = before.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            sub = metadata_diff(old, value)
            if sub:
                diff[key] = sub
        elif key not in before or old != value:
            diff[key] = copy.deepcopy(value)
    return diff
