"""Predictions cross between the official SDK and dlwidgets on one ``dlwidgets serve`` workspace: each
side uploads a prediction (``model_info=``) and a human box to its own item (``predictions/upload.py``,
written once with ``import dtlpy as dl``), accepts the other side's prediction, and both read both
items the same: the model info as dtlpy writes it, and accepted predictions no longer ``automated``."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from official_sdk import EMAIL, run_dtlpy
from PIL import Image
from serving import serving
from test_shapes_both_ways import with_dlwidgets

import dlwidgets as dw
from dlwidgets.api import default
from dlwidgets.server import create_token, workspace_secret

pytest.importorskip("dtlpy", reason="the official SDK is in the 'test' extra: pip install -e '.[test]'")

SNIPPETS = Path(__file__).with_name("predictions")
MODEL = {"name": "yolo-v8", "confidence": 0.875, "model_id": "m-1"}


def black_png() -> bytes:
    data = io.BytesIO()
    Image.fromarray(np.zeros((48, 64, 3), dtype=np.uint8)).save(data, format="PNG")
    return data.getvalue()


def test_the_sdk_and_dlwidgets_read_and_accept_each_others_predictions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = create_token(workspace_secret(tmp_path / "served"), EMAIL)
    sdk_folder, dw_folder = tmp_path / "dtlpy", tmp_path / "dlwidgets"
    with serving(tmp_path / "served") as url:
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

        def sdk(snippet: str) -> object:
            return run_dtlpy("example", url, token, sdk_folder, {"example": str(SNIPPETS / snippet)})

        assert sdk("upload.py") == {"uploaded": 2}
        assert with_dlwidgets(SNIPPETS / "upload.py", dw_folder, monkeypatch) == {"uploaded": 2}
        before = [sdk("read.py"), with_dlwidgets(SNIPPETS / "read.py", dw_folder, monkeypatch)]

        assert sdk("accept.py") == {"accepted": 1}  # the SDK accepts dlwidgets' prediction ...
        (prediction,) = [
            a for a in dataset.items.get(item_id=by_sdk.id).annotations.list() if a.is_prediction
        ]
        prediction.accept()  # ... and dlwidgets the SDK's
        after = [sdk("read.py"), with_dlwidgets(SNIPPETS / "read.py", dw_folder, monkeypatch)]

    unreviewed = sorted([["car", MODEL, True], ["car", None, False]], key=str)
    accepted = sorted([["car", MODEL, False], ["car", None, False]], key=str)
    for reader in before:
        assert reader == {by_sdk.id: unreviewed, by_dw.id: unreviewed}
    for reader in after:
        assert reader == {by_sdk.id: accepted, by_dw.id: accepted}
