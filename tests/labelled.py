"""``labelled_image(client, ...)``: a new dataset whose ontology has the given labels, and one image in it."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

import dlwidgets as dw


def labelled_image(
    client: dw.Client,
    project_name: str,
    dataset_name: str,
    labels: list[str],
    width: int = 60,
    height: int = 40,
) -> tuple[dw.Dataset, dw.Item]:
    """A project and dataset with ``labels`` in its ontology, and a black PNG of ``width`` x ``height`` in
    it as ``/image.png``."""
    dataset = client.projects.create(project_name=project_name).datasets.create(dataset_name=dataset_name)
    ontology = dataset.ontology()
    for label in labels:
        ontology.add_label(label_name=label)
    png = io.BytesIO()
    Image.fromarray(np.zeros((height, width, 3), dtype=np.uint8)).save(png, format="PNG")
    item = dataset.items.upload(local_path=png.getvalue(), remote_path="/", remote_name="image.png")
    assert isinstance(item, dw.Item)
    return dataset, item
