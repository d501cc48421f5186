"""A memory budget shared by the store's heavy work: decoding images and parsing big JSON bodies.

Each piece of work says how many bytes it will hold and waits until they fit under the budget, so a
burst of concurrent requests queues instead of multiplying the server's memory. One piece bigger than
the whole budget still runs, alone.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Room for one decoded 12000 x 7000 RGB image (240 MiB), or a few big JSON bodies, at a time.
DEFAULT_BUDGET = 256 << 20


class MemoryBudget:
    """A weighted semaphore counted in bytes."""

    def __init__(self, limit: int = DEFAULT_BUDGET) -> None:
        self.limit = limit
        self.held = 0
        self._changed = threading.Condition()

    @contextmanager
    def hold(self, size: int) -> Iterator[None]:
        """Wait until ``size`` bytes fit in the budget, hold them while the block runs."""
        size = min(max(size, 0), self.limit)
        with self._changed:
            self._changed.wait_for(lambda: self.held + size <= self.limit)
            self.held += size
        try:
            yield
        finally:
            with self._changed:
                self.held -= size
                self._changed.notify_all()


memory = MemoryBudget()
