"""Authenticated requests cannot make the server's memory balloon: JSON bodies are capped far below the
upload limit, and big images and big JSON bodies are decoded a few at a time."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from PIL import Image
from serving import peak_rss, post_until_answered, serve_process, serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret

USER = "ann@example.com"
MiB = 1 << 20


def _big_png(color: tuple[int, int, int], size: tuple[int, int] = (8000, 6000)) -> bytes:
    """A PNG that is small on disk but 144 MB once decoded."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def test_a_json_body_over_8_mib_is_refused_with_413(workspace_home: Path) -> None:
    with serving(workspace_home) as url:
        token = create_token(workspace_secret(workspace_home), USER)
        client = dw.connect(url, token=token)
        dataset = client.projects.create(project_name="p").datasets.create(dataset_name="d")
        item = dataset.items.upload(local_path=_big_png((1, 2, 3), (8, 8)), remote_name="a.png")
        assert isinstance(item, dw.Item)
        auth = {"authorization": f"Bearer {token}"}
        for declared in (True, False):
            status, message, sent = post_until_answered(
                f"{url}/items/{item.id}/annotations", 64 * MiB, declared, headers=auth
            )
            assert status == 413, message
            assert "over the limit of 8388608 bytes (8 MiB) for JSON and form bodies" in message
            assert "multipart/form-data" in message and sent < 40 * MiB
        assert item.annotations.list() == []
        client.close()


def test_big_images_and_big_json_bodies_at_once_keep_the_server_small(workspace_home: Path) -> None:
    token = create_token(workspace_secret(workspace_home), USER)
    headers = {"authorization": f"Bearer {token}"}
    with serve_process(workspace_home) as (url, process):
        client = dw.connect(url, token=token)
        dataset = client.projects.create(project_name="p").datasets.create(dataset_name="d")
        items = []
        for i in range(4):
            item = dataset.items.upload(local_path=_big_png((i, 50, 100)), remote_name=f"{i}.png")
            assert isinstance(item, dw.Item) and item.width == 8000
            items.append(item)
        # 7 MiB of empty objects: about 140 MiB once parsed.
        json_body = b"[" + b"{}," * (7 * MiB // 3) + b"{}]"
        baseline = peak_rss(process.pid)

        def thumbnail(item_id: str) -> int:
            return httpx.get(f"{url}/items/{item_id}/thumbnail", headers=headers, timeout=300).status_code

        def big_json(item_id: str) -> int:
            return httpx.post(
                f"{url}/items/{item_id}/annotations",
                content=json_body,
                headers={**headers, "content-type": "application/json"},
                timeout=300,
            ).status_code

        with ThreadPoolExecutor(8) as pool:
            made = [pool.submit(thumbnail, item.id) for item in items]
            parsed = [pool.submit(big_json, item.id) for item in items]
            assert [f.result() for f in made] == [200] * 4
            assert all(f.result() == 400 for f in parsed)
        peak = peak_rss(process.pid)
        client.close()
    # One 144 MB image or one parsed body at a time, beside the server's own memory.
    assert peak - baseline < 260 * MiB, f"peak {peak / MiB:.0f} MiB, {baseline / MiB:.0f} MiB before"
