"""``routes_called(monkeypatch)``: the store routes (method, template) called meanwhile, over HTTP or
in-process, so a test can check that dlwidgets calls only routes that dtlpy calls too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from dlwidgets.store import Request, Response, Store, router

_TEMPLATES = [
    (method, re.compile("^" + re.sub(r"\{\w+\}", "[^/]+", template) + "/?$"), template)
    for method, template, _ in router.routes
]


@contextmanager
def routes_called(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[tuple[str, str]]]:
    """The store routes (method, template) called meanwhile, over HTTP or in-process."""
    called: set[tuple[str, str]] = set()
    handle = Store.handle

    def recording(store: Store, request: Request) -> Response:
        path = request.path.removeprefix("/api/v1")
        called.update((m, t) for m, pattern, t in _TEMPLATES if m == request.method and pattern.match(path))
        return handle(store, request)

    with monkeypatch.context() as patched:
        patched.setattr(Store, "handle", recording)
        yield called
