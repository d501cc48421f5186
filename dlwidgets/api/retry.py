"""``RetryTransport``: retry transient failures of a remote platform with exponential backoff, and never
apply a write twice.

Every write carries an ``idempotency-key`` header, the same on each retry of it; a server that honours keys
(it says so on every answer with ``x-idempotency-keys: honoured``, as ``dlwidgets serve`` does) answers a
repeat with the answer of the write it already applied. So:

- reads and the idempotent writes (PUT, DELETE) are retried when the connection failed or was reset, and
  on the gateway answers 502, 503 and 504;
- POST and PATCH are retried as well once the server has said it honours keys; before that, or on a
  server that never says so, only when the connection could not be made, so the request never left.

An answer whose body is cut off (the connection lost after its headers) is retried under the same rules;
bodies up to ``BUFFERED_BODY`` are read whole for that, bigger downloads stream. Every other answer (4xx
above all) is returned at once. Request bodies that httpx can replay (JSON, forms, multipart files) are
sent again unchanged.
"""

from __future__ import annotations

import time
import uuid

import httpx

RETRY_STATUSES = frozenset({502, 503, 504})
TRANSIENT_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)
# Failures that leave no doubt that the server never received the request.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout)
KEY_HEADER = "idempotency-key"
HONOURED_HEADER = "x-idempotency-keys"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Answers up to this size are read whole before they are returned, so that one cut off halfway (the
# connection lost after the headers) is retried like one never started; bigger ones stream to the caller.
BUFFERED_BODY = 8 << 20
# Methods whose repeat leaves the server as one request would (RFC 9110, 9.2.2).
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class RetryTransport(httpx.BaseTransport):
    """Wraps a transport; up to ``attempts`` tries, sleeping ``backoff * 2**n`` seconds between them."""

    def __init__(self, inner: httpx.BaseTransport, attempts: int = 4, backoff: float = 0.25) -> None:
        self.inner = inner
        self.attempts = attempts
        self.backoff = backoff
        # Set once the server has said it answers a repeated write from the key it remembers.
        self.keys_honoured = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method in WRITES and KEY_HEADER not in request.headers:
            request.headers[KEY_HEADER] = uuid.uuid4().hex
        for attempt in range(self.attempts):
            last = attempt == self.attempts - 1
            try:
                response = self.inner.handle_request(request)
            except TRANSIENT_ERRORS as error:
                if last or not (isinstance(error, NOT_SENT) or self._may_repeat(request)):
                    raise
            else:
                if response.headers.get(HONOURED_HEADER) == "honoured":
                    self.keys_honoured = True
                repeatable = not last and self._may_repeat(request)
                if response.status_code in RETRY_STATUSES and repeatable:
                    response.close()
                elif not (repeatable and _buffered(response)) or _read_whole(response):
                    return response
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _may_repeat(self, request: httpx.Request) -> bool:
        """Whether sending ``request`` again, after it may have been applied, applies it only once."""
        return request.method in IDEMPOTENT or self.keys_honoured

    def close(self) -> None:
        self.inner.close()


def _buffered(response: httpx.Response) -> bool:
    """Whether the answer is small enough to read whole inside the retry loop."""
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) <= BUFFERED_BODY


def _read_whole(response: httpx.Response) -> bool:
    """Read the answer's body; False (the response closed) when the connection broke before its end."""
    try:
        response.read()
    except TRANSIENT_ERRORS:
        response.close()
        return False
    return True
