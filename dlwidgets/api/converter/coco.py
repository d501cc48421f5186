"""COCO: one ``coco.json`` with ``images``, ``annotations`` and ``categories``, images under ``images/``.

Boxes are ``bbox`` ``[x, y, w, h]``; polygons add ``segmentation`` ``[[x1, y1, x2, y2, ...]]``, masks
(the ``binary`` type) an RLE ``segmentation`` ``{"size": [h, w], "counts": [...]}``; a point is
a one-keypoint annotation (``keypoints [x, y, 2]``); a classification is an image-level annotation with
a category and no ``bbox``. Labels ``parent.child`` become category ``child`` of supercategory ``parent``.
The file is written as it streams: images first, annotations spooled to a side file and appended.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from ...exceptions import ConversionError
from ..entities.annotation import Box, Classification, Definition, Point, Polygon, Segmentation
from . import rle
from .records import ImageRecord, Notes, holds, label_map, refuse, safe_relative

KINDS = (Segmentation, Box, Polygon, Point, Classification)

FILE_NAME = "coco.json"


def _category(tag: str, category_id: int) -> dict[str, Any]:
    parent, _, name = tag.rpartition(".")
    category: dict[str, Any] = {"id": category_id, "name": name}
    if parent:
        category["supercategory"] = parent
    return category


def _area(points: list[tuple[float, float]]) -> float:
    return (
        abs(
            sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True))
        )
        / 2
    )


def _bbox(points: list[tuple[float, float]]) -> list[float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]


def _annotation(definition: Definition, notes: Notes) -> dict[str, Any] | None:
    if not holds(definition, KINDS, notes):
        return None
    if isinstance(definition, Segmentation):
        mask = definition.geo
        left, top, right, bottom = definition.left, definition.top, definition.right, definition.bottom
        bbox = [left, top, right - left + 1, bottom - top + 1] if mask.any() else [0, 0, 0, 0]
        return {"bbox": bbox, "area": int((mask > 0).sum()), "segmentation": rle.encode(mask)}
    if isinstance(definition, Box):
        w, h = definition.right - definition.left, definition.bottom - definition.top
        return {"bbox": [definition.left, definition.top, w, h], "area": w * h, "segmentation": []}
    if isinstance(definition, Polygon):
        points = definition.geo.tolist()
        flat = [c for p in points for c in p]
        return {"bbox": _bbox(points), "area": _area(points), "segmentation": [flat]}
    if isinstance(definition, Point):
        x, y = definition.x, definition.y
        return {"bbox": [x, y, 0.0, 0.0], "area": 0.0, "keypoints": [x, y, 2], "num_keypoints": 1}
    return {"area": 0.0}  # a classification


def _append(out: IO[str], entries: list[dict[str, Any]], is_first: bool) -> None:
    """Write ``entries`` as the next elements of a JSON list (after a comma unless they are the first)."""
    if entries:
        out.write(("" if is_first else ", ") + json.dumps(entries)[1:-1])


def write(
    folder: Path, labels: list[str], pages: Iterable[list[ImageRecord]], name: str, notes: Notes
) -> Path:
    """Write ``coco.json`` (and ``label_map.json``) into ``folder``; returns the JSON's path."""
    ids = label_map(labels, start=1)
    categories = [_category(tag, i) for tag, i in ids.items()]
    target = folder / FILE_NAME
    image_id = annotation_id = 0
    with open(target, "w", encoding="utf-8") as out, tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        out.write(json.dumps({"info": {"description": name}, "categories": categories})[:-1])
        out.write(', "images": [')
        for page in pages:
            # A page's entries are encoded in one call each for images and annotations: far fewer calls.
            images, entries = [], []
            for record in page:
                image_id += 1
                size = {"width": record.width, "height": record.height}
                images.append({"id": image_id, "file_name": record.filename, **size})
                for definition in record.annotations:
                    entry = _annotation(definition, notes)
                    if entry is None:
                        continue
                    if definition.label not in ids:
                        notes.skip(f"labels outside the ontology ({definition.label!r})")
                        continue
                    annotation_id += 1
                    entries.append({"id": annotation_id, "image_id": image_id,
                                    "category_id": ids[definition.label], "iscrowd": 0, **entry})  # fmt: skip
            _append(out, images, image_id == len(images))
            _append(spool, entries, annotation_id == len(entries))
        out.write('], "annotations": [')
        spool.seek(0)
        shutil.copyfileobj(spool, out)
        out.write("]}")
    (folder / "label_map.json").write_text(json.dumps(ids, indent=2))
    return target


def _number_list(path: Path, where: str, value: Any, size: int | None = None) -> list[float]:
    if (
        not isinstance(value, list)
        or (size is not None and len(value) != size)
        or not all(type(v) is float or type(v) is int for v in value)  # not bool, a subclass of int
    ):
        expected = f"a list of {size} numbers" if size else "a list of numbers"
        raise refuse(path, where, f"{value!r} is not {expected}")
    return [float(v) for v in value]


def _definition(
    path: Path, where: str, entry: dict[str, Any], label: str, only_bbox: bool, size: tuple[int, int]
) -> Definition:
    segmentation = entry.get("segmentation")
    if not only_bbox and isinstance(segmentation, dict):
        try:
            mask = rle.decode(segmentation)
        except ValueError as e:
            raise refuse(path, where + " segmentation", str(e)) from None
        if mask.shape != size:
            raise refuse(path, where, f"its mask is {mask.shape[::-1]} pixels (w, h), its image {size[::-1]}")
        return Segmentation(geo=mask, label=label)
    if not only_bbox and isinstance(segmentation, list) and segmentation:
        ring = _number_list(path, where + " segmentation", segmentation[0])
        if len(segmentation) > 1 or len(ring) < 6 or len(ring) % 2:
            raise refuse(path, where, "a segmentation must be one polygon [[x1, y1, x2, y2, x3, y3, ...]]")
        return Polygon(geo=[ring[i : i + 2] for i in range(0, len(ring), 2)], label=label)
    if not only_bbox and "keypoints" in entry:
        keypoints = _number_list(path, where + " keypoints", entry["keypoints"])
        if len(keypoints) != 3:
            raise refuse(path, where, "only single-keypoint annotations [x, y, v] are supported")
        return Point(x=keypoints[0], y=keypoints[1], label=label)
    if "bbox" not in entry:
        return Classification(label=label)
    x, y, w, h = _number_list(path, where + " bbox", entry["bbox"], 4)
    if w < 0 or h < 0:
        raise refuse(path, where, f"bbox {entry['bbox']!r} has a negative width or height")
    return Box(left=x, top=y, right=x + w, bottom=y + h, label=label)


def _entries(path: Path, document: Any, key: str) -> list[dict[str, Any]]:
    # A test split's file has no 'annotations': its images are imported without any.
    entries = document.get(key, [] if key == "annotations" else None) if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise refuse(path, f"'{key}'", "a COCO file needs a list of them")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or "id" not in entry:
            raise refuse(path, f"{key}[{i}]", f"{entry!r} is not an object with an 'id'")
    return entries


def read(
    path: Path, items_folder: Path | None, labels_path: Path | None = None, only_bbox: bool = False
) -> tuple[list[str], list[ImageRecord]]:
    """The labels and image records of a COCO file, every entry checked (a ``ConversionError`` names
    the file and the first bad entry)."""
    if path.is_dir():
        path = path / FILE_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise refuse(path, "the file", f"is not readable JSON ({e})") from None
    tags: dict[Any, str] = {}
    for i, category in enumerate(_entries(path, document, "categories")):
        if not isinstance(category.get("name"), str) or not category["name"]:
            raise refuse(path, f"categories[{i}]", "needs a 'name'")
        parent = category.get("supercategory")
        tags[category["id"]] = f"{parent}.{category['name']}" if parent else category["name"]
    records: dict[Any, ImageRecord] = {}
    names: set[str] = set()
    for i, image in enumerate(_entries(path, document, "images")):
        where = f"images[{i}] (id {image['id']!r})"
        width, height = image.get("width"), image.get("height")
        if not isinstance(width, int) or not isinstance(height, int) or width <= 0 or height <= 0:
            raise refuse(path, where, "needs a positive integer 'width' and 'height'")
        filename = safe_relative(path, str(image.get("file_name", "")))
        if image["id"] in records or filename in names:
            raise refuse(path, where, f"id {image['id']!r} or file_name {filename!r} is given twice")
        names.add(filename)
        source = items_folder / filename if items_folder is not None else None
        records[image["id"]] = ImageRecord(filename, width, height, source=source)
    for i, entry in enumerate(_entries(path, document, "annotations")):
        where = f"annotations[{i}] (id {entry['id']!r})"
        if entry.get("category_id") not in tags:
            raise refuse(path, where, f"category_id {entry.get('category_id')!r} is not among {sorted(tags)}")
        if entry.get("image_id") not in records:
            raise refuse(path, where, f"image_id {entry.get('image_id')!r} is not in 'images'")
        try:
            record = records[entry["image_id"]]
            size = (record.height, record.width)
            definition = _definition(path, where, entry, tags[entry["category_id"]], only_bbox, size)
        except ConversionError:
            raise
        except ValueError as e:
            raise refuse(path, where, str(e)) from None
        records[entry["image_id"]].annotations.append(definition)
    return sorted(set(tags.values())), list(records.values())
