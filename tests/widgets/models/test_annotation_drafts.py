"""The drafts model on its own: autosave on leaving and after an idle time, drafts kept with autosave
off, save states, failed saves that keep the edits, and warnings for drafts left unsaved at close or
when the process ends."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import dlwidgets as dw
from dlwidgets.widgets.models.annotation_drafts import AnnotationDrafts

REPO = Path(__file__).parents[2]


class IdleClock:
    """A stand-in for the kernel's event loop: what was scheduled runs when the test says time passed."""

    def __init__(self) -> None:
        self.pending: list[tuple[float, Callable[[], None], list[bool]]] = []

    def schedule(self, delay: float, callback: Callable[[], None]) -> Callable[[], None]:
        cancelled = [False]
        self.pending.append((delay, callback, cancelled))
        return lambda: cancelled.__setitem__(0, True)

    def wait(self) -> None:
        pending, self.pending = self.pending, []
        for _, callback, cancelled in pending:
            if not cancelled[0]:
                callback()


def box(left: float = 10, top: float = 10) -> dw.Box:
    return dw.Box(left=left, top=top, right=left + 40, bottom=top + 30, label="car")


@pytest.fixture
def items(dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes]) -> list[dw.Item]:
    return [
        dataset.items.upload(local_path=make_jpeg(100, 80), remote_path="/d", remote_name=f"{n}.jpg")
        for n in ("a", "b")
    ]


@pytest.fixture
def clock() -> IdleClock:
    return IdleClock()


def test_autosave_saves_after_an_idle_time_and_on_leaving(items: list[dw.Item], clock: IdleClock) -> None:
    a, b = items
    drafts = AnnotationDrafts(schedule=clock.schedule)
    states = []
    drafts.on_state = lambda item: states.append(drafts.state(item))
    edits = drafts.open(a, 100, 80)
    edits.add(box())
    assert drafts.state(a) == "unsaved" and [d for d, *_ in clock.pending] == [drafts.idle_seconds]
    edits.add(box(50))  # a new edit restarts the idle time
    assert [cancelled for *_, (cancelled,) in clock.pending] == [True, False]
    clock.wait()
    assert len(a.annotations.list()) == 2 and drafts.state(a) == "saved"
    assert "saving" in states and states[-1] == "saved"
    edits.add(box(20, 40))
    assert drafts.leave(a)  # saved on leaving, before the idle time is up
    assert len(a.annotations.list()) == 3 and drafts.unsaved == []
    clock.wait()  # the idle save was cancelled: nothing more happens
    assert len(drafts.open(a, 100, 80).annotations) == 3  # read afresh from the store
    assert drafts.open(b, 100, 80).annotations == []


def test_with_autosave_off_each_item_keeps_its_draft(items: list[dw.Item], clock: IdleClock) -> None:
    a, b = items
    drafts = AnnotationDrafts(autosave=False, schedule=clock.schedule)
    drafts.open(a, 100, 80).add(box())
    assert not drafts.leave(a) and clock.pending == []
    drafts.open(b, 100, 80).add(box(30))
    drafts.leave(b)
    assert [i.id for i in drafts.unsaved] == [a.id, b.id]
    again = drafts.open(a, 100, 80)
    assert len(again.annotations) == 1 and drafts.state(a) == "unsaved" and again.can_undo
    assert a.annotations.list() == [] and b.annotations.list() == []
    drafts.discard(b)
    assert [i.id for i in drafts.unsaved] == [a.id] and drafts.open(b, 100, 80).annotations == []
    assert drafts.save(a) and len(a.annotations.list()) == 1 and drafts.unsaved == []


def test_a_failed_save_keeps_the_edits_and_says_why(items: list[dw.Item], clock: IdleClock) -> None:
    a, _ = items
    drafts = AnnotationDrafts(schedule=clock.schedule)
    drafts.open(a, 100, 80).add(box())
    builder = a.annotations.builder()
    builder.add(dw.Point(x=1, y=1, label="person"))
    a.annotations.upload(builder)  # someone else changed the item's annotations meanwhile
    clock.wait()
    assert drafts.state(a) == "failed" and "changed elsewhere" in (drafts.error(a) or "")
    assert not drafts.leave(a)
    assert [i.id for i in drafts.unsaved] == [a.id]
    assert len(drafts.open(a, 100, 80).annotations) == 1  # the draft, not what is stored
    drafts.open(a, 100, 80).add(box(40))
    assert drafts.state(a) == "unsaved" and drafts.error(a) is None


def test_close_warns_naming_unsaved_drafts_and_writes_nothing(
    items: list[dw.Item], clock: IdleClock, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = items
    drafts = AnnotationDrafts(autosave=False, schedule=clock.schedule)
    drafts.open(a, 100, 80).add(box())
    drafts.open(b, 100, 80)
    with caplog.at_level(logging.WARNING), pytest.warns(UserWarning, match="unsaved") as warned:
        unsaved = drafts.close()
    assert [i.id for i in unsaved] == [a.id]
    assert "'/d/a.jpg'" in str(warned[0].message) and "/d/b.jpg" not in str(warned[0].message)
    assert "'/d/a.jpg'" in caplog.text
    assert a.annotations.list() == []


def test_close_with_autosave_saves_first(items: list[dw.Item], clock: IdleClock) -> None:
    a, _ = items
    drafts = AnnotationDrafts(schedule=clock.schedule)
    drafts.open(a, 100, 80).add(box())
    assert drafts.close() == []
    assert len(a.annotations.list()) == 1
    clock.wait()  # a closed model saves nothing more


SHUTDOWN_SCRIPT = """\
import io, sys
from PIL import Image
import dlwidgets as dw

client = dw.connect(home=sys.argv[1])
dataset = client.projects.create(project_name="p").datasets.create(dataset_name="d")
dataset.ontology().add_label(label_name="car", color="#ff0000")
jpeg = io.BytesIO()
Image.new("RGB", (100, 80)).save(jpeg, format="JPEG")
item = dataset.items.upload(local_path=jpeg.getvalue(), remote_path="/", remote_name="left.jpg")
annotator = dw.Annotator(item, autosave=False)
annotator.annotations = [dw.Box(left=1, top=1, right=20, bottom=20, label="car")]
print("drawn", flush=True)
"""


def test_a_shutdown_with_unsaved_drafts_logs_them_and_writes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "workspace"
    result = subprocess.run(
        [sys.executable, "-c", SHUTDOWN_SCRIPT, str(home)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0 and "drawn" in result.stdout, result.stderr
    assert "shut down with unsaved annotation edits of 1 item(s): '/left.jpg'" in result.stderr
    client = dw.connect(home=str(home))
    item = (
        client.projects.get(project_name="p").datasets.get(dataset_name="d").items.get(filepath="/left.jpg")
    )
    assert item.annotations.list() == []
    client.close()
