"""The Annotator's save against a platform that has no annotation versions and no one-request save (the
Dataloop platform): the edits go one call each, as the platform's own clients send them, and are stored.

The platform is stood in for by a proxy in front of ``dlwidgets serve`` that answers the one-request save
with 404 and drops ``annotationsVersion`` from what it returns, as the platform's API does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from labelled import labelled_image
from serving import serving, serving_app
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.widgets.models.annotation_edits import AnnotationEdits

USER = "ann@example.com"
ONE_REQUEST_SAVE = re.compile(r"^/api/v1/items/[^/]+/annotations$")


def _without_versions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_versions(v) for k, v in value.items() if k != "annotationsVersion"}
    if isinstance(value, list):
        return [_without_versions(v) for v in value]
    return value


def platform_proxy(upstream: str, seen: list[str]) -> Any:
    """An ASGI app forwarding to ``upstream`` as a platform without annotation versions would answer."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        seen.append(f"{request.method} {request.url.path}")
        if request.method == "PATCH" and ONE_REQUEST_SAVE.match(request.url.path):
            response: Response = JSONResponse({"message": "Not Found"}, status_code=404)
        else:
            headers = {k: v for k, v in request.headers.items() if k not in ("host", "content-length")}
            async with httpx.AsyncClient() as http:
                answer = await http.request(
                    request.method,
                    upstream + request.url.path + (f"?{request.url.query}" if request.url.query else ""),
                    headers=headers,
                    content=await request.body(),
                )
            if answer.headers.get("content-type", "").startswith("application/json"):
                response = JSONResponse(_without_versions(answer.json()), status_code=answer.status_code)
            else:
                response = Response(
                    answer.content, answer.status_code, media_type=answer.headers.get("content-type")
                )
        await response(scope, receive, send)

    return app


@pytest.fixture
def platform(workspace_home: Path) -> Iterator[tuple[dw.Client, list[str]]]:
    seen: list[str] = []
    with serving(workspace_home) as url:
        upstream = url.removesuffix("/api/v1")
        with serving_app(platform_proxy(upstream, seen)) as proxy:
            token = create_token(workspace_secret(workspace_home), USER)
            with dw.connect(f"{proxy}/api/v1", token=token) as client:
                yield client, seen


def test_an_annotator_save_on_a_platform_without_versions_is_stored(
    platform: tuple[dw.Client, list[str]],
) -> None:
    client, seen = platform
    _, item = labelled_image(client, "platform", "save", ["car", "person"])
    kept = item.annotations.upload([dw.Box(top=1, left=1, bottom=9, right=9, label="car")])[0]
    gone = item.annotations.upload([dw.Point(x=5, y=5, label="person")])[0]
    assert item.annotations.version() is None, "the proxy must hide the version, or this proves nothing"

    edits = AnnotationEdits(item, 60, 40)
    edits.load()
    keys = {shape["id"]: key for key, shape in edits.shapes()}
    edits.set_label(keys[kept.id], "person")
    edits.delete([keys[gone.id]])
    edits.add(dw.Box(top=10, left=10, bottom=30, right=50, label="car"))
    edits.save()

    assert not edits.is_dirty
    stored = sorted((a.type, a.label, a.id == kept.id) for a in item.annotations.list())
    assert stored == [("box", "car", False), ("box", "person", True)]
    assert any(s.startswith("PATCH ") for s in seen), "the one-request save was tried first"
    assert f"PUT /api/v1/annotations/{kept.id}" in seen
    assert f"DELETE /api/v1/annotations/{gone.id}" in seen
