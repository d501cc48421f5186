"""``cyclic_gc_paused()``: Python's cycle collector held while a widget reads thousands of annotations.

They are plain dicts and lists (reference counting frees what is dropped), yet making them sets off
collections: in a kernel that has shown crowded items, reading 5,000 annotations takes ~105-112 ms of CPU
with the collector held and ~131-151 ms without. The collector is the process's, so holding it holds it
for every thread (a save worker, the server): the hold is as short as the reading, ends however the
reading ends, and is taken only where the collector was on."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0  # readings under way, in any thread
_turned_off = False  # whether the first of them found the collector on, and turned it off


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Hold the cycle collector meanwhile. Re-entrant, from any thread: the collector is turned back on
    when the last hold ends, even by an exception, and only if a hold turned it off (it was on)."""
    global _holders, _turned_off
    with _lock:
        if _holders == 0:
            _turned_off = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _turned_off:
                _turned_off = False
                gc.enable()
