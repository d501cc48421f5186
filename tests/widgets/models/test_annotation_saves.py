"""Two processes saving different edits to one item at once: every save lands whole or is a Conflict that
keeps its edits, and nothing is lost, doubled or half-applied."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import dlwidgets as dw

WORKER = Path(__file__).with_name("save_worker.py")
SAVES = 200
TIMEOUT_S = 300.0


def test_two_processes_saving_one_item_lose_nothing(
    image_item: dw.Item, workspace_home: Path, tmp_path: Path
) -> None:
    writers = {
        tag: subprocess.Popen(
            [sys.executable, str(WORKER), str(workspace_home), image_item.id, tag, str(SAVES), str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("A", "B")
    }
    deadline = time.monotonic() + TIMEOUT_S
    while not all((tmp_path / f"ready-{tag}").exists() for tag in writers):
        assert all(w.poll() is None for w in writers.values()), "a writer exited before it was ready"
        assert time.monotonic() < deadline, "the writers did not get ready"
        time.sleep(0.01)
    (tmp_path / "go").touch()
    results = {}
    for tag, writer in writers.items():
        out, err = writer.communicate(timeout=TIMEOUT_S)
        assert writer.returncode == 0, f"writer {tag} failed:\n{err[-4000:]}"
        results[tag] = json.loads(out.strip().splitlines()[-1])

    for result in results.values():
        assert result["saves"] + result["conflicts"] == SAVES
        assert result["saves"] > 0
    assert sum(r["conflicts"] for r in results.values()) > 0, (
        "the writers never raced: the test proved nothing"
    )
    stored = image_item.annotations.list()
    assert sorted(a.object_id or "" for a in stored) == sorted(
        [*results["A"]["boxes"], *results["B"]["boxes"]]
    )
    assert {a.object_id: a.coordinates for a in stored} == {**results["A"]["boxes"], **results["B"]["boxes"]}
