"""Polygons, polylines, rotated boxes, masks, points and classifications through the store on both
transports, in dtlpy's layouts; bad constructor values are refused naming the value."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from labelled import labelled_image
from route_recorder import requests_made

import dlwidgets as dw
from dlwidgets.api.entities.masks import data_url_image, mask_runs

WIDTH, HEIGHT = 60, 40


def a_mask() -> np.ndarray:
    """Two separate blobs (one with a hole) on the 60 x 40 test image."""
    mask = np.zeros((HEIGHT, WIDTH), dtype=bool)
    mask[5:15, 10:30] = True
    mask[8:11, 15:20] = False
    mask[30:33, 50:52] = True
    return mask


SHAPES = {
    "segment": dw.Polygon(geo=[[1, 2], [30.5, 2], [30.5, 20.25]], label="cell", attributes={"kind": "a"}),
    "polyline": dw.Polyline(geo=np.array([[0, 0], [10, 5], [20, 0], [30, 5]]), label="cell"),
    "box": dw.Box(left=10, top=5, right=40, bottom=25, label="cell", angle=30),
    "binary": dw.Segmentation(geo=a_mask(), label="cell"),
    "point": dw.Point(x=3, y=4, label="cell"),
    "class": dw.Classification(label="cell", description="whole image"),
}


@pytest.mark.parametrize("kind", SHAPES)
def test_each_shape_is_stored_and_read_back_the_same(both: dw.Client, kind: str) -> None:
    _, item = labelled_image(both, "shapes", "cells", ["cell"], width=WIDTH, height=HEIGHT)
    shape = SHAPES[kind]
    (stored,) = item.annotations.upload([shape])
    (read,) = item.annotations.list()
    assert (read.id, read.type) == (stored.id, kind)
    assert read.coordinates == shape.coordinates()
    assert read.annotation_definition == shape


def test_the_wire_is_dtlpys() -> None:
    assert SHAPES["segment"].coordinates() == [
        [{"x": 1.0, "y": 2.0}, {"x": 30.5, "y": 2.0}, {"x": 30.5, "y": 20.25}]
    ]
    assert SHAPES["box"].coordinates() == [
        {"x": 10.0, "y": 5.0, "z": 0},
        {"x": 40.0, "y": 25.0, "z": 0},
        30.0,
    ]
    # An angle of 0 is not written, as dtlpy does not write it.
    assert dw.Box(left=1, top=1, right=2, bottom=2, label="a", angle=0).coordinates()[2:] == []
    url = dw.Segmentation(geo=a_mask(), label="cell").coordinates()  # SHAPES' one: uploaded, in grey
    assert url.startswith("data:image/png;base64,")
    read = dw.Annotation.from_json(
        {"type": "binary", "label": "cell", "coordinates": url}
    ).annotation_definition
    assert isinstance(read, dw.Segmentation)
    assert read.geo.dtype == float and np.array_equal(read.geo, a_mask()) and read.color == (255, 255, 255)


def test_a_box_read_from_two_points_in_any_order_is_normalised() -> None:
    wire = {"type": "box", "label": "a", "coordinates": [{"x": 9, "y": 8}, {"x": 1, "y": 2}, -15]}
    box = dw.Annotation.from_json(wire).annotation_definition
    assert isinstance(box, dw.Box)
    assert (box.left, box.top, box.right, box.bottom, box.angle) == (1, 2, 9, 8, -15)


def test_a_mask_keeps_its_colour_and_is_sent_back_as_it_came() -> None:
    url = dw.Segmentation(geo=a_mask(), label="cell", color=(200, 10, 30)).coordinates()
    read = dw.Annotation.from_json({"type": "binary", "label": "cell", "coordinates": url})
    assert read.annotation_definition.coordinates() == url
    segmentation = read.annotation_definition
    assert isinstance(segmentation, dw.Segmentation)
    assert segmentation.color == (200, 10, 30)
    assert segmentation.to_coordinates(color=(200, 10, 30)) == url
    assert segmentation.to_coordinates(color=(0, 0, 255)) != url


def test_a_mask_of_another_size_than_the_item_is_refused(both: dw.Client) -> None:
    _, item = labelled_image(both, "shapes", "cells", ["cell"], width=WIDTH, height=HEIGHT)
    wrong = dw.Segmentation(geo=np.zeros((WIDTH, HEIGHT), dtype=np.uint8), label="cell")
    with pytest.raises(ValueError, match=r"shape \(60, 40\).*60 x 40.*\(40, 60\)"):
        item.annotations.upload([wrong])
    assert item.annotations.list() == []


def test_mask_boxes_and_masks_from_polygons() -> None:
    mask = dw.Segmentation(geo=a_mask(), label="cell", attributes={"kind": "a"})
    assert [(b.left, b.top, b.right, b.bottom) for b in mask.to_box()] == [(10, 5, 29, 14), (50, 30, 51, 32)]
    assert {b.label for b in mask.to_box()} == {"cell"} and mask.to_box()[0].attributes == {"kind": "a"}
    assert (mask.left, mask.top, mask.right, mask.bottom) == (10, 5, 51, 32)
    assert dw.Box.from_segmentation(mask=a_mask(), label="cell", attributes={"kind": "a"}) == mask.to_box()
    square = dw.Segmentation.from_polygon(geo=[[2, 1], [5, 1], [5, 3], [2, 3]], label="cell", shape=(6, 8))
    expected = np.zeros((6, 8), dtype=np.uint8)
    expected[1:4, 2:6] = 1
    assert np.array_equal(square.geo, expected)


def test_the_outlines_of_a_mask_are_polygons_as_dtlpy_finds_them() -> None:
    mask = np.zeros((12, 14), dtype=np.uint8)
    mask[2:5, 3:8] = 9  # values above half the maximum are in
    mask[7:11, 1:4] = 9
    mask[8:10, 2] = 4  # below half: a hole, not traced
    mask[0, 10:13] = 9  # a line has no area
    mask[11, 13] = 9  # nor a single pixel
    largest = dw.Polygon.from_segmentation(mask=mask, label="cell")
    assert isinstance(largest, dw.Polygon)
    assert largest.geo.tolist() == [[3, 2], [3, 4], [7, 4], [7, 2]]
    every = dw.Polygon.from_segmentation(mask=mask, label="cell", max_instances=None)
    assert [p.geo.tolist() for p in every] == [
        [[3, 2], [3, 4], [7, 4], [7, 2]],
        [[1, 7], [1, 10], [3, 10], [3, 7]],
    ]
    assert dw.Polygon.from_segmentation(mask=mask, label="cell", max_instances=None, min_area=7) == largest
    assert dw.Polygon.from_segmentation(mask=np.zeros((3, 3)), label="cell") == []
    assert [(b.left, b.top, b.right, b.bottom) for b in dw.Box.from_segmentation(mask, "cell")] == [
        (3, 2, 7, 4),
        (1, 7, 3, 10),
    ]


def test_pixels_touching_at_a_corner_are_one_outline() -> None:
    mask = np.eye(5, dtype=bool)
    mask[1, 0] = True
    diagonal = dw.Polygon.from_segmentation(mask=mask, label="cell")
    assert isinstance(diagonal, dw.Polygon)
    assert diagonal.geo.tolist() == [[0, 0], [0, 1], [1, 1], [4, 4]]
    assert mask_runs(np.array([[0, 1, 1, 0, 1]])).tolist() == [[0, 1, 3], [0, 4, 5]]


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda: dw.Polygon(geo=[[0, 0], [1, math.nan], [2, 2]], label="a"), "point #1 has y=nan"),
        (lambda: dw.Polygon(geo=[[0, 0, 0], [1, 1, 1]], label="a"), r"shape \(2, 3\)"),
        (lambda: dw.Polyline(geo=[[0, 0]], label="a"), "at least 2 points, got 1"),
        (lambda: dw.Polyline(geo=[[0, "x"], [1, 1]], label="a"), "'x'"),
        (lambda: dw.Box(left=0, top=0, right=1, bottom=1, label="a", angle=math.inf), "angle=inf"),
        (lambda: dw.Box(left=0, top=None, right=1, bottom=1, label="a"), "top=None"),
        (lambda: dw.Segmentation(geo=np.zeros((2, 2, 3)), label="a"), r"shape \(2, 2, 3\)"),
        (lambda: dw.Segmentation(geo=np.array([["a"]]), label="a"), "dtype <U1"),
        (lambda: dw.Segmentation(geo=None, label="a").coordinates(), "no mask: give geo="),
        (lambda: dw.Segmentation(geo=np.array([[0.0, -1.0]]), label="a"), "holds -1.0"),
        (lambda: dw.Segmentation(geo=np.array([[0.0, math.nan]]), label="a"), "holds nan"),
        (lambda: dw.Segmentation.from_polygon(geo=[[0, 0], [1, 1]], label="a", shape=(0, 4)), r"\(0, 4\)"),
        (lambda: dw.Ellipse(x=1, y=1, rx=-1, ry=1, angle=0, label="a"), "rx=-1"),
    ],
)
def test_bad_values_are_refused_naming_them(make: Any, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        make()


@pytest.mark.parametrize(
    "coordinates", ["data:image/png;base64,AAAA", "data:image/jpeg;base64,/9j/", [[{"x": 1, "y": 1}]], None]
)
def test_the_store_refuses_a_mask_that_is_not_a_png(both: dw.Client, coordinates: Any) -> None:
    _, item = labelled_image(both, "shapes", "cells", ["cell"])
    answer = both.http.post(
        f"/items/{item.id}/annotations",
        json=[{"type": "binary", "label": "cell", "coordinates": coordinates}],
    )
    assert answer.status_code == 400, answer.text
    assert "a binary mask is a PNG" in answer.json()["message"]


@pytest.mark.parametrize(
    "mask",
    [a_mask(), a_mask().astype(np.uint8) * 7, np.linspace(0, 1, 12).reshape(3, 4), np.full((2, 2), 0.5)],
    ids=["bool", "0-or-7", "graded", "half"],
)
def test_a_mask_is_painted_as_dtlpy_paints_it(mask: np.ndarray) -> None:
    """dtlpy's PNG: each channel is colour x mask (scaled to 0..1 when above 1), cut to uint8; alpha
    likewise with 255."""
    scale = mask / mask.max() if mask.max() > 1 else mask.astype(float)
    expected = np.stack([c * scale for c in (10, 200, 30, 255)], axis=2).astype(np.uint8)
    url = dw.Segmentation(geo=mask, label="cell").to_coordinates(color=(10, 200, 30))
    assert np.array_equal(data_url_image(url), expected)


def test_a_new_mask_is_stored_in_its_labels_colour(both: dw.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """As dtlpy paints a mask on upload: the label's colour from the ontology (over ``color=`` too, a
    nested label by its path), ``color=`` or white for a label outside it; from one ontology read."""
    dataset, item = labelled_image(both, "colours", "cells", [], width=WIDTH, height=HEIGHT)
    dataset.add_label(label_name="cell", color=(10, 200, 30))
    dataset.add_label(label_name="cell.nucleus", color="#0000ff")
    builder = item.annotations.builder()
    builder.add(dw.Segmentation(geo=a_mask(), label="cell", color=(1, 2, 3)))
    shapes = [
        dw.Segmentation(geo=a_mask(), label="cell"),
        dw.Segmentation(geo=a_mask(), label="cell.nucleus"),
        dw.Segmentation(geo=a_mask(), label="stray", color=(1, 2, 3)),
        dw.Segmentation(geo=a_mask(), label="stray"),
    ]
    with requests_made(monkeypatch) as made, pytest.warns(UserWarning, match="'stray'"):
        item.annotations.upload(shapes)
        item.annotations.upload(builder)
    assert made.count(("GET", "/ontologies/{ontology_id}")) == 2  # one a call, as for the label check
    colours = []
    for annotation in item.annotations.list():
        rgba = data_url_image(annotation.coordinates)
        colours.append(
            {tuple(int(c) for c in p) for p in np.unique(rgba[rgba[:, :, 3] > 127][:, :3], axis=0)}
        )
    assert colours == [{(10, 200, 30)}, {(0, 0, 255)}, {(1, 2, 3)}, {(255, 255, 255)}, {(10, 200, 30)}]
