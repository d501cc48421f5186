"""Fixtures for the API tests: ``api``, a raw ``httpx.Client`` on the platform's ``/api/v1`` base URL, and
``both``, a ``dw`` client; each test that takes one runs once per transport.

``api`` is parametrized over ``TRANSPORTS``: ``"local"`` (the embedded store in-process, through
``LocalTransport``) and ``"http"`` (``dlwidgets serve`` on the same kind of fresh workspace, reached over
the network with a bearer token). ``both`` is the same pair for ``dw.connect``.

Each request the client sends is recorded on ``api.sent`` as ``(method, path below /api/v1)``, so a
contract test can check that it really exercised the routes it claims to cover.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pytest
from serving import serving

import dlwidgets as dw
from dlwidgets.api.transport import LocalTransport
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.store import Store

BASE_URL = "http://dlwidgets.localhost/api/v1"
API_PREFIX = "/api/v1"
USER = "ann@example.com"


class RecordingClient(httpx.Client):
    """An ``httpx.Client`` that remembers ``(method, path)`` of every request it sent."""

    sent: list[tuple[str, str]]


@contextmanager
def _local(home: Path) -> Iterator[tuple[str, httpx.BaseTransport]]:
    transport = LocalTransport(Store(home), user=USER)
    try:
        yield BASE_URL, transport
    finally:
        transport.close()


class _BearerTransport(httpx.HTTPTransport):
    """httpx's own network transport, sending a token as the platform's clients do."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.headers["authorization"] = f"Bearer {self._token}"
        return super().handle_request(request)


@contextmanager
def _http(home: Path) -> Iterator[tuple[str, httpx.BaseTransport]]:
    with serving(home) as base_url:
        token = create_token(workspace_secret(home), USER)
        transport = _BearerTransport(token)
        try:
            yield base_url, transport
        finally:
            transport.close()


# name -> (workspace home -> context manager giving the base URL and the transport to reach it). A server
# transport starts ``dlwidgets serve`` on ``home`` as USER and gives its ``http://127.0.0.1:PORT/api/v1``.
TRANSPORTS: dict[str, Callable[[Path], AbstractContextManager[tuple[str, httpx.BaseTransport]]]] = {
    "local": _local,
    "http": _http,
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "route(method, template): the store route a contract test covers")


@pytest.fixture
def tmp_home(tmp_path: Path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture(params=sorted(TRANSPORTS))
def api(request: pytest.FixtureRequest, tmp_home: Path) -> Iterator[RecordingClient]:
    """A raw client on ``.../api/v1`` of a fresh workspace, acting as ``ann@example.com``."""
    with TRANSPORTS[request.param](tmp_home) as (base_url, transport):
        sent: list[tuple[str, str]] = []

        def record(req: httpx.Request) -> None:
            path = req.url.raw_path.decode("ascii").split("?", 1)[0]
            sent.append((req.method, path.removeprefix(API_PREFIX)))

        client = RecordingClient(base_url=base_url, transport=transport, event_hooks={"request": [record]})
        client.sent = sent
        with client:
            yield client


@pytest.fixture(params=["local", "http"])
def both(request: pytest.FixtureRequest, workspace_home: Path) -> Iterator[dw.Client]:
    """A ``dw`` client on the test's workspace: embedded, then over HTTP through ``dlwidgets serve``."""
    if request.param == "local":
        with dw.connect(home=workspace_home) as local:
            yield local
        return
    with serving(workspace_home) as url:
        token = create_token(workspace_secret(workspace_home), USER)
        with dw.connect(url, token=token) as remote:
            yield remote
