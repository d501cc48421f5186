"""Request bodies are limited before authentication: a huge body to any route is refused early, unread,
and the server's memory stays low."""

from __future__ import annotations

import json
import select
import socket
from pathlib import Path
from urllib.parse import urlsplit

from serving import peak_rss, serve_process

MiB = 1 << 20


def _post(url: str, path: str, body_size: int, declared: bool) -> tuple[int, str, int]:
    """POST ``body_size`` bytes (with Content-Length, or chunked) until the server answers; returns the
    status, the answer's message and how many body bytes were sent before the answer came."""
    where = urlsplit(url)
    head = f"POST {path} HTTP/1.1\r\nHost: {where.netloc}\r\nContent-Type: application/json\r\n"
    head += f"Content-Length: {body_size}\r\n" if declared else "Transfer-Encoding: chunked\r\n"
    chunk = b"1" * MiB
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
        while b"\r\n\r\n" not in answer or len(answer.partition(b"\r\n\r\n")[2]) < 20:
            part = s.recv(65536)
            if not part:
                break
            answer += part
    status_line, _, rest = answer.partition(b"\r\n")
    body = rest.partition(b"\r\n\r\n")[2]
    return int(status_line.split()[1]), json.loads(body)["message"], sent


def test_a_huge_unauthenticated_body_is_refused_before_it_is_read(workspace_home: Path) -> None:
    with serve_process(workspace_home, "--max-body", str(64 * MiB)) as (url, process):
        gate = url.removesuffix("/api/v1")
        for path, declared in (("/token?default", True), ("/token?default", False)):
            status, message, sent = _post(gate, path, 256 * MiB, declared)
            assert status == 413, (path, declared, message)
            assert "is over this server's limit of 65536 bytes" in message
            assert sent < 32 * MiB, f"the server read {sent} bytes before refusing"
        # The API routes too: a declared size over the limit is refused before the token is looked at,
        # and a chunked body without a token is refused unread.
        status, message, sent = _post(gate, "/api/v1/projects", 256 * MiB, declared=True)
        assert status == 413 and f"limit of {64 * MiB} bytes" in message and sent < 32 * MiB
        status, message, sent = _post(gate, "/api/v1/projects", 256 * MiB, declared=False)
        assert status == 401 and sent < 32 * MiB, message
        assert peak_rss(process.pid) < 200 * MiB, f"peak RSS {peak_rss(process.pid) / MiB:.0f} MiB"
