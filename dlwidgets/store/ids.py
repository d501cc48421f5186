"""Entity ids: 24 lowercase hex characters, fixed width and time-ordered.

Fixed width makes a plain string compare equal to creation order, so keyset paging (`id > last`) is an
index range scan. Layout: 12 hex digits of milliseconds since the epoch, 4 of a per-process random tag
(two processes writing in the same millisecond never collide), 8 of a per-process counter.
"""

from __future__ import annotations

import secrets
import threading
import time

_lock = threading.Lock()
_process_tag = secrets.randbelow(1 << 16)
_counter = secrets.randbelow(1 << 24)
_last_ms = 0


def new_id() -> str:
    """A fresh id that sorts after every id this process made before."""
    global _counter, _last_ms
    with _lock:
        # Never step backwards if the wall clock does.
        _last_ms = max(_last_ms, int(time.time() * 1000))
        _counter = (_counter + 1) & 0xFFFFFFFF
        return f"{_last_ms:012x}{_process_tag:04x}{_counter:08x}"


def utc_now() -> str:
    """The current time as the platform writes it: ISO 8601 with milliseconds and a Z."""
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}Z"
