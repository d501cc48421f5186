"""``photos(client, count)``: a new project and dataset holding ``count`` small PNGs in ``/photos``."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

import dlwidgets as dw


def photos(client: dw.Client, count: int = 3) -> tuple[dw.Dataset, list[dw.Item]]:
    """A dataset of ``count`` small PNGs, ``p0.png`` ... in ``/photos``, each a different grey."""
    dataset = client.projects.create(project_name="work").datasets.create(dataset_name="photos")
    items = []
    for i in range(count):
        png = io.BytesIO()
        Image.fromarray(np.full((8, 8, 3), i, dtype=np.uint8)).save(png, format="PNG")
        item = dataset.items.upload(local_path=png.getvalue(), remote_path="/photos", remote_name=f"p{i}.png")
        assert isinstance(item, dw.Item)
        items.append(item)
    return dataset, items
