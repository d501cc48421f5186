"""``item.annotations.save_changes`` stores a new mask as ``upload`` stores it: painted in its label's
colour from the dataset's ontology (as dtlpy paints a mask it writes, over ``color=`` too), ``color=`` or
white for a label outside it, with the same warning; the platform's JSON is stored as given. Embedded
and over HTTP."""

from __future__ import annotations

import numpy as np
import pytest
from labelled import labelled_image

import dlwidgets as dw
from dlwidgets.api.entities import masks

CELL = (10, 200, 30)


def new_masks() -> list[dw.Segmentation]:
    mask = np.zeros((40, 60), dtype=bool)
    mask[5:20, 10:30] = True
    return [
        dw.Segmentation(geo=mask, label="cell", description="cell plain"),
        dw.Segmentation(geo=mask, label="cell", color=(1, 2, 3), description="cell given"),
        dw.Segmentation(geo=mask, label="stray", description="stray plain"),
        dw.Segmentation(geo=mask, label="stray", color=(1, 2, 3), description="stray given"),
    ]


def stored_colours(item: dw.Item) -> dict[str, set[tuple[int, ...]]]:
    """Each stored mask's description and the colours of its PNG's opaque pixels."""
    colours = {}
    for annotation in item.annotations.list():
        rgba = masks.data_url_image(annotation.coordinates)
        opaque = rgba[rgba[:, :, 3] > 127][:, :3]
        colours[str(annotation.description)] = {tuple(int(c) for c in p) for p in np.unique(opaque, axis=0)}
    return colours


def test_a_new_mask_saved_with_its_changes_is_stored_as_an_upload_stores_it(both: dw.Client) -> None:
    dataset, uploaded = labelled_image(both, "masks", "cells", [])
    dataset.ontology().add_label(label_name="cell", color=CELL)
    saved = dataset.items.upload(local_path=uploaded.download(save_locally=False), remote_name="saved.png")
    assert isinstance(saved, dw.Item)

    with pytest.warns(UserWarning, match="label 'stray' is not in the ontology"):
        uploaded.annotations.upload(new_masks())
    with pytest.warns(UserWarning, match="label 'stray' is not in the ontology"):
        saved.annotations.save_changes(new_masks(), expected_version=saved.annotations.version())

    assert (
        stored_colours(saved)
        == stored_colours(uploaded)
        == {
            "cell plain": {CELL},
            "cell given": {CELL},
            "stray plain": {(255, 255, 255)},
            "stray given": {(1, 2, 3)},
        }
    )
