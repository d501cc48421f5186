"""The peak memory of ``dlwidgets serve`` under 16 concurrent mixed requests: at most 512 MiB.

Starts ``dlwidgets serve`` on a fresh workspace in its own process, stores four 12000 x 7000 PNGs (320 MiB
each once decoded) and a 64 MiB file, then sends 16 requests at once:

- 4 thumbnails of the big PNGs (none made before);
- 4 annotation uploads with JSON bodies of about 7 MiB (polygons of 500 points);
- 2 uploads of a 64 MiB file, 2 downloads of the stored one;
- 2 unauthenticated ``POST /token`` with a chunked 1 GiB body;
- 2 listings of the dataset's items.

Reported: the server's peak resident memory (``VmHWM``) before and after, and the wall time. Every request
must answer as expected (the ``/token`` ones with 413).

    .venv/bin/python benchmarks/server_memory.py [--image-side 12000x7000]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
from _common import Figure, progress, report, scratch
from serving import peak_rss, serve_process

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret

MiB = 1 << 20


def big_png(size: tuple[int, int], shade: int) -> bytes:
    """A PNG that is small on disk and large once decoded; each ``shade`` makes distinct bytes."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (shade, 80, 160)).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def polygons_body(item_id: str, size: int) -> bytes:
    """An annotation upload of about ``size`` bytes: polygons of 500 points each."""
    points = [{"x": 10.5 + i, "y": 20.25 + i, "z": 0} for i in range(500)]
    one = {"type": "segment", "label": "thing", "coordinates": [points], "itemId": item_id}
    return json.dumps([one] * (size // len(json.dumps(one)))).encode()


def stored_item(dataset: dw.Dataset, data: bytes, name: str) -> dw.Item:
    item = dataset.items.upload(local_path=data, remote_name=name)
    assert isinstance(item, dw.Item)
    return item


def chunked(total: int) -> Iterator[bytes]:
    chunk = b"x" * MiB
    for _ in range(total // MiB):
        yield chunk


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image-side", default="12000x7000", help="WIDTHxHEIGHT of the big PNGs")
    args = parser.parse_args()
    width, height = (int(v) for v in args.image_side.split("x"))
    with scratch("server-memory") as tmp:
        home = tmp / "workspace"
        token = create_token(workspace_secret(home), "owner@example.com")
        auth = {"authorization": f"Bearer {token}"}
        with serve_process(home) as (url, process):
            client = dw.connect(url, token=token)
            dataset = client.projects.create(project_name="memory").datasets.create(dataset_name="d")
            dataset.add_label("thing", "#00ff00")
            progress(f"storing four {width} x {height} PNGs and a 64 MiB file ...")
            images = [stored_item(dataset, big_png((width, height), i), f"big-{i}.png") for i in range(4)]
            payload = os.urandom(64 * MiB)
            stored = stored_item(dataset, payload, "stored.bin")
            bodies = [polygons_body(image.id, 7 * MiB) for image in images]
            gate = url.removesuffix("/api/v1")
            http = httpx.Client(timeout=600)

            def thumbnail(i: int) -> int:
                return http.get(f"{url}/items/{images[i].id}/thumbnail", headers=auth).status_code

            def annotate(i: int) -> int:
                headers = {**auth, "content-type": "application/json"}
                path = f"{url}/items/{images[i].id}/annotations"
                return http.post(path, content=bodies[i], headers=headers).status_code

            def upload(i: int) -> int:
                files = {"file": (f"upload-{i}.bin", payload, "application/octet-stream")}
                return http.post(f"{url}/datasets/{dataset.id}/items", files=files, headers=auth).status_code

            def download(i: int) -> int:
                with http.stream("GET", f"{url}/items/{stored.id}/stream", headers=auth) as answer:
                    size = sum(len(chunk) for chunk in answer.iter_bytes(MiB))
                return answer.status_code if size == len(payload) else -1

            def token_flood(i: int) -> int:
                try:
                    return httpx.post(
                        f"{gate}/token?default", content=chunked(1 << 30), timeout=600
                    ).status_code
                except httpx.TransportError:  # refused and closed while still sending
                    return 413

            def listing(i: int) -> int:
                query = {"filter": {"type": "file"}, "pageSize": 1000}
                path = f"{url}/datasets/{dataset.id}/query"
                return http.post(path, json=query, headers=auth).status_code

            plan: list[tuple[Callable[[int], int], int, set[int]]] = [
                (thumbnail, 4, {200}),
                (annotate, 4, {200}),
                (upload, 2, {200}),
                (download, 2, {200}),
                (token_flood, 2, {413}),
                (listing, 2, {200}),
            ]
            before = peak_rss(process.pid)
            progress("16 requests at once ...")
            start = time.perf_counter()
            with ThreadPoolExecutor(16) as pool:
                futures = [
                    (work.__name__, expected, pool.submit(work, i))
                    for work, count, expected in plan
                    for i in range(count)
                ]
                wrong = [(name, f.result()) for name, expected, f in futures if f.result() not in expected]
            wall = time.perf_counter() - start
            peak = peak_rss(process.pid)
            http.close()
            client.close()
    for name, status in wrong:
        progress(f"unexpected answer: {name} -> {status}")
    return report(
        Figure("server peak RSS before the requests", before / MiB, "MiB"),
        Figure(
            "server peak RSS, 16 concurrent mixed requests", peak / MiB, "MiB", 512, higher_is_better=False
        ),
        Figure("  requests answered other than expected", len(wrong), "requests", 0, higher_is_better=False),
        Figure("  wall time for the 16 requests", wall, "s"),
    )


if __name__ == "__main__":
    sys.exit(main())
