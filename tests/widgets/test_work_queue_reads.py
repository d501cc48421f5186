"""A work queue reads its items' open QA notes in a few queries, not one request per item: its progress
("k of N done") needs every item's notes, and a queue of hundreds of items opened in seconds."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import dlwidgets as dw
from dlwidgets.store import Request, Response, Store
from dlwidgets.widgets.models.work_queue import REJECTED, WorkQueue


def test_progress_reads_every_items_notes_in_a_few_requests(
    dataset: dw.Dataset, make_jpeg: Callable[[int, int], bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    image = make_jpeg(32, 24)
    items = [
        dataset.items.upload(local_path=image, remote_path="/", remote_name=f"{n}.jpg") for n in range(60)
    ]
    task = dataset.tasks.create(task_name="label", assignee_ids=["ann@example.com"], items=items)
    qa = dataset.tasks.create_qa_task(task=task, assignee_ids=["ann@example.com"], items=items)
    WorkQueue(qa).reject(WorkQueue(qa).items[7], "the car is a van")

    requests: list[str] = []
    handle = Store.handle

    def counted(store: Store, request: Request) -> Response:
        requests.append(request.path)
        return handle(store, request)

    monkeypatch.setattr(Store, "handle", counted)
    queue = WorkQueue(task)
    assert queue.progress == "0 of 60 done"
    assert [queue.status(item) for item in queue.items].count(REJECTED) == 1
    assert len(requests) <= 6, requests
