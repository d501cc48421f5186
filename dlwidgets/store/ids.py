"""Entity ids: 24 lowercase hex characters, laid out like the platform's ObjectIds, time-ordered and
unguessable.

Layout: 8 hex digits of seconds since the epoch (as an ObjectId starts), 5 of a per-process sequence,
11 of fresh random bits. Fixed width makes a plain string compare equal to creation order within a
process, so keyset paging (`id > last`) is an index range scan; the 44 random bits mean knowing one id,
even one made a moment before, does not help to find another.
"""

from __future__ import annotations

import secrets
import threading
import time

_SEQUENCE_BITS = 20
_RANDOM_BITS = 44
_lock = threading.Lock()
_last_s = 0
_sequence = 0


def new_id() -> str:
    """A fresh id that sorts after every id this process made before."""
    global _last_s, _sequence
    with _lock:
        now = int(time.time())
        if now > _last_s:
            _last_s, _sequence = now, 0
        else:
            # Same second (or the wall clock stepped back): count on; a full sequence moves to the
            # next second, so ids never step backwards.
            _sequence += 1
            if _sequence >> _SEQUENCE_BITS:
                _last_s, _sequence = _last_s + 1, 0
        return f"{_last_s:08x}{_sequence:05x}{secrets.randbits(_RANDOM_BITS):011x}"


def utc_now() -> str:
    """The current time as the platform writes it: ISO 8601 with milliseconds and a Z."""
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}Z"
