"""Debian's Chromium driven over the Chrome DevTools Protocol directly, without Playwright.

Playwright keeps the Network domain on in every page, so Chromium copies each websocket frame to the
driver; on a small machine that costs about half of a large upload's throughput. `chromium_cdp()`
starts headless Chromium with the browser tests' flags and yields a `Cdp` session on its first page;
only the domains a caller enables send events (the benchmarks enable Page, Runtime and DOM, never
Network). A reader thread takes every message off the socket, keeps the replies and drops the events,
so Chromium never waits on the driver.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psutil
import websocket
from e2e.browser import _CHROMIUM_ARGS, CHROMIUM, VIEWPORT
from e2e.polling import poll
from e2e.server import free_port


class CdpError(RuntimeError):
    """A command failed in Chromium, or a script threw in the page."""


class Cdp:
    """One DevTools session over a websocket: `call(method, **params)` returns the command's result."""

    def __init__(self, url: str) -> None:
        # No Origin header: Chromium refuses debugger connections from origins it was not told about.
        self._ws = websocket.create_connection(url, suppress_origin=True, enable_multithread=True)
        self._ids = itertools.count(1)
        self._replies: dict[int, dict[str, Any]] = {}
        self._arrived = threading.Condition()
        self._closed = False
        self._reader = threading.Thread(target=self._read, name="cdp-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while True:
                message = json.loads(self._ws.recv())
                if "id" in message:  # events (no id) are dropped
                    with self._arrived:
                        self._replies[message["id"]] = message
                        self._arrived.notify_all()
        except (websocket.WebSocketException, OSError, ValueError):
            with self._arrived:
                self._closed = True
                self._arrived.notify_all()

    def call(self, method: str, timeout: float = 60, **params: Any) -> dict[str, Any]:
        command_id = next(self._ids)
        self._ws.send(json.dumps({"id": command_id, "method": method, "params": params}))
        with self._arrived:
            if not self._arrived.wait_for(lambda: command_id in self._replies or self._closed, timeout):
                raise CdpError(f"{method}: no reply in {timeout:g} s")
            if command_id not in self._replies:
                raise CdpError(f"{method}: the DevTools connection closed")
            reply = self._replies.pop(command_id)
        if "error" in reply:
            raise CdpError(f"{method}: {reply['error'].get('message')}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def evaluate(self, expression: str, *, by_value: bool = True) -> Any:
        """Evaluate `expression` in the page; its value (JSON), or the remote object if not `by_value`."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=by_value)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise CdpError(details.get("exception", {}).get("description") or details.get("text"))
        return result["result"].get("value") if by_value else result["result"]

    def set_input_files(self, selector: str, paths: list[Path]) -> None:
        """Pick `paths` in the file input `selector` (fires its change event, as a user's pick does)."""
        node = self.evaluate(f"document.querySelector({json.dumps(selector)})", by_value=False)
        if node.get("subtype") != "node":
            raise CdpError(f"no element matches {selector!r}")
        try:
            self.call("DOM.setFileInputFiles", files=[str(p) for p in paths], objectId=node["objectId"])
        finally:
            self.call("Runtime.releaseObject", objectId=node["objectId"])

    def close(self) -> None:
        self._ws.close()
        self._reader.join(5)


@contextmanager
def chromium_cdp(scratch_dir: Path) -> Iterator[Cdp]:
    """Headless Chromium with the browser tests' flags and its profile under `scratch_dir`; a session
    on its page, at ``about:blank``. Chromium and its children are ended afterwards, by process id."""
    port = free_port()
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(scratch_dir / "config"),
        "XDG_CACHE_HOME": str(scratch_dir / "cache"),
    }
    command = [
        str(CHROMIUM),
        "--headless",
        f"--remote-debugging-port={port}",
        f"--user-data-dir={scratch_dir / 'profile'}",
        f"--window-size={VIEWPORT['width']},{VIEWPORT['height']}",
        *_CHROMIUM_ARGS,
        "about:blank",
    ]
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    cdp: Cdp | None = None
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:

            def page_url() -> str | None:
                if proc.poll() is not None:
                    raise RuntimeError(f"chromium exited with code {proc.returncode}")
                try:
                    targets = http.get("/json/list").json()
                except httpx.TransportError:
                    return None
                return next((t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page"), None)

            url = poll(page_url, timeout=60, interval=0.1, what=f"chromium's DevTools on port {port}")
        cdp = Cdp(url)
        yield cdp
    finally:
        if cdp is not None:
            cdp.close()
        started = [psutil.Process(proc.pid)] if proc.poll() is None else []
        if started:
            started += started[0].children(recursive=True)
        proc.terminate()
        _, alive = psutil.wait_procs(started, timeout=10)
        for leftover in alive:
            leftover.kill()
        psutil.wait_procs(alive, timeout=10)
