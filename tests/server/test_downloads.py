"""``item.download()`` keeps every file inside the folder it was given, whatever name the server sends,
and ``dw.connect`` warns before a token travels over plain http to another machine."""

from __future__ import annotations

import io
import sqlite3
import warnings
from pathlib import Path

import pytest
from PIL import Image
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret

USER = "ann@example.com"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_download_never_leaves_its_folder(workspace_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b" / "downloads"
    folder.mkdir(parents=True)
    absolute = tmp_path / "absolute-target"
    hostile = ["../../x", str(absolute), "..", ".", "sub/../../y", "../downloads-sibling"]
    with serving(workspace_home) as url:
        client = dw.connect(url, token=create_token(workspace_secret(workspace_home), USER))
        dataset = client.projects.create(project_name="p").datasets.create(dataset_name="d")
        plain = dataset.items.upload(local_path=_png(), remote_name="plain.png")
        assert isinstance(plain, dw.Item)
        ids = []
        for i in range(len(hostile)):
            item = dataset.items.upload(local_path=_png(), remote_name=f"{i}.png")
            assert isinstance(item, dw.Item)
            ids.append(item.id)
        # The server answers with these names, as a hostile or broken server could.
        with sqlite3.connect(workspace_home / "workspace.sqlite") as db:
            db.executemany("UPDATE items SET name = ? WHERE id = ?", zip(hostile, ids, strict=True))
        before = sorted(tmp_path.rglob("*"))
        for item_id, name in zip(ids, hostile, strict=True):
            item = dataset.items.get(item_id=item_id)
            assert item.name == name
            with pytest.raises(ValueError, match="would be saved outside"):
                item.download(folder)
            with pytest.raises(ValueError, match="would be saved outside"):
                item.download(str(folder), overwrite=False)
        assert sorted(tmp_path.rglob("*")) == before
        assert not absolute.exists()
        # Such an item's bytes are read into memory, to be saved where the caller chooses.
        assert dataset.items.get(item_id=ids[0]).download(save_locally=False).getvalue() == _png()
        # An ordinary name lands in the folder, and a file path with its extension is used as given.
        assert dataset.items.get(item_id=plain.id).download(folder) == str(folder / "plain.png")
        assert (folder / "plain.png").read_bytes() == _png()
        chosen = tmp_path / "chosen.png"
        assert dataset.items.get(item_id=plain.id).download(chosen) == str(chosen)
        assert chosen.read_bytes() == _png()
        client.close()


@pytest.mark.parametrize(
    "url", ["http://example.com/api/v1", "http://10.0.0.5:8431/api/v1", "http://workspace.lan:8431/api/v1"]
)
def test_connect_warns_on_plain_http_to_another_machine(workspace_home: Path, url: str) -> None:
    token = create_token(workspace_secret(workspace_home), USER)
    with pytest.warns(UserWarning, match="plain http: the token .* unencrypted; use https://"):
        dw.connect(url, token=token).close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8431/api/v1",
        "http://localhost:8431/api/v1",
        "http://[::1]:8431/api/v1",
        "http://127.0.0.2/api/v1",
        "https://example.com/api/v1",
    ],
)
def test_connect_is_quiet_on_loopback_and_https(workspace_home: Path, url: str) -> None:
    token = create_token(workspace_secret(workspace_home), USER)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dw.connect(url, token=token).close()
