"""What the API benchmarks share: a fresh workspace in a temporary folder, test data, and result lines.

Every script prints one line per figure, ``PASS`` or ``MISS`` against the goal, and exits with status 1
when a goal is missed. Temporary folders are made in ``$TMPDIR`` (default ``/tmp``) and removed afterwards.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dlwidgets as dw
from dlwidgets.api import default

# The tests' helpers that start servers (tests/serving.py) are reused here rather than written twice.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


@dataclass
class Figure:
    """One measured figure and its goal; ``higher_is_better`` says which side of the goal passes."""

    name: str
    measured: float
    unit: str
    goal: float | None = None
    higher_is_better: bool = True

    @property
    def passed(self) -> bool | None:
        if self.goal is None:
            return None
        return self.measured >= self.goal if self.higher_is_better else self.measured <= self.goal

    def line(self) -> str:
        verdict = {True: "PASS", False: "MISS", None: "    "}[self.passed]
        text = f"{verdict}  {self.name:<56} {_num(self.measured):>9} {self.unit:<8}"
        if self.goal is not None:
            text += f" goal {'>=' if self.higher_is_better else '<='} {_num(self.goal)} {self.unit}"
        return text.rstrip()


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def report(*figures: Figure) -> int:
    """Print the figures; the exit status: 0 when every goal is met, 1 otherwise."""
    for figure in figures:
        print(figure.line(), flush=True)
    return 0 if all(f.passed is not False for f in figures) else 1


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"dlwidgets-bench-{prefix}-") as tmp:
        yield Path(tmp)


@contextmanager
def fresh_workspace(tmp: Path) -> Iterator[dw.Client]:
    """A new embedded workspace under ``tmp``, as the default client (so ``dw.projects`` acts on it)."""
    client = dw.connect(home=str(tmp / "workspace"))
    try:
        yield client
    finally:
        client.close()
        default._client = None


def new_dataset(name: str = "bench") -> dw.Dataset:
    project = dw.projects.create(project_name=f"{name}-project")
    return project.datasets.create(dataset_name=name)


def write_jpegs(folder: Path, count: int, side: int = 112, quality: int = 85) -> int:
    """``count`` distinct noise JPEGs of about 10 KB each in ``folder``; returns their total size."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(count):
        image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality)
        data = buffer.getvalue()
        (folder / f"img-{i:06d}.jpg").write_bytes(data)
        total += len(data)
    return total


def file_create_us(folder: Path, count: int = 300) -> float:
    """Median time to create one small file in ``folder``, in microseconds: the floor under any store
    that keeps one file per item. The files stay until ``folder`` is removed."""
    folder.mkdir(parents=True, exist_ok=True)
    times = []
    for i in range(count):
        start = time.perf_counter()
        with open(folder / f"probe-{i}", "xb") as f:
            f.write(b"x")
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def progress(message: str) -> None:
    """A setup note on stderr, so stdout holds only the result lines."""
    print(message, file=sys.stderr, flush=True)


def sized_arguments(doc: str, items: int, repeat: int) -> argparse.Namespace:
    """The command line of a benchmark over ``--items`` items, timing each call ``--repeat`` times."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--items", type=int, default=items)
    parser.add_argument("--repeat", type=int, default=repeat)
    return parser.parse_args()
