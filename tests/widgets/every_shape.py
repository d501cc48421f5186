"""An item holding one shape of each type the Annotator shows but does not edit."""

from __future__ import annotations

import numpy as np

import dlwidgets as dw


def upload_every_type(item: dw.Item) -> None:
    """A polygon, a polyline, a rotated box, an ellipse and a mask on ``item`` (640 x 400)."""
    mask = np.zeros((400, 640), dtype=bool)
    mask[100:150, 200:260] = True
    item.annotations.upload(
        [
            dw.Polygon(geo=[[10, 10], [100, 12.5], [60, 90]], label="car"),
            dw.Polyline(geo=[[0, 0], [30, 20], [60, 5]], label="person"),
            dw.Box(left=300, top=50, right=400, bottom=120, label="car", angle=25),
            dw.Ellipse(x=500, y=300, rx=40, ry=20, angle=-10, label="person"),
            dw.Segmentation(geo=mask, label="car"),
        ]
    )
