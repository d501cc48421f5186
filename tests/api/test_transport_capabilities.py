"""The client asks its transport what it can do, never what class it is: a transport that wraps the
embedded one (to log or count requests, say) keeps its transactions and its in-process answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

import dlwidgets as dw
from dlwidgets.api.client import LOCAL_ENVIRONMENT
from dlwidgets.api.transport import LocalTransport
from dlwidgets.store import Store


class Counting(httpx.BaseTransport):
    """Counts the requests it forwards; offers whatever the transport it wraps offers."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        return self.inner.handle_request(request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_wrapped_embedded_transport_keeps_its_transactions(workspace_home: Path) -> None:
    transport = Counting(LocalTransport(Store(workspace_home), "ann@example.com"))
    with dw.Client(LOCAL_ENVIRONMENT, transport=transport, user_email="ann@example.com") as client:
        assert client.is_local and not client.token_expired()
        with pytest.raises(dw.exceptions.NotFound), client.atomic():
            client.projects.create(project_name="kept only if all goes well")
            client.projects.get(project_name="no such project")
        assert [p.name for p in client.projects.list()] == []
        assert transport.sent >= 3


def test_a_plain_httpx_transport_is_remote_and_has_no_transactions() -> None:
    client = dw.Client("http://127.0.0.1:1/api/v1", transport=httpx.HTTPTransport())
    assert not client.is_local and client.token_expired()
    with client.atomic():
        pass
