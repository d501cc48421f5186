"""The dropzone's chunk protocol, driven the way the browser drives it: chunks in and out of order,
duplicated, missing, too long or too short, cancelled; and what the workspace holds afterwards."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import dlwidgets as dw
from dlwidgets.widgets.dropzone import COLAB_CHUNK, DEFAULT_CHUNK, Dropzone, UploadFailure
from dlwidgets.widgets.models.chunked_upload import (
    ChunkedFile,
    TransferError,
    is_accepted,
    split_relative_path,
)

REPO = Path(__file__).resolve().parents[2]
CHUNK = 1000


class Browser:
    """Sends what the browser would, records what the kernel answers."""

    def __init__(self, dropzone: Dropzone) -> None:
        self.dropzone = dropzone
        self.replies: list[dict[str, Any]] = []
        dropzone.send = lambda content, buffers=None: self.replies.append(content)  # type: ignore[method-assign]

    def begin(self, file_id: str, path: str, size: int, chunk: int = CHUNK, mimetype: str = "") -> str:
        self.dropzone.handle_message(
            {"type": "begin", "id": file_id, "path": path, "size": size, "chunk": chunk, "mimetype": mimetype}
        )
        return str(self.replies[-1].get("status"))

    def chunk(self, file_id: str, index: int, data: bytes, chunk: int = CHUNK) -> None:
        message = {"type": "chunk", "id": file_id, "index": index, "offset": index * chunk}
        self.dropzone.handle_message(message, [memoryview(data)])

    def end(self, file_id: str, chunks: int) -> dict[str, Any]:
        self.dropzone.handle_message({"type": "end", "id": file_id, "chunks": chunks})
        return self.replies[-1]

    def finish(self) -> None:
        """No file left to send: the drop is over."""
        self.dropzone.handle_message({"type": "finished"})

    def send_file(
        self, file_id: str, path: str, data: bytes, order: list[int] | None = None
    ) -> dict[str, Any]:
        assert self.begin(file_id, path, len(data)) == "uploading"
        pieces = [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)]
        for index in order if order is not None else range(len(pieces)):
            self.chunk(file_id, index, pieces[index])
        return self.end(file_id, len(pieces))


@pytest.fixture
def dropzone(dataset: dw.Dataset) -> Dropzone:
    return Dropzone(dataset, remote_path="/images")


@pytest.fixture
def browser(dropzone: Dropzone) -> Browser:
    return Browser(dropzone)


def stored(dataset: dw.Dataset, filepath: str) -> bytes:
    return dataset.items.get(filepath=filepath).read()


def scratch_files(dropzone: Dropzone) -> list[Path]:
    return list(dropzone._scratch.iterdir())


def test_chunks_in_any_order_become_one_item(
    dropzone: Dropzone, browser: Browser, dataset: dw.Dataset
) -> None:
    data = os.urandom(4500)
    uploaded: list[dw.Item] = []
    dropzone.on_upload(uploaded.append)
    reply = browser.send_file("f1", "a.bin", data, order=[3, 0, 4, 2, 1])
    assert reply["status"] == "done"
    assert reply["item"]["filename"] == "/images/a.bin"
    assert stored(dataset, "/images/a.bin") == data
    assert [i.filename for i in uploaded] == [i.filename for i in dropzone.items] == ["/images/a.bin"]
    acks = [r["index"] for r in browser.replies if r["type"] == "ack"]
    assert acks == [3, 0, 4, 2, 1]
    assert scratch_files(dropzone) == [], "the temporary file is gone"


def test_a_duplicate_chunk_is_acknowledged_and_ignored(browser: Browser, dataset: dw.Dataset) -> None:
    data = os.urandom(2500)
    reply = browser.send_file("f1", "dup.bin", data, order=[0, 1, 1, 0, 2])
    assert reply["status"] == "done"
    assert hashlib.sha256(stored(dataset, "/images/dup.bin")).digest() == hashlib.sha256(data).digest()


def test_a_missing_chunk_fails_the_file_and_stores_nothing(
    dropzone: Dropzone, browser: Browser, dataset: dw.Dataset
) -> None:
    reply = browser.send_file("f1", "gap.bin", os.urandom(3500), order=[0, 1, 3])
    assert reply["status"] == "failed"
    assert "1 of 4 chunks never arrived: 2" in reply["reason"]
    assert reply["path"] == "/images/gap.bin"
    assert dropzone.errors == [UploadFailure("/images/gap.bin", reply["reason"])]
    assert dataset.items.list().items_count == 0
    assert scratch_files(dropzone) == []


@pytest.mark.parametrize(
    ("announced", "sent", "reason"),
    [
        (2500, 3000, "chunk 2 has 1000 bytes, expected 500"),  # the file grew
        (2500, 2000, "the browser sent 2 chunks"),  # the file shrank by a whole chunk
        (2500, 2200, "chunk 2 has 200 bytes, expected 500"),  # it shrank within the last chunk
    ],
)
def test_a_wrong_total_size_fails_the_file(
    dropzone: Dropzone, browser: Browser, dataset: dw.Dataset, announced: int, sent: int, reason: str
) -> None:
    data = os.urandom(sent)
    assert browser.begin("f1", "size.bin", announced) == "uploading"
    pieces = [data[i : i + CHUNK] for i in range(0, sent, CHUNK)]
    for index, piece in enumerate(pieces):
        if index < 3:
            browser.chunk("f1", index, piece)
    reply = browser.end("f1", len(pieces))
    failures = [r for r in browser.replies if r.get("status") == "failed"]
    assert len(failures) == 1 and reason in failures[0]["reason"], browser.replies
    assert reply["type"] in ("status", "ack")
    assert dataset.items.list().items_count == 0
    assert scratch_files(dropzone) == []


def test_chunks_out_of_range_or_misplaced_are_refused() -> None:
    file = ChunkedFile(2500, CHUNK, Path(os.environ.get("TMPDIR", "/tmp")))
    try:
        with pytest.raises(TransferError, match="outside the 3 chunks"):
            file.write(3, 3000, b"x")
        with pytest.raises(TransferError, match="starts at byte 10, expected 1000"):
            file.write(1, 10, b"x" * CHUNK)
    finally:
        file.discard()
    assert not file.path.exists()


def test_cancel_removes_the_partial_file(dropzone: Dropzone, browser: Browser, dataset: dw.Dataset) -> None:
    assert browser.begin("f1", "big.bin", 5000) == "uploading"
    browser.chunk("f1", 0, os.urandom(CHUNK))
    assert len(scratch_files(dropzone)) == 1
    dropzone.handle_message({"type": "cancel", "id": "f1"})
    assert browser.replies[-1] == {"type": "status", "id": "f1", "status": "cancelled"}
    browser.chunk("f1", 1, os.urandom(CHUNK))  # already in flight when the cancel went out: ignored
    assert browser.replies[-1]["status"] == "cancelled"
    assert scratch_files(dropzone) == []
    assert dataset.items.list().items_count == 0
    assert dropzone.errors == []


def test_a_file_that_changed_in_the_browser_fails_with_its_reason(
    dropzone: Dropzone, browser: Browser
) -> None:
    assert browser.begin("f1", "moving.bin", 5000) == "uploading"
    dropzone.handle_message({"type": "cancel", "id": "f1", "reason": "the file changed or disappeared"})
    assert browser.replies[-1]["status"] == "failed"
    assert dropzone.errors == [UploadFailure("/images/moving.bin", "the file changed or disappeared")]


def test_zero_bytes_unicode_spaces_dots_and_folders(browser: Browser, dataset: dw.Dataset) -> None:
    assert browser.send_file("e", "empty.txt", b"")["status"] == "done"
    assert browser.send_file("u", "Fotos 2024/sub dir/été x..y.txt", b"abc")["status"] == "done"
    assert stored(dataset, "/images/empty.txt") == b""
    assert stored(dataset, "/images/Fotos 2024/sub dir/été x..y.txt") == b"abc"


def test_dotdot_folders_are_refused(browser: Browser, dataset: dw.Dataset) -> None:
    assert browser.begin("f1", "../escape.jpg", 3) == "failed"
    assert "'..' as a folder" in browser.replies[-1]["reason"]
    assert dataset.items.list().items_count == 0


def test_existing_items_are_skipped_unless_overwrite(
    dropzone: Dropzone, browser: Browser, dataset: dw.Dataset
) -> None:
    assert browser.send_file("1", "a.bin", b"first")["status"] == "done"
    assert browser.begin("2", "a.bin", 6) == "skipped", "skipped before any byte is sent"
    assert browser.replies[-1]["path"] == "/images/a.bin"
    dropzone.overwrite = True
    assert browser.send_file("3", "a.bin", b"second")["status"] == "done"
    assert stored(dataset, "/images/a.bin") == b"second"
    assert len(dropzone.items) == 2


def test_two_files_with_one_name_racing_do_not_clobber(browser: Browser, dataset: dw.Dataset) -> None:
    assert browser.begin("1", "same.bin", 3) == "uploading"
    assert browser.begin("2", "same.bin", 3) == "uploading"
    browser.chunk("1", 0, b"one")
    browser.chunk("2", 0, b"two")
    assert browser.end("1", 1)["status"] == "done"
    assert browser.end("2", 1)["status"] == "skipped"
    assert stored(dataset, "/images/same.bin") == b"one"


def test_type_and_size_limits_are_checked_in_the_kernel_too(dataset: dw.Dataset) -> None:
    dropzone = Dropzone(dataset, accept="image/*", max_file_size=10)
    browser = Browser(dropzone)
    assert browser.begin("1", "notes.txt", 3) == "failed"
    assert "not of an accepted type (image/*)" in browser.replies[-1]["reason"]
    assert browser.begin("2", "big.png", 11) == "failed"
    assert "11 bytes; the limit is 10" in browser.replies[-1]["reason"]
    assert browser.begin("3", "ok.heic", 3, mimetype="image/heic") == "uploading"


def test_a_failing_callback_is_shown_and_the_upload_stands(dropzone: Dropzone, browser: Browser) -> None:
    dropzone.on_upload(lambda item: 1 / 0)
    assert browser.send_file("1", "a.bin", b"x")["type"] == "notice"
    assert "ZeroDivisionError" in browser.replies[-1]["error"]
    assert len(dropzone.items) == 1


def test_closing_removes_partial_files(dropzone: Dropzone, browser: Browser) -> None:
    browser.begin("1", "a.bin", 5000)
    browser.chunk("1", 0, os.urandom(CHUNK))
    scratch = dropzone._scratch
    dropzone.close()
    assert not scratch.exists()


def test_chunk_size_is_1_mib_on_colab(dataset: dw.Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Dropzone(dataset).max_chunk == DEFAULT_CHUNK
    monkeypatch.setattr("dlwidgets.widgets.dropzone.running_on_colab", lambda: True)
    assert Dropzone(dataset).max_chunk == COLAB_CHUNK == 1 << 20


def test_unknown_arguments_and_wrong_sources_raise(dataset: dw.Dataset) -> None:
    with pytest.raises(TypeError):
        Dropzone(dataset, remote="/x")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="needs a Dataset"):
        Dropzone("street")  # type: ignore[arg-type]
    assert dw.Dropzone is Dropzone


def test_paths_and_accept_lists() -> None:
    assert split_relative_path("photos/./2024//a b.jpg") == ("photos/2024", "a b.jpg")
    assert split_relative_path("x..y.jpg") == ("", "x..y.jpg")
    for bad in ("a/../b.jpg", "", "a\\b.jpg", "/"):
        with pytest.raises(TransferError):
            split_relative_path(bad)
    assert is_accepted("A.JPG", "", "image/*")
    assert is_accepted("a.pdf", "", "image/*, .pdf")
    assert not is_accepted("a.txt", "text/plain", "image/*")


def test_js_unit_tests() -> None:
    """The browser-side chunker and flow control (js/dropzone.test.mjs), under node's test runner."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but node is missing: the JS unit tests need node >= 20")
        pytest.skip("node not found: the JS unit tests (node --test js/) need node >= 20; set CI=1 to fail")
    result = subprocess.run(
        [node, "--test", "js/"], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
