"""``serving(home)``: ``dlwidgets serve``'s app (or any ASGI app) on a free loopback port, in a thread;
``serve_process(home)``: the command itself, in its own process."""

from __future__ import annotations

import json
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


@contextmanager
def serve_process(home: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``dlwidgets serve`` in its own process on a free port; yields its API base URL and the process."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dlwidgets.cli", "serve", "--port", str(port), "--home", str(home), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"dlwidgets serve on port {port} did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/api/v1", process
    finally:
        process.terminate()
        process.wait(30)


def peak_rss(pid: int) -> int:
    """The highest resident memory, in bytes, that process ``pid`` has used so far (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmHWM in /proc/{pid}/status")


def post_until_answered(
    url: str,
    body_size: int,
    declared: bool,
    headers: dict[str, str] | None = None,
    content_type: str = "application/json",
) -> tuple[int, str, int]:
    """POST ``body_size`` bytes of junk (with Content-Length, or chunked) until the server answers,
    which a client such as httpx cannot do; returns the status, the answer's message and how many body
    bytes were sent before the answer came."""
    where = urlsplit(url)
    path = where.path + (f"?{where.query}" if where.query else "")
    head = f"POST {path} HTTP/1.1\r\nHost: {where.netloc}\r\nContent-Type: {content_type}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    head += f"Content-Length: {body_size}\r\n" if declared else "Transfer-Encoding: chunked\r\n"
    chunk = b"1" * (1 << 20)
    frame = chunk if declared else b"%x\r\n%s\r\n" % (len(chunk), chunk)
    sent = 0
    with socket.create_connection((where.hostname, where.port), timeout=60) as s:
        s.sendall(head.encode() + b"\r\n")
        while sent < body_size and not select.select([s], [], [], 0)[0]:
            try:
                s.sendall(frame)
            except OSError:  # the server answered and closed
                break
            sent += len(chunk)
        answer = b""
        while not _complete(answer) and (part := s.recv(65536)):
            answer += part
    head_bytes, _, body = answer.partition(b"\r\n\r\n")
    return int(head_bytes.split()[1]), json.loads(body)["message"], sent


def _complete(answer: bytes) -> bool:
    """Whether ``answer`` holds a whole HTTP response with a Content-Length."""
    head, found, body = answer.partition(b"\r\n\r\n")
    lengths = [
        line.split(b":")[1] for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:")
    ]
    return bool(found and lengths) and len(body) >= int(lengths[0])
