"""Every shape crosses between the official SDK and dlwidgets: on one ``dlwidgets serve`` workspace, dtlpy
uploads each shape to one item and dlwidgets uploads the same shapes to another (``shapes/upload.py``,
written once with ``import dtlpy as dl``); then each side reads both items (``shapes/read.py``). Each must
read the other's shapes as its own, and both must read the same: coordinates within 1 image pixel, masks
to the pixel."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from official_sdk import EMAIL, run_dtlpy
from PIL import Image
from serving import serving

import dlwidgets as dw
from dlwidgets.api import default
from dlwidgets.server import create_token, workspace_secret

pytest.importorskip("dtlpy", reason="the official SDK is in the 'test' extra: pip install -e '.[test]'")

SNIPPETS = Path(__file__).with_name("shapes")


def with_dlwidgets(snippet: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The snippet with ``import dlwidgets as dl`` in this process, in ``folder``, on the default client."""
    monkeypatch.chdir(folder)
    source = snippet.read_text().replace("import dtlpy as dl\n", "import dlwidgets as dl\n", 1)
    namespace: dict[str, Any] = {"__name__": "__example__", "__file__": str(snippet)}
    exec(compile(source, str(snippet), "exec"), namespace)
    return json.loads(json.dumps(namespace["result"]))


def within_a_pixel(a: Any, b: Any) -> bool:
    """Equal, except that floats (coordinates) may differ by up to 1 pixel; ints (mask sizes) are exact."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(within_a_pixel(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 1
    return bool(a == b)


@contextmanager
def two_items(tmp_path: Path, project_name: str, **label: Any) -> Iterator[tuple[str, str, dw.Item, dw.Item]]:
    """On a ``dlwidgets serve`` workspace homed in ``tmp_path``, the default client's dataset with one label
    (``add_label``'s arguments) and two black 150 x 100 images: the URL, a token, the items by_sdk.png and
    by_dlwidgets.png."""
    home = tmp_path / "served"
    token = create_token(workspace_secret(home), EMAIL)
    png = io.BytesIO()
    Image.fromarray(np.zeros((100, 150, 3), dtype=np.uint8)).save(png, format="PNG")
    with serving(home) as url:
        client = default.set_client(dw.connect(url, token=token))
        dataset = client.projects.create(project_name=project_name).datasets.create(dataset_name="cells")
        dataset.add_label(**label)
        by_sdk, by_dw = (
            dataset.items.upload(local_path=png.getvalue(), remote_path="/", remote_name=f"{name}.png")
            for name in ("by_sdk", "by_dlwidgets")
        )
        yield url, token, by_sdk, by_dw


def test_the_sdk_and_dlwidgets_read_each_others_shapes_as_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sdk_folder, dw_folder = tmp_path / "dtlpy", tmp_path / "dlwidgets"
    for folder in (sdk_folder, dw_folder):
        folder.mkdir()
    with two_items(tmp_path, "shapes", label_name="cell") as (url, token, by_sdk, by_dw):
        (sdk_folder / "item_id.txt").write_text(by_sdk.id)
        (dw_folder / "item_id.txt").write_text(by_dw.id)
        for folder in (sdk_folder, dw_folder):
            (folder / "item_ids.txt").write_text(f"{by_sdk.id}\n{by_dw.id}\n")

        assert run_dtlpy("example", url, token, sdk_folder, {"example": str(SNIPPETS / "upload.py")}) == {
            "uploaded": 8
        }
        assert with_dlwidgets(SNIPPETS / "upload.py", dw_folder, monkeypatch) == {"uploaded": 8}
        read_by_sdk = run_dtlpy("example", url, token, sdk_folder, {"example": str(SNIPPETS / "read.py")})
        read_by_dw = with_dlwidgets(SNIPPETS / "read.py", dw_folder, monkeypatch)

    types = sorted(shape[0] for shape in read_by_dw[by_sdk.id])
    assert types == ["binary", "box", "box", "class", "ellipse", "point", "polyline", "segment"]
    for reader in (read_by_sdk, read_by_dw):
        assert within_a_pixel(reader[by_sdk.id], reader[by_dw.id]), reader
    assert within_a_pixel(read_by_sdk, read_by_dw), (read_by_sdk, read_by_dw)
