"""``Converter``: a dataset out to COCO, YOLO, VOC or Dataloop JSON files, and such files back into a
dataset, with the names and arguments of dtlpy's ``dl.Converter``."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..entities.annotation import definition_json
from ..entities.item import Item
from . import coco, voc, yolo
from .dataset_io import dataset_labels, dataset_pages, import_records
from .records import ImageRecord, Notes

if TYPE_CHECKING:
    from ..client import Client
    from ..entities.dataset import Dataset
    from ..filters import Filters


class AnnotationFormat(str, Enum):
    """The formats ``Converter`` reads and writes."""

    YOLO = "yolo"
    COCO = "coco"
    VOC = "voc"
    DATALOOP = "dataloop"


def _format(value: AnnotationFormat | str, readable: bool = False) -> AnnotationFormat:
    accepted = [f for f in AnnotationFormat if not readable or f.value in _READERS]
    try:
        chosen = AnnotationFormat(str(getattr(value, "value", value)).lower())
    except ValueError:
        chosen = None
    if chosen not in accepted:
        raise ValueError(f"format {value!r} is not supported here; use one of {[f.value for f in accepted]}")
    assert chosen is not None
    return chosen


def _no_conversion_func(conversion_func: Any) -> None:
    if conversion_func is not None:
        raise ValueError("conversion_func is not supported; convert the written files instead")


def _write_dataloop(
    folder: Path, labels: list[str], pages: Iterable[list[ImageRecord]], name: str, notes: Notes
) -> Path:
    """One JSON per image under ``json/``, as the SDK's ``download_annotations`` lays them out."""
    root = folder / "json"
    for page in pages:
        for record in page:
            target = root / f"{record.stem}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            body = {
                "filename": "/" + record.filename,
                "metadata": {"system": {"width": record.width, "height": record.height}},
                "annotations": [definition_json(d) for d in record.annotations],
            }
            target.write_text(json.dumps(body))
    return root


def _with_images(
    pages: Iterable[list[ImageRecord]], folder: Path, client: Client
) -> Iterator[list[ImageRecord]]:
    """The same pages, each image's bytes downloaded under ``folder`` on the way."""
    for page in pages:
        for record in page:
            if record.remote is not None:
                item = Item.from_json(record.remote, client)
                target = folder / record.filename
                target.parent.mkdir(parents=True, exist_ok=True)
                item.download(local_path=target, overwrite=True)  # today's bytes, over an older export
        yield page


def _counted(
    pages: Iterable[list[ImageRecord]], progress: Callable[[int], None]
) -> Iterator[list[ImageRecord]]:
    """The same pages; ``progress`` hears how many items have been handed on, after each page."""
    done = 0
    for page in pages:
        yield page
        done += len(page)
        progress(done)


_WRITERS: dict[str, Any] = {
    "coco": coco.write, "yolo": yolo.write, "voc": voc.write, "dataloop": _write_dataloop
}  # fmt: skip
_READERS: dict[str, ModuleType] = {"coco": coco, "yolo": yolo, "voc": voc}
# Where each format keeps its images, relative to the export folder.
_IMAGES = {"coco": "images", "yolo": "images", "voc": "JPEGImages", "dataloop": "items"}


class Converter:
    """Export a dataset to a format's files, or import such files into a dataset."""

    def __init__(self, concurrency: int = 6, return_error_filepath: bool = False) -> None:
        # Both kept for the SDK's signature: the work goes a page at a time, and errors raise.
        self.concurrency = concurrency
        self.return_error_filepath = return_error_filepath

    def convert_dataset(
        self,
        dataset: Dataset,
        to_format: AnnotationFormat | str,
        local_path: str | os.PathLike[str],
        conversion_func: Any = None,
        filters: Filters | None = None,
        annotation_filter: Filters | None = None,
        with_images: bool = False,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> str:
        """Write the annotations of the items ``filters`` match (those ``annotation_filter`` matches) in
        ``to_format``'s layout under ``local_path``, with a label map, and the images too if
        ``with_images``. It streams a page of items at a time, and calls ``progress(items_done)`` after
        each page (a dlwidgets addition, for progress bars). Returns the path of the annotation file
        (COCO) or folder. Annotations the format cannot hold are skipped with a ``UserWarning``."""
        _no_conversion_func(conversion_func)
        chosen = _format(to_format)
        folder = Path(local_path)
        if folder.is_file():
            raise ValueError(f"local_path must be a folder, not a file: {str(folder)!r}")
        folder.mkdir(parents=True, exist_ok=True)
        notes = Notes(chosen.value.upper())
        pages: Iterable[list[ImageRecord]] = dataset_pages(dataset, filters, annotation_filter, notes)
        if with_images:
            pages = _with_images(pages, folder / _IMAGES[chosen.value], dataset.client)
        if progress is not None:
            pages = _counted(pages, progress)
        written = _WRITERS[chosen.value](folder, dataset_labels(dataset), pages, dataset.name, notes)
        notes.emit()
        return str(written)

    def upload_local_dataset(
        self,
        from_format: AnnotationFormat | str,
        dataset: Dataset,
        local_items_path: str | os.PathLike[str] | None = None,
        local_labels_path: str | os.PathLike[str] | None = None,
        local_annotations_path: str | os.PathLike[str] | None = None,
        only_bbox: bool = False,
        filters: Filters | None = None,
        remote_items: bool | None = None,
    ) -> list[Item]:
        """Read a COCO, YOLO or VOC export (``local_annotations_path``: the COCO file, the YOLO or VOC
        folder) and add its labels, images (from ``local_items_path``, or the dataset's own items of the
        same names, among those ``filters`` match, when ``remote_items``) and annotations to ``dataset``.
        The whole input is checked first: a bad entry raises ``ConversionError`` naming the file and
        entry, and nothing is written."""
        chosen = _format(from_format, readable=True)
        if local_annotations_path is None:
            raise ValueError("upload_local_dataset needs local_annotations_path=, the file or folder to read")
        if remote_items is None:
            remote_items = local_items_path is None
        annotations = Path(local_annotations_path)
        items_folder = Path(local_items_path) if local_items_path is not None else None
        labels_path = Path(local_labels_path) if local_labels_path is not None else None
        labels, records = _READERS[chosen.value].read(annotations, items_folder, labels_path, only_bbox)
        return import_records(dataset, labels, records, annotations, remote_items, filters)

    def convert_directory(
        self,
        local_path: str | os.PathLike[str],
        to_format: AnnotationFormat | str,
        from_format: AnnotationFormat | str,
        dataset: Dataset | None = None,
        conversion_func: Any = None,
    ) -> str:
        """Convert the ``from_format`` export at ``local_path`` (file or folder) to ``to_format``, written
        beside it in a folder named after the format, as the SDK does; returns that folder."""
        _no_conversion_func(conversion_func)
        source, target = _format(from_format, readable=True), _format(to_format)
        path = Path(local_path)
        labels, records = _READERS[source.value].read(path, _images_beside(path, source), None, False)
        folder = path.parent / target.value
        folder.mkdir(parents=True, exist_ok=True)
        notes = Notes(target.value.upper())
        name = dataset.name if dataset is not None else path.stem
        _WRITERS[target.value](folder, labels, [records], name, notes)
        notes.emit()
        return str(folder)


def _images_beside(path: Path, chosen: AnnotationFormat) -> Path:
    root = path if path.is_dir() else path.parent
    return root / _IMAGES[chosen.value]
