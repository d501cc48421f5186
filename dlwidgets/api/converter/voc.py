"""Pascal VOC: one ``Annotations/<stem>.xml`` per image with its ``size`` and an ``object`` per box
(``name``, ``bndbox`` ``xmin ymin xmax ymax`` in pixels), images under ``JPEGImages/``, and the label list
in ``labels.txt``. VOC holds boxes only: other annotations are skipped with a note."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from ..entities.annotation import Box
from .records import ImageRecord, Notes, holds, label_map, refuse, safe_relative


def _number(value: float) -> str:
    return f"{value:.10g}"


def _document(record: ImageRecord, boxes: list[Box]) -> ET.Element:
    root = ET.Element("annotation")
    ET.SubElement(root, "folder").text = "JPEGImages"
    ET.SubElement(root, "filename").text = Path(record.filename).name
    size = ET.SubElement(root, "size")
    for tag, count in (("width", record.width), ("height", record.height), ("depth", 3)):
        ET.SubElement(size, tag).text = str(count)
    ET.SubElement(root, "segmented").text = "0"
    for box in boxes:
        obj = ET.SubElement(root, "object")
        ET.SubElement(obj, "name").text = box.label
        for tag, text in (("pose", "Unspecified"), ("truncated", "0"), ("difficult", "0")):
            ET.SubElement(obj, tag).text = text
        bndbox = ET.SubElement(obj, "bndbox")
        for tag, value in (("xmin", box.left), ("ymin", box.top), ("xmax", box.right), ("ymax", box.bottom)):
            ET.SubElement(bndbox, tag).text = _number(value)
    ET.indent(root)
    return root


def write(
    folder: Path, labels: list[str], pages: Iterable[list[ImageRecord]], name: str, notes: Notes
) -> Path:
    """Write ``Annotations/`` and ``labels.txt`` (and ``label_map.json``) into ``folder``; returns it."""
    for page in pages:
        for record in page:
            boxes = [d for d in record.annotations if holds(d, (Box,), notes) and isinstance(d, Box)]
            target = folder / "Annotations" / f"{record.stem}.xml"
            target.parent.mkdir(parents=True, exist_ok=True)
            ET.ElementTree(_document(record, boxes)).write(target, encoding="unicode")
    (folder / "labels.txt").write_text("".join(f"{label}\n" for label in sorted(labels)))
    (folder / "label_map.json").write_text(json.dumps(label_map(labels), indent=2))
    return folder


def _text(path: Path, element: ET.Element, tag: str, where: str) -> str:
    found = element.find(tag)
    if found is None or not (found.text or "").strip():
        raise refuse(path, where, f"has no <{tag}>")
    return (found.text or "").strip()


def _record(path: Path, relative: Path, images: Path | None) -> ImageRecord:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise refuse(path, "the file", f"is not readable XML ({e})") from None
    size = root.find("size")
    try:
        width, height = (int(_text(path, size, t, "<size>")) for t in ("width", "height"))  # type: ignore[arg-type]
    except (ValueError, TypeError):
        raise refuse(path, "<size>", "needs integer <width> and <height>") from None
    parent = relative.parent.as_posix()
    filename = _text(path, root, "filename", "<annotation>")
    filename = safe_relative(path, filename if parent == "." else f"{parent}/{filename}")
    record = ImageRecord(filename, width, height, source=images / filename if images is not None else None)
    for index, obj in enumerate(root.iter("object")):
        where = f"object {index}"
        label = _text(path, obj, "name", where)
        bndbox = obj.find("bndbox")
        if bndbox is None:
            raise refuse(path, where, "has no <bndbox>")
        try:
            left, top, right, bottom = (
                float(_text(path, bndbox, t, where)) for t in ("xmin", "ymin", "xmax", "ymax")
            )
            record.annotations.append(Box(left=left, top=top, right=right, bottom=bottom, label=label))
        except ValueError as e:
            raise refuse(path, f"{where} ({label!r})", f"bndbox is not a box: {e}") from None
    return record


def read(
    path: Path, items_folder: Path | None, labels_path: Path | None = None, only_bbox: bool = False
) -> tuple[list[str], list[ImageRecord]]:
    """The labels (``labels.txt`` or ``labels_path`` if there is one, else the names used) and image
    records of a VOC folder (the one holding ``Annotations/``, or ``Annotations/`` itself)."""
    root = path.parent if path.name == "Annotations" else path
    annotations = root / "Annotations"
    if not annotations.is_dir():
        raise refuse(root, "Annotations/", "a VOC folder keeps one XML per image in Annotations/")
    images = items_folder if items_folder is not None else root / "JPEGImages"
    records = [_record(p, p.relative_to(annotations), images) for p in sorted(annotations.rglob("*.xml"))]
    labels_file = labels_path or root / "labels.txt"
    labels = (
        {line.strip() for line in labels_file.read_text().splitlines()} if labels_file.is_file() else set()
    )
    labels |= {d.label for r in records for d in r.annotations}
    return sorted(label for label in labels if label), records
