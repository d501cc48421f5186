"""``LocalTransport``: an httpx transport that answers requests in-process from the embedded store.

Like httpx's own ``MockTransport`` and ``WSGITransport``, it implements the single method
``handle_request(request) -> response``. The client is therefore always a plain ``httpx.Client``: the
local workspace and a remote platform share one code path, and differ only in the transport.

Request and response bodies stream through as chunks, never joined, so an upload or download of any
size uses constant memory.

Besides ``handle_request``, the client asks a transport two things, each optional (a plain httpx
transport has neither, and is remote):

- ``in_process``: True when requests are answered in this process, as this user, with no token and no
  network, so sending them from several threads gains nothing;
- ``transaction()``: a context manager making the requests sent inside one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


class _RequestBody:
    """The request's body as the store reads it, remembering what reading it raised: a failure of the
    caller's own file is the caller's error, not the handler's, and is raised as httpx would raise it."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream
        self.error: BaseException | None = None

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except BaseException as error:
            self.error = error
            raise

    def raised(self, error: BaseException) -> bool:
        """Whether ``error`` is, or was caused by, what reading the body raised."""
        seen: BaseException | None = error
        while seen is not None:
            if seen is self.error:
                return True
            seen = seen.__cause__ or seen.__context__
        return False


class LocalTransport(httpx.BaseTransport):
    """Dispatch each request to the store's route handlers, acting as ``user``.

    A handler that fails unexpectedly (a defect, or for example a raw ``sqlite3.OperationalError``) is
    answered with the same JSON 500 that ``dlwidgets serve`` answers, so local and remote fail alike;
    ``raise_app_exceptions=True`` re-raises it instead, for debugging, as httpx's ``WSGITransport`` does.
    Once closed, it answers nothing: a request fails to connect, as it would to a server that stopped.
    """

    in_process = True

    def __init__(self, store: Store, user: str, *, raise_app_exceptions: bool = False) -> None:
        self.store = store
        self.user = user
        self.raise_app_exceptions = raise_app_exceptions
        self.is_closed = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.is_closed:
            home = self.store.workspace.home
            raise httpx.ConnectError(f"the embedded workspace at {home} is closed", request=request)
        path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        if not path.startswith(API_PREFIX):
            return httpx.Response(404, json={"status": 404, "message": f"no route for {path}"})
        body = _RequestBody(request.stream)  # type: ignore[arg-type]
        base = f"{request.url.scheme}://{request.url.netloc.decode('ascii')}{API_PREFIX}"
        store_request = Request.build(
            method=request.method,
            path=path[len(API_PREFIX) :],
            query_string=request.url.query.decode("ascii"),
            headers=dict(request.headers),
            body=body,
            base_url=base,
            user=self.user,
        )
        try:
            response = self.store.handle(store_request)
        except Exception as error:
            if self.raise_app_exceptions or body.raised(error):
                raise
            message = f"internal error while serving {request.method} {path}: {type(error).__name__}: {error}"
            return httpx.Response(500, json={"status": 500, "message": message})
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
        self.is_closed = True
        self.store.close()
