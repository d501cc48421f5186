"""A new mask's colour as stored, the same whether dtlpy or dlwidgets uploads it (``shapes/mask_colours.py``,
written once with ``import dtlpy as dl``): the label's colour from the dataset's ontology, over ``color=``
too; a label outside the ontology keeps ``color=``, or white without it."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from official_sdk import run_dtlpy
from test_shapes_both_ways import two_items, with_dlwidgets

import dlwidgets as dw
from dlwidgets.api.entities import masks

pytest.importorskip("dtlpy", reason="the official SDK is in the 'test' extra: pip install -e '.[test]'")

SNIPPET = Path(__file__).with_name("shapes") / "mask_colours.py"
CELL = (10, 200, 30)
EXPECTED = {
    "cell plain": CELL,
    "cell given": CELL,
    "stray plain": (255, 255, 255),
    "stray given": (1, 2, 3),
}


def stored_colours(item: dw.Item) -> dict[str, tuple[int, ...]]:
    """Each stored mask's description and the colours of its PNG's opaque pixels (one, if painted whole)."""
    colours = {}
    for annotation in item.annotations.list():
        rgba = masks.data_url_image(annotation.coordinates)
        opaque = rgba[rgba[:, :, 3] > 127][:, :3]
        found = {tuple(int(c) for c in pixel) for pixel in np.unique(opaque, axis=0)}
        assert len(found) == 1, (annotation.description, found)
        colours[str(annotation.description)] = found.pop()
    return colours


def test_a_new_mask_is_stored_in_its_labels_colour_by_either_sdk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sdk_folder, dw_folder = tmp_path / "dtlpy", tmp_path / "dlwidgets"
    with two_items(tmp_path, "masks", label_name="cell", color=CELL) as (url, token, by_sdk, by_dw):
        for folder, item in ((sdk_folder, by_sdk), (dw_folder, by_dw)):
            folder.mkdir()
            (folder / "item_id.txt").write_text(item.id)

        assert run_dtlpy("example", url, token, sdk_folder, {"example": str(SNIPPET)}) == {"uploaded": 4}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "stray" is outside the ontology
            assert with_dlwidgets(SNIPPET, dw_folder, monkeypatch) == {"uploaded": 4}

        assert stored_colours(by_sdk) == EXPECTED
        assert stored_colours(by_dw) == EXPECTED
