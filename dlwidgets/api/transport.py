"""``LocalTransport``: an httpx transport that answers requests in-process from the embedded store.

Like httpx's own ``MockTransport`` and ``WSGITransport``, it implements the single method
``handle_request(request) -> response``. The client is therefore always a plain ``httpx.Client``: the
local workspace and a remote platform share one code path, and differ only in the transport.

Request and response bodies stream through as chunks, never joined, so an upload or download of any
size uses constant memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from ..store import Request, Store

API_PREFIX = "/api/v1"


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()


class LocalTransport(httpx.BaseTransport):
    """Dispatch each request to the store's route handlers, acting as ``user``."""

    def __init__(self, store: Store, user: str) -> None:
        self.store = store
        self.user = user

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        if not path.startswith(API_PREFIX):
            return httpx.Response(404, json={"status": 404, "message": f"no route for {path}"})
        base = f"{request.url.scheme}://{request.url.netloc.decode('ascii')}{API_PREFIX}"
        store_request = Request.build(
            method=request.method,
            path=path[len(API_PREFIX) :],
            query_string=request.url.query.decode("ascii"),
            headers=dict(request.headers),
            body=request.stream,  # type: ignore[arg-type]
            base_url=base,
            user=self.user,
        )
        response = self.store.handle(store_request)
        headers = dict(response.headers)
        if response.stream is not None:
            return httpx.Response(response.status, headers=headers, stream=_ResponseStream(response.stream))
        headers.setdefault("content-type", "application/json")
        return httpx.Response(response.status, headers=headers, content=response.encoded())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Every request sent inside, on this thread, is one store transaction: all kept, or none."""
        with self.store.workspace.transaction():
            yield

    def close(self) -> None:
        self.store.close()
