"""Big ontologies and crowded items, and the widget-model goals at that scale.

Shared by the model-count test (tests/widgets/test_model_counts.py) and the browser benchmark
(benchmarks/widget_scale.py), so both count the same widgets over the same data.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

import dlwidgets as dw
from dlwidgets.widgets.base import live_models

# Widget models each widget may create, at most, on the data below; the Annotator's goal is that its
# count does not grow from the small item to the crowded one.
MODEL_GOALS = {
    "OntologyEditor, 1,000 labels and 50 attributes": 50,
    "Studio on the demo dataset": 150,
}
ANNOTATOR_GROWTH_GOAL = 0

__all__ = ["ANNOTATOR_GROWTH_GOAL", "MODEL_GOALS", "big_ontology", "image_item", "live_models", "scale_items"]


def big_ontology(project: dw.Project, name: str, labels: int = 1000, attributes: int = 50) -> dw.Dataset:
    """A dataset whose ontology has `labels` labels and `attributes` attributes (each scoped to all)."""
    dataset = project.datasets.create(dataset_name=name)
    ontology = dataset.ontology()
    ontology.add_labels(label_list=[f"label-{n:04d}" for n in range(labels)])
    for n in range(attributes):
        ontology.update_attributes(key=f"attr-{n:02d}", title=f"Attribute {n}", attribute_type="boolean")
    return dataset


def image_item(dataset: dw.Dataset, annotations: int, width: int = 1280, height: int = 960) -> dw.Item:
    """A noise JPEG in `dataset` with `annotations` boxes spread over the ontology's labels."""
    rng = np.random.default_rng(annotations)
    buffer = io.BytesIO()
    pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=85)
    item = dataset.items.upload(local_path=buffer.getvalue(), remote_path="/", remote_name="image.jpg")
    assert isinstance(item, dw.Item)
    if annotations:
        tags = dataset.ontology().tags()
        builder = item.annotations.builder()
        for n in range(annotations):
            x, y = rng.uniform(0, width - 60), rng.uniform(0, height - 60)
            w, h = rng.uniform(8, 60, 2)
            builder.add(dw.Box(left=x, top=y, right=x + w, bottom=y + h, label=tags[n % len(tags)]))
        item.annotations.upload(annotations=builder)
    return item


def scale_items(project: dw.Project) -> tuple[dw.Item, dw.Item]:
    """The Annotator's two cases: 10 labels and no annotations; 1,000 labels and 5,000 annotations."""
    small = image_item(big_ontology(project, "ten-labels", labels=10, attributes=0), 0)
    crowded = image_item(big_ontology(project, "crowded", labels=1000, attributes=0), 5000)
    return small, crowded
