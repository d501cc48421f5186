"""Predictions cross between the official SDK and dlwidgets on one ``dlwidgets serve`` workspace: each
side uploads a prediction (``model_info=``) and a human box to its own item (``predictions/upload.py``,
written once with ``import dtlpy as dl``), accepts the other side's prediction, and both read both
items the same: the model info as dtlpy writes it, and accepted predictions no longer ``automated``;
then the same with each side accepting in bulk: the SDK by a query update, dlwidgets with
``accept_predictions``."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from official_sdk import EMAIL, run_dtlpy
from PIL import Image
from serving import serving
from test_shapes_both_ways import with_dlwidgets

import dlwidgets as dw
from dlwidgets.api import Filters, FiltersResource, default
from dlwidgets.server import create_token, workspace_secret

pytest.importorskip("dtlpy", reason="the official SDK is in the 'test' extra: pip install -e '.[test]'")

SNIPPETS = Path(__file__).with_name("predictions")
MODEL = {"name": "yolo-v8", "confidence": 0.875, "model_id": "m-1"}


def black_png() -> bytes:
    data = io.BytesIO()
    Image.fromarray(np.zeros((48, 64, 3), dtype=np.uint8)).save(data, format="PNG")
    return data.getvalue()


@dataclass
class Sides:
    """One ``dlwidgets serve`` workspace with an item for each side; ``sdk(snippet)`` runs a snippet of
    ``predictions/`` with dtlpy in a process of its own, ``dw(snippet)`` the same with dlwidgets here."""

    dataset: dw.Dataset
    by_sdk: dw.Item
    by_dw: dw.Item
    sdk: Callable[[str], object]
    dw: Callable[[str], object]


@contextmanager
def two_sides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sides]:
    token = create_token(workspace_secret(tmp_path / "served"), EMAIL)
    sdk_folder, dw_folder = tmp_path / "dtlpy", tmp_path / "dlwidgets"
    with serving(tmp_path / "served") as url:

        def sdk(snippet: str) -> object:
            return run_dtlpy("example", url, token, sdk_folder, {"example": str(SNIPPETS / snippet)})

        client = default.set_client(dw.connect(url, token=token))
        dataset = client.projects.create(project_name="preds").datasets.create(dataset_name="street")
        dataset.add_label(label_name="car")
        by_sdk, by_dw = (
            dataset.items.upload(local_path=black_png(), remote_path="/", remote_name=f"{name}.png")
            for name in ("by_sdk", "by_dlwidgets")
        )
        for folder, own, other in ((sdk_folder, by_sdk, by_dw), (dw_folder, by_dw, by_sdk)):
            folder.mkdir()
            (folder / "item_id.txt").write_text(own.id)
            (folder / "other_item_id.txt").write_text(other.id)
            (folder / "item_ids.txt").write_text(f"{by_sdk.id}\n{by_dw.id}\n")
        yield Sides(
            dataset,
            by_sdk,
            by_dw,
            lambda snippet: run_dtlpy(
                "example", url, token, sdk_folder, {"example": str(SNIPPETS / snippet)}
            ),
            lambda snippet: with_dlwidgets(SNIPPETS / snippet, dw_folder, monkeypatch),
        )


UNREVIEWED = sorted([["car", MODEL, True], ["car", None, False]], key=str)
ACCEPTED = sorted([["car", MODEL, False], ["car", None, False]], key=str)


def test_the_sdk_and_dlwidgets_read_and_accept_each_others_predictions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with two_sides(tmp_path, monkeypatch) as sides:
        assert sides.sdk("upload.py") == {"uploaded": 2}
        assert sides.dw("upload.py") == {"uploaded": 2}
        before = [sides.sdk("read.py"), sides.dw("read.py")]

        assert sides.sdk("accept.py") == {"accepted": 1}  # the SDK accepts dlwidgets' prediction ...
        (prediction,) = [
            a for a in sides.dataset.items.get(item_id=sides.by_sdk.id).annotations.list() if a.is_prediction
        ]
        prediction.accept()  # ... and dlwidgets the SDK's
        after = [sides.sdk("read.py"), sides.dw("read.py")]

    both = (sides.by_sdk.id, sides.by_dw.id)
    for reader in before:
        assert reader == dict.fromkeys(both, UNREVIEWED)
    for reader in after:
        assert reader == dict.fromkeys(both, ACCEPTED)


def test_predictions_accepted_in_bulk_by_either_side_read_the_same_on_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SDK's bulk update by query (``items.update`` with annotations' filters) and dlwidgets'
    ``dataset.annotations.accept_predictions`` each accept the predictions of their own item."""
    with two_sides(tmp_path, monkeypatch) as sides:
        sides.sdk("upload.py")
        sides.dw("upload.py")
        assert sides.sdk("accept_all.py") == {"accepted": 2}  # its prediction, and its person's box
        own = Filters(field="itemId", values=[sides.by_dw.id], resource=FiltersResource.ANNOTATION)
        assert sides.dataset.annotations.accept_predictions(own, min_confidence=0.5) == 1
        after = [sides.sdk("read.py"), sides.dw("read.py")]
    for reader in after:
        assert reader == dict.fromkeys((sides.by_sdk.id, sides.by_dw.id), ACCEPTED)
