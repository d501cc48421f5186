"""COCO export and import: 10,000 images with 100,000 boxes.

Fills a fresh embedded workspace with ``--images`` small PNGs and ``--boxes`` boxes spread evenly over
them (setup, not timed), then times ``dw.Converter().convert_dataset(..., to_format=COCO)`` while a
sampler watches the process's resident memory, and ``upload_local_dataset(from_format=COCO, ...)`` of
the written file onto a second dataset holding the same images (the annotations are what is imported).
Goals: export at least 20,000 annotations/s with at most 64 MiB of memory growth; import at least
5,000 annotations/s. Each rate is also given per second of the process's CPU time, which a machine
busy with other work slows less than the wall clock.

    .venv/bin/python benchmarks/converter.py [--images 10000] [--boxes 100000]
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
from pathlib import Path

import psutil
from _common import Figure, fresh_workspace, new_dataset, progress, report, scratch
from PIL import Image

import dlwidgets as dw

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--boxes", type=int, default=100_000)
    args = parser.parse_args()
    with scratch("converter") as tmp, fresh_workspace(tmp):
        write_pngs(tmp / "images", args.images)
        progress(f"storing {args.images:,} images and {args.boxes:,} boxes ...")
        source = new_dataset("source")
        stored = fill(source, tmp / "images", args.boxes)
        target = new_dataset("target")
        target.items.upload(local_path=str(tmp / "images"))
        gc.collect()
        progress("exporting ...")
        with PeakMemory() as memory:
            start, cpu = time.perf_counter(), time.process_time()
            path = dw.Converter().convert_dataset(dataset=source, to_format=dw.AnnotationFormat.COCO,
                                                  local_path=tmp / "coco")  # fmt: skip
            export_s, export_cpu_s = time.perf_counter() - start, time.process_time() - cpu
        written = len(json.loads(Path(path).read_text())["annotations"])
        assert written == stored == args.boxes, f"{written} of {stored} annotations exported"
        gc.collect()
        progress("importing ...")
        start, cpu = time.perf_counter(), time.process_time()
        dw.Converter().upload_local_dataset(from_format=dw.AnnotationFormat.COCO, dataset=target,
                                            local_annotations_path=path, remote_items=True)  # fmt: skip
        import_s, import_cpu_s = time.perf_counter() - start, time.process_time() - cpu
        imported = sum(item.annotations_count or 0 for item in target.items.list().all())
        assert imported == args.boxes, f"{imported} of {args.boxes} annotations imported"
    return report(
        Figure(f"COCO export, {args.images:,} images / {args.boxes:,} boxes", args.boxes / export_s, "ann/s",
               EXPORT_GOAL),
        Figure("  per second of this process's CPU time", args.boxes / export_cpu_s, "ann/s"),
        Figure("  export memory growth (peak RSS)", memory.growth_mib, "MiB", MEMORY_GOAL_MIB,
               higher_is_better=False),
        Figure("COCO import of the same file (onto the same images)", args.boxes / import_s, "ann/s",
               IMPORT_GOAL),
        Figure("  per second of this process's CPU time", args.boxes / import_cpu_s, "ann/s"),
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
