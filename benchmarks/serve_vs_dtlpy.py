"""``dlwidgets`` against the official ``dtlpy`` SDK, both through one ``dlwidgets serve``.

Starts ``dlwidgets serve`` on a fresh workspace in its own process, then, with each client in turn:

- uploads a folder of 1,000 small JPEGs (``dataset.items.upload(local_path=<folder>)``);
- lists a dataset of 100,000 items, every page (``for page in dataset.items.list(): ...``).

dtlpy runs in a subprocess with its own ``HOME`` and ``DATALOOP_PATH`` (it reads its configuration at
import); only its calls are timed, not its start-up. The 100,000 items are written straight into the
workspace's SQLite (one tiny item, copied), since uploading them would take minutes. Goal: dlwidgets at
least 2x dtlpy's items/s for both.

    .venv/bin/python benchmarks/serve_vs_dtlpy.py [--files 1000] [--items 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from _common import Figure, progress, report, scratch, write_jpegs
from official_sdk import dtlpy_env
from serving import serve_process

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.store.ids import new_id

EMAIL = "bench@example.com"
GOAL_RATIO = 2.0


@contextmanager
def dlwidgets_serve(home: Path) -> Iterator[str]:
    """``dlwidgets serve`` on a free loopback port, in its own process; yields the API base URL."""
    with serve_process(home) as (url, _):
        yield url


def copy_items(home: Path, dataset_id: str, count: int) -> None:
    """Grow a dataset holding one item to ``count`` items, copies of it under new ids and names."""
    with sqlite3.connect(home / "workspace.sqlite", timeout=30) as db:
        db.row_factory = sqlite3.Row
        template = dict(db.execute("SELECT * FROM items WHERE dataset_id = ?", (dataset_id,)).fetchone())
        columns = list(template)
        rows = []
        for i in range(1, count):
            name = f"{i:06d}.bin"
            rows.append(
                tuple(
                    {**template, "id": new_id(), "name": name, "filename": f"/many/{name}"}[c]
                    for c in columns
                )
            )
        db.executemany(
            f"INSERT INTO items ({', '.join(columns)}) VALUES ({','.join('?' * len(columns))})", rows
        )


def run_dtlpy(step: str, url: str, token: str, workdir: Path, inputs: dict[str, Any]) -> dict[str, Any]:
    """Run ``step`` of this script's dtlpy side in a fresh process whose home is ``workdir``."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = dtlpy_env(workdir, url, token, inputs)
    done = subprocess.run(
        [sys.executable, __file__, "--dtlpy", step],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"dtlpy {step} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return dict(json.loads(lines[-1].removeprefix("RESULT ")))


def dtlpy_side(step: str) -> None:
    """In the subprocess: connect dtlpy to the server, run ``step`` and print ``RESULT <json>``."""
    import logging

    import dtlpy as dl

    logging.getLogger("dtlpy").setLevel(logging.ERROR)
    url, token = os.environ["DLW_URL"], os.environ["DLW_TOKEN"]
    inputs = json.loads(os.environ["DLW_INPUTS"])
    gate = url.removesuffix("/api/v1")
    dl.add_environment(
        environment=url, gate_url=gate, url=gate + "/", alias="local", verify_ssl=False, token=token
    )
    dl.setenv("local")
    dl.login_token(token)
    dataset = dl.datasets.get(dataset_id=inputs["dataset_id"])
    start = time.perf_counter()
    if step == "upload":
        uploaded = dataset.items.upload(
            local_path=inputs["folder"], remote_path="/dtlpy", raise_on_error=True
        )
        count = len(list(uploaded))
    else:
        count = 0
        for page in dataset.items.list():
            count += sum(1 for _ in page)
    print("RESULT " + json.dumps({"count": count, "seconds": time.perf_counter() - start}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    with scratch("serve-vs-dtlpy") as tmp:
        folder = tmp / "images"
        progress(f"writing {args.files:,} JPEGs ...")
        write_jpegs(folder, args.files)
        home = tmp / "workspace"
        token = create_token(workspace_secret(home), EMAIL)
        with dlwidgets_serve(home) as url:
            client = dw.connect(url, token=token)
            project = client.projects.create(project_name="bench")
            targets = {name: project.datasets.create(dataset_name=name) for name in ("dw", "dtlpy", "many")}

            progress(f"dlwidgets: uploading {args.files:,} files ...")
            start = time.perf_counter()
            items = targets["dw"].items.upload(local_path=str(folder), remote_path="/dw")
            dw_upload = time.perf_counter() - start
            assert isinstance(items, list) and len(items) == args.files, "dlwidgets did not upload every file"

            progress(f"dtlpy: uploading {args.files:,} files ...")
            inputs = {"dataset_id": targets["dtlpy"].id, "folder": str(folder)}
            dl_upload = run_dtlpy("upload", url, token, tmp / "dtlpy", inputs)
            assert dl_upload["count"] == args.files, f"dtlpy uploaded {dl_upload['count']} files"
            assert targets["dtlpy"].items.list().items_count == args.files

            progress(f"writing {args.items:,} items ...")
            targets["many"].items.upload(local_path=b"x", remote_path="/many", remote_name="000000.bin")
            copy_items(home, targets["many"].id, args.items)

            progress(f"dlwidgets: listing {args.items:,} items ...")
            start = time.perf_counter()
            listed = sum(len(page) for page in targets["many"].items.list())
            dw_list = time.perf_counter() - start
            assert listed == args.items, f"dlwidgets listed {listed} items"

            progress(f"dtlpy: listing {args.items:,} items ...")
            dl_list = run_dtlpy("list", url, token, tmp / "dtlpy", {"dataset_id": targets["many"].id})
            assert dl_list["count"] == args.items, f"dtlpy listed {dl_list['count']} items"
            client.close()

    dw_up, dl_up = args.files / dw_upload, args.files / dl_upload["seconds"]
    dw_ls, dl_ls = args.items / dw_list, args.items / dl_list["seconds"]
    return report(
        Figure(f"upload {args.files:,} small files, dlwidgets", dw_up, "items/s"),
        Figure(f"upload {args.files:,} small files, dtlpy", dl_up, "items/s"),
        Figure("  upload: dlwidgets / dtlpy", dw_up / dl_up, "x", GOAL_RATIO),
        Figure(f"list {args.items:,} items (every page), dlwidgets", dw_ls, "items/s"),
        Figure(f"list {args.items:,} items (every page), dtlpy", dl_ls, "items/s"),
        Figure("  list: dlwidgets / dtlpy", dw_ls / dl_ls, "x", GOAL_RATIO),
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--dtlpy"]:
        dtlpy_side(sys.argv[2])
        sys.exit(0)
    sys.exit(main())
