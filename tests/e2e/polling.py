"""Bounded polling: the one way the browser tests wait for something outside the page."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class WaitTimeout(AssertionError):
    """Raised when a condition did not come true within its deadline; the message says what was awaited."""


def poll(
    check: Callable[[], T | None],
    *,
    timeout: float,
    what: str,
    interval: float = 0.05,
    explain: Callable[[], str] | None = None,
) -> T:
    """Call `check` until it returns something other than None, and return that.

    After `timeout` seconds raise `WaitTimeout` naming `what`, followed by `explain()` (evaluated only on
    failure, so it may be expensive, e.g. reading the page).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result is not None:
            return result
        if time.monotonic() >= deadline:
            message = f"Timed out after {timeout:g} s waiting for {what}."
            if explain is not None:
                message += "\n" + explain()
            raise WaitTimeout(message)
        time.sleep(interval)
