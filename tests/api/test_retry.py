"""A remote client retries transient failures with backoff, never a 4xx, and never applies a write twice:
behind a proxy that loses answers after forwarding them to a real ``dlwidgets serve``, each write is stored
once and a retried create returns what it made."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from faulty_proxy import faulty_proxy
from PIL import Image
from serving import serve_process, serving_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import dlwidgets as dw
from dlwidgets.server import create_token, workspace_secret
from dlwidgets.store import idempotency

USER = "ann@example.com"


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
        client = dw.connect(f"{root}/api/v1", token="t", backoff=0.01)
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

    client = dw.connect(f"http://127.0.0.1:{free_port()}/api/v1", token="t", backoff=0.01)
    with pytest.raises(ConnectionError, match=r"cannot reach http://127\.0\.0\.1:\d+/api/v1"):
        client.projects.list()


class Faults:
    """Loses the answer of every third write: dropped, a 504, or cut off halfway through its body, in
    turn; and cuts off the body of every fifth read."""

    def __init__(self) -> None:
        self.writes = 0
        self.reads = 0
        self.lost: dict[str, int] = {"drop": 0, "504": 0, "cut": 0}
        self._kinds = itertools.cycle(["drop", "504", "cut"])

    def __call__(self, method: str, path: str) -> str | None:
        if method == "GET":
            self.reads += 1
            return "cut" if self.reads % 5 == 0 else None
        self.writes += 1
        if self.writes % 3:
            return None
        kind = next(self._kinds)
        self.lost[kind] += 1
        return kind


@pytest.fixture
def behind_proxy(workspace_home: Path) -> Iterator[tuple[dw.Client, Faults]]:
    faults = Faults()
    with (
        serve_process(workspace_home) as (url, _),
        faulty_proxy(url.removesuffix("/api/v1"), faults) as proxy,
    ):
        token = create_token(workspace_secret(workspace_home), USER)
        client = dw.connect(f"{proxy}/api/v1", token=token, backoff=0.01)
        yield client, faults
        client.close()


def png(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.full((8, 8, 3), seed % 256, dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_five_hundred_writes_behind_a_proxy_that_loses_answers(
    behind_proxy: tuple[dw.Client, Faults],
) -> None:
    client, faults = behind_proxy
    assert client.projects.list() == []  # a read first: the server's answer says it honours keys
    project = client.projects.create(project_name="retries")
    dataset = project.datasets.create(dataset_name="writes")
    dataset.ontology().add_label(label_name="car")
    items = [
        dataset.items.upload(local_path=png(i), remote_path="/", remote_name=f"{i}.png") for i in range(100)
    ]
    for n in range(200):
        box = dw.Box(top=1, left=1, bottom=5 + n % 10, right=5, label="car")
        builder = items[n % 10].annotations.builder()
        builder.add(annotation_definition=box)
        assert len(items[n % 10].annotations.upload(builder)) == 1
    made = [client.projects.create(project_name=f"p{n}") for n in range(150)]
    tasks = [
        dataset.tasks.create(task_name=f"t{n}", items=[items[n]], assignee_ids=[USER]) for n in range(50)
    ]
    # 500 writes (100 uploads, 200 annotation uploads, 150 projects, 50 tasks), a third of them answered by
    # the proxy with a dropped connection, a 504 or half an answer after the server applied them.
    assert faults.writes >= 500 and min(faults.lost.values()) >= 50

    assert [p.name for p in made] == [f"p{n}" for n in range(150)]
    assert sorted(p.name for p in client.projects.list()) == sorted(
        ["retries", *(f"p{n}" for n in range(150))]
    )
    assert sorted(i.name for i in dataset.items.list().all()) == sorted(f"{i}.png" for i in range(100))
    assert [len(i.annotations.list()) for i in items[:10]] == [20] * 10
    assert [t.name for t in tasks] == [f"t{n}" for n in range(50)]
    assert sorted(t.name for t in dataset.tasks.list()) == sorted(f"t{n}" for n in range(50))
    assert dataset.ontology().tags() == ["car"]


def test_a_write_is_not_repeated_where_keys_are_not_honoured() -> None:
    calls: list[str] = []

    async def create(request: Request) -> JSONResponse:
        calls.append(request.headers.get("idempotency-key", ""))
        return JSONResponse({"status": 504, "message": "gateway timeout"}, status_code=504)

    app = Starlette(routes=[Route("/api/v1/projects", create, methods=["POST"])])
    with serving_app(app) as root:
        client = dw.connect(f"{root}/api/v1", token="t")
        with pytest.raises(dw.exceptions.UnknownError, match="gateway timeout"):
            client.projects.create(project_name="once")
    assert len(calls) == 1 and len(calls[0]) == 32  # sent once, with a key


def test_a_repeated_key_gets_the_first_answer(api: Any) -> None:
    key = {"idempotency-key": "k-1"}
    first = api.post("/projects", data={"name": "once"}, headers=key)
    again = api.post("/projects", data={"name": "once"}, headers=key)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert first.headers["x-idempotency-keys"] == "honoured"
    assert [p["name"] for p in api.get("/projects").json()] == ["once"]
    elsewhere = api.delete(f"/projects/{first.json()['id']}", headers=key)
    assert elsewhere.status_code == 400
    assert (
        f"was used for POST /projects, not DELETE /projects/{first.json()['id']}"
        in elsewhere.json()["message"]
    )
    # A refused write is not remembered: sent again, once it can succeed, it is applied.
    taken = {"idempotency-key": "k-2"}
    assert api.post("/projects", data={"name": "once"}, headers=taken).status_code == 409
    assert api.post("/projects", data={"name": "twice"}, headers=taken).status_code == 200


def test_keys_are_forgotten_after_an_hour(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    key = {"idempotency-key": "k-old"}
    assert api.post("/projects", data={"name": "old"}, headers=key).status_code == 200
    monkeypatch.setattr(idempotency, "KEY_TTL_S", -1.0)  # every key is older than that
    assert (
        api.post("/projects", data={"name": "new"}, headers={"idempotency-key": "k-new"}).status_code == 200
    )
    again = api.post("/projects", data={"name": "old"}, headers=key)
    assert again.status_code == 409 and "already have a project named 'old'" in again.json()["message"]
