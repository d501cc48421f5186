"""Request bodies are limited before authentication: a huge body to any route is refused early, unread,
and the server's memory stays low."""

from __future__ import annotations

from pathlib import Path

from serving import peak_rss, post_until_answered, serve_process

MiB = 1 << 20


def test_a_huge_unauthenticated_body_is_refused_before_it_is_read(workspace_home: Path) -> None:
    with serve_process(workspace_home, "--max-body", str(64 * MiB)) as (url, process):
        gate = url.removesuffix("/api/v1")
        for path, declared in (("/token?default", True), ("/token?default", False)):
            status, message, sent = post_until_answered(gate + path, 256 * MiB, declared)
            assert status == 413, (path, declared, message)
            assert "is over this server's limit of 65536 bytes" in message
            assert sent < 32 * MiB, f"the server read {sent} bytes before refusing"
        # The API routes too: a declared size over the limit is refused before the token is looked at,
        # and a chunked body without a token is refused unread.
        upload = {"content_type": "multipart/form-data; boundary=x"}
        status, message, sent = post_until_answered(f"{url}/projects", 256 * MiB, True, **upload)
        assert status == 413 and f"limit of {64 * MiB} bytes" in message and sent < 32 * MiB
        status, message, sent = post_until_answered(f"{url}/projects", 256 * MiB, False, **upload)
        assert status == 401 and sent < 32 * MiB, message
        assert peak_rss(process.pid) < 200 * MiB, f"peak RSS {peak_rss(process.pid) / MiB:.0f} MiB"
