"""Idempotency keys in the store: the same write sent twice at once, both waiting for the write lock, is
applied once, and both get its answer."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import httpx

from dlwidgets.api.transport import LocalTransport
from dlwidgets.store import Store

BASE_URL = "http://dlwidgets.localhost/api/v1"


def test_a_repeat_sent_while_the_first_is_running_gets_its_answer(workspace_home: Path) -> None:
    store = Store(workspace_home)
    client = httpx.Client(base_url=BASE_URL, transport=LocalTransport(store, user="ann@example.com"))
    # Another process holds the write lock, so both requests are inside their handler when it is freed.
    blocker = sqlite3.connect(store.workspace.db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    answers: list[httpx.Response] = []

    def send() -> None:
        answers.append(client.post("/projects", data={"name": "raced"}, headers={"idempotency-key": "one"}))

    senders = [threading.Thread(target=send) for _ in range(2)]
    for sender in senders:
        sender.start()
    time.sleep(0.5)
    blocker.execute("COMMIT")
    for sender in senders:
        sender.join(30)

    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert sorted(a.headers.get("idempotent-replayed", "") for a in answers) == ["", "true"]
    assert [p["name"] for p in client.get("/projects").json()] == ["raced"]
    blocker.close()
    client.close()
