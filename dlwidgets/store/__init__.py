"""The embedded platform: a workspace on disk and the REST routes that serve it.

``Store(home).handle(request)`` answers one API call; the client reaches it in-process through
``LocalTransport`` and over the network through ``dlwidgets serve``.
"""

from __future__ import annotations

import os

from . import handlers
from .idempotency import HONOURED_HEADER, answer_once
from .roles import check_route
from .routing import Request, Response, router
from .workspace import Workspace, default_home


class Store:
    """A workspace plus the route table: the whole embedded platform behind one ``handle`` call."""

    def __init__(self, home: str | os.PathLike[str] | None = None) -> None:
        self.workspace = Workspace(home)

    def handle(self, request: Request) -> Response:
        """Answer one API call; a write sent again with an applied write's idempotency key gets its answer
        (``idempotency.py``)."""
        response = answer_once(self.workspace, request, self._dispatch, self._check)
        response.headers[HONOURED_HEADER] = "honoured"
        return response

    def _dispatch(self, request: Request) -> Response:
        return router.dispatch(self.workspace, request, guard=check_route)

    def _check(self, request: Request) -> None:
        router.check(self.workspace, request, guard=check_route)

    def close(self) -> None:
        self.workspace.close()


__all__ = ["Request", "Response", "Store", "Workspace", "default_home", "handlers", "router"]
