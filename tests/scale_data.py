"""Big ontologies and crowded items, and the widget-model goals at that scale.

Shared by the model-count test (tests/widgets/test_model_counts.py) and the browser benchmark
(benchmarks/widget_scale.py), so both count the same widgets over the same data.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

import dlwidgets as dw
from dlwidgets.widgets.base import live_models as live_models  # for the test and the benchmark

# Widget models each widget may create, at most, on the data below; the Annotator's goal is that its
# count does not grow from the small item to the crowded one.
MODEL_GOALS = {
    "OntologyEditor, 1,000 labels and 50 attributes": 50,
    "Studio on the demo dataset": 150,
}
ANNOTATOR_GROWTH_GOAL = 0


# The items' geometry, in image pixels: random boxes stay left of BOX_AREA_RIGHT; a patch of pure blue
# on the right, with the probe box (the last annotation, in the probe label's magenta) over part of it,
# lets a benchmark see on the canvas that the image and the last box are drawn.
IMAGE_SIZE = (1280, 960)
BOX_AREA_RIGHT = 1000
PATCH = (1060, 40, 1270, 420)  # left, top, right, bottom
PATCH_CHECK = (1240, 70)  # in the patch, clear of the probe box and its caption
PROBE_BOX = (1100, 150, 1240, 350)
PROBE_LABEL, PROBE_COLOR = "probe", "#ff00ff"


def big_ontology(project: dw.Project, name: str, labels: int = 1000, attributes: int = 50) -> dw.Dataset:
    """A dataset whose ontology has `labels` labels (the last one the probe's) and `attributes` yes/no
    attributes; no label but the probe's has any red in its colour."""
    dataset = project.datasets.create(dataset_name=name)
    ontology = dataset.ontology()
    specs = [
        {"label_name": f"label-{n:04d}", "color": f"#00{80 + n % 120:02x}{120 + n % 100:02x}"}
        for n in range(labels - 1)
    ]
    ontology.add_labels(label_list=[*specs, {"label_name": PROBE_LABEL, "color": PROBE_COLOR}])
    for n in range(attributes):
        ontology.update_attributes(key=f"attr-{n:02d}", title=f"Attribute {n}", attribute_type="boolean")
    return dataset


def image_item(dataset: dw.Dataset, annotations: int) -> dw.Item:
    """A gradient JPEG with the blue patch, and `annotations` boxes: random ones over the ontology's
    labels, then the probe box."""
    width, height = IMAGE_SIZE
    rng = np.random.default_rng(annotations)
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    pixels = np.empty((height, width, 3), np.float32)
    pixels[..., 0] = 40 + 60 * y
    pixels[..., 1] = 100 + 100 * x
    pixels[..., 2] = 90 + 50 * np.sin(8 * x + 5 * y)
    pixels += rng.normal(0, 6, pixels.shape).astype(np.float32)
    left, top, right, bottom = PATCH
    pixels[top:bottom, left:right] = (0, 0, 255)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, format="JPEG", quality=90)
    item = dataset.items.upload(local_path=buffer.getvalue(), remote_path="/", remote_name="image.jpg")
    assert isinstance(item, dw.Item)
    if annotations:
        tags = [t for t in dataset.ontology().tags() if t != PROBE_LABEL]
        builder = item.annotations.builder()
        for n in range(annotations - 1):
            x0, y0 = rng.uniform(0, BOX_AREA_RIGHT - 60), rng.uniform(0, height - 60)
            w, h = rng.uniform(8, 60, 2)
            builder.add(dw.Box(left=x0, top=y0, right=x0 + w, bottom=y0 + h, label=tags[n % len(tags)]))
        left, top, right, bottom = PROBE_BOX
        builder.add(dw.Box(left=left, top=top, right=right, bottom=bottom, label=PROBE_LABEL))
        item.annotations.upload(annotations=builder)
    return item


def scale_items(project: dw.Project) -> tuple[dw.Item, dw.Item]:
    """The Annotator's two cases: 10 labels and no annotations; 1,000 labels and 5,000 annotations."""
    small = image_item(big_ontology(project, "ten-labels", labels=10, attributes=0), 0)
    crowded = image_item(big_ontology(project, "crowded", labels=1000, attributes=0), 5000)
    return small, crowded
