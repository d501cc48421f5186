"""The Annotator in a real browser on an item holding a polygon, a polyline, a rotated box, an ellipse and
a mask: each shows its label's colour at a point inside it (on a black image, so the colour is the
shape's alone), where the fitted view puts it."""

from __future__ import annotations

from collections.abc import Callable

from .page import OpenNotebook
from .pixels import RGBA, wait_pixel
from .views import AnnotatorView

CELL = """\
import io
import numpy as np
from PIL import Image
import dlwidgets as dw

dw.connect(home=str(OUT / "workspace"))
dataset = dw.projects.create(project_name="e2e").datasets.create(dataset_name="shapes")
ontology = dataset.recipes.list()[0].ontologies.list()[0]
ontology.add_label(label_name="car", color="#ff0000")
ontology.add_label(label_name="person", color="#00ff00")
jpeg = io.BytesIO()
Image.fromarray(np.zeros((400, 640, 3), dtype=np.uint8)).save(jpeg, format="JPEG")
item = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/e2e", remote_name="black.jpg")
mask = np.zeros((400, 640), dtype=bool)
mask[100:150, 200:260] = True
item.annotations.upload([
    dw.Polygon(geo=[[10, 10], [100, 12.5], [60, 90]], label="car"),
    dw.Polyline(geo=[[0, 0], [30, 20], [60, 5]], label="person"),
    dw.Box(left=300, top=50, right=400, bottom=120, label="car", angle=25),
    dw.Ellipse(x=500, y=300, rx=40, ry=20, angle=-10, label="person"),
    dw.Segmentation(geo=mask, label="car"),
])
dw.Annotator(item)
"""

# Image points inside each shape, and its label.
INSIDE = {
    "polygon": ((57, 37), "car"),
    "polyline": ((30, 20), "person"),
    "rotated box": ((350, 85), "car"),
    "ellipse": ((500, 300), "person"),
    "mask": ((230, 125), "car"),
}


def _tinted(label: str) -> Callable[[RGBA], bool]:
    """Whether a pixel over black shows the label's colour: its own channel lit, the others dark."""
    channel = {"car": 0, "person": 1}[label]

    def matches(pixel: RGBA) -> bool:
        return pixel[channel] > 50 and all(pixel[c] < 25 for c in range(3) if c != channel)

    return matches


def test_every_stored_shape_shows_in_its_label_colour(open_notebook: OpenNotebook) -> None:
    notebook = open_notebook([CELL])
    notebook.run_all()
    notebook.wait_widget(".dlw-annotator canvas.dlw-gestures")
    notebook.wait_ready()
    view = AnnotatorView(notebook)
    for name, ((x, y), label) in INSIDE.items():
        cx, cy = view.canvas_xy(x, y)
        wait_pixel(view.layers, round(cx), round(cy), _tinted(label), what=f"the {name} in {label}'s colour")
    # And black between them: nothing drawn where no shape is.
    cx, cy = view.canvas_xy(200, 300)
    wait_pixel(view.layers, round(cx), round(cy), lambda p: max(p[:3]) < 25, what="the image between shapes")
