"""COCO export and import: 10,000 images with 100,000 boxes.

Fills a fresh embedded workspace with ``--images`` small PNGs and ``--boxes`` boxes spread evenly over
them (setup, not timed), then times ``dw.Converter().convert_dataset(..., to_format=COCO)`` while a
sampler watches the process's resident memory, and ``upload_local_dataset(from_format=COCO, ...)`` of
the written file onto a second dataset holding the same images (the annotations are what is imported).
Goals, embedded: export at least 20,000 annotations/s with at most 64 MiB of memory growth; import at
least 5,000 annotations/s. Each rate is also given per second of the process's CPU time, which a machine
busy with other work slows less than the wall clock. Then the same again through ``dlwidgets serve`` (in
a process of its own, on the same workspace), for comparison: no goal.

    .venv/bin/python benchmarks/converter.py [--images 10000] [--boxes 100000] [--no-http]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import random
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil
from _common import Figure, fresh_workspace, new_dataset, progress, report, scratch
from PIL import Image
from serving import serve_process

import dlwidgets as dw
from dlwidgets.api.client import local_user
from dlwidgets.server import create_token, workspace_secret

EXPORT_GOAL, IMPORT_GOAL, MEMORY_GOAL_MIB = 20_000, 5_000, 64
LABELS = ["bike", "car", "person"]


def write_pngs(folder: Path, count: int) -> None:
    """``count`` 64x48 PNGs (the converter reads sizes, not pixels, so they may be alike)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = io.BytesIO()
    Image.new("RGB", (64, 48)).save(data, format="PNG")
    for i in range(count):
        (folder / f"img-{i:06d}.png").write_bytes(data.getvalue())


def fill(dataset: dw.Dataset, folder: Path, boxes: int) -> int:
    """Upload the images of ``folder`` and ``boxes`` boxes over them; returns how many were stored."""
    dataset.ontology().add_labels(list(LABELS))
    items = dataset.items.upload(local_path=str(folder))
    assert isinstance(items, list)
    rng, stored = random.Random(7), 0
    for i, item in enumerate(items):
        count = boxes // len(items) + (1 if i < boxes % len(items) else 0)
        definitions = []
        for j in range(count):
            left, top = rng.uniform(0, 40), rng.uniform(0, 30)
            bottom, right = top + rng.uniform(1, 18), left + rng.uniform(1, 24)
            definitions.append(dw.Box(top=top, left=left, bottom=bottom, right=right, label=LABELS[j % 3]))
        stored += len(item.annotations.upload(definitions))
    return stored


class PeakMemory:
    """Samples the resident memory every 20 ms from a thread; ``growth_mib`` is the peak above the start."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self._start = self._peak = self._process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self._peak = max(self._peak, self._process.memory_info().rss)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._peak = max(self._peak, self._process.memory_info().rss)

    @property
    def growth_mib(self) -> float:
        return (self._peak - self._start) / (1 << 20)


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Run ``action``; its wall-clock and CPU seconds (this process's)."""
    start, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - cpu


def round_trip(source: dw.Dataset, target: dw.Dataset, folder: Path, boxes: int) -> dict[str, float]:
    """Export ``source`` to COCO under ``folder`` and import that file onto ``target`` (holding the same
    images); the seconds each took by the wall clock and in CPU time, and the export's memory growth."""
    gc.collect()
    path = folder / "coco.json"
    with PeakMemory() as memory:
        export_s, export_cpu_s = timed(
            lambda: dw.Converter().convert_dataset(dataset=source, to_format="coco", local_path=folder)
        )
    written = len(json.loads(path.read_text())["annotations"])
    assert written == boxes, f"{written} of {boxes} annotations exported"
    gc.collect()
    import_s, import_cpu_s = timed(
        lambda: dw.Converter().upload_local_dataset(
            from_format="coco", dataset=target, local_annotations_path=path, remote_items=True
        )
    )
    imported = sum(item.annotations_count or 0 for item in target.items.list().all())
    assert imported == boxes, f"{imported} of {boxes} annotations imported"
    return {"export_s": export_s, "export_cpu_s": export_cpu_s, "memory_mib": memory.growth_mib,
            "import_s": import_s, "import_cpu_s": import_cpu_s}  # fmt: skip


def over_http(home: Path, source: dw.Dataset, images: Path, folder: Path, boxes: int) -> dict[str, float]:
    """``round_trip`` through ``dlwidgets serve`` (its own process) on the same workspace."""
    token = create_token(workspace_secret(home), local_user())
    with serve_process(home) as (url, _), dw.connect(url, token=token) as client:
        remote = client.datasets.get(dataset_id=source.id)
        target = client.projects.create(project_name="target-http").datasets.create(dataset_name="target")
        target.items.upload(local_path=str(images))
        return round_trip(remote, target, folder, boxes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--boxes", type=int, default=100_000)
    parser.add_argument("--no-http", action="store_true", help="skip the same through dlwidgets serve")
    args = parser.parse_args()
    with scratch("converter") as tmp, fresh_workspace(tmp):
        write_pngs(tmp / "images", args.images)
        progress(f"storing {args.images:,} images and {args.boxes:,} boxes ...")
        source = new_dataset("source")
        stored = fill(source, tmp / "images", args.boxes)
        assert stored == args.boxes, f"{stored} of {args.boxes} boxes stored"
        target = new_dataset("target")
        target.items.upload(local_path=str(tmp / "images"))
        progress("exporting and importing, embedded ...")
        local = round_trip(source, target, tmp / "coco", args.boxes)
        if not args.no_http:
            progress("exporting and importing through dlwidgets serve ...")
            http = over_http(tmp / "workspace", source, tmp / "images", tmp / "coco-http", args.boxes)
    figures = [
        Figure(f"COCO export, {args.images:,} images / {args.boxes:,} boxes", args.boxes / local["export_s"],
               "ann/s", EXPORT_GOAL),
        Figure("  per second of this process's CPU time", args.boxes / local["export_cpu_s"], "ann/s"),
        Figure("  export memory growth (peak RSS)", local["memory_mib"], "MiB", MEMORY_GOAL_MIB,
               higher_is_better=False),
        Figure("COCO import of the same file (onto the same images)", args.boxes / local["import_s"], "ann/s",
               IMPORT_GOAL),
        Figure("  per second of this process's CPU time", args.boxes / local["import_cpu_s"], "ann/s"),
    ]  # fmt: skip
    if not args.no_http:
        figures += [
            Figure("COCO export through dlwidgets serve", args.boxes / http["export_s"], "ann/s"),
            Figure("  export memory growth of this client (peak RSS)", http["memory_mib"], "MiB"),
            Figure("COCO import through dlwidgets serve", args.boxes / http["import_s"], "ann/s"),
        ]
    return report(*figures)


if __name__ == "__main__":
    sys.exit(main())
