"""Request body limits, applied before authentication or any handler reads a byte.

``BodyLimit`` wraps the ASGI app: a declared ``Content-Length`` over the route's limit is answered 413 at
once, and a body sent without one (chunked) raises ``BodyTooLarge`` as soon as the bytes received pass
the limit, so no route, authenticated or not, buffers more than its limit.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    """Raised while a request body arrives, once it is over the limit of its route."""

    def __init__(self, method: str, path: str, limit: int) -> None:
        super().__init__(f"the body of {method} {path} is over this server's limit of {limit} bytes")


class BodyLimit:
    """ASGI middleware: ``limit_for(scope)`` is the largest body, in bytes, that the request may send."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        refusal = BodyTooLarge(scope["method"], scope["path"], limit)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _answer_413(scope, receive, send, str(refusal))
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise refusal
            return message

        await self.app(scope, limited, send)


async def _answer_413(scope: Scope, receive: Receive, send: Send, message: str) -> None:
    answer = JSONResponse(
        {"status": 413, "message": message}, status_code=413, headers={"connection": "close"}
    )
    await answer(scope, receive, send)
