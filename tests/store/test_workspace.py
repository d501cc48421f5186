"""Opening a workspace clears what interrupted uploads left (at most once an hour), keeping stored bytes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import dlwidgets as dw
from dlwidgets.store import Workspace

HOUR_AGO = time.time() - 2 * 3600


def age(path: Path) -> Path:
    os.utime(path, (HOUR_AGO, HOUR_AGO))
    return path


def test_orphans_older_than_an_hour_go_and_stored_bytes_stay(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    client = dw.connect(home=home)
    dataset = client.projects.create(project_name="p").datasets.create(dataset_name="d")
    item = dataset.items.upload(local_path=b"kept bytes", remote_path="/", remote_name="kept.bin")
    client.close()
    blobs = home / "blobs"
    kept = next(p for p in blobs.glob("??/*"))
    age(kept)
    (blobs / "ab").mkdir(exist_ok=True)
    orphan = blobs / "ab" / ("ab" + "0" * 62)
    orphan.write_bytes(b"left by a crash between rename and commit")
    age(orphan)
    leftover = blobs / "tmp" / "upload-crashed"
    leftover.write_bytes(b"half an upload")
    age(leftover)
    fresh = blobs / "tmp" / "upload-in-flight"
    fresh.write_bytes(b"another process is writing this now")
    age(blobs / ".swept")

    Workspace(home).close()
    assert kept.exists() and not orphan.exists() and not leftover.exists() and fresh.exists()
    assert (
        dw.connect(home=home)
        .projects.get(project_name="p")
        .datasets.get(dataset_name="d")
        .items.get(item_id=item.id)
        .read()
        == b"kept bytes"
    )

    # Within the hour nobody scans again: opening stays cheap for the next process.
    orphan.write_bytes(b"another orphan")
    age(orphan)
    Workspace(home).close()
    assert orphan.exists()
    age(blobs / ".swept")
    Workspace(home).close()
    assert not orphan.exists()
