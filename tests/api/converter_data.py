"""``annotated_dataset(client, ...)``: a dataset of small images with boxes, polygons, points and
classifications, for the converter tests."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import dlwidgets as dw
from dlwidgets.api.entities.annotation import Definition

LABELS = ["animal", "animal.cat", "animal.dog", "car"]
MASK = np.zeros((48, 64), dtype=np.uint8)  # the size of a.png
MASK[5:20, 30:50] = 1
MASK[10:12, 35:40] = 0
MASK[40:48, 0:3] = 1


def png(width: int, height: int) -> bytes:
    data = io.BytesIO()
    Image.fromarray(np.zeros((height, width, 3), dtype=np.uint8)).save(data, format="PNG")
    return data.getvalue()


def annotated_dataset(
    client: dw.Client, name: str = "pets", kinds: tuple[str, ...] = ("box", "segment", "point", "class")
) -> dw.Dataset:
    """Three images (one in a folder, one without annotations) over ``LABELS``."""
    dataset = client.projects.create(project_name=name).datasets.create(dataset_name=name)
    dataset.ontology().add_labels(list(LABELS))
    first = dataset.items.upload(local_path=png(64, 48), remote_path="/", remote_name="a.png")
    second = dataset.items.upload(local_path=png(80, 60), remote_path="/sub", remote_name="b.png")
    dataset.items.upload(local_path=png(32, 32), remote_path="/", remote_name="empty.png")
    assert isinstance(first, dw.Item) and isinstance(second, dw.Item)
    shapes: dict[str, list[Definition]] = {
        "box": [
            dw.Box(top=1.5, left=2.25, bottom=20.0, right=30.75, label="animal.cat"),
            dw.Box(top=10, left=5, bottom=40, right=60, label="car"),
        ],
        "segment": [dw.Polygon(geo=[[1, 1], [20.5, 2], [10, 30.25]], label="animal.dog")],
        "point": [dw.Point(x=7.5, y=8.25, label="car")],
        "class": [dw.Classification(label="animal.cat")],
        "binary": [dw.Segmentation(geo=MASK, label="car")],
        "rotated": [dw.Box(top=2, left=2, bottom=12, right=22, angle=30, label="car")],
    }
    first.annotations.upload([d for kind in kinds for d in shapes[kind]])
    second.annotations.upload([dw.Box(top=3, left=4, bottom=50, right=70, label="animal.dog")])
    return dataset


def refused_import(client: dw.Client, fmt: str, images: Path, annotations: Path) -> str:
    """Import into a new dataset, expecting a ``ConversionError``: its message, once it is checked that
    nothing (no item, no label) was imported."""
    target = client.projects.create(project_name="target").datasets.create(dataset_name="target")
    with pytest.raises(dw.exceptions.ConversionError) as error:
        dw.Converter().upload_local_dataset(
            from_format=fmt, dataset=target, local_items_path=images, local_annotations_path=annotations
        )
    assert target.items.list().items_count == 0 and target.ontology().tags() == []
    return str(error.value)
