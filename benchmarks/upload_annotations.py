"""Annotation upload: 10,000 boxes on one item in a single ``item.annotations.upload`` call.

Uploads one JPEG to a fresh embedded workspace, adds the labels to the dataset's ontology, builds 10,000
``dw.Box`` definitions over three labels, then times
``item.annotations.upload(annotations=boxes)``: the client's conversion, the batched requests through
``LocalTransport``, the store's checks and inserts, and the annotations parsed back. Each run is on a new
item of the same dataset; the figure is the median run. Goal: at most 1 s.

    .venv/bin/python benchmarks/upload_annotations.py [--count 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time

from _common import Figure, fresh_workspace, new_dataset, progress, report, scratch, write_jpegs

import dlwidgets as dw

GOAL_S = 1.0
LABELS = {"car": "#ff0000", "person": "#00ff00", "bike": "#0000ff"}


def boxes(count: int, seed: int) -> list[dw.Box]:
    rng = random.Random(seed)
    labels = list(LABELS)
    result = []
    for i in range(count):
        left, top = rng.uniform(0, 900), rng.uniform(0, 600)
        result.append(
            dw.Box(top=top, left=left, bottom=top + rng.uniform(5, 100), right=left + rng.uniform(5, 100),
                   label=labels[i % len(labels)])
        )  # fmt: skip
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = []
    with scratch("annotations") as tmp, fresh_workspace(tmp):
        write_jpegs(tmp / "images", args.runs)
        dataset = new_dataset()
        for name, color in LABELS.items():
            dataset.add_label(name, color)
        items = dataset.items.upload(local_path=str(tmp / "images"))
        assert isinstance(items, list)
        for run, item in enumerate(items):
            definitions = boxes(args.count, seed=run)
            gc.collect()  # every run starts from the same heap: the last run's results are gone
            start = time.perf_counter()
            created = item.annotations.upload(annotations=definitions)
            times.append(time.perf_counter() - start)
            assert len(created) == args.count and all(a.id for a in created), "not every box was stored"
            assert dataset.items.get(item_id=item.id).annotations_count == args.count
            del created, definitions
            progress(f"run {run + 1}: {times[-1]:.3f} s")
    median = statistics.median(times)
    return report(
        Figure(f"upload {args.count:,} boxes to one item (median of {args.runs})", median, "s", GOAL_S,
               higher_is_better=False),
        Figure("  throughput", args.count / median, "boxes/s"),
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
