"""``dlwidgets serve`` under misuse: tokens kept out of the logs, wrong content types, path traversal in
item paths, and every route with another user's ids."""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from everything import jpeg, one_of_everything
from serving import free_port

import dlwidgets as dw
from dlwidgets.server import create_app, create_token, workspace_secret
from dlwidgets.store import Store, router
from dlwidgets.store.ids import new_id

ANN, BOB = "ann@example.com", "bob@example.com"


@contextmanager
def serving_logged(home: Path) -> Iterator[str]:
    """The app on a free port with uvicorn's loggers at DEBUG, left to propagate (to caplog)."""
    store = Store(home)
    port = free_port()
    config = uvicorn.Config(
        create_app(store), host="127.0.0.1", port=port, log_config=None, log_level="debug"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()


def test_no_token_reaches_the_server_log(workspace_home: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = workspace_secret(workspace_home)
    good = create_token(secret, ANN)
    expired = create_token(secret, ANN, days=-1)
    forged = create_token(secrets.token_bytes(32), ANN)
    refresh = create_token(secret, ANN, days=90, typ="refresh")
    with serving_logged(workspace_home) as url:
        gate = url.removesuffix("/api/v1")
        answers = [
            httpx.get(f"{url}/projects", headers={"authorization": f"Bearer {token}"})
            for token in (expired, forged, good[:-3], "Basic " + good)
        ]
        answers.append(httpx.get(f"{url}/projects", headers={"authorization": good}))  # no scheme
        assert [a.status_code for a in answers] == [401] * 5
        client = dw.connect(url, token=good)
        dataset = client.projects.create(project_name="p").datasets.create(dataset_name="d")
        dataset.items.upload(local_path=jpeg(), remote_name="a.jpg")
        assert client.json("GET", "/users/me")["email"] == ANN
        with pytest.raises(dw.exceptions.NotFound):
            client.request("GET", "/items/nope")
        fresh = httpx.post(f"{gate}/token?default", json={"type": "refresh_token", "refresh_token": refresh})
        stale = httpx.post(f"{gate}/token?default", json={"type": "refresh_token", "refresh_token": forged})
        assert stale.status_code == 401
        issued = fresh.json()["id_token"]
        client.close()
    log = "\n".join(f"{r.name} {r.getMessage()}" for r in caplog.records)
    assert "GET /api/v1/users/me" in log and "401" in log, log[-2000:]
    for token in (good, expired, forged, refresh, issued, good[:-3]):
        for part in (token, *token.split(".")[1:]):  # a whole token, its payload or its signature
            assert part not in log
    for answer in (*answers, stale):
        assert not any(part in answer.text for part in (good, expired, forged, *forged.split(".")[1:]))


def test_wrong_content_types_answer_4xx_json(workspace_home: Path) -> None:
    token = create_token(workspace_secret(workspace_home), ANN)
    with serving_logged(workspace_home) as url:
        client = dw.connect(url, token=token)
        project = client.projects.create(project_name="p")
        dataset = project.datasets.create(dataset_name="d")
        item = dataset.items.upload(local_path=jpeg(), remote_name="a.jpg")
        assert isinstance(item, dw.Item)
        garbage = b"\xff\xfe not json { at all \x00"
        sent: list[tuple[str, str, str, bytes]] = [
            ("POST", f"/datasets/{dataset.id}/query", "text/plain", garbage),
            ("PATCH", f"/items/{item.id}", "text/plain", garbage),
            ("POST", f"/items/{item.id}/annotations", "application/xml", b"<box/>"),
            ("POST", "/datasets", "application/x-www-form-urlencoded", b"name=d2&projects=x"),
            ("POST", "/annotationtasks", "multipart/form-data; boundary=x", b"--x--\r\n"),
            ("POST", f"/datasets/{dataset.id}/items", "application/json", b'{"file": "a.jpg"}'),
            ("POST", f"/datasets/{dataset.id}/items", "text/plain", garbage),
            ("POST", f"/datasets/{dataset.id}/items", "multipart/form-data", b"no boundary"),
            ("POST", f"/datasets/{dataset.id}/items", "multipart/form-data; boundary=b", garbage),
            ("POST", "/projects", "text/plain", garbage),
            ("POST", "/projects", "application/json", b"[1, 2"),
        ]
        for method, path, content_type, body in sent:
            answer = httpx.request(
                method,
                url + path,
                content=body,
                headers={"authorization": f"Bearer {token}", "content-type": content_type},
            )
            where = f"{method} {path} as {content_type}"
            assert 400 <= answer.status_code < 500, (where, answer.status_code, answer.text)
            assert answer.headers["content-type"] == "application/json", where
            assert answer.json()["message"], where
        assert [i.id for i in dataset.items.list().items] == [item.id]


@pytest.mark.parametrize(
    ("fields", "filename"),
    [
        ({"path": "../../outside.jpg"}, "a.jpg"),
        ({"path": "/images/../../../outside.jpg"}, "a.jpg"),
        ({"path": "/images/./a.jpg"}, "a.jpg"),
        ({"path": ".."}, "a.jpg"),
        ({"path": "/images/..\\..\\outside.jpg"}, "a.jpg"),
        ({"path": "/images/a\x00.jpg"}, "a.jpg"),
        ({"path": "/images/"}, "a.jpg"),
        ({}, "../../outside.jpg"),
        ({}, ".."),
    ],
)
def test_path_traversal_in_item_paths_is_refused_and_nothing_stored(
    workspace_home: Path, fields: dict[str, str], filename: str
) -> None:
    token = create_token(workspace_secret(workspace_home), ANN)
    before = set(workspace_home.parent.rglob("*"))
    with serving_logged(workspace_home) as url:
        client = dw.connect(url, token=token)
        dataset = client.projects.create(project_name="p").datasets.create(dataset_name="d")
        stored_before = set(workspace_home.rglob("*"))
        answer = httpx.post(
            f"{url}/datasets/{dataset.id}/items",
            files={"file": (filename, jpeg(), "image/jpeg")},
            data=fields,
            headers={"authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 400, answer.text
        assert re.search(r"item path .* (contains|names no file)", answer.json()["message"])
        assert dataset.items.list().items == []
        client.close()
    created = set(workspace_home.parent.rglob("*")) - before
    assert all(workspace_home in p.parents or p == workspace_home for p in created)
    blobs = {p for p in set(workspace_home.rglob("*")) - stored_before if p.is_file()}
    assert not [p for p in blobs if "blobs" in p.parts], blobs
    assert not [p for p in workspace_home.parent.rglob("outside*")]


def test_traversal_in_url_ids_finds_nothing(workspace_home: Path) -> None:
    token = create_token(workspace_secret(workspace_home), ANN)
    with serving_logged(workspace_home) as url:
        for raw in ("..%2F..%2Fserver-secret", "..%2Fworkspace.sqlite", "%2E%2E", "..%5C..%5Cserver-secret"):
            answer = httpx.get(f"{url}/items/{raw}/stream", headers={"authorization": f"Bearer {token}"})
            assert answer.status_code == 404, (raw, answer.text)
            assert answer.json()["message"]


def test_every_route_refuses_another_users_ids_with_404(workspace_home: Path) -> None:
    secret = workspace_secret(workspace_home)
    with serving_logged(workspace_home) as url:
        ann = dw.connect(url, token=create_token(secret, ANN))
        bob_token = create_token(secret, BOB)
        ids = {**one_of_everything(ann, "ann-only", ANN), "email": BOB}
        project_id, dataset_id, item_id = ids["project_id"], ids["dataset_id"], ids["item_id"]
        # Ids of the same shape that name nothing: Ann's must answer exactly as these do.
        missing = {name: new_id() if name != "email" else BOB for name in ids}

        def as_bob(method: str, path: str, body: object, sent: str) -> tuple[int, bytes, dict[str, str]]:
            answer = httpx.request(
                method, url + path, json=body, headers={"authorization": f"Bearer {bob_token}"}
            )
            headers = {k: v for k, v in answer.headers.items() if k != "date"}
            return answer.status_code, answer.content.replace(sent.encode(), b"<id>"), headers

        tried = []
        for method, template, _ in router.routes:
            names = re.findall(r"\{(\w+)\}", template)
            if not names or not set(names) - {"email", "name"}:
                continue
            name = next(n for n in names if n != "email")  # the first is the one a 404 names
            theirs = as_bob(method, template.format(**ids), {}, ids[name])
            nothing = as_bob(method, template.format(**missing), {}, missing[name])
            assert theirs[0] == 404, (method, template, theirs)
            assert theirs == nothing, (method, template)
            tried.append((method, template))
        assert len(tried) >= 30
        # Bob's own bodies naming Ann's entities are refused too, as if they did not exist, and the
        # answer names no id of Ann's but the one Bob sent.
        for path, body, key in (
            ("/datasets", {"name": "x", "projects": [project_id]}, "project_id"),
            ("/annotationtasks", {"name": "x", "datasetId": dataset_id, "workload": []}, "dataset_id"),
            (f"/projects/{project_id}/members/{BOB}", {"role": "owner"}, "project_id"),
        ):
            theirs = as_bob("POST", path, body, ids[key])
            nothing = as_bob(
                "POST",
                path.replace(ids[key], missing[key]),
                json.loads(json.dumps(body).replace(ids[key], missing[key])),
                missing[key],
            )
            assert theirs[0] == 404, (path, theirs)
            assert theirs == nothing, path
            assert not [v for v in ids.values() if v.encode() in theirs[1]], (path, theirs)
        # Nothing of Ann's changed.
        again = ann.projects.get(project_name="ann-only").datasets.get(dataset_name="d")
        assert [i.id for i in again.items.list().items] == [item_id]
        annotations = again.items.get(item_id=item_id).annotations.list()
        assert [a.id for a in annotations] == [ids["annotation_id"]]
        assert [m["email"] for m in ann.json("GET", f"/projects/{project_id}/members")] == [ANN]
