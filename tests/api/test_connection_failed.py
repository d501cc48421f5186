"""A server that cannot be reached fails the same way for a plain call and for a streamed download: one
``dw.exceptions.ConnectionFailed``, which is both a ``PlatformError`` and a ``ConnectionError``."""

from __future__ import annotations

import pytest
from serving import free_port

import dlwidgets as dw


@pytest.fixture
def dead_server() -> dw.Client:
    """A client of a port where nothing listens, retrying quickly."""
    return dw.connect(f"http://127.0.0.1:{free_port()}/api/v1", token="t", backoff=0.01)


def test_a_call_to_a_dead_server_raises_connection_failed(dead_server: dw.Client) -> None:
    with pytest.raises(
        dw.exceptions.ConnectionFailed, match=r"cannot reach http://127\.0\.0\.1:\d+/api/v1"
    ) as e:
        dead_server.request("GET", "/projects")
    assert isinstance(e.value, dw.exceptions.PlatformError) and isinstance(e.value, ConnectionError)


def test_a_stream_from_a_dead_server_raises_connection_failed(dead_server: dw.Client) -> None:
    refused = pytest.raises(
        dw.exceptions.ConnectionFailed, match=r"cannot reach http://127\.0\.0\.1:\d+/api/v1"
    )
    with refused, dead_server.stream("GET", "/items/0123/stream") as response:
        response.read()


def test_one_attempt_fails_at_once_and_bad_retry_settings_are_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}/api/v1"
    client = dw.connect(url, token="t", attempts=1, backoff=30)
    with pytest.raises(dw.exceptions.ConnectionFailed):  # no retry, so no 30 s sleep
        client.request("GET", "/projects")
    for bad in ({"attempts": 0}, {"attempts": 2.5}, {"backoff": -1}, {"backoff": float("nan")}):
        with pytest.raises(ValueError, match=rf"{next(iter(bad))} must be .* got {bad[next(iter(bad))]!r}"):
            dw.connect(url, token="t", **bad)  # type: ignore[arg-type]
