"""Reading an item while another process overwrites it: every read gets one whole version, old or new.

An overwriter process keeps replacing one item with versions of different sizes while this process reads
it, embedded and over HTTP. No read may fail, and each read's bytes must be one version whole, with the
size (``content-length``) and checksum (``etag``: the sha256) that the same answer reports.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image
from serving import serving

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret

VERSIONS = 6
RACE_S = 6.0
USER = "ann@example.com"

# Overwrites /race/<name> with each version in turn until the stop file appears; a PNG item gets a new
# picture each time.
OVERWRITER = r"""
import sys
from pathlib import Path

import numpy
from PIL import Image

import dlwidgets as dw

home, files, name = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
dataset = dw.connect(home=home).projects.get(project_name="p").datasets.get(dataset_name="d")
n = 0
while not (files / "stop").exists():
    for version in sorted(files.glob("v*.*")):
        dataset.items.upload(local_path=version, remote_path="/race", remote_name=name, overwrite=True)
        n += 1
        if n == 2:
            (files / "started").touch()
        if name.endswith(".png"):  # a picture never seen before, so its thumbnail is made anew
            noise = numpy.random.default_rng(n).integers(0, 256, (64, 64 + n % 7, 3), dtype=numpy.uint8)
            Image.fromarray(noise).save(version)
print(n)
"""


@contextmanager
def overwriting(home: Path, files: Path, name: str = "item.bin") -> Iterator[None]:
    """The overwriter running against ``home`` for the duration of the block."""
    process = subprocess.Popen(
        [sys.executable, "-c", OVERWRITER, str(home), str(files), name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (files / "started").exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the overwriter did not start"
            time.sleep(0.02)
        yield
        (files / "stop").touch()
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert int(out) > 4, f"the overwriter wrote only {out.strip()} versions: no race happened"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def read_while_overwritten(client: dw.Client, files: Path, versions: dict[str, bytes]) -> int:
    """Read the racing item until RACE_S is up, checking each read; returns how many reads were made."""
    dataset = client.projects.get(project_name="p").datasets.get(dataset_name="d")
    item = dataset.items.get("/race/item.bin")
    reads = 0
    deadline = time.monotonic() + RACE_S
    while time.monotonic() < deadline:
        with client.stream("GET", f"/items/{item.id}/stream") as response:
            data = response.read()
            assert len(data) == int(response.headers["content-length"])
            assert response.headers.get("etag") == f'"{hashlib.sha256(data).hexdigest()}"'
        assert hashlib.sha256(data).hexdigest() in versions
        # A download through a copy fetched before the overwrite saves the version it got, whole.
        saved = Path(item.download(local_path=files / "downloads" / "item.bin"))
        assert hashlib.sha256(saved.read_bytes()).hexdigest() in versions
        assert item.read() in versions.values()
        reads += 1
    return reads


@pytest.fixture
def race(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, dict[str, bytes]]:
    """A workspace holding the racing item, and the versions the overwriter cycles through."""
    monkeypatch.setenv("DLWIDGETS_EMAIL", USER)
    home, files = tmp_path / "ws", tmp_path / "files"
    files.mkdir()
    versions = {}
    for k in range(VERSIONS):
        data = os.urandom(100_000 * (k + 1) + k)
        (files / f"v{k}.bin").write_bytes(data)
        versions[hashlib.sha256(data).hexdigest()] = data
    with dw.connect(home=home) as client:
        dataset = client.projects.create(project_name="p").datasets.create(dataset_name="d")
        dataset.items.upload(local_path=files / "v0.bin", remote_path="/race", remote_name="item.bin")
    return home, files, versions


def test_embedded_reads_during_overwrites_get_one_whole_version(
    race: tuple[Path, Path, dict[str, bytes]],
) -> None:
    home, files, versions = race
    with dw.connect(home=home) as client, overwriting(home, files):
        assert read_while_overwritten(client, files, versions) > 10


def test_reads_over_http_during_overwrites_get_one_whole_version(
    race: tuple[Path, Path, dict[str, bytes]],
) -> None:
    home, files, versions = race
    with serving(home) as url, overwriting(home, files):
        client = dw.connect(url, token=create_token(workspace_secret(home), USER))
        assert read_while_overwritten(client, files, versions) > 10


def test_an_item_whose_bytes_are_gone_says_so(race: tuple[Path, Path, dict[str, bytes]]) -> None:
    home, _, _ = race
    with dw.connect(home=home) as client:
        dataset = client.projects.get(project_name="p").datasets.get(dataset_name="d")
        item = dataset.items.get("/race/item.bin")
        next(home.glob("blobs/??/*")).unlink()
        with pytest.raises(dw.exceptions.InternalServerError, match=r"'/race/item\.bin'.* has lost its"):
            item.read()


def test_thumbnails_during_overwrites_are_of_one_version(tmp_path: Path) -> None:
    home, files = tmp_path / "ws", tmp_path / "files"
    files.mkdir()
    picture = files / "v0.png"
    Image.new("RGB", (64, 48), "gray").save(picture)
    with dw.connect(home=home) as client:
        dataset = client.projects.create(project_name="p").datasets.create(dataset_name="d")
        item = dataset.items.upload(local_path=picture, remote_path="/race", remote_name="item.png")
        assert isinstance(item, dw.Item)
        with overwriting(home, files, "item.png"):
            deadline, thumbnails = time.monotonic() + RACE_S, 0
            while time.monotonic() < deadline:
                assert Image.open(io.BytesIO(item.thumbnail())).format == "JPEG"
                thumbnails += 1
    assert thumbnails > 10
