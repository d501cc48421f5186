"""YOLO and VOC export and import through ``dw.Converter``: the layouts each format documents, round
trips identical within 1e-6 of normalised coordinates, notes for what a format cannot hold, and bad
folders refused with what they need."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from contextlib import nullcontext
from pathlib import Path

import pytest
import yaml
from converter_data import annotated_dataset, refused_import

import dlwidgets as dw


def yolo_rows(folder: Path) -> dict[str, list[list[float]]]:
    return {
        p.relative_to(folder).as_posix(): [
            [float(v) for v in line.split()] for line in p.read_text().splitlines()
        ]
        for p in sorted((folder / "labels").rglob("*.txt"))
    }


def voc_boxes(folder: Path) -> dict[str, list[tuple[str, list[float]]]]:
    found = {}
    for path in sorted((folder / "Annotations").rglob("*.xml")):
        root = ET.parse(path).getroot()
        w, h = (float(root.findtext(f"size/{t}") or 0) for t in ("width", "height"))
        found[path.relative_to(folder).as_posix()] = [
            (o.findtext("name") or "", [float(o.findtext(f"bndbox/{t}") or 0) / s
                                        for t, s in (("xmin", w), ("ymin", h), ("xmax", w), ("ymax", h))])
            for o in root.iter("object")
        ]  # fmt: skip
    return found


def assert_close(first: dict, second: dict) -> None:
    assert first.keys() == second.keys()
    for key in first:
        assert len(first[key]) == len(second[key]), key
        for a, b in zip(first[key], second[key], strict=True):
            if isinstance(a, tuple):  # VOC: (label, coordinates)
                assert a[0] == b[0], key
                a, b = a[1], b[1]
            assert a == pytest.approx(b, abs=1e-6), key


def test_yolo_layout_is_the_documented_one(client: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(client, kinds=("box", "segment", "point", "class", "binary", "rotated"))
    with pytest.warns(UserWarning) as notes:
        dw.Converter().convert_dataset(
            dataset=dataset, to_format="yolo", local_path=tmp_path, with_images=True
        )
    said = sorted(str(n.message) for n in notes)
    assert said == [
        "YOLO has no place for 'binary' annotations: 1 skipped",
        "YOLO has no place for 'class' annotations: 1 skipped",
        "YOLO has no place for 'point' annotations: 1 skipped",
        "YOLO has no place for rotated 'box' annotations: 1 skipped",
    ]
    # data.yaml: the dataset root, train and val image folders relative to it, and names by class index.
    data = yaml.safe_load((tmp_path / "data.yaml").read_text())
    assert Path(data["path"]) == tmp_path.resolve() and data["train"] == data["val"] == "images"
    assert data["names"] == {0: "animal", 1: "animal.cat", 2: "animal.dog", 3: "car"} and data["nc"] == 4
    # Each image has a label file of the same relative path under labels/, one object a line.
    images = sorted(
        p.relative_to(tmp_path / "images").with_suffix("") for p in (tmp_path / "images").rglob("*.png")
    )
    labels = sorted(
        p.relative_to(tmp_path / "labels").with_suffix("") for p in (tmp_path / "labels").rglob("*.txt")
    )
    assert images == labels == [Path("a"), Path("empty"), Path("sub/b")]
    rows = yolo_rows(tmp_path)
    assert rows["labels/empty.txt"] == []
    assert rows["labels/sub/b.txt"] == [pytest.approx([2, 37 / 80, 26.5 / 60, 66 / 80, 47 / 60])]
    for row in (r for rs in rows.values() for r in rs):
        assert row[0] in data["names"] and all(0 <= v <= 1 for v in row[1:])
        assert len(row) == 5 or (len(row) % 2 == 1 and len(row) >= 7)  # a box, or a polygon


@pytest.mark.parametrize("fmt", ["yolo", "voc"])
def test_round_trip_within_1e_6(both: dw.Client, tmp_path: Path, fmt: str) -> None:
    dataset = annotated_dataset(both, kinds=("box", "segment"))
    rows = yolo_rows if fmt == "yolo" else voc_boxes
    first, second = tmp_path / "first", tmp_path / "second"
    with pytest.warns(UserWarning, match="VOC has no place for 'segment'") if fmt == "voc" else nullcontext():
        dw.Converter().convert_dataset(dataset=dataset, to_format=fmt, local_path=first, with_images=True)
    copy = both.projects.create(project_name="copy").datasets.create(dataset_name="copy")
    images = first / ("images" if fmt == "yolo" else "JPEGImages")
    dw.Converter().upload_local_dataset(
        from_format=fmt, dataset=copy, local_items_path=images, local_annotations_path=first
    )
    dw.Converter().convert_dataset(dataset=copy, to_format=fmt, local_path=second)
    assert rows(first) and any(rows(first).values())
    assert_close(rows(first), rows(second))
    assert sorted(copy.ontology().tags()) == sorted(dataset.ontology().tags())


def test_yolo_folder_without_class_list_is_refused(client: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(client, kinds=("box",))
    dw.Converter().convert_dataset(dataset=dataset, to_format="yolo", local_path=tmp_path, with_images=True)
    (tmp_path / "data.yaml").unlink()
    message = refused_import(client, "yolo", tmp_path / "images", tmp_path)
    assert f"{tmp_path}: the class list: a YOLO folder needs data.yaml with 'names'" in message


@pytest.mark.parametrize(
    ("line", "message"),
    [("7 0.5 0.5 0.1 0.1", "class 7 is not among the 4 classes 0-3"), ("1 0.5 0.5", "has 2 coordinates"),
     ("cat 0.5 0.5 0.1 0.1", "is not 'class cx cy w h'")],
)  # fmt: skip
def test_bad_yolo_line_names_file_and_line(
    client: dw.Client, tmp_path: Path, line: str, message: str
) -> None:
    dataset = annotated_dataset(client, kinds=("box",))
    dw.Converter().convert_dataset(dataset=dataset, to_format="yolo", local_path=tmp_path, with_images=True)
    bad = tmp_path / "labels" / "sub" / "b.txt"
    bad.write_text(bad.read_text() + line + "\n")
    said = refused_import(client, "yolo", tmp_path / "images", tmp_path)
    assert f"{bad}: line 2 {line!r}: " in said and message in said


def test_bad_voc_file_is_refused_whole(client: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(client, kinds=("box",))
    dw.Converter().convert_dataset(dataset=dataset, to_format="voc", local_path=tmp_path, with_images=True)
    bad = tmp_path / "Annotations" / "sub" / "b.xml"
    bad.write_text(bad.read_text().replace("<xmax>", "<xmax>wide"))
    said = refused_import(client, "voc", tmp_path / "JPEGImages", tmp_path)
    assert f"{bad}: object 0 ('animal.dog'): bndbox is not a box" in said


def test_convert_directory_coco_to_yolo(client: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(client, kinds=("box", "segment"))
    folder = tmp_path / "export"
    dw.Converter().convert_dataset(dataset=dataset, to_format="coco", local_path=folder, with_images=True)
    dw.Converter().convert_dataset(dataset=dataset, to_format="yolo", local_path=tmp_path / "direct")
    converted = dw.Converter().convert_directory(
        local_path=folder / "coco.json", to_format="yolo", from_format="coco"
    )
    assert Path(converted) == folder / "yolo"
    assert_close(yolo_rows(Path(converted)), yolo_rows(tmp_path / "direct"))


def test_dataloop_json_per_image(client: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(client)
    dw.Converter().convert_dataset(
        dataset=dataset, to_format=dw.AnnotationFormat.DATALOOP, local_path=tmp_path
    )
    written = {
        p.relative_to(tmp_path).as_posix(): json.loads(p.read_text()) for p in tmp_path.rglob("*.json")
    }
    assert sorted(written) == ["json/a.json", "json/empty.json", "json/sub/b.json"]
    assert written["json/sub/b.json"]["filename"] == "/sub/b.png"
    assert sorted(a["type"] for a in written["json/a.json"]["annotations"]) == [
        "box",
        "box",
        "class",
        "point",
        "segment",
    ]
