"""The workspace over HTTP: a Starlette app that mounts the store's routes under ``/api/v1``.

A body over its route's limit is refused before anything else (see ``limits.py``). Each request is then
authenticated (a bearer JWT signed with the workspace secret), its body spooled to a
temporary file while it arrives (so a chunked upload of any size uses little memory), and handed to the
same route handlers that ``LocalTransport`` calls in-process. Tokens never reach a log line or an error.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

from starlette.applications import Starlette
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request as HttpRequest
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Scope

from ..exceptions import BadRequest
from ..store import Request, Store
from ..store import Response as StoreResponse
from ..store.budget import memory
from ..store.documents import parse_json
from ..store.routing import JSON_EXPANSION, MAX_JSON_BODY, json_too_large
from .limits import BodyLimit, BodyTooLarge, over_limit, return_freed_memory
from .openapi import openapi_document
from .tokens import ForeignToken, InvalidToken, create_token, verify_token, workspace_secret

API_PREFIX = "/api/v1"
# Bodies are spooled in memory up to this size, then on disk.
SPOOL_IN_MEMORY = 1 << 20
DEFAULT_MAX_BODY = 16 << 30
# A refresh request is a few hundred bytes of JSON; anything much bigger is refused unread.
TOKEN_MAX_BODY = 64 << 10


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": status, "message": message}, status_code=status)


def _http_error(request: HttpRequest, exc: Exception) -> Response:
    """Starlette's own refusals (no such path, method not allowed) as JSON, like every other error."""
    assert isinstance(exc, HTTPException)
    hint = f"; this server's API is under {API_PREFIX}" if exc.status_code == 404 else ""
    answer = _error(exc.status_code, f"{exc.detail}: {request.method} {request.url.path}{hint}")
    answer.headers.update(exc.headers or {})
    return answer


def _internal_error(request: HttpRequest, exc: Exception) -> Response:
    """A bug's 500 as JSON: clients such as dtlpy parse error bodies before looking at the status."""
    return _error(
        500, f"internal error while serving {request.method} {request.url.path}: {type(exc).__name__}: {exc}"
    )


def _too_large(request: HttpRequest, exc: Exception) -> Response:
    """A body that passed its route's limit while it arrived (see ``BodyLimit``)."""
    answer = _error(413, str(exc))
    answer.headers["connection"] = "close"
    return answer


def _chunks(body: IO[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    while chunk := body.read(size):
        yield chunk


class WorkspaceServer:
    """The ASGI app for one workspace; ``max_body`` bytes is the largest request body accepted."""

    def __init__(self, store: Store, max_body: int = DEFAULT_MAX_BODY) -> None:
        self.store = store
        self.max_body = max_body
        return_freed_memory()
        self.secret = workspace_secret(store.workspace.home)
        self.token_hint = f"dlwidgets token create --email you@example.com --home {store.workspace.home}"
        self.app = Starlette(
            routes=[
                Route("/token", self.token, methods=["POST"]),
                Route(API_PREFIX + "/openapi.json", self.openapi, methods=["GET"]),
                Route(
                    API_PREFIX + "/{path:path}",
                    self.api,
                    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                ),
            ],
            middleware=[Middleware(BodyLimit, limit_for=self._body_limit)],
            exception_handlers={
                HTTPException: _http_error,
                BodyTooLarge: _too_large,
                Exception: _internal_error,
            },
        )

    def _body_limit(self, scope: Scope) -> tuple[int, str]:
        """The largest body a route accepts, enforced before the token is even looked at: JSON bodies
        are parsed whole, so they get a much smaller limit than uploads, which stream to disk."""
        method, path = scope["method"], scope["path"]
        if path == "/token":
            return TOKEN_MAX_BODY, over_limit(method, path, TOKEN_MAX_BODY)
        content_type = dict(scope["headers"]).get(b"content-type", b"")
        if content_type.startswith(b"application/json") and self.max_body > MAX_JSON_BODY:
            return MAX_JSON_BODY, json_too_large(method, path)
        return self.max_body, over_limit(method, path, self.max_body)

    def _user(self, request: HttpRequest) -> str:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise InvalidToken(f"send 'Authorization: Bearer <token>'; create one with `{self.token_hint}`")
        claims = verify_token(self.secret, token.strip())
        if claims.get("typ") == "refresh":
            raise InvalidToken(
                "a refresh token is accepted only by POST /token, which trades it for an id token"
            )
        return str(claims["email"])

    def _refused(self, error: InvalidToken) -> JSONResponse:
        """The 401 for a refused token; one made for another workspace gets the command for this one."""
        message = str(error)
        if isinstance(error, ForeignToken):
            message += (
                "; tokens belong to one workspace home (its server-secret signs them), so a token made "
                f"for another home is refused here. Make one for this server with `{self.token_hint}`"
            )
        return _error(401, message)

    async def _spool(self, request: HttpRequest) -> tuple[IO[bytes], int]:
        """The body in a temporary file (closed by api() once the handler has read it), and its size;
        BodyLimit stops a body over the limit."""
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
        size = 0
        try:
            async for chunk in request.stream():
                body.write(chunk)
                size += len(chunk)
        except BaseException:
            body.close()
            raise
        body.seek(0)
        return body, size

    def _handle(self, request: Request, body_size: int) -> StoreResponse:
        """Run the handler in a worker thread; a body parsed whole (anything but an upload) holds its
        parsed size from the memory budget meanwhile, so concurrent big bodies queue."""
        is_upload = request.headers.get("content-type", "").startswith("multipart/")
        parsed = 0 if is_upload else min(body_size, MAX_JSON_BODY) * JSON_EXPANSION
        with memory.hold(parsed):
            return self.store.handle(request)

    async def api(self, request: HttpRequest) -> Response:
        try:
            user = self._user(request)
        except InvalidToken as e:
            return self._refused(e)
        body, body_size = await self._spool(request)
        base = f"{request.url.scheme}://{request.url.netloc}{API_PREFIX}"
        store_request = Request.build(
            method=request.method,
            # The raw path: '%2F' inside a project name must not become a path separator.
            path=request.scope.get("raw_path", request.url.path.encode())
            .decode("ascii")
            .split("?", 1)[0][len(API_PREFIX) :],
            query_string=request.url.query,
            headers=dict(request.headers),
            body=_chunks(body),
            base_url=base,
            user=user,
            restricted=True,
        )
        try:
            answer = await run_in_threadpool(self._handle, store_request, body_size)
        finally:
            body.close()
        if answer.stream is not None:
            return StreamingResponse(
                iterate_in_threadpool(answer.stream), status_code=answer.status, headers=answer.headers
            )
        return Response(
            answer.encoded(), status_code=answer.status, headers=answer.headers, media_type="application/json"
        )

    async def openapi(self, request: HttpRequest) -> Response:
        """``GET /api/v1/openapi.json``: the routes' OpenAPI description, the one document served without
        a token."""
        return JSONResponse(openapi_document(f"{request.url.scheme}://{request.url.netloc}{API_PREFIX}"))

    async def token(self, request: HttpRequest) -> Response:
        """``POST {gate}/token?default``: trade a refresh token for a fresh id token."""
        try:
            body = parse_json(await request.body() or b"{}", "the token request body")
        except BadRequest as e:
            return _error(400, e.message)
        if not isinstance(body, dict) or body.get("type") != "refresh_token":
            return _error(400, "this server trades only {'type': 'refresh_token', 'refresh_token': ...}")
        try:
            claims = verify_token(self.secret, str(body.get("refresh_token", "")))
        except InvalidToken as e:
            return self._refused(e)
        if claims.get("typ") != "refresh":
            return _error(401, "the token given is not a refresh token")
        return JSONResponse({"id_token": create_token(self.secret, claims["email"], days=1)})


def create_app(store: Store, max_body: int = DEFAULT_MAX_BODY) -> Starlette:
    """The Starlette app serving ``store``."""
    return WorkspaceServer(store, max_body).app
