"""The kernel's time in ``Annotator(item, width=800, height=520)``, in this process, broken down.

The cases of benchmarks/peers.py (1 MP with 50 boxes, 12 MP with 1,000 boxes, 12 MP portrait with 50
boxes; three labels), each item fetched once before, as a kernel that has made an Annotator before. Every
widget message goes through a comm that builds and serialises it as ipykernel does (``json_clean`` and
``Session.send``, signed, without a socket), so the figures include what the kernel pays to put the
widgets on the wire. Prints per case the median CPU and wall ms of the call, the messages and bytes it
sends: for the item opened again unchanged (``again``: a cell run again, as benchmarks/peers.py runs it;
its annotations are not listed again, see stored_annotations) and for a first opening (``first``); with
``--breakdown`` the CPU ms of the parts below the Annotator's composition (reading the annotations, the
ontology, the image; drawing; the objects list), timed in every build opened again; with ``--profile``
the functions that cost most (cProfile, cumulative; the profiler itself slows the call down, so read its
ms as shares).

    .venv/bin/python benchmarks/annotator_build.py [--reps 15] [--breakdown] [--profile]
                                                   [--case 1mp|12mp|portrait]
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import io
import pstats
import statistics
import sys
import tempfile
import time
from typing import Any

import comm
import numpy as np
from comm.base_comm import BaseComm
from ipykernel.jsonutil import json_clean
from jupyter_client.session import Session
from PIL import Image

import dlwidgets as dw
from dlwidgets.widgets.annotator import annotator, panels
from dlwidgets.widgets.models import annotation_edits, stored_annotations

CANVAS = (800, 520)
CLASSES = {"car": "#00a050", "person": "#00a0c8", "probe": "#ff00ff"}
CASES = {"1mp": (1152, 864, 50), "12mp": (4000, 3000, 1000), "portrait": (3000, 4000, 50)}


class SerialisingComm(BaseComm):
    """A comm whose messages are built and serialised as ipykernel's are, then counted, not sent."""

    session = Session(key=b"benchmark")
    messages = 0
    sent_bytes = 0

    def publish_msg(
        self,
        msg_type: str,
        data: Any = None,
        metadata: Any = None,
        buffers: Any = None,
        **keys: Any,
    ) -> None:
        content = json_clean(dict(data=data or {}, comm_id=self.comm_id, **keys))
        msg = self.session.send(None, msg_type, content, metadata=json_clean(metadata or {}), buffers=buffers)
        assert msg is not None
        parts = self.session.serialize(msg)
        SerialisingComm.messages += 1
        SerialisingComm.sent_bytes += sum(len(p) for p in parts) + sum(
            memoryview(b).nbytes for b in buffers or ()
        )


def make_items(home: str) -> dict[str, Any]:
    """The three cases' items (gradients and noise as in peers.py, JPEG quality 90, with their boxes),
    each fetched as a user would."""
    dw.connect(home=home)
    dataset = dw.projects.create(project_name="build").datasets.create(dataset_name="build")
    ontology = dataset.ontology()
    for name, color in CLASSES.items():
        ontology.add_label(label_name=name, color=color)
    items = {}
    for seed, (case, (width, height, count)) in enumerate(CASES.items()):
        rng = np.random.default_rng(seed)
        x = np.linspace(0, 1, width, dtype=np.float32)[None, :]
        y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
        pixels = np.empty((height, width, 3), np.float32)
        pixels[..., 0], pixels[..., 1] = 40 + 100 * y, 60 + 150 * x
        pixels[..., 2] = 110 + 60 * np.sin(6 * x + 4 * y)
        pixels += rng.normal(0, 10, pixels.shape).astype(np.float32)
        buffer = io.BytesIO()
        Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).save(buffer, format="JPEG", quality=90)
        item = dataset.items.upload(
            local_path=buffer.getvalue(), remote_path="/build", remote_name=f"{case}.jpg"
        )
        builder = item.annotations.builder()
        labels = list(CLASSES)
        for k in range(count):
            x0, y0 = rng.uniform(0, 0.55 * width - 150), rng.uniform(0, height - 150)
            w, h = rng.uniform(20, 150, 2)
            builder.add(dw.Box(left=x0, top=y0, right=x0 + w, bottom=y0 + h, label=labels[k % 2]))
        item.annotations.upload(annotations=builder)
        items[case] = dataset.items.get(item_id=item.id)
    return items


# The parts --breakdown times: (class, method, what it does). A method renamed since is reported missing.
PARTS = [
    (annotation_edits.AnnotationEdits, "load", "annotations read (version + listing)"),
    (annotator.Annotator, "_load_ontology", "ontology read, label colours"),
    (annotator.Annotator, "_send_image", "image and thumbnail read, sent"),
    (annotator.Annotator, "_draw_annotations", "drawing commands, sent"),
    (panels.SidePanel, "show_edits", "objects list"),
]


class Breakdown:
    """CPU ms spent in each of PARTS per build, while installed (each method wrapped in a timer)."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}
        self.clear()
        self.missing = [f"{cls.__name__}.{name}" for cls, name, _ in PARTS if not hasattr(cls, name)]
        self._now: dict[str, float] = {}

    def clear(self) -> None:
        self.spent = {label: [] for *_, label in PARTS}

    def install(self) -> None:
        for cls, name, label in PARTS:
            if hasattr(cls, name):
                setattr(cls, name, self._timed(getattr(cls, name), label))

    def _timed(self, method: Any, label: str) -> Any:
        @functools.wraps(method)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.thread_time()
            try:
                return method(*args, **kwargs)
            finally:
                self._now[label] = self._now.get(label, 0.0) + (time.thread_time() - start) * 1000

        return timed

    def start(self) -> None:
        self._now = {}

    def stop(self) -> None:
        for label, spent in self.spent.items():
            spent.append(self._now.get(label, 0.0))

    def lines(self) -> list[str]:
        totals = [sum(parts) for parts in zip(*self.spent.values(), strict=True)]
        rows = [*self.spent.items(), ("all of them", totals)]
        lines = [
            f"    {label:<40} min {min(ms):6.2f}  median {statistics.median(ms):6.2f} ms"
            for label, ms in rows
        ]
        return lines + [f"    (not found: {name})" for name in self.missing]


def build(item: Any, breakdown: Breakdown | None = None, first: bool = False) -> tuple[float, float]:
    """One ``Annotator(item)``: its CPU and wall ms (closed after); ``first``: as the item's first opening
    (its annotations listed)."""
    gc.collect()
    if first:
        stored_annotations.forget()
    if breakdown is not None:
        breakdown.start()
    c0, t0 = time.thread_time(), time.perf_counter()
    built = dw.Annotator(item, width=CANVAS[0], height=CANVAS[1])
    cpu, wall = (time.thread_time() - c0) * 1000, (time.perf_counter() - t0) * 1000
    if breakdown is not None:
        breakdown.stop()
    built.close()
    return cpu, wall


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=15, help="Annotators built per case, timed")
    parser.add_argument("--breakdown", action="store_true", help="CPU ms of the parts below the composition")
    parser.add_argument("--profile", action="store_true", help="profile one more build per case")
    parser.add_argument("--case", choices=list(CASES), action="append", help="only this case (repeatable)")
    parser.add_argument("--top", type=int, default=40, help="functions listed per profile")
    args = parser.parse_args()
    comm.create_comm = SerialisingComm
    with tempfile.TemporaryDirectory(prefix="dlwidgets-annotator-build-") as home:
        items = make_items(home)
        build(items["1mp"])  # a kernel that has made an Annotator before
        breakdown = Breakdown() if args.breakdown else None
        if breakdown is not None:
            breakdown.install()
        for case in args.case or list(CASES):
            if breakdown is not None:
                breakdown.clear()
            runs = [build(items[case], breakdown) for _ in range(args.reps)]
            SerialisingComm.messages = SerialisingComm.sent_bytes = 0
            build(items[case])  # its messages counted
            messages, sent = SerialisingComm.messages, SerialisingComm.sent_bytes
            firsts = [build(items[case], first=True) for _ in range(args.reps)]
            for name, timed in (("again", runs), ("first", firsts)):
                cpu = statistics.median(r[0] for r in timed)
                wall = statistics.median(r[1] for r in timed)
                print(
                    f"{case:<9} {name:<6} CPU {cpu:6.1f} ms  wall {wall:6.1f} ms  (median of {args.reps})  "
                    f"{messages} messages, {sent:,} B",
                    flush=True,
                )
            if breakdown is not None:
                print("\n".join(breakdown.lines()), flush=True)
            if args.profile:
                profiler = cProfile.Profile()
                gc.collect()
                profiler.enable()
                profiled = dw.Annotator(items[case], width=CANVAS[0], height=CANVAS[1])
                profiler.disable()
                profiled.close()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
