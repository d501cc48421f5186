"""One workspace, many writers: separate OS processes and threads sharing one client, all at once.

Every item and annotation written must be there afterwards with the right bytes and counts, and the
blob folder must hold exactly the blobs the items reference (nothing lost, nothing leaked).
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import dlwidgets as dw
from dlwidgets.api import connect

PROCESSES = 3
IMAGES_PER_PROCESS = 12
OVERWRITES_PER_PROCESS = 4
START_TIMEOUT_S = 120.0
RUN_TIMEOUT_S = 300.0

# Each worker process: open the workspace, say it is ready, wait for the start signal, then upload its
# images (each followed by its annotations), and overwrite one contended path several times.
WORKER = r"""
import sys, time
from pathlib import Path

import dlwidgets as dw

home, project_name, dataset_name, worker, count, overwrites, files = sys.argv[1:]
worker, count, overwrites, files = int(worker), int(count), int(overwrites), Path(files)

client = dw.connect(home=home)
dataset = dw.projects.get(project_name=project_name).datasets.get(dataset_name=dataset_name)
(files / f"ready-{worker}").touch()
deadline = time.monotonic() + 120
while not (files / "go").exists():
    if time.monotonic() > deadline:
        sys.exit("no start signal")
    time.sleep(0.005)

started = time.time()
for i in range(count):
    item = dataset.items.upload(local_path=files / f"w{worker}-{i}.png", remote_path=f"/w{worker}")
    builder = item.annotations.builder()
    builder.add(
        annotation_definition=dw.Box(top=i, left=worker, bottom=i + 5, right=worker + 7, label="cat"),
        object_id=i,
    )
    builder.add(annotation_definition=dw.Classification(label="dog"))
    item.annotations.upload(annotations=builder)
    shared = dataset.items.upload(
        local_path=files / "shared.png", remote_path="/shared", remote_name=f"w{worker}-{i}.png"
    )
    shared.annotations.upload(annotations=[dw.Point(x=worker, y=i, label="dog")])

for k in range(overwrites):
    dataset.items.upload(
        local_path=files / f"w{worker}-contended-{k}.png",
        remote_path="/contended",
        remote_name="same.png",
        overwrite=True,
    )
client.close()
print("worker", worker, "done", started, time.time())
"""


def png(seed: int, width: int = 16, height: int = 12) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def referenced_and_stored_blobs(home: Path) -> tuple[set[str], set[str]]:
    with closing(sqlite3.connect(f"file:{home / 'workspace.sqlite'}?mode=ro", uri=True)) as db:
        referenced = {row[0] for row in db.execute("SELECT blob FROM items")}
    stored = {p.name for p in (home / "blobs").glob("??/*")}
    return referenced, stored


def all_items(dataset: dw.Dataset) -> list[dw.Item]:
    return [item for page in dataset.items.list() for item in page]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path / "shared-workspace"


def test_processes_writing_one_workspace_at_once(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = tmp_path / "files"
    files.mkdir()
    expected: dict[str, bytes] = {}
    for worker in range(PROCESSES):
        for i in range(IMAGES_PER_PROCESS):
            data = png(seed=1000 * worker + i, width=16 + worker, height=12 + i)
            (files / f"w{worker}-{i}.png").write_bytes(data)
            expected[f"/w{worker}/w{worker}-{i}.png"] = data
        for k in range(OVERWRITES_PER_PROCESS):
            (files / f"w{worker}-contended-{k}.png").write_bytes(png(seed=50_000 + 100 * worker + k))
    shared = png(seed=99)
    (files / "shared.png").write_bytes(shared)

    monkeypatch.setenv("DLWIDGETS_EMAIL", "setup@example.com")
    with connect(home=workspace) as client:
        project = client.projects.create(project_name="concurrency")
        dataset = project.datasets.create(dataset_name="together")
        dataset.add_label(label_name="cat")
        dataset.add_label(label_name="dog")

    workers = []
    for worker in range(PROCESSES):
        env = {**os.environ, "DLWIDGETS_EMAIL": f"worker{worker}@example.com"}
        args = [
            workspace,
            "concurrency",
            "together",
            worker,
            IMAGES_PER_PROCESS,
            OVERWRITES_PER_PROCESS,
            files,
        ]
        workers.append(
            subprocess.Popen(
                [sys.executable, "-c", WORKER, *map(str, args)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not all((files / f"ready-{w}").exists() for w in range(PROCESSES)):
            failed = [p for p in workers if p.poll() is not None]
            assert not failed, failed[0].communicate()
            assert time.monotonic() < deadline, "the workers did not open the workspace in time"
            time.sleep(0.01)
        (files / "go").touch()
        spans = []
        for process in workers:
            out, err = process.communicate(timeout=RUN_TIMEOUT_S)
            assert process.returncode == 0, err
            _, _, done, started, ended = out.split()
            assert done == "done"
            spans.append((float(started), float(ended)))
        # The workers really wrote at the same time: there is an instant when all of them were running.
        assert max(start for start, _ in spans) < min(end for _, end in spans)
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait()

    with connect(home=workspace) as client:
        dataset = client.projects.get(project_name="concurrency").datasets.get(dataset_name="together")
        items = {item.filename: item for item in all_items(dataset)}
        shared_names = {f"/shared/w{w}-{i}.png" for w in range(PROCESSES) for i in range(IMAGES_PER_PROCESS)}
        assert set(items) == {*expected, *shared_names, "/contended/same.png"}

        for filename, data in expected.items():
            item = items[filename]
            worker = int(filename.split("/")[1][1:])
            assert item.creator == f"worker{worker}@example.com"
            assert item.size == len(data) and item.read() == data
            i = int(filename.rsplit("-", 1)[1].split(".")[0])
            assert (item.width, item.height) == (16 + worker, 12 + i)
            assert item.annotations_count == 2
            annotations = item.annotations.list()
            assert [(a.type, a.label) for a in annotations] == [("box", "cat"), ("class", "dog")]
            assert annotations[0].annotation_definition == dw.Box(
                top=i, left=worker, bottom=i + 5, right=worker + 7, label="cat"
            )
            assert annotations[0].object_id == str(i)

        for filename in shared_names:
            item = items[filename]
            assert item.read() == shared and item.annotations_count == 1

        contended = items["/contended/same.png"]
        candidates = {
            (files / f"w{w}-contended-{OVERWRITES_PER_PROCESS - 1}.png").read_bytes()
            for w in range(PROCESSES)
        }
        assert contended.read() in candidates
        assert contended.size == len(contended.read())

        total = len(expected) + len(shared_names) + 1
        fresh = dataset.items.get(item_id=contended.id).dataset
        assert (fresh.items_count, fresh.annotations_count) == (total, 2 * len(expected) + len(shared_names))

        downloads = tmp_path / "downloads"
        for filename, data in list(expected.items())[:: IMAGES_PER_PROCESS // 3]:
            path = items[filename].download(local_path=downloads / filename.strip("/").replace("/", "_"))
            assert Path(path).read_bytes() == data

    referenced, stored = referenced_and_stored_blobs(workspace)
    # Distinct contents: every worker image, the one shared image, the contended item's current bytes.
    assert stored == referenced and len(stored) == len(expected) + 2
    assert list((workspace / "blobs" / "tmp").iterdir()) == []


def test_threads_sharing_one_client(workspace: Path, tmp_path: Path) -> None:
    threads, per_thread = 8, 6
    with connect(home=workspace) as client:
        project = client.projects.create(project_name="threads")
        dataset = project.datasets.create(dataset_name="shared-client")
        dataset.add_label(label_name="cat")

        def work(thread: int) -> list[tuple[str, bytes]]:
            done = []
            for i in range(per_thread):
                data = png(seed=7000 + 100 * thread + i)
                item = dataset.items.upload(
                    local_path=data, remote_path=f"/t{thread}", remote_name=f"{i}.png", overwrite=True
                )
                assert isinstance(item, dw.Item)
                item.annotations.upload(
                    annotations=[
                        dw.Box(top=0, left=0, bottom=i + 1, right=thread + 1, label="cat"),
                        dw.Point(x=thread, y=i, label="cat"),
                    ]
                )
                # Reads interleave with other threads' writes.
                assert item.read() == data
                assert len(item.annotations.list()) == 2
                done.append((item.id, data))
            return done

        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = [pair for chunk in pool.map(work, range(threads)) for pair in chunk]

        assert len(results) == threads * per_thread
        items = {item.id: item for item in all_items(dataset)}
        assert set(items) == {item_id for item_id, _ in results}
        for item_id, data in results:
            item = items[item_id]
            assert item.read() == data and item.size == len(data)
            assert item.annotations_count == 2
            assert [a.type for a in item.annotations.list()] == ["box", "point"]
        refreshed = dataset.items.get(item_id=results[0][0]).dataset
        assert (refreshed.items_count, refreshed.annotations_count) == (len(results), 2 * len(results))

    referenced, stored = referenced_and_stored_blobs(workspace)
    assert stored == referenced and len(stored) == len(results)
    assert list((workspace / "blobs" / "tmp").iterdir()) == []


def test_threads_overwriting_one_path_keep_one_item_and_no_orphans(workspace: Path) -> None:
    threads, rounds = 6, 5
    with connect(home=workspace) as client:
        dataset = client.projects.create(project_name="race").datasets.create(dataset_name="race")
        versions = {(t, r): png(seed=9000 + 10 * t + r) for t in range(threads) for r in range(rounds)}

        def overwrite(thread: int) -> str:
            ids = set()
            for r in range(rounds):
                item = dataset.items.upload(
                    local_path=versions[(thread, r)],
                    remote_path="/race",
                    remote_name="one.png",
                    overwrite=True,
                )
                assert isinstance(item, dw.Item)
                ids.add(item.id)
            (only,) = ids
            return only

        with ThreadPoolExecutor(max_workers=threads) as pool:
            ids = set(pool.map(overwrite, range(threads)))

        (item_id,) = ids
        (item,) = all_items(dataset)
        assert item.id == item_id
        assert item.read() in {versions[(t, rounds - 1)] for t in range(threads)}

    referenced, stored = referenced_and_stored_blobs(workspace)
    assert stored == referenced and len(stored) == 1
