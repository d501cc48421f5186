"""``serving(home)``: ``dlwidgets serve``'s app (or any ASGI app) on a free loopback port, in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from dlwidgets.server import create_app
from dlwidgets.store import Store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(home: Path, max_body: int | None = None) -> Iterator[str]:
    """Serve the workspace at ``home``; yields its ``http://127.0.0.1:PORT/api/v1`` base URL."""
    store = Store(home)
    app = create_app(store) if max_body is None else create_app(store, max_body=max_body)
    try:
        with serving_app(app) as root:
            yield f"{root}/api/v1"
    finally:
        store.close()


@contextmanager
def serving_app(app: Any) -> Iterator[str]:
    """Serve any ASGI app on a free loopback port; yields ``http://127.0.0.1:PORT``."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the test server on port {port} did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
