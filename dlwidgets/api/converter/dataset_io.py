"""The bridge between a dataset and ``ImageRecord`` s: pages of records out of a dataset (one query for
the items of a page and one for their annotations), and records into a dataset, checked before any write."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..entities.annotation import DEFINITIONS, Definition
from ..filters import Filters, FiltersResource
from ..repositories.annotations import upload_to_items
from .records import ImageRecord, Notes, refuse

if TYPE_CHECKING:
    from ..entities.dataset import Dataset
    from ..entities.item import Item

PAGE_SIZE = 1000


def dataset_labels(dataset: Dataset) -> list[str]:
    """Every label tag of the dataset's ontology, sorted."""
    return sorted(set(dataset.ontology().tags()))


def _annotation_filters(annotation_filter: Filters | None, item_ids: list[str]) -> Filters:
    filters = copy.deepcopy(annotation_filter) if annotation_filter is not None else None
    if filters is None or filters.resource != FiltersResource.ANNOTATION:
        filters = Filters(resource=FiltersResource.ANNOTATION, page_size=PAGE_SIZE)
    filters.add(field="itemId", values=item_ids, operator="in")
    return filters


def _chunks(items: list[dict[str, Any]]) -> Iterator[list[str]]:
    """The ids of ``items`` in runs whose annotations (as the items count them) fill about one page:
    a query per run then needs no second page, and finds its rows by item in the store's index."""
    chunk: list[str] = []
    count = 0
    for item in items:
        annotations = item.get("annotationsCount") or 0
        if chunk and count + annotations > PAGE_SIZE:
            yield chunk
            chunk, count = [], 0
        chunk.append(item["id"])
        count += annotations
    if chunk:
        yield chunk


def _size(item: dict[str, Any]) -> tuple[int, int] | None:
    """An item's (width, height) from its platform JSON; None when it has none (not an image)."""
    system = (item.get("metadata") or {}).get("system") or {}
    width, height = system.get("width"), system.get("height")
    return (int(width), int(height)) if width and height else None


def _definition(annotation: dict[str, Any], notes: Notes) -> Definition | None:
    """The geometry of one annotation's platform JSON; None (and a note) for a type without one."""
    cls = DEFINITIONS.get(annotation["type"])
    if cls is None:
        notes.skip(repr(annotation["type"]))
        return None
    attributes = ((annotation.get("metadata") or {}).get("system") or {}).get("attributes") or {}
    return cls.from_coordinates(annotation.get("coordinates"), annotation.get("label") or "", attributes)  # type: ignore[attr-defined]


def dataset_pages(
    dataset: Dataset, filters: Filters | None, annotation_filter: Filters | None, notes: Notes
) -> Iterator[list[ImageRecord]]:
    """The images ``filters`` match, a page at a time in filename order, each with its annotations
    (those ``annotation_filter`` matches) in the order they were stored, which an import keeps: a round
    trip writes the same file. Items without a known size (not images) are skipped with a note."""
    filters = copy.deepcopy(filters) if filters is not None else Filters(page_size=PAGE_SIZE)
    if not filters.sort:
        filters.sort_by("filename")
    # Items as their JSON, not entities: the export needs their ids, names, sizes and counts only.
    for page in dataset.items.pages_json(filters):
        sizes = {item["id"]: _size(item) for item in page}
        images = [item for item in page if sizes[item["id"]] is not None]
        for _ in range(len(page) - len(images)):
            notes.skip("items without a width and height (not images):")
        by_item: dict[str, list[Definition]] = {item["id"]: [] for item in images}
        for chunk in _chunks([item for item in images if item.get("annotationsCount") != 0]):
            query = _annotation_filters(annotation_filter, chunk)
            for annotation_page in dataset.annotations.pages_json(query):
                for annotation in annotation_page:
                    definition = _definition(annotation, notes)
                    if definition is not None:
                        by_item[annotation["itemId"]].append(definition)
        records = []
        for item in images:
            width, height = sizes[item["id"]] or (0, 0)
            filename = item["filename"].lstrip("/")
            records.append(ImageRecord(filename, width, height, by_item[item["id"]], remote=item))
        yield records


def _remote_items(dataset: Dataset, wanted: set[str], filters: Filters | None) -> dict[str, Item]:
    found: dict[str, Item] = {}
    for page in dataset.items.list(filters=filters or Filters(page_size=PAGE_SIZE)):
        for item in page:
            name = item.filename.lstrip("/")
            if name in wanted:
                found[name] = item
            elif item.name in wanted:
                found.setdefault(item.name, item)
    return found


def import_records(
    dataset: Dataset,
    labels: list[str],
    records: list[ImageRecord],
    origin: Path,
    remote_items: bool,
    filters: Filters | None = None,
) -> list[Item]:
    """Add ``labels`` to the dataset's ontology, then each image (uploaded from its ``source``, or the
    dataset's item of that filename, among those ``filters`` match, when ``remote_items``) with its
    annotations. Every image is found
    before anything is written. Returns the items."""
    remote: dict[str, Item] = {}
    if remote_items:
        remote = _remote_items(dataset, {r.filename for r in records}, filters)
    for record in records:
        if remote_items and record.filename not in remote:
            raise refuse(origin, f"image {record.filename!r}", f"dataset {dataset.name!r} has no such item")
        if not remote_items and (record.source is None or not record.source.is_file()):
            raise refuse(origin, f"image {record.filename!r}", f"no image file at {str(record.source)!r}")
    ontology = dataset.ontology()
    # Parents first: a nested label 'a.b' needs 'a' in the ontology, and sorting puts 'a' before 'a.b'.
    wanted = {".".join(tag.split(".")[: i + 1]) for tag in labels for i in range(tag.count(".") + 1)}
    missing = sorted(wanted - set(ontology.tags()))
    if missing:
        ontology.add_labels(list[Any](missing))
    items = []
    with dataset.client.atomic():
        for record in records:
            if remote_items:
                item = remote[record.filename]
            else:
                parent = Path(record.filename).parent.as_posix()
                folder = "/" if parent == "." else "/" + parent
                uploaded = dataset.items.upload(local_path=record.source, remote_path=folder)
                assert not isinstance(uploaded, list)
                item = uploaded
            items.append(item)
        upload_to_items(dataset, zip(items, (r.annotations for r in records), strict=True), answers=False)
    return items
