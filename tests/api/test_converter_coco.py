"""COCO export and import through ``dw.Converter``: pycocotools reads the export, evaluating it against
itself gives AP 1.0, export -> import -> export gives the same file, and bad files are refused whole."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import numpy as np
import pytest
from converter_data import MASK, annotated_dataset, refused_import
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

import dlwidgets as dw


def export(dataset: dw.Dataset, folder: Path, **kwargs: object) -> dict:
    path = dw.Converter().convert_dataset(
        dataset=dataset, to_format=dw.AnnotationFormat.COCO, local_path=folder, **kwargs
    )
    return json.loads(Path(path).read_text())


def test_export_loads_in_pycocotools_and_evaluates_to_ap_1(both: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(both, kinds=("box", "segment"))
    dw.Converter().convert_dataset(dataset=dataset, to_format="coco", local_path=tmp_path)
    with contextlib.redirect_stdout(io.StringIO()):
        truth = COCO(str(tmp_path / "coco.json"))
        detections = truth.loadRes([{**a, "score": 1.0} for a in truth.dataset["annotations"]])
        for iou_type in ("bbox",):
            evaluation = COCOeval(truth, detections, iou_type)
            evaluation.evaluate()
            evaluation.accumulate()
            evaluation.summarize()
            assert evaluation.stats[0] == pytest.approx(1.0)
    assert sorted(truth.getImgIds()) == [1, 2, 3]
    assert [c["name"] for c in truth.loadCats(truth.getCatIds())] == ["animal", "cat", "dog", "car"]


def test_export_layout_and_every_kind(client: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(client)
    coco = export(dataset, tmp_path, with_images=True)
    assert [(i["file_name"], i["width"], i["height"]) for i in coco["images"]] == [
        ("a.png", 64, 48), ("empty.png", 32, 32), ("sub/b.png", 80, 60)
    ]  # fmt: skip
    assert {c["id"]: (c.get("supercategory"), c["name"]) for c in coco["categories"]} == {
        1: (None, "animal"), 2: ("animal", "cat"), 3: ("animal", "dog"), 4: (None, "car")
    }  # fmt: skip
    by_kind = {("keypoints" in a, "bbox" in a, bool(a.get("segmentation"))): a for a in coco["annotations"]}
    assert by_kind[(False, True, False)]["bbox"] in (
        [2.25, 1.5, 28.5, 18.5],
        [5.0, 10.0, 55.0, 30.0],
        [4.0, 3.0, 66.0, 47.0],
    )
    assert by_kind[(False, True, True)]["segmentation"] == [[1.0, 1.0, 20.5, 2.0, 10.0, 30.25]]
    assert by_kind[(True, True, False)]["keypoints"] == [7.5, 8.25, 2]
    assert by_kind[(False, False, False)]["category_id"] == 2  # the image-level classification
    assert json.loads((tmp_path / "label_map.json").read_text()) == {
        "animal": 1,
        "animal.cat": 2,
        "animal.dog": 3,
        "car": 4,
    }
    assert (tmp_path / "images" / "sub" / "b.png").stat().st_size > 0


def test_round_trip_is_identical(both: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(both)
    first = export(dataset, tmp_path / "first", with_images=True)
    copy = both.projects.create(project_name="copy").datasets.create(dataset_name="copy")
    dw.Converter().upload_local_dataset(
        from_format=dw.AnnotationFormat.COCO,
        dataset=copy,
        local_items_path=tmp_path / "first" / "images",
        local_annotations_path=tmp_path / "first" / "coco.json",
    )
    second = export(copy, tmp_path / "second")
    assert second["annotations"] == first["annotations"]
    assert second["images"] == first["images"] and second["categories"] == first["categories"]
    assert sorted(copy.ontology().tags()) == ["animal", "animal.cat", "animal.dog", "car"]


def test_import_onto_existing_items(client: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(client)
    export(dataset, tmp_path)
    for item in dataset.items.list().all():
        item.annotations.delete()
    dw.Converter().upload_local_dataset(
        from_format="coco", dataset=dataset, local_annotations_path=tmp_path / "coco.json"
    )
    assert (
        export(dataset, tmp_path / "again")["annotations"]
        == json.loads((tmp_path / "coco.json").read_text())["annotations"]
    )


BAD_ENTRIES = [
    ("annotations", 1, {"category_id": 99}, "(id 2): category_id 99 is not among [1, 2, 3, 4]"),
    ("annotations", 0, {"image_id": 42}, "image_id 42 is not in 'images'"),
    ("annotations", 0, {"bbox": [1, 2, "x", 4]}, "(id 1) bbox: [1, 2, 'x', 4] is not a list of 4"),
    ("images", 0, {"width": None}, "images[0] (id 1): needs a positive integer 'width'"),
    ("images", 0, {"file_name": "../../etc/passwd"}, "must be a relative path inside the folder"),
    ("categories", 0, {"name": ""}, "categories[0]: needs a 'name'"),
    ("annotations", 0, {"segmentation": {"size": [48, 64], "counts": [5]}}, "counts add up to 5 pixels"),
    ("annotations", 0, {"segmentation": {"size": [4, 4], "counts": [16]}}, "its mask is (4, 4) pixels"),
    ("annotations", 0, {"segmentation": {"counts": [16]}}, "needs 'size' [height, width], got None"),
    ("images", 1, {"file_name": "a.png"}, "images[1] (id 2): id 2 or file_name 'a.png' is given twice"),
]  # fmt: skip


@pytest.mark.parametrize(("key", "index", "change", "message"), BAD_ENTRIES)
def test_bad_entry_names_file_and_entry_and_imports_nothing(
    client: dw.Client, tmp_path: Path, key: str, index: int, change: dict, message: str
) -> None:
    source = annotated_dataset(client)
    coco = export(source, tmp_path, with_images=True)
    coco[key][index].update(change)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(coco))
    said = refused_import(client, "coco", tmp_path / "images", bad)
    assert str(bad) in said and message in said


def test_unreadable_file_is_refused(client: dw.Client, tmp_path: Path) -> None:
    bad = tmp_path / "coco.json"
    bad.write_text('{"images": [')
    target = client.projects.create(project_name="t").datasets.create(dataset_name="t")
    with pytest.raises(dw.exceptions.ConversionError, match=r"coco\.json: the file: is not readable JSON"):
        dw.Converter().upload_local_dataset(from_format="coco", dataset=target, local_annotations_path=bad)


def test_unknown_format_is_refused(client: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(client)
    with pytest.raises(ValueError, match=r"format 'csv' is not supported here; use one of \['yolo', 'coco'"):
        dw.Converter().convert_dataset(dataset=dataset, to_format="csv", local_path=tmp_path)


def test_filters_choose_the_items_and_annotation_filter_the_annotations(
    client: dw.Client, tmp_path: Path
) -> None:
    dataset = annotated_dataset(client)
    items = dw.Filters(field="dir", values="/")
    cars = dw.Filters(field="label", values="car", resource=dw.FiltersResource.ANNOTATION)
    coco = export(dataset, tmp_path, filters=items, annotation_filter=cars)
    assert [i["file_name"] for i in coco["images"]] == ["a.png", "empty.png"]
    assert sorted(("keypoints" in a, a["category_id"]) for a in coco["annotations"]) == [
        (False, 4),
        (True, 4),
    ]


def test_import_onto_existing_items_among_those_filters_match(client: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(client)
    export(dataset, tmp_path)
    with pytest.raises(
        dw.exceptions.ConversionError, match=r"image 'a\.png': dataset 'pets' has no such item"
    ):
        dw.Converter().upload_local_dataset(
            from_format="coco",
            dataset=dataset,
            local_annotations_path=tmp_path / "coco.json",
            filters=dw.Filters(field="dir", values="/sub"),
        )


def test_file_without_annotations_imports_its_images(client: dw.Client, tmp_path: Path) -> None:
    coco = export(annotated_dataset(client), tmp_path, with_images=True)
    del coco["annotations"]
    (tmp_path / "test.json").write_text(json.dumps(coco))
    target = client.projects.create(project_name="t").datasets.create(dataset_name="t")
    dw.Converter().upload_local_dataset(
        from_format="coco",
        dataset=target,
        local_items_path=tmp_path / "images",
        local_annotations_path=tmp_path / "test.json",
    )
    assert sorted(i.filename for i in target.items.list().all()) == ["/a.png", "/empty.png", "/sub/b.png"]


def test_an_item_with_more_than_a_page_of_annotations_exports_them_all(
    both: dw.Client, tmp_path: Path
) -> None:
    dataset = annotated_dataset(both, kinds=("box",))
    item = dataset.items.get(filepath="/empty.png")
    boxes = [dw.Box(top=i % 30, left=0, bottom=31, right=1 + i % 30, label="car") for i in range(1005)]
    item.annotations.upload(boxes)
    coco = export(dataset, tmp_path)
    image_id = next(i["id"] for i in coco["images"] if i["file_name"] == "empty.png")
    assert sum(a["image_id"] == image_id for a in coco["annotations"]) == 1005


def test_masks_are_rle_that_pycocotools_decodes_and_segm_ap_is_1(both: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(both, kinds=("segment", "binary"))
    dataset.annotations.delete(
        filters=dw.Filters(resource=dw.FiltersResource.ANNOTATION, field="type", values="box")
    )
    coco = export(dataset, tmp_path)
    (mask,) = [a for a in coco["annotations"] if isinstance(a["segmentation"], dict)]
    assert mask["segmentation"]["size"] == [48, 64] and mask["iscrowd"] == 0
    assert mask["bbox"] == [0, 5, 50, 43] and mask["area"] == int(MASK.sum())
    with contextlib.redirect_stdout(io.StringIO()):
        truth = COCO(str(tmp_path / "coco.json"))
        np.testing.assert_array_equal(truth.annToMask(mask), MASK)
        detections = truth.loadRes([{**a, "score": 1.0} for a in truth.dataset["annotations"]])
        evaluation = COCOeval(truth, detections, "segm")
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    assert evaluation.stats[0] == pytest.approx(1.0)


def test_masks_round_trip_identical_and_rotated_boxes_are_skipped_with_a_note(
    both: dw.Client, tmp_path: Path
) -> None:
    dataset = annotated_dataset(both, kinds=("box", "segment", "binary", "rotated"))
    with pytest.warns(UserWarning, match="COCO has no place for rotated 'box' annotations: 1 skipped"):
        first = export(dataset, tmp_path / "first", with_images=True)
    copy = both.projects.create(project_name="copy").datasets.create(dataset_name="copy")
    dw.Converter().upload_local_dataset(
        from_format="coco", dataset=copy, local_items_path=tmp_path / "first" / "images",
        local_annotations_path=tmp_path / "first" / "coco.json",
    )  # fmt: skip
    (stored,) = [a for a in copy.annotations.list().all() if a.type == "binary"]
    np.testing.assert_array_equal(stored.annotation_definition.geo, MASK)
    assert export(copy, tmp_path / "second")["annotations"] == first["annotations"]


def test_compressed_rle_as_pycocotools_writes_it_is_read(client: dw.Client, tmp_path: Path) -> None:
    dataset = annotated_dataset(client, kinds=("box",))
    coco = export(dataset, tmp_path)
    encoded = mask_utils.encode(np.asfortranarray(MASK))
    coco["annotations"][0]["segmentation"] = {"size": encoded["size"], "counts": encoded["counts"].decode()}
    (tmp_path / "coco.json").write_text(json.dumps(coco))
    for item in dataset.items.list().all():
        item.annotations.delete()
    dw.Converter().upload_local_dataset(
        from_format="coco", dataset=dataset, local_annotations_path=tmp_path / "coco.json"
    )
    (stored,) = [a for a in dataset.annotations.list().all() if a.type == "binary"]
    np.testing.assert_array_equal(stored.annotation_definition.geo, MASK)
