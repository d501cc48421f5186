"""Eight clients at once through one ``dlwidgets serve``: uploading and annotating in one dataset.

Starts ``dlwidgets serve`` on a fresh workspace in its own process and one dataset with a label; then 8
client processes, each with its own token, each upload 200 small images into their own folder of that
dataset and annotate every image with 5 boxes as soon as it is stored (one request per image and one per
image's annotations). Afterwards the dataset is counted: every item and every annotation must be there,
with the right count on each item, and no request may have failed (a 5xx or any other error). Reported:
items/s and annotations/s over the wall time from the first client's start to the last one's end.

    .venv/bin/python benchmarks/serve_concurrency.py [--clients 8] [--items 200] [--boxes 5]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from typing import Any

from _common import Figure, progress, report, scratch
from serve_vs_dtlpy import dlwidgets_serve

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret


def worker(index: int) -> None:
    """One client process: upload and annotate, then print ``RESULT <json>``."""
    from PIL import Image

    url, token = os.environ["DLW_URL"], os.environ["DLW_TOKEN"]
    items, boxes = int(os.environ["DLW_ITEMS"]), int(os.environ["DLW_BOXES"])
    client = dw.connect(url, token=token)
    dataset = client.projects.get(project_name="shared").datasets.get(dataset_name="d")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "gray").save(buffer, format="PNG")
    image = buffer.getvalue()
    failures: list[str] = []
    uploaded = annotated = 0
    start = time.time()
    for i in range(items):
        try:
            item = dataset.items.upload(
                local_path=image, remote_path=f"/client-{index}", remote_name=f"{i:04d}.png"
            )
            assert isinstance(item, dw.Item)
            uploaded += 1
            builder = item.annotations.builder()
            for b in range(boxes):
                builder.add(dw.Box(top=b, left=b, bottom=b + 10, right=b + 10, label="thing"))
            annotated += len(item.annotations.upload(builder))
        except Exception as e:  # every failure counts; the run goes on
            failures.append(f"{type(e).__name__}: {e}")
    end = time.time()
    client.close()
    result = {"uploaded": uploaded, "annotated": annotated, "failures": failures, "start": start, "end": end}
    print("RESULT " + json.dumps(result), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--boxes", type=int, default=5)
    args = parser.parse_args()
    with scratch("serve-concurrency") as tmp:
        home = tmp / "workspace"
        secret = workspace_secret(home)
        owner = "owner@example.com"
        with dlwidgets_serve(home) as url:
            client = dw.connect(url, token=create_token(secret, owner))
            project = client.projects.create(project_name="shared")
            dataset = project.datasets.create(dataset_name="d")
            dataset.add_label("thing", "#00ff00")
            emails = [f"client{i}@example.com" for i in range(args.clients)]
            for email in emails:
                client.request("POST", f"/projects/{project.id}/members/{email}", json={"role": "annotator"})

            progress(f"{args.clients} clients: {args.items} images and {args.boxes} boxes each ...")
            processes = []
            for i, email in enumerate(emails):
                env = {
                    **os.environ,
                    "DLW_URL": url,
                    "DLW_TOKEN": create_token(secret, email),
                    "DLW_ITEMS": str(args.items),
                    "DLW_BOXES": str(args.boxes),
                }
                processes.append(
                    subprocess.Popen(
                        [sys.executable, __file__, "--worker", str(i)],
                        env=env,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        text=True,
                    )
                )
            results: list[dict[str, Any]] = []
            for process in processes:
                out, err = process.communicate(timeout=600)
                lines = [line for line in out.splitlines() if line.startswith("RESULT ")]
                if process.returncode != 0 or not lines:
                    raise RuntimeError(f"a client failed:\n{out[-2000:]}\n{err[-2000:]}")
                results.append(json.loads(lines[-1].removeprefix("RESULT ")))

            stored_items = dataset.items.list(page_size=1).items_count
            annotation_filter = dw.Filters(resource=dw.FiltersResource.ANNOTATION)
            stored_annotations = dataset.items.list(filters=annotation_filter, page_size=1).items_count
            counts = client.json(
                "POST",
                f"/datasets/{dataset.id}/query",
                json={"filter": {"annotationsCount": {"$ne": args.boxes}}, "pageSize": 1},
            )["totalItemsCount"]
            client.close()

    failures = [f for r in results for f in r["failures"]]
    for failure in failures[:10]:
        progress(f"failed: {failure}")
    wall = max(r["end"] for r in results) - min(r["start"] for r in results)
    expected_items = args.clients * args.items
    expected_annotations = expected_items * args.boxes
    sent_items = sum(r["uploaded"] for r in results)
    sent_annotations = sum(r["annotated"] for r in results)
    return report(
        Figure(f"{args.clients} clients: items uploaded, of {expected_items:,}", sent_items, "items",
               expected_items),
        Figure("  items lost (uploaded but not in the dataset)", sent_items - stored_items, "items", 0,
               higher_is_better=False),
        Figure(f"  annotations stored, of {expected_annotations:,}", stored_annotations, "boxes",
               expected_annotations),
        Figure("  annotations lost", sent_annotations - stored_annotations, "boxes", 0,
               higher_is_better=False),
        Figure("  items whose annotationsCount is wrong", counts, "items", 0, higher_is_better=False),
        Figure("  failed requests (5xx or other errors)", len(failures), "requests", 0,
               higher_is_better=False),
        Figure("  throughput: items", sent_items / wall, "items/s"),
        Figure("  throughput: annotations", sent_annotations / wall, "boxes/s"),
        Figure("  throughput: requests", (sent_items + expected_items) / wall, "req/s"),
    )  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(int(sys.argv[2]))
        sys.exit(0)
    sys.exit(main())
