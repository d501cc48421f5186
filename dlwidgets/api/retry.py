"""``RetryTransport``: retry transient failures of a remote platform with exponential backoff.

A connection that could not be made or was reset, and the gateway answers 502, 503 and 504, are
retried; every other answer (4xx above all) is returned at once. Request bodies that httpx can replay
(JSON, forms, multipart files) are sent again unchanged.
"""

from __future__ import annotations

import time

import httpx

RETRY_STATUSES = frozenset({502, 503, 504})
TRANSIENT_ERRORS = (httpx.ConnectError, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)


class RetryTransport(httpx.BaseTransport):
    """Wraps a transport; up to ``attempts`` tries, sleeping ``backoff * 2**n`` seconds between them."""

    def __init__(self, inner: httpx.BaseTransport, attempts: int = 4, backoff: float = 0.25) -> None:
        self.inner = inner
        self.attempts = attempts
        self.backoff = backoff

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for attempt in range(self.attempts):
            last = attempt == self.attempts - 1
            try:
                response = self.inner.handle_request(request)
            except TRANSIENT_ERRORS:
                if last:
                    raise
            else:
                if response.status_code not in RETRY_STATUSES or last:
                    return response
                response.close()
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def close(self) -> None:
        self.inner.close()
