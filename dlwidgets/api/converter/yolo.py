"""YOLO (the Ultralytics layout): ``images/`` and ``labels/`` side by side, one ``labels/<stem>.txt`` per
image with a line per object (``class cx cy w h`` for a box, ``class x1 y1 x2 y2 ...`` for a polygon, all
normalised to 0-1), and ``data.yaml`` with the class names. Points and classifications have no place
in it and are skipped with a note."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PIL import Image

from ..entities.annotation import Box, Definition, Polygon
from .records import ImageRecord, Notes, holds, label_map, refuse

IMAGE_SUFFIXES = {".bmp", ".gif", ".jpeg", ".jpg", ".png", ".tif", ".tiff", ".webp"}


def _number(value: float) -> str:
    return f"{value:.10g}"


def _line(definition: Definition, record: ImageRecord, class_id: int) -> str:
    w, h = record.width, record.height
    if isinstance(definition, Box):
        cx, cy = (definition.left + definition.right) / 2 / w, (definition.top + definition.bottom) / 2 / h
        bw, bh = (definition.right - definition.left) / w, (definition.bottom - definition.top) / h
        return " ".join([str(class_id), *map(_number, (cx, cy, bw, bh))])
    assert isinstance(definition, Polygon)
    points = definition.geo.tolist()
    return " ".join([str(class_id), *(_number(c) for x, y in points for c in (x / w, y / h))])


def _data_yaml(folder: Path, ids: dict[str, int]) -> str:
    names = "".join(f"  {i}: {json.dumps(label)}\n" for label, i in ids.items())
    root = json.dumps(str(folder.resolve()))
    return f"path: {root}\ntrain: images\nval: images\nnc: {len(ids)}\nnames:\n{names}"


def write(
    folder: Path, labels: list[str], pages: Iterable[list[ImageRecord]], name: str, notes: Notes
) -> Path:
    """Write ``labels/`` and ``data.yaml`` (and ``label_map.json``) into ``folder``; returns ``folder``."""
    ids = label_map(labels)
    for page in pages:
        for record in page:
            lines = []
            for definition in record.annotations:
                if not holds(definition, (Box, Polygon), notes):
                    continue
                if definition.label not in ids:
                    notes.skip(f"labels outside the ontology ({definition.label!r})")
                else:
                    lines.append(_line(definition, record, ids[definition.label]) + "\n")
            target = folder / "labels" / f"{record.stem}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("".join(lines))
    (folder / "data.yaml").write_text(_data_yaml(folder, ids))
    (folder / "label_map.json").write_text(json.dumps(ids, indent=2))
    return folder


def _class_names(root: Path, labels_path: Path | None) -> list[str]:
    path = labels_path or next((p for p in (root / "data.yaml", root / "data.yml") if p.is_file()), None)
    if path is None or not path.is_file():
        raise refuse(
            root,
            "the class list",
            "a YOLO folder needs data.yaml with 'names' beside images/ and labels/, or a class list "
            "(data.yaml, or a .names/.txt file with one name a line) given as local_labels_path",
        )
    if path.suffix not in (".yaml", ".yml"):
        return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    import yaml

    try:
        names: Any = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("names")
    except (yaml.YAMLError, AttributeError) as e:
        raise refuse(path, "the file", f"is not a YAML mapping ({e})") from None
    if isinstance(names, dict) and sorted(names) == list(range(len(names))):
        names = [names[i] for i in range(len(names))]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise refuse(path, "'names'", f"{names!r} is not a list of class names or a {{0: name, ...}} mapping")
    return names


def _definitions(path: Path, text: str, names: list[str], record: ImageRecord) -> list[Definition]:
    found: list[Definition] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {number} {line.strip()!r}"
        try:
            class_id, *coords = line.split()
            values = [float(c) for c in coords]
            label = names[int(class_id)] if 0 <= int(class_id) < len(names) else None
        except ValueError:
            raise refuse(path, where, "is not 'class cx cy w h' or 'class x1 y1 x2 y2 ...'") from None
        if label is None:
            raise refuse(
                path, where, f"class {class_id} is not among the {len(names)} classes 0-{len(names) - 1}"
            )
        w, h = record.width, record.height
        try:
            if len(values) == 4:
                cx, cy, bw, bh = values
                found.append(Box(left=(cx - bw / 2) * w, top=(cy - bh / 2) * h,
                                 right=(cx + bw / 2) * w, bottom=(cy + bh / 2) * h, label=label))  # fmt: skip
            elif len(values) >= 6 and len(values) % 2 == 0:
                geo = [[values[i] * w, values[i + 1] * h] for i in range(0, len(values), 2)]
                found.append(Polygon(geo=geo, label=label))
            else:
                raise ValueError(f"has {len(values)} coordinates; a box has 4, a polygon an even number >= 6")
        except ValueError as e:
            raise refuse(path, where, str(e)) from None
    return found


def read(
    path: Path, items_folder: Path | None, labels_path: Path | None = None, only_bbox: bool = False
) -> tuple[list[str], list[ImageRecord]]:
    """The labels and image records of a YOLO folder: every image under ``images/`` (or
    ``items_folder``) with the objects of its label file, sizes read from the images."""
    root = path.parent if path.name == "labels" else path
    names = _class_names(root, labels_path)
    images = items_folder if items_folder is not None and items_folder.is_dir() else root / "images"
    if not images.is_dir():
        raise refuse(
            root, "images/", "YOLO coordinates are relative to the image size: the images are needed"
        )
    records = []
    for image in sorted(p for p in images.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES):
        filename = image.relative_to(images).as_posix()
        with Image.open(image) as opened:
            record = ImageRecord(filename, opened.width, opened.height, source=image)
        label_file = root / "labels" / f"{record.stem}.txt"
        if label_file.is_file():
            definitions = _definitions(label_file, label_file.read_text(encoding="utf-8"), names, record)
            record.annotations = [d for d in definitions if not only_bbox or isinstance(d, Box)]
        records.append(record)
    return names, records
