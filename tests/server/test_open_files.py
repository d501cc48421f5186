"""The server's open files stay flat while its worker threads come and go.

Starlette runs each request in one of anyio's worker threads, and anyio retires a worker that sat idle
for ``MAX_IDLE_TIME`` (10 s) when the next job arrives. Each worker opens its own database connection,
so the connections of retired workers must be closed. The idle time is shortened here so that 50 cycles
of a burst and a pause, each retiring every worker, take seconds instead of ten minutes.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import httpx
import pytest
from anyio._backends._asyncio import WorkerThread
from serving import serving

from dlwidgets.server import create_token, workspace_secret

USER = "ann@example.com"
CYCLES = 50
BURST = 8
IDLE_S = 0.2


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def burst(url: str, clients: list[httpx.Client]) -> None:
    """The clients listing projects at once, so the server needs several worker threads."""
    barrier = threading.Barrier(len(clients))
    failures: list[str] = []

    def one(http: httpx.Client) -> None:
        barrier.wait(10)
        for _ in range(2):
            response = http.get(f"{url}/projects")
            if response.status_code != 200:
                failures.append(response.text)

    threads = [threading.Thread(target=one, args=(http,)) for http in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures[0]


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open files through /proc")
def test_open_files_stay_flat_as_worker_threads_retire(
    workspace_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(WorkerThread, "MAX_IDLE_TIME", IDLE_S)
    headers = {"authorization": f"Bearer {create_token(workspace_secret(workspace_home), USER)}"}
    clients = [httpx.Client(headers=headers) for _ in range(BURST)]
    with serving(workspace_home) as url:
        counts = []
        for _ in range(CYCLES):
            burst(url, clients)
            time.sleep(IDLE_S * 2)
            counts.append(open_files())
    for http in clients:
        http.close()
    # The first cycles settle the pool's size; after that, nothing may pile up.
    settled = max(counts[:5])
    assert max(counts) <= settled + 3 * BURST // 2, f"open files per cycle: {counts}"
