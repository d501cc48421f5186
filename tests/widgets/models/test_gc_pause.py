"""The cycle collector's hold while annotations are read: it is the process's, so holds that overlap (two
threads reading) end together, an exception ends one, and a collector that was off stays off."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from dlwidgets.widgets.models.gc_pause import cyclic_gc_paused


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_overlapping_holds_from_two_threads_end_with_the_last() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def second() -> None:
        first_in.wait(5)
        with cyclic_gc_paused():
            second_in.set()
            first_out.wait(5)
            seen["while the second still reads"] = gc.isenabled()

    thread = threading.Thread(target=second)
    thread.start()
    with cyclic_gc_paused():
        first_in.set()
        second_in.wait(5)
    first_out.set()
    thread.join(5)
    assert seen == {"while the second still reads": False}
    assert gc.isenabled()


def test_nested_holds_and_an_exception_turn_the_collector_back_on() -> None:
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
        raise RuntimeError("the reading failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with cyclic_gc_paused():
        pass
    assert not gc.isenabled()
    gc.enable()
    with cyclic_gc_paused():
        gc.disable()  # the code inside turns it off for itself: the hold still ends as it began
    assert gc.isenabled()
