"""``routes_called(monkeypatch)``: the store routes (method, template) called meanwhile, over HTTP or
in-process, so a test can check that dlwidgets calls only routes that dtlpy calls too;
``requests_made(monkeypatch)``: each request, in order, so a test can count them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from dlwidgets.store import Request, Response, Store, router

_TEMPLATES = [
    (method, re.compile("^" + re.sub(r"\{\w+\}", "[^/]+", template) + "/?$"), template)
    for method, template, _ in router.routes
]


@contextmanager
def _recording(monkeypatch: pytest.MonkeyPatch, record: Callable[[str, str], None]) -> Iterator[None]:
    """Call ``record(method, template)`` for each store request made meanwhile."""
    handle = Store.handle

    def recording(store: Store, request: Request) -> Response:
        path = request.path.removeprefix("/api/v1")
        for method, pattern, template in _TEMPLATES:
            if method == request.method and pattern.match(path):
                record(method, template)
        return handle(store, request)

    with monkeypatch.context() as patched:
        patched.setattr(Store, "handle", recording)
        yield


@contextmanager
def routes_called(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[tuple[str, str]]]:
    """The store routes (method, template) called meanwhile, over HTTP or in-process."""
    called: set[tuple[str, str]] = set()
    with _recording(monkeypatch, lambda method, template: called.add((method, template))):
        yield called


@contextmanager
def requests_made(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Each store request (method, route template) made meanwhile, in order, over HTTP or in-process."""
    made: list[tuple[str, str]] = []
    with _recording(monkeypatch, lambda method, template: made.append((method, template))):
        yield made
