"""Ellipses as the SDK sends them (``{center, rx, ry, angle}``) on both transports; a malformed one is
refused naming the value, and ``dw.Ellipse`` refuses it before it is sent."""

from __future__ import annotations

import math
from typing import Any

import pytest
from labelled import labelled_image

import dlwidgets as dw


def test_an_ellipse_is_stored_and_read_back(both: dw.Client) -> None:
    _, item = labelled_image(both, "ellipses", "cells", ["cell"])
    (stored,) = item.annotations.upload([dw.Ellipse(x=5, y=6, rx=3, ry=2, angle=45, label="cell")])
    (read,) = item.annotations.list()
    assert read.coordinates == {"angle": 45, "center": {"x": 5, "y": 6, "z": 0}, "rx": 3, "ry": 2}
    assert read.annotation_definition == dw.Ellipse(x=5, y=6, rx=3, ry=2, angle=45, label="cell")
    assert stored.id == read.id


@pytest.mark.parametrize(
    ("coordinates", "named"),
    [
        ([{"x": 1, "y": 1}, {"x": 2, "y": 2}], "an ellipse is"),
        ({"center": {"x": 1, "y": 1}, "rx": -1, "ry": 1, "angle": 0}, "rx=-1"),
        ({"center": {"x": 1, "y": 1}, "rx": 1, "ry": 1, "angle": "up"}, "angle='up'"),
        ({"center": {"x": 1}, "rx": 1, "ry": 1, "angle": 0}, "a point is"),
    ],
)
def test_a_malformed_ellipse_is_refused_naming_it(both: dw.Client, coordinates: Any, named: str) -> None:
    _, item = labelled_image(both, "ellipses", "cells", ["cell"])
    answer = both.http.post(
        f"/items/{item.id}/annotations",
        json=[{"type": "ellipse", "label": "cell", "coordinates": coordinates}],
    )
    assert answer.status_code == 400, answer.text
    assert named in answer.json()["message"]


@pytest.mark.parametrize(
    ("values", "named"), [({"rx": -2}, "rx=-2"), ({"angle": math.nan}, "angle=nan"), ({"x": None}, "x=None")]
)
def test_dw_ellipse_refuses_bad_values(values: dict[str, Any], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        dw.Ellipse(**{"x": 1, "y": 1, "rx": 1, "ry": 1, "angle": 0, "label": "cell", **values})
