"""What crosses the store's boundary: a ``Request`` in, a ``Response`` out, and the table of routes.

A route is a method, a path template relative to ``/api/v1`` and a handler
``handler(workspace, request, **path_params) -> Response | JSON``. The in-process ``LocalTransport`` and
the HTTP server both build a ``Request`` from what they received and hand it to ``Router.dispatch``; the
handlers never know which one called them.

Example::

    @router.route("GET", "/projects/{project_id}")
    def get_project(ws: Workspace, req: Request, project_id: str) -> dict: ...
"""

from __future__ import annotations

import errno
import json
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote

from ..exceptions import BadRequest, NotFound, PayloadTooLarge, PlatformError, StorageFull
from .documents import JSONText, excerpt, finite, parse_json
from .workspace import Workspace

# SQLite's result code for "database or disk is full" (sqlite3.SQLITE_FULL, which typeshed lacks).
_SQLITE_FULL = 13
# JSON and form bodies are read whole and parsed into Python objects up to JSON_EXPANSION times their
# size (``[{}, {}, ...]``), so they are capped far below the upload limit: files travel as multipart
# uploads, streamed to disk.
MAX_JSON_BODY = 8 << 20
JSON_EXPANSION = 20
# A JSON escape of a UTF-16 surrogate: only bodies holding one need the Unicode check in Request.json.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


@dataclass
class Request:
    """One API call as the store sees it."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: Iterable[bytes]
    base_url: str
    user: str
    # True for callers over HTTP: they see only their own projects (see access.py).
    restricted: bool = False

    @classmethod
    def build(
        cls,
        method: str,
        path: str,
        query_string: str,
        headers: Mapping[str, str],
        body: Iterable[bytes],
        base_url: str,
        user: str,
        restricted: bool = False,
    ) -> Request:
        return cls(
            method=method.upper(),
            path=path,
            query=parse_qs(query_string, keep_blank_values=True),
            headers={k.lower(): v for k, v in headers.items()},
            body=body,
            base_url=base_url.rstrip("/"),
            user=user,
            restricted=restricted,
        )

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def flag(self, name: str) -> bool:
        return (self.arg(name) or "").lower() in ("true", "1", "yes")

    def read(self) -> bytes:
        """The whole body; over HTTP at most ``MAX_JSON_BODY`` bytes, which protects the server's memory.
        An in-process caller's body is already in its own memory, so it has no cap."""
        limit = MAX_JSON_BODY if self.restricted else None
        chunks = []
        size = 0
        for chunk in self.body:
            size += len(chunk)
            if limit is not None and size > limit:
                raise PayloadTooLarge(json_too_large(self.method, self.path, limit))
            chunks.append(chunk)
        return b"".join(chunks)

    def json(self) -> Any:
        raw = self.read()
        if not raw:
            return None
        body = parse_json(raw, f"the body of {self.method} {self.path}")
        if _SURROGATE_ESCAPE.search(raw):
            # json.loads accepts an escaped lone surrogate, which no text column can store.
            try:
                json.dumps(body, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError as e:
                raise BadRequest(
                    f"the body of {self.method} {self.path} holds the unpaired surrogate "
                    f"{e.object[e.start : e.end]!r}, which is not Unicode text"
                ) from None
        return body

    def json_object(self) -> dict[str, Any]:
        body = self.json()
        if not isinstance(body, dict):
            raise BadRequest(f"the body of {self.method} {self.path} must be a JSON object, got {body!r:.80}")
        return body

    def form(self) -> dict[str, Any]:
        """A urlencoded body (or a JSON object, which clients may send instead: its values stay as sent)."""
        if self.headers.get("content-type", "").startswith("application/json"):
            body = self.json()
            return body if isinstance(body, dict) else {}
        raw = self.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest(
                f"the form body of {self.method} {self.path} is not UTF-8: {excerpt(raw)}"
            ) from None
        return {k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()}


def json_too_large(method: str, path: str, limit: int = MAX_JSON_BODY) -> str:
    """The 413 message for a JSON or form body over ``limit``."""
    return (
        f"the body of {method} {path} is over the limit of {limit} bytes ({limit / (1 << 20):g} MiB) "
        "for JSON and form bodies; files travel as uploads (multipart/form-data), and many annotations "
        "in several requests"
    )


@dataclass
class Response:
    """A handler's answer: JSON (``body``), or bytes streamed from ``stream``."""

    status: int = 200
    body: Any = None
    stream: Iterator[bytes] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def content_type(self) -> str:
        return self.headers.get("content-type", "application/json")

    def text(self) -> str:
        """The JSON body as text."""
        if isinstance(self.body, JSONText):
            return self.body
        try:
            return json.dumps(self.body, separators=(",", ":"), allow_nan=False)
        except ValueError:
            # Stored before non-finite numbers were refused: they go out as null, so the answer is JSON.
            return json.dumps(finite(self.body), separators=(",", ":"))

    def encoded(self) -> bytes:
        return self.text().encode()


def error_response(error: PlatformError) -> Response:
    return Response(status=error.status_code, body={"status": error.status_code, "message": error.message})


def is_disk_full(error: BaseException) -> bool:
    """Whether ``error`` is the disk (or a quota) running out of space, from the OS or from SQLite."""
    if isinstance(error, sqlite3.OperationalError):
        return getattr(error, "sqlite_errorcode", None) == _SQLITE_FULL
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def storage_full(workspace: Workspace, request: Request) -> StorageFull:
    """The error for a request that ran out of disk: what it needed (its body, at least) and what is free."""
    free = shutil.disk_usage(workspace.home).free
    needed = int(request.headers.get("content-length") or 0)
    amount = f"needed about {needed} bytes" if needed else "needed more space"
    return StorageFull(
        f"the disk holding the workspace is full: {request.method} {request.path} {amount} and "
        f"{free} bytes are free; free some space on it (or move the workspace) and try again"
    )


Handler = Callable[..., Any]


class Router:
    """The route table: matches a method and path to a handler and turns its result into a Response."""

    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler, str]] = []

    def route(self, method: str, template: str) -> Callable[[Handler], Handler]:
        pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "/?$")

        def register(handler: Handler) -> Handler:
            self._routes.append((method, pattern, handler, template))
            return handler

        return register

    @property
    def routes(self) -> list[tuple[str, str, Handler]]:
        """(method, path template, handler) for every route: what the HTTP server mounts."""
        return [(method, template, handler) for method, _, handler, template in self._routes]

    def dispatch(
        self,
        workspace: Workspace,
        request: Request,
        guard: Callable[[Workspace, Request, tuple[str, str], dict[str, str]], None] | None = None,
    ) -> Response:
        """Run the matching handler; ``guard`` may refuse the call first, seeing the route (method and
        path template) and the path parameters."""
        try:
            handler, template, params = self._match(request.method, request.path)
            if guard is not None:
                guard(workspace, request, (request.method, template), params)
            result = handler(workspace, request, **params)
        except PlatformError as error:
            return error_response(error)
        except (OSError, sqlite3.OperationalError) as error:
            if not is_disk_full(error):
                raise
            return error_response(storage_full(workspace, request))
        if isinstance(result, Response):
            return result
        return Response(body=result)

    def check(
        self,
        workspace: Workspace,
        request: Request,
        guard: Callable[[Workspace, Request, tuple[str, str], dict[str, str]], None],
    ) -> None:
        """Raise what ``dispatch`` would refuse the call with before running its handler."""
        _, template, params = self._match(request.method, request.path)
        guard(workspace, request, (request.method, template), params)

    def _match(self, method: str, path: str) -> tuple[Handler, str, dict[str, str]]:
        path_known = False
        for route_method, pattern, handler, template in self._routes:
            m = pattern.match(path)
            if m:
                path_known = True
                if route_method == method:
                    return handler, template, {k: unquote(v) for k, v in m.groupdict().items()}
        if path_known:
            raise BadRequest(f"method {method} is not supported on {path}")
        raise NotFound(f"no route for {method} {path}")


router = Router()
