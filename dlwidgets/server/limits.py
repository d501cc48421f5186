"""Request body limits, applied before authentication or any handler reads a byte.

``BodyLimit`` wraps the ASGI app: a declared ``Content-Length`` over the route's limit is answered 413 at
once, and a body sent without one (chunked) raises ``BodyTooLarge`` as soon as the bytes received pass
the limit, so no route, authenticated or not, buffers more than its limit.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# glibc's mallopt parameter for the size above which allocations get their own mapping.
_M_MMAP_THRESHOLD = -3
# Decoded images (Pillow allocates them in 16 MiB blocks) and big bodies are above it; the 1 MiB chunks
# that uploads and downloads stream through stay below, on the cheaper heap.
MMAP_THRESHOLD = 4 << 20


class BodyTooLarge(Exception):
    """Raised while a request body arrives, once it is over the limit of its route."""


def over_limit(method: str, path: str, limit: int) -> str:
    """The 413 message for a body over a route's ``limit``."""
    return f"the body of {method} {path} is over this server's limit of {limit} bytes"


class BodyLimit:
    """ASGI middleware: ``limit_for(scope)`` is the largest body, in bytes, that the request may send,
    and the message that refuses a bigger one."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], tuple[int, str]]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, refusal = self.limit_for(scope)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _answer_413(scope, receive, send, refusal)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(refusal)
            return message

        await self.app(scope, limited, send)


async def _answer_413(scope: Scope, receive: Receive, send: Send, message: str) -> None:
    answer = JSONResponse(
        {"status": 413, "message": message}, status_code=413, headers={"connection": "close"}
    )
    await answer(scope, receive, send)


def return_freed_memory() -> None:
    """Make glibc give big freed blocks back to the system at once (Linux; a no-op elsewhere).

    By default a block freed by one worker thread stays in that thread's malloc arena, so images
    decoded one after another in different threads add up in the server's memory although only one
    is alive at a time. A fixed mmap threshold serves every allocation of 4 MiB or more (decoded
    images, request bodies) from its own mapping, released when freed.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    except (OSError, AttributeError):
        pass
