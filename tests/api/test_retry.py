"""A remote client retries transient failures with backoff, and never a 4xx."""

from __future__ import annotations

import pytest
from serving import serving_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import dlwidgets as dw


def flaky_platform(failures: int, status: int) -> tuple[Starlette, list[str]]:
    """A stand-in platform whose project list fails ``failures`` times with ``status`` first."""
    calls: list[str] = []

    async def projects(request: Request) -> JSONResponse:
        calls.append(request.method)
        if len(calls) <= failures:
            return JSONResponse({"status": status, "message": "try again"}, status_code=status)
        return JSONResponse([{"id": "p1", "name": "ok"}])

    return Starlette(routes=[Route("/api/v1/projects", projects)]), calls


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried(status: int) -> None:
    app, calls = flaky_platform(2, status)
    with serving_app(app) as root:
        client = dw.connect(f"{root}/api/v1", token="t")
        client.http._transport.backoff = 0.01  # type: ignore[attr-defined]
        assert [p.name for p in client.projects.list()] == ["ok"]
    assert calls == ["GET"] * 3


def test_client_errors_are_not_retried() -> None:
    app, calls = flaky_platform(5, 404)
    with serving_app(app) as root:
        client = dw.connect(f"{root}/api/v1", token="t")
        with pytest.raises(dw.exceptions.NotFound, match="try again"):
            client.projects.list()
    assert calls == ["GET"]


def test_an_unreachable_host_fails_after_the_retries() -> None:
    from serving import free_port

    client = dw.connect(f"http://127.0.0.1:{free_port()}/api/v1", token="t")
    client.http._transport.backoff = 0.01  # type: ignore[attr-defined]
    with pytest.raises(ConnectionError, match=r"cannot reach http://127\.0\.0\.1:\d+/api/v1"):
        client.projects.list()
