"""What an interrupted upload leaves: nothing once it has failed, and nothing after the next open once
the process writing it was killed."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.store import Workspace

USER = "ann@example.com"

# Uploads from a stream that sends 8 MB, says so, and then never ends: the test kills it there.
STALLED_UPLOAD = r"""
import io, sys, time
from pathlib import Path

import dlwidgets as dw

home, stalled = sys.argv[1], Path(sys.argv[2])


class Stalling(io.RawIOBase):
    sent = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.sent >= 8 << 20:
            stalled.touch()
            time.sleep(3600)
        n = min(len(buffer), 1 << 16)
        buffer[:n] = b"x" * n
        self.sent += n
        return n


dataset = dw.connect(home=home).projects.get(project_name="p").datasets.get(dataset_name="d")
dataset.items.upload(local_path=io.BufferedReader(Stalling()), remote_path="/", remote_name="big.bin")
"""


class FailingStream(io.RawIOBase):
    """A source that breaks after 2 MB, as a file on a failing disk or a network share would."""

    sent = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.sent >= 2 << 20:
            raise OSError("the source broke half-way")
        n = min(len(buffer), 1 << 16)
        buffer[:n] = b"y" * n
        self.sent += n
        return n


def temp_files(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "blobs" / "tmp").iterdir())


@pytest.fixture
def dataset_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DLWIDGETS_EMAIL", USER)
    home = tmp_path / "ws"
    with dw.connect(home=home) as client:
        client.projects.create(project_name="p").datasets.create(dataset_name="d")
    return home


def test_the_next_open_removes_what_a_killed_upload_left(dataset_home: Path, tmp_path: Path) -> None:
    stalled = tmp_path / "stalled"
    process = subprocess.Popen([sys.executable, "-c", STALLED_UPLOAD, str(dataset_home), str(stalled)])
    try:
        deadline = time.monotonic() + 120
        while not stalled.exists():
            assert process.poll() is None, "the upload ended before it stalled"
            assert time.monotonic() < deadline, "the upload did not start"
            time.sleep(0.05)
        time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    left = temp_files(dataset_home)
    assert left and (dataset_home / "blobs" / "tmp" / left[0]).stat().st_size > 1 << 20

    Workspace(dataset_home).close()
    assert temp_files(dataset_home) == []


def test_a_live_process_keeps_its_upload_in_flight(dataset_home: Path) -> None:
    workspace = Workspace(dataset_home)
    writer = workspace.blobs.writer()
    writer.write(b"still arriving")
    Workspace(dataset_home).close()
    assert writer.path.exists()
    # Even stalled for hours (a paused client), and with the hourly sweep due.
    two_hours_ago = time.time() - 7200
    for path in (writer.path, dataset_home / "blobs" / ".swept"):
        os.utime(path, (two_hours_ago, two_hours_ago))
    Workspace(dataset_home).close()
    assert writer.path.exists()
    writer.discard()
    workspace.close()


def test_a_failed_embedded_upload_removes_its_temp_file_at_once(dataset_home: Path) -> None:
    with dw.connect(home=dataset_home) as client:
        dataset = client.projects.get(project_name="p").datasets.get(dataset_name="d")
        with pytest.raises(OSError, match="broke half-way"):
            dataset.items.upload(local_path=io.BufferedReader(FailingStream()), remote_name="x.bin")
        assert temp_files(dataset_home) == []


def test_a_failed_upload_over_http_removes_its_temp_file_at_once(dataset_home: Path) -> None:
    with serving(dataset_home) as url:
        client = dw.connect(url, token=create_token(workspace_secret(dataset_home), USER))
        dataset = client.projects.get(project_name="p").datasets.get(dataset_name="d")
        with pytest.raises(OSError, match="broke half-way"):
            dataset.items.upload(local_path=io.BufferedReader(FailingStream()), remote_name="x.bin")
        time.sleep(0.5)
        assert temp_files(dataset_home) == []
    assert os.listdir(dataset_home / "blobs" / "tmp") == []
